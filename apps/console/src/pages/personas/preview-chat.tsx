import { type FormEvent, useEffect, useRef, useState } from 'react';
import { keyStore } from '../../api/api-client';
import { ChatSocket } from '../../api/chat-socket';
import { ErrorAlert } from '../../components/error-alert';
import { TraceView } from '../../components/trace-view';
import { useI18n } from '../../i18n/i18n';

interface Bubble {
  id: string;
  role: 'user' | 'persona';
  text: string;
  streaming?: boolean;
  /** The persona turn's id, for its trace. */
  turnId?: string;
  /** How many reply.delta events built the text (shown as data-deltas: the reply streamed). */
  deltas?: number;
}

/** A chat with the saved persona over the real socket.io pipeline; each reply's trace one click away. */
export function PreviewChat({ personaId, version }: { personaId: string; version: number }) {
  const { t } = useI18n();
  const [bubbles, setBubbles] = useState<Bubble[]>([]);
  const [conversationId, setConversationId] = useState<string | null>(null);
  const [text, setText] = useState('');
  const [failure, setFailure] = useState<string | null>(null);
  const [trace, setTrace] = useState<string | null>(null);
  const [session, setSession] = useState(0);
  /** What `{{user}}` becomes: read when a conversation starts (New conversation applies a change). */
  const [visitorName, setVisitorName] = useState('');
  const nameAtStart = useRef('');
  nameAtStart.current = visitorName;
  const socket = useRef<ChatSocket | null>(null);
  const log = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const chat = new ChatSocket(keyStore.get() ?? '');
    socket.current = chat;
    setBubbles([]);
    setConversationId(null);
    setFailure(null);
    setTrace(null);
    const upsert = (turnId: string, change: (b: Bubble) => Bubble) =>
      setBubbles((all) =>
        all.some((b) => b.turnId === turnId)
          ? all.map((b) => (b.turnId === turnId ? change(b) : b))
          : [...all, change({ id: turnId, role: 'persona', text: '', turnId, streaming: true })],
      );
    chat.on('reply.start', (e) => upsert(e.turnId, (b) => b));
    chat.on('reply.delta', (e) =>
      upsert(e.turnId, (b) => ({ ...b, text: b.text + e.text, deltas: (b.deltas ?? 0) + 1 })),
    );
    chat.on('reply.end', (e) => upsert(e.turnId, (b) => ({ ...b, text: e.text, streaming: false })));
    chat.on('error', (e) => setFailure(`${e.code}: ${e.message}`));
    chat.onConnectError((e) => setFailure(e.message));
    chat.startSession(personaId, nameAtStart.current.trim() || undefined).then(
      (started) => {
        setConversationId(started.conversationId);
        setBubbles([{ id: 'greeting', role: 'persona', text: started.greeting }]);
      },
      (e: Error) => setFailure(e.message),
    );
    return () => chat.close();
  }, [personaId, version, session]);

  useEffect(() => {
    log.current?.scrollTo({ top: log.current.scrollHeight });
  }, [bubbles]);

  const send = async (event: FormEvent) => {
    event.preventDefault();
    const message = text.trim();
    if (!message || !conversationId || !socket.current) return;
    setText('');
    setFailure(null);
    setBubbles((all) => [...all, { id: crypto.randomUUID(), role: 'user', text: message }]);
    try {
      await socket.current.send(conversationId, message);
    } catch (e) {
      setFailure((e as Error).message);
    }
  };

  return (
    <section className="card preview" data-testid="preview">
      <div className="row compact">
        <h3>
          {t('preview.title')} · v{version}
        </h3>
        <span className="spacer" />
        <input
          name="visitor-name"
          value={visitorName}
          onChange={(e) => setVisitorName(e.target.value)}
          placeholder={t('preview.visitorName')}
          title={t('preview.visitorNameHint')}
          maxLength={60}
        />
        <button type="button" className="link" onClick={() => setSession((n) => n + 1)}>
          {t('preview.restart')}
        </button>
      </div>
      <p className="hint">{t('preview.hint')}</p>
      <div className="log" ref={log}>
        {!conversationId && !failure && <p className="muted">{t('preview.connecting')}</p>}
        {bubbles.map((b) => (
          <div
            key={b.id}
            className={`msg ${b.role}${b.streaming ? ' streaming' : ''}`}
            data-deltas={b.deltas}
            data-turn={b.turnId}
          >
            <span>{b.text}</span>
            {b.role === 'persona' && b.turnId && !b.streaming && (
              <button type="button" className="link trace-link" onClick={() => setTrace(b.turnId!)}>
                {t('preview.trace')}
              </button>
            )}
          </div>
        ))}
      </div>
      <ErrorAlert message={failure} />
      <form className="row compact" onSubmit={send}>
        <input
          name="message"
          value={text}
          onChange={(e) => setText(e.target.value)}
          placeholder={t('preview.placeholder')}
          maxLength={4000}
        />
        <button type="submit" disabled={!conversationId}>
          {t('preview.send')}
        </button>
      </form>
      {trace && conversationId && (
        <TraceView conversationId={conversationId} turnId={trace} onClose={() => setTrace(null)} />
      )}
    </section>
  );
}
