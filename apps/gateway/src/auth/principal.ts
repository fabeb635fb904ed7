import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { ApiKeyScope } from '@zhibing/storage';

/** Who is calling: the verified key's workspace, scope and limits. */
export interface Principal {
  keyId: string;
  workspaceId: string;
  scope: ApiKeyScope;
  personaIds: string[];
  allowedOrigins: string[];
}

/** Whether the principal may act on `workspaceId` (root reaches every workspace). */
export function canManageWorkspace(principal: Principal, workspaceId: string): boolean {
  return principal.scope === 'root' || (principal.scope === 'admin' && principal.workspaceId === workspaceId);
}

/** Injects the Principal that the auth guard attached to the request. */
export const CurrentPrincipal = createParamDecorator((_: unknown, context: ExecutionContext): Principal => {
  return context.switchToHttp().getRequest<{ principal: Principal }>().principal;
});
