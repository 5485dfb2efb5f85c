/**
 * writeFits round trips (our reader) and astropy reading what we write
 * (/usr/bin/python3 with astropy, run live; skipped with a reason if absent).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readFits, readImage, readTable, writeFits, type HduSpec } from '@app/fits/index';

const hasAstropy = spawnSync('/usr/bin/python3', ['-c', 'import astropy.io.fits'], { encoding: 'utf8' }).status === 0;
if (!hasAstropy) console.log('write.test: /usr/bin/python3 has no astropy: astropy read-back test skipped');
const tmp = mkdtempSync(join(tmpdir(), 'ls-fits-write-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const n = 7;
// astropy 5.2.1 misreads continued strings with a quote followed by a blank (its own output too), so the
// text astropy checks avoids that; QUOTED (read back by us only) has it
const longText = "it's a long string, and it's continued over several cards: ".repeat(4).trim();
const quoted = "it's a long string with 'quotes' ".repeat(5).trim();
const specs: HduSpec[] = [
  {
    kind: 'image',
    shape: [3, 4, 5],
    data: Float32Array.from({ length: 60 }, (_, i) => (i === 7 ? NaN : i * 0.5 - 3)),
    header: [
      { key: 'CTYPE1', value: 'RA---TAN' },
      { key: 'CRVAL1', value: 150.1, comment: 'deg' },
      { key: 'CD1_1', value: -7.2777e-5 },
      { key: 'LONGSTR', value: longText },
      { key: 'QUOTED', value: quoted },
      { key: 'HISTORY', value: 'made by write.test' },
      { key: 'FLAG', value: true },
      { key: 'ESO DET GAIN', value: 1.5 },
      { key: 'NOVAL', value: null },
    ],
  },
  { kind: 'image', name: 'I16', shape: [2, 3], data: Int16Array.from([-32768, -1, 0, 1, 2, 32767]) },
  { kind: 'image', name: 'SCALED', shape: [4], data: Float64Array.from([10, 10.5, NaN, 20]), bitpix: 16, bscale: 0.5, bzero: 10, blank: -32768 },
  { kind: 'image', name: 'I64', shape: [3], data: BigInt64Array.from([-(2n ** 62n), 0n, 2n ** 62n]) },
  { kind: 'image', name: 'U8', shape: [2, 2], data: Uint8Array.from([0, 1, 254, 255]) },
  { kind: 'image', name: 'F64', shape: [2], data: Float64Array.from([Math.PI, -1e-300]) },
  {
    kind: 'bintable',
    name: 'CAT',
    columns: [
      { name: 'ID', format: 'K', data: BigInt64Array.from({ length: n }, (_, i) => 9007199254740993n + BigInt(i)) },
      { name: 'RA', format: 'D', unit: 'deg', data: Float64Array.from({ length: n }, (_, i) => 150 + i / 3) },
      { name: 'MAG', format: 'E', data: Float32Array.from({ length: n }, (_, i) => (i === 2 ? NaN : 18 + i)) },
      { name: 'FLUX', format: 'E', repeat: 3, data: Float32Array.from({ length: 3 * n }, (_, i) => i) },
      { name: 'FLAG', format: 'L', data: Array.from({ length: n }, (_, i) => i % 2 === 0) },
      { name: 'BYTE', format: 'B', data: Uint8Array.from({ length: n }, (_, i) => 250 + (i % 6)) },
      { name: 'SHORT', format: 'I', data: Int16Array.from({ length: n }, (_, i) => -i * 1000) },
      { name: 'NOBS', format: 'J', data: Float64Array.from({ length: n }, (_, i) => (i === 4 ? NaN : i * 100000)), tnull: -1 },
      { name: 'UINT', format: 'I', data: Float64Array.from({ length: n }, (_, i) => 65535 - i), tzero: 32768 },
      { name: 'SCALED', format: 'J', data: Float64Array.from({ length: n }, (_, i) => 1.25 * i), tscal: 0.25 },
      { name: 'NAME', format: 'A', data: Array.from({ length: n }, (_, i) => `obj '${i}'`) },
    ],
  },
];

describe('writeFits', () => {
  const bytes = writeFits(specs);
  const path = join(tmp, 'written.fits');
  writeFileSync(path, bytes);

  it('writes whole 2880-byte blocks and reads back exactly', () => {
    expect(bytes.length % 2880).toBe(0);
    const f = readFits(bytes, { name: 'written.fits' });
    expect(f.hdus.map((h) => [h.name, h.kind, h.bitpix, h.shape])).toEqual([
      ['PRIMARY', 'image', -32, [3, 4, 5]],
      ['I16', 'image', 16, [2, 3]],
      ['SCALED', 'image', 16, [4]],
      ['I64', 'image', 64, [3]],
      ['U8', 'image', 8, [2, 2]],
      ['F64', 'image', -64, [2]],
      ['CAT', 'bintable', 8, [n]],
    ]);
    const h0 = f.hdus[0]!.header;
    expect(h0.string('LONGSTR')).toBe(longText);
    expect(h0.string('QUOTED')).toBe(quoted);
    expect(h0.get('ESO DET GAIN')).toBe(1.5);
    expect(h0.get('NOVAL')).toBeNull();
    expect(h0.bool('FLAG')).toBe(true);
    expect(h0.all('HISTORY')).toEqual(['made by write.test']);
    expect(Array.from(readImage(f.hdus[0]!).data)).toEqual(Array.from({ length: 60 }, (_, i) => (i === 7 ? NaN : i * 0.5 - 3)));
    expect(Array.from(readImage(f.hdus[1]!).data)).toEqual([-32768, -1, 0, 1, 2, 32767]);
    expect(Array.from(readImage(f.hdus[2]!).data)).toEqual([10, 10.5, NaN, 20]);
    expect(Array.from(readImage(f.hdus[3]!).data)).toEqual([-(2 ** 62), 0, 2 ** 62]);
    expect(Array.from(readImage(f.hdus[5]!).data)).toEqual([Math.PI, -1e-300]);
    const t = readTable(f.hdus[6]!);
    const col = (name: string) => t.columns.find((c) => c.name === name)!;
    expect(col('ID').data).toBeInstanceOf(BigInt64Array);
    expect((col('ID').data as BigInt64Array)[6]).toBe(9007199254740999n);
    expect(col('RA').unit).toBe('deg');
    expect(Array.from(col('FLUX').data as Float32Array).slice(0, 4)).toEqual([0, 1, 2, 3]);
    expect(col('FLUX').repeat).toBe(3);
    expect(col('FLAG').data).toEqual([true, false, true, false, true, false, true]);
    expect(Array.from(col('NOBS').nulls!)).toEqual([0, 0, 0, 0, 1, 0, 0]);
    expect(col('UINT').data).toBeInstanceOf(Uint16Array);
    expect((col('UINT').data as Uint16Array)[0]).toBe(65535);
    expect(Array.from(col('SCALED').data as Float64Array)).toEqual([0, 1.25, 2.5, 3.75, 5, 6.25, 7.5]);
    expect(col('NAME').data).toEqual(Array.from({ length: n }, (_, i) => `obj '${i}'`));
  });

  it.skipIf(!hasAstropy)('astropy reads the file we wrote (verify, values)', () => {
    const script = `
import sys, json, warnings
import numpy as np
from astropy.io import fits
warnings.simplefilter('error')  # any verification warning fails
with fits.open(sys.argv[1]) as hl:
    hl.verify('exception')
    t = hl['CAT'].data
    out = {
      'names': [h.name for h in hl], 'shapes': [list(h.data.shape) for h in hl[:6]],
      'p0': [None if np.isnan(v) else float(v) for v in hl[0].data.ravel()],
      'longstr': hl[0].header['LONGSTR'], 'gain': hl[0].header['ESO DET GAIN'],
      'scaled': [None if np.isnan(v) else float(v) for v in hl['SCALED'].data],
      'i64': [int(v) for v in hl['I64'].data],
      'id': [int(v) for v in t['ID']], 'flag': [bool(v) for v in t['FLAG']], 'uint': [int(v) for v in t['UINT']],
      'flux': np.asarray(t['FLUX']).tolist(), 'name': [str(v) for v in t['NAME']], 'scaledcol': [float(v) for v in t['SCALED']],
      'nobs': [int(v) for v in t['NOBS']],
    }
print(json.dumps(out))`;
    const out = JSON.parse(execFileSync('/usr/bin/python3', ['-c', script, path], { encoding: 'utf8' }));
    expect(out.names).toEqual(['PRIMARY', 'I16', 'SCALED', 'I64', 'U8', 'F64', 'CAT']);
    expect(out.shapes).toEqual([[3, 4, 5], [2, 3], [4], [3], [2, 2], [2]]);
    expect(out.p0[7]).toBeNull();
    expect(out.p0[8]).toBe(8 * 0.5 - 3);
    expect(out.longstr).toBe(longText);
    expect(out.gain).toBe(1.5);
    expect(out.scaled).toEqual([10, 10.5, null, 20]);
    expect(out.i64).toEqual([-(2 ** 62), 0, 2 ** 62]);
    expect(out.id[0]).toBe(9007199254740992); // JSON loses the last bit; the exact value is checked above
    expect(out.flag).toEqual([true, false, true, false, true, false, true]);
    expect(out.uint[0]).toBe(65535);
    expect(out.flux[1]).toEqual([3, 4, 5]);
    expect(out.name[3]).toBe("obj '3'");
    expect(out.scaledcol[5]).toBe(6.25);
    expect(out.nobs[4]).toBe(-1);
  });

  it('refuses values it cannot write', () => {
    expect(() => writeFits([{ kind: 'image', shape: [2], data: Float64Array.from([1, NaN]), bitpix: 16 }])).toThrow(
      expect.objectContaining({ code: 'BAD_INPUT' }),
    );
    expect(() => writeFits([{ kind: 'image', shape: [1], data: Float64Array.from([40000]), bitpix: 16 }])).toThrow(/does not fit/);
    expect(() => writeFits([{ kind: 'image', shape: [3], data: new Float32Array(2) }])).toThrow(/2 values for shape/);
    expect(() =>
      writeFits([
        {
          kind: 'bintable',
          columns: [
            { name: 'A', format: 'E', data: new Float32Array(3) },
            { name: 'B', format: 'J', data: new Int32Array(2) },
          ],
        },
      ]),
    ).toThrow(/2 rows, other columns have 3/);
    expect(() => writeFits([{ kind: 'image', shape: [1], data: new Float32Array(1), header: [{ key: 'BAD', value: 'é' }] }])).toThrow(/printable ASCII/);
    expect(() => writeFits([{ kind: 'image', shape: [1], data: new Float32Array(1), header: [{ key: 'X', value: Infinity }] }])).toThrow(/cannot be written/);
  });
});
