// Plain `vite build` of the renderer alone (used by the dev host and the e2e
// tests): npx vite build --config renderer/vite.config.ts  →  out/renderer/
// (no Node imports here: this folder is browser code for the layering check)
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vite';

export default defineConfig({
  root: import.meta.dirname,
  base: './',
  // the bundled HiPS sky background (resources/sky/procedural) next to index.html
  publicDir: '../resources/sky/procedural',
  plugins: [svelte()],
  // tsconfig.json's import aliases (written out here: this file takes no Node imports)
  resolve: { alias: { '@app': new URL('../app', import.meta.url).pathname, '@renderer': new URL('.', import.meta.url).pathname } },
  build: {
    outDir: '../out/renderer',
    emptyOutDir: true,
    chunkSizeWarningLimit: 3000,
    target: 'es2022',
  },
});
