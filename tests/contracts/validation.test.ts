/** Input validation at the boundary, and errors crossing as ErrorData → AppError. */
import { describe, expect, it } from 'vitest';
import { createApiClient, createDispatcher, type LatentSkyApi, type LatentSkyBridge } from '@app/contracts';
import { SCHEMAS } from '@app/contracts/schemas';
import { AppError } from '@app/core/errors';

const ctx = { count: 100 };
const code = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    return (e as AppError).code;
  }
  return 'OK';
};

describe('channel input validators', () => {
  it('accept good input and normalise optional fields', () => {
    expect(SCHEMAS['probe.setLabel']({ search: 'lenses', idx: 99, label: 'positive' }, ctx, 'probe.setLabel')).toEqual({
      search: 'lenses',
      idx: 99,
      label: 'positive',
    });
    expect(SCHEMAS['probe.setLabel']({ search: 'lenses', idx: 0 }, ctx, 'x')).toEqual({ search: 'lenses', idx: 0, label: null });
    expect(SCHEMAS['vetting.grade']({ name: 'v', idx: 3, grade: 2 }, ctx, 'x')).toEqual({ name: 'v', idx: 3, grade: 2, features: [], note: '' });
    expect(SCHEMAS['workspace.info'](undefined, ctx, 'x')).toEqual({});
  });

  it('reject wrong types, ranges, unknown fields, long strings and out-of-range idx', () => {
    expect(code(() => SCHEMAS['cutouts.get']({ idx: 100 }, ctx, 'cutouts.get'))).toBe('UNKNOWN_OBJECT');
    expect(code(() => SCHEMAS['cutouts.get']({ idx: -1 }, ctx, 'cutouts.get'))).toBe('UNKNOWN_OBJECT');
    expect(code(() => SCHEMAS['cutouts.get']({ idx: 1.5 }, ctx, 'cutouts.get'))).toBe('BAD_INPUT');
    expect(code(() => SCHEMAS['cutouts.get']({ idx: '3' }, ctx, 'cutouts.get'))).toBe('BAD_INPUT');
    expect(code(() => SCHEMAS['cutouts.get']({ idx: 3 }, { count: null }, 'cutouts.get'))).toBe('WORKSPACE_INVALID');
    expect(code(() => SCHEMAS['cutouts.get']({ idx: 3, extra: 1 }, ctx, 'cutouts.get'))).toBe('BAD_INPUT');
    expect(code(() => SCHEMAS['cutouts.get']([3], ctx, 'cutouts.get'))).toBe('BAD_INPUT');
    expect(code(() => SCHEMAS['search.neighbours']({ idx: 3, k: 0 }, ctx, 'x'))).toBe('BAD_INPUT');
    expect(code(() => SCHEMAS['search.neighbours']({ idx: 3, k: 1001 }, ctx, 'x'))).toBe('BAD_INPUT');
    expect(code(() => SCHEMAS['probe.create']({ name: 'x'.repeat(81), description: '' }, ctx, 'x'))).toBe('BAD_INPUT');
    expect(code(() => SCHEMAS['probe.create']({ name: '../etc', description: '' }, ctx, 'x'))).toBe('BAD_INPUT');
    expect(code(() => SCHEMAS['probe.create']({ name: '', description: '' }, ctx, 'x'))).toBe('BAD_INPUT');
    expect(code(() => SCHEMAS['probe.setLabel']({ search: 's', idx: 1, label: 'maybe' }, ctx, 'x'))).toBe('BAD_INPUT');
    expect(code(() => SCHEMAS['vetting.grade']({ name: 'v', idx: 1, grade: 3 }, ctx, 'x'))).toBe('BAD_INPUT');
    expect(code(() => SCHEMAS['vetting.grade']({ name: 'v', idx: 1, grade: 1, features: ['bar'] }, ctx, 'x'))).toBe('BAD_INPUT');
    expect(code(() => SCHEMAS['vetting.grade']({ name: 'v', idx: 1, grade: 1, note: 'x'.repeat(2001) }, ctx, 'x'))).toBe('BAD_INPUT');
    expect(code(() => SCHEMAS['workspace.open']({ path: 'a\0b' }, ctx, 'x'))).toBe('BAD_INPUT');
    expect(code(() => SCHEMAS['workspace.createDemo']({ path: '/tmp/x', count: 5, seed: 1 }, ctx, 'x'))).toBe('BAD_INPUT');
    expect(code(() => SCHEMAS['embeddings.projection']({ method: 'tsne' }, ctx, 'x'))).toBe('BAD_INPUT');
  });
});

describe('dispatcher and client', () => {
  const calls: unknown[] = [];
  const api = {
    cutouts: {
      get: async (input: { idx: number }) => {
        calls.push(input);
        if (input.idx === 13) throw new AppError('IO', 'shard-00000.bin: short read', { offset: 13 });
        if (input.idx === 14) throw new Error('plain failure');
        return { idx: input.idx, bands: ['g'], width: 1, height: 1, pixscale: 1, unit: 'u8' as const, data: new Float32Array([input.idx]) };
      },
    },
  } as unknown as LatentSkyApi;
  const dispatch = createDispatcher(api, () => ctx);
  const bridge: LatentSkyBridge = { invoke: (c, i) => dispatch(c, i) as never, onEvent: () => () => undefined };
  const client = createApiClient(bridge);

  it('validates before calling the service and never throws itself', async () => {
    await expect(dispatch('cutouts.get', { idx: 500 })).resolves.toEqual({
      ok: false,
      error: { code: 'UNKNOWN_OBJECT', message: 'cutouts.get: idx 500 is outside [0, 100)' },
    });
    await expect(dispatch('shell.exec', {})).resolves.toMatchObject({ ok: false, error: { code: 'BAD_INPUT' } });
    expect(calls).toEqual([]);
  });

  it('re-throws ErrorData as AppError with code, message and detail on the client', async () => {
    const c = await client.cutouts.get({ idx: 5 });
    expect(Array.from(c.data)).toEqual([5]);
    const e = await client.cutouts.get({ idx: 13 }).catch((x) => x);
    expect(e).toBeInstanceOf(AppError);
    expect([e.code, e.message, e.detail]).toEqual(['IO', 'shard-00000.bin: short read', { offset: 13 }]);
    await expect(client.cutouts.get({ idx: 14 })).rejects.toMatchObject({ code: 'INTERNAL', message: 'plain failure' });
  });
});
