import { z } from 'zod';

/**
 * `GET /v1/scenario-records`: records scenarios stored (visitor registrations), newest first,
 * by kind and persona; `format=csv` downloads them (one column per data field).
 */
export const scenarioRecordsQuerySchema = z
  .object({
    kind: z
      .string()
      .regex(/^[a-z][a-z0-9-]{0,40}$/)
      .optional(),
    personaId: z.string().min(1).max(100).optional(),
    format: z.enum(['json', 'csv']).default('json'),
    limit: z.coerce.number().int().min(1).max(10_000).optional(),
    offset: z.coerce.number().int().min(0).default(0),
  })
  .strict();
export type ScenarioRecordsQuery = z.infer<typeof scenarioRecordsQuerySchema>;

/** `GET /v1/handoffs`: a conversation whose visitor asked for a person and no operator has taken over yet. */
export interface HandoffView {
  conversationId: string;
  personaId: string;
  reason: string;
  /** When the visitor asked (ISO 8601). */
  at: string;
}
