/**
 * Vetting lists on top of the workspace's VettingStore: candidates in a fixed
 * order, a grade (0 none / 1 weak / 2 clear), feature flags and a note per
 * object, persisted on every change so a session resumes where it stopped.
 */
import { AppError } from '@app/core/errors';
import { FEATURE_FLAGS, type VettingList, type VettingService } from '@app/contracts';
import { writeCsv, type TableColumn } from '@app/tables';
import { writeFileAtomic } from '../workspace/fsutil';
import type { Workspace } from '../workspace/workspace';
import type { EngineContext } from '../session/context';
import { latestResult } from '../discovery/probe-results';

function listOf(ws: Workspace, name: string): VettingList {
  if (!ws.vetting.hasList(name)) throw new AppError('NOT_FOUND', `no vetting list named '${name}' in ${ws.manifest.name}`);
  const order = ws.vetting.order(name);
  const entries = ws.vetting.get(name);
  const grades = new Int8Array(order.length).fill(-1);
  const features = new Uint8Array(order.length);
  const notes: Record<string, string> = {};
  order.forEach((idx, pos) => {
    const e = entries.get(idx);
    if (!e) return;
    grades[pos] = e.grade;
    features[pos] = e.features.reduce((b, f) => b | (1 << FEATURE_FLAGS.indexOf(f as (typeof FEATURE_FLAGS)[number])), 0);
    if (e.note) notes[idx] = e.note;
  });
  const cursor = grades.findIndex((g) => g < 0);
  return { name, order, grades, features, notes, cursor: cursor < 0 ? order.length : cursor };
}

export function vettingService(ctx: EngineContext): VettingService {
  return {
    async lists() {
      return ctx
        .ws()
        .vetting.lists()
        .map((l) => ({ name: l.name, size: l.size, graded: l.graded }));
    },
    async createFromSearch({ name, search, top }) {
      const ws = ctx.ws();
      if (!ws.vetting.hasList(name)) {
        const result = latestResult(ctx, search);
        if (!result) throw new AppError('NOT_FOUND', `search '${search}' has no ranked candidates yet: retrain it first`);
        ws.vetting.setOrder(name, result.ranked.subarray(0, top));
      }
      return listOf(ws, name);
    },
    async get({ name }) {
      return listOf(ctx.ws(), name);
    },
    async grade({ name, idx, grade, features, note }) {
      const ws = ctx.ws();
      const list = listOf(ws, name);
      if (!list.order.includes(idx)) throw new AppError('UNKNOWN_OBJECT', `object ${idx} is not in vetting list '${name}'`);
      ws.vetting.set(name, idx, { grade, features, note, type: 'tidal' });
      const summary = ws.vetting.lists().find((l) => l.name === name)!;
      return { name, size: summary.size, graded: summary.graded };
    },
    async export({ name }) {
      const ws = ctx.ws();
      const list = listOf(ws, name);
      const path = ws.path('exports', `vetting-${name.replace(/[^\w.-]+/g, '_')}.csv`);
      const order = list.order;
      const objects = Array.from(order, (idx) => ws.getObject(idx));
      const columns: TableColumn[] = [
        { name: 'idx', values: Int32Array.from(order) },
        { name: 'id', values: objects.map((o) => o.id) },
        { name: 'ra', values: Float64Array.from(objects, (o) => o.ra) },
        { name: 'dec', values: Float64Array.from(objects, (o) => o.dec) },
        { name: 'grade', values: Float64Array.from(order, (_idx, pos) => (list.grades[pos] < 0 ? NaN : list.grades[pos])) },
        ...FEATURE_FLAGS.map((f, i): TableColumn => ({ name: f, values: Int32Array.from(order, (_idx, pos) => (list.features[pos] >> i) & 1) })),
        { name: 'note', values: Array.from(order, (idx) => list.notes[idx] ?? '') },
      ];
      writeFileAtomic(path, writeCsv(columns));
      return { path, rows: list.order.length };
    },
  };
}
