import { z } from 'zod';

const text = (max: number) => z.string().trim().min(1).max(max);

/**
 * An edit of one knowledge item: only the fields of its kind (a QA pair's question/answer, a
 * description's entity/text, a fact's head/relation/tail), each optional; `source` for any kind.
 */
export const updateKnowledgeItemSchema = z
  .object({
    question: text(2000),
    answer: text(8000),
    entity: text(200),
    text: text(20000),
    head: text(200),
    relation: text(100),
    tail: text(8000),
    source: z.string().trim().max(500),
  })
  .partial()
  .strict()
  .refine((edit) => Object.keys(edit).length > 0, { message: 'Give at least one field to change' });
export type UpdateKnowledgeItemDto = z.infer<typeof updateKnowledgeItemSchema>;
