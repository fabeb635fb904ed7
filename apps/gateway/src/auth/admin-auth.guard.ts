import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { RateLimitsService } from '../limits/rate-limits.service';
import { ApiKeysService } from './api-keys.service';
import { type AuthenticatedRequest, authenticateAdminRequest } from './authenticate-admin-request';

/**
 * Lets a request through only with `Authorization: Bearer <key>` of a root or admin key, and
 * attaches the Principal to the request. The auth-before-body middleware has normally checked
 * the key already (before the body was read); the guard reuses its Principal, and checks itself
 * wherever that middleware is not mounted.
 */
@Injectable()
export class AdminAuthGuard implements CanActivate {
  constructor(
    private readonly apiKeys: ApiKeysService,
    private readonly limits: RateLimitsService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    await authenticateAdminRequest(
      context.switchToHttp().getRequest<AuthenticatedRequest>(),
      this.apiKeys,
      this.limits,
    );
    return true;
  }
}
