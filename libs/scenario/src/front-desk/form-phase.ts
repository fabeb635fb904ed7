import type { PhaseSpec, ScenarioForm, SlotSpec } from '@zhibing/protocol';
import type { PhaseData, PhaseHandler, PhaseResult, ScenarioContext } from '../contract';
import { matchIntents } from '../intents';
import { FrontDeskError } from './front-desk.errors';
import { type FrontDeskTexts, frontDeskTexts } from './front-desk-texts';
import { fillSlots } from './fill-slots';
import { type SlotClock, validateSlotValue } from './slot-values';

/** A form phase's data: what is filled, what the visitor skipped, what is being asked, and the stage. */
interface FormData {
  values: Record<string, string>;
  skipped: string[];
  asking?: string;
  /** filling: asking slots; confirming: waiting for yes/no; choosing: asked which value to change. */
  stage: 'filling' | 'confirming' | 'choosing';
  /** While confirming: the yes/change buttons in the persona's language (the view has no locale). */
  buttons?: string[];
}

const NO = /不对|不是|不正确|错了|有误|修改|更改|改一下|改下|^不$|\b(no|nope|wrong|change|edit)\b/i;
// (?![a-z]), not \b: there is no word boundary after a Chinese character ("是的" must match).
const YES =
  /^(?:是的?|对的?|确认|确定|没问题|没错|正确|好的?|可以|行|yes|yep|yeah|y|ok|okay|correct|confirm(?:ed)?)(?![a-z])/i;
const SKIP = /^(?:跳过|没有|无|不用了?|不需要|skip|none|no)[。.!！]*$/i;
const QUESTION =
  /[?？]\s*$|[吗呢么][\s。.!！]*$|^(?:请问|where|what|how|why|when|can|could|is|are|do|does)(?![a-z])|在哪|哪里|哪儿|怎么|为什么|什么|多少|几楼/i;

const readForm = (data: PhaseData): FormData => ({
  values: { ...((data.values as Record<string, string>) ?? {}) },
  skipped: [...((data.skipped as string[]) ?? [])],
  asking: data.asking as string | undefined,
  stage: (data.stage as FormData['stage']) ?? 'filling',
  ...(data.buttons ? { buttons: data.buttons as string[] } : {}),
});

const slotsOf = (phase: PhaseSpec): SlotSpec[] => phase.slots ?? [];
const clockOf = (context: ScenarioContext): SlotClock => ({
  now: context.now,
  timezone: context.flow.hours?.timezone ?? 'Asia/Shanghai',
});
const reply = (form: FormData, say: string[], extra: Partial<PhaseResult> = {}): PhaseResult => ({
  data: { ...form },
  directive: { answer: false, say },
  ...extra,
});

/**
 * A registration form filled through dialogue: asks each missing slot, takes every value a message
 * carries (several at once, corrections too), says why a value is refused and asks again, confirms
 * the whole form with `phase.confirm` ({{summary}}), and on "是" stores a record of `recordKind`.
 * The `cancel` intent leaves it for `next` without a record.
 */
export const formPhase: PhaseHandler = {
  kind: 'form',

  async enter(phase, context) {
    const form: FormData = { values: {}, skipped: [], stage: 'filling' };
    // "我想预约明天下午三点来访" fills the date and time on the way in.
    if (context.text)
      Object.assign(form.values, fillSlots(slotsOf(phase), {}, context.text, undefined, clockOf(context)).values);
    return proceed(phase, form, context, phase.say ? [phase.say] : []);
  },

  async message(phase, data, text, context) {
    const form = readForm(data);
    const t = frontDeskTexts(context.locale);
    const slots = slotsOf(phase);
    // "不登记了": the `cancel` intent, when the phase's `on` does not move it elsewhere, leaves with a line
    // (a silent move would leave the visitor's words unanswered) and stores nothing.
    if (!phase.on.cancel && matchIntents(context.flow, text).includes('cancel'))
      return reply(form, [t.registrationCancelled], { done: true });
    const asked = slots.find((s) => s.name === form.asking);
    if (form.stage === 'filling' && asked && !asked.required && SKIP.test(text.trim())) {
      form.skipped.push(asked.name);
      return proceed(phase, form, context, []);
    }
    const question = QUESTION.test(text.trim());
    // A question is never read whole as the answer; values said in it with a cue still count.
    const asking = form.stage === 'filling' && !question ? form.asking : undefined;
    const filled = fillSlots(slots, form.values, text, asking, clockOf(context));
    Object.assign(form.values, filled.values);
    const changed = Object.keys(filled.values).length > 0;
    // A question instead of an answer ("停车场在哪？") is answered from the knowledge base, then the
    // form goes on where it was.
    if (question && !changed)
      return { data: { ...form }, directive: { answer: true, say: [prompt(phase, form, slots, t)] } };
    const refusal = filled.invalid[0];
    if (refusal) {
      form.stage = 'filling';
      form.asking = refusal.slot.name;
      return reply(form, [refusal.slot.invalid ?? t.invalid[refusal.slot.type], refusal.slot.ask]);
    }
    if (form.stage === 'confirming' && !changed) {
      if (NO.test(text)) return choose(form, slots, t);
      if (YES.test(text.trim())) return finish(phase, form, t);
      return reply(form, [confirmation(phase, form, t)]);
    }
    if (form.stage === 'choosing' && !changed) {
      const named = slots.find((s) => text.toLowerCase().includes(s.label.toLowerCase()));
      if (!named) return choose(form, slots, t);
      form.stage = 'filling';
      form.asking = named.name;
      delete form.values[named.name];
      return reply(form, [named.ask]);
    }
    if (form.stage === 'filling' && !changed && asked)
      return reply(form, [asked.invalid ?? t.invalid[asked.type], asked.ask]);
    return proceed(phase, form, context, []);
  },

  async form(phase, data, values, context) {
    const form = readForm(data);
    const slots = slotsOf(phase);
    const byName = new Map(slots.map((s) => [s.name, s]));
    const bad = Object.keys(values).filter((name) => !byName.has(name));
    const accepted: Record<string, string> = {};
    for (const [name, input] of Object.entries(values)) {
      const slot = byName.get(name);
      if (!slot || !input.trim()) continue;
      const value = validateSlotValue(slot, input, clockOf(context));
      if (value === undefined) bad.push(name);
      else accepted[name] = value;
    }
    const merged = { ...form.values, ...accepted };
    for (const slot of slots) if (slot.required && !merged[slot.name] && !bad.includes(slot.name)) bad.push(slot.name);
    if (bad.length) throw new FrontDeskError('form_invalid', `Invalid or missing: ${bad.join(', ')}`, { fields: bad });
    form.values = merged;
    form.skipped = slots.filter((s) => !merged[s.name]).map((s) => s.name);
    return proceed(phase, form, context, []);
  },

  view(phase, data) {
    const form = readForm(data);
    const view: ScenarioForm = {
      phase: phase.id,
      ...(phase.title ? { title: phase.title } : {}),
      fields: slotsOf(phase).map((s) => ({
        name: s.name,
        label: s.label,
        type: s.type,
        required: s.required,
        ...(form.values[s.name] !== undefined ? { value: form.values[s.name] } : {}),
      })),
    };
    const buttons = form.stage === 'confirming' ? (form.buttons ?? []) : [];
    return { form: view, suggestions: [...buttons, ...phase.suggestions] };
  },
};

/** Asks the next missing slot, or, when every slot is filled or skipped, the confirmation. */
function proceed(phase: PhaseSpec, form: FormData, context: ScenarioContext, say: string[]): PhaseResult {
  const t = frontDeskTexts(context.locale);
  const next = slotsOf(phase).find((s) => form.values[s.name] === undefined && !form.skipped.includes(s.name));
  if (next) {
    form.stage = 'filling';
    form.asking = next.name;
    return reply(form, [...say, next.ask]);
  }
  form.stage = 'confirming';
  form.buttons = [t.yes, t.change];
  delete form.asking;
  return reply(form, [...say, confirmation(phase, form, t)]);
}

function confirmation(phase: PhaseSpec, form: FormData, t: FrontDeskTexts): string {
  const summary = slotsOf(phase)
    .filter((s) => form.values[s.name] !== undefined)
    .map((s) => t.summaryLine(s.label, form.values[s.name]))
    .join('\n');
  return (phase.confirm ?? t.confirm).replaceAll('{{summary}}', summary);
}

/** What the form is waiting for: the asked slot's question, the confirmation, or which value to change. */
function prompt(phase: PhaseSpec, form: FormData, slots: SlotSpec[], t: FrontDeskTexts): string {
  if (form.stage === 'confirming') return confirmation(phase, form, t);
  if (form.stage === 'choosing') return t.whichToChange(slots.map((s) => s.label));
  return slots.find((s) => s.name === form.asking)?.ask ?? confirmation(phase, form, t);
}

function choose(form: FormData, slots: SlotSpec[], t: FrontDeskTexts): PhaseResult {
  form.stage = 'choosing';
  return reply(form, [t.whichToChange(slots.map((s) => s.label))]);
}

function finish(phase: PhaseSpec, form: FormData, t: FrontDeskTexts): PhaseResult {
  const record = { kind: phase.recordKind ?? phase.id, data: { ...form.values } };
  return reply(form, [t.registered], { done: true, records: [record] });
}
