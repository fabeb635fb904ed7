import { randomBytes } from 'node:crypto';
import { EngineError, ModelFolderError } from '../engine.errors';
import type { ChatMessage } from '../engine.port';

/** A rendered prompt piece: template text (trusted, may hold control tokens) or a message's content. */
export type TemplatePiece = { kind: 'control'; text: string } | { kind: 'content'; text: string };

/** A token string from tokenizer_config.json: `"<|endoftext|>"` or `{ content: "<|endoftext|>" }`. */
function tokenString(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  const content = (value as { content?: unknown } | null)?.content;
  return typeof content === 'string' ? content : undefined;
}

/**
 * A model's own chat template (Hugging Face Jinja, rendered by @huggingface/jinja). Rendering
 * never lets message content become template text: each content is replaced by a placeholder
 * carrying a per-render nonce, the template is rendered around the placeholders, and the result
 * is split back into control pieces (the template's own text) and content pieces (to be encoded
 * literally), so `<|user|>` typed by a user stays text while the template's `<|user|>` is a token.
 */
export class ChatTemplate {
  private readonly variables: Record<string, unknown> = {};

  private constructor(
    private readonly template: { render(items: Record<string, unknown>): string },
    tokenizerConfig: Record<string, unknown> | null,
  ) {
    for (const name of ['bos_token', 'eos_token', 'pad_token', 'unk_token']) {
      const value = tokenString(tokenizerConfig?.[name]);
      if (value !== undefined) this.variables[name] = value;
    }
  }

  /** Parses a template; a template that does not parse is a model-folder error. */
  static async compile(
    source: string,
    tokenizerConfig: Record<string, unknown> | null,
    file = 'tokenizer_config.json',
  ): Promise<ChatTemplate> {
    // An ES module: loaded the way the engine loads @huggingface/tokenizers.
    const { Template } = await import('@huggingface/jinja');
    try {
      return new ChatTemplate(new Template(source), tokenizerConfig);
    } catch (error) {
      throw new ModelFolderError(file, `the chat template does not parse (${(error as Error).message})`);
    }
  }

  /** The prompt for `messages`, ending where the assistant's reply begins. */
  render(messages: readonly ChatMessage[]): TemplatePiece[] {
    const nonce = randomBytes(6).toString('hex');
    const placeholder = (i: number) => `\uE000${nonce}:${i}\uE001`;
    let rendered: string;
    try {
      rendered = this.template.render({
        ...this.variables,
        messages: messages.map((m, i) => ({ role: m.role, content: placeholder(i) })),
        add_generation_prompt: true,
      });
    } catch (error) {
      throw new EngineError('prompt_template_failed', `the model's chat template failed: ${(error as Error).message}`, {
        cause: error,
      });
    }
    const pieces: TemplatePiece[] = [];
    const pattern = new RegExp(`\uE000${nonce}:(\\d+)\uE001`, 'g');
    let from = 0;
    for (const match of rendered.matchAll(pattern)) {
      if (match.index > from) pieces.push({ kind: 'control', text: rendered.slice(from, match.index) });
      pieces.push({ kind: 'content', text: messages[Number(match[1])].content });
      from = match.index + match[0].length;
    }
    if (from < rendered.length) pieces.push({ kind: 'control', text: rendered.slice(from) });
    // A template that transformed a placeholder (sliced or escaped it) left part of it behind.
    if (pieces.some((p) => p.kind === 'control' && /[\uE000\uE001]/.test(p.text))) {
      throw new EngineError(
        'prompt_template_failed',
        "the model's chat template altered message content; it cannot be rendered safely",
      );
    }
    return pieces;
  }
}
