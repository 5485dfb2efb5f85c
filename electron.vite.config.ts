// electron-vite: explicit entries (our folders are main/, main/preload/, renderer/,
// not electron-vite's src/ defaults). Output: out/main/index.js (package.json "main"),
// out/main/engine-host.js (the engine, run in a utilityProcess; main/node/host), out/main/*-worker.js
// (its worker threads, started by main/node/workers/spawn.ts), out/preload/index.cjs (CommonJS: a sandboxed
// preload cannot load ESM), out/renderer/.
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig, externalizeDepsPlugin } from 'electron-vite';
import { resolve } from 'node:path';
import { aliases } from './aliases';

const root = import.meta.dirname;

export default defineConfig({
  main: {
    plugins: [externalizeDepsPlugin()],
    resolve: { alias: aliases },
    build: {
      outDir: 'out/main',
      lib: {
        entry: {
          index: resolve(root, 'main/electron/main.ts'),
          'engine-host': resolve(root, 'main/node/host/engine-host.ts'),
          'projection-worker': resolve(root, 'main/node/projection/projection-worker.ts'),
          'embed-worker': resolve(root, 'main/node/encoder/embed-worker.ts'),
          'synth-worker': resolve(root, 'main/node/workspace/synth-worker.ts'),
          'features-worker': resolve(root, 'main/node/features/features-worker.ts'),
          'index-worker': resolve(root, 'main/node/vectors/index-worker.ts'),
        },
      },
    },
  },
  preload: {
    plugins: [externalizeDepsPlugin()],
    resolve: { alias: aliases },
    build: {
      outDir: 'out/preload',
      lib: { entry: { index: resolve(root, 'main/preload/index.ts') }, formats: ['cjs'] },
      rollupOptions: { output: { entryFileNames: '[name].cjs' } },
    },
  },
  renderer: {
    root: resolve(root, 'renderer'),
    base: './',
    publicDir: resolve(root, 'resources/sky/procedural'),
    plugins: [svelte()],
    resolve: { alias: aliases },
    build: {
      outDir: resolve(root, 'out/renderer'),
      emptyOutDir: true,
      chunkSizeWarningLimit: 3000,
      target: 'es2022',
      rollupOptions: { input: resolve(root, 'renderer/index.html') },
    },
  },
});
