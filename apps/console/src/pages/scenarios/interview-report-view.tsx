import type { InterviewReport, InterviewReportQuestion } from '@zhibing/protocol';
import { useEffect, useState } from 'react';
import { api, ApiError } from '../../api/api-client';
import { DownloadButton } from '../../components/download-button';
import { ErrorAlert } from '../../components/error-alert';
import { useI18n } from '../../i18n/i18n';
import { navigate } from '../../router';
import {
  formatDuration,
  formatScore,
  interviewSeconds,
  questionSeconds,
  reportFileName,
  scoreShare,
} from './interview-report';

/** A recruiter's report of one interview: scores with their evidence, every question and answer, timings, exports. */
export function InterviewReportView({ conversationId }: { conversationId: string }) {
  const { t, time } = useI18n();
  const [report, setReport] = useState<InterviewReport | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const path = `/v1/conversations/${encodeURIComponent(conversationId)}/interview-report`;

  useEffect(() => {
    api<InterviewReport>('GET', path).then(setReport, (e: Error) =>
      // A conversation of the interviewer that never reached its questions has no report yet.
      setFailure(e instanceof ApiError && e.code === 'interview_not_found' ? t('interview.notInterview') : e.message),
    );
  }, [path, t]);

  const total = report ? interviewSeconds(report) : undefined;

  return (
    <section className="card interview-report" data-testid="interview-report">
      <div className="row compact">
        <button type="button" className="link" onClick={() => navigate('/scenarios/interviews')}>
          ← {t('interview.back')}
        </button>
        <span className="spacer" />
        <button type="button" className="link" onClick={() => navigate(`/conversations/${conversationId}`)}>
          {t('interview.transcript')}
        </button>
        <DownloadButton
          path={`${path}?format=markdown`}
          fileName={report ? reportFileName(report, 'md') : ''}
          disabled={!report}
          onError={setFailure}
        >
          {t('interview.exportMarkdown')}
        </DownloadButton>
        <DownloadButton
          path={`${path}?format=csv`}
          fileName={report ? reportFileName(report, 'csv') : ''}
          disabled={!report}
          onError={setFailure}
        >
          {t('interview.exportCsv')}
        </DownloadButton>
      </div>
      <ErrorAlert message={failure} />
      {!report && !failure && <p>{t('common.loading')}</p>}
      {report && (
        <>
          <h2>{t('interview.title', { role: report.role })}</h2>
          <p className="muted">
            <span className="badge" data-testid="interview-status">
              {t(`interview.status.${report.status}`)}
            </span>{' '}
            {report.endedAt
              ? t('interview.period', { start: time(report.startedAt), end: time(report.endedAt) })
              : time(report.startedAt)}
            {total !== undefined && ` · ${formatDuration(total)}`} · {report.personaId}
          </p>
          {report.summary.length > 0 && (
            <table data-testid="interview-summary">
              <thead>
                <tr>
                  <th>{t('interview.criterion')}</th>
                  <th>{t('interview.score')}</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                {report.summary.map((s) => (
                  <tr key={s.criterion} data-criterion={s.criterion}>
                    <td>{s.criterion}</td>
                    <td>{formatScore(s.score, s.max)}</td>
                    <td className="score-bar">
                      <span style={{ width: `${scoreShare(s.score, s.max) * 100}%` }} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {report.notes.length > 0 && <Notes notes={report.notes} />}
          {report.questions.length === 0 && <p className="muted">{t('interview.noQuestions')}</p>}
          {report.questions.map((q, i) => (
            <QuestionBlock key={`${q.questionId}-${i}`} question={q} n={i + 1} />
          ))}
          <h3>{t('interview.candidateQuestions')}</h3>
          {report.candidateQuestions.length === 0 ? (
            <p className="muted">{t('interview.noCandidateQuestions')}</p>
          ) : (
            <dl data-testid="candidate-questions">
              {report.candidateQuestions.map((c, i) => (
                <div key={i}>
                  <dt>{c.question}</dt>
                  <dd>{c.answer}</dd>
                </div>
              ))}
            </dl>
          )}
        </>
      )}
    </section>
  );
}

function QuestionBlock({ question: q, n }: { question: InterviewReportQuestion; n: number }) {
  const { t, language, time } = useI18n();
  const seconds = questionSeconds(q);
  return (
    <article className="question" data-question={q.questionId}>
      <h3>
        {t('interview.question', { n })} · {q.text}
      </h3>
      <p className="muted">
        {seconds === undefined
          ? t('interview.asked', { time: time(q.askedAt) })
          : t('interview.answeredIn', { time: time(q.askedAt), duration: formatDuration(seconds) })}
      </p>
      <p data-testid="answer">
        <strong>{t('interview.answer')}:</strong> {q.answer || <span className="muted">{t('interview.noAnswer')}</span>}
      </p>
      {q.followUps.map((f, i) => (
        <p key={i} className="follow-up" data-testid="follow-up">
          <strong>{t('interview.followUp')}:</strong> {f.text}
          <br />
          {f.answer || <span className="muted">{t('interview.noAnswer')}</span>}
        </p>
      ))}
      {q.scores.length > 0 && (
        <table>
          <thead>
            <tr>
              <th>{t('interview.criterion')}</th>
              <th>{t('interview.score')}</th>
              <th>{t('interview.evidence')}</th>
              <th>{t('interview.missing')}</th>
            </tr>
          </thead>
          <tbody>
            {q.scores.map((s) => (
              <tr key={s.criterion} data-criterion={s.criterion}>
                <td>{s.criterion}</td>
                <td>{formatScore(s.score, s.max)}</td>
                <td>
                  {s.evidence.map((quote, i) => (
                    <blockquote key={i} data-testid="evidence">
                      {quote}
                    </blockquote>
                  ))}
                </td>
                <td data-testid="missing">{s.missing.join(language === 'zh' ? '、' : ', ') || t('common.none')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {q.notes.length > 0 && <Notes notes={q.notes} />}
    </article>
  );
}

function Notes({ notes }: { notes: string[] }) {
  const { t } = useI18n();
  return (
    <div className="notes">
      <strong>{t('interview.notes')}</strong>
      <ul>
        {notes.map((note, i) => (
          <li key={i}>{note}</li>
        ))}
      </ul>
    </div>
  );
}
