import { type FormEvent, useState } from 'react';
import { api, ApiError } from '../../api/api-client';
import type { StoredPersona } from '../../api/admin-types';
import { useI18n } from '../../i18n/i18n';

type Imported = StoredPersona & { created: boolean; knowledgeItems: number };

/** Imports a SillyTavern character card (JSON): the persona, and its lorebook as knowledge. */
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
      let card: unknown;
      try {
        card = JSON.parse(await file.text());
      } catch {
        throw new Error(t('cards.notJson'));
      }
      const query = id.trim() ? `?id=${encodeURIComponent(id.trim())}` : '';
      onImported(await api<Imported>('POST', `/v1/personas/import/card${query}`, card));
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
      <input
        type="file"
        name="card"
        accept=".json,application/json"
        onChange={(e) => setFile(e.target.files?.[0] ?? null)}
      />
      <input name="card-id" value={id} onChange={(e) => setId(e.target.value)} placeholder={t('cards.idPlaceholder')} />
      {failure && (
        <p className="error" role="alert">
          {failure}
        </p>
      )}
      <button type="submit" className="secondary" disabled={!file || busy}>
        {t('cards.importButton')}
      </button>
    </form>
  );
}

/** Downloads the persona as a character card (its description knowledge as the lorebook). */
export async function exportCard(personaId: string): Promise<void> {
  const card = await api<unknown>('GET', `/v1/personas/${encodeURIComponent(personaId)}/card`);
  const link = document.createElement('a');
  link.href = URL.createObjectURL(new Blob([JSON.stringify(card, null, 2)], { type: 'application/json' }));
  link.download = `${personaId}.card.json`;
  link.click();
  URL.revokeObjectURL(link.href);
}
