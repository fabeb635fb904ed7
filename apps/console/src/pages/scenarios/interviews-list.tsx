import { useEffect, useState } from 'react';
import { api } from '../../api/api-client';
import { usePagedRows } from '../../api/use-paged-rows';
import type { ConversationSummary, PersonaSummary } from '../../api/admin-types';
import { ErrorAlert } from '../../components/error-alert';
import { Pager } from '../../components/pager';
import { PersonaFilter } from '../../components/persona-filter';
import { RouteLink } from '../../components/route-link';
import { useI18n } from '../../i18n/i18n';

const PAGE = 25;

/** Interviews: the conversations of an interviewer persona (the conversation search, by persona), newest first. */
export function InterviewsList() {
  const { t, time } = useI18n();
  const [interviewers, setInterviewers] = useState<PersonaSummary[] | null>(null);
  const [personaId, setPersonaId] = useState('');
  const [offset, setOffset] = useState(0);
  const [failure, setFailure] = useState<string | null>(null);

  useEffect(() => {
    api<PersonaSummary[]>('GET', '/v1/personas').then(
      (personas) => {
        const found = personas.filter((p) => p.scenario === 'interview');
        setInterviewers(found);
        setPersonaId((current) => current || found[0]?.id || '');
      },
      (e: Error) => setFailure(e.message),
    );
  }, []);
  const page = usePagedRows<ConversationSummary>(
    personaId ? `/v1/conversations?${new URLSearchParams({ personaId })}` : null,
    offset,
    PAGE,
    { error: setFailure },
  );

  return (
    <section className="card" data-testid="interviews">
      <h2>{t('scenarios.interviews')}</h2>
      {interviewers?.length === 0 && <p className="muted">{t('interview.noPersona')}</p>}
      {!!interviewers?.length && (
        <div className="row compact">
          <PersonaFilter
            label={t('interview.persona')}
            name="interviewer"
            value={personaId}
            personas={interviewers}
            onChange={(id) => {
              setOffset(0);
              setPersonaId(id);
            }}
          />
          <span className="muted" data-testid="interviews-total">
            {page ? t('curation.total', { total: page.total }) : ''}
          </span>
        </div>
      )}
      <ErrorAlert message={failure} />
      {personaId && page === null && !failure && <p>{t('common.loading')}</p>}
      {page?.rows.length === 0 && <p className="muted">{t('interview.empty')}</p>}
      {!!page?.rows.length && (
        <table>
          <thead>
            <tr>
              <th>{t('interview.started')}</th>
              <th>{t('interview.candidate')}</th>
              <th>{t('search.status')}</th>
              <th>{t('conversations.turns')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {page.rows.map((c) => (
              <tr key={c.id} data-interview={c.id}>
                <td>{time(c.createdAt)}</td>
                <td>{c.visitorName ?? c.visitorId ?? t('common.none')}</td>
                <td>{c.status === 'closed' ? t('search.closed') : t('search.open')}</td>
                <td>{c.turns}</td>
                <td>
                  <RouteLink route={`/scenarios/interviews/${c.id}`}>{t('interview.report')}</RouteLink>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {page && page.total > PAGE && <Pager offset={offset} pageSize={PAGE} total={page.total} onOffset={setOffset} />}
    </section>
  );
}
