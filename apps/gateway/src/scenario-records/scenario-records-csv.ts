import type { ScenarioRecordView } from '@zhibing/protocol';

const FIXED = ['id', 'conversationId', 'personaId', 'kind', 'createdAt'] as const;

/** RFC 4180: quote a field holding a comma, quote or line break; a leading =+-@ is guarded (spreadsheets). */
function csvField(value: string): string {
  const guarded = /^[=+\-@]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(guarded) || guarded !== value ? `"${guarded.replace(/"/g, '""')}"` : guarded;
}

/**
 * Records as CSV: the fixed columns, then one column per data field (in the order fields first
 * appear), so a registration's name, phone and host each get a column a spreadsheet can sort.
 */
export function scenarioRecordsCsv(records: ScenarioRecordView[]): string {
  const fields = [...new Set(records.flatMap((r) => Object.keys(r.data)))];
  const lines = [[...FIXED, ...fields].map(csvField).join(',')];
  for (const record of records)
    lines.push([...FIXED.map((c) => record[c]), ...fields.map((f) => record.data[f] ?? '')].map(csvField).join(','));
  return `${lines.join('\r\n')}\r\n`;
}
