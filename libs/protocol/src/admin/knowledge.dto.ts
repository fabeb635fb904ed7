import { z } from 'zod';

export const createKnowledgeBaseSchema = z
  .object({
    name: z.string().trim().min(1).max(120),
    description: z.string().max(2000).default(''),
  })
  .strict();
export type CreateKnowledgeBaseDto = z.infer<typeof createKnowledgeBaseSchema>;

const text = (max: number) => z.string().trim().min(1).max(max);

/** One knowledge item to add: a QA pair, a description of an entity, or a fact (triple). */
export const createKnowledgeItemSchema = z.discriminatedUnion('type', [
  z
    .object({ type: z.literal('qa'), question: text(2000), answer: text(8000), source: z.string().max(500).optional() })
    .strict(),
  z
    .object({
      type: z.literal('description'),
      entity: text(200),
      text: text(20000),
      source: z.string().max(500).optional(),
    })
    .strict(),
  z
    .object({
      type: z.literal('triple'),
      head: text(200),
      relation: text(100),
      tail: text(8000),
      source: z.string().max(500).optional(),
    })
    .strict(),
]);
export type CreateKnowledgeItemDto = z.infer<typeof createKnowledgeItemSchema>;

export const listKnowledgeItemsQuerySchema = z.object({
  kind: z.enum(['qa', 'description', 'fact']).optional(),
  entity: z.string().max(200).optional(),
  /** Items whose text (any field, source included) contains this, case-insensitive. */
  q: z.string().trim().min(1).max(200).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});

export const knowledgeFormatSchema = z.object({ format: z.enum(['qa', 'triples', 'descriptions', 'csv']) });

export const selectKnowledgeSchema = z
  .object({
    turns: z.array(z.string().max(4000)).min(1).max(200),
    top: z.number().int().min(1).max(100).default(5),
  })
  .strict();
