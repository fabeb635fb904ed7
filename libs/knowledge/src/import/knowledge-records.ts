import { z } from 'zod';

const text = (max: number) =>
  z.string().trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`);
const source = z.string().trim().max(500).optional();

export const qaRecordSchema = z.object({ question: text(2000), answer: text(8000), source }).strict();
export const tripleRecordSchema = z.object({ head: text(200), relation: text(100), tail: text(8000), source }).strict();
export const descriptionRecordSchema = z.object({ entity: text(200), text: text(20000), source }).strict();

/**
 * One validated line of an import file, as stored. `metadata` is kept with the item (a document's
 * passage carries its document, section path and index) and is not part of its identity.
 */
export type KnowledgeRecord = (
  | ({ type: 'qa' } & z.infer<typeof qaRecordSchema>)
  | ({ type: 'triple' } & z.infer<typeof tripleRecordSchema>)
  | ({ type: 'description' } & z.infer<typeof descriptionRecordSchema>)
) & { metadata?: Record<string, unknown> };

export type ImportFormat = 'qa' | 'triples' | 'descriptions' | 'csv';
export const IMPORT_FORMATS: ImportFormat[] = ['qa', 'triples', 'descriptions', 'csv'];

export interface RejectedLine {
  line: number;
  reason: string;
}
