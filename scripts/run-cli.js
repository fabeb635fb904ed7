// `npm run -s cli -- <command>`: builds when sources changed, then runs the compiled CLI.
require('./build-if-stale').buildIfStale();
require('./register-paths');
require('../dist/apps/cli/src/main');
