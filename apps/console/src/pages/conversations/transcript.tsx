import { useEffect, useState } from 'react';
import { api } from '../../api/api-client';
import type { ConversationWithTurns } from '../../api/admin-types';
import { TraceView } from '../../components/trace-view';
import { useI18n } from '../../i18n/i18n';
import { navigate } from '../../router';
import { ReviewForm } from './review-form';
import { TakeoverPanel } from './takeover-panel';

/** One conversation, turn by turn; each reply opens its trace ("why did it say that") and takes a review. */
export function Transcript({ conversationId }: { conversationId: string }) {
  const { t, time } = useI18n();
  const [conversation, setConversation] = useState<ConversationWithTurns | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [trace, setTrace] = useState<string | null>(null);

  useEffect(() => {
    api<ConversationWithTurns>('GET', `/v1/conversations/${encodeURIComponent(conversationId)}`).then(
      setConversation,
      (e: Error) => setFailure(e.message),
    );
  }, [conversationId]);

  return (
    <section className="card transcript" data-testid="transcript">
      <div className="row compact">
        <button type="button" className="link" onClick={() => navigate('/conversations')}>
          ← {t('conversations.title')}
        </button>
      </div>
      {failure && <p className="error">{failure}</p>}
      {!conversation && !failure && <p>{t('common.loading')}</p>}
      {conversation && (
        <>
          <h2>
            {conversation.personaId} v{conversation.personaVersion} · {conversation.channel}
          </h2>
          <p className="muted">
            {time(conversation.createdAt)} · {conversation.id}
          </p>
          <div className="log tall">
            {conversation.turns.map((turn) => (
              <div key={turn.id} className={`msg ${turn.role}`} data-turn={turn.id}>
                <span>{turn.text}</span>
                {turn.status !== 'complete' && <span className="badge down"> {turn.status}</span>}
                {turn.role === 'persona' && turn.trace && (
                  <button type="button" className="link trace-link" onClick={() => setTrace(turn.id)}>
                    {t('preview.trace')}
                  </button>
                )}
                {turn.role === 'persona' && (
                  <ReviewForm
                    conversationId={conversation.id}
                    seq={turn.seq}
                    review={turn.review ?? null}
                    onSaved={(review) =>
                      setConversation({
                        ...conversation,
                        turns: conversation.turns.map((x) => (x.id === turn.id ? { ...x, review } : x)),
                      })
                    }
                  />
                )}
              </div>
            ))}
          </div>
        </>
      )}
      {conversation && <TakeoverPanel conversationId={conversation.id} />}
      {trace && <TraceView conversationId={conversationId} turnId={trace} onClose={() => setTrace(null)} />}
    </section>
  );
}
