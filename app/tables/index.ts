export * from './table';
export { readCsv, writeCsv } from './csv';
export { readVOTable, type VoTable } from './votable-read';
export { writeVOTable, type VoTableMeta, type VoParam } from './votable-write';
export * from './catalog-columns';
