import * as fs from 'node:fs';
import * as path from 'node:path';
import type { KdConvDialogue, KdConvKb } from '@zhibing/knowledge';

/** A KdConv domain from ../shared/data beside the repository (the data is not part of the repo). */
export function kdconvDomain(domain: 'travel' | 'film'): { kb: KdConvKb; dialogues: KdConvDialogue[] } {
  const dir = path.join(__dirname, '..', '..', '..', 'shared', 'data', `kdconv-${domain}`);
  const fallback = path.join('/work/shared/data', `kdconv-${domain}`);
  const found = fs.existsSync(path.join(dir, 'kb.json')) ? dir : fallback;
  return {
    kb: JSON.parse(fs.readFileSync(path.join(found, 'kb.json'), 'utf8')) as KdConvKb,
    dialogues: JSON.parse(fs.readFileSync(path.join(found, 'dev.json'), 'utf8')) as KdConvDialogue[],
  };
}
