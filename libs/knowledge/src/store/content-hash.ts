import { createHash } from 'node:crypto';

/** Identity of a piece of knowledge by its content, which makes re-imports idempotent. */
export function contentHash(...parts: (string | undefined)[]): string {
  return createHash('sha1')
    .update(parts.map((p) => p ?? '').join('\u241f'))
    .digest('hex');
}
