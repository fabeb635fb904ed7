import { createKnowledgeBaseSchema, validate, ValidationError } from '@zhibing/protocol';
import { type FormEvent, useCallback, useEffect, useState } from 'react';
import { api, ApiError } from '../../api/api-client';
import { ErrorAlert } from '../../components/error-alert';
import { Field } from '../../components/field';
import { errorsFor, type FieldErrors, groupIssues } from '../../components/field-errors';
import { useI18n } from '../../i18n/i18n';
import { navigate } from '../../router';
import { KnowledgeBaseView } from './knowledge-base-view';

export interface KnowledgeBaseSummary {
  id: string;
  name: string;
  description: string;
  items: number;
}

/** /knowledge: the bases; /knowledge/:name: one base's items and documents; /knowledge/:name/entity/:e: an entity. */
export function KnowledgePage({ route }: { route: string }) {
  const { t } = useI18n();
  const parts = route.split('/');
  const selected = decodeURIComponent(parts[2] ?? '');
  const entity = parts[3] === 'entity' && parts[4] ? decodeURIComponent(parts[4]) : undefined;
  const [bases, setBases] = useState<KnowledgeBaseSummary[] | null>(null);
  const [name, setName] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const [failure, setFailure] = useState<string | null>(null);

  const load = useCallback(() => {
    api<KnowledgeBaseSummary[]>('GET', '/v1/knowledge-bases').then(setBases, (e: Error) => setFailure(e.message));
  }, []);
  useEffect(load, [load, selected]);

  const create = async (event: FormEvent) => {
    event.preventDefault();
    try {
      const body = validate(createKnowledgeBaseSchema, { name });
      setErrors({});
      await api('POST', '/v1/knowledge-bases', body);
      setName('');
      load();
      navigate(`/knowledge/${encodeURIComponent(body.name)}`);
    } catch (error) {
      if (error instanceof ValidationError || (error instanceof ApiError && error.issues.length > 0))
        setErrors(groupIssues(error.issues));
      else setFailure((error as Error).message);
    }
  };

  return (
    <div className="personas">
      <aside className="card list" data-testid="knowledge-bases">
        <h2>{t('knowledge.title')}</h2>
        {bases === null ? (
          <p>{t('common.loading')}</p>
        ) : (
          <ul>
            {bases.map((b) => (
              <li key={b.id} className={b.name === selected ? 'active' : ''}>
                <a
                  href={`/console/knowledge/${encodeURIComponent(b.name)}`}
                  data-kb={b.name}
                  onClick={(e) => {
                    e.preventDefault();
                    navigate(`/knowledge/${encodeURIComponent(b.name)}`);
                  }}
                >
                  {b.name}
                </a>
                <span className="muted"> {t('knowledge.itemCount', { items: b.items })}</span>
              </li>
            ))}
          </ul>
        )}
        <form onSubmit={create} noValidate>
          <Field name="name" label={t('knowledge.newBase')} errors={errorsFor(errors, 'name')}>
            <input name="kb-name" value={name} onChange={(e) => setName(e.target.value)} />
          </Field>
          <button type="submit" className="secondary">
            {t('knowledge.create')}
          </button>
        </form>
      </aside>
      <section className="workbench">
        <ErrorAlert message={failure} />
        {selected ? (
          <KnowledgeBaseView key={selected} name={selected} entity={entity} onChanged={load} />
        ) : (
          <p className="muted">{t('knowledge.pick')}</p>
        )}
      </section>
    </div>
  );
}
