import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));
const repo = fileURLToPath(new URL('../..', import.meta.url));
const gateway = process.env.ZHIBING_GATEWAY_URL ?? 'http://127.0.0.1:3000';

/**
 * The admin console: static files under dist/console, served by the gateway at /console.
 * No @vitejs/plugin-react: esbuild compiles TSX on its own; the plugin only adds Fast Refresh
 * (and Babel) for development, which a reload replaces well enough here.
 */
export default defineConfig(({ command }) => ({
  root,
  base: '/console/',
  // Shared with the server: the console validates with the very schemas the API uses.
  resolve: { alias: { '@zhibing/protocol': `${repo}libs/protocol/src/index.ts` } },
  // A build is production whatever NODE_ENV the caller has: under Jest (NODE_ENV=test) Vite would
  // otherwise bundle React's development build and dev JSX (+25 %), and npm start reuses what the tests built.
  esbuild: { jsx: 'automatic', ...(command === 'build' && { jsxDev: false }) },
  ...(command === 'build' && { define: { 'process.env.NODE_ENV': '"production"' } }),
  build: {
    outDir: `${repo}dist/console`,
    emptyOutDir: true,
    target: 'es2022',
    reportCompressedSize: false,
    chunkSizeWarningLimit: 1000,
    rollupOptions: {
      // zod's sources carry esbuild-style /* @__PURE__ */ notes Rollup cannot place; harmless noise.
      onwarn(warning, warn) {
        if (warning.code !== 'INVALID_ANNOTATION') warn(warning);
      },
    },
  },
  // `npx vite --config apps/console/vite.config.mts`: the console at :5173 against a gateway at :3000.
  server: {
    proxy: {
      '/v1': gateway,
      '/health': gateway,
      '/metrics': gateway,
      '/widget': gateway,
      '/widget.js': gateway,
      '/socket.io': { target: gateway, ws: true },
    },
  },
}));
