import { useEffect, useState } from 'react';
import { api } from '../api/api-client';
import type { ConversationWithTurns, TurnRecord } from '../api/admin-types';
import { useI18n } from '../i18n/i18n';
import { KnowledgeTable } from './knowledge-table';
import { type KnowledgeView, round } from './knowledge-text';

/** A knowledge item as a trace stores it: always scored. */
type TraceKnowledge = KnowledgeView & { score: number };

interface Trace {
  engine?: string;
  note?: string;
  grounding?: Record<string, unknown>;
  timings?: Record<string, number>;
  tokens?: Record<string, number>;
  keptHistory?: unknown[];
  knowledge?: TraceKnowledge[];
  prompt?: unknown;
  [key: string]: unknown;
}

const show = (value: unknown) => (typeof value === 'string' ? value : JSON.stringify(value, null, 2));

/** "Why did it say that": the stored trace of one reply, from GET /v1/conversations/:id. */
export function TraceView({
  conversationId,
  turnId,
  onClose,
}: {
  conversationId: string;
  turnId: string;
  onClose(): void;
}) {
  const { t } = useI18n();
  const [turn, setTurn] = useState<TurnRecord | null>(null);
  const [failure, setFailure] = useState<string | null>(null);

  useEffect(() => {
    api<ConversationWithTurns>('GET', `/v1/conversations/${conversationId}`).then(
      (c) => setTurn(c.turns.find((x) => x.id === turnId) ?? null),
      (e: Error) => setFailure(e.message),
    );
  }, [conversationId, turnId]);

  const trace = (turn?.trace ?? {}) as Trace;
  return (
    <div className="overlay" role="dialog" aria-label={t('trace.title')}>
      <div className="card trace" data-testid="trace">
        <div className="row compact">
          <h3>{t('trace.title')}</h3>
          <span className="spacer" />
          <button type="button" className="link" onClick={onClose}>
            {t('common.close')}
          </button>
        </div>
        {failure && <p className="error">{failure}</p>}
        {!turn && !failure && <p>{t('common.loading')}</p>}
        {turn && (
          <>
            <blockquote>{turn.text}</blockquote>
            <dl>
              <dt>{t('trace.engine')}</dt>
              <dd data-testid="trace-engine">{trace.engine ?? t('common.none')}</dd>
              {trace.note && (
                <>
                  <dt>{t('trace.note')}</dt>
                  <dd>{trace.note}</dd>
                </>
              )}
              {trace.grounding && (
                <>
                  <dt>{t('trace.grounding')}</dt>
                  <dd>
                    <code>{JSON.stringify(trace.grounding)}</code>
                  </dd>
                </>
              )}
              {trace.tokens && (
                <>
                  <dt>{t('trace.tokens')}</dt>
                  <dd>
                    {Object.entries(trace.tokens)
                      .map(([k, v]) => `${k} ${v}`)
                      .join(' · ')}
                  </dd>
                </>
              )}
            </dl>
            {trace.timings && (
              <>
                <h4>{t('trace.timings')}</h4>
                <table className="timings">
                  <tbody>
                    <tr>
                      {Object.keys(trace.timings).map((k) => (
                        <th key={k}>{k}</th>
                      ))}
                    </tr>
                    <tr>
                      {Object.values(trace.timings).map((v, i) => (
                        <td key={i}>{round(v)}</td>
                      ))}
                    </tr>
                  </tbody>
                </table>
              </>
            )}
            <h4>{t('trace.keptHistory')}</h4>
            {trace.keptHistory && trace.keptHistory.length > 0 ? (
              <ol>
                {trace.keptHistory.map((h, i) => (
                  <li key={i}>
                    <code>{show(h)}</code>
                  </li>
                ))}
              </ol>
            ) : (
              <p className="muted">{t('trace.noHistory')}</p>
            )}
            <h4>{t('trace.knowledge')}</h4>
            <KnowledgeTable items={trace.knowledge ?? []} testId="trace-knowledge" className="knowledge" />
            <h4>{t('trace.prompt')}</h4>
            {trace.prompt ? (
              <pre className="prompt">{show(trace.prompt)}</pre>
            ) : (
              <p className="muted">{t('trace.noPrompt')}</p>
            )}
            <details>
              <summary>{t('trace.raw')}</summary>
              <pre>{JSON.stringify(trace, null, 2)}</pre>
            </details>
          </>
        )}
      </div>
    </div>
  );
}
