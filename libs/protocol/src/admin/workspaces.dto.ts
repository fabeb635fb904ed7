import { z } from 'zod';

export const createWorkspaceSchema = z
  .object({
    name: z
      .string()
      .trim()
      .min(1)
      .max(120)
      .regex(/^[\p{L}\p{N}][\p{L}\p{N} ._-]*$/u, 'letters, digits, space, . _ - only'),
  })
  .strict();
export type CreateWorkspaceDto = z.infer<typeof createWorkspaceSchema>;

export interface WorkspaceDto {
  id: string;
  name: string;
  createdAt: string;
}
