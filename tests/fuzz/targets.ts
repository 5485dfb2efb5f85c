/**
 * The fuzz targets, one per parser: FITS header + data, tile-compressed FITS, VOTable, CSV and the
 * folder importer's PNG/JPEG/FITS decode path. Each has a seed corpus (fixtures of the repository and
 * small files made here, deterministically), a mutation dictionary and `exec`, which runs the parser
 * the way the app does. An AppError is the expected answer to a bad input; anything else thrown is a
 * finding.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { isAppError } from '@app/core/errors';
import { imageStats, parseWcs, readFits, readImage, readTable } from '@app/fits/index';
import { base64Decode, base64Encode } from '@app/tables/base64';
import { readCsv } from '@app/tables/csv';
import { readVOTable } from '@app/tables/votable-read';
import { writeVOTable } from '@app/tables/votable-write';
import { decodeImageBytes, type FileKind } from '@main/node/ingest/folder/decode';
import type { MutateOptions } from './mutate';

export interface FuzzTarget {
  name: string;
  /** extension of saved findings */
  ext: string;
  corpus(): Uint8Array[];
  options: MutateOptions;
  exec(input: Uint8Array): void;
}

const FIX = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures');
const read = (rel: string) => new Uint8Array(readFileSync(join(FIX, rel)));
const enc = new TextEncoder();
const utf8 = new TextDecoder();

function readAllHdus(bytes: Uint8Array, strict: boolean): void {
  const f = readFits(bytes, { name: 'fuzz.fits', strict });
  for (const h of f.hdus) {
    if (h.kind === 'image' || h.kind === 'compressed') {
      imageStats(readImage(h).data);
      try {
        parseWcs(h.header, 'fuzz.fits').pixToSky(1, 1);
      } catch (e) {
        if (!isAppError(e)) throw e;
      }
    }
    if (h.kind === 'bintable' || h.kind === 'table') readTable(h);
  }
}

/** both modes: strict refuses, lenient repairs; either way only AppError may come out */
function execFits(bytes: Uint8Array): void {
  for (const strict of [true, false]) {
    try {
      readAllHdus(bytes, strict);
    } catch (e) {
      if (!isAppError(e)) throw e;
    }
  }
}

const FITS_DICT = ['BLANK   = ', 'BSCALE  = ', 'PCOUNT  = ', 'NAXIS1  = ', 'ZNAXIS1 = ', 'ZTILE1  = ', 'END', '-1', '1.5', "'X'", '99999999999'];

/** the heap of a compressed HDU (after the table rows): where tile bytes live */
function heapRange(b: Uint8Array): [number, number] | null {
  try {
    const f = readFits(b, { strict: false });
    const h = f.hdus.find((x) => x.kind === 'compressed');
    if (!h) return null;
    const start = h.dataOffset + h.header.number('NAXIS1')! * h.rows!;
    return [start, Math.min(b.length, h.dataOffset + h.dataLength)];
  } catch {
    return null;
  }
}

export const fitsTarget: FuzzTarget = {
  name: 'fits',
  ext: 'fits',
  corpus: () =>
    [
      'synth_float.fits',
      'synth_int16.fits',
      'synth_int32_blank.fits',
      'synth_uint8.fits',
      'synth_cube.fits',
      'astropy/tb.fits',
      'astropy/ascii.fits',
      'astropy/scale.fits',
      'astropy/group.fits',
      'astropy/variable_length_table.fits',
    ].map((f) => read(join('fits', f))),
  options: { dict: FITS_DICT },
  exec: execFits,
};

export const tilesTarget: FuzzTarget = {
  name: 'fits-tiles',
  ext: 'fits.fz',
  corpus: () =>
    [
      'synth_float_rice.fits.fz',
      'synth_float_gzip1.fits.fz',
      'synth_int16_gzip2.fits.fz',
      'synth_int16_rice_tiles.fits.fz',
      'synth_int32_blank_gzip1.fits.fz',
      'synth_float_gzip_lossless.fits.fz',
      'synth_uint8_rice.fits.fz',
      'synth_float_rice_dither2.fits.fz',
    ].map((f) => read(join('fits', f))),
  options: {
    dict: [...FITS_DICT, 'ZTILE2  = ', 'ZDITHER0= ', 'ZCMPTYPE= '],
    // half of the mutations hit the tile bytes, the rest the headers and descriptors
    focus: (b, rng) => (rng.next() < 0.5 ? heapRange(b) : null),
  },
  exec: execFits,
};

function binary2Doc(): string {
  return writeVOTable(
    [
      { name: 'id', values: BigInt64Array.from([1n, 2n, 3n]) },
      { name: 'ra', values: Float64Array.from([1.5, 2.5, 3.5]) },
      { name: 'name', values: ['alpha', null, 'a much longer name'] },
      { name: 'flag', values: [true, false, null] },
      { name: 'n', values: Int16Array.from([1, -2, 3]), mask: Uint8Array.from([0, 1, 0]) },
    ],
    { format: 'binary2' },
  );
}

/** mutates the decoded BINARY / BINARY2 stream (lengths, flags) and writes it back as base64 */
function mutateStream(b: Uint8Array, mutateBytes: (x: Uint8Array) => Uint8Array): Uint8Array | null {
  const s = utf8.decode(b);
  const m = /<STREAM[^>]*>([^<]*)<\/STREAM>/.exec(s);
  if (!m) return null;
  const bin = mutateBytes(base64Decode(m[1]!));
  return enc.encode(s.slice(0, m.index) + s.slice(m.index, m.index + m[0].length).replace(m[1]!, base64Encode(bin)) + s.slice(m.index + m[0].length));
}

export const votableTarget: FuzzTarget = {
  name: 'votable',
  ext: 'vot',
  corpus: () => [
    read('tables/astropy-tabledata.vot'),
    read('tables/astropy-binary.vot'),
    read('tables/astropy-binary2.vot'),
    enc.encode(binary2Doc()),
    enc.encode(
      '<?xml version="1.0"?><VOTABLE><RESOURCE><TABLE><FIELD name="s" datatype="char" arraysize="*"/><FIELD name="v" datatype="int" arraysize="*"/><DATA><BINARY><STREAM encoding="base64">AAAAA2FiYwAAAAIAAAABAAAAAg==</STREAM></BINARY></DATA></TABLE></RESOURCE></VOTABLE>',
    ),
  ],
  options: {
    dict: [
      '<',
      '>',
      '</TD>',
      '<TD>',
      '<TR>',
      '&#99999999;',
      '&#0;',
      '&amp;',
      '&#x41;',
      '<![CDATA[',
      ']]>',
      '<!--',
      '"',
      "'",
      'arraysize="*"',
      'datatype="long"',
      '9223372036854775808',
      '-1',
      '<A>',
    ],
    custom: (b, _rng, mutateBytes) => mutateStream(b, mutateBytes),
  },
  exec: (b) => {
    readVOTable(utf8.decode(b), { name: 'fuzz.vot' });
  },
};

export const csvTarget: FuzzTarget = {
  name: 'csv',
  ext: 'csv',
  corpus: () =>
    [
      'id,ra,dec,mag\n1,10.5,-3.25,21.2\n2,11,-4,nan\n',
      '# comment\nobjid\tRAJ2000\tDEJ2000\tname\n1237648720693755918\t150.1\t2.2\t"NGC ""1"""\n1237648720693755919\t150.2\t2.3\t"multi\nline"\n',
      'ra;dec;z\r\n1,5;2;0.1\r\n3;4;inf\r\n',
      '\ufeffRA|DEC|ID\n10:00:00|+02:00:00|a\n10:00:01|-02:00:00|b\n',
    ].map((s) => enc.encode(s)),
  options: { dict: ['"', '""', ',', '\n', '\r\n', '#', '99999999999999999999', '1e999', '-inf', '9007199254740993', '\t', '|'] },
  exec: (b) => {
    readCsv(utf8.decode(b), { name: 'fuzz.csv' });
  },
};

function png(w: number, h: number, colorType: number, seed: number): Uint8Array {
  const p = new PNG({ width: w, height: h, colorType: colorType as 2 | 6, inputHasAlpha: true });
  for (let i = 0; i < p.data.length; i++) p.data[i] = (i * 31 + seed * 7) & 255;
  return new Uint8Array(PNG.sync.write(p, { colorType: colorType as 2 | 6 }));
}

function jpg(w: number, h: number, seed: number): Uint8Array {
  const data = Buffer.alloc(w * h * 4);
  for (let i = 0; i < data.length; i++) data[i] = (i * 13 + seed * 5) & 255;
  return new Uint8Array(jpeg.encode({ data, width: w, height: h }, 80).data);
}

/** the first bytes say which decoder the folder importer would pick by extension */
function kindOf(b: Uint8Array): FileKind {
  return b[0] === 0x89 ? 'png' : b[0] === 0xff ? 'jpeg' : 'fits';
}

export const imageTarget: FuzzTarget = {
  name: 'image-decode',
  ext: 'img',
  corpus: () => [png(16, 12, 6, 1), png(9, 7, 2, 2), jpg(16, 16, 3), jpg(24, 8, 4), read('fits/synth_float.fits'), read('fits/synth_float_rice.fits.fz')],
  options: { dict: ['IHDR', 'IDAT', 'IEND', '\xff\xc0', '\xff\xda', '\xff\xd9'] },
  exec: (b) => {
    const kind = kindOf(b);
    decodeImageBytes(b, `fuzz.${kind === 'jpeg' ? 'jpg' : kind}`, kind);
  },
};

export const TARGETS: Record<string, FuzzTarget> = Object.fromEntries([fitsTarget, tilesTarget, votableTarget, csvTarget, imageTarget].map((t) => [t.name, t]));
