import { useEffect, useRef, useState } from 'react';
import { useI18n } from '../../i18n/i18n';
import { type GenerationTotals, generationTotals, type RatePoint, ratesBetween } from './generation-rates';
import { LineChart } from './line-chart';

const POLL_SECONDS = 3;
/** Ten minutes of points at one every three seconds. */
const KEEP = 200;

/** Tokens/s and time to first token over time: /metrics read every few seconds while the page is open. */
export function GenerationRatesPanel() {
  const { t } = useI18n();
  const previous = useRef<GenerationTotals | null>(null);
  const [points, setPoints] = useState<RatePoint[]>([]);
  const [failure, setFailure] = useState<string | null>(null);

  useEffect(() => {
    let stopped = false;
    const poll = () =>
      fetch('/metrics')
        .then((r) => r.text())
        .then(
          (text) => {
            if (stopped) return;
            const current = generationTotals(text, Date.now());
            const point = previous.current && ratesBetween(previous.current, current);
            previous.current = current;
            if (point) setPoints((old) => [...old, point].slice(-KEEP));
            setFailure(null);
          },
          (e: Error) => setFailure(e.message),
        );
    void poll();
    const timer = setInterval(poll, POLL_SECONDS * 1000);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, []);

  const active = points.some((p) => p.firstTokenMs !== null);
  return (
    <section data-testid="generation-rates">
      <h3>{t('rates.title')}</h3>
      <p className="muted">{t('rates.hint', { seconds: POLL_SECONDS })}</p>
      {failure && <p className="error">{failure}</p>}
      {!active && <p className="muted">{t('rates.waiting')}</p>}
      <div className="row">
        <LineChart
          label={t('rates.tokensPerSecond')}
          testId="chart-tokens"
          values={points.map((p) => p.tokensPerSecond)}
        />
        <LineChart
          label={t('rates.firstToken')}
          testId="chart-first-token"
          values={points.map((p) => p.firstTokenMs)}
        />
      </div>
    </section>
  );
}
