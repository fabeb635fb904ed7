import type { SlotSpec } from '@zhibing/protocol';
import { type SlotClock, findSlotValue, mentionsSlot } from './slot-values';

// Specific kinds first, so "13912345678" is read as a phone before anything reads it as a number,
// and free text last: it takes what the others left.
const TYPE_ORDER: SlotSpec['type'][] = ['phone', 'email', 'date', 'time', 'name', 'number', 'text'];

/** What one message gives a form: values by slot name, and slots whose value was there but wrong. */
export interface FilledSlots {
  values: Record<string, string>;
  invalid: { slot: SlotSpec; words: string }[];
}

/**
 * Reads every slot value a message carries ("我叫张三，电话13912345678，明天下午三点来"). Each value
 * goes to one slot: the one being asked, else the one the message names ("电话写错了，是…"), else the
 * first still empty one of its type, else the only one of its type (a correction). Words read as one
 * value are not read again for another.
 */
export function fillSlots(
  slots: SlotSpec[],
  filled: Record<string, string>,
  text: string,
  asking: string | undefined,
  clock: SlotClock,
): FilledSlots {
  let rest = text;
  const result: FilledSlots = { values: {}, invalid: [] };
  for (const type of TYPE_ORDER) {
    const ofType = slots.filter((s) => s.type === type);
    for (const slot of targets(ofType, filled, rest, asking)) {
      const whole = slot.name === asking;
      const found = findSlotValue(slot, whole && type === 'text' ? ownClauses(slot, slots, rest) : rest, {
        whole,
        clock,
      });
      if (!found) continue;
      rest = rest.slice(0, found.index) + ' '.repeat(found.length) + rest.slice(found.index + found.length);
      if ('value' in found) result.values[slot.name] = found.value;
      else result.invalid.push({ slot, words: found.invalid });
      // Text slots each look for their own label; the other types give one value per message.
      if (type !== 'text') break;
    }
  }
  return result;
}

function targets(ofType: SlotSpec[], filled: Record<string, string>, text: string, asking: string | undefined) {
  if (ofType.length === 0) return [];
  const asked = ofType.find((s) => s.name === asking);
  // Labelled text first ("被访人是李老师"); the asked slot then takes whatever is left.
  if (ofType[0].type === 'text') return asked ? [...ofType.filter((s) => s !== asked), asked] : ofType;
  const chosen =
    asked ??
    ofType.find((s) => s.label && text.toLowerCase().includes(s.label.toLowerCase())) ??
    ofType.find((s) => filled[s.name] === undefined) ??
    (ofType.length === 1 ? ofType[0] : undefined);
  return chosen ? [chosen] : [];
}

/** The clauses of a message that speak of no other slot: "电话写错了，是…" gives no 被访人. */
function ownClauses(slot: SlotSpec, slots: SlotSpec[], text: string): string {
  const others = slots.filter((s) => s !== slot);
  return text
    .split(/([，,。;；!！\n]|\s{2,})/)
    .map((clause) => (others.some((o) => mentionsSlot(o, clause)) ? ' '.repeat(clause.length) : clause))
    .join('');
}
