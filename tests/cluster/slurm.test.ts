/**
 * Sharded embedding on a real single-node Slurm (slurmctld + slurmd on
 * localhost): `latent-sky slurm` writes the job, its submit.sh submits a
 * 4-task array and a dependent merge job, and the merged matrix equals a
 * single-process embed byte for byte. Skips with the reason where slurm-wlm
 * and munge are not installed.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { slurmUnavailable, startCluster, waitIdle, type Cluster } from './slurm-cluster';

const why = slurmUnavailable();
if (why) console.warn(`tests/cluster/slurm.test.ts skipped: ${why}`);

const bin = join(__dirname, '..', '..', 'main', 'cli', 'bin.mjs');
const cli = (args: string[], env?: NodeJS.ProcessEnv) =>
  execFileSync(process.execPath, [bin, ...args], { encoding: 'utf8', env, stdio: ['ignore', 'pipe', 'pipe'] });
const matrixOf = (ws: string) => {
  const m = readdirSync(join(ws, 'embeddings')).find((k) => !k.startsWith('.'))!;
  return readFileSync(join(ws, 'embeddings', m, 'matrix.f32'));
};

describe.skipIf(why !== null)('latent-sky slurm on a real single-node cluster', () => {
  let dir: string, cluster: Cluster;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'slurm-'));
    cluster = startCluster(join(dir, 'cluster'));
  });
  afterAll(() => {
    cluster?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a 4-task array + dependent merge equals a single-process embed bit for bit', () => {
    const ws = join(dir, 'ws'),
      single = join(dir, 'single');
    cli(['synth', ws, '--count', '200', '--seed', '5']);
    cpSync(ws, single, { recursive: true });
    const r = JSON.parse(cli(['slurm', ws, '--tasks', '4', '--partition', 'test', '--time', '00:10:00', '--cpus-per-task', '1', '--json']));
    const script = readFileSync(r.embed, 'utf8');
    expect(script).toContain('#SBATCH --array=0-3');
    expect(script).toContain('--shard "${SLURM_ARRAY_TASK_ID}/4"');
    const submitted = spawnSync('bash', [r.submit], { env: cluster.env, encoding: 'utf8' });
    expect(submitted.status, submitted.stderr).toBe(0);
    expect(submitted.stdout).toMatch(/embed array \d+ \(4 tasks\), merge \d+ after it/);
    expect(waitIdle(cluster.env, 150_000)).toBe(true);
    const logs = readdirSync(join(r.dir, 'logs'));
    expect(logs.filter((f) => f.startsWith('embed-'))).toHaveLength(4);
    const mergeLog = readFileSync(
      join(
        r.dir,
        'logs',
        logs.find((f) => f.startsWith('merge-'))!,
      ),
      'utf8',
    );
    expect(mergeLog).toMatch(/merged 200 of 200 rows .* from 4 shards/);
    cli(['embed', single, '--threads', '1']);
    const a = matrixOf(ws),
      b = matrixOf(single);
    expect(a.length).toBe(4096 + 200 * 128 * 4);
    expect(a.equals(b)).toBe(true);
    const info = JSON.parse(cli(['info', ws, '--json']));
    expect(JSON.stringify(info)).toContain('"done":200');
  });
});
