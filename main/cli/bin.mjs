#!/usr/bin/env node
// The `latent-sky` command. Runs the TypeScript sources through tsx so that a
// fresh clone works right after `npm ci`, without a build step.
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';

// the repository's tsconfig (its import aliases), wherever the command is run from
register({ tsconfig: fileURLToPath(new URL('../../tsconfig.json', import.meta.url)) });
const { main } = await import('./main.ts');
process.exitCode = await main(process.argv.slice(2));
