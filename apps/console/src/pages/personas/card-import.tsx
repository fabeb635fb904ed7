import { type FormEvent, useState } from 'react';
import { api, apiBlob, apiFile, ApiError } from '../../api/api-client';
import type { StoredPersona } from '../../api/admin-types';
import { ErrorAlert } from '../../components/error-alert';
import { useI18n } from '../../i18n/i18n';

type Imported = StoredPersona & { created: boolean; knowledgeItems: number };

/**
 * Imports a SillyTavern character card, V2 or V3, as JSON or PNG: the persona, its lorebook as
 * knowledge, and a PNG card's image as the avatar. The gateway reads the file; errors are its own.
 */
export function CardImport({ onImported }: { onImported(imported: Imported): void }) {
  const { t } = useI18n();
  const [file, setFile] = useState<File | null>(null);
  const [id, setId] = useState('');
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!file) return;
    setBusy(true);
    setFailure(null);
    try {
      const query = id.trim() ? `?id=${encodeURIComponent(id.trim())}` : '';
      onImported(await apiFile<Imported>('POST', `/v1/personas/import/card${query}`, file, file.name));
    } catch (error) {
      const issues = error instanceof ApiError ? error.issues.map((i) => `${i.path}: ${i.message}`) : [];
      setFailure([(error as Error).message, ...issues].join('\n'));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="card-import" onSubmit={submit} data-testid="card-import">
      <h3>{t('cards.import')}</h3>
      <p className="muted">{t('cards.formats')}</p>
      <input
        type="file"
        name="card"
        accept=".json,.png,application/json,image/png"
        onChange={(e) => setFile(e.target.files?.[0] ?? null)}
      />
      <input name="card-id" value={id} onChange={(e) => setId(e.target.value)} placeholder={t('cards.idPlaceholder')} />
      <ErrorAlert message={failure} />
      <button type="submit" className="secondary" disabled={!file || busy}>
        {t('cards.importButton')}
      </button>
    </form>
  );
}

/** Downloads the persona as a V3 JSON card or a PNG card (its avatar with the card inside). */
export async function exportCard(personaId: string, format: 'v3' | 'png'): Promise<void> {
  const id = encodeURIComponent(personaId);
  const blob =
    format === 'png'
      ? await apiBlob(`/v1/personas/${id}/card.png`)
      : new Blob([JSON.stringify(await api<unknown>('GET', `/v1/personas/${id}/card?spec=v3`), null, 2)], {
          type: 'application/json',
        });
  const link = document.createElement('a');
  link.href = URL.createObjectURL(blob);
  link.download = format === 'png' ? `${personaId}.card.png` : `${personaId}.card.json`;
  document.body.appendChild(link);
  link.click();
  link.remove();
  // Revoked later: Chromium reads the object URL after click() returns.
  setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
}
