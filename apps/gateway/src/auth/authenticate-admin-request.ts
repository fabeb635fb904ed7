import type { RateLimitsService } from '../limits/rate-limits.service';
import type { ApiKeysService } from './api-keys.service';
import { AuthError } from './auth.errors';
import type { Principal } from './principal';

/** The parts of an HTTP request that authentication reads. */
export interface AuthenticatedRequest {
  headers: Record<string, string | string[] | undefined>;
  ip?: string;
  principal?: Principal;
}

/**
 * The admin API's check: `Authorization: Bearer <key>` of a root or admin key, from a client IP
 * not refused for too many wrong keys. Attaches and returns the Principal; throws AuthError
 * (or RateLimitedError) otherwise. Widget keys are for the chat socket only.
 */
export async function authenticateAdminRequest(
  request: AuthenticatedRequest,
  apiKeys: ApiKeysService,
  limits: RateLimitsService,
): Promise<Principal> {
  if (request.principal) return request.principal;
  const ip = request.ip ?? 'unknown';
  await limits.assertAuthAllowed(ip);
  const header = request.headers.authorization;
  const match = typeof header === 'string' ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
  const principal = match ? await apiKeys.verify(match[1]) : null;
  if (!principal) {
    await limits.recordAuthFailure(ip);
    throw match ? AuthError.invalid() : AuthError.missing();
  }
  if (principal.scope === 'widget') throw AuthError.forbidden('A widget key cannot use the admin API');
  request.principal = principal;
  return principal;
}
