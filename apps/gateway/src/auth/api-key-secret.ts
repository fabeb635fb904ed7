import { createHash, randomBytes } from 'node:crypto';
import type { ApiKeyScope } from '@zhibing/storage';

/** A new random key: `zb_<scope>_<43 chars of base64url>` (256 bits of entropy). */
export function generateApiKeySecret(scope: ApiKeyScope): string {
  return `zb_${scope}_${randomBytes(32).toString('base64url')}`;
}

/**
 * Keys are high-entropy random strings, so a fast unsalted SHA-256 is enough to store them: it
 * cannot be brute-forced and lets a key be found by its hash in one indexed lookup.
 */
export function hashApiKeySecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** What listings show of a key: enough to recognise it, too little to use it. */
export function apiKeyPrefix(secret: string): string {
  return secret.slice(0, secret.indexOf('_', 3) + 7);
}
