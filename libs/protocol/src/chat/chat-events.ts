import { z } from 'zod';
import type { ScenarioEvents, ScenarioView } from './scenario-events';
import type { ReplyAuthor, TakeoverEvents } from './takeover-events';

/** Longest user message accepted, in characters. */
export const MAX_MESSAGE_CHARS = 4000;

const id = z.string().min(1).max(200);

/** Client → server: open (or resume) a conversation with a persona. */
export const sessionStartSchema = z
  .object({
    personaId: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'a persona id'),
    visitorId: id.optional(),
    conversationId: z.string().uuid().optional(),
    /** What `{{user}}` in the persona's texts becomes for this conversation (kept when it is resumed). */
    visitorName: z.string().trim().min(1).max(60).optional(),
  })
  .strict();
export type SessionStart = z.infer<typeof sessionStartSchema>;

/** Client → server: a user message; a retried clientMessageId is stored once. */
export const messageSchema = z
  .object({
    conversationId: z.string().uuid(),
    clientMessageId: id,
    text: z.string(),
  })
  .strict();
export type ChatMessageEvent = z.infer<typeof messageSchema>;

export const replyCancelSchema = z.object({ turnId: z.string().uuid() }).strict();

export interface TurnView {
  id: string;
  seq: number;
  role: 'user' | 'persona';
  text: string;
  status: 'complete' | 'streaming' | 'interrupted' | 'failed';
  createdAt: string;
  /** Set on a reply an operator wrote during a take-over. */
  from?: ReplyAuthor;
}

/** Ack of session.start. */
export interface SessionStarted {
  conversationId: string;
  persona: { id: string; name: string; version: number };
  greeting: string;
  /** The persona's avatar image, a path on the gateway (absent: it has none). */
  avatarUrl?: string;
  resumed: boolean;
  history: TurnView[];
  /** A person is answering instead of the persona (take-over), since when. */
  operator?: { name: string; since: string };
  /** The persona's scenario as the widget shows it (absent for a plain chat persona). */
  scenario?: ScenarioView;
}

/** Ack of message. */
export interface MessageAccepted {
  turnId: string;
  duplicate: boolean;
}

export interface KnowledgeRef {
  id: string;
  kind: 'qa' | 'description' | 'fact';
  score: number;
  question?: string;
  answer?: string;
  head?: string;
  relation?: string;
  tail?: string;
}

/** Server → client events. A reply written by an operator (take-over) says so in `from`. */
export interface ServerEvents extends TakeoverEvents, ScenarioEvents {
  'reply.start': { conversationId: string; turnId: string; replyTo: string | null; from?: ReplyAuthor };
  'reply.delta': { conversationId: string; turnId: string; seq: number; text: string };
  'reply.end': {
    conversationId: string;
    turnId: string;
    text: string;
    knowledge: KnowledgeRef[];
    finishReason: 'stop' | 'length' | 'cancelled' | 'error' | 'interrupted';
    from?: ReplyAuthor;
  };
  'avatar.state': { conversationId: string; state: 'listening' | 'thinking' | 'speaking'; emotion?: string };
  /** `details`: what was wrong, when the error names it (a form's `fields`, a validation's `issues`). */
  error: { code: string; message: string; ref?: string; details?: Record<string, unknown> };
}

/** Acks are `{ ok: true, data }` or `{ ok: false, error: { code, message } }`. */
export type Ack<T> =
  { ok: true; data: T } | { ok: false; error: { code: string; message: string; details?: Record<string, unknown> } };
