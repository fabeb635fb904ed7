import { useCallback, useEffect, useRef, useState } from 'react';
import { api, keyStore } from '../../api/api-client';
import { ChatSocket } from '../../api/chat-socket';
import { ErrorAlert } from '../../components/error-alert';
import { RouteLink } from '../../components/route-link';
import { useI18n } from '../../i18n/i18n';
import { TakeoverPanel } from '../conversations/takeover-panel';
import { type HandoffRequest, mergeHandoffs, withHandoff } from './handoff-queue-state';

/** How often the list is read again, so requests another operator took leave the queue. */
const REFRESH_MS = 15_000;

/**
 * Visitors waiting for a person: `GET /v1/handoffs`, then `handoff.requested` live on the operator
 * socket (`operator.watch`). "Take over" opens the take-over panel for that conversation here.
 */
export function HandoffQueue() {
  const { t, time } = useI18n();
  const [queue, setQueue] = useState<HandoffRequest[] | null>(null);
  const [live, setLive] = useState<'connecting' | 'live' | string>('connecting');
  const [failure, setFailure] = useState<string | null>(null);
  const [open, setOpen] = useState<string | null>(null);
  /** Live requests that came while a list was being fetched; null when no fetch runs. */
  const meanwhile = useRef<HandoffRequest[] | null>(null);

  const load = useCallback(() => {
    meanwhile.current = [];
    api<HandoffRequest[]>('GET', '/v1/handoffs').then(
      (listed) => {
        setQueue(mergeHandoffs(listed, meanwhile.current ?? []));
        meanwhile.current = null;
        setFailure(null);
      },
      (e: Error) => {
        meanwhile.current = null;
        setFailure(e.message);
      },
    );
  }, []);

  useEffect(() => {
    load();
    const timer = setInterval(load, REFRESH_MS);
    const socket = new ChatSocket(keyStore.get() ?? '');
    socket.on('handoff.requested', (request) => {
      meanwhile.current?.push(request);
      setQueue((current) => withHandoff(current ?? [], request));
    });
    socket.onConnectError((e) => setLive(e.message));
    socket.operatorWatch().then(
      () => setLive('live'),
      (e: Error) => setLive(e.message),
    );
    return () => {
      clearInterval(timer);
      socket.close();
    };
  }, [load]);

  return (
    <section className="card" data-testid="handoffs">
      <div className="row compact">
        <h2>{t('handoffs.title')}</h2>
        {live === 'live' ? (
          <span className="badge ok" data-testid="handoffs-live">
            {t('handoffs.live')}
          </span>
        ) : (
          live !== 'connecting' && <span className="badge down">{t('handoffs.offline', { reason: live })}</span>
        )}
        <span className="spacer" />
        {queue && queue.length > 0 && (
          <span className="muted" data-testid="handoffs-waiting">
            {t('handoffs.waiting', { count: queue.length })}
          </span>
        )}
        <button type="button" className="secondary" onClick={load}>
          {t('common.refresh')}
        </button>
      </div>
      <p className="muted">{t('handoffs.hint')}</p>
      <ErrorAlert message={failure} />
      {queue === null ? (
        !failure && <p>{t('common.loading')}</p>
      ) : queue.length === 0 ? (
        <p className="muted">{t('handoffs.empty')}</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th>{t('handoffs.at')}</th>
              <th>{t('handoffs.persona')}</th>
              <th>{t('handoffs.reason')}</th>
              <th>{t('records.conversation')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {queue.map((r) => (
              <tr key={r.conversationId} data-handoff={r.conversationId}>
                <td>{time(r.at)}</td>
                <td>{r.personaId}</td>
                <td>{r.reason || t('common.none')}</td>
                <td>
                  <RouteLink route={`/conversations/${r.conversationId}`}>{r.conversationId.slice(0, 8)}</RouteLink>
                </td>
                <td>
                  <button type="button" onClick={() => setOpen(r.conversationId)}>
                    {t('handoffs.takeOver')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {open && <TakeoverPanel key={open} conversationId={open} onTakenOver={load} />}
    </section>
  );
}
