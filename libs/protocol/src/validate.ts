import type { z } from 'zod';
import { ValidationError } from './errors';

/**
 * Text that no store can keep as it is: U+0000 (Postgres text cannot hold it) and lone surrogates
 * (not Unicode). Found anywhere in an input, with the path to it.
 */
export function unstorableText(input: unknown, path: string[] = [], found: { path: string; message: string }[] = []) {
  if (typeof input === 'string') {
    if (input.includes('\u0000'))
      found.push({ path: path.join('.'), message: 'contains U+0000 (NUL), which cannot be stored' });
    else if (!input.isWellFormed())
      found.push({ path: path.join('.'), message: 'is not well-formed Unicode (a lone surrogate)' });
  } else if (Array.isArray(input)) {
    input.forEach((value, i) => unstorableText(value, [...path, String(i)], found));
  } else if (input && typeof input === 'object') {
    for (const [key, value] of Object.entries(input)) unstorableText(value, [...path, key], found);
  }
  return found;
}

/**
 * Parses `input` with `schema`, or throws ValidationError listing every bad field, text that
 * cannot be stored (U+0000, lone surrogates) included.
 */
export function validate<S extends z.ZodType>(schema: S, input: unknown, code?: string): z.infer<S> {
  const unstorable = unstorableText(input);
  const result = schema.safeParse(input);
  if (result.success && unstorable.length === 0) return result.data;
  const issues = result.success
    ? []
    : result.error.issues.map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message }));
  throw new ValidationError([...unstorable, ...issues], code);
}
