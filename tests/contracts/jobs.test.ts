/**
 * The job runner: one job of a kind at a time, and the jobs that write the
 * workspace (demo, embed, ingest) exclude each other, while read-only jobs
 * (projections) may run beside them.
 */
import { describe, expect, it } from 'vitest';
import { EventBus } from '@main/node/session/events';
import { JobRunner } from '@main/node/session/jobs';

function gate() {
  let open!: () => void;
  const opened = new Promise<void>((r) => (open = r));
  return { open, opened };
}

describe('JobRunner', () => {
  it('refuses a second workspace writer while one runs, allows readers, and frees the slot when done', async () => {
    const runner = new JobRunner(new EventBus());
    const g = gate();
    const ingest = runner.start('ingest', 'Add data', async () => g.opened);
    expect(() => runner.start('embed', 'Embedding', async () => {})).toThrow(/both write the workspace/);
    expect(() => runner.start('demo', 'Demo', async () => {})).toThrow(/both write the workspace/);
    expect(() => runner.start('ingest', 'Add more', async () => {})).toThrow(/already running/);
    const project = runner.start('project', 'PCA projection', async () => {});
    expect((await runner.wait(project.id)).state).toBe('done');
    g.open();
    expect((await runner.wait(ingest.id)).state).toBe('done');
    const embed = runner.start('embed', 'Embedding', async () => {});
    expect((await runner.wait(embed.id)).state).toBe('done');
  });
});
