import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// `npm run build:web` writes dist/, which `ordo serve` serves at `/`. `npm run dev -w @ordo/web`
// serves the UI with hot reload and sends /api to an `ordo serve` on :8080.
export default defineConfig({
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 1500 },
  server: { proxy: { '/api': 'http://127.0.0.1:8080' } },
});
