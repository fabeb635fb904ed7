import type { FieldIssue } from '../api/api-client';

/** Issues keyed by field path ("name", "examples.0.user"); the same shape from the schema and the API. */
export type FieldErrors = Record<string, string[]>;

export function groupIssues(issues: FieldIssue[]): FieldErrors {
  const grouped: FieldErrors = {};
  for (const issue of issues) (grouped[issue.path] ??= []).push(issue.message);
  return grouped;
}

/** Messages for a field and anything inside it ("fallback" also shows "fallback.2"). */
export function errorsFor(errors: FieldErrors, field: string): string[] {
  return Object.entries(errors)
    .filter(([path]) => path === field || path.startsWith(`${field}.`))
    .flatMap(([, messages]) => messages);
}

/** Issues that no field on the form shows, so they are listed above it instead of being lost. */
export function unplacedIssues(errors: FieldErrors, fields: string[]): string[] {
  return Object.entries(errors)
    .filter(([path]) => !fields.some((field) => path === field || path.startsWith(`${field}.`)))
    .flatMap(([path, messages]) => messages.map((m) => `${path || '(root)'}: ${m}`));
}
