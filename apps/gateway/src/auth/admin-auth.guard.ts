import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { RateLimitsService } from '../limits/rate-limits.service';
import { ApiKeysService } from './api-keys.service';
import { AuthError } from './auth.errors';
import type { Principal } from './principal';

/**
 * Lets a request through only with `Authorization: Bearer <key>` of a root or admin key, and
 * attaches the Principal to the request. Widget keys are for the chat socket only.
 */
@Injectable()
export class AdminAuthGuard implements CanActivate {
  constructor(
    private readonly apiKeys: ApiKeysService,
    private readonly limits: RateLimitsService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context
      .switchToHttp()
      .getRequest<{ headers: Record<string, string | undefined>; ip?: string; principal?: Principal }>();
    const ip = request.ip ?? 'unknown';
    await this.limits.assertAuthAllowed(ip);
    const header = request.headers.authorization ?? '';
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    const principal = match ? await this.apiKeys.verify(match[1]) : null;
    if (!principal) {
      await this.limits.recordAuthFailure(ip);
      throw match ? AuthError.invalid() : AuthError.missing();
    }
    if (principal.scope === 'widget') throw AuthError.forbidden('A widget key cannot use the admin API');
    request.principal = principal;
    return true;
  }
}
