import { defineConfig } from 'vite';
import preact from '@preact/preset-vite';
import { fileURLToPath } from 'node:url';

const repo = fileURLToPath(new URL('..', import.meta.url)).replace(/\/$/, '');

// The technician's viewer: a static Preact app, served by the Meekijk server from dist/viewer.
// MEEKIJK_NO_MINIFY=1 keeps function names readable for `npm run bench:profile`.
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/',
  plugins: [preact()],
  resolve: { alias: { '@': repo } },
  build: { outDir: `${repo}/dist/viewer`, emptyOutDir: true, sourcemap: true, target: 'es2022', ...(process.env.MEEKIJK_NO_MINIFY ? { minify: false } : {}) },
});
