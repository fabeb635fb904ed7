import { useCallback, useEffect, useRef, useState } from 'react';
import { api } from '../../api/api-client';
import type { PersonaSummary, StoredPersona } from '../../api/admin-types';
import { ErrorAlert } from '../../components/error-alert';
import { useI18n } from '../../i18n/i18n';
import { navigate } from '../../router';
import { AvatarUpload } from './avatar-upload';
import { CardImport, exportCard } from './card-import';
import { PersonaEditor, type Saved } from './persona-editor';
import { PreviewChat } from './preview-chat';
import { VersionsPanel } from './versions-panel';

/** /personas (list), /personas/new, /personas/:id (editor, versions and live preview side by side). */
export function PersonasPage({ route }: { route: string }) {
  const { t } = useI18n();
  const selected = decodeURIComponent(route.split('/')[2] ?? '');
  const [personas, setPersonas] = useState<PersonaSummary[] | null>(null);
  const [stored, setStored] = useState<StoredPersona | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);

  const loadList = useCallback(() => {
    api<PersonaSummary[]>('GET', '/v1/personas').then(setPersonas, (e: Error) => setFailure(e.message));
  }, []);
  const loadPersona = useCallback((id: string) => {
    setStored(null);
    api<StoredPersona>('GET', `/v1/personas/${encodeURIComponent(id)}`).then(setStored, (e: Error) =>
      setFailure(e.message),
    );
  }, []);

  // After creating, the page moves to the new persona's route: keep its notice and the persona it already has.
  const justCreated = useRef<string | null>(null);

  useEffect(loadList, [loadList]);
  useEffect(() => {
    setFailure(null);
    if (justCreated.current === selected) {
      justCreated.current = null;
      return;
    }
    setNotice(null);
    if (selected && selected !== 'new') loadPersona(selected);
    else setStored(null);
  }, [selected, loadPersona]);

  const onSaved = (saved: Saved) => {
    if (selected === 'new') justCreated.current = saved.persona.id;
    setNotice(t(saved.created ? 'editor.saved' : 'editor.unchanged', { version: saved.version }));
    setStored(saved);
    loadList();
    if (selected === 'new') navigate(`/personas/${saved.persona.id}`);
  };

  return (
    <div className="personas">
      <aside className="card list">
        <h2>{t('personas.title')}</h2>
        <button type="button" onClick={() => navigate('/personas/new')}>
          {t('personas.new')}
        </button>
        {personas === null ? (
          <p>{t('common.loading')}</p>
        ) : personas.length === 0 ? (
          <p>{t('personas.empty')}</p>
        ) : (
          <ul>
            {personas.map((p) => (
              <li key={p.id} className={p.id === selected ? 'active' : ''}>
                {p.avatarUrl && <img className="avatar-thumb" src={p.avatarUrl} alt="" width={20} height={20} />}
                <a
                  href={`/console/personas/${p.id}`}
                  data-persona={p.id}
                  onClick={(e) => {
                    e.preventDefault();
                    navigate(`/personas/${p.id}`);
                  }}
                >
                  {p.name}
                </a>
                <span className="muted">
                  {' '}
                  {p.id} · {t('personas.version', { version: p.version })} · {p.scenario}
                </span>
              </li>
            ))}
          </ul>
        )}
        <CardImport
          onImported={(imported) => {
            setNotice(t('cards.imported', { name: imported.persona.name, items: imported.knowledgeItems }));
            justCreated.current = imported.persona.id;
            setStored(imported);
            loadList();
            navigate(`/personas/${imported.persona.id}`);
          }}
        />
      </aside>
      <section className="workbench">
        <ErrorAlert message={failure} />
        {notice && (
          <p className="ok" role="status">
            {notice}
          </p>
        )}
        {selected === 'new' && <PersonaEditor key="new" stored={null} onSaved={onSaved} />}
        {selected && selected !== 'new' && stored && (
          <div className="split">
            <div>
              <div className="row compact">
                <AvatarUpload
                  key={`avatar:${stored.persona.id}`}
                  personaId={stored.persona.id}
                  avatarUrl={stored.avatarUrl}
                  onUploaded={(avatarUrl) => {
                    setNotice(t('avatar.uploaded'));
                    setStored({ ...stored, avatarUrl });
                    loadList();
                  }}
                />
                <span className="spacer" />
                {(['v3', 'png'] as const).map((format) => (
                  <button
                    key={format}
                    type="button"
                    className="link"
                    data-export={format}
                    onClick={() => exportCard(stored.persona.id, format).catch((e: Error) => setFailure(e.message))}
                  >
                    {t(format === 'png' ? 'cards.exportPng' : 'cards.export')}
                  </button>
                ))}
              </div>
              <PersonaEditor key={`editor:${stored.persona.id}:${stored.version}`} stored={stored} onSaved={onSaved} />
              <VersionsPanel
                key={`versions:${stored.persona.id}:${stored.version}`}
                personaId={stored.persona.id}
                current={stored.version}
                onRolledBack={(saved, from) => {
                  setNotice(t('versions.rolledBack', { version: saved.version, from }));
                  setStored(saved);
                  loadList();
                }}
              />
            </div>
            <PreviewChat personaId={stored.persona.id} version={stored.version} />
          </div>
        )}
        {selected && selected !== 'new' && !stored && !failure && <p>{t('common.loading')}</p>}
      </section>
    </div>
  );
}
