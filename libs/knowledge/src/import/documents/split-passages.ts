import type { DocumentSection } from './document-section';

export interface Passage {
  /** The section's heading path (empty when the document has no headings before it). */
  path: string[];
  text: string;
}

/**
 * Sentences of a paragraph, each with its closing punctuation: Chinese 。！？； and …… end a
 * sentence wherever they are; . ! ? ; only before a space or the end (so 3.14 and e.g. stay whole).
 * Closing quotes and brackets stay with their sentence.
 */
export function splitSentences(paragraph: string): string[] {
  const sentences: string[] = [];
  let from = 0;
  let i = 0;
  while (i < paragraph.length) {
    const c = paragraph[i];
    const chinese = '。！？；…'.includes(c);
    if (!chinese && !'.!?;'.includes(c)) {
      i++;
      continue;
    }
    let end = i + 1;
    while (end < paragraph.length && '。！？；….!?;'.includes(paragraph[end])) end++;
    while (end < paragraph.length && CLOSERS.includes(paragraph[end])) end++;
    if (chinese || end === paragraph.length || /\s/.test(paragraph[end])) {
      const sentence = paragraph.slice(from, end).trim();
      if (sentence) sentences.push(sentence);
      from = end;
    }
    i = end;
  }
  const rest = paragraph.slice(from).trim();
  if (rest) sentences.push(rest);
  return sentences;
}

const CLOSERS = '"”’）)」』';

/**
 * Cuts sections into passages of at most `maxChars` characters: whole paragraphs are packed
 * together while they fit; a longer paragraph is cut between sentences; only a single sentence
 * longer than `maxChars` is cut inside (at the limit). Passages never span two sections.
 */
export function splitPassages(sections: DocumentSection[], maxChars: number): Passage[] {
  const passages: Passage[] = [];
  for (const section of sections) {
    let current = '';
    const push = () => {
      if (current) passages.push({ path: section.path, text: current });
      current = '';
    };
    const add = (piece: string, separator: string) => {
      if (current && current.length + separator.length + piece.length > maxChars) push();
      current = current ? current + separator + piece : piece;
    };
    for (const paragraph of section.paragraphs) {
      if (paragraph.length <= maxChars) {
        add(paragraph, '\n');
        continue;
      }
      for (const sentence of splitSentences(paragraph)) {
        for (let start = 0; start < sentence.length; start += maxChars) {
          add(sentence.slice(start, start + maxChars), joiner(current, sentence));
        }
      }
    }
    push();
  }
  return passages;
}

/** Chinese sentences join without a space; others with one. */
function joiner(before: string, next: string): string {
  return /[\u3000-\u9fff\uff00-\uffef]$/.test(before) || /^[\u3000-\u9fff\uff00-\uffef]/.test(next) ? '' : ' ';
}
