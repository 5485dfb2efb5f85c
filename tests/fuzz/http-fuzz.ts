/**
 * A seeded fuzzer for the downloader's response handling (main/node/ingest/net,
 * legacysurvey/validate.ts): a raw loopback server (tests/helpers/hostile-http-server.ts)
 * answers each request with a mutation of a good cutout response — status,
 * headers (Content-Length, Content-Encoding, Transfer-Encoding, Location,
 * Retry-After, broken lines), body (flips, truncation, garbage, gzip bombs,
 * endless streams) and socket behaviour (drip, hang, reset) — and every call
 * must end, within its time bound, either with a valid cutout or with an
 * AppError of an expected code; nothing may reach another origin, and memory
 * stays flat. A violation is a finding: its answer is saved as a JSON fixture
 * (tests/fixtures/fuzz/http-*.json) that the suite replays from then on.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync, deflateSync, brotliCompressSync } from 'node:zlib';
import { isAppError } from '@app/core/errors';
import { createRng, type Rng } from '@app/core/rng';
import { fetchBytes } from '@main/node/ingest/net/http';
import { validateCutoutFits } from '@main/node/ingest/legacysurvey/validate';
import { gzipBombMember, httpHead, startHostileServer, type RawAnswer } from '../helpers/hostile-http-server';
import { cutoutFits } from '../helpers/loopback-survey-server';

const here = dirname(fileURLToPath(import.meta.url));
export const FIXTURES = join(here, '..', 'fixtures', 'fuzz');
const ALLOWED = new Set(['HTTP', 'NETWORK', 'FITS_CORRUPT', 'FITS_TRUNCATED', 'FITS_UNSUPPORTED', 'NOT_FOUND', 'BAD_INPUT', 'UNAVAILABLE']);
/** the policy every call runs under: the bound on its time is the deadline plus slack */
export const POLICY = { timeoutMs: 250, retries: 1, backoffMs: 1, maxDelayMs: 5, maxRetryAfterMs: 5, deadlineMs: 600, maxBytes: 256 * 1024, random: () => 0.5 };
const BOUND_MS = 2500;

/** a serialisable answer: what the server writes (base64), and how */
export interface AnswerSpec {
  head: string;
  chunks: string[];
  gapMs: number;
  endless: string | null;
  then: 'close' | 'destroy' | 'hang';
  note: string;
}

export function toRaw(s: AnswerSpec): RawAnswer {
  const b = (x: string) => Buffer.from(x, 'base64');
  return { head: b(s.head), chunks: s.chunks.map(b), gapMs: s.gapMs, endless: s.endless ? b(s.endless) : undefined, then: s.then };
}

const pick = <T>(r: Rng, xs: readonly T[]): T => xs[r.int(xs.length)];

function mutateBytes(r: Rng, body: Uint8Array): Uint8Array {
  const out = Buffer.from(body);
  const n = 1 + r.int(16);
  for (let i = 0; i < n; i++) {
    const at = r.int(Math.max(1, out.length));
    switch (r.int(4)) {
      case 0:
        out[at] = r.int(256);
        break;
      case 1:
        out[at] ^= 1 << r.int(8);
        break;
      case 2:
        out.write(
          pick(r, ['NAXIS1  = 99999999', 'BITPIX  = -64', 'BITPIX  = 7', 'NAXIS   = 999', 'END', 'BLANK   = 1.5', "BSCALE  = 'X'", 'PCOUNT  = -5']),
          at,
          'latin1',
        );
        break;
      default:
        out.fill(pick(r, [0, 0x20, 0xff]), at, Math.min(out.length, at + r.int(4000)));
    }
  }
  return out;
}

/** one mutated answer for a good body */
export function mutate(r: Rng, good: Uint8Array, otherOrigin: string, selfPath: string): AnswerSpec {
  const notes: string[] = [];
  let status = 200,
    body: Uint8Array = good,
    reason = 'OK';
  const headers: [string, string][] = [['content-type', 'application/fits']];
  let lengthHeader: string | null = String(good.length);
  let chunks: Uint8Array[] = [],
    gapMs = 0,
    endless: Uint8Array | null = null,
    then: AnswerSpec['then'] = 'close';
  const k = 1 + r.int(3);
  for (let m = 0; m < k; m++) {
    const what = r.int(14);
    notes.push(String(what));
    switch (what) {
      case 0:
        body = mutateBytes(r, body);
        lengthHeader = String(body.length);
        break;
      case 1:
        body = body.subarray(0, r.int(body.length));
        lengthHeader = pick(r, [String(body.length), String(good.length), null]);
        break;
      case 2:
        lengthHeader = pick(r, ['-1', 'abc', '1e9', '99999999999999999999', '0', String(r.int(1 << 30)), ' 12', '12, 13', '']);
        break;
      case 3: {
        const enc = pick(r, ['gzip', 'deflate', 'br', 'zstd', 'gzip, gzip', 'x-gzip', 'identity', 'GZIP', 'compress', '']);
        headers.push(['content-encoding', enc]);
        if (/gzip/i.test(enc)) body = r.next() < 0.5 ? gzipSync(body) : Buffer.concat(Array.from({ length: 1 + r.int(40) }, gzipBombMember));
        else if (enc === 'deflate') body = deflateSync(body);
        else if (enc === 'br') body = brotliCompressSync(body);
        if (r.next() < 0.3) body = mutateBytes(r, body);
        lengthHeader = r.next() < 0.7 ? String(body.length) : null;
        break;
      }
      case 4: {
        status = pick(r, [301, 302, 303, 307, 308]);
        const loc = pick(r, [
          `${otherOrigin}/viewer/cutout.fits?${selfPath.split('?')[1]}`,
          `${selfPath}&hop=1`,
          `//evil.example/x`,
          'http://[::1',
          'ftp://127.0.0.1/x',
          '',
          selfPath,
          `http://localhost${otherOrigin.slice(otherOrigin.lastIndexOf(':'))}/x`,
        ]);
        if (loc) headers.push(['location', loc]);
        body = new Uint8Array(0);
        lengthHeader = '0';
        break;
      }
      case 5:
        status = pick(r, [429, 503, 500, 408]);
        headers.push(['retry-after', pick(r, ['100000', '-5', 'Wed, 21 Oct 2099 07:28:00 GMT', 'soon', '0', '1e308', '0.001'])]);
        body = new Uint8Array(0);
        lengthHeader = '0';
        break;
      case 6:
        status = pick(r, [100, 101, 204, 304, 404, 418, 999, 0, 600]);
        break;
      case 7:
        headers.push([
          pick(r, ['x y', 'bad\u0001header', 'content-length', 'transfer-encoding', 'X-Long']),
          pick(r, ['z', 'chunked', '1', 'A'.repeat(20000), 'a\rb']),
        ]);
        break;
      case 8:
        headers.push(['transfer-encoding', 'chunked']);
        lengthHeader = null;
        body = Buffer.from(
          `${pick(r, ['zz', '-1', 'ffffffffffffffff', body.length.toString(16)])}\r\n${Buffer.from(body).toString('latin1')}\r\n0\r\n\r\n`,
          'latin1',
        );
        break;
      case 9:
        endless = new Uint8Array(4096 + r.int(65536)).fill(r.int(256));
        lengthHeader = pick(r, [null, String(good.length)]);
        break;
      case 10:
        chunks = Array.from({ length: 3 + r.int(20) }, () => new Uint8Array(1 + r.int(50)));
        gapMs = 20 + r.int(60);
        break;
      case 11:
        then = pick(r, ['hang', 'destroy'] as const);
        break;
      case 12:
        reason = pick(r, ['', 'OK\u0000', 'X'.repeat(9000)]);
        break;
      default:
        body = Buffer.concat([body, Buffer.from(mutateBytes(r, new Uint8Array(r.int(300000))))]);
        lengthHeader = pick(r, [String(body.length), null]);
        break;
    }
  }
  if (lengthHeader !== null && !headers.some(([h]) => h === 'transfer-encoding')) headers.push(['content-length', lengthHeader]);
  headers.push(['connection', 'close']);
  const head = Buffer.concat([
    Buffer.from(`HTTP/1.1 ${status} ${reason}\r\n${headers.map(([a, b]) => `${a}: ${b}\r\n`).join('')}\r\n`, 'latin1'),
    Buffer.from(body),
  ]);
  return {
    head: head.toString('base64'),
    chunks: chunks.map((c) => Buffer.from(c).toString('base64')),
    gapMs,
    endless: endless ? Buffer.from(endless).toString('base64') : null,
    then,
    note: notes.join(','),
  };
}

export interface Finding {
  spec: AnswerSpec;
  problem: string;
}
export interface FuzzResult {
  execs: number;
  findings: Finding[];
  outcomes: Record<string, number>;
  maxRssGrowthMb: number;
  maxMs: number;
  fuzzMs: number;
}

/** runs `spec` answers (or fresh mutations) against fetchBytes + validateCutoutFits until time or count runs out */
export async function fuzzHttp(opts: { seed: number; timeMs: number; maxExecs?: number; concurrency?: number; replay?: AnswerSpec[] }): Promise<FuzzResult> {
  const rng = createRng(opts.seed);
  const size = 8,
    bands = 'grz';
  const reachedOther = new Set<string>();
  const other = await startHostileServer((req) => {
    reachedOther.add(req.query.get('id') ?? '?');
    return { head: httpHead(200, { 'content-length': 0 }) };
  });
  const specs = new Map<string, AnswerSpec>();
  const server = await startHostileServer((req) => {
    const s = specs.get(req.query.get('id') ?? '');
    if (!s || req.query.has('hop')) return { head: httpHead(404, { 'content-length': 0 }) };
    return toRaw(s);
  });
  const good = cutoutFits(10, 20, size, bands, 0.262);
  const findings: Finding[] = [];
  const outcomes: Record<string, number> = {};
  const rss0 = process.memoryUsage().rss;
  let execs = 0,
    maxRss = 0,
    maxMs = 0;
  const t0 = Date.now();
  const replay = opts.replay ? [...opts.replay] : null;
  const lane = async () => {
    while (replay ? replay.length > 0 : Date.now() - t0 < opts.timeMs && execs < (opts.maxExecs ?? Infinity)) {
      const id = String(execs++);
      const path = `/viewer/cutout.fits?ra=10&dec=20&size=${size}&bands=${bands}&id=${id}`;
      const spec = replay ? replay.shift()! : mutate(rng, good, other.origin, path);
      specs.set(id, spec);
      const start = Date.now();
      let problem: string | null = null;
      const bound = new Promise<'late'>((r) => setTimeout(() => r('late'), BOUND_MS).unref());
      const ac = new AbortController();
      const call = fetchBytes(`${server.origin}${path}`, (b) => validateCutoutFits(b, { bands: bands.split(''), size, pixscale: 0.262, name: 'fuzz' }), {
        ...POLICY,
        signal: ac.signal,
      }).then(
        (c) => (c.data.length === 3 * size * size ? 'ok' : 'wrong-shape'),
        (e) => (isAppError(e) ? (ALLOWED.has(e.code) ? e.code : `unexpected code ${e.code}: ${e.message}`) : `not an AppError: ${(e as Error)?.stack ?? e}`),
      );
      const out = await Promise.race([call, bound]);
      const ms = Date.now() - start;
      maxMs = Math.max(maxMs, ms);
      if (out === 'late') problem = `no answer within ${BOUND_MS} ms`;
      else if (out.startsWith('unexpected') || out.startsWith('not an') || out === 'wrong-shape') problem = out;
      else outcomes[out] = (outcomes[out] ?? 0) + 1;
      if (reachedOther.has(id)) problem = `${problem ? `${problem}; ` : ''}a request reached another origin`;
      specs.delete(id);
      maxRss = Math.max(maxRss, process.memoryUsage().rss - rss0);
      if (problem) findings.push({ spec, problem });
      if (out === 'late') ac.abort(); // stop it; never wait on it (it may not end)
    }
  };
  try {
    await Promise.all(Array.from({ length: opts.concurrency ?? 8 }, lane));
  } finally {
    await server.close();
    await other.close();
  }
  if (other.total() > 0 && !findings.some((f) => f.problem.includes('another origin')))
    findings.push({
      spec: { head: '', chunks: [], gapMs: 0, endless: null, then: 'close', note: 'other origin' },
      problem: `${other.total()} requests reached another origin`,
    });
  return { execs, findings, outcomes, maxRssGrowthMb: Math.round(maxRss / 2 ** 20), maxMs, fuzzMs: Date.now() - t0 };
}

/** saves each finding as tests/fixtures/fuzz/http-<hash>.json; returns the paths */
export function saveFindings(findings: Finding[]): string[] {
  mkdirSync(FIXTURES, { recursive: true });
  return findings
    .filter((f) => f.spec.head)
    .map((f) => {
      const json = JSON.stringify({ problem: f.problem, ...f.spec }, null, 1);
      const p = join(FIXTURES, `http-${createHash('sha256').update(json).digest('hex').slice(0, 12)}.json`);
      writeFileSync(p, json);
      return p;
    });
}

/** the saved findings, to replay */
export function savedSpecs(): AnswerSpec[] {
  let files: string[] = [];
  try {
    files = readdirSync(FIXTURES).filter((f) => /^http-.*\.json$/.test(f));
  } catch {
    return [];
  }
  return files.map((f) => JSON.parse(readFileSync(join(FIXTURES, f), 'utf8')) as AnswerSpec);
}
