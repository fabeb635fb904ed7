import { type FormEvent, useState } from 'react';
import { postWithProgress } from '../../api/upload-with-progress';
import { ErrorAlert } from '../../components/error-alert';
import { useI18n } from '../../i18n/i18n';

interface ImportReport {
  lines: number;
  inserted: number;
  unchanged: number;
  rejected: { line: number; reason: string }[];
}

const TYPES = { qa: 'application/x-ndjson', triples: 'application/x-ndjson', descriptions: 'application/x-ndjson' };

/** Imports a file (JSON Lines or CSV) into the base and shows what was taken and each refused line. */
export function ImportForm({ base, onImported }: { base: string; onImported(): void }) {
  const { t } = useI18n();
  const [file, setFile] = useState<File | null>(null);
  const [format, setFormat] = useState<'qa' | 'triples' | 'descriptions' | 'csv'>('qa');
  const [report, setReport] = useState<ImportReport | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  /** The fraction of the file sent while it uploads (null: no upload running). */
  const [progress, setProgress] = useState<number | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!file) return;
    setProgress(0);
    setFailure(null);
    setReport(null);
    try {
      const type = format === 'csv' ? 'text/csv' : TYPES[format];
      setReport(await postWithProgress<ImportReport>(`${base}/import?format=${format}`, file, setProgress, type));
      onImported();
    } catch (e) {
      setFailure((e as Error).message);
    } finally {
      setProgress(null);
    }
  };

  return (
    <form className="card" onSubmit={submit} data-testid="import">
      <h3>{t('knowledge.import')}</h3>
      <p className="hint">{t('knowledge.importHint')}</p>
      <div className="row compact">
        <select name="format" value={format} onChange={(e) => setFormat(e.target.value as typeof format)}>
          <option value="qa">qa (JSONL)</option>
          <option value="triples">triples (JSONL)</option>
          <option value="descriptions">descriptions (JSONL)</option>
          <option value="csv">csv</option>
        </select>
        <input type="file" name="file" onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
        <button type="submit" disabled={!file || progress !== null}>
          {t('knowledge.importButton')}
        </button>
      </div>
      {progress !== null && (
        <progress data-testid="import-progress" max={1} value={progress}>
          {Math.round(progress * 100)}%
        </progress>
      )}
      <ErrorAlert message={failure} />
      {report && (
        <div data-testid="import-report">
          <p className="ok" role="status">
            {t('knowledge.imported', {
              lines: report.lines,
              inserted: report.inserted,
              unchanged: report.unchanged,
              rejected: report.rejected.length,
            })}
          </p>
          {report.rejected.length > 0 && (
            <table>
              <thead>
                <tr>
                  <th>{t('knowledge.line')}</th>
                  <th>{t('knowledge.reason')}</th>
                </tr>
              </thead>
              <tbody>
                {report.rejected.map((r) => (
                  <tr key={r.line} data-line={r.line}>
                    <td>{r.line}</td>
                    <td className="error">{r.reason}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
      )}
    </form>
  );
}
