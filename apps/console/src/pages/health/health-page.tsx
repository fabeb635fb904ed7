import { useCallback, useEffect, useState } from 'react';
import type { HealthReport } from '../../api/admin-types';
import { useI18n } from '../../i18n/i18n';
import { expertLoad, type LayerLoad } from './expert-load';
import { GenerationRatesPanel } from './generation-rates-panel';

/** /health as a page: database, engine, embedder and projections, refreshed every 10 s. */
export function HealthPage() {
  const { t } = useI18n();
  const [report, setReport] = useState<HealthReport | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [load, setLoad] = useState<LayerLoad[]>([]);

  const refresh = useCallback(() => {
    fetch('/metrics')
      .then((r) => r.text())
      .then(
        (text) => setLoad(expertLoad(text)),
        (e: Error) => setFailure(e.message),
      );
    // /health answers 503 with the same report when the database is down: read the body either way.
    fetch('/health')
      .then((r) => r.json() as Promise<HealthReport>)
      .then(
        (r) => {
          setReport(r);
          setFailure(null);
        },
        (e: Error) => setFailure(e.message),
      );
  }, []);
  useEffect(() => {
    refresh();
    const timer = setInterval(refresh, 10_000);
    return () => clearInterval(timer);
  }, [refresh]);

  const engine = report?.components.engine;
  return (
    <section className="card health" data-testid="health">
      <div className="row compact">
        <h2>{t('health.title')}</h2>
        <span className="spacer" />
        <button type="button" className="link" onClick={refresh}>
          {t('common.refresh')}
        </button>
      </div>
      {failure && <p className="error">{failure}</p>}
      {!report && !failure && <p>{t('common.loading')}</p>}
      {report && (
        <>
          <dl>
            <dt>{t('health.status')}</dt>
            <dd>
              <span className={`badge ${report.status}`} data-testid="health-status">
                {report.status}
              </span>
            </dd>
            <dt>{t('health.version')}</dt>
            <dd>{report.version}</dd>
            <dt>{t('health.uptime')}</dt>
            <dd>{report.uptimeSeconds} s</dd>
            <dt>{t('health.engine')}</dt>
            <dd data-testid="health-engine">
              <strong>{engine?.kind ?? t('common.none')}</strong> {engine?.note ? `— ${engine.note}` : ''}
            </dd>
            <dt>{t('health.database')}</dt>
            <dd>
              {report.database.kind} · {report.database.reachable ? t('health.reachable') : t('health.unreachable')}
              {report.database.latencyMs !== undefined &&
                ` · ${t('health.latency', { ms: report.database.latencyMs })}`}
              {report.database.migrations &&
                ` · ${t('health.migrations', {
                  applied: report.database.migrations.applied,
                  pending: report.database.migrations.pending.length,
                })}`}
              {report.database.error && ` · ${report.database.error}`}
            </dd>
          </dl>
          <h3>{t('health.components')}</h3>
          <table>
            <thead>
              <tr>
                <th>{t('health.component')}</th>
                <th>{t('health.status')}</th>
                <th>{t('health.details')}</th>
              </tr>
            </thead>
            <tbody>
              {Object.entries(report.components).map(([name, part]) => {
                const { status, ...rest } = part;
                return (
                  <tr key={name} data-component={name}>
                    <td>{name}</td>
                    <td>
                      <span className={`badge ${status ?? ''}`}>{status ?? t('common.none')}</span>
                    </td>
                    <td>
                      {Object.entries(rest)
                        .map(([k, v]) => `${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`)
                        .join(' · ')}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          {load.length > 0 && <ExpertLoadTable load={load} />}
        </>
      )}
      <GenerationRatesPanel />
    </section>
  );
}

/** Each MoE layer's experts as bars of their share of the layer's routed tokens (/metrics, since start). */
function ExpertLoadTable({ load }: { load: LayerLoad[] }) {
  const { t } = useI18n();
  return (
    <>
      <h3>{t('health.expertLoad')}</h3>
      <p className="hint">{t('health.expertLoadHint')}</p>
      <table className="expert-load" data-testid="expert-load">
        <tbody>
          {load.map(({ layer, counts }) => {
            const total = counts.reduce((a, b) => a + b, 0) || 1;
            // Bars are scaled to the busiest expert so an imbalance is visible; the title gives the share.
            const most = Math.max(...counts) || 1;
            return (
              <tr key={layer} data-layer={layer}>
                <th>{t('health.layer', { layer })}</th>
                <td>
                  <div className="bars">
                    {counts.map((count, expert) => (
                      <div
                        key={expert}
                        className="bar"
                        title={t('health.expertTitle', { expert, count, share: Math.round((100 * count) / total) })}
                        data-count={count}
                      >
                        <div className="fill" style={{ height: `${Math.round((100 * count) / most)}%` }} />
                        <span>{expert}</span>
                      </div>
                    ))}
                  </div>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </>
  );
}
