import type { KeyboardEvent } from 'react';
import { languageTagFor } from '../../../tokenizer/language-tag.ts';
import type { LanguageChoice } from './language.ts';
import { useGenerate } from './useGenerate.ts';

const languageNames = { en: 'English', zh: 'Chinese' } as const;

/** The joke's opening: Enter generates, Shift+Enter starts a new line. */
export function PromptBox() {
  const prompt = useGenerate((s) => s.controls.prompt);
  const language = useGenerate((s) => s.controls.language);
  const running = useGenerate((s) => s.run.status === 'running');
  const ready = useGenerate((s) => s.model.status === 'ready');
  const { setControls, generate, stop } = useGenerate((s) => s.actions);

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    // While an input method is composing (Chinese, Japanese), Enter picks a character instead.
    if (event.key !== 'Enter' || event.shiftKey || event.nativeEvent.isComposing) return;
    event.preventDefault();
    if (!running) void generate();
  };

  return (
    <div className="prompt-box">
      <label htmlFor="generate-prompt">
        Opening of the joke (the model continues it; leave empty for any joke)
      </label>
      <textarea
        id="generate-prompt"
        data-testid="prompt"
        rows={3}
        value={prompt}
        placeholder="Why did the programmer… / 为什么程序员…"
        onChange={(event) => setControls({ prompt: event.target.value })}
        onKeyDown={onKeyDown}
      />
      <div className="prompt-actions">
        <label>
          Language{' '}
          <select
            data-testid="language"
            value={language}
            onChange={(event) => setControls({ language: event.target.value as LanguageChoice })}
          >
            <option value="auto">Auto ({languageNames[languageTagFor(prompt)]})</option>
            <option value="en">English</option>
            <option value="zh">Chinese</option>
          </select>
        </label>
        {running ? (
          <button type="button" data-testid="generate-button" onClick={stop}>
            Stop
          </button>
        ) : (
          <button
            type="button"
            data-testid="generate-button"
            disabled={!ready}
            onClick={() => void generate()}
          >
            Generate
          </button>
        )}
      </div>
    </div>
  );
}
