import type { PersonaSummary } from '../api/admin-types';

/** The `<option>`s of a persona picker, labelled "name (id)"; the caller adds any "all" option. */
export function PersonaOptions({ personas }: { personas: PersonaSummary[] }) {
  return (
    <>
      {personas.map((p) => (
        <option key={p.id} value={p.id}>
          {p.name} ({p.id})
        </option>
      ))}
    </>
  );
}
