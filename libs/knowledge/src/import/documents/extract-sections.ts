import { parse as parseHtml, type HTMLElement, NodeType, type Node } from 'node-html-parser';
import { DocumentError } from './document.errors';
import { type DocumentSection, SectionBuilder } from './document-section';
import type { DocumentType } from './document-type';

/** The document's sections (heading path + paragraphs) from its bytes, by type. */
export async function extractSections(type: DocumentType, name: string, bytes: Uint8Array): Promise<DocumentSection[]> {
  switch (type) {
    case 'markdown':
      return markdownSections(decodeText(name, bytes));
    case 'text':
      return textSections(decodeText(name, bytes));
    case 'html':
      return htmlSections(decodeText(name, bytes));
    case 'docx':
      return htmlSections(await docxHtml(name, bytes));
    case 'pdf':
      return pdfSections(name, bytes);
  }
}

function decodeText(name: string, bytes: Uint8Array): string {
  if (bytes.includes(0)) throw new DocumentError('document_unreadable_invalid', `"${name}" is binary, not text`);
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    throw new DocumentError(
      'document_unreadable_invalid',
      `"${name}" is not UTF-8 text; convert it first (e.g. iconv -f GBK -t UTF-8 file > file.utf8)`,
    );
  }
}

/** ATX headings (# …) open sections; blank lines end paragraphs; code fences are kept as text. */
export function markdownSections(source: string): DocumentSection[] {
  const builder = new SectionBuilder();
  let paragraph: string[] = [];
  let fenced = false;
  const end = () => {
    builder.paragraph(paragraph.join('\n'));
    paragraph = [];
  };
  for (const line of source.split(/\r?\n/)) {
    if (/^\s*(```|~~~)/.test(line)) {
      fenced = !fenced;
      continue;
    }
    const heading = fenced ? null : /^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$/.exec(line);
    if (heading) {
      end();
      builder.heading(heading[1].length, stripInline(heading[2]));
    } else if (line.trim() === '' && !fenced) {
      end();
    } else {
      paragraph.push(stripInline(line.replace(/^\s*(?:[-*+]|\d+[.)]|>)\s+/, '')));
    }
  }
  end();
  return builder.build();
}

/** Markdown emphasis, code spans, images and links reduced to their text. */
function stripInline(text: string): string {
  return text
    .replace(/!\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/(\*\*|__|\*|_|`)(\S(?:.*?\S)?)\1/g, '$2');
}

/** Plain text: paragraphs split on blank lines, no headings. */
export function textSections(source: string): DocumentSection[] {
  const builder = new SectionBuilder();
  for (const paragraph of source.split(/\r?\n\s*\r?\n/)) builder.paragraph(paragraph);
  return builder.build();
}

const BLOCKS = new Set(['p', 'li', 'td', 'th', 'pre', 'blockquote', 'dd', 'dt', 'figcaption', 'caption']);
const SKIPPED = new Set(['script', 'style', 'noscript', 'template', 'head', 'nav', 'svg']);

/** HTML: h1–h6 open sections; block elements are paragraphs; scripts, styles and nav are dropped. */
export function htmlSections(source: string): DocumentSection[] {
  const root = parseHtml(source, { blockTextElements: { pre: true } });
  const builder = new SectionBuilder();
  let loose: string[] = [];
  const flushLoose = () => {
    builder.paragraph(loose.join(' '));
    loose = [];
  };
  const walk = (node: Node): void => {
    if (node.nodeType === NodeType.TEXT_NODE) {
      loose.push(node.text);
      return;
    }
    if (node.nodeType !== NodeType.ELEMENT_NODE) return;
    const tag = (node as HTMLElement).rawTagName?.toLowerCase() ?? '';
    if (SKIPPED.has(tag)) return;
    const level = /^h([1-6])$/.exec(tag);
    if (level) {
      flushLoose();
      builder.heading(Number(level[1]), node.text);
    } else if (BLOCKS.has(tag)) {
      flushLoose();
      builder.paragraph(node.text);
    } else if (tag === 'br') {
      loose.push('\n');
    } else {
      const block = ['div', 'section', 'article', 'main', 'body', 'ul', 'ol', 'table', 'tr', 'tbody'].includes(tag);
      if (block) flushLoose();
      for (const child of node.childNodes) walk(child);
      if (block) flushLoose();
    }
  };
  walk(root);
  flushLoose();
  return builder.build();
}

/** DOCX through mammoth's HTML, which keeps Word's heading styles as h1–h6. */
async function docxHtml(name: string, bytes: Uint8Array): Promise<string> {
  const mammoth = await import('mammoth');
  try {
    const result = await mammoth.convertToHtml({ buffer: Buffer.from(bytes) });
    return result.value;
  } catch (error) {
    throw new DocumentError('document_unreadable_invalid', `"${name}" could not be read as DOCX`, {
      reason: (error as Error).message,
    });
  }
}

/**
 * PDF text through pdf.js (unpdf): PDFs carry no headings, so each page's lines are grouped into
 * paragraphs at blank lines, or at a line that ends a sentence (a PDF hard-wraps every line).
 */
async function pdfSections(name: string, bytes: Uint8Array): Promise<DocumentSection[]> {
  const { extractText, getDocumentProxy } = await import('unpdf');
  let pages: string[];
  try {
    // verbosity 0: pdf.js's warnings about a damaged file go to the error we throw, not the console.
    const pdf = await getDocumentProxy(new Uint8Array(bytes), { verbosity: 0 });
    pages = (await extractText(pdf, { mergePages: false })).text;
  } catch (error) {
    const encrypted = (error as Error).name === 'PasswordException';
    throw new DocumentError(
      'document_unreadable_invalid',
      encrypted
        ? `"${name}" is encrypted (password-protected); save an unprotected copy and upload that`
        : `"${name}" could not be read as PDF`,
      { reason: encrypted ? 'encrypted' : (error as Error).message },
    );
  }
  const builder = new SectionBuilder();
  for (const page of pages) {
    let paragraph: string[] = [];
    for (const line of page.split(/\r?\n/)) {
      if (line.trim() === '') {
        builder.paragraph(paragraph.join('\n'));
        paragraph = [];
        continue;
      }
      paragraph.push(line);
      if (/[。！？.!?]["”’）)]?\s*$/.test(line)) {
        builder.paragraph(paragraph.join('\n'));
        paragraph = [];
      }
    }
    builder.paragraph(paragraph.join('\n'));
  }
  return builder.build();
}
