/** Opening workspaces, the recent list (stateDir/recent.json) and the demo job. */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { RecentWorkspace, WorkspaceService } from '@app/contracts';
import { AppError } from '@app/core/errors';
import { writeFileAtomic } from '../workspace/fsutil';
import { Workspace } from '../workspace/workspace';
import type { EngineContext } from '../session/context';
import { activeModel } from '../vectors/active-view';
import { defaultModelDir, isUnfinishedDemo, writeDemoSurvey } from '../discovery/demo-workspace';
import { embedJob, projectionJob } from './embedding-service';
import { buildActiveIndex, resetIndexes } from '../vectors/neighbour-index';
import { PIXEL_MODEL } from '../vectors/pixel-embedding';
import { workspaceInfo } from './workspace-info';

const MAX_RECENT = 12;

function recentFile(ctx: EngineContext): string {
  return join(ctx.options.stateDir, 'recent.json');
}

export function readRecent(ctx: EngineContext): RecentWorkspace[] {
  try {
    const r = JSON.parse(readFileSync(recentFile(ctx), 'utf8'));
    return Array.isArray(r) ? r.filter((x) => typeof x?.path === 'string' && existsSync(x.path)) : [];
  } catch {
    return [];
  }
}

function remember(ctx: EngineContext, ws: Workspace): void {
  const list = [{ path: ws.dir, name: ws.manifest.name, openedAt: new Date().toISOString() }, ...readRecent(ctx).filter((r) => r.path !== ws.dir)];
  mkdirSync(ctx.options.stateDir, { recursive: true });
  writeFileAtomic(recentFile(ctx), JSON.stringify(list.slice(0, MAX_RECENT), null, 1));
}

/** checks (and builds or extends when needed) the active model's HNSW index as a job; exact search meanwhile */
export function startIndexJob(ctx: EngineContext): void {
  if (!activeModel(ctx) || ctx.jobs.list().some((j) => j.kind === 'index' && j.state === 'running')) return;
  ctx.jobs.start('index', 'Nearest-neighbour index', async (progress, signal) => {
    await buildActiveIndex(ctx, progress, signal);
  });
}

export function openWorkspace(ctx: EngineContext, path: string): void {
  const ws = Workspace.open(resolve(path));
  void ctx.setWorkspace(ws);
  resetIndexes(ctx);
  remember(ctx, ws);
  ctx.announce(workspaceInfo(ctx));
  startIndexJob(ctx);
}

export function workspaceService(ctx: EngineContext): WorkspaceService {
  return {
    async info() {
      return workspaceInfo(ctx);
    },
    async open({ path }) {
      openWorkspace(ctx, path);
      return workspaceInfo(ctx)!;
    },
    async recent() {
      return readRecent(ctx);
    },
    async createDemo({ path, count, seed }) {
      const dir = resolve(path);
      const resume = isUnfinishedDemo(dir);
      if (Workspace.isWorkspace(dir) && !resume) throw new AppError('CONFLICT', `${dir} already holds a workspace: open it instead`);
      if (!resume) Workspace.assertCreatable(dir);
      return ctx.jobs.start('demo', `${resume ? 'Continuing the demo' : 'Demo'} workspace (${count} objects)`, async (progress, signal) => {
        await writeDemoSurvey({ path: dir, count, seed }, progress, signal);
        openWorkspace(ctx, dir);
        const model = (await defaultModelDir()) ?? PIXEL_MODEL;
        await embedJob(ctx, model === PIXEL_MODEL ? PIXEL_MODEL : null)(progress, signal);
        await projectionJob(ctx, 'umap')(progress, signal);
      });
    },
  };
}
