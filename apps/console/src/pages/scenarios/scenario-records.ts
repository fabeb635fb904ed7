import type { Persona, ScenarioRecordView, SlotSpec } from '@zhibing/protocol';

/** A value column of the records table: the slot's name, and its label when a persona's form declares it. */
export interface RecordColumn {
  name: string;
  label: string;
}

/**
 * The table's value columns: the slots of the forms that store records of `kind`, in the order the
 * forms ask them (labelled as the forms label them), then any other field a record on the page has,
 * in the order first seen (a slot since removed from the form).
 */
export function recordColumns(
  records: Pick<ScenarioRecordView, 'data'>[],
  personas: Pick<Persona, 'flow'>[] = [],
  kind = 'registration',
): RecordColumn[] {
  const columns: RecordColumn[] = [];
  const add = (name: string, label = name) => {
    if (!columns.some((c) => c.name === name)) columns.push({ name, label });
  };
  for (const slot of formSlots(personas, kind)) add(slot.name, slot.label);
  for (const record of records) for (const key of Object.keys(record.data)) add(key);
  return columns;
}

function formSlots(personas: Pick<Persona, 'flow'>[], kind: string): SlotSpec[] {
  return personas.flatMap(
    (p) =>
      p.flow?.phases.filter((ph) => ph.kind === 'form' && ph.recordKind === kind).flatMap((ph) => ph.slots ?? []) ?? [],
  );
}
