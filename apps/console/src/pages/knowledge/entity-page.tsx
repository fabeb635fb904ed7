import { useEffect, useState } from 'react';
import { apiPage } from '../../api/api-client';
import { ErrorAlert } from '../../components/error-alert';
import { itemText, type KnowledgeView } from '../../components/knowledge-text';
import { useI18n } from '../../i18n/i18n';
import { navigate } from '../../router';
import { EntityGraph } from './entity-graph';
import { entityEdges } from './entity-neighbourhood';

/** At most this many items are read per query: an entity page is a summary, not an export. */
const LIMIT = 200;

/**
 * One entity of a base: its descriptions, facts and neighbours, and a one-hop graph. Built from the
 * items API: the entity filter finds what is about it, a text search for its name the facts that
 * point at it.
 */
export function EntityPage({ name, base, entity }: { name: string; base: string; entity: string }) {
  const { t } = useI18n();
  const [about, setAbout] = useState<KnowledgeView[] | null>(null);
  const [pointing, setPointing] = useState<KnowledgeView[]>([]);
  const [failure, setFailure] = useState<string | null>(null);

  useEffect(() => {
    setAbout(null);
    const own = new URLSearchParams({ entity, limit: String(LIMIT) });
    const incoming = new URLSearchParams({ q: entity, kind: 'fact', limit: String(LIMIT) });
    Promise.all([
      apiPage<KnowledgeView>(`${base}/items?${own}`),
      apiPage<KnowledgeView>(`${base}/items?${incoming}`),
    ]).then(
      ([a, b]) => {
        setAbout(a.rows);
        setPointing(b.rows.filter((f) => f.tail === entity && f.head !== entity));
      },
      (e: Error) => setFailure(e.message),
    );
  }, [base, entity]);

  const open = (other: string) =>
    navigate(`/knowledge/${encodeURIComponent(name)}/entity/${encodeURIComponent(other)}`);
  const descriptions = about?.filter((i) => i.kind === 'description') ?? [];
  const own = about?.filter((i) => i.kind === 'fact') ?? [];
  // A fact about the entity that also names it as its value must be listed once.
  const facts = [...own, ...pointing.filter((f) => !own.some((o) => o.id === f.id))];
  const edges = entityEdges(entity, facts);
  const neighbours = [...new Set(edges.map((e) => e.neighbour))];

  return (
    <section className="card entity" data-testid="entity-page">
      <div className="row compact">
        <button type="button" className="link" onClick={() => navigate(`/knowledge/${encodeURIComponent(name)}`)}>
          ← {name}
        </button>
      </div>
      <h2>{entity}</h2>
      <ErrorAlert message={failure} />
      {about === null && !failure && <p>{t('common.loading')}</p>}
      {about && (
        <div className="split">
          <div>
            <h3>{t('entity.descriptions')}</h3>
            {descriptions.length === 0 ? (
              <p className="muted">{t('common.none')}</p>
            ) : (
              <ul data-testid="entity-descriptions">
                {descriptions.map((d) => (
                  <li key={d.id}>{d.text}</li>
                ))}
              </ul>
            )}
            <h3>{t('entity.facts')}</h3>
            {facts.length === 0 ? (
              <p className="muted">{t('common.none')}</p>
            ) : (
              <ul data-testid="entity-facts">
                {facts.map((f) => (
                  <li key={f.id}>{itemText(f)}</li>
                ))}
              </ul>
            )}
            <h3>{t('entity.neighbours')}</h3>
            {neighbours.length === 0 ? (
              <p className="muted">{t('common.none')}</p>
            ) : (
              <ul className="inline" data-testid="entity-neighbours">
                {neighbours.map((n) => (
                  <li key={n}>
                    <a
                      href={`/console/knowledge/${encodeURIComponent(name)}/entity/${encodeURIComponent(n)}`}
                      onClick={(e) => {
                        e.preventDefault();
                        open(n);
                      }}
                    >
                      {n}
                    </a>
                  </li>
                ))}
              </ul>
            )}
          </div>
          <div>
            <h3>{t('entity.graph')}</h3>
            <EntityGraph entity={entity} edges={edges} onOpen={open} />
          </div>
        </div>
      )}
    </section>
  );
}
