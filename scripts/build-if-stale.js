// Rebuilds dist/ with tsc when the set of TypeScript sources changed since the last build (any file
// added, removed, or touched), so `npm run cli` and `npm run bench` always run the current code
// without paying for a compile when nothing changed.
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { sourceDigest } = require('./source-digest');

const root = path.join(__dirname, '..');
const stamp = path.join(root, 'dist', '.build-stamp');
const sources = [
  'apps',
  'libs',
  'kernels',
  'migrations',
  'test/bench',
  'test/support',
  'tsconfig.json',
  'tsconfig.build.json',
];

function buildIfStale() {
  const digest = sourceDigest(sources, (file) => /\.(ts|json)$/.test(file));
  if (fs.existsSync(stamp) && fs.readFileSync(stamp, 'utf8') === digest) return;
  process.stderr.write('zhibing: building (sources changed)…\n');
  const tsc = require.resolve('typescript/bin/tsc');
  const result = spawnSync(process.execPath, [tsc, '-p', path.join(root, 'tsconfig.build.json')], {
    stdio: ['ignore', 2, 2],
  });
  if (result.status !== 0) process.exit(result.status ?? 1);
  fs.mkdirSync(path.dirname(stamp), { recursive: true });
  fs.writeFileSync(stamp, digest);
}

module.exports = { buildIfStale };
if (require.main === module) buildIfStale();
