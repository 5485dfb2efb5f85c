import type { JobInfo } from '@app/contracts';
import type { Api } from '../api/client';

/** Long jobs (embed, project, demo build) as the engine reports them. */
export class Jobs {
  byId = $state<Record<string, JobInfo>>({});
  running = $derived(Object.values(this.byId).filter((j) => j.state === 'running'));
  /** finished jobs stay visible briefly so the user sees them end */
  recent = $derived(
    Object.values(this.byId)
      .sort((a, b) => b.startedAt - a.startedAt)
      .slice(0, 4),
  );
  #api: Api;

  constructor(api: Api) {
    this.#api = api;
  }

  update(job: JobInfo): void {
    this.byId[job.id] = job;
  }

  async refresh(): Promise<void> {
    for (const j of await this.#api.jobs.list({})) this.update(j);
  }

  async cancel(id: string): Promise<void> {
    this.update(await this.#api.jobs.cancel({ id }));
  }

  dismiss(id: string): void {
    delete this.byId[id];
  }
}
