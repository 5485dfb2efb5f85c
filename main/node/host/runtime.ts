/**
 * What the engine host runs besides the contract: the one Engine, the
 * first-launch choice of workspace, the demo workspace, and what the shell's
 * menu and protocol need (main/node/host/control.ts puts this on the
 * control channel). Plain Node: no electron import.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { RecentWorkspace } from '@app/contracts';
import { latentSkyHome } from '../models/registry';
import type { SampEngine } from '../samp/samp-engine';
import { isUnfinishedDemo } from '../discovery/demo-workspace';
import { Engine } from '../services/engine';
import { Workspace } from '../workspace/workspace';

export interface RuntimeOptions {
  /** app.getPath('userData'): recent workspaces and app state */
  userData: string;
}

export const DEMO_COUNT = 2000;

export class ShellRuntime {
  readonly engine: Engine;

  constructor(readonly options: RuntimeOptions) {
    this.engine = new Engine({ stateDir: options.userData, modelsDir: join(latentSkyHome(), 'models') });
  }

  /** the engine's SAMP link (also reached by the renderer through the 'samp' service) */
  get samp(): SampEngine {
    return this.engine.sampLink;
  }

  recent(): Promise<RecentWorkspace[]> {
    return this.engine.workspace.recent({});
  }

  /** a folder the user chose in a native dialog: the path guard allows it, then it opens */
  async openChosen(path: string): Promise<string> {
    this.engine.paths.allow(resolve(path));
    await this.engine.workspace.open({ path: resolve(path) });
    return `opened ${path}`;
  }

  /** the demo workspace shared with `latent-sky serve --demo` */
  demoDir(): string {
    return join(latentSkyHome(), `demo-${DEMO_COUNT}`);
  }

  /**
   * What to show first: the workspace named on the command line, else the
   * demo (created as a job on first launch, progress in the window), else the
   * most recent workspace. Returns a line for the log.
   */
  async openInitial(args: { workspace?: string; demo?: boolean }): Promise<string> {
    if (args.workspace) {
      this.engine.paths.allow(resolve(args.workspace));
      this.engine.open(resolve(args.workspace));
      return `opened ${args.workspace}`;
    }
    const recent = await this.recent();
    if (!args.demo && recent[0]) {
      this.engine.open(recent[0].path);
      return `opened ${recent[0].path}`;
    }
    return this.openOrCreateDemo(this.demoDir());
  }

  /** File → New Workspace from Demo: a non-empty folder gets a latent-sky-demo subfolder */
  async newDemoIn(chosen: string): Promise<string> {
    const dir = existsSync(chosen) && readdirSync(chosen).length ? join(chosen, 'latent-sky-demo') : chosen;
    this.engine.paths.allow(resolve(chosen));
    return this.openOrCreateDemo(dir);
  }

  async openOrCreateDemo(dir: string): Promise<string> {
    if (Workspace.isWorkspace(dir) && !isUnfinishedDemo(dir)) {
      this.engine.open(dir);
      return `opened the demo workspace ${dir}`;
    }
    if (existsSync(dir) && !Workspace.isWorkspace(dir)) throw new Error(`${dir} exists and is not a workspace: choose an empty folder`);
    const job = await this.engine.workspace.createDemo({ path: dir, count: DEMO_COUNT, seed: 1 });
    return `creating the demo workspace in ${dir} (job ${job.id})`;
  }

  async close(): Promise<void> {
    await this.engine.close();
  }
}
