import { Body, Controller, Get, Post, Req, Res, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { GenerationEvent } from '@zhibing/engine';
import type { Request, Response } from 'express';
import { AdminAuthGuard } from '../auth/admin-auth.guard';
import { ZodPipe } from '../common/zod-body.pipe';
import { type ChatCompletionRequest, chatCompletionSchema, type CompletionRequest, completionSchema } from './openai.dto';
import { finishReason, OpenAiService } from './openai.service';

/** OpenAI-compatible API over the configured engine, so other tools (and other gateways) can use it. */
@ApiTags('openai')
@ApiBearerAuth()
@UseGuards(AdminAuthGuard)
@Controller('v1')
export class OpenAiController {
  constructor(private readonly openai: OpenAiService) {}

  @Get('models')
  models() {
    return this.openai.models();
  }

  @Post('chat/completions')
  chat(@Body(new ZodPipe(chatCompletionSchema)) body: ChatCompletionRequest, @Req() request: Request, @Res() response: Response): Promise<void> {
    return this.respond(body, request, response);
  }

  @Post('completions')
  completions(@Body(new ZodPipe(completionSchema)) body: CompletionRequest, @Req() request: Request, @Res() response: Response): Promise<void> {
    return this.respond(body, request, response);
  }

  /** Streams SSE or answers JSON; a client that goes away aborts the generation. */
  private async respond(body: ChatCompletionRequest | CompletionRequest, request: Request, response: Response): Promise<void> {
    const controller = new AbortController();
    response.on('close', () => controller.abort());
    const { engine, request: generation, chat } = this.openai.request(body, controller.signal);
    const id = this.openai.newId(chat);
    if (!body.stream) {
      let end: Extract<GenerationEvent, { type: 'end' }> | undefined;
      for await (const event of engine.generate(generation)) if (event.type === 'end') end = event;
      response.status(200).json(this.openai.complete(id, chat, engine.name, end!));
      return;
    }
    response.status(200).set({ 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive' }).flushHeaders();
    const send = (payload: unknown) => response.write(`data: ${JSON.stringify(payload)}\n\n`);
    if (chat) send({ ...this.openai.chunk(id, chat, engine.name, null, null), choices: [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }] });
    try {
      for await (const event of engine.generate(generation)) {
        if (event.type === 'delta') send(this.openai.chunk(id, chat, engine.name, event.text, null));
        else send({ ...this.openai.chunk(id, chat, engine.name, null, finishReason(event)), usage: { prompt_tokens: event.usage.promptTokens, completion_tokens: event.usage.completionTokens, total_tokens: event.usage.promptTokens + event.usage.completionTokens } });
      }
      response.write('data: [DONE]\n\n');
    } catch (error) {
      // Headers are sent: report in-band, as OpenAI servers do.
      send({ error: { message: 'generation failed', code: (error as { code?: string }).code ?? 'engine_failed' } });
    }
    response.end();
  }
}
