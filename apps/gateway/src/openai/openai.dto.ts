import { z } from 'zod';

const sampling = {
  model: z.string().max(200).optional(),
  stream: z.boolean().default(false),
  max_tokens: z.number().int().min(1).max(8192).optional(),
  temperature: z.number().min(0).max(2).optional(),
  top_p: z.number().min(0).max(1).optional(),
  seed: z.number().int().optional(),
  stop: z.union([z.string(), z.array(z.string()).max(8)]).optional(),
};

/** The subset of OpenAI's chat completion request Zhibing honours; unknown fields are ignored. */
export const chatCompletionSchema = z.object({
  ...sampling,
  messages: z
    .array(z.object({ role: z.enum(['system', 'user', 'assistant']), content: z.string().max(100_000) }))
    .min(1),
});

export const completionSchema = z.object({ ...sampling, prompt: z.string().max(200_000) });

export type ChatCompletionRequest = z.infer<typeof chatCompletionSchema>;
export type CompletionRequest = z.infer<typeof completionSchema>;
