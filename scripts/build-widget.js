// Builds the embeddable widget (apps/widget/src, TypeScript) into one minified script,
// dist/widget/zhibing-widget.js, with esbuild (which vite ships): the socket.io client is bundled
// inside it, private to the widget (no global `io` on the customer's page). Rebuilt only when its
// sources changed, so `npm start` and `npm test` always serve the current widget for free.
const fs = require('node:fs');
const path = require('node:path');
const { sourceDigest } = require('./source-digest');

const root = path.join(__dirname, '..');
const outDir = path.join(root, 'dist', 'widget');
const widgetFile = path.join(outDir, 'zhibing-widget.js');
const stampFile = path.join(outDir, '.build-stamp');
const sources = ['apps/widget/src', 'libs/protocol/src', 'package-lock.json', 'scripts/build-widget.js'];

function isFresh(digest) {
  try {
    return fs.readFileSync(stampFile, 'utf8') === digest && fs.existsSync(widgetFile);
  } catch {
    return false;
  }
}

/** Resolves once dist/widget/zhibing-widget.js is a build of the current sources. */
async function buildWidgetIfStale({ quiet = false } = {}) {
  const digest = sourceDigest(sources, (file) => !file.endsWith('.spec.ts'));
  if (isFresh(digest)) return { built: false };
  if (!quiet) process.stderr.write('zhibing: building the widget (sources changed)…\n');
  const started = Date.now();
  const esbuild = require('esbuild');
  const result = await esbuild.build({
    entryPoints: [path.join(root, 'apps', 'widget', 'src', 'main.ts')],
    bundle: true,
    minify: true,
    format: 'iife',
    target: 'es2020',
    platform: 'browser',
    // socket.io-client's debug logging is off in production builds of it.
    define: { 'process.env.NODE_ENV': '"production"' },
    legalComments: 'none',
    write: false,
    logLevel: quiet ? 'error' : 'warning',
  });
  const code = result.outputFiles[0].contents;
  fs.mkdirSync(outDir, { recursive: true });
  // Written aside then renamed: a gateway (or a second test worker) never reads a half-written file.
  const staging = `${widgetFile}.${process.pid}.tmp`;
  fs.writeFileSync(staging, code);
  fs.renameSync(staging, widgetFile);
  fs.writeFileSync(stampFile, digest);
  return { built: true, ms: Date.now() - started, bytes: code.length };
}

module.exports = { buildWidgetIfStale, widgetFile };
if (require.main === module) {
  buildWidgetIfStale().then(
    (result) => {
      if (result.built) process.stderr.write(`zhibing: widget built in ${result.ms} ms (${result.bytes} bytes)\n`);
    },
    (error) => {
      process.stderr.write(`zhibing: widget build failed: ${error.message}\n`);
      process.exit(1);
    },
  );
}
