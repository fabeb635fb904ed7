import { ZhibingError } from '@zhibing/protocol';
import { json, type NextFunction, type Request, type Response } from 'express';

/**
 * JSON body parsing with errors the problem filter understands: malformed JSON becomes
 * `json_invalid` (400) and an oversized body `body_too_large` (413), instead of raw parser errors.
 */
export function jsonBodyMiddleware(limit: string) {
  const parse = json({ limit });
  return (request: Request, response: Response, next: NextFunction): void => {
    parse(request, response, (error?: unknown) => {
      if (!error) return next();
      const type = (error as { type?: string }).type;
      if (type === 'entity.parse.failed')
        return next(new ZhibingError('json_invalid', 'The request body is not valid JSON'));
      if (type === 'entity.too.large')
        return next(new ZhibingError('body_too_large', `The request body is larger than ${limit}`));
      next(error);
    });
  };
}
