import { Injectable } from '@nestjs/common';
import {
  type ImportFormat,
  KnowledgeItemNotFoundError,
  type KnowledgeKind,
  type KnowledgeRecord,
  KnowledgeService,
} from '@zhibing/knowledge';
import { type UpdateKnowledgeItemDto, ZhibingError } from '@zhibing/protocol';
import { editedRecord } from './edited-record';

/** Resolves the knowledge base of a workspace by name or id and calls the knowledge service. */
@Injectable()
export class KnowledgeAdminService {
  constructor(private readonly knowledge: KnowledgeService) {}

  list(workspaceId: string) {
    return this.knowledge.repository.listKnowledgeBases(workspaceId);
  }

  async create(workspaceId: string, input: { name: string; description: string }) {
    const { kb, created } = await this.knowledge.repository.ensureKnowledgeBase(
      workspaceId,
      input.name,
      input.description,
    );
    if (!created)
      throw new ZhibingError('knowledge_base_conflict', `A knowledge base named "${input.name}" already exists`);
    return kb;
  }

  get(workspaceId: string, kb: string) {
    return this.knowledge.requireKnowledgeBase(workspaceId, kb);
  }

  async remove(workspaceId: string, kb: string): Promise<void> {
    const found = await this.knowledge.requireKnowledgeBase(workspaceId, kb);
    await this.knowledge.repository.deleteKnowledgeBase(found.id);
  }

  async items(
    workspaceId: string,
    kb: string,
    query: { kind?: KnowledgeKind; entity?: string; q?: string; limit: number; offset: number },
  ) {
    const found = await this.knowledge.requireKnowledgeBase(workspaceId, kb);
    const [items, total] = await Promise.all([
      this.knowledge.repository.listItems(found.id, query),
      this.knowledge.repository.countItems(found.id, query),
    ]);
    return { items, total };
  }

  async addItem(workspaceId: string, kb: string, record: KnowledgeRecord) {
    const found = await this.knowledge.requireKnowledgeBase(workspaceId, kb);
    return this.knowledge.addItem(found.id, record);
  }

  async updateItem(workspaceId: string, kb: string, id: string, edit: UpdateKnowledgeItemDto) {
    const found = await this.knowledge.requireKnowledgeBase(workspaceId, kb);
    const item = await this.knowledge.repository.getItem(found.id, id);
    if (!item) throw new KnowledgeItemNotFoundError(id);
    return this.knowledge.replaceItem(found.id, id, editedRecord(item, edit));
  }

  async deleteItem(workspaceId: string, kb: string, id: string): Promise<void> {
    const found = await this.knowledge.requireKnowledgeBase(workspaceId, kb);
    await this.knowledge.deleteItem(found.id, id);
  }

  import(workspaceId: string, kb: string, format: ImportFormat, content: string) {
    return this.knowledge.importFile(workspaceId, kb, format, content);
  }

  async export(workspaceId: string, kb: string, format: ImportFormat) {
    const found = await this.knowledge.requireKnowledgeBase(workspaceId, kb);
    return this.knowledge.exportLines(found.id, format);
  }

  async reembed(workspaceId: string, kb: string) {
    const found = await this.knowledge.requireKnowledgeBase(workspaceId, kb);
    return this.knowledge.reembed(found.id);
  }

  async select(workspaceId: string, kb: string, turns: string[], top: number) {
    const found = await this.knowledge.requireKnowledgeBase(workspaceId, kb);
    const selection = await this.knowledge.select(found.id, turns, top);
    return {
      degraded: selection.degraded ?? null,
      items: selection.items.map(({ item, score, parts }) => ({ ...item, score, parts })),
    };
  }
}
