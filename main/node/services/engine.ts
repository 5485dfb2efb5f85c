/**
 * The engine: the whole service contract (app/contracts) implemented in plain
 * Node on the workspace store and the other modules. The Electron main
 * process and the dev host both wrap one Engine with createDispatcher.
 */
import type { EngineEvent, LatentSkyApi, ValidationContext } from '@app/contracts';
import { catalogService } from './catalog-service';
import { EngineContext, type EngineOptions } from '../session/context';
import { cutoutService } from './cutout-service';
import { embeddingService } from './embedding-service';
import { EventBus } from '../session/events';
import { JobRunner } from '../session/jobs';
import { modelsService } from './models-service';
import { ingestService } from './ingest-service';
import { patchService } from './patch-service';
import { SampEngine } from '../samp/samp-engine';
import { forwardSampEvents, sampService } from './samp-service';
import { probeService } from './probe-service';
import { searchService } from './search-service';
import { skyService } from './sky-service';
import { vettingService } from './vetting-service';
import { latentSkyHome } from '../models/registry';
import { PathGuard } from '../security/path-guard';
import { openWorkspace, readRecent, workspaceService } from './workspace-service';
import { join, resolve } from 'node:path';
import { discoveryFacade } from '../discovery/facade';
import { vectorsFacade } from '../vectors/facade';
import { toolsFacade } from './tools';
import { Workspace } from '../workspace/workspace';

export class Engine implements LatentSkyApi {
  readonly ctx: EngineContext;
  readonly workspace;
  readonly catalog;
  readonly cutouts;
  readonly embeddings;
  readonly jobs;
  readonly search;
  readonly probe;
  readonly vetting;
  readonly patches;
  readonly samp;
  readonly models;
  readonly ingest;
  readonly sky;
  /** facades the CLI and the contract adapters share (one policy each) */
  readonly vectors;
  readonly discovery;
  /** workspace-free tools: ingest sources, synthetic survey, demo, models, FITS files, SAMP clients */
  readonly tools = toolsFacade;
  static readonly tools = toolsFacade;
  /** the SAMP link (hub client, sent tables, incoming pointers) behind `samp` */
  readonly sampLink: SampEngine;
  /** which paths contract calls may name (the CLI, calling the facades directly, is not limited) */
  readonly paths: PathGuard;
  readonly #bus = new EventBus();
  readonly #runner: JobRunner;

  constructor(options: EngineOptions) {
    this.#runner = new JobRunner(this.#bus);
    const ctx = (this.ctx = new EngineContext(options, this.#bus, this.#runner));
    this.workspace = workspaceService(ctx);
    this.catalog = catalogService(ctx);
    this.cutouts = cutoutService(ctx);
    this.embeddings = embeddingService(ctx);
    this.jobs = { list: async () => this.#runner.list(), cancel: async ({ id }: { id: string }) => this.#runner.cancel(id) };
    this.search = searchService(ctx);
    this.probe = probeService(ctx);
    this.vetting = vettingService(ctx);
    this.patches = patchService(ctx);
    this.sampLink = new SampEngine(this, { name: 'Latent Sky', ...options.samp });
    this.samp = sampService(this.sampLink);
    this.models = modelsService();
    this.ingest = ingestService(ctx);
    this.sky = skyService(ctx);
    this.vectors = vectorsFacade(ctx);
    this.discovery = discoveryFacade(ctx);
    forwardSampEvents(this.sampLink, this.#bus);
    this.paths = new PathGuard([options.stateDir, options.modelsDir, latentSkyHome(), ...(options.roots ?? [])], () => [
      ...(ctx.open ? [ctx.open.dir] : []),
      ...readRecent(ctx).map((r) => r.path),
    ]);
  }

  /** an engine for an in-process caller (the CLI): state and models under the Latent Sky home */
  static inProcess(extra: Pick<EngineOptions, 'samp'> = {}): Engine {
    const home = toolsFacade.models.home();
    return new Engine({ stateDir: home, modelsDir: join(home, 'models'), ...extra });
  }

  onEvent = (listener: (e: EngineEvent) => void): (() => void) => this.#bus.onEvent(listener);

  /** what the input validators need (object count of the open workspace) */
  validationContext = (): ValidationContext => ({ count: this.ctx.open?.count() ?? null, paths: (p, where, field) => this.paths.check(p, where, field) });

  open(path: string): void {
    openWorkspace(this.ctx, path);
  }

  /**
   * Opens a workspace for an in-process caller (the CLI): no recent list, no
   * background index job; readonly leaves the files untouched.
   */
  use(path: string, opts: { readonly?: boolean } = {}): Workspace {
    const ws = Workspace.open(resolve(path), { readonly: opts.readonly });
    void this.ctx.setWorkspace(ws);
    return ws;
  }

  waitForJob(id: string) {
    return this.#runner.wait(id);
  }

  async close(): Promise<void> {
    await this.sampLink.client.disconnect();
    await this.#runner.cancelAll();
    await this.ctx.setWorkspace(null);
  }
}
