import { AppError } from '@app/core/errors';
import type { CatalogService, ClassColumn } from '@app/contracts';
import type { EngineContext } from '../session/context';

/** Catalogue columns as typed arrays for the views. */
export function catalogService(ctx: EngineContext): CatalogService {
  return {
    async positions() {
      return ctx.cached('positions', () => {
        const ws = ctx.ws();
        return { ra: Float32Array.from(ws.column('ra')), dec: Float32Array.from(ws.column('dec')) };
      });
    },
    async classes({ column }) {
      return ctx.cached(`classes:${column}`, (): ClassColumn => {
        const ws = ctx.ws();
        let values: (string | null)[];
        if (column === 'truth') values = ws.truthColumn();
        else if (ws.columns().some((c) => c.name === column && c.kind === 'text')) values = ws.textColumn(column);
        else throw new AppError('NOT_FOUND', `no text column '${column}' in ${ws.manifest.name}`);
        const names = [...new Set(values.filter((v): v is string => v !== null))].sort();
        if (names.length > 254) throw new AppError('BAD_INPUT', `column '${column}' has ${names.length} distinct values; at most 254 can be coloured`);
        const code = new Map(names.map((n, i) => [n, i]));
        return { names, codes: Uint8Array.from(values, (v) => (v === null ? 255 : code.get(v)!)) };
      });
    },
    async numeric({ column }) {
      const ws = ctx.ws();
      const known = column === 'ra' || column === 'dec' || ws.columns().some((c) => c.name === column && c.kind === 'numeric');
      if (!known) throw new AppError('NOT_FOUND', `no numeric column '${column}' in ${ws.manifest.name}`);
      const values = Float32Array.from(ws.column(column));
      let min = Infinity,
        max = -Infinity;
      for (const v of values)
        if (Number.isFinite(v)) {
          if (v < min) min = v;
          if (v > max) max = v;
        }
      return { name: column, values, min: Number.isFinite(min) ? min : NaN, max: Number.isFinite(max) ? max : NaN };
    },
    async object({ idx }) {
      return ctx.ws().getObject(idx);
    },
  };
}
