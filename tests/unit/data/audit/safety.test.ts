import { describe, expect, it } from 'vitest';
import { checkSafety } from '../../../../src/data/audit/safety.ts';

describe('checkSafety', () => {
  it('blocks by strictness: relaxed only slurs, hate and threats; strict every listed word', () => {
    expect(checkSafety('Damn, this coffee is strong.', 'standard').ok).toBe(true);
    expect(checkSafety('Damn, this coffee is strong.', 'strict').ok).toBe(false);
    expect(checkSafety('What the f*ck is wrong with this printer?', 'relaxed').ok).toBe(true);
    expect(checkSafety('What the f*ck is wrong with this printer?', 'standard').ok).toBe(false);
    expect(checkSafety('小日本又来了。', 'relaxed').ok).toBe(false);
    expect(checkSafety('A priest, a rabbi and a minister walk into a bar.', 'strict')).toEqual({
      ok: true,
      reasons: [],
    });
  });

  it('names an insult aimed at an identity group', () => {
    const verdict = checkSafety('东北人都是脑残吗？', 'standard');
    expect(verdict.ok).toBe(false);
    expect(verdict.reasons.some((r) => r.includes('Chinese regions'))).toBe(true);
  });

  it('is not fooled by full-width letters', () => {
    expect(checkSafety('ｓｈｉｔ happens', 'standard').ok).toBe(false);
  });
});
