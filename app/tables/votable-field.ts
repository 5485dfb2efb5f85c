/** VOTable FIELD metadata and the mapping between VOTable datatypes and our columns. */
import { AppError } from '../core/errors';
import type { ColumnValues, NumericValues } from './table';

export type VoDatatype =
  'boolean' | 'bit' | 'unsignedByte' | 'short' | 'int' | 'long' | 'char' | 'unicodeChar' | 'float' | 'double' | 'floatComplex' | 'doubleComplex';

export interface VoField {
  name: string;
  datatype: VoDatatype;
  /** undefined = scalar */
  arraysize?: string;
  unit?: string;
  ucd?: string;
  description?: string;
  /** VALUES null="..." for integer columns */
  nullValue?: string;
}

export const DATATYPE_BYTES: Record<VoDatatype, number> = {
  boolean: 1,
  bit: 1,
  unsignedByte: 1,
  short: 2,
  int: 4,
  long: 8,
  char: 1,
  unicodeChar: 2,
  float: 4,
  double: 8,
  floatComplex: 8,
  doubleComplex: 16,
};

export function checkDatatype(d: string | undefined, field: string, name: string): VoDatatype {
  if (d && d in DATATYPE_BYTES) return d as VoDatatype;
  throw new AppError('BAD_INPUT', `${name}: FIELD '${field}' has unknown datatype '${d ?? ''}'`);
}

/** Is the field read into a typed array (a numeric scalar)? */
export function isScalarNumeric(f: VoField): boolean {
  return f.arraysize === undefined && ['unsignedByte', 'short', 'int', 'long', 'float', 'double'].includes(f.datatype);
}

/** Is the field text (char/unicodeChar with or without arraysize)? */
export function isText(f: VoField): boolean {
  return f.datatype === 'char' || f.datatype === 'unicodeChar';
}

export function allocate(f: VoField, n: number): ColumnValues {
  if (isScalarNumeric(f)) {
    switch (f.datatype) {
      case 'unsignedByte':
        return new Uint8Array(n);
      case 'short':
        return new Int16Array(n);
      case 'int':
        return new Int32Array(n);
      case 'long':
        return new BigInt64Array(n);
      case 'float':
        return new Float32Array(n);
      default:
        return new Float64Array(n);
    }
  }
  if (isScalarBoolean(f)) return new Array<boolean | null>(n).fill(null);
  return new Array<string | null>(n).fill(null);
}

/** The VOTable datatype that stores a column of ours. */
export function datatypeFor(values: ColumnValues): { datatype: VoDatatype; arraysize?: string } {
  if (values instanceof Float64Array) return { datatype: 'double' };
  if (values instanceof Float32Array) return { datatype: 'float' };
  if (values instanceof Int32Array) return { datatype: 'int' };
  if (values instanceof Int16Array) return { datatype: 'short' };
  if (values instanceof Uint8Array) return { datatype: 'unsignedByte' };
  if (values instanceof BigInt64Array) return { datatype: 'long' };
  if ((values as unknown[]).some((v) => typeof v === 'boolean')) return { datatype: 'boolean' };
  return { datatype: 'char', arraysize: '*' };
}

export function isIntegerArray(v: ColumnValues): v is NumericValues {
  return v instanceof Int32Array || v instanceof Int16Array || v instanceof Uint8Array || v instanceof BigInt64Array;
}

/** boolean, or a single bit: read as true/false/null */
export function isScalarBoolean(f: VoField): boolean {
  return (f.datatype === 'boolean' || f.datatype === 'bit') && f.arraysize === undefined;
}
