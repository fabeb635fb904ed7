// Builds the admin console (apps/console, Vite) into dist/console when its sources changed since the
// last build, so `npm start` and `npm test` always serve the current console without paying for a
// build when nothing changed. Built into a fresh folder and swapped in, so a gateway (or a second
// test worker) never serves a half-written console.
const fs = require('node:fs');
const path = require('node:path');
const { sourceDigest } = require('./source-digest');

const root = path.join(__dirname, '..');
const outDir = path.join(root, 'dist', 'console');
const stampName = '.build-stamp';
const sources = ['apps/console', 'libs/protocol/src', 'package-lock.json'];

function isFresh(digest) {
  try {
    return fs.readFileSync(path.join(outDir, stampName), 'utf8') === digest;
  } catch {
    return false;
  }
}

const lockFile = path.join(root, 'dist', '.console-build.lock');
const STALE_LOCK_MS = 120_000;

/** Runs `build` alone: test workers starting together wait for one build instead of each running one. */
async function exclusively(build) {
  fs.mkdirSync(path.dirname(lockFile), { recursive: true });
  const deadline = Date.now() + STALE_LOCK_MS;
  let fd;
  while (fd === undefined) {
    try {
      fd = fs.openSync(lockFile, 'wx');
    } catch (error) {
      if (error.code !== 'EEXIST') throw error;
      // A lock left by a build that crashed is taken over once it is older than any build takes.
      const age = Date.now() - (fs.statSync(lockFile, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (age > STALE_LOCK_MS) fs.rmSync(lockFile, { force: true });
      else if (Date.now() > deadline) throw new Error(`another console build holds ${lockFile}`);
      else await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  try {
    return await build();
  } finally {
    fs.closeSync(fd);
    fs.rmSync(lockFile, { force: true });
  }
}

/** Resolves once dist/console holds a build of the current sources. */
async function buildConsoleIfStale({ quiet = false } = {}) {
  if (isFresh(sourceDigest(sources))) return { built: false };
  return exclusively(() => build(quiet));
}

async function build(quiet) {
  // Checked again under the lock: the build we waited for may have been of these very sources.
  const digest = sourceDigest(sources);
  if (isFresh(digest)) return { built: false };
  if (!quiet) process.stderr.write('zhibing: building the console (sources changed)…\n');
  const started = Date.now();
  const staging = `${outDir}-${process.pid}-${Date.now()}`;
  const { build } = await import('vite');
  await build({
    configFile: path.join(root, 'apps', 'console', 'vite.config.mts'),
    build: { outDir: staging },
    logLevel: quiet ? 'error' : 'warn',
  });
  fs.writeFileSync(path.join(staging, stampName), digest);
  swapIn(staging);
  return { built: true, ms: Date.now() - started };
}

/** Replaces dist/console with `staging`; another process doing the same at once is tolerated. */
function swapIn(staging) {
  const olds = [];
  for (let attempt = 0; ; attempt++) {
    const old = `${staging}-old${attempt}`;
    try {
      fs.renameSync(outDir, old);
      olds.push(old);
    } catch (error) {
      if (error.code !== 'ENOENT') throw error;
    }
    try {
      fs.renameSync(staging, outDir);
      break;
    } catch (error) {
      // Another build was swapped in between our two renames: move it aside too and retry.
      if ((error.code !== 'ENOTEMPTY' && error.code !== 'EEXIST') || attempt >= 5) throw error;
    }
  }
  for (const old of olds) fs.rmSync(old, { recursive: true, force: true });
}

module.exports = { buildConsoleIfStale, consoleDir: outDir };
if (require.main === module) {
  buildConsoleIfStale().then(
    (result) => {
      if (result.built) process.stderr.write(`zhibing: console built in ${result.ms} ms\n`);
    },
    (error) => {
      process.stderr.write(`zhibing: console build failed: ${error.message}\n`);
      process.exit(1);
    },
  );
}
