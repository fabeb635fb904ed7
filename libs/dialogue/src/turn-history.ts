import { type Embedder, EmbedderError } from '@zhibing/knowledge';
import type { ComputedFeatures } from './history-selection';
import type { HistoryRepository, HistoryTurn, StoredExchange } from './history.repository';
import type { Responder } from './responder.port';

/**
 * Earlier exchanges history selection reads. At alpha 0.9 an exchange this far back weighs
 * 0.9^32 ≈ 3% of the newest and ranks below every exchange 29 or more exchanges newer, so with the
 * default 512-token budget the kept history is the same as over the whole conversation unless
 * the newer exchanges leave room (conversations up to this length: always the same).
 */
export const HISTORY_WINDOW = 32;

/**
 * A conversation's history as turns read and write it: the window of newest turns with what was
 * stored about them, what selection computed for them stored back, and what a closing reply
 * stores about its own exchange — by the deployment's embedder and the responder's tokenizer.
 */
export class TurnHistory {
  constructor(
    private readonly repository: HistoryRepository,
    private readonly embedder: Embedder,
    private readonly responder: Pick<Responder, 'name' | 'countTokens'>,
    /** Exchanges read (default HISTORY_WINDOW). */
    private readonly exchanges = HISTORY_WINDOW,
  ) {}

  /** The newest earlier turns before `seq`: enough for `exchanges` exchanges, whatever the conversation's length. */
  before(conversationId: string, seq: number): Promise<HistoryTurn[]> {
    return this.repository.window(conversationId, seq, 2 * this.exchanges);
  }

  /**
   * Stores the exchange vectors and token counts history selection computed for earlier replies
   * that came without them (written before they were stored, or by another embedder or tokenizer),
   * so no later turn computes them again. A failure costs nothing but the saving: it is reported.
   */
  async storeComputed(earlier: HistoryTurn[], computed: ComputedFeatures[]): Promise<string | undefined> {
    if (computed.length === 0) return undefined;
    const byId = new Map(earlier.map((t) => [t.id, t]));
    const rows = computed.map((c) => {
      const turn = byId.get(c.id);
      return { turnId: c.id, ...c, ...(turn?.recallFromTrace ? { recall: turn.recall } : {}) };
    });
    try {
      await this.repository.storeComputed(rows, this.embedder.id, this.responder.name);
      return undefined;
    } catch (error) {
      return `computed history features not stored (${(error as Error).message})`;
    }
  }

  /** The exchange a reply closes, as the next turns' history selection scores it: stored with the reply. */
  async exchangeOf(user: string, persona: string, degraded: (string | undefined)[]): Promise<StoredExchange> {
    const tokens = this.responder.countTokens(user) + this.responder.countTokens(persona);
    const counted = { tokens, tokenizer: this.responder.name };
    try {
      const [vector] = await this.embedder.embed([`${user}${persona}`]);
      return { ...counted, vector, embedder: this.embedder.id };
    } catch (error) {
      // The next turn embeds it instead (and stores it then): the reply itself must not fail for it.
      if (!(error instanceof EmbedderError)) throw error;
      degraded.push(`exchange not embedded (${error.code}); embedded when next needed`);
      return counted;
    }
  }
}
