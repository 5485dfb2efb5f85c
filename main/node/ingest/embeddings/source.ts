/**
 * What the embedding-catalogue importer reads: row-aligned column sources
 * (catalogues) and vector sources, both read in blocks of rows so files far
 * larger than memory go through. One reader per format in this folder.
 */

/** a block of one column: numbers, text (null = missing) or rows x dim vectors */
export type BlockColumn =
  { kind: 'number'; values: Float64Array } | { kind: 'text'; values: (string | null)[] } | { kind: 'vector'; dim: number; values: Float32Array };

export interface SourceColumn {
  name: string;
  kind: 'number' | 'text' | 'vector' | 'other';
  /** vector columns: elements per row */
  dim?: number;
}

export interface SourceBlock {
  columns: Record<string, BlockColumn>;
  /** rows of the block that could not be parsed (block-relative row -> why) */
  errors?: Map<number, string>;
}

/** A table read in row blocks. `read` may require sequential calls (CSV). */
export interface ColumnSource {
  /** file or folder name for messages */
  name: string;
  /** data rows */
  rows: number;
  columns: SourceColumn[];
  /** reader used, for the report ('hyparquet 1.33', 'app/fits', ...) */
  reader: string;
  /** row-block size the format prefers (a Parquet row group, a few MB of a FITS table) */
  preferredBlock?: number;
  read(start: number, count: number, names: string[]): Promise<SourceBlock>;
  close(): void;
}

/** N x dim vectors read by row range, as float32 (NaN marks an unreadable value). */
export interface VectorSource {
  name: string;
  rows: number;
  dim: number;
  /** stored element type, e.g. 'float32', 'float16', 'float64' */
  dtype: string;
  reader: string;
  read(start: number, count: number): Promise<Float32Array>;
  close(): void;
}
