/**
 * The shell runtime loads from the TypeScript sources through tsx exactly as
 * the Electron main process does (load-runtime.ts), in a plain Node child:
 * protocol, SAMP status without a hub, and the first-launch demo job.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(__dirname, '../..');

describe('shell runtime via tsx', () => {
  it('loads, serves the app page and starts the demo job on first launch', async () => {
    const t = mkdtempSync(join(tmpdir(), 'ls-runtime-'));
    const script = `
      import { register } from 'tsx/esm/api';
      register();
      const { loadRuntime } = await import('./main/electron/load-runtime.ts');
      const rt = await loadRuntime(process.cwd(), { userData: ${JSON.stringify(join(t, 'ud'))}, rendererDir: ${JSON.stringify(join(t, 'renderer'))} });
      const page = await rt.handleProtocol(new Request('latent-sky://app/'));
      console.log(JSON.stringify({ page: page.status, csp: page.headers.get('content-security-policy') !== null, samp: (await rt.samp.client.connect()).state }));
      console.log(await rt.openInitial({ demo: true }));
      console.log(JSON.stringify((await rt.engine.jobs.list({})).map((j) => j.kind)));
      await rt.close();`;
    const out = await new Promise<string>((ok, fail) =>
      execFile(process.execPath, ['--input-type=module', '-e', script], { cwd: root, env: { ...process.env, LATENT_SKY_HOME: join(t, 'home'), SAMP_HUB: `std-lockurl:file://${join(t, 'no-lock')}` } }, (e, stdout, stderr) => (e ? fail(new Error(stderr)) : ok(stdout))),
    );
    const [first, second, third] = out.trim().split('\n');
    expect(JSON.parse(first)).toEqual({ page: 404, csp: true, samp: 'no-hub' }); // no renderer built in t/renderer
    expect(second).toBe(`creating the demo workspace in ${join(t, 'home', 'demo-2000')} (job ${second.split('(job ')[1]}`);
    expect(JSON.parse(third)).toEqual(['demo']);
  });
});
