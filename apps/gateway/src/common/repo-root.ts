import * as fs from 'node:fs';
import * as path from 'node:path';

let cached: string | undefined;

/** The repository root (where package.json names "zhibing"), from source or from dist/. */
export function repoRoot(): string {
  if (cached) return cached;
  for (let dir = __dirname; dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'package.json');
    if (
      fs.existsSync(candidate) &&
      (JSON.parse(fs.readFileSync(candidate, 'utf8')) as { name?: string }).name === 'zhibing'
    ) {
      cached = dir;
      return dir;
    }
  }
  throw new Error('zhibing: cannot find the repository root (package.json)');
}
