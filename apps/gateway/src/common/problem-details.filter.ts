import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import { ZhibingError } from '@zhibing/protocol';
import type { Request, Response } from 'express';
import { isDatabaseOutage } from './database-outage';
import { codeForHttpStatus, httpStatusForCode } from './http-status-for-code';

export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  code: string;
  detail?: string;
  instance?: string;
  correlationId?: string;
  [extension: string]: unknown;
}

/**
 * The one place HTTP errors are shaped: every error leaves as application/problem+json with a
 * stable `code`. Typed errors keep their message; unknown errors become a generic 500 whose
 * correlation id ties the response to the logged stack, so nothing internal leaks to the client.
 */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw exception;
    const request = host.switchToHttp().getRequest<Request & { id?: string }>();
    const response = host.switchToHttp().getResponse<Response>();
    const problem = this.toProblem(exception);
    problem.instance = request.originalUrl ?? request.url;
    problem.correlationId = String(request.id ?? '');
    if (problem.status >= 500) {
      this.logger.error(
        { err: exception, correlationId: problem.correlationId, path: problem.instance },
        'request failed',
      );
    }
    if (response.headersSent) {
      response.end();
      return;
    }
    // A rate limit says when to come back, in the header HTTP clients read.
    if (typeof problem.retryAfterMs === 'number')
      response.setHeader('retry-after', String(Math.ceil(problem.retryAfterMs / 1000)));
    response.status(problem.status).type('application/problem+json').send(JSON.stringify(problem));
  }

  private toProblem(exception: unknown): ProblemDetails {
    if (exception instanceof ZhibingError) {
      const status = httpStatusForCode(exception.code);
      const base =
        status >= 500 && !exception.code.endsWith('_unavailable') && !exception.code.endsWith('_not_configured')
          ? undefined
          : exception.message;
      return {
        type: `urn:zhibing:error:${exception.code}`,
        title: titleFor(status),
        status,
        code: exception.code,
        detail: base ?? 'Internal error',
        ...exception.details,
      };
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const body = exception.getResponse();
      const custom =
        typeof body === 'object' && body !== null && 'code' in body
          ? String((body as { code: unknown }).code)
          : undefined;
      const code = custom ?? codeForHttpStatus(status);
      const detail =
        typeof body === 'string'
          ? body
          : Array.isArray((body as { message?: unknown }).message)
            ? (body as { message: string[] }).message.join('; ')
            : String((body as { message?: unknown }).message ?? exception.message);
      return { type: `urn:zhibing:error:${code}`, title: titleFor(status), status, code, detail };
    }
    // Body-parser and other Express middleware errors carry an HTTP status of their own.
    const status =
      (exception as { status?: unknown; statusCode?: unknown })?.status ??
      (exception as { statusCode?: unknown })?.statusCode;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      const parseFailed = (exception as { type?: string }).type === 'entity.parse.failed';
      const code = parseFailed ? 'json_invalid' : codeForHttpStatus(status);
      return {
        type: `urn:zhibing:error:${code}`,
        title: titleFor(status),
        status,
        code,
        detail: parseFailed ? 'The request body is not valid JSON' : (exception as Error).message,
      };
    }
    if (isDatabaseOutage(exception)) {
      return {
        type: 'urn:zhibing:error:database_unavailable',
        title: titleFor(503),
        status: 503,
        code: 'database_unavailable',
        detail: 'The database cannot be reached; nothing was stored, try again',
      };
    }
    return {
      type: 'urn:zhibing:error:internal_error',
      title: titleFor(500),
      status: 500,
      code: 'internal_error',
      detail: 'Internal error',
    };
  }
}

function titleFor(status: number): string {
  const titles: Record<number, string> = {
    400: 'Bad Request',
    401: 'Unauthorized',
    403: 'Forbidden',
    404: 'Not Found',
    405: 'Method Not Allowed',
    409: 'Conflict',
    413: 'Payload Too Large',
    415: 'Unsupported Media Type',
    429: 'Too Many Requests',
    500: 'Internal Server Error',
    503: 'Service Unavailable',
    504: 'Gateway Timeout',
  };
  return titles[status] ?? 'Error';
}
