/**
 * The label history as changes (old → new) and undo as a new event: undone
 * after the workspace is closed and opened again (another session), never by
 * deleting history; through the contract's probe.history / probe.undo too.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Workspace } from '@main/node/workspace';
import { makeItems, SPEC } from './make';

const root = mkdtempSync(join(tmpdir(), 'ls-labelhist-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function code(e: () => unknown): string | undefined {
  try {
    e();
  } catch (err) {
    return (err as { code?: string }).code;
  }
  return undefined;
}

describe('label history', () => {
  it('lists old → new, and an undo after a reopen writes a new event that puts the old label back', () => {
    const dir = join(root, 'ws');
    const ws = Workspace.create(dir, { cutout: SPEC });
    ws.addObjects(makeItems(0, 20));
    ws.labels.createSearch('rings');
    ws.labels.set('rings', 3, 'negative', 'simulated');
    ws.labels.set('rings', 3, 'positive');
    ws.labels.setMany('rings', [
      { idx: 5, label: 'unsure' },
      { idx: 6, label: 'positive' },
    ]);
    ws.labels.set('rings', 6, null);
    const before = ws.labels.changes('rings');
    expect(before.map((c) => [c.idx, c.from, c.to, c.source])).toEqual([
      [3, null, 'negative', 'simulated'],
      [3, 'negative', 'positive', 'user'],
      [5, null, 'unsure', 'user'],
      [6, null, 'positive', 'user'],
      [6, 'positive', null, 'user'],
    ]);
    ws.close();

    // another session: the newest user change (6: positive → none) is undone by a new event
    const again = Workspace.open(dir);
    const [u1] = again.labels.undo('rings');
    expect([u1.idx, u1.from, u1.to, u1.source, u1.undoes]).toEqual([6, null, 'positive', 'undo', before[4].seq]);
    expect(again.labels.get('rings').get(6)).toBe('positive');
    // the next undo goes further back, to the bulk call: both of its changes at once (an undo is not itself undone)
    expect(before[2].batch && before[3].batch && !before[1].batch && !before[4].batch).toBe(true);
    const u2 = again.labels.undo('rings');
    expect(u2.map((c) => [c.idx, c.to, c.undoes])).toEqual([
      [5, null, before[2].seq],
      [6, null, before[3].seq],
    ]);
    expect(again.labels.get('rings').has(5) || again.labels.get('rings').has(6)).toBe(false);
    // a chosen change from the list, alone: 3 negative → positive goes back to negative
    const [u3] = again.labels.undo('rings', before[1].seq);
    expect([u3.idx, u3.from, u3.to]).toEqual([3, 'positive', 'negative']);
    expect(again.labels.get('rings').get(3)).toBe('negative');
    // nothing was deleted: 5 events then 4 undo events; the undone ones are marked
    const after = again.labels.changes('rings');
    expect(after.length).toBe(9);
    expect(after.slice(0, 5).map((c) => c.seq)).toEqual(before.map((c) => c.seq));
    expect(after.filter((c) => c.undone).map((c) => c.seq)).toEqual(before.slice(1).map((c) => c.seq));
    // already undone, or relabelled since: CONFLICT; unknown seq: NOT_FOUND
    expect(code(() => again.labels.undo('rings', before[1].seq))).toBe('CONFLICT');
    again.labels.set('rings', 5, 'negative');
    const x = again.labels.changes('rings').at(-1)!.seq;
    again.labels.set('rings', 5, 'unsure');
    expect(code(() => again.labels.undo('rings', x))).toBe('CONFLICT');
    expect(code(() => again.labels.undo('rings', 99_999))).toBe('NOT_FOUND');
    expect(again.labels.get('rings').get(5)).toBe('unsure');
    again.close();
  });

  it("says NOT_FOUND when there is nothing to undo (simulated labels are not the user's to undo)", () => {
    const dir = join(root, 'ws2');
    const ws = Workspace.create(dir, { cutout: SPEC });
    ws.addObjects(makeItems(0, 5));
    ws.labels.createSearch('lenses');
    expect(code(() => ws.labels.undo('lenses'))).toBe('NOT_FOUND');
    ws.labels.set('lenses', 1, 'positive', 'simulated');
    expect(code(() => ws.labels.undo('lenses'))).toBe('NOT_FOUND');
    expect(code(() => ws.labels.undo('nope'))).toBe('UNKNOWN_SEARCH');
    ws.close();
  });

  it('latent-sky labels lists the history and --undo reverses a change by a new entry (exit 2 with one line when there is nothing)', () => {
    const dir = join(root, 'ws3');
    const ws = Workspace.create(dir, { cutout: SPEC });
    ws.addObjects(makeItems(0, 10));
    ws.labels.createSearch('arcs');
    ws.labels.set('arcs', 2, 'positive');
    ws.labels.set('arcs', 4, 'negative');
    ws.close();
    const repo = resolve(__dirname, '..', '..');
    const cli = (...args: string[]) =>
      spawnSync(process.execPath, [join(repo, 'main/cli/bin.mjs'), ...args], {
        cwd: repo,
        encoding: 'utf8',
        env: { ...process.env, LATENT_SKY_HOME: join(root, 'home') },
      });
    const list = cli('labels', dir, '--search', 'arcs', '--json');
    expect(list.status, list.stderr).toBe(0);
    const entries = JSON.parse(list.stdout) as { seq: number; idx: number; from: string | null; to: string | null }[];
    expect(entries.map((e) => [e.idx, e.from, e.to])).toEqual([
      [4, null, 'negative'],
      [2, null, 'positive'],
    ]);
    const u = cli('labels', dir, '--search', 'arcs', '--undo', String(entries[1].seq));
    expect(u.status, u.stderr).toBe(0);
    expect(u.stdout).toMatch(new RegExp(`^undid change ${entries[1].seq}: object #2 positive → none`));
    const text = cli('labels', dir, '--search', 'arcs');
    expect(text.stdout.split('\n')[0]).toMatch(/#2 +positive → none +undo of \d+/);
    expect(text.stdout).toMatch(/#2 +none +→ positive +user \(undone\)/);
    cli('labels', dir, '--search', 'arcs', '--undo');
    const none = cli('labels', dir, '--search', 'arcs', '--undo');
    expect(none.status).toBe(2);
    expect(none.stderr.trim().split('\n')).toHaveLength(1);
    expect(none.stderr).toMatch(/nothing to undo/);
  }, 60_000);
});
