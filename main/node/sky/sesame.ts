/**
 * Name resolution through CDS Sesame (Simbad, NED, VizieR:
 * `https://cds.unistra.fr/cgi-bin/nph-sesame/-oxp/SNV?NAME`, XML output).
 * One GET with a short timeout and a small byte cap (a Sesame answer is a few
 * kB), one retry; unreachable → UNAVAILABLE, nothing found → NOT_FOUND, an
 * answer that is not Sesame's XML → BAD_INPUT. Answers (and "nothing found")
 * are cached in memory per engine, so a name asked twice costs one request.
 */
import { AppError, isAppError } from '@app/core/errors';
import { fetchBytes } from '../ingest/net/http';

export const SESAME_URL = 'https://cds.unistra.fr/cgi-bin/nph-sesame/-oxp/SNV';
export const SESAME_MAX_BYTES = 256 * 1024;

export interface SesameAnswer {
  name: string;
  ra: number;
  dec: number;
  type: string | null;
  /** which resolver answered: 'Simbad', 'NED', 'VizieR' */
  resolver: string;
}

export interface SesameOptions {
  /** base URL, the name is appended after '?' (tests point it at a local peer) */
  baseUrl?: string;
  timeoutMs?: number;
  maxBytes?: number;
}

const tag = (xml: string, t: string): string | null => {
  const m = new RegExp(`<${t}>([^<]*)</${t}>`).exec(xml);
  return m ? m[1].trim() : null;
};

/** the first resolver of a Sesame XML answer with a position; null when none found it */
export function parseSesame(xml: string, query: string): SesameAnswer | null {
  if (!/<Sesame[\s>]/.test(xml) || !/<\/Sesame>\s*$/.test(xml))
    throw new AppError('BAD_INPUT', `name resolver: the answer for '${query}' is not a Sesame XML document`);
  for (const m of xml.matchAll(/<Resolver\s+name="([^"]*)"\s*>([\s\S]*?)<\/Resolver>/g)) {
    const body = m[2];
    const ra = Number(tag(body, 'jradeg')),
      dec = Number(tag(body, 'jdedeg'));
    if (tag(body, 'jradeg') === null || !Number.isFinite(ra) || !Number.isFinite(dec)) continue;
    if (ra < 0 || ra >= 360 || dec < -90 || dec > 90) throw new AppError('BAD_INPUT', `name resolver: position ${ra}, ${dec} for '${query}' is off the sky`);
    const resolver = /^\w=(\w+)/.exec(m[1])?.[1] ?? m[1];
    return { name: (tag(body, 'oname') ?? query).replace(/\s+/g, ' '), ra, dec, type: tag(body, 'otype'), resolver };
  }
  return null;
}

export class SesameResolver {
  readonly #cache = new Map<string, SesameAnswer | null>();

  constructor(private readonly opts: SesameOptions = {}) {}

  async resolve(name: string): Promise<SesameAnswer> {
    const key = name.trim().replace(/\s+/g, ' ').toLowerCase();
    if (!this.#cache.has(key)) this.#cache.set(key, await this.#ask(name.trim()));
    const hit = this.#cache.get(key);
    if (!hit) throw new AppError('NOT_FOUND', `'${name}' is not known to Simbad, NED or VizieR (CDS Sesame)`);
    return hit;
  }

  get cached(): number {
    return this.#cache.size;
  }

  async #ask(name: string): Promise<SesameAnswer | null> {
    const base = this.opts.baseUrl ?? process.env.LATENT_SKY_SESAME_URL ?? SESAME_URL;
    const url = `${base}?${encodeURIComponent(name)}`;
    const timeoutMs = this.opts.timeoutMs ?? 5000;
    try {
      const xml = await fetchBytes(url, (b) => new TextDecoder('utf-8', { fatal: true }).decode(b), {
        timeoutMs,
        retries: 1,
        backoffMs: 200,
        maxDelayMs: 500,
        deadlineMs: 2 * timeoutMs + 500,
        maxBytes: this.opts.maxBytes ?? SESAME_MAX_BYTES,
      });
      return parseSesame(xml, name);
    } catch (e) {
      if (isAppError(e) && e.code === 'BAD_INPUT') throw e;
      const why = isAppError(e) ? e.message.replace(url, '').replace(/^[:\s]+/, '') : String((e as Error)?.message ?? e);
      throw new AppError('UNAVAILABLE', `name resolver (CDS Sesame at ${new URL(base).origin}) cannot be used: ${why}`);
    }
  }
}
