import { knowledgeLine, type PromptInput, type PromptTurn } from './prompt-input';
import { type PromptSegment, special, text } from './prompt-segments';

export type PromptFormat = 'glm' | 'glm4-chat' | 'messages';

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

const speaker = (input: PromptInput, turn: PromptTurn) => (turn.role === 'user' ? input.userName : input.persona.name);

function personaIntro(input: PromptInput): string {
  const { persona } = input;
  const setting = persona.grounding?.setting ? `此刻的${persona.name}：${persona.grounding.setting}。` : '';
  return `${persona.name}：${persona.profile}${persona.style ? ` ${persona.style}` : ''}${setting}`;
}

function backgroundText(input: PromptInput): string {
  return input.background.map(knowledgeLine).join('\n');
}

/**
 * GLM blank infilling (XDAI): background descriptions as a prefix, the persona profile, each
 * kept turn preceded by its QA knowledge, then the persona's `[MASK]` reply, optionally followed
 * by a grounded post-response (the persona's emotion or setting) that conditions the blank.
 * Generation starts after `<sop>` and ends at `<eop>`.
 */
export function glmBlankInfilling(input: PromptInput): PromptSegment[] {
  const lines: string[] = [];
  const background = backgroundText(input);
  if (background) lines.push(background);
  lines.push(personaIntro(input));
  for (const example of input.persona.examples)
    lines.push(`${input.userName}：${example.user}`, `${input.persona.name}：${example.persona}`);
  for (const turn of input.history) {
    for (const k of turn.knowledge) lines.push(knowledgeLine(k));
    lines.push(`${speaker(input, turn)}：${turn.text}`);
  }
  for (const k of input.current.knowledge) lines.push(knowledgeLine(k));
  lines.push(`${input.userName}：${input.current.text}`);
  const segments: PromptSegment[] = [text(`${lines.join('\n')}\n${input.persona.name}：`), special('[MASK]')];
  const post =
    input.persona.grounding?.postResponse ??
    (input.persona.grounding?.emotion ? `（${input.persona.name}的心情：${input.persona.grounding.emotion}）` : '');
  if (post) segments.push(text(`\n${post}`));
  segments.push(special('<sop>'));
  return segments;
}

/** The system text of chat formats: who the persona is, background and knowledge. */
function systemText(input: PromptInput): string {
  const parts = [`你是${input.persona.name}。${personaIntro(input)}`];
  const background = backgroundText(input);
  if (background) parts.push(`背景知识：\n${background}`);
  const knowledge = [...input.history.flatMap((t) => t.knowledge), ...input.current.knowledge].map(knowledgeLine);
  if (knowledge.length) parts.push(`可参考的知识：\n${knowledge.join('\n')}`);
  if (input.persona.grounding?.emotion) parts.push(`你现在的心情：${input.persona.grounding.emotion}。`);
  parts.push(`请以${input.persona.name}的身份和语气回答，简洁自然。`);
  return parts.join('\n\n');
}

/** GLM-4 chat: `[gMASK]<sop><|system|>…<|user|>…<|assistant|>…`, ending where the reply begins. */
export function glm4Chat(input: PromptInput): PromptSegment[] {
  const segments: PromptSegment[] = [
    special('[gMASK]'),
    special('<sop>'),
    special('<|system|>'),
    text(`\n${systemText(input)}`),
  ];
  for (const example of input.persona.examples)
    segments.push(
      special('<|user|>'),
      text(`\n${example.user}`),
      special('<|assistant|>'),
      text(`\n${example.persona}`),
    );
  for (const turn of input.history)
    segments.push(special(turn.role === 'user' ? '<|user|>' : '<|assistant|>'), text(`\n${turn.text}`));
  segments.push(special('<|user|>'), text(`\n${input.current.text}`), special('<|assistant|>'), text('\n'));
  return segments;
}

/** OpenAI-style messages for remote engines. */
export function chatMessages(input: PromptInput): ChatMessage[] {
  const messages: ChatMessage[] = [{ role: 'system', content: systemText(input) }];
  for (const example of input.persona.examples)
    messages.push({ role: 'user', content: example.user }, { role: 'assistant', content: example.persona });
  for (const turn of input.history)
    messages.push({ role: turn.role === 'user' ? 'user' : 'assistant', content: turn.text });
  messages.push({ role: 'user', content: input.current.text });
  return messages;
}
