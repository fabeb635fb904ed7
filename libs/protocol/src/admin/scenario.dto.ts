import { z } from 'zod';

const line = (max: number) => z.string().trim().min(1).max(max);

/** A phase's id, an intent's name or a slot's name: short, lowercase, dashes. */
const name = z.string().regex(/^[a-z][a-z0-9-]{0,40}$/, 'lowercase letters, digits and dashes');

/**
 * A value the persona collects through dialogue (a registration form's field). `type` picks the
 * built-in validation and how a value is found in free text ("我叫张三" → name); `pattern` adds a
 * regular expression the value must match.
 */
export const slotSchema = z
  .object({
    name,
    label: line(60),
    /** What the persona asks to get it ("请问您怎么称呼？"). */
    ask: line(300),
    type: z.enum(['text', 'name', 'phone', 'email', 'date', 'time', 'number']).default('text'),
    pattern: z.string().max(200).optional(),
    required: z.boolean().default(true),
    /** What the persona says when a value does not validate (default: a sentence per type). */
    invalid: line(300).optional(),
  })
  .strict();
export type SlotSpec = z.infer<typeof slotSchema>;

/** When the phase's time is up, the scenario moves to `then` on its own (no message needed). */
export const timerSchema = z.object({ seconds: z.number().int().min(1).max(86_400), then: name }).strict();

/**
 * One state of a scenario. `kind` says what the phase does with each user message:
 * - `prompt`: says `say` on entering; the next message completes it (e.g. "introduce yourself").
 * - `chat`: answers from the knowledge base (the normal pipeline) until an intent or timer moves on.
 * - `questions`: asks questions from the question bank of `role`, with follow-ups (interview).
 * - `form`: fills `slots` through dialogue, confirms, stores a record of `recordKind`.
 * - `handoff`: asks for a person; an operator takes over from the console; hand-back moves to `next`.
 * Any phase with `end: true` ends the scenario when entered, after saying `say`.
 */
export const phaseSchema = z
  .object({
    id: name,
    kind: z.enum(['prompt', 'chat', 'questions', 'form', 'handoff']),
    /** Shown to the user while the phase runs ("答疑环节"). */
    title: z.string().trim().max(60).optional(),
    /** What the persona says on entering; may use {{remaining}} (the timer, mm:ss). */
    say: z.string().trim().max(2000).optional(),
    /** Where the scenario goes when the phase is done (default: the next phase in the list). */
    next: name.optional(),
    /** Intent → phase, while in this phase (overrides the flow's `on`). */
    on: z.record(name, name).default({}),
    timer: timerSchema.optional(),
    end: z.boolean().default(false),
    /** Offered as buttons; a click sends the text as the user's message. */
    suggestions: z.array(line(100)).max(8).default([]),
    /** Label of an end button shown during the phase; a click is the `end` intent. */
    endButton: line(30).optional(),
    /** questions: the bank's role, how many questions, how many follow-ups per question at most. */
    role: name.optional(),
    count: z.number().int().min(1).max(50).optional(),
    followUps: z.number().int().min(0).max(3).optional(),
    /** form: the values to collect, what to say to confirm ({{summary}}), the stored record's kind. */
    slots: z.array(slotSchema).max(20).optional(),
    confirm: z.string().trim().max(1000).optional(),
    recordKind: name.optional(),
  })
  .strict();
export type PhaseSpec = z.infer<typeof phaseSchema>;

/** A question of an interview bank, with what a good answer covers and follow-ups chosen from the answer. */
export const bankQuestionSchema = z
  .object({
    id: name,
    text: line(1000),
    /** Criteria this question is scored on, each with the points a good answer mentions. */
    criteria: z
      .array(z.object({ name: line(60), points: z.array(line(100)).min(1).max(20) }).strict())
      .max(10)
      .default([]),
    /** Follow-ups: asked when the answer mentions any of `when` (or, with no `when`, when it is short). */
    followUps: z
      .array(z.object({ when: z.array(line(60)).max(20).default([]), text: line(1000) }).strict())
      .max(10)
      .default([]),
  })
  .strict();
export type BankQuestion = z.infer<typeof bankQuestionSchema>;

/** An interview question bank for one role (import/export as JSON or YAML). */
export const questionBankSchema = z
  .object({
    role: name,
    title: line(120),
    questions: z.array(bankQuestionSchema).min(1).max(500),
  })
  .strict();
export type QuestionBank = z.infer<typeof questionBankSchema>;

/** Opening hours: days 1 (Monday) to 7 (Sunday), times HH:MM in `timezone`. */
export const businessHoursSchema = z
  .object({
    timezone: z.string().min(1).max(60).default('Asia/Shanghai'),
    open: z
      .array(
        z
          .object({
            days: z.array(z.number().int().min(1).max(7)).min(1).max(7),
            from: z.string().regex(/^\d{2}:\d{2}$/),
            to: z.string().regex(/^\d{2}:\d{2}$/),
          })
          .strict(),
      )
      .max(14),
    /** Said about closed days or holidays ("周末需要提前预约"). */
    note: z.string().trim().max(500).optional(),
  })
  .strict();
export type BusinessHours = z.infer<typeof businessHoursSchema>;

/**
 * A persona's scenario: a small state machine (phases, intents that move between them, timers,
 * slots). `intents` name what a user can say to move on (keywords, matched in the user's words);
 * the built-in intent `end` is also the end button. Omitted: the preset for `scenario` applies.
 */
export const flowSchema = z
  .object({
    start: name.optional(),
    intents: z.record(name, z.array(line(60)).min(1).max(30)).default({}),
    /** Intent → phase, in every phase (a phase's own `on` wins). */
    on: z.record(name, name).default({}),
    phases: z.array(phaseSchema).min(1).max(30),
    /** Interview banks shipped with the persona, imported like its seed knowledge. */
    questionBanks: z.array(questionBankSchema).max(20).optional(),
    hours: businessHoursSchema.optional(),
    location: z.string().trim().max(1000).optional(),
  })
  .strict()
  .superRefine((flow, ctx) => {
    const ids = new Set<string>();
    flow.phases.forEach((p, i) => {
      if (ids.has(p.id))
        ctx.addIssue({ code: 'custom', path: ['phases', i, 'id'], message: `duplicate phase ${p.id}` });
      ids.add(p.id);
    });
    const check = (target: string | undefined, path: (string | number)[]) => {
      if (target !== undefined && !ids.has(target))
        ctx.addIssue({ code: 'custom', path, message: `no phase "${target}"` });
    };
    check(flow.start, ['start']);
    for (const [intent, target] of Object.entries(flow.on)) check(target, ['on', intent]);
    flow.phases.forEach((p, i) => {
      check(p.next, ['phases', i, 'next']);
      check(p.timer?.then, ['phases', i, 'timer', 'then']);
      for (const [intent, target] of Object.entries(p.on)) check(target, ['phases', i, 'on', intent]);
      if (p.kind === 'form' && !p.slots?.length)
        ctx.addIssue({ code: 'custom', path: ['phases', i, 'slots'], message: 'a form phase needs slots' });
      if (p.kind === 'questions' && !p.role)
        ctx.addIssue({ code: 'custom', path: ['phases', i, 'role'], message: 'a questions phase needs a role' });
    });
  });
export type Flow = z.infer<typeof flowSchema>;
export type FlowInput = z.input<typeof flowSchema>;

/** One asked question in an interview report, with the candidate's answer and its scores. */
export interface InterviewReportQuestion {
  questionId: string;
  text: string;
  /** Follow-ups asked after it, in order. */
  followUps: { text: string; answer: string }[];
  answer: string;
  /** Turn ids of the candidate's answer (to open the transcript there). */
  answerTurnIds: string[];
  askedAt: string;
  answeredAt?: string;
  /** Seconds from asking to the last answer turn. */
  seconds?: number;
  scores: { criterion: string; score: number; max: number; evidence: string[]; missing: string[] }[];
  notes: string[];
}

/** What a recruiter reads after an interview (REST `GET /v1/conversations/:id/interview-report`). */
export interface InterviewReport {
  conversationId: string;
  personaId: string;
  role: string;
  status: 'in-progress' | 'completed' | 'ended-early' | 'timed-out';
  startedAt: string;
  endedAt?: string;
  questions: InterviewReportQuestion[];
  /** The candidate's own questions in the Q&A phase and what the persona answered. */
  candidateQuestions: { question: string; answer: string; at: string }[];
  /** Mean per criterion over the questions scored on it. */
  summary: { criterion: string; score: number; max: number }[];
  notes: string[];
}

/** A record a scenario stored (a visitor registration), REST `GET /v1/scenario-records`. */
export interface ScenarioRecordView {
  id: string;
  conversationId: string;
  personaId: string;
  kind: string;
  data: Record<string, string>;
  createdAt: string;
}
