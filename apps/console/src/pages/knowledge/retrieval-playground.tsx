import { type FormEvent, useState } from 'react';
import { api } from '../../api/api-client';
import { ErrorAlert } from '../../components/error-alert';
import { KnowledgeTable } from '../../components/knowledge-table';
import type { KnowledgeView } from '../../components/knowledge-text';
import { useI18n } from '../../i18n/i18n';

/** Type a dialogue (one turn per line, the newest last) and see what this base would give the reply. */
export function RetrievalPlayground({ base }: { base: string }) {
  const { t } = useI18n();
  const [dialogue, setDialogue] = useState('');
  const [top, setTop] = useState(5);
  const [result, setResult] = useState<{ items: KnowledgeView[]; degraded: unknown } | null>(null);
  const [failure, setFailure] = useState<string | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setFailure(null);
    const turns = dialogue
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l !== '');
    if (turns.length === 0) return;
    try {
      setResult(await api('POST', `${base}/select`, { turns, top }));
    } catch (e) {
      setFailure((e as Error).message);
    }
  };

  return (
    <form className="card" onSubmit={submit} data-testid="playground">
      <h3>{t('knowledge.playground')}</h3>
      <p className="hint">{t('knowledge.playgroundHint')}</p>
      <textarea name="dialogue" rows={4} value={dialogue} onChange={(e) => setDialogue(e.target.value)} />
      <div className="row compact">
        <label>
          {t('knowledge.top')}{' '}
          <input
            name="top"
            type="number"
            min={1}
            max={100}
            value={top}
            onChange={(e) => setTop(Number(e.target.value))}
          />
        </label>
        <button type="submit">{t('knowledge.select')}</button>
      </div>
      <ErrorAlert message={failure} />
      {result && <KnowledgeTable items={result.items} testId="selection" markRows />}
    </form>
  );
}
