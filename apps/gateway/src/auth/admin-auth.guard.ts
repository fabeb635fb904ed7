import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { ApiKeysService } from './api-keys.service';
import { AuthError } from './auth.errors';
import type { Principal } from './principal';

/**
 * Lets a request through only with `Authorization: Bearer <key>` of a root or admin key, and
 * attaches the Principal to the request. Widget keys are for the chat socket only.
 */
@Injectable()
export class AdminAuthGuard implements CanActivate {
  constructor(private readonly apiKeys: ApiKeysService) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context
      .switchToHttp()
      .getRequest<{ headers: Record<string, string | undefined>; principal?: Principal }>();
    const header = request.headers.authorization ?? '';
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!match) throw AuthError.missing();
    const principal = await this.apiKeys.verify(match[1]);
    if (!principal) throw AuthError.invalid();
    if (principal.scope === 'widget') throw AuthError.forbidden('A widget key cannot use the admin API');
    request.principal = principal;
    return true;
  }
}
