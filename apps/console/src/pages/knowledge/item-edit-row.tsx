import { updateKnowledgeItemSchema, validate, ValidationError } from '@zhibing/protocol';
import { type FormEvent, useState } from 'react';
import { api, ApiError } from '../../api/api-client';
import { Field } from '../../components/field';
import { errorsFor, type FieldErrors, groupIssues, unplacedIssues } from '../../components/field-errors';
import type { KnowledgeView } from '../../components/knowledge-text';
import { useI18n } from '../../i18n/i18n';
import type { MessageKey } from '../../i18n/dictionary';

/** The fields an edit may change, per kind (the API refuses another kind's field). */
const FIELDS: Record<string, string[]> = {
  qa: ['question', 'answer', 'source'],
  description: ['entity', 'text', 'source'],
  fact: ['head', 'relation', 'tail', 'source'],
};

/** A description's entity is stored as its `head`; every other field keeps its name. */
function currentValue(item: KnowledgeView, field: string): string {
  const value = field === 'entity' ? item.head : item[field as keyof KnowledgeView];
  return value === undefined || value === null ? '' : String(value);
}

const LABELS: Record<string, MessageKey> = {
  question: 'knowledge.field.question',
  answer: 'knowledge.field.answer',
  entity: 'knowledge.field.entity',
  text: 'knowledge.field.text',
  head: 'knowledge.field.head',
  relation: 'knowledge.field.relation',
  tail: 'knowledge.field.tail',
  source: 'knowledge.source',
};

/**
 * Edits one item in place. Only changed fields are sent; errors from the shared schema (or the
 * API's 400) land beside their field. An edit gives the item a new id, which `onSaved` receives.
 */
export function ItemEditRow({
  base,
  item,
  columns,
  onSaved,
  onCancel,
}: {
  base: string;
  item: KnowledgeView;
  columns: number;
  onSaved(newId: string): void;
  onCancel(): void;
}) {
  const { t } = useI18n();
  const fields = FIELDS[item.kind] ?? ['source'];
  const [values, setValues] = useState(() => Object.fromEntries(fields.map((f) => [f, currentValue(item, f)])));
  const [errors, setErrors] = useState<FieldErrors>({});
  const [failure, setFailure] = useState<string | null>(null);

  const save = async (event: FormEvent) => {
    event.preventDefault();
    setFailure(null);
    const changed = Object.fromEntries(
      fields.filter((f) => values[f] !== currentValue(item, f)).map((f) => [f, values[f]]),
    );
    try {
      const body = validate(updateKnowledgeItemSchema, changed);
      setErrors({});
      const saved = await api<{ id: string }>('PATCH', `${base}/items/${item.id}`, body);
      onSaved(saved.id);
    } catch (error) {
      if (error instanceof ValidationError || (error instanceof ApiError && error.issues.length > 0))
        setErrors(groupIssues(error.issues));
      else setFailure((error as Error).message);
    }
  };

  const others = unplacedIssues(errors, fields);
  return (
    <tr className="editing" data-editing={item.id}>
      <td colSpan={columns}>
        <form onSubmit={save} noValidate data-testid="item-edit">
          {fields.map((field) => (
            <Field key={field} name={field} label={t(LABELS[field])} errors={errorsFor(errors, field)}>
              <textarea
                name={field}
                rows={field === 'text' || field === 'answer' || field === 'tail' ? 3 : 1}
                value={values[field]}
                onChange={(e) => setValues({ ...values, [field]: e.target.value })}
              />
            </Field>
          ))}
          {[...others, ...(failure ? [failure] : [])].map((message) => (
            <p key={message} className="error" role="alert">
              {message}
            </p>
          ))}
          <div className="row compact">
            <button type="submit">{t('common.save')}</button>
            <button type="button" className="secondary" onClick={onCancel}>
              {t('common.cancel')}
            </button>
          </div>
        </form>
      </td>
    </tr>
  );
}
