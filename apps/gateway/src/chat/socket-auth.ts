import type { Caller } from '@zhibing/dialogue';
import type { Socket } from 'socket.io';
import type { ApiKeysService } from '../auth/api-keys.service';
import { AuthError } from '../auth/auth.errors';

/**
 * Who a socket is: its handshake `auth.key` must be an admin/root key, or a widget key used
 * from one of its allowed origins. Throws an AuthError (auth_unauthorized / auth_forbidden).
 */
export async function authenticateSocket(socket: Socket, apiKeys: ApiKeysService): Promise<Caller> {
  const key = (socket.handshake.auth as { key?: unknown } | undefined)?.key;
  if (typeof key !== 'string' || key.length === 0) throw AuthError.missing();
  const principal = await apiKeys.verify(key);
  if (!principal) throw AuthError.invalid();
  if (principal.scope !== 'widget') return { workspaceId: principal.workspaceId, channel: 'admin' };
  const origin = socket.handshake.headers.origin;
  const allowed =
    principal.allowedOrigins.includes('*') || (typeof origin === 'string' && principal.allowedOrigins.includes(origin));
  if (!allowed) throw AuthError.forbidden(`Origin ${origin ?? '(none)'} is not allowed for this widget key`);
  return { workspaceId: principal.workspaceId, personaIds: principal.personaIds, channel: 'widget' };
}
