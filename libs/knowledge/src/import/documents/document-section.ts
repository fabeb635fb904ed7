/** A run of body text under one heading path (empty path: before any heading, or no headings). */
export interface DocumentSection {
  /** Headings from the outermost to the innermost, e.g. ["Guide", "Install"]. */
  path: string[];
  /** Paragraphs of the section, in order, each already trimmed and non-empty. */
  paragraphs: string[];
}

/** Collects headings and paragraphs into sections, tracking the heading path by level. */
export class SectionBuilder {
  private readonly sections: DocumentSection[] = [];
  private readonly headings: { level: number; text: string }[] = [];
  private current: DocumentSection = { path: [], paragraphs: [] };

  heading(level: number, text: string): void {
    const title = collapse(text);
    if (!title) return;
    this.flush();
    while (this.headings.length > 0 && this.headings[this.headings.length - 1].level >= level) this.headings.pop();
    this.headings.push({ level, text: title });
    this.current = { path: this.headings.map((h) => h.text), paragraphs: [] };
  }

  paragraph(text: string): void {
    const body = collapse(text);
    if (body) this.current.paragraphs.push(body);
  }

  build(): DocumentSection[] {
    this.flush();
    return this.sections;
  }

  private flush(): void {
    if (this.current.paragraphs.length > 0) this.sections.push(this.current);
    this.current = { path: this.current.path, paragraphs: [] };
  }
}

const CJK = '\\u3000-\\u9fff\\uff00-\\uffef';
const BETWEEN_CJK = new RegExp(`([${CJK}])\\s+(?=[${CJK}])`, 'g');

/**
 * Whitespace runs (line breaks inside a paragraph included) become one space, except between two
 * Chinese characters or punctuation marks, where a wrapped line must not leave a space.
 */
export function collapse(text: string): string {
  return text.replace(BETWEEN_CJK, '$1').replace(/\s+/g, ' ').trim();
}
