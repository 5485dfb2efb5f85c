/** Header card parsing: value syntaxes, commentary, CONTINUE, HIERARCH, strict vs lenient. */
import { describe, expect, it } from 'vitest';
import { readFits } from '@app/fits/index';

/** a minimal primary HDU with extra cards (each padded to 80 characters) */
function fileWith(cards: string[]): Uint8Array {
  const all = ['SIMPLE  =                    T', 'BITPIX  =                    8', 'NAXIS   =                    0', ...cards, 'END'];
  const text = all.map((c) => c.padEnd(80)).join('');
  const out = new Uint8Array(Math.ceil(text.length / 2880) * 2880).fill(32);
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i);
  return out;
}

describe('header cards', () => {
  it('parses the value syntaxes of the standard', () => {
    const h = readFits(
      fileWith([
        "STR     = 'O''Hara  '           / with an escaped quote",
        "EMPTY   = ''",
        'DEXP    =              1.5D-03 / Fortran exponent',
        'REAL    =                 -.5E2',
        'INT     =                 -0042',
        'BIG     =  9223372036854775807',
        'CPLX    = (1.0, -2.5)          / complex stays text',
        'LOGIC   =                    F',
        'UNDEF   =                      / no value',
        'COMMENT   free text, = signs and all',
        'HISTORY step 1',
        'HISTORY step 2',
        'HIERARCH ESO TEL AIRM START = 1.234 / airmass',
        "LONG    = 'first part &'",
        "CONTINUE  'second part&'",
        "CONTINUE  ' and the end' / continued comment",
      ]),
    ).hdus[0]!.header;
    expect(h.get('STR')).toBe("O'Hara");
    expect(h.card('STR')!.comment).toBe('with an escaped quote');
    expect(h.get('EMPTY')).toBe('');
    expect(h.get('DEXP')).toBe(1.5e-3);
    expect(h.get('REAL')).toBe(-50);
    expect(h.get('INT')).toBe(-42);
    expect(h.card('BIG')!.valueText).toBe('9223372036854775807');
    expect(h.get('CPLX')).toBe('(1.0, -2.5)');
    expect(h.bool('LOGIC')).toBe(false);
    expect(h.get('UNDEF')).toBeNull();
    expect(h.has('UNDEF')).toBe(true);
    expect(h.all('COMMENT')).toEqual(['  free text, = signs and all']);
    expect(h.all('HISTORY')).toEqual(['step 1', 'step 2']);
    expect(h.get('ESO TEL AIRM START')).toBe(1.234);
    expect(h.get('HIERARCH ESO TEL AIRM START')).toBe(1.234);
    expect(h.get('LONG')).toBe('first part second part and the end');
    expect(h.number('STR')).toBeUndefined();
    expect(h.number('MISSING', 7)).toBe(7);
  });

  it('strict refuses a malformed value; lenient keeps the text and warns', () => {
    const bytes = fileWith(['BAD     = 12 apples', "OPEN    = 'no closing quote"]);
    expect(() => readFits(bytes, { name: 'm.fits' })).toThrow(
      expect.objectContaining({ code: 'FITS_CORRUPT', message: "m.fits HDU 0: header card 'BAD' has an invalid value '12 apples'" }),
    );
    const f = readFits(bytes, { name: 'm.fits', strict: false });
    expect(f.hdus[0]!.header.get('BAD')).toBe('12 apples');
    expect(f.warnings).toHaveLength(2);
  });

  it('a header without END is truncated; bad BITPIX and missing NAXISn are corrupt', () => {
    const noEnd = fileWith([]);
    const text = new TextDecoder('latin1').decode(noEnd);
    const cut = noEnd.slice(0, text.indexOf('END'));
    expect(() => readFits(cut, { name: 'n.fits' })).toThrow(expect.objectContaining({ code: 'FITS_TRUNCATED' }));
    const bad = fileWith([]);
    bad.set(new TextEncoder().encode('                   12'), 80 + 9);
    expect(() => readFits(bad)).toThrow(expect.objectContaining({ code: 'FITS_CORRUPT', message: expect.stringContaining('BITPIX = 12') }));
  });
});
