import type { Persona, ScenarioRecordView } from '@zhibing/protocol';
import { useEffect, useState } from 'react';
import { api } from '../../api/api-client';
import { usePagedRows } from '../../api/use-paged-rows';
import type { PersonaSummary, StoredPersona } from '../../api/admin-types';
import { DownloadButton } from '../../components/download-button';
import { ErrorAlert } from '../../components/error-alert';
import { Pager } from '../../components/pager';
import { PersonaFilter } from '../../components/persona-filter';
import { RouteLink } from '../../components/route-link';
import { useI18n } from '../../i18n/i18n';
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
  const { t, time } = useI18n();
  const [personas, setPersonas] = useState<PersonaSummary[]>([]);
  /** The front desks' definitions: their forms name and order the columns. */
  const [definitions, setDefinitions] = useState<Persona[]>([]);
  const [personaId, setPersonaId] = useState('');
  const [offset, setOffset] = useState(0);
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
  const page = usePagedRows<ScenarioRecordView>(`/v1/scenario-records?${registrationQuery(personaId)}`, offset, PAGE, {
    error: setFailure,
    loaded: () => setFailure(null),
  });

  const csvQuery = registrationQuery(personaId);
  csvQuery.set('format', 'csv');
  const shown = personaId ? definitions.filter((p) => p.id === personaId) : definitions;
  const columns = page ? recordColumns(page.rows, shown) : [];
  return (
    <section className="card" data-testid="registrations">
      <h2>{t('records.title')}</h2>
      <div className="row compact">
        <PersonaFilter
          label={t('records.persona')}
          name="persona"
          value={personaId}
          personas={personas}
          allLabel={t('records.all')}
          onChange={(id) => {
            setOffset(0);
            setPersonaId(id);
          }}
        />
        <span className="muted" data-testid="registrations-total">
          {page ? t('curation.total', { total: page.total }) : ''}
        </span>
        <span className="spacer" />
        <DownloadButton path={`/v1/scenario-records?${csvQuery}`} fileName="registrations.csv" onError={setFailure}>
          {t('records.exportCsv')}
        </DownloadButton>
      </div>
      <ErrorAlert message={failure} />
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
                <td>{time(r.createdAt)}</td>
                <td>{r.personaId}</td>
                {columns.map((c) => (
                  <td key={c.name} data-field={c.name}>
                    {r.data[c.name] ?? ''}
                  </td>
                ))}
                <td>
                  <RouteLink route={`/conversations/${r.conversationId}`}>{r.conversationId.slice(0, 8)}</RouteLink>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {page && page.total > PAGE && (
        <Pager offset={offset} pageSize={PAGE} total={page.total} showRange onOffset={setOffset} />
      )}
    </section>
  );
}
