import type { QuestionBank } from '@zhibing/protocol';
import { useEffect, useState } from 'react';
import { api } from '../../api/api-client';
import { DownloadButton } from '../../components/download-button';
import { ErrorAlert } from '../../components/error-alert';
import { useI18n } from '../../i18n/i18n';
import { navigate } from '../../router';

/** One bank: its questions with what each is scored on and its follow-ups; export (YAML, JSON) and delete. */
export function QuestionBankView({ role }: { role: string }) {
  const { t, language } = useI18n();
  const [bank, setBank] = useState<QuestionBank | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const path = `/v1/question-banks/${encodeURIComponent(role)}`;

  useEffect(() => {
    api<QuestionBank>('GET', path).then(setBank, (e: Error) => setFailure(e.message));
  }, [path]);

  const remove = () =>
    api('DELETE', path).then(
      () => navigate('/scenarios/banks'),
      (e: Error) => setFailure(e.message),
    );
  const list = (words: string[]) => words.join(language === 'zh' ? '、' : ', ');

  return (
    <section className="card" data-testid="question-bank">
      <div className="row compact">
        <button type="button" className="link" onClick={() => navigate('/scenarios/banks')}>
          ← {t('banks.back')}
        </button>
        <span className="spacer" />
        <DownloadButton path={`${path}?format=yaml`} fileName={`${role}.yaml`} disabled={!bank} onError={setFailure}>
          {t('banks.exportYaml')}
        </DownloadButton>
        <DownloadButton path={path} fileName={`${role}.json`} disabled={!bank} onError={setFailure}>
          {t('banks.exportJson')}
        </DownloadButton>
        <button type="button" className="danger" disabled={!bank} onClick={remove}>
          {t('banks.delete')}
        </button>
      </div>
      <ErrorAlert message={failure} />
      {!bank && !failure && <p>{t('common.loading')}</p>}
      {bank && (
        <>
          <h2>
            {bank.title} <span className="muted">({bank.role})</span>
          </h2>
          <ol>
            {bank.questions.map((q) => (
              <li key={q.id} data-question={q.id}>
                <p>{q.text}</p>
                {q.criteria.length > 0 && (
                  <p className="muted">
                    {t('banks.criteria')}:{' '}
                    {q.criteria.map((c) => `${c.name} (${list(c.points)})`).join(language === 'zh' ? '；' : '; ')}
                  </p>
                )}
                {q.followUps.length > 0 && (
                  <ul>
                    {q.followUps.map((f, i) => (
                      <li key={i}>
                        {f.text}{' '}
                        <span className="muted">
                          {f.when.length > 0 ? t('banks.when', { words: list(f.when) }) : t('banks.whenShort')}
                        </span>
                      </li>
                    ))}
                  </ul>
                )}
              </li>
            ))}
          </ol>
        </>
      )}
    </section>
  );
}
