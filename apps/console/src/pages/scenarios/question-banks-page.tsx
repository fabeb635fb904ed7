import { type QuestionBank, ValidationError } from '@zhibing/protocol';
import { useCallback, useEffect, useState } from 'react';
import { api, ApiError, type FieldIssue } from '../../api/api-client';
import { useI18n } from '../../i18n/i18n';
import { navigate } from '../../router';
import { BankFileUnreadable, readQuestionBank } from './question-bank-file';

/** A bank as `GET /v1/question-banks` lists it: its questions, or only how many there are. */
export interface QuestionBankSummary {
  role: string;
  title: string;
  questions?: number | unknown[];
  questionCount?: number;
  /** Stored in the workspace, or shipped in a persona's flow (used until one is stored for the role). */
  source?: 'stored' | 'persona';
  personaId?: string;
}

const countOf = (bank: QuestionBankSummary) =>
  Array.isArray(bank.questions) ? bank.questions.length : (bank.questions ?? bank.questionCount ?? 0);

/** Question banks: the list, and an import of a JSON or YAML file (checked here, then PUT by its role). */
export function QuestionBanksPage() {
  const { t } = useI18n();
  const [banks, setBanks] = useState<QuestionBankSummary[] | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [issues, setIssues] = useState<FieldIssue[]>([]);
  const [saved, setSaved] = useState<string | null>(null);

  const load = useCallback(() => {
    api<QuestionBankSummary[]>('GET', '/v1/question-banks').then(setBanks, (e: Error) => setFailure(e.message));
  }, []);
  useEffect(load, [load]);

  const importFile = async (file: File) => {
    setFailure(null);
    setIssues([]);
    setSaved(null);
    try {
      const bank: QuestionBank = await readQuestionBank(file.name, await file.text());
      await api('PUT', `/v1/question-banks/${encodeURIComponent(bank.role)}`, bank);
      setSaved(t('banks.imported', { role: bank.role, count: bank.questions.length }));
      load();
    } catch (error) {
      if (error instanceof BankFileUnreadable)
        setFailure(t('banks.unreadable', { name: file.name, reason: error.reason }));
      else if (error instanceof ValidationError || (error instanceof ApiError && error.issues.length > 0)) {
        setFailure(t('banks.notBank', { name: file.name }));
        setIssues(error.issues);
      } else setFailure((error as Error).message);
    }
  };

  return (
    <section className="card" data-testid="question-banks">
      <h2>{t('scenarios.banks')}</h2>
      {banks === null ? (
        !failure && <p>{t('common.loading')}</p>
      ) : banks.length === 0 ? (
        <p className="muted">{t('banks.empty')}</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th>{t('banks.role')}</th>
              <th>{t('banks.bankTitle')}</th>
              <th>{t('banks.questions')}</th>
              <th>{t('banks.source')}</th>
            </tr>
          </thead>
          <tbody>
            {banks.map((bank) => (
              <tr key={bank.role} data-bank={bank.role}>
                <td>
                  <a
                    href={`/console/scenarios/banks/${encodeURIComponent(bank.role)}`}
                    onClick={(e) => {
                      e.preventDefault();
                      navigate(`/scenarios/banks/${encodeURIComponent(bank.role)}`);
                    }}
                  >
                    {bank.role}
                  </a>
                </td>
                <td>{bank.title}</td>
                <td>{countOf(bank)}</td>
                <td className="muted">
                  {bank.source === 'persona'
                    ? t('banks.fromPersona', { persona: bank.personaId ?? '' })
                    : t('banks.stored')}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <div className="card" data-testid="bank-import">
        <h3>{t('banks.import')}</h3>
        <p className="hint">{t('banks.importHint')}</p>
        <input
          type="file"
          name="bank"
          accept=".json,.yaml,.yml"
          onChange={(e) => {
            const file = e.target.files?.[0];
            e.target.value = '';
            if (file) void importFile(file);
          }}
        />
        {saved && (
          <p className="ok" role="status">
            {saved}
          </p>
        )}
        {failure && (
          <div className="error" role="alert">
            <p>{failure}</p>
            {issues.length > 0 && (
              <ul data-testid="bank-issues">
                {issues.map((issue) => (
                  <li key={`${issue.path}:${issue.message}`} data-path={issue.path}>
                    <code>{issue.path || '(file)'}</code> {issue.message}
                  </li>
                ))}
              </ul>
            )}
          </div>
        )}
      </div>
    </section>
  );
}
