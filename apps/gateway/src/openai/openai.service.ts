import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { ENGINE, type Engine, type GenerationEvent, type GenerationRequest } from '@zhibing/engine';
import { ZhibingError } from '@zhibing/protocol';
import type { ChatCompletionRequest, CompletionRequest } from './openai.dto';

type End = Extract<GenerationEvent, { type: 'end' }>;

/** Maps OpenAI requests onto the configured engine and engine events back onto OpenAI objects. */
@Injectable()
export class OpenAiService {
  constructor(@Inject(ENGINE) private readonly engine: Engine | null) {}

  models() {
    const engine = this.require();
    return { object: 'list', data: [{ id: engine.name, object: 'model', created: 0, owned_by: 'zhibing' }] };
  }

  /** The engine request and the OpenAI object kind for a chat or text completion. */
  request(body: ChatCompletionRequest | CompletionRequest, signal: AbortSignal): { engine: Engine; request: GenerationRequest; chat: boolean } {
    const engine = this.require();
    const chat = 'messages' in body;
    const settings = {
      maxTokens: body.max_tokens,
      temperature: body.temperature,
      topP: body.top_p,
      seed: body.seed,
      stop: typeof body.stop === 'string' ? [body.stop] : body.stop,
    };
    return { engine, chat, request: { ...(chat ? { messages: body.messages } : { prompt: body.prompt }), settings, signal } };
  }

  /** One SSE chunk object for a text delta (or the final chunk with its finish reason). */
  chunk(id: string, chat: boolean, model: string, delta: string | null, finish: string | null) {
    const created = Math.floor(Date.now() / 1000);
    return chat
      ? { id, object: 'chat.completion.chunk', created, model, choices: [{ index: 0, delta: delta === null ? {} : { content: delta }, finish_reason: finish }] }
      : { id, object: 'text_completion', created, model, choices: [{ index: 0, text: delta ?? '', finish_reason: finish }] };
  }

  /** The whole completion object once generation has ended. */
  complete(id: string, chat: boolean, model: string, end: End) {
    const created = Math.floor(Date.now() / 1000);
    const usage = { prompt_tokens: end.usage.promptTokens, completion_tokens: end.usage.completionTokens, total_tokens: end.usage.promptTokens + end.usage.completionTokens };
    const finish_reason = finishReason(end);
    return chat
      ? { id, object: 'chat.completion', created, model, choices: [{ index: 0, message: { role: 'assistant', content: end.text }, finish_reason }], usage }
      : { id, object: 'text_completion', created, model, choices: [{ index: 0, text: end.text, finish_reason }], usage };
  }

  newId(chat: boolean): string {
    return `${chat ? 'chatcmpl' : 'cmpl'}-${randomUUID()}`;
  }

  private require(): Engine {
    if (!this.engine) throw new ZhibingError('engine_not_configured', 'No generative engine is configured (ZHIBING_ENGINE); the OpenAI-compatible API serves one');
    return this.engine;
  }
}

export function finishReason(end: End): string {
  return end.finishReason === 'length' ? 'length' : 'stop';
}
