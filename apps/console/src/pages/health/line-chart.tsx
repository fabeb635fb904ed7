const WIDTH = 420;
const HEIGHT = 140;
const PAD = 28;
/** Axis labels stay short ("23K") so they fit left of the axis. */
const compact = new Intl.NumberFormat('en', { notation: 'compact', maximumFractionDigits: 1 });

/** A small SVG line chart of `values` (null = no point there), the y axis from 0 to the largest value. */
export function LineChart({ label, values, testId }: { label: string; values: (number | null)[]; testId: string }) {
  const known = values.filter((v): v is number => v !== null);
  const max = Math.max(1e-9, ...known);
  const x = (i: number) => PAD + (values.length > 1 ? (i / (values.length - 1)) * (WIDTH - 2 * PAD) : 0);
  const y = (v: number) => HEIGHT - PAD - (v / max) * (HEIGHT - 2 * PAD);
  const points = values.flatMap((v, i) => (v === null ? [] : [`${x(i).toFixed(1)},${y(v).toFixed(1)}`]));
  const last = known.at(-1);
  return (
    <figure className="line-chart" data-testid={testId}>
      <figcaption>
        {label}: <strong data-testid={`${testId}-last`}>{last === undefined ? '—' : last.toFixed(1)}</strong>
      </figcaption>
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} width={WIDTH} height={HEIGHT} role="img" aria-label={label}>
        <line x1={PAD} y1={HEIGHT - PAD} x2={WIDTH - PAD} y2={HEIGHT - PAD} stroke="#ccc" />
        <line x1={PAD} y1={PAD} x2={PAD} y2={HEIGHT - PAD} stroke="#ccc" />
        <text x={PAD - 4} y={PAD + 4} textAnchor="end" className="axis">
          {max < 1e-6 ? 0 : compact.format(max)}
        </text>
        <text x={PAD - 4} y={HEIGHT - PAD} textAnchor="end" className="axis">
          0
        </text>
        <polyline points={points.join(' ')} fill="none" stroke="#2f6fdf" strokeWidth={2} />
        {values.map((v, i) =>
          v === null ? null : <circle key={i} cx={x(i)} cy={y(v)} r={2.5} fill="#2f6fdf" data-value={v} />,
        )}
      </svg>
    </figure>
  );
}
