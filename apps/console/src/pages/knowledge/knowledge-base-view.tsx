import { useCallback, useEffect, useState } from 'react';
import { api } from '../../api/api-client';
import { itemText, type KnowledgeView } from '../../components/knowledge-text';
import { useI18n } from '../../i18n/i18n';
import { AddItemForm } from './add-item-form';
import { ImportForm } from './import-form';
import { RetrievalPlayground } from './retrieval-playground';

const PAGE = 25;

/** One base: its items (filtered by kind and entity, paged; deletable), adding, importing, and the playground. */
export function KnowledgeBaseView({ name, onChanged }: { name: string; onChanged(): void }) {
  const { t, language } = useI18n();
  const [kind, setKind] = useState('');
  const [entity, setEntity] = useState('');
  const [offset, setOffset] = useState(0);
  const [items, setItems] = useState<(KnowledgeView & { createdAt: string })[] | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const base = `/v1/knowledge-bases/${encodeURIComponent(name)}`;

  const load = useCallback(() => {
    const query = new URLSearchParams({ limit: String(PAGE), offset: String(offset) });
    if (kind) query.set('kind', kind);
    if (entity.trim()) query.set('entity', entity.trim());
    api<(KnowledgeView & { createdAt: string })[]>('GET', `${base}/items?${query}`).then(setItems, (e: Error) =>
      setFailure(e.message),
    );
  }, [base, kind, entity, offset]);
  useEffect(load, [load]);

  const changed = () => {
    load();
    onChanged();
  };
  const remove = async (id: string) => {
    setFailure(null);
    try {
      await api('DELETE', `${base}/items/${id}`);
      changed();
    } catch (e) {
      setFailure((e as Error).message);
    }
  };

  return (
    <>
      <section className="card" data-testid="knowledge-items">
        <h2>{name}</h2>
        <div className="row compact">
          <label>
            {t('knowledge.kind')}{' '}
            <select
              name="kind"
              value={kind}
              onChange={(e) => {
                setOffset(0);
                setKind(e.target.value);
              }}
            >
              <option value="">{t('conversations.all')}</option>
              <option value="qa">qa</option>
              <option value="description">description</option>
              <option value="fact">fact</option>
            </select>
          </label>
          <label>
            {t('knowledge.entity')}{' '}
            <input
              name="entity"
              value={entity}
              onChange={(e) => {
                setOffset(0);
                setEntity(e.target.value);
              }}
            />
          </label>
        </div>
        {failure && (
          <p className="error" role="alert">
            {failure}
          </p>
        )}
        {items === null ? (
          <p>{t('common.loading')}</p>
        ) : items.length === 0 ? (
          <p className="muted">{t('knowledge.noItems')}</p>
        ) : (
          <table>
            <thead>
              <tr>
                <th>{t('trace.kind')}</th>
                <th>{t('trace.item')}</th>
                <th>{t('knowledge.source')}</th>
                <th>{t('keys.created')}</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {items.map((item) => (
                <tr key={item.id} data-item={item.id}>
                  <td>{item.kind}</td>
                  <td>{itemText(item)}</td>
                  <td className="muted">{item.source ?? t('common.none')}</td>
                  <td>{new Date(item.createdAt).toLocaleString(language === 'zh' ? 'zh-CN' : 'en')}</td>
                  <td>
                    <button type="button" className="danger" onClick={() => remove(item.id)}>
                      {t('editor.remove')}
                    </button>
                  </td>
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
            disabled={(items?.length ?? 0) < PAGE}
            onClick={() => setOffset(offset + PAGE)}
          >
            {t('conversations.next')}
          </button>
        </div>
      </section>
      <div className="split">
        <div>
          <AddItemForm base={base} onAdded={changed} />
          <ImportForm base={base} onImported={changed} />
        </div>
        <RetrievalPlayground base={base} />
      </div>
    </>
  );
}
