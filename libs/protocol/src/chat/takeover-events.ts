import { z } from 'zod';

/** The name a visitor sees on an operator's messages ("Li Na", "前台小王"). */
const operatorName = z.string().trim().min(1).max(60);

/** Admin → server (REST `POST /v1/conversations/:id/takeover`): a person answers from now on. */
export const takeoverSchema = z.object({ operatorName }).strict();
export type TakeoverInput = z.infer<typeof takeoverSchema>;

/** Operator socket → server: watch a conversation live (its visitor messages and replies). */
export const operatorJoinSchema = z.object({ conversationId: z.string().uuid() }).strict();

/** Operator socket → server: the operator's answer, stored once per clientMessageId. */
export const operatorMessageSchema = z
  .object({
    conversationId: z.string().uuid(),
    clientMessageId: z.string().min(1).max(200),
    text: z.string(),
  })
  .strict();
export type OperatorMessage = z.infer<typeof operatorMessageSchema>;

/** Who holds a taken-over conversation, and since when. */
export interface TakeoverState {
  conversationId: string;
  operatorName: string;
  operatorKeyId: string;
  since: string;
}

/** Who wrote a reply a visitor receives: the persona (default, omitted) or a person. */
export interface ReplyAuthor {
  kind: 'operator';
  name: string;
}

/** Server → clients of a conversation's room: take-over, hand-back and, for operators, the visitor's words. */
export interface TakeoverEvents {
  'conversation.takeover': { conversationId: string; operatorName: string; since: string };
  'conversation.handback': { conversationId: string };
  'visitor.message': { conversationId: string; turnId: string; seq: number; text: string };
}
