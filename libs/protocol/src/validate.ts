import type { z } from 'zod';
import { ValidationError } from './errors';

/** Parses `input` with `schema`, or throws ValidationError listing every bad field. */
export function validate<S extends z.ZodType>(schema: S, input: unknown, code?: string): z.infer<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw new ValidationError(
    result.error.issues.map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message })),
    code,
  );
}
