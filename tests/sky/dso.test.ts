/** The bundled Messier/NGC/IC list: designations and common names resolve offline to the known J2000 positions. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dsoKey, parseDsoTable } from '@app/sky/dso';
import { angularSeparation } from '@app/sky/coords';

const text = readFileSync(join(__dirname, '..', '..', 'resources', 'catalogs', 'dso-ngc-ic-messier.tsv'), 'utf8');
const dso = parseDsoTable(text);
const near = (name: string, ra: number, dec: number, arcsec = 60) => {
  const e = dso.lookup(name);
  expect(e, name).not.toBeNull();
  expect(angularSeparation(e!.ra, e!.dec, ra, dec) * 3600, name).toBeLessThan(arcsec);
  return e!;
};

describe('bundled NGC/IC/Messier list', () => {
  it('holds every Messier object and thousands of NGC and IC objects', () => {
    expect(dso.count).toBeGreaterThan(10_000);
    for (let m = 1; m <= 110; m++) expect(dso.lookup(`M${m}`), `M${m}`).not.toBeNull();
  });

  it('resolves designations in the ways people type them', () => {
    const m31 = near('M31', 10.6847, 41.2687);
    expect(m31.type).toBe('galaxy');
    expect(dso.lookup('M 31')).toBe(m31);
    expect(dso.lookup('messier 31')).toBe(m31);
    expect(dso.lookup('NGC 224')).toBe(m31);
    expect(dso.lookup('ngc224')).toBe(m31);
    expect(dso.lookup('NGC0224')).toBe(m31);
    const m1 = near('M1', 83.6331, 22.0145);
    expect(m1.type).toBe('supernova remnant');
    near('IC 342', 56.7021, 68.0961); // SIMBAD: 03 46 48.5 +68 05 46
    near('NGC 4486', 187.7059, 12.3911); // M87
    near('M87', 187.7059, 12.3911);
    near('NGC 1976', 83.8221, -5.3911); // M42
  });

  it('resolves common names, case and punctuation ignored', () => {
    expect(dso.lookup('Andromeda Galaxy')?.name).toBe('M 31');
    expect(dso.lookup('crab nebula')?.name).toBe('M 1');
    expect(dso.lookup('Orion Nebula')?.name).toBe('M 42');
    expect(dso.lookup('pleiades')?.name).toBe('M 45');
  });

  it('says null for what it does not hold, and refuses a malformed table', () => {
    expect(dso.lookup('NGC 99999')).toBeNull();
    expect(dso.lookup('no such thing')).toBeNull();
    expect(dso.lookup('')).toBeNull();
    expect(dsoKey(' Messier-31 ')).toBe('M31');
    expect(() => parseDsoTable('a\tb\n1\t2\n')).toThrow(/header/);
    expect(() => parseDsoTable('m\tngc\tic\tra\tdec\n\t\t\t1\t2\n')).toThrow(/bad row/);
  });
});
