import { enqueueOutbox } from '@zhibing/storage';
import type { EntityManager } from 'typeorm';
import type { Embedder } from '../embedding/embedder.port';
import type { KnowledgeRecord } from '../import/knowledge-records';
import { DESCRIPTION_RELATION, type KnowledgeItem } from '../knowledge.types';
import { itemText } from '../selection/knowledge-index';
import { contentHash } from './content-hash';
import { insertBatches } from './sql-batches';

export interface WriteResult {
  inserted: number;
  unchanged: number;
  itemIds: string[];
}

interface ItemRow {
  kind: 'qa' | 'description' | 'fact';
  question: string | null;
  answer: string | null;
  text: string | null;
  head: string | null;
  relation: string | null;
  tail: string | null;
  source: string | null;
  hash: string;
  tripleHash?: string;
  metadata?: Record<string, unknown>;
}

function itemRow(record: KnowledgeRecord): ItemRow {
  return { ...contentRow(record), metadata: record.metadata };
}

function contentRow(record: KnowledgeRecord): ItemRow {
  switch (record.type) {
    case 'qa':
      return {
        kind: 'qa',
        question: record.question,
        answer: record.answer,
        text: null,
        head: null,
        relation: null,
        tail: null,
        source: record.source ?? null,
        hash: contentHash('qa', record.question, record.answer),
      };
    case 'description':
      return {
        kind: 'description',
        question: null,
        answer: null,
        text: record.text,
        head: record.entity,
        relation: DESCRIPTION_RELATION,
        tail: record.text,
        source: record.source ?? null,
        hash: contentHash('description', record.entity, record.text),
      };
    case 'triple': {
      const tripleHash = contentHash(record.head, record.relation, record.tail);
      return {
        kind: 'fact',
        question: null,
        answer: null,
        text: null,
        head: record.head,
        relation: record.relation,
        tail: record.tail,
        source: record.source ?? null,
        hash: contentHash('fact', tripleHash),
        tripleHash,
      };
    }
  }
}

function asItem(id: string, row: ItemRow): KnowledgeItem {
  const item: KnowledgeItem = { id, kind: row.kind };
  for (const key of ['question', 'answer', 'text', 'head', 'relation', 'tail'] as const)
    if (row[key] !== null) item[key] = row[key]!;
  return item;
}

/**
 * Writes validated records into one knowledge base inside the caller's transaction: entities,
 * graph edges, items with their embeddings, and outbox rows for the
 * configured projections. Content hashes make it idempotent: a record already stored is skipped.
 */
export async function writeRecords(
  manager: EntityManager,
  knowledgeBaseId: string,
  records: KnowledgeRecord[],
  tools: { embedder: Embedder; projections: string[]; vectorColumn: 'vector' | 'real[]' },
): Promise<WriteResult> {
  const unique = new Map<string, ItemRow>();
  for (const record of records) {
    const row = itemRow(record);
    if (!unique.has(row.hash)) unique.set(row.hash, row);
  }
  const rows = [...unique.values()];

  // Entities: every head and described entity.
  const names = [...new Set(rows.flatMap((r) => (r.head ? [r.head] : [])))];
  await insertBatches(
    manager,
    names.map((name) => [knowledgeBaseId, name]),
    (values) =>
      `INSERT INTO entities (knowledge_base_id, name) VALUES ${values} ON CONFLICT (knowledge_base_id, name) DO NOTHING`,
  );
  const entityIds = new Map<string, string>();
  if (names.length > 0) {
    const found: { id: string; name: string }[] = await manager.query(
      `SELECT id, name FROM entities WHERE knowledge_base_id = $1 AND name = ANY($2)`,
      [knowledgeBaseId, names],
    );
    for (const entity of found) entityIds.set(entity.name, entity.id);
  }

  // Graph edges for facts.
  const facts = rows.filter((r) => r.kind === 'fact');
  await insertBatches(
    manager,
    facts.map((f) => [knowledgeBaseId, entityIds.get(f.head!), f.relation, f.tail, f.source, f.tripleHash]),
    (values) =>
      `INSERT INTO relations (knowledge_base_id, head_entity_id, relation, tail_literal, source, content_hash) VALUES ${values}
     ON CONFLICT (knowledge_base_id, content_hash) DO NOTHING`,
  );
  const relationIds = new Map<string, string>();
  if (facts.length > 0) {
    const found: { id: string; content_hash: string }[] = await manager.query(
      `SELECT id, content_hash FROM relations WHERE knowledge_base_id = $1 AND content_hash = ANY($2)`,
      [knowledgeBaseId, facts.map((f) => f.tripleHash)],
    );
    for (const relation of found) relationIds.set(relation.content_hash, relation.id);
  }

  // Items. (No segmented text or full-text index: selection's in-memory BM25 serves lexical search.)
  const inserted = await insertBatches<{ id: string; content_hash: string }>(
    manager,
    rows.map((r) => [
      knowledgeBaseId,
      r.kind,
      r.question,
      r.answer,
      r.text,
      r.head,
      r.relation,
      r.tail,
      r.head ? entityIds.get(r.head) : null,
      r.tripleHash ? relationIds.get(r.tripleHash) : null,
      r.source,
      r.hash,
      JSON.stringify(r.metadata ?? {}),
    ]),
    (values) => `WITH added AS (
       INSERT INTO knowledge_items (knowledge_base_id, kind, question, answer, text, head, relation, tail, entity_id, relation_id, source, content_hash, metadata)
       VALUES ${values} ON CONFLICT (knowledge_base_id, content_hash) DO NOTHING RETURNING id, content_hash)
     SELECT * FROM added`,
    { casts: ['', '', '', '', '', '', '', '', '', '', '', '', '::jsonb'] },
  );
  const byHash = new Map(rows.map((r) => [r.hash, r]));

  // Embeddings of the new items, with the configured embedder, from the text selection searches by.
  const vectors = await tools.embedder.embed(
    inserted.map((item) => itemText(asItem(item.id, byHash.get(item.content_hash)!))),
  );
  await insertBatches(
    manager,
    inserted.map((item, i) => {
      const vector = Array.from(vectors[i]);
      return [
        item.id,
        tools.embedder.id,
        knowledgeBaseId,
        tools.vectorColumn === 'vector' ? `[${vector.join(',')}]` : vector,
      ];
    }),
    (values) =>
      `INSERT INTO knowledge_embeddings (item_id, embedder, knowledge_base_id, embedding) VALUES ${values} ON CONFLICT DO NOTHING`,
    { batch: 200, casts: ['', '', '', tools.vectorColumn === 'vector' ? '::vector' : '::real[]'] },
  );

  // Edges now point at tail entities that exist in this knowledge base: the new edges, and the
  // old ones that name an entity of this batch (only a write's heads can be new entities). Both
  // by index, so one added fact does not scan every edge of a large base.
  if (facts.length > 0) {
    await manager.query(
      `UPDATE relations r SET tail_entity_id = e.id FROM entities e
       WHERE r.knowledge_base_id = $1 AND r.content_hash = ANY($2) AND r.tail_entity_id IS NULL
         AND e.knowledge_base_id = $1 AND e.name = r.tail_literal`,
      [knowledgeBaseId, facts.map((f) => f.tripleHash)],
    );
  }
  if (names.length > 0) {
    await manager.query(
      `UPDATE relations r SET tail_entity_id = e.id FROM entities e
       WHERE e.knowledge_base_id = $1 AND e.name = ANY($2)
         AND r.tail_literal = e.name AND r.knowledge_base_id = $1 AND r.tail_entity_id IS NULL`,
      [knowledgeBaseId, names],
    );
  }

  const itemIds = inserted.map((i) => i.id);
  for (const target of tools.projections) {
    for (let start = 0; start < itemIds.length; start += 500) {
      await enqueueOutbox(manager, [
        {
          target,
          topic: 'knowledge.upserted',
          aggregateId: knowledgeBaseId,
          payload: { itemIds: itemIds.slice(start, start + 500) },
        },
      ]);
    }
  }
  return { inserted: itemIds.length, unchanged: rows.length - itemIds.length, itemIds };
}
