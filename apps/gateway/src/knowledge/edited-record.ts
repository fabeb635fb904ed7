import type { KnowledgeRecord, StoredKnowledgeItem } from '@zhibing/knowledge';
import { type UpdateKnowledgeItemDto, ValidationError } from '@zhibing/protocol';

const FIELDS = {
  qa: ['question', 'answer'],
  description: ['entity', 'text'],
  fact: ['head', 'relation', 'tail'],
} as const;

/**
 * The stored item with an edit applied, as the record to write. An edit may only name the fields
 * of the item's kind (a QA pair cannot gain a `tail`): anything else is `validation_invalid`.
 */
export function editedRecord(item: StoredKnowledgeItem, edit: UpdateKnowledgeItemDto): KnowledgeRecord {
  const allowed: readonly string[] = [...FIELDS[item.kind], 'source'];
  const foreign = Object.keys(edit).filter((key) => !allowed.includes(key));
  if (foreign.length > 0) {
    throw new ValidationError(
      foreign.map((key) => ({ path: key, message: `is not a field of a ${item.kind} item (${allowed.join(', ')})` })),
    );
  }
  const source = edit.source === undefined ? (item.source ?? undefined) : edit.source || undefined;
  switch (item.kind) {
    case 'qa':
      return { type: 'qa', question: edit.question ?? item.question!, answer: edit.answer ?? item.answer!, source };
    case 'description':
      return { type: 'description', entity: edit.entity ?? item.head!, text: edit.text ?? item.text!, source };
    case 'fact':
      return {
        type: 'triple',
        head: edit.head ?? item.head!,
        relation: edit.relation ?? item.relation!,
        tail: edit.tail ?? item.tail!,
        source,
      };
  }
}
