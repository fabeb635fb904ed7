import { EventEmitter } from 'node:events';
import type { KnowledgeChangeFeed, KnowledgeChangeListener } from './knowledge-change-feed.port';

/** One bus per database object: every service over the same embedded database hears the others. */
const buses = new WeakMap<object, EventEmitter>();

/**
 * The change feed of embedded PGlite: one process owns the database (a second process would lose
 * writes), so every writer and reader is in this process and an in-process event is the notice.
 */
export class InProcessChangeFeed implements KnowledgeChangeFeed {
  private readonly bus: EventEmitter;
  private listener?: (kb: string, version: number) => void;

  constructor(database: object) {
    let bus = buses.get(database);
    if (!bus) {
      buses.set(database, (bus = new EventEmitter()));
      bus.setMaxListeners(0);
    }
    this.bus = bus;
  }

  start(listener: KnowledgeChangeListener, onConnected: () => void): void {
    if (this.listener) return;
    this.listener = listener;
    this.bus.on('change', listener);
    onConnected();
  }

  /** Tells the other services on this database (this one applied its own change already). */
  publish(knowledgeBaseId: string, version: number): void {
    for (const listener of this.bus.listeners('change'))
      if (listener !== this.listener) (listener as KnowledgeChangeListener)(knowledgeBaseId, version);
  }

  async close(): Promise<void> {
    if (this.listener) this.bus.off('change', this.listener);
    this.listener = undefined;
  }
}
