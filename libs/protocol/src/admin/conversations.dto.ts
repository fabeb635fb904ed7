import { z } from 'zod';

const filters = {
  personaId: z.string().max(120).optional(),
  visitorId: z.string().max(200).optional(),
  channel: z.string().max(60).optional(),
  status: z.enum(['open', 'closed']).optional(),
  /** Conversations started at or after this instant (ISO 8601). */
  from: z.iso.datetime({ offset: true }).optional(),
  /** Conversations started before this instant (ISO 8601). */
  to: z.iso.datetime({ offset: true }).optional(),
  /** Conversations with a turn whose text contains this, case-insensitive. */
  q: z.string().trim().min(1).max(200).optional(),
};

/** Conversation search: every filter optional, combined with AND; newest first, paged. */
export const searchConversationsQuerySchema = z.object({
  ...filters,
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});
export type SearchConversationsQuery = z.infer<typeof searchConversationsQuerySchema>;

/** Export of the conversations a search finds (at most `limit`), as JSON Lines or CSV. */
export const exportConversationsQuerySchema = z.object({
  ...filters,
  format: z.enum(['jsonl', 'csv']).default('jsonl'),
  limit: z.coerce.number().int().min(1).max(10_000).default(1000),
});
export type ExportConversationsQuery = z.infer<typeof exportConversationsQuerySchema>;

/** A reviewer's verdict on one persona reply: a thumb and/or 1–5 stars, and a note. */
export const reviewTurnSchema = z
  .object({
    thumb: z.enum(['up', 'down']).nullable().optional(),
    stars: z.number().int().min(1).max(5).nullable().optional(),
    note: z.string().trim().max(4000).default(''),
  })
  .strict()
  .refine((r) => r.thumb != null || r.stars != null || r.note !== '', {
    message: 'Give a thumb, stars or a note',
  });
export type ReviewTurnDto = z.infer<typeof reviewTurnSchema>;
