import { findIdentityTerms, findToxicTerms } from './lexicons.ts';
import { foldText } from './text.ts';

export type SafetyStrictness = 'relaxed' | 'standard' | 'strict';

export interface SafetyVerdict {
  ok: boolean;
  /** Why the text was blocked, naming the kind of term and its report label (slurs are never echoed in full). */
  reasons: string[];
}

const MIN_SEVERITY: Record<SafetyStrictness, number> = { relaxed: 3, standard: 2, strict: 1 };

/**
 * The Generate area's filter over the audit's own lexicons. relaxed blocks slurs, hate and threats;
 * standard also blocks strong profanity, sexual vulgarity and insults, and any insult aimed at an
 * identity group; strict blocks every listed word.
 */
export function checkSafety(text: string, strictness: SafetyStrictness = 'standard'): SafetyVerdict {
  const folded = foldText(text);
  const toxic = findToxicTerms(folded);
  const reasons: string[] = [];
  const min = MIN_SEVERITY[strictness];
  for (const m of toxic)
    if (m.payload.severity >= min) reasons.push(`${m.payload.category}: ${m.payload.label}`);
  if (
    strictness !== 'relaxed' &&
    toxic.some((m) => m.payload.category === 'insult' || m.payload.category === 'slur')
  ) {
    const groups = new Set(findIdentityTerms(folded).map((m) => m.payload.subgroup));
    if (groups.size > 0) reasons.push(`insult aimed at an identity group: ${[...groups].join(', ')}`);
  }
  const unique = [...new Set(reasons)];
  return { ok: unique.length === 0, reasons: unique };
}
