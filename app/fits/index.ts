/**
 * FITS for Latent Sky (pure TypeScript, works on Uint8Array / ArrayBuffer).
 *
 *   const f = readFits(bytes, { name: 'cutout.fits' });      // headers parsed, data lazy
 *   const img = readImage(f.hdus[0]);                          // { shape: [3, 256, 256], data: Float32Array }
 *   const wcs = parseWcs(f.hdus[0].header);                    // TAN / SIN
 *   const [ra, dec] = wcs.pixToSky(127.5, 127.5);              // 0-based pixels
 *   const cat = readTable(f.hdus[1]);                          // { rows, columns: [{ name, data }] }
 *   const out = writeFits([{ kind: 'image', shape: [64, 64], data }, { kind: 'bintable', name: 'CAT', columns }]);
 *
 * Errors are AppError: FITS_CORRUPT, FITS_TRUNCATED, FITS_UNSUPPORTED (message "NAME HDU i: …"),
 * BAD_INPUT for wrong use (readImage on a table, unwritable values).
 */
export { readFits, type FitsFile, type Hdu, type HduKind, type ReadFitsOptions } from './read';
export { readImage, type ImageData } from './image';
export { readTable, readColumn, type TableData, type TableColumn, type ColumnData, type VarData, type NumericColumn } from './table';
export { writeFits, type HduSpec, type ImageHduSpec, type TableHduSpec, type ColumnSpec, type ColumnFormat, type Bitpix } from './write';
export { FitsHeader, type HeaderCard, type CardValue } from './header';
export { formatCard, type CardInput, type HeaderInput } from './header-format';
export type { ColumnInfo, BinCode, AsciiCode } from './columns';
export { parseWcs, type Wcs, type Projection } from './wcs';
export { imageStats, type ImageStats } from './stats';
export { ditherTable } from './quantize';
