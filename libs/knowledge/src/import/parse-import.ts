import { parse as parseCsv } from 'csv-parse/sync';
import type { z } from 'zod';
import { ZhibingError } from '@zhibing/protocol';
import { DESCRIPTION_RELATION } from '../knowledge.types';
import {
  descriptionRecordSchema,
  type ImportFormat,
  type KnowledgeRecord,
  qaRecordSchema,
  type RejectedLine,
  tripleRecordSchema,
} from './knowledge-records';

export interface ParsedImport {
  records: { line: number; record: KnowledgeRecord }[];
  rejected: RejectedLine[];
}

const describeIssues = (error: z.ZodError) =>
  error.issues.map((i) => `${i.path.join('.') || 'line'} ${i.message}`).join('; ');

function toRecord(format: ImportFormat, value: unknown): { record?: KnowledgeRecord; reason?: string } {
  if (format === 'qa' || format === 'csv') {
    const parsed = qaRecordSchema.safeParse(value);
    return parsed.success ? { record: { type: 'qa', ...parsed.data } } : { reason: describeIssues(parsed.error) };
  }
  if (format === 'triples') {
    const parsed = tripleRecordSchema.safeParse(value);
    if (!parsed.success) return { reason: describeIssues(parsed.error) };
    // A triple whose relation is "Information" (KdConv) is a background description of its head.
    if (parsed.data.relation === DESCRIPTION_RELATION)
      return {
        record: { type: 'description', entity: parsed.data.head, text: parsed.data.tail, source: parsed.data.source },
      };
    return { record: { type: 'triple', ...parsed.data } };
  }
  const parsed = descriptionRecordSchema.safeParse(value);
  return parsed.success
    ? { record: { type: 'description', ...parsed.data } }
    : { reason: describeIssues(parsed.error) };
}

/** KdConv's kb.json: one JSON object mapping each entity to its [head, relation, tail] triples. */
function kdconvObject(content: string): unknown[] | null {
  const trimmed = content.trimStart();
  if (!trimmed.startsWith('{')) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(content);
  } catch {
    return null; // Not one JSON document: JSON Lines.
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return null;
  const values = Object.values(parsed as Record<string, unknown>);
  if (!values.every((v) => Array.isArray(v))) return null;
  return values.flatMap((triples) =>
    (triples as unknown[]).map((t) =>
      Array.isArray(t) && t.length === 3 ? { head: t[0], relation: t[1], tail: t[2] } : t,
    ),
  );
}

/**
 * Parses and validates an import file line by line: every bad line is reported with its number
 * and reason, the good ones are returned. Formats: JSON Lines of QA pairs, triples or
 * descriptions; CSV of QA pairs (header `question,answer[,source]`); for triples also KdConv's
 * kb.json object.
 */
export function parseImport(format: ImportFormat, text: string): ParsedImport {
  if (text.includes('\u0000'))
    throw new ZhibingError('import_invalid', 'The file is binary (it holds NUL bytes), not a text import file');
  // A byte-order mark (as Windows editors write) is not part of the first line.
  const content = text.replace(/^\uFEFF/, '');
  const records: ParsedImport['records'] = [];
  const rejected: RejectedLine[] = [];
  const accept = (line: number, value: unknown) => {
    const { record, reason } = toRecord(format, value);
    if (record) records.push({ line, record });
    else rejected.push({ line, reason: reason ?? 'invalid' });
  };

  if (format === 'csv') {
    let rows: Record<string, string>[];
    try {
      rows = parseCsv(content, {
        columns: true,
        skip_empty_lines: true,
        trim: true,
        bom: true,
        relax_column_count: true,
      });
    } catch (error) {
      throw new ZhibingError('import_invalid', `CSV could not be read: ${(error as Error).message}`);
    }
    rows.forEach((row, i) => accept(i + 2, Object.fromEntries(Object.entries(row).filter(([, v]) => v !== ''))));
    return { records, rejected };
  }

  if (format === 'triples') {
    const kdconv = kdconvObject(content);
    if (kdconv) {
      kdconv.forEach((value, i) => accept(i + 1, value));
      return { records, rejected };
    }
  }

  content.split(/\r?\n/).forEach((raw, i) => {
    if (raw.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch {
      rejected.push({ line: i + 1, reason: 'not valid JSON' });
      return;
    }
    accept(i + 1, value);
  });
  return { records, rejected };
}
