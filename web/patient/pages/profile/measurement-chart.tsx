import { useId } from 'react';
import { axisTicks } from './axis-ticks.ts';
import type { MeasurementKindView, MeasurementPoint } from './profile-types.ts';

const W = 400;
const H = 240;
const PAD = { left: 44, right: 30, top: 16, bottom: 36 };

const shortDate = (iso: string) =>
  new Intl.DateTimeFormat('fr-FR', { month: 'short', year: '2-digit', timeZone: 'Europe/Paris' }).format(
    new Date(iso),
  );
const longDate = (iso: string) =>
  new Intl.DateTimeFormat('fr-FR', { dateStyle: 'long', timeZone: 'Europe/Paris' }).format(new Date(iso));
const number = (value: number, decimals: number) =>
  value.toLocaleString('fr-FR', { minimumFractionDigits: decimals, maximumFractionDigits: decimals });

/**
 * A measurement over time: an SVG line chart described for screen readers (title + summary), and the same
 * values in a table, which is the accessible alternative and what a keyboard user reads.
 */
export function MeasurementChart({
  kind,
  points,
}: {
  kind: MeasurementKindView;
  points: MeasurementPoint[];
}) {
  const id = useId();
  if (points.length === 0) return null;
  const all = points.flatMap((p) => (p.value2 === undefined ? [p.value] : [p.value, p.value2]));
  const ticks = axisTicks(all);
  const lo = ticks[0]!;
  const hi = ticks.at(-1)!;
  const step = Number((ticks[1]! - lo).toPrecision(6));
  const tickDecimals = (String(step).split('.')[1] ?? '').length;
  const t0 = Date.parse(points[0]!.at);
  const t1 = Date.parse(points.at(-1)!.at);
  const x = (at: string) =>
    PAD.left + (t1 === t0 ? 0.5 : (Date.parse(at) - t0) / (t1 - t0)) * (W - PAD.left - PAD.right);
  const y = (v: number) => PAD.top + (1 - (v - lo) / (hi - lo)) * (H - PAD.top - PAD.bottom);
  const path = (values: (p: MeasurementPoint) => number | undefined) =>
    points
      .filter((p) => values(p) !== undefined)
      .map((p, i) => `${i === 0 ? 'M' : 'L'}${x(p.at).toFixed(1)},${y(values(p)!).toFixed(1)}`)
      .join(' ');
  const first = points[0]!;
  const last = points.at(-1)!;
  const format = (p: MeasurementPoint) =>
    p.value2 === undefined
      ? `${number(p.value, kind.decimals)} ${kind.unitLabel}`
      : `${number(p.value, 0)}/${number(p.value2, 0)} ${kind.unitLabel}`;
  const summary =
    points.length === 1
      ? `Une mesure : ${format(first)} le ${longDate(first.at)}.`
      : `${points.length} mesures du ${longDate(first.at)} au ${longDate(last.at)} : de ${format(first)} à ${format(last)}.`;
  const twoSeries = points.some((p) => p.value2 !== undefined);
  const xTicks =
    points.length <= 6
      ? points
      : [0, 0.25, 0.5, 0.75, 1].map((f) => points[Math.round(f * (points.length - 1))]!);
  return (
    <figure className="measurement-chart" aria-labelledby={`${id}-caption`}>
      <figcaption id={`${id}-caption`}>
        <strong>{kind.label}</strong> — {summary}
      </figcaption>
      <svg
        viewBox={`0 0 ${W} ${H}`}
        role="img"
        aria-labelledby={`${id}-title ${id}-desc`}
        preserveAspectRatio="xMidYMid meet"
      >
        <title id={`${id}-title`}>{`Courbe : ${kind.label} (${kind.unitLabel})`}</title>
        <desc id={`${id}-desc`}>{summary} Les valeurs sont aussi dans le tableau qui suit.</desc>
        {ticks.map((t) => (
          <g key={t}>
            <line x1={PAD.left} x2={W - PAD.right} y1={y(t)} y2={y(t)} className="chart-grid" />
            <text x={PAD.left - 6} y={y(t) + 4} textAnchor="end" className="chart-label">
              {number(t, tickDecimals)}
            </text>
          </g>
        ))}
        {xTicks.map((p) => (
          <text key={p.at} x={x(p.at)} y={H - 12} textAnchor="middle" className="chart-label">
            {shortDate(p.at)}
          </text>
        ))}
        <path d={path((p) => p.value)} className="chart-line" fill="none" />
        {twoSeries && <path d={path((p) => p.value2)} className="chart-line chart-line-2" fill="none" />}
        {points.map((p) => (
          <circle key={p.at} cx={x(p.at)} cy={y(p.value)} r={4} className="chart-point" />
        ))}
        {points.map(
          (p) =>
            p.value2 !== undefined && (
              <circle
                key={`${p.at}-2`}
                cx={x(p.at)}
                cy={y(p.value2)}
                r={3}
                className="chart-point chart-point-2"
              />
            ),
        )}
      </svg>
      {twoSeries && (
        <ul className="chart-legend">
          {[
            { label: 'Systolique (trait plein)', className: 'chart-line' },
            { label: 'Diastolique (pointillés)', className: 'chart-line chart-line-2' },
          ].map((series) => (
            <li key={series.label}>
              <svg viewBox="0 0 24 8" width="24" height="8" aria-hidden="true">
                <line x1="0" x2="24" y1="4" y2="4" className={series.className} />
              </svg>
              <span>{series.label}</span>
            </li>
          ))}
        </ul>
      )}
      <details>
        <summary>Voir les valeurs en tableau</summary>
        <table className="measurement-table">
          <caption>{`${kind.label} (${kind.unitLabel})`}</caption>
          <thead>
            <tr>
              <th scope="col">Date</th>
              <th scope="col">Valeur</th>
            </tr>
          </thead>
          <tbody>
            {[...points].reverse().map((p) => (
              <tr key={p.at}>
                <th scope="row">{longDate(p.at)}</th>
                <td>{format(p)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}
