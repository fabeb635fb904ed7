import type { Caller } from '@zhibing/dialogue';
import type { Socket } from 'socket.io';
import type { ApiKeysService } from '../auth/api-keys.service';
import { AuthError } from '../auth/auth.errors';
import type { RateLimitsService } from '../limits/rate-limits.service';

/**
 * A socket's caller; widget callers carry their key, which their limits count against; admin
 * callers carry theirs as the operator they act as (take-over).
 */
export type SocketCaller = Caller & { widgetKeyId?: string; operatorKeyId?: string };

/**
 * Who a socket is: its handshake `auth.key` must be an admin/root key, or a widget key used
 * from one of its allowed origins. Throws an AuthError (auth_unauthorized / auth_forbidden).
 */
export async function authenticateSocket(
  socket: Socket,
  apiKeys: ApiKeysService,
  limits: RateLimitsService,
): Promise<SocketCaller> {
  const ip = limits.clientAddress(socket.request);
  // Per-IP limits on later events count against the same address.
  socket.data.ip = ip;
  await limits.assertAuthAllowed(ip);
  const key = (socket.handshake.auth as { key?: unknown } | undefined)?.key;
  const principal = typeof key === 'string' && key.length > 0 ? await apiKeys.verify(key) : null;
  // Kept to check the key again while the socket stays open (see ChatGateway: a revoked key stops working).
  socket.data.key = key;
  socket.data.keyCheckedAt = Date.now();
  if (!principal) {
    await limits.recordAuthFailure(ip);
    throw typeof key === 'string' && key.length > 0 ? AuthError.invalid() : AuthError.missing();
  }
  if (principal.scope !== 'widget')
    return { workspaceId: principal.workspaceId, channel: 'admin', operatorKeyId: principal.keyId };
  const origin = socket.handshake.headers.origin;
  const allowed =
    principal.allowedOrigins.includes('*') || (typeof origin === 'string' && principal.allowedOrigins.includes(origin));
  if (!allowed) throw AuthError.forbidden(`Origin ${origin ?? '(none)'} is not allowed for this widget key`);
  return {
    workspaceId: principal.workspaceId,
    personaIds: principal.personaIds,
    channel: 'widget',
    widgetKeyId: principal.keyId,
  };
}
