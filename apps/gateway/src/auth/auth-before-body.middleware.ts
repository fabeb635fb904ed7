import type { NextFunction, Request, Response } from 'express';
import type { RateLimitsService } from '../limits/rate-limits.service';
import type { ApiKeysService } from './api-keys.service';
import { authenticateAdminRequest } from './authenticate-admin-request';

/**
 * Checks the API key of an admin-API request before its body is read or parsed, so a client
 * without a valid key cannot make the gateway buffer up to 50 MB. A refused request that still
 * has a body on the way gets `Connection: close`: the socket is closed after the answer instead
 * of the rest of the upload being read and thrown away.
 */
export function authBeforeBodyMiddleware(apiKeys: ApiKeysService, limits: RateLimitsService) {
  return (request: Request, response: Response, next: NextFunction): void => {
    if (isPublicRoute(request)) return next();
    authenticateAdminRequest(request, apiKeys, limits).then(
      () => next(),
      (error: unknown) => {
        if (!request.complete) response.setHeader('connection', 'close');
        next(error);
      },
    );
  };
}

/** Persona avatars are public (a widget on any site shows them): GET /v1/personas/:id/avatar. */
function isPublicRoute(request: Request): boolean {
  return (request.method === 'GET' || request.method === 'HEAD') && /^\/personas\/[^/]+\/avatar$/.test(request.path);
}
