import { ZhibingError } from '@zhibing/protocol';

export class KnowledgeBaseNotFoundError extends ZhibingError {
  constructor(nameOrId: string) {
    super('knowledge_base_not_found', `No knowledge base "${nameOrId}" in this workspace`);
  }
}

export class KnowledgeItemNotFoundError extends ZhibingError {
  constructor(id: string) {
    super('knowledge_item_not_found', `No knowledge item ${id} in this knowledge base`);
  }
}
