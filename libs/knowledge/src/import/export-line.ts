import type { StoredKnowledgeItem } from '../store/knowledge.repository';
import type { ImportFormat } from './knowledge-records';

const csvField = (value: string) => (/[",\n\r]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);

/** One item in the given import format, so an export re-imports to the same knowledge. */
export function exportLine(format: ImportFormat, item: StoredKnowledgeItem): string {
  const source = item.source ? { source: item.source } : {};
  if (format === 'csv') return [item.question ?? '', item.answer ?? '', item.source ?? ''].map(csvField).join(',');
  if (format === 'qa') return JSON.stringify({ question: item.question, answer: item.answer, ...source });
  if (format === 'descriptions') return JSON.stringify({ entity: item.head, text: item.text ?? item.tail, ...source });
  return JSON.stringify({ head: item.head, relation: item.relation, tail: item.tail, ...source });
}
