import { useEffect, useState } from 'react';
import { api } from '../../api/api-client';
import type { ConversationSummary, PersonaSummary } from '../../api/admin-types';
import { useI18n } from '../../i18n/i18n';
import { navigate } from '../../router';
import { Transcript } from './transcript';

const PAGE = 25;

/** /conversations: filter by persona and visitor, page through; /conversations/:id: the transcript. */
export function ConversationsPage({ route }: { route: string }) {
  const { t, language } = useI18n();
  const selected = route.split('/')[2];
  const [personas, setPersonas] = useState<PersonaSummary[]>([]);
  const [personaId, setPersonaId] = useState('');
  const [visitorId, setVisitorId] = useState('');
  const [offset, setOffset] = useState(0);
  const [rows, setRows] = useState<ConversationSummary[] | null>(null);
  const [failure, setFailure] = useState<string | null>(null);

  useEffect(() => {
    api<PersonaSummary[]>('GET', '/v1/personas').then(setPersonas, (e: Error) => setFailure(e.message));
  }, []);
  useEffect(() => {
    const query = new URLSearchParams({ limit: String(PAGE), offset: String(offset) });
    if (personaId) query.set('personaId', personaId);
    if (visitorId.trim()) query.set('visitorId', visitorId.trim());
    setRows(null);
    api<ConversationSummary[]>('GET', `/v1/conversations?${query}`).then(setRows, (e: Error) => setFailure(e.message));
  }, [personaId, visitorId, offset]);

  if (selected) return <Transcript conversationId={selected} />;
  const name = (id: string) => personas.find((p) => p.id === id)?.name ?? id;
  return (
    <section className="card conversations" data-testid="conversations">
      <h2>{t('conversations.title')}</h2>
      <div className="row compact">
        <label>
          {t('conversations.persona')}{' '}
          <select
            name="persona"
            value={personaId}
            onChange={(e) => {
              setOffset(0);
              setPersonaId(e.target.value);
            }}
          >
            <option value="">{t('conversations.all')}</option>
            {personas.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name} ({p.id})
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('conversations.visitor')}{' '}
          <input
            name="visitor"
            value={visitorId}
            onChange={(e) => {
              setOffset(0);
              setVisitorId(e.target.value);
            }}
          />
        </label>
      </div>
      {failure && <p className="error">{failure}</p>}
      {rows === null ? (
        <p>{t('common.loading')}</p>
      ) : rows.length === 0 ? (
        <p className="muted">{t('conversations.empty')}</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th>{t('conversations.started')}</th>
              <th>{t('conversations.persona')}</th>
              <th>{t('conversations.channel')}</th>
              <th>{t('conversations.visitor')}</th>
              <th>{t('conversations.turns')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((c) => (
              <tr key={c.id} data-conversation={c.id}>
                <td>
                  <a
                    href={`/console/conversations/${c.id}`}
                    onClick={(e) => {
                      e.preventDefault();
                      navigate(`/conversations/${c.id}`);
                    }}
                  >
                    {new Date(c.createdAt).toLocaleString(language === 'zh' ? 'zh-CN' : 'en')}
                  </a>
                </td>
                <td>
                  {name(c.personaId)} <span className="muted">v{c.personaVersion}</span>
                </td>
                <td>{c.channel}</td>
                <td>{c.visitorId ?? t('common.none')}</td>
                <td>{c.turns}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <div className="row compact">
        <button type="button" className="secondary" disabled={offset === 0} onClick={() => setOffset(offset - PAGE)}>
          {t('conversations.previous')}
        </button>
        <button
          type="button"
          className="secondary"
          disabled={(rows?.length ?? 0) < PAGE}
          onClick={() => setOffset(offset + PAGE)}
        >
          {t('conversations.next')}
        </button>
      </div>
    </section>
  );
}
