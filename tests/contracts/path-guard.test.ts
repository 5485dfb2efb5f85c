/** The engine's path guard on its own: what counts as inside a chosen folder. */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ALLOW_ENV, PathGuard, realLocation } from '@main/node/security/path-guard';

describe('PathGuard', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ls-guard-'));
  const root = join(dir, 'data');
  mkdirSync(join(root, 'sub'), { recursive: true });
  mkdirSync(join(dir, 'data-evil'));
  mkdirSync(join(dir, 'other'));
  writeFileSync(join(dir, 'other', 'f.csv'), 'x');
  symlinkSync(join(dir, 'other'), join(root, 'out'));
  symlinkSync(join(root, 'sub'), join(dir, 'other', 'in'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('permits the root, what is below it (existing or not) and links that stay inside', () => {
    const g = new PathGuard([root], () => [], {});
    for (const p of [root, join(root, 'sub'), join(root, 'sub', 'new', 'ws'), join(root, 'sub', '..', 'x.csv'), join(dir, 'other', 'in', 'y')])
      expect(g.permits(p), p).toBe(true);
  });

  it('refuses a sibling that shares the prefix, parents, links out, relative paths and NUL', () => {
    const g = new PathGuard([root], () => [], {});
    for (const p of [
      join(dir, 'data-evil'),
      join(dir, 'data-evil', 'x'),
      dir,
      '/',
      join(root, '..'),
      join(root, 'out'),
      join(root, 'out', 'f.csv'),
      join(root, 'out', 'new'),
      'data/sub',
      `${root}/\0x`,
    ])
      expect(g.permits(p), p).toBe(false);
    expect(() => g.check(join(dir, 'other'), 'workspace.open', 'path')).toThrow(/workspace\.open: path '.*other' is outside the folders this session may use/);
  });

  it('takes roots from the host, from a dynamic list and from the environment', () => {
    let open: string[] = [];
    const g = new PathGuard([], () => open, { [ALLOW_ENV]: [join(dir, 'other'), 'relative/ignored', ''].join(delimiter) });
    expect(g.permits(join(dir, 'other', 'f.csv'))).toBe(true);
    expect(g.permits(join(root, 'sub'))).toBe(false);
    open = [join(root, 'sub')];
    expect(g.permits(join(root, 'sub', 'a'))).toBe(true);
    g.allow(join(dir, 'data-evil'));
    expect(g.permits(join(dir, 'data-evil'))).toBe(true);
    expect(g.roots()).toContain(realLocation(join(dir, 'data-evil')));
  });
});
