import path from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const root = path.dirname(fileURLToPath(import.meta.url));

// The web app lives in src/web; `vite build` writes dist/web, which the server serves for every non-/api path.
export default defineConfig({
  root: path.join(root, 'src/web'),
  base: '/',
  plugins: [react()],
  build: {
    outDir: path.join(root, 'dist/web'),
    emptyOutDir: true,
    chunkSizeWarningLimit: 3000,
    sourcemap: false,
  },
  server: {
    port: 5173,
    proxy: { '/api': { target: `http://127.0.0.1:${process.env.JIBAO_API_PORT ?? 3000}`, changeOrigin: false } },
  },
});
