/** Fuzz target 'csv' (tests/fuzz/targets.ts): saved findings replayed, then a bounded seeded run. */
import { fuzzSuite } from './suite';

fuzzSuite('csv');
