/** Hand-crafted image features computed beside the embedding (pure, typed arrays in and out). */
export { MIN_STAMP, MorphologyExtractor, morphologyBlock, type MorphologyInput } from './morphology';
export { MORPHOLOGY_VERSION, morphologyColumns, morphologyKey, type FeatureColumn } from './columns';
export { nonParametric, type NonParametric } from './nonparametric';
