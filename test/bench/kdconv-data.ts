import * as fs from 'node:fs';
import * as path from 'node:path';

/** ../shared/data/kdconv-travel, beside the repository (the data is not part of the repo). */
export function kdconvDir(): string {
  for (const candidate of [
    path.join(process.cwd(), '..', 'shared', 'data', 'kdconv-travel'),
    path.join(__dirname, '..', '..', '..', '..', 'shared', 'data', 'kdconv-travel'),
  ]) {
    if (fs.existsSync(path.join(candidate, 'kb.json'))) return candidate;
  }
  throw new Error('KdConv data not found: expected ../shared/data/kdconv-travel beside the repository');
}
