import { Fragment, useCallback, useEffect, useState } from 'react';
import { api, apiPage } from '../../api/api-client';
import { ErrorAlert } from '../../components/error-alert';
import { itemText, type KnowledgeView } from '../../components/knowledge-text';
import { Pager } from '../../components/pager';
import { RouteLink } from '../../components/route-link';
import { useI18n } from '../../i18n/i18n';
import { ItemEditRow } from './item-edit-row';

const PAGE = 25;
type Item = KnowledgeView & { createdAt: string };

/** A base's items: searched by text (q), filtered by kind and entity, paged with the total; edit and delete. */
export function ItemsTable({
  name,
  base,
  version,
  onChanged,
}: {
  name: string;
  base: string;
  version: number;
  onChanged(): void;
}) {
  const { t, time } = useI18n();
  const [q, setQ] = useState('');
  const [kind, setKind] = useState('');
  const [entity, setEntity] = useState('');
  const [offset, setOffset] = useState(0);
  const [page, setPage] = useState<{ rows: Item[]; total: number } | null>(null);
  const [editing, setEditing] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);

  const load = useCallback(() => {
    const query = new URLSearchParams({ limit: String(PAGE), offset: String(offset) });
    if (q.trim()) query.set('q', q.trim());
    if (kind) query.set('kind', kind);
    if (entity.trim()) query.set('entity', entity.trim());
    apiPage<Item>(`${base}/items?${query}`).then(setPage, (e: Error) => setFailure(e.message));
  }, [base, q, kind, entity, offset]);
  useEffect(load, [load, version]);

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
  const filter = (set: (v: string) => void) => (value: string) => {
    setOffset(0);
    set(value);
  };
  const entityOf = (item: Item) => (item.kind === 'qa' ? null : (item.head ?? null));

  return (
    <section className="card" data-testid="knowledge-items">
      <h2>{name}</h2>
      <div className="row compact">
        <label>
          {t('curation.search')}{' '}
          <input name="q" type="search" value={q} onChange={(e) => filter(setQ)(e.target.value)} />
        </label>
        <label>
          {t('knowledge.kind')}{' '}
          <select name="kind" value={kind} onChange={(e) => filter(setKind)(e.target.value)}>
            <option value="">{t('conversations.all')}</option>
            <option value="qa">qa</option>
            <option value="description">description</option>
            <option value="fact">fact</option>
          </select>
        </label>
        <label>
          {t('knowledge.entity')}{' '}
          <input name="entity" value={entity} onChange={(e) => filter(setEntity)(e.target.value)} />
        </label>
        <span className="muted" data-testid="items-total">
          {page ? t('curation.total', { total: page.total }) : ''}
        </span>
      </div>
      {saved && (
        <p className="ok" role="status" data-testid="item-saved">
          {t('curation.itemSaved', { id: saved })}
        </p>
      )}
      <ErrorAlert message={failure} />
      {page === null ? (
        <p>{t('common.loading')}</p>
      ) : page.rows.length === 0 ? (
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
            {page.rows.map((item) => (
              <Fragment key={item.id}>
                <tr data-item={item.id}>
                  <td>{item.kind}</td>
                  <td>
                    {entityOf(item) && (
                      <RouteLink
                        route={`/knowledge/${encodeURIComponent(name)}/entity/${encodeURIComponent(entityOf(item)!)}`}
                        className="entity-link"
                      >
                        {entityOf(item)}
                      </RouteLink>
                    )}
                    {/* The link is the item's head, so the text goes on after it. */}
                    {entityOf(item) ? itemText(item).slice(entityOf(item)!.length) : itemText(item)}
                  </td>
                  <td className="muted">{item.source ?? t('common.none')}</td>
                  <td>{time(item.createdAt)}</td>
                  <td>
                    <button type="button" className="secondary" onClick={() => setEditing(item.id)}>
                      {t('curation.edit')}
                    </button>{' '}
                    <button type="button" className="danger" onClick={() => remove(item.id)}>
                      {t('editor.remove')}
                    </button>
                  </td>
                </tr>
                {editing === item.id && (
                  <ItemEditRow
                    base={base}
                    item={item}
                    columns={5}
                    onCancel={() => setEditing(null)}
                    onSaved={(id) => {
                      setEditing(null);
                      setSaved(id);
                      changed();
                    }}
                  />
                )}
              </Fragment>
            ))}
          </tbody>
        </table>
      )}
      <Pager offset={offset} pageSize={PAGE} total={page?.total} showRange onOffset={setOffset} />
    </section>
  );
}
