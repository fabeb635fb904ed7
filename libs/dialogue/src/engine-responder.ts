import type { Engine, GenerationEvent } from '@zhibing/engine';
import {
  chatMessages,
  fitToBudget,
  glm4Chat,
  glmBlankInfilling,
  type PromptInput,
  segmentsToString,
} from '@zhibing/prompt';
import type { ReplyContext, Responder, ResponderTrace } from './responder.port';

/**
 * Replies through a generative engine: the prompt template of the engine's family (GLM blank
 * infilling, GLM-4 chat, or messages), fitted to its context, generated with the persona's settings.
 */
export class EngineResponder implements Responder {
  readonly name: string;

  constructor(private readonly engine: Engine) {
    this.name = engine.name;
  }

  countTokens(text: string): number {
    return this.engine.countTokens(text);
  }

  reply(context: ReplyContext): { trace: ResponderTrace; events: AsyncIterable<GenerationEvent> } {
    const settings = context.persona.generation;
    const format = this.engine.capabilities.promptFormat;
    const budget = this.engine.capabilities.contextLength - settings.maxTokens;
    const render = (input: PromptInput) =>
      format === 'glm'
        ? segmentsToString(glmBlankInfilling(input))
        : format === 'glm4-chat'
          ? segmentsToString(glm4Chat(input))
          : chatMessages(input)
              .map((m) => m.content)
              .join('\n');
    const { input, dropped } = fitToBudget(context.prompt, budget, (i) => this.engine.countTokens(render(i)));
    const request = {
      settings: {
        maxTokens: settings.maxTokens,
        temperature: settings.temperature,
        topK: settings.topK,
        topP: settings.topP,
        repetitionPenalty: settings.repetitionPenalty,
        stop: ['<eop>', '<|user|>', '<|observation|>'],
      },
      signal: context.signal,
      ...(format === 'messages'
        ? { messages: chatMessages(input) }
        : { segments: format === 'glm' ? glmBlankInfilling(input) : glm4Chat(input) }),
    };
    const prompt = render(input);
    return {
      trace: { engine: this.engine.name, prompt, promptTokens: this.engine.countTokens(prompt), dropped },
      events: this.engine.generate(request),
    };
  }
}
