import * as fs from 'node:fs';
import * as path from 'node:path';

function findPackageVersion(): string {
  // Walk up from this file (source or dist/) to the repository's package.json.
  for (let dir = __dirname; dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'package.json');
    if (fs.existsSync(candidate)) {
      const pkg = JSON.parse(fs.readFileSync(candidate, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'zhibing') return pkg.version ?? '0.0.0';
    }
  }
  return '0.0.0';
}

/** The platform's version, from the root package.json. */
export const version = findPackageVersion();
