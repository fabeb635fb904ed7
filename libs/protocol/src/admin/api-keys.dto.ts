import { z } from 'zod';

const origin = z.string().regex(/^(https?:\/\/[^/\s]+|\*)$/, 'must be an origin like https://example.com, or *');

export const createApiKeySchema = z
  .object({
    name: z.string().trim().min(1).max(120),
    scope: z.enum(['admin', 'widget']),
    personaIds: z.array(z.string().min(1).max(120)).max(200).default([]),
    allowedOrigins: z.array(origin).max(50).default([]),
  })
  .strict()
  .refine((key) => key.scope !== 'widget' || key.allowedOrigins.length > 0, {
    message: 'a widget key needs at least one allowed origin',
    path: ['allowedOrigins'],
  })
  .refine((key) => key.scope !== 'widget' || key.personaIds.length > 0, {
    message: 'a widget key needs at least one persona it may talk to',
    path: ['personaIds'],
  });
export type CreateApiKeyDto = z.infer<typeof createApiKeySchema>;

export interface ApiKeyDto {
  id: string;
  workspaceId: string;
  name: string;
  scope: 'root' | 'admin' | 'widget';
  prefix: string;
  personaIds: string[];
  allowedOrigins: string[];
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

/** Returned once, at creation: the only time the secret is shown. */
export interface CreatedApiKeyDto extends ApiKeyDto {
  key: string;
}
