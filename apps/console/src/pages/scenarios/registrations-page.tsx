import type { Persona, ScenarioRecordView } from '@zhibing/protocol';
import { useEffect, useState } from 'react';
import { api, apiPage } from '../../api/api-client';
import type { PersonaSummary, StoredPersona } from '../../api/admin-types';
import { downloadFile } from '../../api/download';
import { useI18n } from '../../i18n/i18n';
import { navigate } from '../../router';
import { recordColumns } from './scenario-records';

const PAGE = 25;

/** The list and export filter: registrations, of one persona when one is picked. */
function registrationQuery(personaId: string): URLSearchParams {
  const query = new URLSearchParams({ kind: 'registration' });
  if (personaId) query.set('personaId', personaId);
  return query;
}

/** Visitor registrations front-desk personas stored: a paged table (total from X-Total-Count) and a CSV export. */
export function RegistrationsPage() {
  const { t, language } = useI18n();
  const [personas, setPersonas] = useState<PersonaSummary[]>([]);
  /** The front desks' definitions: their forms name and order the columns. */
  const [definitions, setDefinitions] = useState<Persona[]>([]);
  const [personaId, setPersonaId] = useState('');
  const [offset, setOffset] = useState(0);
  const [page, setPage] = useState<{ rows: ScenarioRecordView[]; total: number } | null>(null);
  const [failure, setFailure] = useState<string | null>(null);

  useEffect(() => {
    api<PersonaSummary[]>('GET', '/v1/personas')
      .then(async (all) => {
        const desks = all.filter((p) => p.scenario === 'front-desk');
        setPersonas(desks);
        const stored = await Promise.all(
          desks.map((p) => api<StoredPersona>('GET', `/v1/personas/${encodeURIComponent(p.id)}`)),
        );
        setDefinitions(stored.map((s) => s.persona));
      })
      .catch((e: Error) => setFailure(e.message));
  }, []);
  useEffect(() => {
    const query = registrationQuery(personaId);
    query.set('limit', String(PAGE));
    query.set('offset', String(offset));
    setPage(null);
    apiPage<ScenarioRecordView>(`/v1/scenario-records?${query}`).then(
      (result) => {
        setPage(result);
        setFailure(null);
      },
      (e: Error) => setFailure(e.message),
    );
  }, [personaId, offset]);

  const exportCsv = () => {
    const query = registrationQuery(personaId);
    query.set('format', 'csv');
    downloadFile(`/v1/scenario-records?${query}`, 'registrations.csv').catch((e: Error) => setFailure(e.message));
  };
  const shown = personaId ? definitions.filter((p) => p.id === personaId) : definitions;
  const columns = page ? recordColumns(page.rows, shown) : [];
  return (
    <section className="card" data-testid="registrations">
      <h2>{t('records.title')}</h2>
      <div className="row compact">
        <label>
          {t('records.persona')}{' '}
          <select
            name="persona"
            value={personaId}
            onChange={(e) => {
              setOffset(0);
              setPersonaId(e.target.value);
            }}
          >
            <option value="">{t('records.all')}</option>
            {personas.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name} ({p.id})
              </option>
            ))}
          </select>
        </label>
        <span className="muted" data-testid="registrations-total">
          {page ? t('curation.total', { total: page.total }) : ''}
        </span>
        <span className="spacer" />
        <button type="button" className="secondary" onClick={exportCsv}>
          {t('records.exportCsv')}
        </button>
      </div>
      {failure && (
        <p className="error" role="alert">
          {failure}
        </p>
      )}
      {page === null ? (
        !failure && <p>{t('common.loading')}</p>
      ) : page.rows.length === 0 ? (
        <p className="muted">{t('records.empty')}</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th>{t('records.at')}</th>
              <th>{t('records.persona')}</th>
              {columns.map((c) => (
                <th key={c.name} title={c.name}>
                  {c.label}
                </th>
              ))}
              <th>{t('records.conversation')}</th>
            </tr>
          </thead>
          <tbody>
            {page.rows.map((r) => (
              <tr key={r.id} data-record={r.id}>
                <td>{new Date(r.createdAt).toLocaleString(language === 'zh' ? 'zh-CN' : 'en')}</td>
                <td>{r.personaId}</td>
                {columns.map((c) => (
                  <td key={c.name} data-field={c.name}>
                    {r.data[c.name] ?? ''}
                  </td>
                ))}
                <td>
                  <a
                    href={`/console/conversations/${r.conversationId}`}
                    onClick={(e) => {
                      e.preventDefault();
                      navigate(`/conversations/${r.conversationId}`);
                    }}
                  >
                    {r.conversationId.slice(0, 8)}
                  </a>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {page && page.total > PAGE && (
        <div className="row compact">
          <button type="button" className="secondary" disabled={offset === 0} onClick={() => setOffset(offset - PAGE)}>
            {t('conversations.previous')}
          </button>
          <span className="muted">
            {t('curation.range', { from: offset + 1, to: Math.min(offset + PAGE, page.total) })}
          </span>
          <button
            type="button"
            className="secondary"
            disabled={offset + PAGE >= page.total}
            onClick={() => setOffset(offset + PAGE)}
          >
            {t('conversations.next')}
          </button>
        </div>
      )}
    </section>
  );
}
