/**
 * Everything the desktop shell runs besides Electron itself, in plain Node:
 * the engine, the IPC registration, the app protocol handler and SAMP.
 * main.ts loads this module from the TypeScript sources through tsx (as the
 * CLI does), so the engine's worker threads find their sources and there is
 * one copy of every module (AppError identity survives).
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { RecentWorkspace } from '../../app/contracts';
import { latentSkyHome } from '../node/models/registry';
import type { SampEngine } from '../node/samp/samp-engine';
import { isUnfinishedDemo } from '../node/discovery/demo-workspace';
import { Engine } from '../node/services/engine';
import { Workspace } from '../node/workspace/workspace';
import { forwardEvents, registerIpc, type IpcMainLike } from './ipc';
import { createProtocolHandler } from './protocol';

export interface RuntimeOptions {
  /** app.getPath('userData'): recent workspaces and app state */
  userData: string;
  /** the built renderer (out/renderer) */
  rendererDir: string;
}

export const DEMO_COUNT = 2000;

export class ShellRuntime {
  readonly engine: Engine;
  readonly handleProtocol: (request: Request) => Promise<Response>;

  constructor(readonly options: RuntimeOptions) {
    this.engine = new Engine({ stateDir: options.userData, modelsDir: join(latentSkyHome(), 'models') });
    this.handleProtocol = createProtocolHandler({ rendererDir: options.rendererDir, cutout: (idx) => this.engine.cutouts.get({ idx }) });
  }

  /** the engine's SAMP link (also reached by the renderer through the 'samp' service) */
  get samp(): SampEngine {
    return this.engine.sampLink;
  }

  registerIpc(ipc: IpcMainLike): () => void {
    return registerIpc(ipc, this.engine, this.engine.validationContext);
  }

  forwardEvents(send: (channel: string, payload: unknown) => void): () => void {
    return forwardEvents(this.engine, send);
  }

  recent(): Promise<RecentWorkspace[]> {
    return this.engine.workspace.recent({});
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
