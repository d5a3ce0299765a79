import { fileURLToPath } from 'node:url';
import preact from '@preact/preset-vite';
import { defineConfig } from 'vite';

/**
 * The console: Preact + Vite, built into dist/ui, which `corral serve` serves at `/` under a CSP with no inline
 * script or style — hence no module-preload polyfill (an inline script) and assets always as files.
 */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/',
  plugins: [preact({ prerender: { enabled: false } })],
  build: {
    outDir: fileURLToPath(new URL('../../dist/ui', import.meta.url)),
    emptyOutDir: true,
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    sourcemap: false,
    target: 'es2022',
    reportCompressedSize: false,
  },
  // `npx vite --config src/ui/vite.config.ts`: the console with hot reload, the API from a corral serve on :7557.
  server: { proxy: { '/api': 'http://127.0.0.1:7557' } },
  logLevel: 'warn',
});
