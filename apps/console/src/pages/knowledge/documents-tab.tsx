import { type DragEvent, useCallback, useEffect, useState } from 'react';
import { api, ApiError } from '../../api/api-client';
import { uploadWithProgress } from '../../api/upload-with-progress';
import { ErrorAlert } from '../../components/error-alert';
import { useI18n } from '../../i18n/i18n';
import type { MessageKey } from '../../i18n/dictionary';

interface DocumentSummary {
  name: string;
  type: string;
  passages: number;
  importedAt: string;
}

/** The API's typed document errors, worded in the console's language (others show the API's message). */
const DOCUMENT_ERRORS: Record<string, MessageKey> = {
  document_type_invalid: 'documents.error.type',
  document_unreadable_invalid: 'documents.error.unreadable',
  document_empty_invalid: 'documents.error.empty',
  document_too_large: 'documents.error.tooLarge',
  document_conflict: 'documents.error.conflict',
};

const ACCEPT = '.md,.markdown,.txt,.html,.htm,.pdf,.docx';

/** A base's documents: upload (file input or drop) with upload progress, the list with passage counts, delete. */
export function DocumentsTab({ base, onChanged }: { base: string; onChanged(): void }) {
  const { t, time } = useI18n();
  const [documents, setDocuments] = useState<DocumentSummary[] | null>(null);
  const [progress, setProgress] = useState<number | null>(null);
  const [report, setReport] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [dragging, setDragging] = useState(false);

  const load = useCallback(() => {
    api<DocumentSummary[]>('GET', `${base}/documents`).then(setDocuments, (e: Error) => setFailure(e.message));
  }, [base]);
  useEffect(load, [load]);

  const upload = async (file: File) => {
    setFailure(null);
    setReport(null);
    setProgress(0);
    try {
      const result = await uploadWithProgress<{ passages: number; inserted: number }>(
        `${base}/documents`,
        file,
        setProgress,
      );
      setReport(t('documents.uploaded', { name: file.name, passages: result.passages, inserted: result.inserted }));
      load();
      onChanged();
    } catch (error) {
      const key = error instanceof ApiError ? DOCUMENT_ERRORS[error.code] : undefined;
      setFailure(key ? t(key, { name: file.name }) : (error as Error).message);
    } finally {
      setProgress(null);
    }
  };
  const remove = async (name: string) => {
    setFailure(null);
    try {
      await api('DELETE', `${base}/documents/${encodeURIComponent(name)}`);
      load();
      onChanged();
    } catch (e) {
      setFailure((e as Error).message);
    }
  };
  const drop = (event: DragEvent) => {
    event.preventDefault();
    setDragging(false);
    const file = event.dataTransfer.files[0];
    if (file) void upload(file);
  };

  return (
    <section className="card" data-testid="documents">
      <h2>{t('documents.title')}</h2>
      <div
        className={`dropzone${dragging ? ' over' : ''}`}
        data-testid="dropzone"
        onDragOver={(e) => {
          e.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={drop}
      >
        <p>{t('documents.drop')}</p>
        <input
          type="file"
          name="document"
          accept={ACCEPT}
          disabled={progress !== null}
          onChange={(e) => {
            const file = e.target.files?.[0];
            e.target.value = '';
            if (file) void upload(file);
          }}
        />
      </div>
      {progress !== null && (
        <progress data-testid="upload-progress" max={1} value={progress}>
          {Math.round(progress * 100)}%
        </progress>
      )}
      {report && (
        <p className="ok" role="status" data-testid="upload-report">
          {report}
        </p>
      )}
      <ErrorAlert message={failure} testId="upload-error" />
      {documents === null ? (
        <p>{t('common.loading')}</p>
      ) : documents.length === 0 ? (
        <p className="muted">{t('documents.empty')}</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th>{t('documents.name')}</th>
              <th>{t('documents.type')}</th>
              <th>{t('documents.passages')}</th>
              <th>{t('documents.imported')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {documents.map((d) => (
              <tr key={d.name} data-document={d.name}>
                <td>{d.name}</td>
                <td>{d.type}</td>
                <td data-testid="passages">{d.passages}</td>
                <td>{time(d.importedAt)}</td>
                <td>
                  <button type="button" className="danger" onClick={() => remove(d.name)}>
                    {t('editor.remove')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
