/** Training loss (every update) and validation loss (each validation) against the update step, in plain SVG. */
const WIDTH = 480;
const HEIGHT = 200;
const PAD = 36;

type Point = { step: number; loss: number };

function path(points: readonly Point[], x: (s: number) => number, y: (l: number) => number): string {
  return points
    .map((p, i) => `${i === 0 ? 'M' : 'L'}${x(p.step).toFixed(1)},${y(p.loss).toFixed(1)}`)
    .join(' ');
}

export function LossChart({
  losses,
  validation,
  totalSteps,
}: {
  losses: readonly Point[];
  validation: readonly Point[];
  totalSteps: number;
}) {
  const all = [...losses, ...validation];
  if (all.length === 0) return null;
  const max = Math.max(...all.map((p) => p.loss));
  const min = Math.min(...all.map((p) => p.loss));
  const span = Math.max(1e-6, max - min);
  const x = (step: number) => PAD + (step / Math.max(1, totalSteps)) * (WIDTH - 2 * PAD);
  const y = (loss: number) => HEIGHT - PAD - ((loss - min) / span) * (HEIGHT - 2 * PAD);
  return (
    <svg
      role="img"
      aria-label={`Loss chart: ${losses.length} training points, ${validation.length} validation points`}
      width={WIDTH}
      height={HEIGHT}
      className="loss-chart"
    >
      <line x1={PAD} y1={HEIGHT - PAD} x2={WIDTH - PAD} y2={HEIGHT - PAD} stroke="#888" />
      <line x1={PAD} y1={PAD} x2={PAD} y2={HEIGHT - PAD} stroke="#888" />
      <text x={4} y={PAD} fontSize={10}>
        {max.toFixed(2)}
      </text>
      <text x={4} y={HEIGHT - PAD} fontSize={10}>
        {min.toFixed(2)}
      </text>
      <text x={WIDTH - PAD} y={HEIGHT - 8} fontSize={10} textAnchor="end">
        step {totalSteps}
      </text>
      <path d={path(losses, x, y)} fill="none" stroke="#3b6ea8" strokeWidth={1.5} />
      <path d={path(validation, x, y)} fill="none" stroke="#d08a2e" strokeWidth={2} />
      {validation.map((p) => (
        <circle key={p.step} cx={x(p.step)} cy={y(p.loss)} r={3} fill="#d08a2e" />
      ))}
      <text x={WIDTH - PAD} y={PAD - 8} fontSize={11} textAnchor="end">
        <tspan fill="#3b6ea8">— training</tspan> <tspan fill="#d08a2e">— validation</tspan>
      </text>
    </svg>
  );
}
