import type { Persona, PersonaVoice } from '@zhibing/persona';
import type { Grounding } from './grounding';
import { contentWords } from './answer-coverage';
import { spokenAnswer } from './spoken-answer';

/** What the persona says around an answer when its YAML sets no `voice`. */
const DEFAULT_VOICE: Record<'zh' | 'en', PersonaVoice> = {
  zh: { openers: [], followUps: ['你还想了解什么？'], again: ['我刚才说过：'] },
  en: { openers: [], followUps: ['What else would you like to know?'], again: ['As I said:'] },
};

export interface ComposeInput {
  persona: Persona;
  grounding: Grounding;
  /** What the user just said: a long description is answered by its clause that speaks of it. */
  utterance: string;
  /** The persona's earlier replies in this conversation: a reply never repeats one verbatim. */
  earlierReplies: string[];
  /** Earlier user turns in this conversation, so consecutive replies vary their phrasing. */
  turnIndex: number;
}

function voiceOf(persona: Persona): PersonaVoice {
  const defaults = DEFAULT_VOICE[persona.locale.startsWith('zh') ? 'zh' : 'en'];
  const voice = persona.voice;
  return {
    openers: voice?.openers.length ? voice.openers : defaults.openers,
    followUps: voice?.followUps.length ? voice.followUps : defaults.followUps,
    again: voice?.again.length ? voice.again : defaults.again,
  };
}

/** `list` rotated to start at `offset`, so each turn leads with a different choice. */
function rotate<T>(list: T[], offset: number): T[] {
  if (list.length === 0) return list;
  const start = offset % list.length;
  return [...list.slice(start), ...list.slice(0, start)];
}

/** The first candidate that is not one of the earlier replies, or the first one when all are. */
function firstUnsaid(candidates: string[], earlier: string[]): string {
  const said = new Set(earlier.map((text) => text.trim()));
  return candidates.find((text) => !said.has(text.trim())) ?? candidates[0];
}

/**
 * The retrieval responder's reply in the persona's voice: the answer in short spoken sentences,
 * framed by the persona's lead-ins and follow-ups (or its XDAI post-response as narration), its
 * fallback lines when nothing answers, its greeting for a greeting. Choices rotate with the turn
 * and skip anything the persona already said verbatim in this conversation; a question asked
 * again is answered again, said as a repetition.
 */
export function composeReply(input: ComposeInput): string {
  const { persona, grounding, earlierReplies, turnIndex } = input;
  const voice = voiceOf(persona);
  const narration = persona.grounding?.postResponse ? [`（${persona.grounding.postResponse}）`] : [];
  const closings = rotate(['', ...voice.followUps, ...narration], turnIndex);

  if (grounding.case === 'greeting') {
    const followUps = rotate(voice.followUps, turnIndex);
    return firstUnsaid([persona.greeting, ...followUps.map((f) => `你好！${f}`)], earlierReplies);
  }
  if (grounding.case === 'fallback') {
    const lines = rotate(persona.fallback, turnIndex);
    // Another fallback line before the same line with a follow-up added.
    const asks = ['', ...rotate(voice.followUps, turnIndex)];
    return firstUnsaid(
      asks.flatMap((ask) => lines.map((line) => join(line, ask))),
      earlierReplies,
    );
  }
  const asked = contentWords(input.utterance, [persona.name, grounding.items[0].item.head ?? ''].filter(Boolean));
  const answer = spokenAnswer(grounding.items[0].item, persona.name, asked);
  const openers = grounding.repeatOf ? rotate(voice.again, turnIndex) : rotate(['', ...voice.openers], turnIndex);
  const candidates = openers.flatMap((opener) => closings.map((closing) => join(`${opener}${answer}`, closing)));
  return firstUnsaid(candidates, earlierReplies);
}

/** Chinese sentences run on; Latin-script ones need a space between them. */
const join = (first: string, second: string) =>
  !second ? first : /[\x21-\x7e]$/.test(first) ? `${first} ${second}` : `${first}${second}`;
