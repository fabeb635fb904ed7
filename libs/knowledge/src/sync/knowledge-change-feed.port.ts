/** A knowledge base changed to `version` (−1: it was deleted). */
export type KnowledgeChangeListener = (knowledgeBaseId: string, version: number) => void;

/**
 * Where a gateway hears of knowledge changes made anywhere (this process or another one) as soon
 * as they commit. Delivery is best effort: the index cache also checks versions now and then.
 */
export interface KnowledgeChangeFeed {
  /** Starts listening; `onConnected` runs after every (re)connection, when notices may have been missed. */
  start(listener: KnowledgeChangeListener, onConnected: () => void): void;
  /** Tells listeners in this process of a committed change (a Postgres server sends NOTIFY itself). */
  publish(knowledgeBaseId: string, version: number): void;
  close(): Promise<void>;
}
