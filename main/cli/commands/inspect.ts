import { imageStats, readImage, type Hdu, type ImageStats } from '@app/fits/index';
import { tools } from '../engine';
import { parseCommandArgs, requirePositional, toJsonText, type CliIO, type Command } from '../command';

const usage = `usage: latent-sky inspect FILE [--json] [--stats] [--lenient]

List the HDUs of a FITS file (like astropy's fitsinfo): index, name, type
(image, bintable, table, compressed image, random groups), BITPIX, shape
(astropy order: slowest axis first), and for tables the columns and rows.

  --json      machine-readable output: { file, hdus: [...], warnings }
  --stats     min, max, mean and NaN count of every image HDU after BSCALE/BZERO
              (compressed images are decompressed; NaN excluded from min/max/mean;
              in --json null = every pixel NaN, ±Inf as "Infinity" / "-Infinity")
  --lenient   repair what the standard forbids (and list warnings) instead of failing

A corrupt, truncated or unsupported file exits with code 2 and a one-line error.`;

const TYPE: Record<Hdu['kind'], string> = {
  image: 'image',
  empty: 'image',
  bintable: 'bintable',
  table: 'table',
  compressed: 'compressed image',
  random_groups: 'random groups',
  other: 'other',
};

interface HduInfo {
  index: number;
  name: string;
  type: string;
  bitpix: number;
  shape: number[];
  compression?: string;
  rows?: number;
  columns?: { name: string; format: string; unit: string }[];
  stats?: JsonStats;
}

/** min / max / mean: null when every pixel is NaN; ±Inf and an undefined mean (Inf − Inf) as 'Infinity' / '-Infinity' / 'NaN' */
type JsonNumber = number | null | 'Infinity' | '-Infinity' | 'NaN';
interface JsonStats {
  nanCount: number;
  min: JsonNumber;
  max: JsonNumber;
  mean: JsonNumber;
}

function jsonNumber(v: number | null): JsonNumber {
  if (v === null || Number.isFinite(v)) return v;
  return Number.isNaN(v) ? 'NaN' : v > 0 ? 'Infinity' : '-Infinity';
}

function jsonStats(s: Omit<ImageStats, 'count'>): JsonStats {
  return { nanCount: s.nanCount, min: jsonNumber(s.min), max: jsonNumber(s.max), mean: jsonNumber(s.mean) };
}

export function describeHdu(h: Hdu, stats: boolean): HduInfo {
  const info: HduInfo = { index: h.index, name: h.name, type: TYPE[h.kind], bitpix: h.bitpix, shape: h.shape };
  if (h.kind === 'compressed') info.compression = (h.header.string('ZCMPTYPE') ?? '').trim();
  if (h.kind === 'bintable' || h.kind === 'table') {
    info.rows = h.rows!;
    info.columns = h.columns!.map((c) => ({ name: c.name, format: c.format, unit: c.unit }));
  }
  if (stats && (h.kind === 'image' || h.kind === 'compressed' || h.kind === 'empty')) {
    const { count: _count, ...s } = imageStats(readImage(h).data);
    info.stats = jsonStats(s);
  }
  return info;
}

function fmt(v: JsonNumber | undefined): string {
  if (v === null || v === undefined) return '-';
  if (typeof v === 'string') return v === 'Infinity' ? 'inf' : v === '-Infinity' ? '-inf' : 'nan';
  return Number.isInteger(v) ? String(v) : v.toPrecision(6);
}

function printTable(io: CliIO, file: string, hdus: HduInfo[], stats: boolean): void {
  io.out(`Filename: ${file}`);
  const head = ['No.', 'Name', 'Type', 'BITPIX', 'Shape', 'Details', ...(stats ? ['Min', 'Max', 'Mean', 'NaN'] : [])];
  const rows = hdus.map((h) => [
    String(h.index),
    h.name,
    h.type,
    String(h.bitpix),
    `(${h.shape.join(', ')})`,
    h.columns ? `${h.rows} rows × ${h.columns.length} cols: ${h.columns.map((c) => c.name).join(', ')}` : (h.compression ?? ''),
    ...(stats ? (h.stats ? [fmt(h.stats.min), fmt(h.stats.max), fmt(h.stats.mean), String(h.stats.nanCount)] : ['', '', '', '']) : []),
  ]);
  const widths = head.map((t, i) => Math.min(60, Math.max(t.length, ...rows.map((r) => r[i]!.length))));
  const line = (r: string[]) =>
    r
      .map((c, i) => (c.length > widths[i]! ? c.slice(0, widths[i]! - 1) + '…' : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  io.out(line(head));
  for (const r of rows) io.out(line(r));
}

const command: Command = {
  summary: 'list the HDUs of a FITS file (types, shapes, columns; --stats for pixel statistics)',
  usage,
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs(
      argv,
      {
        json: { type: 'boolean' },
        stats: { type: 'boolean' },
        lenient: { type: 'boolean' },
      },
      usage,
    );
    const file = requirePositional(positionals, 0, 'FILE', usage);
    const f = await tools.fits.read(file, { strict: !values.lenient });
    const stats = Boolean(values.stats);
    const hdus = f.hdus.map((h) => describeHdu(h, stats));
    if (values.json) io.out(toJsonText({ file, hdus, warnings: f.warnings }));
    else {
      printTable(io, file, hdus, stats);
      for (const w of f.warnings) io.err(`warning: ${w}`);
    }
    return 0;
  },
};

export default command;
