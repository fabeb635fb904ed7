import { MAX_AVATAR_BYTES } from '@zhibing/protocol';
import { PersonaError } from './persona.errors';

export type AvatarMediaType = 'image/png' | 'image/jpeg' | 'image/webp';

/**
 * The media type of an avatar image read from its first bytes (never from what the client
 * claims: a served avatar's Content-Type must be true). Anything else is a typed error.
 */
export function avatarMediaType(bytes: Uint8Array): AvatarMediaType {
  if (bytes.length > MAX_AVATAR_BYTES)
    throw new PersonaError('avatar_too_large', `An avatar may be at most ${MAX_AVATAR_BYTES / 1024 / 1024} MiB`);
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, 12));
  if (b.length >= 8 && b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])))
    return 'image/png';
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'image/jpeg';
  if (b.length >= 12 && b.toString('latin1', 0, 4) === 'RIFF' && b.toString('latin1', 8, 12) === 'WEBP')
    return 'image/webp';
  throw new PersonaError('avatar_type_invalid', 'An avatar must be a PNG, JPEG or WebP image');
}
