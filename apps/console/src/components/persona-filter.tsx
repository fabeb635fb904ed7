import type { PersonaSummary } from '../api/admin-types';
import { PersonaOptions } from './persona-options';

/** A labelled persona picker for a list's filter row; `allLabel` adds a first "any persona" option (value ""). */
export function PersonaFilter({
  label,
  name,
  value,
  personas,
  allLabel,
  onChange,
}: {
  label: string;
  name: string;
  value: string;
  personas: PersonaSummary[];
  allLabel?: string;
  onChange(personaId: string): void;
}) {
  return (
    <label>
      {label}{' '}
      <select name={name} value={value} onChange={(e) => onChange(e.target.value)}>
        {allLabel !== undefined && <option value="">{allLabel}</option>}
        <PersonaOptions personas={personas} />
      </select>
    </label>
  );
}
