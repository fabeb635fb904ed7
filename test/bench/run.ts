import 'reflect-metadata';
import { benches } from './benches';

/**
 * `npm run bench`: runs every benchmark (or those named on the command line) and prints numbers
 * with ratios against a baseline measured in the same run. Asserts nothing about time.
 */
async function main(): Promise<void> {
  const only = process.argv.slice(2);
  for (const bench of benches) {
    if (only.length > 0 ? !only.includes(bench.name) : bench.optIn) continue;
    console.log(`\n## ${bench.name}`);
    await bench.run();
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
