import type { ConversationRecord, TurnRecord } from './conversation.repository';
import type { ConversationFilter, ConversationSearchRepository } from './conversation-search.repository';
import type { TurnReview, TurnReviewRepository } from './turn-review.repository';

/** What an export keeps of a reply's trace: enough to see why, without the full prompt. */
export interface TraceSummary {
  engine: string | null;
  grounding: string | null;
  knowledge: { id: string; kind: string; score: number | null }[];
  promptTokens: number | null;
  completionTokens: number | null;
  finishReason: string | null;
  firstTokenMs: number | null;
  totalMs: number | null;
  degraded: string | null;
}

export function summarizeTrace(trace: Record<string, unknown> | null): TraceSummary | null {
  if (!trace) return null;
  const obj = (value: unknown) => (value && typeof value === 'object' ? (value as Record<string, unknown>) : {});
  const num = (value: unknown) => (typeof value === 'number' ? value : null);
  const str = (value: unknown) => (typeof value === 'string' ? value : null);
  const knowledge = Array.isArray(trace.knowledge) ? trace.knowledge.map(obj) : [];
  return {
    engine: str(trace.engine),
    grounding: str(obj(trace.grounding).case),
    knowledge: knowledge.map((k) => ({ id: String(k.id ?? ''), kind: String(k.kind ?? ''), score: num(k.score) })),
    promptTokens: num(obj(trace.tokens).promptTokens),
    completionTokens: num(obj(trace.tokens).completionTokens),
    finishReason: str(trace.finishReason),
    firstTokenMs: num(obj(trace.timings).firstTokenMs),
    totalMs: num(obj(trace.timings).totalMs),
    degraded: str(trace.degraded),
  };
}

export const CSV_HEADER = [
  'conversation_id',
  'persona',
  'channel',
  'visitor_id',
  'seq',
  'role',
  'status',
  'created_at',
  'text',
  'engine',
  'knowledge_ids',
  'total_ms',
  'review_thumb',
  'review_stars',
  'review_note',
];

/**
 * The conversations a search finds, as export lines (newest conversation first, turns in order):
 * JSON Lines, one conversation per line with its turns, trace summaries and reviews; or CSV, one
 * turn per row. Read in pages of 100 conversations, so an export does not hold them all.
 */
export async function* exportConversations(
  search: ConversationSearchRepository,
  reviews: TurnReviewRepository,
  workspaceId: string,
  filter: ConversationFilter & { limit: number },
  format: 'jsonl' | 'csv',
): AsyncGenerator<string> {
  if (format === 'csv') yield CSV_HEADER.join(',');
  const page = 100;
  for (let offset = 0; offset < filter.limit; offset += page) {
    const { items } = await search.search(workspaceId, {
      ...filter,
      limit: Math.min(page, filter.limit - offset),
      offset,
    });
    const ids = items.map((c) => c.id);
    const [turns, reviewed] = await Promise.all([search.turns(ids), reviews.forConversations(ids)]);
    for (const conversation of items) {
      const bySeq = new Map((reviewed.get(conversation.id) ?? []).map((r) => [r.seq, r]));
      const conversationTurns = turns.get(conversation.id) ?? [];
      if (format === 'jsonl') yield JSON.stringify(jsonlRecord(conversation, conversationTurns, bySeq));
      else for (const turn of conversationTurns) yield csvRow(conversation, turn, bySeq.get(turn.seq));
    }
    if (items.length < page) return;
  }
}

function jsonlRecord(conversation: ConversationRecord, turns: TurnRecord[], reviews: Map<number, TurnReview>) {
  return {
    ...conversation,
    turns: turns.map((t) => ({
      seq: t.seq,
      role: t.role,
      status: t.status,
      text: t.text,
      createdAt: t.createdAt,
      trace: summarizeTrace(t.trace),
      review: reviews.get(t.seq) ?? null,
    })),
  };
}

function csvRow(conversation: ConversationRecord, turn: TurnRecord, review: TurnReview | undefined): string {
  const trace = summarizeTrace(turn.trace);
  return [
    conversation.id,
    conversation.personaId,
    conversation.channel,
    conversation.visitorId ?? '',
    turn.seq,
    turn.role,
    turn.status,
    turn.createdAt,
    turn.text,
    trace?.engine ?? '',
    trace?.knowledge.map((k) => k.id).join(' ') ?? '',
    trace?.totalMs ?? '',
    review?.thumb ?? '',
    review?.stars ?? '',
    review?.note ?? '',
  ]
    .map(csvField)
    .join(',');
}

/** RFC 4180: quote a field holding a comma, quote or line break; a leading =+-@ is quoted too (spreadsheets). */
function csvField(value: string | number): string {
  const text = String(value);
  const guarded = /^[=+\-@]/.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(guarded) || guarded !== text ? `"${guarded.replace(/"/g, '""')}"` : guarded;
}
