// Runs a compiled entry point given by its TypeScript path: `node scripts/run-ts.js test/bench/run.ts`.
const path = require('node:path');
require('./build-if-stale').buildIfStale();
require('./register-paths');
const entry = process.argv[2];
process.argv.splice(2, 1);
require(path.join(__dirname, '..', 'dist', entry.replace(/\.ts$/, '.js')));
