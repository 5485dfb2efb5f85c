/**
 * What we hand to VO tools passes the reference validators: `stilts votlint`
 * reports nothing on our VOTables and `fitsverify -q` says OK on our FITS
 * tables (ranked candidates and embeddings of the demo workspace with its
 * simulated searches, written by `latent-sky export`). Skipped with the reason
 * where stilts or fitsverify is missing.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoWorkspaceCopy } from '../e2e/demo-fixture';
import { root } from '../e2e/harness';

const which = (c: string) => spawnSync('sh', ['-c', `command -v ${c}`]).status === 0;
const missing = !which('stilts')
  ? 'stilts not installed (apt-get install stilts)'
  : !which('fitsverify')
    ? 'fitsverify not installed (apt-get install fitsverify)'
    : null;
if (missing) console.log(`skipping the VO validator checks: ${missing}`);

describe.skipIf(missing !== null)('exports pass stilts votlint and fitsverify', () => {
  let fx: ReturnType<typeof demoWorkspaceCopy>;
  const cli = (...args: string[]) =>
    spawnSync(process.execPath, [join(root, 'main', 'cli', 'bin.mjs'), ...args], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, LATENT_SKY_HOME: fx.home },
    });

  beforeAll(() => {
    fx = demoWorkspaceCopy();
  }, 180_000);
  afterAll(() => fx?.cleanup());

  it('the ranked candidates as VOTable: votlint prints nothing', () => {
    const out = join(fx.home, 'ring.vot');
    const r = cli('export', fx.ws, '--search', 'demo-ring', '--format', 'votable', '--out', out, '--top', '50');
    expect(r.status, r.stderr).toBe(0);
    const v = spawnSync('stilts', ['votlint', out], { encoding: 'utf8' });
    expect(v.status, v.stderr).toBe(0);
    expect((v.stdout + v.stderr).trim()).toBe('');
  }, 60_000);

  it('the ranked candidates and the embeddings as FITS: fitsverify says OK', () => {
    for (const args of [
      ['--search', 'demo-ring', '--format', 'fits', '--top', '50'],
      ['--embeddings', '--format', 'fits'],
    ]) {
      const out = join(fx.home, `${args[0].slice(2)}.fits`);
      const r = cli('export', fx.ws, ...args, '--out', out);
      expect(r.status, r.stderr).toBe(0);
      const v = spawnSync('fitsverify', ['-q', out], { encoding: 'utf8' });
      expect(v.stdout, v.stderr).toMatch(/verification OK/);
    }
  }, 60_000);
});
