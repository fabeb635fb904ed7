import type { DialogueTurn, KnowledgeService, RankedKnowledge } from '@zhibing/knowledge';
import type { Persona } from '@zhibing/persona';
import type { PromptInput, PromptKnowledge } from '@zhibing/prompt';
import { type ComputedFeatures, type Exchange, selectHistory } from './history-selection';
import type { HistoryTurn } from './history.repository';
import { addressesSomeone, nameTheAddressee } from './reply/addressee';
import { decideGrounding, type Grounding } from './reply/grounding';
import { findRepeatedQuestion } from './reply/repeated-question';

export interface PreparedTurn {
  prompt: PromptInput;
  knowledge: RankedKnowledge[];
  keptHistory: { turnId: string; score: number }[];
  /** What the reply rests on (the trace stores it; the next turns read it back). */
  grounding: Grounding;
  /** The persona's earlier replies, oldest first: a reply never repeats one verbatim. */
  earlierReplies: string[];
  /** Exchange vectors and token counts history selection had to compute (by exchange id), to store. */
  computed: ComputedFeatures[];
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

/**
 * Earlier exchanges (a user turn and the persona's reply to it), oldest first, each with the QA
 * knowledge its reply was grounded in and, where stored by the embedder and tokenizer in use, its
 * vector and token count.
 */
function exchangesOf(
  turns: HistoryTurn[],
  using: { embedder: string; tokenizer?: string },
): (Exchange & { knowledge: PromptKnowledge[] })[] {
  const replies = new Map(turns.filter((t) => t.role === 'persona').map((t) => [t.replyTo, t]));
  return turns
    .filter((t) => t.role === 'user')
    .map((user, index) => {
      const reply = replies.get(user.id);
      const stored = reply?.exchange;
      return {
        id: reply?.id ?? user.id,
        user: user.text,
        persona: reply?.text ?? '',
        index,
        knowledge: reply?.recall?.qa ?? [],
        ...(stored?.vector && stored.embedder === using.embedder ? { vector: stored.vector } : {}),
        ...(stored?.tokens !== undefined && stored.tokenizer === using.tokenizer ? { tokens: stored.tokens } : {}),
      };
    });
}

/**
 * The dialogue as knowledge selection reads it: who said each turn, and what the persona's replies
 * were grounded in, so its own words never pull their source back and its mentions keep the focus.
 */
function selectionTurns(earlier: HistoryTurn[], current: string, addressee?: string): DialogueTurn[] {
  const window = earlier.filter((t) => t.text).slice(-SELECTION_WINDOW);
  const user = (text: string): DialogueTurn => ({
    text: addressee ? nameTheAddressee(text, addressee) : text,
    speaker: 'user',
  });
  return [
    ...window.map((t): DialogueTurn =>
      t.role === 'persona' ? { text: t.text, speaker: 'persona', usedItemIds: t.recall?.itemIds ?? [] } : user(t.text),
    ),
    user(current),
  ];
}

/** Knowledge selected over the persona's bases for one reading of the dialogue, and its grounding. */
async function selectFor(
  args: { persona: Persona; knowledgeBaseIds: string[]; knowledge: KnowledgeService; current: string },
  dialogue: DialogueTurn[],
  repeatOf?: string,
) {
  const selections = await Promise.all(args.knowledgeBaseIds.map((id) => args.knowledge.select(id, dialogue, 5)));
  const ranked = selections
    .flatMap((s) => s.items)
    .sort((a, b) => b.score - a.score)
    .slice(0, 5);
  const degraded =
    selections
      .map((s) => s.degraded)
      .filter(Boolean)
      .join('; ') || undefined;
  const grounding = decideGrounding(ranked, args.current, { repeatOf, names: [args.persona.name] });
  return { ranked, degraded, grounding };
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
  /** The turns before this one (a window of the newest is enough), oldest first. */
  earlierTurns: HistoryTurn[];
  current: string;
  countTokens: (text: string) => number;
  /** Who counts tokens (the responder): stored counts by another are counted again. */
  tokenizer?: string;
  historyBudget: number;
}): Promise<PreparedTurn> {
  const t0 = performance.now();
  const exchanges = exchangesOf(args.earlierTurns, { embedder: args.knowledge.embedder.id, tokenizer: args.tokenizer });
  const historyDegraded: string[] = [];
  let computed: ComputedFeatures[] = [];
  const kept = await selectHistory(exchanges, args.current, {
    budget: args.historyBudget,
    countTokens: args.countTokens,
    embedder: args.knowledge.embedder,
    onDegraded: (reason) => historyDegraded.push(reason),
    onComputed: (features) => (computed = features),
  });
  const t1 = performance.now();

  // "你住在哪里？" may ask about the persona itself (its own entity in the knowledge base) or be
  // a question whose stored wording says 你: both readings are selected, the better answer wins.
  const readings = [undefined, ...(addressesSomeone(args.current) ? [args.persona.name] : [])];
  const repeated = findRepeatedQuestion(args.earlierTurns, args.current);
  const chosen = (
    await Promise.all(
      readings.map((addressee) =>
        selectFor(args, selectionTurns(args.earlierTurns, args.current, addressee), repeated?.id),
      ),
    )
  ).reduce((best, next) => (next.grounding.score > best.grounding.score ? next : best));
  const { ranked, grounding } = chosen;
  const degraded = [...historyDegraded, chosen.degraded].filter(Boolean).join('; ') || undefined;
  const t2 = performance.now();

  // Only knowledge that answers the utterance goes into the prompt: an engine given some other
  // item would answer with it.
  const refs = grounding.case === 'knowledge' ? ranked.map(knowledgeRef) : [];
  const byId = new Map(exchanges.map((e) => [e.id, e]));
  const prompt: PromptInput = {
    persona: {
      name: args.persona.name,
      profile: args.persona.profile,
      style: args.persona.style,
      examples: args.persona.examples,
      grounding: args.persona.grounding,
    },
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
    grounding,
    earlierReplies: args.earlierTurns.filter((t) => t.role === 'persona' && t.text).map((t) => t.text),
    computed,
    degraded,
    timings: { historyMs: t1 - t0, knowledgeMs: t2 - t1, promptMs: t3 - t2 },
  };
}
