import type { TakeoverState } from '@zhibing/protocol';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { api, keyStore } from '../../api/api-client';
import { ChatSocket } from '../../api/chat-socket';
import { useI18n } from '../../i18n/i18n';

interface Line {
  id: string;
  who: string;
  text: string;
}

/**
 * Operator take-over of the conversation shown: live visitor messages and replies, "Take over"
 * with the name the visitor sees, a message box while holding it, and "Hand back".
 * `onTakenOver` hears when this operator took it (the hand-off queue drops the request then).
 */
export function TakeoverPanel({ conversationId, onTakenOver }: { conversationId: string; onTakenOver?(): void }) {
  const { t } = useI18n();
  const [state, setState] = useState<TakeoverState | null>(null);
  const [lines, setLines] = useState<Line[]>([]);
  const [name, setName] = useState('');
  const [text, setText] = useState('');
  const [failure, setFailure] = useState<string | null>(null);
  const socket = useRef<ChatSocket | null>(null);

  useEffect(() => {
    const chat = new ChatSocket(keyStore.get() ?? '');
    socket.current = chat;
    const add = (line: Line) => setLines((all) => (all.some((l) => l.id === line.id) ? all : [...all, line]));
    chat.on('visitor.message', (e) => add({ id: e.turnId, who: t('takeover.visitor'), text: e.text }));
    chat.on('reply.end', (e) => add({ id: e.turnId, who: e.from?.name ?? '🤖', text: e.text }));
    chat.on('conversation.takeover', (e) =>
      setState({ conversationId, operatorName: e.operatorName, operatorKeyId: '', since: e.since }),
    );
    chat.on('conversation.handback', () => setState(null));
    chat.on('error', (e) => setFailure(`${e.code}: ${e.message}`));
    chat.operatorJoin(conversationId).then(
      (joined) => setState(joined.takeover),
      (e: Error) => setFailure(e.message),
    );
    return () => chat.close();
  }, [conversationId, t]);

  const run = (work: Promise<unknown>) => {
    setFailure(null);
    work.catch((e: Error) => setFailure(e.message));
  };
  const path = `/v1/conversations/${encodeURIComponent(conversationId)}`;
  const takeOver = (event: FormEvent) => {
    event.preventDefault();
    run(
      api<TakeoverState>('POST', `${path}/takeover`, { operatorName: name.trim() }).then((taken) => {
        setState(taken);
        onTakenOver?.();
      }),
    );
  };
  const send = (event: FormEvent) => {
    event.preventDefault();
    if (!text.trim()) return;
    run(socket.current!.operatorSend(conversationId, text).then(() => setText('')));
  };

  return (
    <div className="card takeover" data-testid="takeover">
      <h3>{t('takeover.title')}</h3>
      <p className="muted">{state ? t('takeover.heldBy', { name: state.operatorName }) : t('takeover.hint')}</p>
      <div className="log">
        {lines.map((line) => (
          <div key={line.id} className="msg">
            <strong>{line.who}</strong> {line.text}
          </div>
        ))}
      </div>
      {state ? (
        <form className="row compact" onSubmit={send}>
          <input value={text} onChange={(e) => setText(e.target.value)} placeholder={t('takeover.placeholder')} />
          <button type="submit">{t('takeover.send')}</button>
          <button type="button" onClick={() => run(api('POST', `${path}/handback`).then(() => setState(null)))}>
            {t('takeover.handBack')}
          </button>
        </form>
      ) : (
        <form className="row compact" onSubmit={takeOver}>
          <input value={name} onChange={(e) => setName(e.target.value)} placeholder={t('takeover.name')} />
          <button type="submit" disabled={!name.trim()}>
            {t('takeover.start')}
          </button>
        </form>
      )}
      {failure && <p className="error">{failure}</p>}
    </div>
  );
}
