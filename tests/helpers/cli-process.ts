/** `latent-sky ARGS` as a separate process (its own engine and SQLite connection), asynchronously, with LATENT_SKY_HOME set. */
import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';

const repo = resolve(__dirname, '..', '..');

export function cliProcess(args: string[], home: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const p = spawn(process.execPath, [join(repo, 'main', 'cli', 'bin.mjs'), ...args], { cwd: repo, env: { ...process.env, LATENT_SKY_HOME: home } });
    let stdout = '',
      stderr = '';
    p.stdout.on('data', (d) => (stdout += d));
    p.stderr.on('data', (d) => (stderr += d));
    p.on('close', (code) => done({ code, stdout, stderr }));
  });
}
