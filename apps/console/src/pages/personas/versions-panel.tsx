import { useEffect, useState } from 'react';
import { api } from '../../api/api-client';
import type { PersonaVersion, StoredPersona } from '../../api/admin-types';
import { useI18n } from '../../i18n/i18n';
import type { Saved } from './persona-editor';
import { type DiffLine, personaDiff, withContext } from './persona-diff';

const get = (id: string, version: number) =>
  api<StoredPersona>('GET', `/v1/personas/${encodeURIComponent(id)}?version=${version}`);

/**
 * A persona's versions: a diff between any two, and roll-back, which saves an old version's
 * content as a new version (history is never rewritten).
 */
export function VersionsPanel({
  personaId,
  current,
  onRolledBack,
}: {
  personaId: string;
  current: number;
  onRolledBack(saved: Saved, from: number): void;
}) {
  const { t, time } = useI18n();
  const [versions, setVersions] = useState<PersonaVersion[]>([]);
  const [from, setFrom] = useState(Math.max(1, current - 1));
  const [to, setTo] = useState(current);
  const [diff, setDiff] = useState<DiffLine[] | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    api<PersonaVersion[]>('GET', `/v1/personas/${encodeURIComponent(personaId)}/versions`).then(setVersions, (e) =>
      setFailure((e as Error).message),
    );
  }, [personaId, current]);

  useEffect(() => {
    setDiff(null);
    if (from === to) return;
    let live = true;
    Promise.all([get(personaId, from), get(personaId, to)]).then(
      ([a, b]) => live && setDiff(personaDiff(a.persona, b.persona)),
      (e) => live && setFailure((e as Error).message),
    );
    return () => {
      live = false;
    };
  }, [personaId, from, to]);

  const rollBack = async () => {
    setBusy(true);
    setFailure(null);
    try {
      const old = await get(personaId, from);
      const saved = await api<Saved>('PUT', `/v1/personas/${encodeURIComponent(personaId)}`, old.persona);
      onRolledBack(saved, from);
    } catch (e) {
      setFailure((e as Error).message);
    } finally {
      setBusy(false);
    }
  };

  const picker = (value: number, onChange: (v: number) => void, name: string) => (
    <select name={name} value={value} onChange={(e) => onChange(Number(e.target.value))}>
      {versions.map((v) => (
        <option key={v.version} value={v.version}>
          v{v.version} · {time(v.createdAt)}
          {v.version === current ? ` (${t('versions.current')})` : ''}
        </option>
      ))}
    </select>
  );

  const changed = diff?.filter((l) => l.kind !== 'same') ?? [];
  return (
    <section className="card versions" data-testid="versions">
      <h3>
        {t('versions.title')} ({versions.length})
      </h3>
      {versions.length > 1 && (
        <div className="row compact">
          <label>
            {t('versions.from')} {picker(from, setFrom, 'from')}
          </label>
          <label>
            {t('versions.to')} {picker(to, setTo, 'to')}
          </label>
          {from !== current && (
            <button type="button" className="secondary" disabled={busy} onClick={rollBack}>
              {t('versions.rollBack', { version: from })}
            </button>
          )}
        </div>
      )}
      {failure && <p className="error">{failure}</p>}
      {diff && changed.length === 0 && <p className="muted">{t('versions.noDiff')}</p>}
      {diff && changed.length > 0 && (
        <pre className="diff">
          {withContext(diff).map((line, i) => (
            <div key={i} className={line.kind}>
              {line.kind === 'added' ? '+ ' : line.kind === 'removed' ? '- ' : '  '}
              {line.text}
            </div>
          ))}
        </pre>
      )}
    </section>
  );
}
