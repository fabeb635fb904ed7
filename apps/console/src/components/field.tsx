import type { ReactNode } from 'react';

/** A labelled input with its validation messages right beside it. */
export function Field({
  name,
  label,
  errors,
  children,
  hint,
}: {
  name: string;
  label: string;
  errors: string[];
  children: ReactNode;
  hint?: string;
}) {
  return (
    <div className={`field${errors.length > 0 ? ' invalid' : ''}`} data-field={name}>
      <label>
        <span className="label">{label}</span>
        {children}
      </label>
      {hint && <p className="hint">{hint}</p>}
      {errors.map((message, i) => (
        <p key={i} className="field-error" role="alert">
          {message}
        </p>
      ))}
    </div>
  );
}
