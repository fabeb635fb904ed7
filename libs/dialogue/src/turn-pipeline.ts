import type { KnowledgeService, RankedKnowledge } from '@zhibing/knowledge';
import type { Persona } from '@zhibing/persona';
import type { PromptInput, PromptKnowledge } from '@zhibing/prompt';
import type { TurnRecord } from './conversation.repository';
import { type Exchange, selectHistory } from './history-selection';

export interface PreparedTurn {
  prompt: PromptInput;
  knowledge: RankedKnowledge[];
  keptHistory: { turnId: string; score: number }[];
  degraded?: string;
  timings: { historyMs: number; knowledgeMs: number; promptMs: number };
}

/** How a knowledge item travels in traces and reply.end: enough to show and to re-inject. */
export function knowledgeRef(r: RankedKnowledge): PromptKnowledge {
  const { item } = r;
  return {
    id: item.id,
    kind: item.kind,
    score: Number(r.score.toFixed(6)),
    ...(item.question !== undefined ? { question: item.question, answer: item.answer } : {}),
    ...(item.head !== undefined ? { head: item.head, relation: item.relation, tail: item.tail } : {}),
    ...(item.text !== undefined ? { text: item.text } : {}),
  };
}

/** Earlier exchanges (a user turn and the persona's reply to it), oldest first. */
function exchangesOf(turns: TurnRecord[]): (Exchange & { knowledge: PromptKnowledge[] })[] {
  const replies = new Map(turns.filter((t) => t.role === 'persona').map((t) => [t.replyTo, t]));
  return turns
    .filter((t) => t.role === 'user')
    .map((user, index) => {
      const reply = replies.get(user.id);
      const used = ((reply?.trace as { knowledge?: PromptKnowledge[] } | null)?.knowledge ?? []).filter((k) => k.kind === 'qa').slice(0, 2);
      return { id: reply?.id ?? user.id, user: user.text, persona: reply?.text ?? '', index, knowledge: used };
    });
}

/** The knowledge selection only looks this far back; older turns reach the prompt through history. */
const SELECTION_WINDOW = 8;

/**
 * One turn's pipeline before generation: XDAI history selection, knowledge selection for the
 * current utterance over the persona's knowledge bases, and the prompt input (descriptions as
 * background, QA knowledge before the turn it belongs to).
 */
export async function prepareTurn(args: {
  persona: Persona;
  knowledgeBaseIds: string[];
  knowledge: KnowledgeService;
  earlierTurns: TurnRecord[];
  current: string;
  countTokens: (text: string) => number;
  historyBudget: number;
}): Promise<PreparedTurn> {
  const t0 = performance.now();
  const exchanges = exchangesOf(args.earlierTurns);
  const kept = await selectHistory(exchanges, args.current, { budget: args.historyBudget, countTokens: args.countTokens, embedder: args.knowledge.embedder });
  const t1 = performance.now();

  const dialogue = [...args.earlierTurns.filter((t) => t.text).slice(-SELECTION_WINDOW).map((t) => t.text), args.current];
  const selections = await Promise.all(args.knowledgeBaseIds.map((id) => args.knowledge.select(id, dialogue, 5)));
  const ranked = selections.flatMap((s) => s.items).sort((a, b) => b.score - a.score).slice(0, 5);
  const degraded = selections.map((s) => s.degraded).filter(Boolean).join('; ') || undefined;
  const t2 = performance.now();

  const refs = ranked.map(knowledgeRef);
  const byId = new Map(exchanges.map((e) => [e.id, e]));
  const prompt: PromptInput = {
    persona: { name: args.persona.name, profile: args.persona.profile, style: args.persona.style, examples: args.persona.examples, grounding: args.persona.grounding },
    userName: '用户',
    background: refs.filter((k) => k.kind === 'description').slice(0, 2),
    history: kept.flatMap((e) => [
      { role: 'user' as const, text: e.user, relevance: e.score, knowledge: byId.get(e.id)?.knowledge ?? [] },
      ...(e.persona ? [{ role: 'persona' as const, text: e.persona, relevance: e.score, knowledge: [] }] : []),
    ]),
    current: { text: args.current, knowledge: refs.filter((k) => k.kind !== 'description') },
  };
  const t3 = performance.now();
  return {
    prompt,
    knowledge: ranked,
    keptHistory: kept.map((e) => ({ turnId: e.id, score: Number(e.score.toFixed(6)) })),
    degraded,
    timings: { historyMs: t1 - t0, knowledgeMs: t2 - t1, promptMs: t3 - t2 },
  };
}
