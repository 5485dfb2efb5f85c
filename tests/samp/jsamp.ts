/**
 * Debian's jsamp (the reference SAMP implementation, Java) for the tests: a
 * private hub whose lockfile lives in a temp "home" (user.home), so the real
 * ~/.samp is never touched, plus its snooper and message sender clients.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const JAR = '/usr/share/java/jsamp.jar';

/** why the jsamp tests cannot run here, or null */
export function jsampMissing(): string | null {
  if (!existsSync(JAR)) return `${JAR} not found (apt-get install jsamp)`;
  const j = spawnSync('java', ['-version'], { encoding: 'utf8' });
  if (j.error || j.status !== 0) return `java not runnable (${j.error?.message ?? j.stderr})`;
  return null;
}

export interface Hub {
  home: string;
  lockfile: string;
  env: NodeJS.ProcessEnv;
  java(args: string[]): ChildProcess;
  stop(): Promise<void>;
}

async function waitFor(cond: () => boolean, what: string, ms = 20_000, poll?: () => Promise<unknown>): Promise<void> {
  const t0 = Date.now();
  while ((await poll?.(), !cond())) {
    if (Date.now() - t0 > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function startHub(): Promise<Hub> {
  const home = mkdtempSync(join(tmpdir(), 'ls-samp-'));
  const lockfile = join(home, '.samp');
  const env = { ...process.env, HOME: home, SAMP_HUB: `std-lockurl:${pathToFileURL(lockfile).href}` };
  const java = (args: string[]) =>
    spawn('java', ['-Djava.awt.headless=true', `-Duser.home=${home}`, '-classpath', JAR, 'org.astrogrid.samp.JSamp', ...args], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  const hub = java(['hub', '-mode', 'no-gui', '-profiles', 'std']);
  let log = '';
  hub.stderr!.on('data', (d) => (log += d));
  hub.stdout!.on('data', (d) => (log += d));
  await waitFor(
    () => (existsSync(lockfile) && readFileSync(lockfile, 'utf8').includes('samp.hub.xmlrpc.url')) || hub.exitCode !== null,
    'the jsamp hub lockfile',
  );
  if (hub.exitCode !== null) throw new Error(`jsamp hub exited: ${log}`);
  return {
    home,
    lockfile,
    env,
    java,
    stop: () =>
      new Promise<void>((ok) => {
        if (hub.exitCode !== null) return ok();
        hub.once('exit', () => ok());
        hub.kill('SIGTERM');
      }),
  };
}

/** a running process's collected stdout */
export function collect(p: ChildProcess): { text: () => string } {
  let out = '';
  p.stdout!.on('data', (d) => (out += d));
  p.stderr!.on('data', (d) => (out += d));
  return { text: () => out };
}

export function exited(p: ChildProcess): Promise<number> {
  return new Promise((ok) => (p.exitCode !== null ? ok(p.exitCode) : p.once('exit', (c) => ok(c ?? -1))));
}

export { waitFor };
