export * from './types';
export * from './services';
export * from './channels';
export * from './bridge';
export * from './wire';
export type { HipsInfo, HipsTile, HipsTileFormat, NameResolution, SkyService } from './sky';
export type { ValidationContext, Validator } from './validate';
