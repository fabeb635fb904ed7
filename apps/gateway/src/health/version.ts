import * as fs from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from '../common/repo-root';

/** The platform's version, from the root package.json. */
export const version = (
  JSON.parse(fs.readFileSync(path.join(repoRoot(), 'package.json'), 'utf8')) as { version: string }
).version;
