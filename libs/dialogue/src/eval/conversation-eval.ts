import type { TurnRecord } from '../conversation.repository';
import type { Caller } from '../caller';
import type { DialogueService } from '../dialogue.service';
import type { ReplySink } from '../reply-sink.port';
import type { ScriptedConversation, ScriptedTurn } from './conversation-script';

/** One scripted user turn, the reply it got, and how that reply is judged. */
export interface JudgedTurn {
  conversationId: string;
  personaId: string;
  user: string;
  reply: string;
  expect: ScriptedTurn['expect'];
  tags: string[];
  /** `knowledge`, `fallback` or `greeting`, as the reply's trace says. */
  case: string;
  /** The knowledge the reply was grounded in, as a label (`qa:…`, `fact:…|…`, `desc:…`). */
  grounded?: string;
  /** How well the best knowledge answered the turn, against the threshold (from the trace). */
  score: number;
  /** The first selected items with their `newest` part, to see why (labels from the trace). */
  candidates: string[];
  /** Grounded in one of the expected items, or a fallback where nothing answers. */
  right: boolean;
  /** Word for word one of the persona's earlier replies in the same conversation. */
  verbatimRepeat: boolean;
}

export interface EvalFigures {
  turns: number;
  /** Turns that some knowledge answers, and the share grounded in the right one. */
  answerable: number;
  grounded: number;
  /** Turns that nothing answers, and the share answered with a fallback. */
  unanswerable: number;
  fallbacks: number;
  repeats: number;
}

const nullSink: ReplySink = { emit: () => undefined };

/** The label of a knowledge reference stored in a trace. */
interface TracedKnowledge {
  id: string;
  parts?: { newest?: number };
  kind?: string;
  question?: string;
  head?: string;
  relation?: string;
}

function labelOf(ref: TracedKnowledge): string {
  if (ref.kind === 'qa') return `qa:${ref.question}`;
  if (ref.kind === 'description') return `desc:${ref.head}`;
  return `fact:${ref.head}|${ref.relation}`;
}

function judge(
  conversation: ScriptedConversation,
  scripted: ScriptedTurn,
  reply: TurnRecord,
  earlierReplies: string[],
): JudgedTurn {
  const trace = (reply.trace ?? {}) as {
    grounding?: { case: string; itemIds: string[]; score?: number };
    knowledge?: TracedKnowledge[];
    engine?: string;
    scenario?: { phase: string };
  };
  const groundedId = trace.grounding?.itemIds[0];
  const ref = trace.knowledge?.find((k) => k.id === groundedId);
  // Lines the scenario said instead of an answer (no grounding) are labelled by their phase.
  const said = !trace.grounding && trace.engine === 'scenario' ? trace.scenario : undefined;
  const grounded = ref ? labelOf(ref) : said ? `scenario:${said.phase}` : undefined;
  const kase = trace.grounding?.case ?? (said ? 'scenario' : 'unknown');
  const right =
    scripted.expect === 'none' ? kase !== 'knowledge' : grounded !== undefined && scripted.expect.includes(grounded);
  return {
    conversationId: conversation.id,
    personaId: conversation.personaId,
    user: scripted.user,
    reply: reply.text,
    expect: scripted.expect,
    tags: scripted.tags,
    case: kase,
    grounded,
    score: trace.grounding?.score ?? 0,
    candidates: (trace.knowledge ?? [])
      .slice(0, 5)
      .map((k) => `${labelOf(k)} (newest ${(k.parts?.newest ?? 0).toFixed(2)})`),
    right,
    verbatimRepeat: earlierReplies.includes(reply.text.trim()),
  };
}

/**
 * Runs scripted conversations through the real dialogue pipeline (sessions, stored turns, history
 * and knowledge selection, the configured responder, traces) one message at a time, each waiting
 * for its reply, and judges every reply from its stored trace.
 */
export async function runConversations(
  dialogue: DialogueService,
  caller: Caller,
  scripts: ScriptedConversation[],
): Promise<JudgedTurn[]> {
  const judged: JudgedTurn[] = [];
  for (const script of scripts) {
    const session = await dialogue.startSession(caller, { personaId: script.personaId });
    const replies: string[] = [];
    for (const [i, scripted] of script.turns.entries()) {
      const accepted = await dialogue.sendMessage(
        caller,
        { conversationId: session.conversationId, clientMessageId: `${script.id}-${i}`, text: scripted.user },
        nullSink,
      );
      await dialogue.whenIdle();
      const reply = await dialogue.conversations.replyTo(accepted.turnId);
      if (!reply) throw new Error(`No reply to "${scripted.user}" in ${script.id}`);
      judged.push(judge(script, scripted, reply, replies));
      replies.push(reply.text.trim());
    }
  }
  return judged;
}

/** The figures of a set of judged turns. */
export function figures(turns: JudgedTurn[]): EvalFigures {
  const answerable = turns.filter((t) => t.expect !== 'none');
  const unanswerable = turns.filter((t) => t.expect === 'none');
  return {
    turns: turns.length,
    answerable: answerable.length,
    grounded: answerable.filter((t) => t.right).length,
    unanswerable: unanswerable.length,
    fallbacks: unanswerable.filter((t) => t.right).length,
    repeats: turns.filter((t) => t.verbatimRepeat).length,
  };
}

const share = (part: number, whole: number) => (whole === 0 ? '—' : `${((100 * part) / whole).toFixed(1)}%`);

/** A table of the figures per persona and overall, for people. */
export function formatFigures(turns: JudgedTurn[]): string {
  const personas = [...new Set(turns.map((t) => t.personaId))];
  const rows = [
    ...personas.map((p) => [p, figures(turns.filter((t) => t.personaId === p))] as const),
    ['overall', figures(turns)] as const,
  ];
  const lines = ['persona                  turns  grounded right      fallback on none   verbatim repeats'];
  for (const [name, f] of rows) {
    lines.push(
      `${name.padEnd(24)} ${String(f.turns).padStart(5)}  ${`${f.grounded}/${f.answerable}`.padStart(7)} ${share(f.grounded, f.answerable).padStart(7)}` +
        `   ${`${f.fallbacks}/${f.unanswerable}`.padStart(6)} ${share(f.fallbacks, f.unanswerable).padStart(7)}   ${String(f.repeats).padStart(3)} ${share(f.repeats, f.turns).padStart(6)}`,
    );
  }
  return lines.join('\n');
}
