import { useState } from 'react';
import type { LiveCandidate } from './generate-store.ts';
import { useGenerate } from './useGenerate.ts';

const finishWords = { eos: 'ended', length: 'hit the token limit', stopped: 'stopped' } as const;

function CopyButton({ text }: { text: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <button
      type="button"
      onClick={() => {
        void navigator.clipboard.writeText(text).then(() => setCopied(true));
      }}
    >
      {copied ? 'Copied' : 'Copy'}
    </button>
  );
}

function Card({
  candidate,
  prompt,
  running,
  rank,
}: {
  candidate: LiveCandidate;
  prompt: string;
  running: boolean;
  /** Position in the displayed order (the scorer's order once the run is finished). */
  rank: number;
}) {
  const { reveal, rate } = useGenerate((s) => s.actions);
  const { final, heldReasons, revealed } = candidate;
  const held = heldReasons !== null && !revealed;
  const state = held ? 'held' : final ? 'done' : running ? 'streaming' : 'done';
  const continuation = revealed && final ? final.continuation : candidate.streamed;
  return (
    <article
      className={`candidate candidate-${state}`}
      data-testid="candidate"
      data-index={candidate.index}
      data-state={state}
      data-tokens={candidate.tokens}
    >
      {held ? (
        <div className="held">
          <p data-testid="held-reason">Held back by the safety check: {heldReasons.join('; ')}.</p>
          {final && (
            <button type="button" data-testid="reveal" onClick={() => reveal(candidate.index)}>
              Show it anyway
            </button>
          )}
        </div>
      ) : (
        <p className="joke" data-testid="candidate-text">
          <span className="opening">{prompt}</span>
          <span data-testid="candidate-continuation">{continuation}</span>
          {state === 'streaming' && <span className="cursor" aria-hidden="true" />}
        </p>
      )}
      <footer className="candidate-meta">
        <span>{candidate.tokens} tokens</span>
        {final && (
          <span>
            {(final.ms / 1000).toFixed(2)} s, {finishWords[final.finish]}
          </span>
        )}
        {final?.score && (
          <span
            className="score"
            data-testid="candidate-score"
            data-probability={final.score.probability}
            title={`log-odds ${final.score.logOdds.toFixed(2)}`}
          >
            #{rank + 1} · P({final.score.label}) {final.score.probability.toFixed(2)}
          </span>
        )}
        {final && !held && <CopyButton text={final.text} />}
        {final && (
          <span className="rating" role="group" aria-label="Rate this joke">
            <button
              type="button"
              aria-pressed={candidate.rating === 'up'}
              data-testid="rate-up"
              onClick={() => void rate(final.historyId, candidate.rating === 'up' ? null : 'up')}
            >
              Funny
            </button>
            <button
              type="button"
              aria-pressed={candidate.rating === 'down'}
              data-testid="rate-down"
              onClick={() => void rate(final.historyId, candidate.rating === 'down' ? null : 'down')}
            >
              Not funny
            </button>
          </span>
        )}
      </footer>
    </article>
  );
}

/** Tokens per second, time to first token and backend of the current run. */
export function LiveFigures() {
  const run = useGenerate((s) => s.run);
  if (run.status === 'idle') return null;
  const figure = (value: number | null, unit: string, digits: number) =>
    value === null ? '–' : `${value.toFixed(digits)} ${unit}`;
  return (
    <p
      className="live-figures"
      data-testid="generate-stats"
      data-status={run.status}
      data-after-stop={run.tokensAfterStop ?? ''}
    >
      {run.status === 'running' ? 'Writing… ' : ''}
      Time to first token {figure(run.timeToFirstTokenMs, 'ms', 0)} ·{' '}
      {figure(run.tokensPerSecond, 'tokens/s', 1)}
      {run.backend ? ` · ${run.backend}` : ''}
      {run.tokensAfterStop !== null ? ` · stopped, ${run.tokensAfterStop} token(s) arrived after Stop` : ''}
      {run.message ? ` · failed: ${run.message}` : ''}
    </p>
  );
}

export function CandidateCards() {
  const run = useGenerate((s) => s.run);
  if (run.candidates.length === 0) return null;
  return (
    <div className="candidates" data-testid="candidates" data-status={run.status}>
      {run.candidates.map((c, rank) => (
        <Card
          key={c.index}
          candidate={c}
          prompt={run.prompt}
          running={run.status === 'running'}
          rank={rank}
        />
      ))}
    </div>
  );
}
