import { createKnowledgeItemSchema, validate, ValidationError } from '@zhibing/protocol';
import { type FormEvent, useState } from 'react';
import { api, ApiError } from '../../api/api-client';
import { ErrorAlert } from '../../components/error-alert';
import { Field } from '../../components/field';
import { errorsFor, type FieldErrors, groupIssues } from '../../components/field-errors';
import { useI18n } from '../../i18n/i18n';

const FIELDS = {
  qa: ['question', 'answer'],
  description: ['entity', 'text'],
  triple: ['head', 'relation', 'tail'],
} as const;
type ItemType = keyof typeof FIELDS;

/** Adds one QA pair, description or fact, checked with the API's own schema. */
export function AddItemForm({ base, onAdded }: { base: string; onAdded(): void }) {
  const { t } = useI18n();
  const [type, setType] = useState<ItemType>('qa');
  const [values, setValues] = useState<Record<string, string>>({});
  const [errors, setErrors] = useState<FieldErrors>({});
  const [failure, setFailure] = useState<string | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setFailure(null);
    const body = { type, ...Object.fromEntries(FIELDS[type].map((f) => [f, values[f] ?? ''])) };
    try {
      validate(createKnowledgeItemSchema, body);
      setErrors({});
      await api('POST', `${base}/items`, body);
      setValues({});
      onAdded();
    } catch (error) {
      if (error instanceof ValidationError || (error instanceof ApiError && error.issues.length > 0))
        setErrors(groupIssues(error.issues));
      else setFailure((error as Error).message);
    }
  };

  return (
    <form className="card" onSubmit={submit} noValidate data-testid="add-item">
      <h3>{t('knowledge.addItem')}</h3>
      <label>
        {t('trace.kind')}{' '}
        <select name="type" value={type} onChange={(e) => setType(e.target.value as ItemType)}>
          <option value="qa">qa</option>
          <option value="description">description</option>
          <option value="triple">fact</option>
        </select>
      </label>
      {FIELDS[type].map((field) => (
        <Field key={field} name={field} label={t(`knowledge.field.${field}`)} errors={errorsFor(errors, field)}>
          <textarea
            rows={field === 'answer' || field === 'text' ? 3 : 1}
            value={values[field] ?? ''}
            onChange={(e) => setValues({ ...values, [field]: e.target.value })}
          />
        </Field>
      ))}
      <ErrorAlert message={failure} />
      <button type="submit">{t('knowledge.add')}</button>
    </form>
  );
}
