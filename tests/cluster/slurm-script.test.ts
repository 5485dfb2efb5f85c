/** `latent-sky slurm` output without a cluster: the array, the GPU flags, the dependent merge, bad flags refused. */
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeSlurmScripts } from '@main/node/cluster/slurm';

const dir = mkdtempSync(join(tmpdir(), 'slurm-script-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('slurm job scripts', () => {
  it('an array of N shard tasks with GPU flags, a merge after every task, a submit script', () => {
    const r = writeSlurmScripts(
      {
        workspace: join(dir, "my ws's"),
        tasks: 16,
        partition: 'gpu',
        gpusPerTask: 1,
        cpusPerTask: 8,
        time: '1-02:00:00',
        mem: '16G',
        maxParallel: 4,
        batch: 256,
      },
      '/opt/node /opt/ls/bin.mjs',
    );
    const embed = readFileSync(r.embed, 'utf8'),
      merge = readFileSync(r.merge, 'utf8'),
      submit = readFileSync(r.submit, 'utf8');
    expect(embed).toContain('#SBATCH --array=0-15%4');
    expect(embed).toMatch(/#SBATCH --partition=gpu\n/);
    expect(embed).toContain('#SBATCH --gpus-per-task=1');
    expect(embed).toContain('#SBATCH --time=1-02:00:00');
    expect(embed).toContain(
      `exec /opt/node /opt/ls/bin.mjs embed '${join(dir, "my ws'\\''s")}' --shard "\${SLURM_ARRAY_TASK_ID}/16" --providers 'cuda,cpu' --batch 256 --threads 8`,
    );
    expect(merge).toContain(`/opt/node /opt/ls/bin.mjs merge '${join(dir, "my ws'\\''s")}'`);
    expect(submit).toContain('sbatch --parsable --dependency=afterok:${array} merge.sbatch');
    expect(statSync(r.submit).mode & 0o111).not.toBe(0);
  });

  it('refuses flags Slurm would not take', () => {
    const base = { workspace: join(dir, 'w'), tasks: 2 };
    expect(() => writeSlurmScripts({ ...base, time: 'two hours' }, 'ls')).toThrow(/--time must be Slurm time/);
    expect(() => writeSlurmScripts({ ...base, partition: 'gpu; rm -rf /' }, 'ls')).toThrow(/characters Slurm options do not take/);
    expect(() => writeSlurmScripts({ ...base, tasks: 0 }, 'ls')).toThrow(/--tasks must be/);
  });
});
