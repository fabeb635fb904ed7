import * as path from 'node:path';
import type { Command } from 'commander';
import { ANSWER_THRESHOLD, calibrateThreshold } from '@zhibing/dialogue';

const pct = (x: number) => `${(100 * x).toFixed(1)}%`.padStart(7);

export function registerEvalCalibrateCommand(evaluation: Command): void {
  evaluation
    .command('calibrate')
    .description(
      'Calibrates the "I don\'t know" threshold on KdConv dev data (questions with and without the knowledge they used)',
    )
    .option('--data-dir <folder>', 'folder with kdconv-<domain>/{kb.json,dev.json}', path.join('..', 'shared', 'data'))
    .option('--domains <list>', 'comma-separated domains', 'travel,film')
    .action((options: { dataDir: string; domains: string }) => {
      const dirs = options.domains.split(',').map((d) => path.join(options.dataDir, `kdconv-${d.trim()}`));
      const calibration = calibrateThreshold(dirs);
      process.stdout.write(`${calibration.positives} questions, each with and without the knowledge it used\n`);
      process.stdout.write('threshold  answered  declined  balanced\n');
      for (const p of calibration.points) {
        const mark =
          p.threshold === calibration.best.threshold
            ? '  ← best'
            : p.threshold === ANSWER_THRESHOLD
              ? '  ← in use'
              : '';
        process.stdout.write(
          `${p.threshold.toFixed(2).padStart(9)}  ${pct(p.answered)}   ${pct(p.declined)}   ${pct(p.balanced)}${mark}\n`,
        );
      }
      process.stdout.write(`best ${calibration.best.threshold} (in use: ${ANSWER_THRESHOLD})\n`);
    });
}
