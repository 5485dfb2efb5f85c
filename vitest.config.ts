import { defineConfig } from 'vitest/config';
import { aliases } from './aliases';

// One `vitest run` runs everything: unit (app/ maths and parsers), integration
// (real files, real processes, the CLI) and e2e (Debian Chromium against the
// dev host). Two cores: at most two test files at once.
export default defineConfig({
  resolve: { alias: aliases },
  test: {
    include: ['tests/**/*.test.ts'],
    exclude: ['node_modules/**', 'out/**'],
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 180_000,
    reporters: ['default'],
  },
});
