import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { TranscriptChatService } from '@zhibing/dialogue';
import { ENGINE, type Engine, type GenerationEvent } from '@zhibing/engine';
import { PersonaRepository } from '@zhibing/persona';
import { ZhibingError } from '@zhibing/protocol';
import type { Principal } from '../auth/principal';
import type { ChatCompletionRequest, CompletionRequest } from './openai.dto';

type End = Extract<GenerationEvent, { type: 'end' }>;

/** What answers one OpenAI request: its model name, the events, and the conversation it is stored in (personas). */
export interface OpenAiSource {
  model: string;
  chat: boolean;
  events: AsyncIterable<GenerationEvent>;
  conversationId?: string;
}

/**
 * Maps OpenAI requests onto Zhibing and its events back onto OpenAI objects. A `model` that is
 * a persona of the caller's workspace runs the whole turn pipeline (grounded, stored with its
 * trace on channel `openai`), with the engine or, with none configured, the retrieval responder;
 * any other model goes straight to the configured engine.
 */
@Injectable()
export class OpenAiService {
  constructor(
    @Inject(ENGINE) private readonly engine: Engine | null,
    private readonly personas: PersonaRepository,
    private readonly transcripts: TranscriptChatService,
  ) {}

  /** The workspace's personas, then the engine's model when one is configured. */
  async models(principal: Principal) {
    const personas = (await this.personas.list(principal.workspaceId)).map((p) => ({
      id: p.id,
      object: 'model',
      created: 0,
      owned_by: principal.workspaceId,
      name: p.name,
    }));
    const engine = this.engine ? [{ id: this.engine.name, object: 'model', created: 0, owned_by: 'zhibing' }] : [];
    return { object: 'list', data: [...personas, ...engine] };
  }

  /** Starts answering a chat or text completion; errors before the first event are thrown (problem+json). */
  async open(
    principal: Principal,
    body: ChatCompletionRequest | CompletionRequest,
    signal: AbortSignal,
  ): Promise<OpenAiSource> {
    const chat = 'messages' in body;
    if (chat && body.model && (await this.personas.get(principal.workspaceId, body.model))) {
      const caller = { workspaceId: principal.workspaceId, personaIds: principal.personaIds, channel: 'openai' };
      const reply = await this.transcripts.reply(caller, { personaId: body.model, messages: body.messages, signal });
      return { model: body.model, chat, events: reply.events, conversationId: reply.conversationId };
    }
    const engine = this.require();
    const settings = {
      maxTokens: body.max_tokens,
      temperature: body.temperature,
      topP: body.top_p,
      seed: body.seed,
      stop: typeof body.stop === 'string' ? [body.stop] : body.stop,
    };
    const request = { ...(chat ? { messages: body.messages } : { prompt: body.prompt }), settings, signal };
    return { model: engine.name, chat, events: engine.generate(request) };
  }

  /** One SSE chunk object for a text delta (or the final chunk with its finish reason). */
  chunk(id: string, chat: boolean, model: string, delta: string | null, finish: string | null) {
    const created = Math.floor(Date.now() / 1000);
    return chat
      ? {
          id,
          object: 'chat.completion.chunk',
          created,
          model,
          choices: [{ index: 0, delta: delta === null ? {} : { content: delta }, finish_reason: finish }],
        }
      : {
          id,
          object: 'text_completion',
          created,
          model,
          choices: [{ index: 0, text: delta ?? '', finish_reason: finish }],
        };
  }

  /** The whole completion object once generation has ended. */
  complete(id: string, chat: boolean, model: string, end: End) {
    const created = Math.floor(Date.now() / 1000);
    const usage = usageOf(end);
    const finish_reason = finishReason(end);
    return chat
      ? {
          id,
          object: 'chat.completion',
          created,
          model,
          choices: [{ index: 0, message: { role: 'assistant', content: end.text }, finish_reason }],
          usage,
        }
      : {
          id,
          object: 'text_completion',
          created,
          model,
          choices: [{ index: 0, text: end.text, finish_reason }],
          usage,
        };
  }

  newId(chat: boolean): string {
    return `${chat ? 'chatcmpl' : 'cmpl'}-${randomUUID()}`;
  }

  private require(): Engine {
    if (!this.engine)
      throw new ZhibingError(
        'engine_not_configured',
        'No generative engine is configured (ZHIBING_ENGINE); name a persona as the model to chat with it (retrieval)',
      );
    return this.engine;
  }
}

export function finishReason(end: End): string {
  return end.finishReason === 'length' ? 'length' : 'stop';
}

export function usageOf(end: End) {
  return {
    prompt_tokens: end.usage.promptTokens,
    completion_tokens: end.usage.completionTokens,
    total_tokens: end.usage.promptTokens + end.usage.completionTokens,
  };
}
