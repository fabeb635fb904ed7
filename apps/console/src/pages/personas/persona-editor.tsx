import { personaSchema, validate, ValidationError } from '@zhibing/protocol';
import { type FormEvent, useState } from 'react';
import { api, ApiError } from '../../api/api-client';
import type { StoredPersona } from '../../api/admin-types';
import { ErrorAlert } from '../../components/error-alert';
import { Field } from '../../components/field';
import { errorsFor, type FieldErrors, groupIssues, unplacedIssues } from '../../components/field-errors';
import { useI18n } from '../../i18n/i18n';
import { emptyForm, FORM_FIELDS, formFromPersona, type PersonaForm, personaInputFromForm } from './persona-form';

export type Saved = StoredPersona & { created: boolean };

/** Checks the form with the API's own schema; the issues come back keyed by field path. */
function check(form: PersonaForm): FieldErrors {
  try {
    validate(personaSchema, personaInputFromForm(form), 'persona_invalid');
    return {};
  } catch (error) {
    if (error instanceof ValidationError) return groupIssues(error.issues);
    throw error;
  }
}

/** Create or edit a persona; field errors from the shared schema before sending, and from the API's 400. */
export function PersonaEditor({ stored, onSaved }: { stored: StoredPersona | null; onSaved(saved: Saved): void }) {
  const { t } = useI18n();
  const [form, setForm] = useState<PersonaForm>(() => (stored ? formFromPersona(stored.persona) : emptyForm()));
  const [errors, setErrors] = useState<FieldErrors>({});
  const [submitted, setSubmitted] = useState(false);
  const [saving, setSaving] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);

  const update = (change: (draft: PersonaForm) => PersonaForm) => {
    const next = change(form);
    setForm(next);
    // Once a save was tried, errors follow the typing, so a fixed field clears at once.
    if (submitted) setErrors(check(next));
  };
  const set = <K extends keyof PersonaForm>(key: K, value: PersonaForm[K]) => update((f) => ({ ...f, [key]: value }));

  const save = async (event: FormEvent) => {
    event.preventDefault();
    setSubmitted(true);
    setFailure(null);
    const found = check(form);
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    setSaving(true);
    try {
      const body = personaInputFromForm(form);
      const saved = stored
        ? await api<Saved>('PUT', `/v1/personas/${encodeURIComponent(stored.persona.id)}`, body)
        : await api<Saved>('POST', '/v1/personas', body);
      onSaved(saved);
    } catch (error) {
      if (error instanceof ApiError && error.issues.length > 0) setErrors(groupIssues(error.issues));
      else setFailure((error as Error).message);
    } finally {
      setSaving(false);
    }
  };

  const err = (field: string) => errorsFor(errors, field);
  const others = unplacedIssues(errors, FORM_FIELDS);
  const text = (key: 'name' | 'locale' | 'profile' | 'style' | 'greeting' | 'fallback' | 'knowledgeBases') =>
    ({ value: form[key], onChange: (e: { target: { value: string } }) => set(key, e.target.value) }) as const;

  return (
    <form className="card editor" onSubmit={save} noValidate>
      <h2>{stored ? t('editor.editTitle', { name: stored.persona.name }) : t('editor.createTitle')}</h2>
      {Object.keys(errors).length > 0 && <p className="error">{t('editor.fixErrors')}</p>}
      {others.length > 0 && (
        <div className="error">
          {t('editor.otherErrors')}: {others.join('; ')}
        </div>
      )}
      <div className="row">
        <Field name="id" label={t('editor.id')} errors={err('id')}>
          <input value={form.id} disabled={stored !== null} onChange={(e) => set('id', e.target.value)} />
        </Field>
        <Field name="name" label={t('editor.name')} errors={err('name')}>
          <input {...text('name')} />
        </Field>
      </div>
      <div className="row">
        <Field name="locale" label={t('editor.locale')} errors={err('locale')}>
          <input {...text('locale')} />
        </Field>
        <Field name="scenario" label={t('editor.scenario')} errors={err('scenario')}>
          <select value={form.scenario} onChange={(e) => set('scenario', e.target.value)}>
            <option value="chat">chat</option>
            <option value="interview">interview</option>
            <option value="front-desk">front-desk</option>
          </select>
        </Field>
      </div>
      <Field name="profile" label={t('editor.profile')} errors={err('profile')}>
        <textarea rows={3} {...text('profile')} />
      </Field>
      <Field name="style" label={t('editor.style')} errors={err('style')}>
        <textarea rows={2} {...text('style')} />
      </Field>
      <Field name="greeting" label={t('editor.greeting')} errors={err('greeting')}>
        <input {...text('greeting')} />
      </Field>
      <Field name="fallback" label={t('editor.fallback')} errors={err('fallback')}>
        <textarea rows={2} {...text('fallback')} />
      </Field>
      <Field name="knowledgeBases" label={t('editor.knowledgeBases')} errors={err('knowledgeBases')}>
        <input {...text('knowledgeBases')} />
      </Field>
      <fieldset data-field="examples">
        <legend>{t('editor.examples')}</legend>
        {form.examples.map((example, i) => (
          <div className="row example" key={i}>
            <Field name={`examples.${i}.user`} label={t('editor.exampleUser')} errors={err(`examples.${i}.user`)}>
              <input
                value={example.user}
                onChange={(e) =>
                  set(
                    'examples',
                    form.examples.map((x, j) => (j === i ? { ...x, user: e.target.value } : x)),
                  )
                }
              />
            </Field>
            <Field
              name={`examples.${i}.persona`}
              label={t('editor.examplePersona')}
              errors={err(`examples.${i}.persona`)}
            >
              <input
                value={example.persona}
                onChange={(e) =>
                  set(
                    'examples',
                    form.examples.map((x, j) => (j === i ? { ...x, persona: e.target.value } : x)),
                  )
                }
              />
            </Field>
            <button
              type="button"
              className="link"
              onClick={() =>
                set(
                  'examples',
                  form.examples.filter((_, j) => j !== i),
                )
              }
            >
              {t('editor.remove')}
            </button>
          </div>
        ))}
        {errorsFor(errors, 'examples')
          .filter(() => form.examples.length === 0)
          .map((m, i) => (
            <p key={i} className="field-error">
              {m}
            </p>
          ))}
        <button
          type="button"
          className="secondary"
          onClick={() => set('examples', [...form.examples, { user: '', persona: '' }])}
        >
          {t('editor.addExample')}
        </button>
      </fieldset>
      <fieldset>
        <legend>{t('editor.generation')}</legend>
        <div className="row">
          {(['maxTokens', 'temperature', 'topK', 'topP', 'repetitionPenalty'] as const).map((key) => (
            <Field key={key} name={`generation.${key}`} label={t(`editor.${key}`)} errors={err(`generation.${key}`)}>
              <input
                inputMode="decimal"
                value={form.generation[key]}
                onChange={(e) => set('generation', { ...form.generation, [key]: e.target.value })}
              />
            </Field>
          ))}
        </div>
      </fieldset>
      <fieldset>
        <legend>{t('editor.grounding')}</legend>
        <div className="row">
          <Field name="grounding.emotion" label={t('editor.emotion')} errors={err('grounding.emotion')}>
            <input
              value={form.grounding.emotion}
              onChange={(e) => set('grounding', { ...form.grounding, emotion: e.target.value })}
            />
          </Field>
          <Field name="grounding.postResponse" label={t('editor.postResponse')} errors={err('grounding.postResponse')}>
            <input
              value={form.grounding.postResponse}
              onChange={(e) => set('grounding', { ...form.grounding, postResponse: e.target.value })}
            />
          </Field>
        </div>
        <Field name="grounding.setting" label={t('editor.setting')} errors={err('grounding.setting')}>
          <textarea
            rows={2}
            value={form.grounding.setting}
            onChange={(e) => set('grounding', { ...form.grounding, setting: e.target.value })}
          />
        </Field>
      </fieldset>
      {Object.keys(form.kept).length > 0 && <p className="hint">{t('editor.kept')}</p>}
      <ErrorAlert message={failure} />
      <button type="submit" disabled={saving}>
        {saving ? t('common.saving') : t('common.save')}
      </button>
    </form>
  );
}
