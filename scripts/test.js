// `npm test`: the whole suite (unit + e2e, embedded PGlite and the Postgres server), then one
// closing line "N passed, N failed" that CI reads.
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

// The services the suite needs (Postgres, Redis, chromium): started or installed when missing.
// ZHIBING_TEST_SERVICES=skip leaves that to the caller (e.g. TEST_DATABASE_URL pointing elsewhere).
if (process.env.ZHIBING_TEST_SERVICES !== 'skip') {
  const services = spawnSync('bash', [path.join(__dirname, 'test-services.sh')], { stdio: 'inherit' });
  if (services.status !== 0) process.exit(services.status ?? 1);
}

// The widget the gateway serves at /widget.js (widget, console and take-over tests load it).
const widget = spawnSync(process.execPath, [path.join(__dirname, 'build-widget.js')], { stdio: 'inherit' });
if (widget.status !== 0) process.exit(widget.status ?? 1);

const report = path.join(os.tmpdir(), `zhibing-jest-${process.pid}.json`);
const jest = require.resolve('jest/bin/jest');
const args = [jest, '--json', `--outputFile=${report}`, ...process.argv.slice(2)];
const env = {
  ...process.env,
  NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --experimental-vm-modules --no-warnings`.trim(),
};
const run = spawnSync(process.execPath, args, { stdio: 'inherit', env, cwd: path.join(__dirname, '..') });

let summary = null;
try {
  summary = JSON.parse(fs.readFileSync(report, 'utf8'));
  fs.unlinkSync(report);
} catch {
  /* jest crashed before writing */
}
if (summary) {
  const skipped = summary.numPendingTests + summary.numTodoTests;
  console.log(
    `\n${summary.numPassedTests} passed, ${summary.numFailedTests} failed${skipped ? `, ${skipped} skipped` : ''}`,
  );
}
process.exit(run.status ?? 1);
