export * from './types';
export * from './services';
export * from './channels';
export * from './bridge';
export * from './wire';
export type { ValidationContext, Validator } from './validate';
