import type { KnowledgeItem } from '@zhibing/knowledge';

const SENTENCE_END = /(?<=[。！？!?；;])/;

/**
 * The first sentences of a text, up to about `max` characters: what a person says aloud, not the
 * article the knowledge came from. A first sentence longer than `max` is cut at a comma.
 */
export function firstSentences(text: string, max: number): string {
  const sentences = text
    .trim()
    .split(SENTENCE_END)
    .filter((s) => s.trim());
  let out = '';
  for (const sentence of sentences) {
    if (out && out.length + sentence.length > max) break;
    out += sentence;
  }
  if (out.length <= max * 1.3) return out;
  const clauses = out.split(/(?<=[，,、])/);
  let cut = '';
  for (const clause of clauses) {
    if (cut && cut.length + clause.length > max) break;
    cut += clause;
  }
  return `${cut.replace(/[，,、]$/, '')}。`;
}

const withStop = (text: string) => (/[。！？.!?…」』”）)]$/.test(text) ? text : `${text}。`);

/**
 * One knowledge item as the persona would say it: a QA answer, the lead of a description, or a
 * fact as a sentence. Knowledge about the persona itself is said in the first person.
 */
export function spokenAnswer(item: KnowledgeItem, personaName: string, asked: string[] = []): string {
  const aboutSelf = item.head !== undefined && item.head !== null && sameName(item.head, personaName);
  if (item.kind === 'qa') return firstSentences(item.answer ?? '', 90);
  if (item.kind === 'description') {
    const text = item.text ?? item.tail ?? '';
    const said = relevantClause(text, item.head ?? '', asked) ?? firstSentences(text, 70);
    return aboutSelf ? firstPerson(said, item.head ?? personaName) : said;
  }
  const subject = aboutSelf ? '我' : item.head;
  return withStop(`${subject}的${item.relation}是${item.tail}`);
}

/**
 * The clause of a description that speaks of what was asked ("你住在哪里？" → "…住在大观园的潇湘馆"),
 * said with its subject, when the description's lead does not already say it. Undefined when
 * nothing was asked beyond the entity, or the lead answers.
 */
const SHORT_LEAD = 40;

function relevantClause(text: string, head: string, asked: string[]): string | undefined {
  if (asked.length === 0) return undefined;
  const hits = (clause: string) => asked.filter((word) => clause.includes(word)).length;
  const lead = firstSentences(text, 70);
  // A short lead that says it is the answer; a long one is cut to the clause that says it.
  if (hits(lead) === asked.length && Array.from(lead).length <= SHORT_LEAD) return undefined;
  const clauses = text
    .split(/(?<=[，,；;。！？!?])/)
    .map((c) => c.trim())
    .filter(Boolean);
  let best: string | undefined;
  for (const clause of clauses) if (hits(clause) > (best ? hits(best) : 0)) best = clause;
  if (!best) return undefined;
  const sentence = best.replace(/[，,；;]$/, '');
  return withStop(!head || sentence.startsWith(head) ? sentence : `${head}${sentence}`);
}

/** A persona named 前台小智 is also 小智; 林黛玉 is 林黛玉. */
function sameName(entity: string, personaName: string): boolean {
  return entity === personaName || (entity.length >= 2 && personaName.endsWith(entity));
}

function firstPerson(text: string, name: string): string {
  return text.split(name).join('我').replace(/^我，/, '我是');
}
