// Vite build of the analyst web app: root src/web, served by the node under /app/ (src/web/serve.ts).
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = dirname(fileURLToPath(import.meta.url));

export default defineConfig({
  root,
  base: '/app/',
  publicDir: false,
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // Everything as files: the CSP allows no inline scripts, and the node serves /app/assets/*.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    sourcemap: false,
    target: 'es2022',
    chunkSizeWarningLimit: 700,
  },
  server: {
    // `npx vite --config src/web/vite.config.ts` during development, against `npm start`.
    proxy: { '/graphql': 'http://127.0.0.1:4000', '/dossiers': 'http://127.0.0.1:4000' },
  },
});
