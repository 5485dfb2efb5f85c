// The import aliases of tsconfig.json's "paths", for the bundlers (vite, vitest, electron-vite):
// an import that leaves its top-level folder names it from the repository root (@app/core/errors).
import { resolve } from 'node:path';

const root = import.meta.dirname;

export const aliases: Record<string, string> = {
  '@app': resolve(root, 'app'),
  '@main': resolve(root, 'main'),
  '@renderer': resolve(root, 'renderer'),
  '@tests': resolve(root, 'tests'),
};
