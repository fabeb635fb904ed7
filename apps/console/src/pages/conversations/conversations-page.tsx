import { useEffect, useState } from 'react';
import { api } from '../../api/api-client';
import { usePagedRows } from '../../api/use-paged-rows';
import type { ConversationSummary, PersonaSummary } from '../../api/admin-types';
import { DownloadButton } from '../../components/download-button';
import { ErrorAlert } from '../../components/error-alert';
import { Pager } from '../../components/pager';
import { PersonaFilter } from '../../components/persona-filter';
import { RouteLink } from '../../components/route-link';
import { useI18n } from '../../i18n/i18n';
import { type ConversationFilters, filterQuery, NO_FILTERS } from './conversation-filters';
import { Transcript } from './transcript';

const PAGE = 25;

/**
 * /conversations: search (persona, channel, status, dates, text), paged with the total, export;
 * /conversations/:id: the transcript.
 */
export function ConversationsPage({ route }: { route: string }) {
  const { t, time } = useI18n();
  const selected = route.split('/')[2];
  const [personas, setPersonas] = useState<PersonaSummary[]>([]);
  const [filters, setFilters] = useState<ConversationFilters>(NO_FILTERS);
  const [offset, setOffset] = useState(0);
  const [failure, setFailure] = useState<string | null>(null);

  useEffect(() => {
    api<PersonaSummary[]>('GET', '/v1/personas').then(setPersonas, (e: Error) => setFailure(e.message));
  }, []);
  const page = usePagedRows<ConversationSummary>(`/v1/conversations?${filterQuery(filters)}`, offset, PAGE, {
    error: setFailure,
    loaded: () => setFailure(null),
  });

  if (selected) return <Transcript conversationId={selected} />;
  const set = (field: keyof ConversationFilters) => (value: string) => {
    setOffset(0);
    setFilters({ ...filters, [field]: value });
  };
  const exportPath = (format: 'jsonl' | 'csv') => {
    const query = filterQuery(filters);
    query.set('format', format);
    return `/v1/conversations/export?${query}`;
  };
  const name = (id: string) => personas.find((p) => p.id === id)?.name ?? id;
  return (
    <section className="card conversations" data-testid="conversations">
      <h2>{t('conversations.title')}</h2>
      <div className="row compact">
        <PersonaFilter
          label={t('conversations.persona')}
          name="persona"
          value={filters.personaId}
          personas={personas}
          allLabel={t('conversations.all')}
          onChange={set('personaId')}
        />
        <label>
          {t('conversations.channel')}{' '}
          <input name="channel" value={filters.channel} onChange={(e) => set('channel')(e.target.value)} />
        </label>
        <label>
          {t('search.status')}{' '}
          <select name="status" value={filters.status} onChange={(e) => set('status')(e.target.value)}>
            <option value="">{t('conversations.all')}</option>
            <option value="open">{t('search.open')}</option>
            <option value="closed">{t('search.closed')}</option>
          </select>
        </label>
        <label>
          {t('search.from')}{' '}
          <input name="from" type="date" value={filters.from} onChange={(e) => set('from')(e.target.value)} />
        </label>
        <label>
          {t('search.to')}{' '}
          <input name="to" type="date" value={filters.to} onChange={(e) => set('to')(e.target.value)} />
        </label>
        <label>
          {t('search.text')}{' '}
          <input name="q" type="search" value={filters.q} onChange={(e) => set('q')(e.target.value)} />
        </label>
      </div>
      <div className="row compact">
        <span className="muted" data-testid="conversations-total">
          {page ? t('curation.total', { total: page.total }) : ''}
        </span>
        <span className="spacer" />
        <DownloadButton path={exportPath('jsonl')} fileName="conversations.jsonl" onError={setFailure}>
          {t('search.exportJsonl')}
        </DownloadButton>
        <DownloadButton path={exportPath('csv')} fileName="conversations.csv" onError={setFailure}>
          {t('search.exportCsv')}
        </DownloadButton>
      </div>
      <ErrorAlert message={failure} />
      {page === null ? (
        <p>{t('common.loading')}</p>
      ) : page.rows.length === 0 ? (
        <p className="muted">{t('conversations.empty')}</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th>{t('conversations.started')}</th>
              <th>{t('conversations.persona')}</th>
              <th>{t('conversations.channel')}</th>
              <th>{t('conversations.visitor')}</th>
              <th>{t('search.status')}</th>
              <th>{t('conversations.turns')}</th>
            </tr>
          </thead>
          <tbody>
            {page.rows.map((c) => (
              <tr key={c.id} data-conversation={c.id}>
                <td>
                  <RouteLink route={`/conversations/${c.id}`}>{time(c.createdAt)}</RouteLink>
                </td>
                <td>
                  {name(c.personaId)} <span className="muted">v{c.personaVersion}</span>
                </td>
                <td>{c.channel}</td>
                <td>{c.visitorId ?? t('common.none')}</td>
                <td>
                  {c.status === 'open'
                    ? t('search.open')
                    : c.status === 'closed'
                      ? t('search.closed')
                      : t('common.none')}
                </td>
                <td>{c.turns}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Pager offset={offset} pageSize={PAGE} total={page?.total} onOffset={setOffset} />
    </section>
  );
}
