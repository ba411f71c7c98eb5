import type { AuditView } from '../../../worker/data/requests.ts';

type Chart = AuditView['checks'][number]['charts'][number];
type BarChart = Extract<Chart, { kind: 'bars' }>;
type TableChart = Extract<Chart, { kind: 'table' }>;

const COLORS = ['#3b6ea8', '#d08a2e', '#4f9a5b', '#a3475b', '#7a5ea8'];
const ROW = 18;
const LABEL_WIDTH = 130;
const BAR_WIDTH = 220;
const MAX_CATEGORIES = 20;

function formatValue(value: number): string {
  return Number.isInteger(value) ? value.toLocaleString() : value.toFixed(2);
}

/** Horizontal grouped bars in plain SVG: category names stay readable, however many there are. */
function Bars({ chart }: { chart: BarChart }) {
  const categories = chart.categories.slice(0, MAX_CATEGORIES);
  const series = chart.series;
  const max = Math.max(1e-9, ...series.flatMap((s) => s.values.slice(0, MAX_CATEGORIES).map(Math.abs)));
  const band = ROW * Math.max(1, series.length) + 6;
  const height = band * categories.length + (series.length > 1 ? 20 : 0);
  const width = LABEL_WIDTH + BAR_WIDTH + 60;
  return (
    <svg
      role="img"
      aria-label={`${chart.title}: ${chart.yLabel} by ${chart.xLabel}`}
      width={width}
      height={height}
      viewBox={`0 0 ${width} ${height}`}
    >
      {categories.map((category, i) => (
        <g key={category} transform={`translate(0, ${i * band})`}>
          <text x={LABEL_WIDTH - 6} y={band / 2 + 4} textAnchor="end" fontSize="11">
            {category.length > 20 ? `${category.slice(0, 19)}…` : category}
          </text>
          {series.map((s, j) => {
            const value = s.values[i] ?? 0;
            const length = (Math.abs(value) / max) * BAR_WIDTH;
            return (
              <g key={s.name} transform={`translate(${LABEL_WIDTH}, ${3 + j * ROW})`}>
                <rect width={length} height={ROW - 4} fill={COLORS[j % COLORS.length]}>
                  <title>{`${category}, ${s.name}: ${formatValue(value)}`}</title>
                </rect>
                <text x={length + 4} y={ROW - 7} fontSize="10">
                  {formatValue(value)}
                </text>
              </g>
            );
          })}
        </g>
      ))}
      {series.length > 1 &&
        series.map((s, j) => (
          <g key={s.name} transform={`translate(${LABEL_WIDTH + j * 90}, ${height - 14})`}>
            <rect width={10} height={10} fill={COLORS[j % COLORS.length]} />
            <text x={14} y={9} fontSize="10">
              {s.name}
            </text>
          </g>
        ))}
    </svg>
  );
}

function Table({ chart }: { chart: TableChart }) {
  return (
    <table aria-label={chart.title}>
      <thead>
        <tr>
          {chart.columns.map((c) => (
            <th key={c} scope="col">
              {c}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {chart.rows.map((row, i) => (
          <tr key={i}>
            {row.map((cell, j) => (
              <td key={j}>{typeof cell === 'number' ? formatValue(cell) : cell}</td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function ChartView({ chart }: { chart: Chart }) {
  return (
    <figure className="chart">
      <figcaption>{chart.title}</figcaption>
      {chart.kind === 'bars' ? <Bars chart={chart} /> : <Table chart={chart} />}
    </figure>
  );
}
