/**
 * A value found in a message: where it is (so other slots do not read the same words again) and
 * either the normalized value or, when it looks like the slot's kind of value but is wrong, the words.
 */
export type SlotMatch = { index: number; length: number } & ({ value: string } | { invalid: string });

/** Where a slot type's finder looks: the instant "now" and the time zone "today" is read in. */
export interface SlotClock {
  now: Date;
  timezone: string;
}

export const matched = (m: RegExpExecArray, value: string): SlotMatch => ({
  index: m.index,
  length: m[0].length,
  value,
});

export const refused = (m: RegExpExecArray): SlotMatch => ({ index: m.index, length: m[0].length, invalid: m[0] });
