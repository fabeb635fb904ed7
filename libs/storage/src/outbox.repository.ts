import type { EntityManager } from 'typeorm';

export interface OutboxMessage {
  /** The projection that must apply it, e.g. `qdrant` or `neo4j`. */
  target: string;
  topic: string;
  aggregateId: string;
  payload: unknown;
}

/**
 * Records changes for projections inside the caller's transaction: either the change and its
 * outbox rows commit together, or neither does.
 */
export async function enqueueOutbox(manager: EntityManager, messages: OutboxMessage[]): Promise<void> {
  if (messages.length === 0) return;
  const values: unknown[] = [];
  const rows = messages.map((m, i) => {
    values.push(m.target, m.topic, m.aggregateId, JSON.stringify(m.payload));
    return `($${i * 4 + 1}, $${i * 4 + 2}, $${i * 4 + 3}, $${i * 4 + 4}::jsonb)`;
  });
  await manager.query(`INSERT INTO outbox (target, topic, aggregate_id, payload) VALUES ${rows.join(', ')}`, values);
}
