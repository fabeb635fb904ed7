import { createApiKeySchema, type CreatedApiKeyDto, validate, ValidationError } from '@zhibing/protocol';
import { type FormEvent, useState } from 'react';
import { api, ApiError } from '../../api/api-client';
import type { PersonaSummary } from '../../api/admin-types';
import { CopyButton } from '../../components/copy-button';
import { ErrorAlert } from '../../components/error-alert';
import { Field } from '../../components/field';
import { errorsFor, type FieldErrors, groupIssues } from '../../components/field-errors';
import { useI18n } from '../../i18n/i18n';

/** Creates a key with the API's own schema checking the fields; shows the secret once. */
export function CreateKeyForm({
  workspaceId,
  personas,
  onCreated,
}: {
  workspaceId: string;
  personas: PersonaSummary[];
  onCreated(key: CreatedApiKeyDto): void;
}) {
  const { t } = useI18n();
  const [name, setName] = useState('');
  const [scope, setScope] = useState<'admin' | 'widget'>('widget');
  const [personaIds, setPersonaIds] = useState<string[]>([]);
  // This console's own origin by default, so the widget preview below works with the new key.
  const [origins, setOrigins] = useState(location.origin);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [secret, setSecret] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);

  const body = () => ({
    name,
    scope,
    personaIds: scope === 'widget' ? personaIds : [],
    allowedOrigins:
      scope === 'widget'
        ? origins
            .split(/\s+/)
            .map((o) => o.trim())
            .filter((o) => o !== '')
        : [],
  });

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setFailure(null);
    setSecret(null);
    try {
      validate(createApiKeySchema, body());
    } catch (error) {
      if (error instanceof ValidationError) return setErrors(groupIssues(error.issues));
      throw error;
    }
    setErrors({});
    try {
      const created = await api<CreatedApiKeyDto>('POST', `/v1/workspaces/${workspaceId}/keys`, body());
      setSecret(created.key);
      setName('');
      onCreated(created);
    } catch (error) {
      if (error instanceof ApiError && error.issues.length > 0) setErrors(groupIssues(error.issues));
      else setFailure((error as Error).message);
    }
  };

  return (
    <form className="card" onSubmit={submit} noValidate data-testid="create-key">
      <h3>{t('keys.createTitle')}</h3>
      <Field name="name" label={t('keys.name')} errors={errorsFor(errors, 'name')}>
        <input value={name} onChange={(e) => setName(e.target.value)} />
      </Field>
      <Field name="scope" label={t('keys.scope')} errors={errorsFor(errors, 'scope')}>
        <select value={scope} onChange={(e) => setScope(e.target.value as 'admin' | 'widget')}>
          <option value="widget">{t('keys.scopeWidget')}</option>
          <option value="admin">{t('keys.scopeAdmin')}</option>
        </select>
      </Field>
      {scope === 'widget' && (
        <>
          <Field name="personaIds" label={t('keys.personas')} errors={errorsFor(errors, 'personaIds')}>
            <span className="checks">
              {personas.map((p) => (
                <label key={p.id} className="check">
                  <input
                    type="checkbox"
                    value={p.id}
                    checked={personaIds.includes(p.id)}
                    onChange={(e) =>
                      setPersonaIds(e.target.checked ? [...personaIds, p.id] : personaIds.filter((x) => x !== p.id))
                    }
                  />
                  {p.name} <span className="muted">({p.id})</span>
                </label>
              ))}
            </span>
          </Field>
          <Field
            name="allowedOrigins"
            label={t('keys.origins')}
            hint={t('keys.originsHint')}
            errors={errorsFor(errors, 'allowedOrigins')}
          >
            <textarea rows={2} value={origins} onChange={(e) => setOrigins(e.target.value)} />
          </Field>
        </>
      )}
      <ErrorAlert message={failure} />
      <button type="submit">{t('keys.create')}</button>
      {secret && (
        <div className="secret" data-testid="secret">
          <p>{t('keys.secretOnce')}</p>
          <code>{secret}</code> <CopyButton text={secret} />
        </div>
      )}
    </form>
  );
}
