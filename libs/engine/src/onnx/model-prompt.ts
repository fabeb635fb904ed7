import { encodeLiteral, encodePrompt, type PromptTokenizer, SPECIAL_TOKENS, special, text } from '@zhibing/prompt';
import type { EngineCapabilities, GenerationRequest, GenerationSettings } from '../engine.port';
import { ChatTemplate } from './chat-template';
import type { ModelFolder } from './model-folder';

/** What the prompt side needs from a Hugging Face tokenizer. */
export interface TokenizerLike {
  encode(text: string, options?: { add_special_tokens?: boolean }): { ids: number[] };
  token_to_id(token: string): number | undefined;
}

/** The special tokens of GLM blank-infilling models (XDAI); a tokenizer with any other is a chat model's. */
const BLANK_INFILLING_TOKENS = new Set<string>(SPECIAL_TOKENS);

/** Tokens that end a chat model's turn besides its eos ids: the next speaker's role. */
const CHAT_TURN_ENDS = ['<|user|>', '<|observation|>'];

/**
 * How a model folder wants its prompts: the format, the encoding that keeps user and knowledge
 * text literal against EVERY special token of the tokenizer, and the token ids that end a
 * generation. The folder decides:
 * - a chat template (tokenizer_config.json or chat_template.jinja): messages rendered with it;
 * - no template, `[MASK]` and `<sop>` and no specials beyond the GLM family's: XDAI blank infilling
 *   (the project's own seeded presets);
 * - otherwise, with `<|user|>` / `<|assistant|>`: the GLM-4 chat layout written by hand.
 */
export class ModelPrompt {
  readonly format: EngineCapabilities['promptFormat'];
  readonly literal: PromptTokenizer;

  /** The prompt side of a loaded model folder (compiles its chat template, if any). */
  static async create(folder: ModelFolder, tokenizer: TokenizerLike): Promise<ModelPrompt> {
    const file = folder.chatTemplateFile ?? 'tokenizer_config.json';
    return new ModelPrompt(
      folder,
      tokenizer,
      folder.chatTemplate ? await ChatTemplate.compile(folder.chatTemplate, folder.tokenizerConfig, file) : null,
    );
  }

  private constructor(
    private readonly folder: ModelFolder,
    private readonly tokenizer: TokenizerLike,
    private readonly template: ChatTemplate | null,
  ) {
    this.literal = {
      encode: (t) => tokenizer.encode(t, { add_special_tokens: false }).ids,
      tokenToId: (t) => tokenizer.token_to_id(t),
      specialTokens: folder.specialTokens,
    };
    const has = (token: string) => tokenizer.token_to_id(token) !== undefined;
    const beyondGlm = folder.specialTokens.some((t) => !BLANK_INFILLING_TOKENS.has(t));
    if (this.template) this.format = 'messages';
    else if (has('[MASK]') && has('<sop>') && !beyondGlm) this.format = 'glm';
    else if (has('<|user|>') && has('<|assistant|>')) this.format = 'glm4-chat';
    else this.format = 'messages';
  }

  /** A chat model's template renders messages; the engine takes messages, not hand-made segments. */
  get hasChatTemplate(): boolean {
    return this.template !== null;
  }

  /**
   * Token ids of a request. Segments: text literal, controls by id. Messages: the chat template
   * with content spliced in literally, or the GLM-4 layout. A raw prompt string is trusted.
   */
  encode(request: GenerationRequest): number[] {
    if (request.segments) return encodePrompt(this.literal, request.segments as Parameters<typeof encodePrompt>[1]);
    if (request.prompt !== undefined) return this.literal.encode(request.prompt);
    const messages = request.messages ?? [];
    if (this.template) {
      return this.template
        .render(messages)
        .flatMap((piece) =>
          piece.kind === 'control' ? this.literal.encode(piece.text) : encodeLiteral(this.literal, piece.text),
        );
    }
    const segments = [special('[gMASK]'), special('<sop>')];
    for (const message of messages)
      segments.push(special(`<|${message.role}|>` as '<|user|>'), text(`\n${message.content}`));
    segments.push(special('<|assistant|>'), text('\n'));
    return encodePrompt(this.literal, segments);
  }

  /**
   * Where generation stops: token ids (eos ids of config.json and generation_config.json, the
   * next speaker's role token for chat formats, and every stop string that is a special token
   * of the model; decoding skips specials, so as strings they could never match) and the stop
   * strings that are plain text.
   */
  stops(settings: GenerationSettings): { ids: Set<number>; strings: string[] } {
    const ids = new Set<number>();
    const strings: string[] = [];
    const specials = new Set(this.folder.specialTokens);
    for (const stop of settings.stop ?? []) {
      const id = specials.has(stop) ? this.tokenizer.token_to_id(stop) : undefined;
      if (id !== undefined) ids.add(id);
      else if (!specials.has(stop)) strings.push(stop);
    }
    if (settings.ignoreEos) return { ids, strings };
    for (const id of this.folder.eosIds) ids.add(id);
    if (this.format !== 'glm') {
      for (const token of CHAT_TURN_ENDS) {
        const id = this.tokenizer.token_to_id(token);
        if (id !== undefined) ids.add(id);
      }
    }
    return { ids, strings };
  }
}
