import type { ScenarioRecordView } from '@zhibing/protocol';

/**
 * The table's value columns: every field any record on the page has, in the order they first
 * appear (a form's slots in their order; a field added to the form later comes after them).
 */
export function recordColumns(records: Pick<ScenarioRecordView, 'data'>[]): string[] {
  const columns: string[] = [];
  for (const record of records)
    for (const key of Object.keys(record.data)) if (!columns.includes(key)) columns.push(key);
  return columns;
}
