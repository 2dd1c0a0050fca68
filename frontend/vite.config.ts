/// <reference types="vitest/config" />
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The Go server (make run) answers these paths; `make dev` proxies them.
const backend = process.env.ORGTRAIL_BACKEND ?? 'http://localhost:8080';
const apiPaths = ['/graphql', '/graphiql', '/auth', '/scim', '/oauth'];

export default defineConfig({
  plugins: [react()],
  server: {
    proxy: Object.fromEntries(apiPaths.map((path) => [path, { target: backend, changeOrigin: false }])),
  },
  build: {
    // Empties dist/ and then restores the placeholder that keeps `go:embed` working.
    emptyOutDir: true,
  },
  test: {
    environment: 'jsdom',
    globals: true,
    setupFiles: ['./src/test/setup.ts'],
    include: ['src/**/*.spec.{ts,tsx}'],
    css: false,
  },
});
