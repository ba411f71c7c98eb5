import type { ReactNode } from 'react';
import type { SafetyStrictness } from '../../../worker/generate/types.ts';
import { useGenerate } from './useGenerate.ts';

function Field({ label, hint, children }: { label: string; hint: string; children: ReactNode }) {
  return (
    <label className="control">
      <span className="control-label">{label}</span>
      {children}
      <small>{hint}</small>
    </label>
  );
}

/** Reads a number input; keeps the old value while the field holds something that is not a number yet. */
function numberFrom(raw: string, fallback: number): number {
  const value = Number(raw);
  return raw.trim() === '' || !Number.isFinite(value) ? fallback : value;
}

/** Sampling and safety settings, each with one line on what it does. */
export function ControlsPanel() {
  const controls = useGenerate((s) => s.controls);
  const adapters = useGenerate((s) => s.adapters);
  // Only our own models have the funny / not funny control code; imported models ignore the Style setting.
  const styleApplies = useGenerate((s) => s.model.status !== 'ready' || s.model.info.card.prompting.style);
  const { setControls, setSampling } = useGenerate((s) => s.actions);
  const { sampling } = controls;
  return (
    <details className="controls" open>
      <summary>Settings</summary>
      <div className="control-grid">
        <Field label="Temperature" hint="Higher is more surprising, 0 always picks the likeliest token.">
          <input
            type="number"
            data-testid="temperature"
            min={0}
            max={2}
            step={0.05}
            value={sampling.temperature}
            onChange={(e) => setSampling({ temperature: numberFrom(e.target.value, sampling.temperature) })}
          />
        </Field>
        <Field label="Top-k" hint="Sample only from the k likeliest tokens; 0 = no limit.">
          <input
            type="number"
            data-testid="top-k"
            min={0}
            step={1}
            value={sampling.topK}
            onChange={(e) => setSampling({ topK: Math.round(numberFrom(e.target.value, sampling.topK)) })}
          />
        </Field>
        <Field
          label="Top-p"
          hint="Sample from the smallest set of tokens holding this much probability; 1 = off."
        >
          <input
            type="number"
            data-testid="top-p"
            min={0.05}
            max={1}
            step={0.05}
            value={sampling.topP}
            onChange={(e) => setSampling({ topP: numberFrom(e.target.value, sampling.topP) })}
          />
        </Field>
        <Field label="Repetition penalty" hint="Above 1 makes tokens already used less likely; 1 = off.">
          <input
            type="number"
            data-testid="repetition-penalty"
            min={1}
            max={2}
            step={0.05}
            value={sampling.repetitionPenalty}
            onChange={(e) =>
              setSampling({ repetitionPenalty: numberFrom(e.target.value, sampling.repetitionPenalty) })
            }
          />
        </Field>
        <Field label="Max new tokens" hint="Stop after this many tokens if the joke has not ended.">
          <input
            type="number"
            data-testid="max-new-tokens"
            min={1}
            max={200}
            step={1}
            value={controls.maxNewTokens}
            onChange={(e) =>
              setControls({ maxNewTokens: Math.round(numberFrom(e.target.value, controls.maxNewTokens)) })
            }
          />
        </Field>
        <Field label="Candidates" hint="How many jokes to write at once (1–8), side by side.">
          <input
            type="number"
            data-testid="candidate-count"
            min={1}
            max={8}
            step={1}
            value={controls.candidates}
            onChange={(e) =>
              setControls({
                candidates: Math.min(
                  8,
                  Math.max(1, Math.round(numberFrom(e.target.value, controls.candidates))),
                ),
              })
            }
          />
        </Field>
        <Field label="Seed" hint="The same seed and settings give the same jokes again.">
          <input
            type="number"
            data-testid="seed"
            min={0}
            step={1}
            value={controls.seed}
            onChange={(e) => setControls({ seed: Math.round(numberFrom(e.target.value, controls.seed)) })}
          />
        </Field>
        <Field
          label="Style"
          hint={
            styleApplies
              ? 'The control code the model was trained with: funny or not funny.'
              : 'This model has no funny / not funny control code, so the style does not apply.'
          }
        >
          <select
            data-testid="control-code"
            disabled={!styleApplies}
            value={controls.control}
            onChange={(e) => setControls({ control: e.target.value === 'notFunny' ? 'notFunny' : 'funny' })}
          >
            <option value="funny">Funny</option>
            <option value="notFunny">Not funny</option>
          </select>
        </Field>
        <Field
          label="Adapter"
          hint={
            adapters.length === 0
              ? 'No fine-tuned adapters in this browser yet; the base model writes.'
              : 'A LoRA adapter fine-tuned in Train & Adapters changes how the model writes.'
          }
        >
          <select
            data-testid="adapter"
            value={controls.adapterId ?? ''}
            onChange={(e) => setControls({ adapterId: e.target.value === '' ? null : e.target.value })}
          >
            <option value="">none</option>
            {adapters.map((a) => (
              <option key={a.id} value={a.id}>
                {a.name}
              </option>
            ))}
          </select>
        </Field>
        <Field
          label="Safety"
          hint="Outputs that use listed words are held back; strict holds back any listed word."
        >
          <select
            data-testid="strictness"
            value={controls.strictness}
            onChange={(e) => setControls({ strictness: e.target.value as SafetyStrictness })}
          >
            <option value="relaxed">Relaxed: slurs, hate, threats</option>
            <option value="standard">Standard: also profanity and insults</option>
            <option value="strict">Strict: every listed word</option>
          </select>
        </Field>
      </div>
    </details>
  );
}
