import { Body, Controller, Get, Post, Req, Res, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { GenerationEvent } from '@zhibing/engine';
import type { Request, Response } from 'express';
import { AdminAuthGuard } from '../auth/admin-auth.guard';
import { CurrentPrincipal, type Principal } from '../auth/principal';
import { ZodPipe } from '../common/zod-body.pipe';
import {
  type ChatCompletionRequest,
  chatCompletionSchema,
  type CompletionRequest,
  completionSchema,
} from './openai.dto';
import { finishReason, OpenAiService, usageOf } from './openai.service';

/**
 * OpenAI-compatible API: the workspace's personas as models (grounded turns, stored) and the
 * configured engine, so Open WebUI, other tools and other gateways can use it.
 */
@ApiTags('openai')
@ApiBearerAuth()
@UseGuards(AdminAuthGuard)
@Controller('v1')
export class OpenAiController {
  constructor(private readonly openai: OpenAiService) {}

  @Get('models')
  models(@CurrentPrincipal() principal: Principal) {
    return this.openai.models(principal);
  }

  @Post('chat/completions')
  chat(
    @CurrentPrincipal() principal: Principal,
    @Body(new ZodPipe(chatCompletionSchema)) body: ChatCompletionRequest,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    return this.respond(principal, body, request, response);
  }

  @Post('completions')
  completions(
    @CurrentPrincipal() principal: Principal,
    @Body(new ZodPipe(completionSchema)) body: CompletionRequest,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    return this.respond(principal, body, request, response);
  }

  /** Streams SSE or answers JSON; a client that goes away aborts the generation. */
  private async respond(
    principal: Principal,
    body: ChatCompletionRequest | CompletionRequest,
    request: Request,
    response: Response,
  ): Promise<void> {
    const controller = new AbortController();
    response.on('close', () => {
      if (!response.writableFinished) controller.abort();
    });
    const { model, chat, events, conversationId } = await this.openai.open(principal, body, controller.signal);
    const id = this.openai.newId(chat);
    // Where the stored turn and its trace are: GET /v1/conversations/:id.
    if (conversationId) response.setHeader('x-zhibing-conversation-id', conversationId);
    if (!body.stream) {
      let end: Extract<GenerationEvent, { type: 'end' }> | undefined;
      for await (const event of events) if (event.type === 'end') end = event;
      response.status(200).json(this.openai.complete(id, chat, model, end!));
      return;
    }
    response
      .status(200)
      .set({
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache',
        connection: 'keep-alive',
      })
      .flushHeaders();
    const send = (payload: unknown) => response.write(`data: ${JSON.stringify(payload)}\n\n`);
    if (chat)
      send({
        ...this.openai.chunk(id, chat, model, null, null),
        choices: [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }],
      });
    try {
      for await (const event of events) {
        if (event.type === 'delta') send(this.openai.chunk(id, chat, model, event.text, null));
        else send({ ...this.openai.chunk(id, chat, model, null, finishReason(event)), usage: usageOf(event) });
      }
      response.write('data: [DONE]\n\n');
    } catch (error) {
      // Headers are sent: report in-band, as OpenAI servers do.
      const code = (error as { code?: string }).code ?? 'engine_failed';
      send({ error: { message: 'generation failed', type: 'server_error', code } });
    }
    response.end();
  }
}
