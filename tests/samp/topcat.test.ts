/**
 * `latent-sky samp send-table` against a real TOPCAT (Debian's topcat, under
 * Xvfb, running its own hub with a private lockfile): the command uses the
 * hub's call-and-wait and prints TOPCAT's acknowledgement, one line per
 * recipient. Skipped with the reason where topcat or xvfb-run is missing.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SampClient } from '@main/node/samp/client';

const root = resolve(fileURLToPath(new URL('.', import.meta.url)), '..', '..');
const which = (c: string) => spawnSync('sh', ['-c', `command -v ${c}`]).status === 0;
const missing = !which('topcat')
  ? 'topcat not installed (apt-get install topcat)'
  : !which('xvfb-run')
    ? 'xvfb-run not installed (apt-get install xvfb)'
    : null;
if (missing) console.log(`skipping the TOPCAT round trip: ${missing}`);

const VOTABLE = `<?xml version="1.0" encoding="UTF-8"?>
<VOTABLE version="1.4" xmlns="http://www.ivoa.net/xml/VOTable/v1.3">
 <RESOURCE><TABLE name="latent-sky-test">
  <FIELD name="idx" datatype="int"/><FIELD name="ra" datatype="double" unit="deg" ucd="pos.eq.ra;meta.main"/><FIELD name="dec" datatype="double" unit="deg" ucd="pos.eq.dec;meta.main"/>
  <DATA><TABLEDATA><TR><TD>0</TD><TD>150.1</TD><TD>2.2</TD></TR><TR><TD>1</TD><TD>150.2</TD><TD>2.3</TD></TR></TABLEDATA></DATA>
 </TABLE></RESOURCE>
</VOTABLE>
`;

describe.skipIf(missing !== null)('SAMP round trip with a real TOPCAT', () => {
  let home: string;
  let topcat: ChildProcess;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    home = mkdtempSync(join(tmpdir(), 'ls-topcat-'));
    const lock = join(home, 'samp.lock');
    env = { ...process.env, HOME: home, SAMP_HUB: `std-lockurl:file://${lock}` };
    topcat = spawn('xvfb-run', ['-a', 'topcat', `-Djsamp.lockfile=${lock}`, '-Djava.util.prefs.userRoot=' + home, '-hub'], {
      env,
      stdio: 'ignore',
      detached: true,
    });
    const probe = new SampClient({ name: 'probe', env });
    const t0 = Date.now();
    for (;;) {
      if (existsSync(lock) && (await probe.connect()).state === 'connected') {
        if ((await probe.clients()).some((c) => /topcat/i.test(c.name))) break;
      }
      if (Date.now() - t0 > 90_000) throw new Error('TOPCAT did not register with its hub within 90 s');
      await new Promise((r) => setTimeout(r, 500));
    }
    await probe.disconnect();
  }, 120_000);

  afterAll(() => {
    if (topcat?.pid) {
      try {
        process.kill(-topcat.pid, 'SIGTERM');
      } catch {
        /* gone */
      }
    }
    if (home) rmSync(home, { recursive: true, force: true });
  });

  it("send-table prints TOPCAT's acknowledgement (call-and-wait), one line per recipient", () => {
    const file = join(home, 'two-rows.vot');
    writeFileSync(file, VOTABLE);
    const r = spawnSync(process.execPath, [join(root, 'main', 'cli', 'bin.mjs'), 'samp', 'send-table', file], {
      cwd: root,
      env,
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(r.status, r.stderr).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines.some((l) => /^topcat \(\S+\): ok$/i.test(l))).toBe(true);
    for (const l of lines) expect(l).toMatch(/^\S.* \(\S+\): (ok|.+)$/);
  }, 90_000);
});
