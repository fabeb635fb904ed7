import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query, Res, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiTags } from '@nestjs/swagger';
import {
  createKnowledgeBaseSchema,
  createKnowledgeItemSchema,
  knowledgeFormatSchema,
  listKnowledgeItemsQuerySchema,
  selectKnowledgeSchema,
  updateKnowledgeItemSchema,
  ZhibingError,
} from '@zhibing/protocol';
import type { Response } from 'express';
import { z } from 'zod';
import { AdminAuthGuard } from '../auth/admin-auth.guard';
import { CurrentPrincipal, type Principal } from '../auth/principal';
import { ZodPipe } from '../common/zod-body.pipe';
import { KnowledgeAdminService } from './knowledge-admin.service';

/** Knowledge bases of the caller's workspace: CRUD, items, import/export, and selection preview. */
@ApiTags('knowledge')
@ApiBearerAuth()
@UseGuards(AdminAuthGuard)
@Controller('v1/knowledge-bases')
export class KnowledgeController {
  constructor(private readonly knowledge: KnowledgeAdminService) {}

  @Get()
  list(@CurrentPrincipal() principal: Principal) {
    return this.knowledge.list(principal.workspaceId);
  }

  @Post()
  @HttpCode(201)
  @ApiBody({ schema: z.toJSONSchema(createKnowledgeBaseSchema, { io: 'input' }) as object })
  create(
    @CurrentPrincipal() principal: Principal,
    @Body(new ZodPipe(createKnowledgeBaseSchema)) body: z.infer<typeof createKnowledgeBaseSchema>,
  ) {
    return this.knowledge.create(principal.workspaceId, body);
  }

  @Get(':kb')
  get(@CurrentPrincipal() principal: Principal, @Param('kb') kb: string) {
    return this.knowledge.get(principal.workspaceId, kb);
  }

  @Delete(':kb')
  @HttpCode(204)
  async remove(@CurrentPrincipal() principal: Principal, @Param('kb') kb: string): Promise<void> {
    await this.knowledge.remove(principal.workspaceId, kb);
  }

  /** A page of items (oldest first); the X-Total-Count header says how many match in all. */
  @Get(':kb/items')
  async items(
    @CurrentPrincipal() principal: Principal,
    @Param('kb') kb: string,
    @Query(new ZodPipe(listKnowledgeItemsQuerySchema)) query: z.infer<typeof listKnowledgeItemsQuerySchema>,
    @Res({ passthrough: true }) response: Response,
  ) {
    const { items, total } = await this.knowledge.items(principal.workspaceId, kb, query);
    response.setHeader('x-total-count', String(total));
    return items;
  }

  @Post(':kb/items')
  @HttpCode(201)
  @ApiBody({ schema: z.toJSONSchema(createKnowledgeItemSchema, { io: 'input' }) as object })
  addItem(
    @CurrentPrincipal() principal: Principal,
    @Param('kb') kb: string,
    @Body(new ZodPipe(createKnowledgeItemSchema)) body: z.infer<typeof createKnowledgeItemSchema>,
  ) {
    return this.knowledge.addItem(principal.workspaceId, kb, body);
  }

  /**
   * Edits an item's content (its kind's fields, or `source`). The edited item gets a new id (the
   * old one is removed and the new one added, in one transaction); the response carries it.
   */
  @Patch(':kb/items/:id')
  @ApiBody({ schema: z.toJSONSchema(updateKnowledgeItemSchema, { io: 'input' }) as object })
  updateItem(
    @CurrentPrincipal() principal: Principal,
    @Param('kb') kb: string,
    @Param('id') id: string,
    @Body(new ZodPipe(updateKnowledgeItemSchema)) body: z.infer<typeof updateKnowledgeItemSchema>,
  ) {
    return this.knowledge.updateItem(principal.workspaceId, kb, id, body);
  }

  @Delete(':kb/items/:id')
  @HttpCode(204)
  async deleteItem(
    @CurrentPrincipal() principal: Principal,
    @Param('kb') kb: string,
    @Param('id') id: string,
  ): Promise<void> {
    await this.knowledge.deleteItem(principal.workspaceId, kb, id);
  }

  /** Body: the file itself (JSON Lines, CSV, or KdConv kb.json), as text. Creates the base if missing. */
  @Post(':kb/import')
  @ApiBody({ schema: { type: 'string', description: 'file content' } })
  import(
    @CurrentPrincipal() principal: Principal,
    @Param('kb') kb: string,
    @Query(new ZodPipe(knowledgeFormatSchema)) query: z.infer<typeof knowledgeFormatSchema>,
    @Body() body: unknown,
  ) {
    if (typeof body !== 'string' || body.length === 0) {
      throw new ZhibingError(
        'import_invalid',
        'Send the file as the request body with Content-Type text/plain, text/csv or application/x-ndjson',
      );
    }
    return this.knowledge.import(principal.workspaceId, kb, query.format, body);
  }

  @Get(':kb/export')
  async export(
    @CurrentPrincipal() principal: Principal,
    @Param('kb') kb: string,
    @Query(new ZodPipe(knowledgeFormatSchema)) query: z.infer<typeof knowledgeFormatSchema>,
    @Res() response: Response,
  ): Promise<void> {
    const lines = await this.knowledge.export(principal.workspaceId, kb, query.format);
    response.type(query.format === 'csv' ? 'text/csv' : 'application/x-ndjson');
    for await (const line of lines) response.write(`${line}\n`);
    response.end();
  }

  /**
   * Embeds the base's items that have no vector of the configured embedder (all of them after a
   * change of embedder); what is already embedded is skipped. The CLI shows progress for big bases.
   */
  @Post(':kb/reembed')
  @HttpCode(200)
  reembed(@CurrentPrincipal() principal: Principal, @Param('kb') kb: string) {
    return this.knowledge.reembed(principal.workspaceId, kb);
  }

  /** What the persona would be given for the reply to the newest turn, with score parts. */
  @Post(':kb/select')
  @ApiBody({ schema: z.toJSONSchema(selectKnowledgeSchema, { io: 'input' }) as object })
  select(
    @CurrentPrincipal() principal: Principal,
    @Param('kb') kb: string,
    @Body(new ZodPipe(selectKnowledgeSchema)) body: z.infer<typeof selectKnowledgeSchema>,
  ) {
    return this.knowledge.select(principal.workspaceId, kb, body.turns, body.top);
  }
}
