import { z } from 'zod';

/** A form the widget shows when a scenario collects values (a registration): one field per slot. */
export interface ScenarioForm {
  /** The phase collecting it: a submit names it, so a stale form is refused. */
  phase: string;
  title?: string;
  fields: {
    name: string;
    label: string;
    type: 'text' | 'name' | 'phone' | 'email' | 'date' | 'time' | 'number';
    required: boolean;
    /** Filled already (through dialogue or an earlier submit). */
    value?: string;
  }[];
}

/**
 * What the widget shows of a conversation's scenario: the phase, its countdown, suggested
 * messages as buttons, an end button, a form. Sent on every change (`scenario.state`) and in the
 * session.start ack, so a reconnect shows exactly what was shown.
 */
export interface ScenarioView {
  kind: 'chat' | 'interview' | 'front-desk';
  phase: string;
  title?: string;
  /** The phase's timer runs out at this instant (ISO 8601); the widget counts down to it. */
  endsAt?: string;
  suggestions: string[];
  /** Label of the end button, when the phase has one. */
  endButton?: string;
  form?: ScenarioForm;
  /** A person was asked for and none has joined yet. */
  waitingForOperator?: boolean;
  /** The scenario is over: the widget offers a new conversation. */
  ended: boolean;
}

/**
 * Client → server `scenario.action`: the end button, or a form submitted from the widget (its
 * values are validated like values given in dialogue; an invalid one is a typed error).
 */
export const scenarioActionSchema = z.discriminatedUnion('action', [
  z.object({ conversationId: z.string().uuid(), action: z.literal('end') }).strict(),
  z
    .object({
      conversationId: z.string().uuid(),
      action: z.literal('form'),
      phase: z.string().min(1).max(60),
      values: z.record(z.string().min(1).max(60), z.string().max(1000)),
    })
    .strict(),
]);
export type ScenarioAction = z.infer<typeof scenarioActionSchema>;

/** Server → client events of scenarios. */
export interface ScenarioEvents {
  'scenario.state': { conversationId: string; scenario: ScenarioView };
  /** To operators of the workspace: a visitor asked for a person (console hand-off queue). */
  'handoff.requested': { conversationId: string; personaId: string; reason: string; at: string };
}
