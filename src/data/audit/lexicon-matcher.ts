import { tokenize } from './text.ts';

/** One lexicon entry: a literal (word, phrase or Chinese text) or a regular-expression fragment, with what it means. */
export interface LexiconItem<T> {
  literal?: string;
  pattern?: string;
  payload: T;
}

export interface LexiconMatch<T> {
  payload: T;
  text: string;
  index: number;
}

const INFLECTIONS = ['s', 'es', 'ed', 'ing', 'er', 'ers'];

/**
 * Finds the entries of a lexicon in folded text (NFKC, lower case).
 * With `words` (English), literals are whole words or phrases, also with common inflections, looked
 * up token by token (longest phrase first); without it (Chinese), literals match anywhere, longest
 * first, through a first-character index. Patterns go into one combined regular expression (one
 * capture group per entry, so a hit names its entry), bounded by non-letters when `words` is set.
 * Table lookups instead of one huge alternation keep large lexicons fast.
 */
export class LexiconMatcher<T> {
  private readonly literals = new Map<string, LexiconItem<T>>();
  private readonly firstChars = new Set<string>();
  private maxLength = 0;
  private readonly regex: RegExp | null;
  /** Capture group number → the item it belongs to, or undefined for groups inside a pattern. */
  private readonly itemOfGroup: (LexiconItem<T> | undefined)[] = [undefined];

  constructor(
    items: LexiconItem<T>[],
    private readonly words: boolean,
  ) {
    const alternatives: string[] = [];
    items.forEach((item, i) => {
      if (item.literal !== undefined) {
        let key = item.literal.normalize('NFKC').toLowerCase().trim().replace(/\s+/g, ' ');
        // Word literals are compared token by token, and the tokenizer splits at hyphens.
        if (words) key = key.replace(/-/g, ' ');
        if (key === '') throw new Error(`Lexicon entry ${i} is an empty literal.`);
        const forms = words ? [key, ...INFLECTIONS.map((s) => key + s)] : [key];
        for (const form of forms) if (form === key || !this.literals.has(form)) this.literals.set(form, item);
        this.firstChars.add(key[0] ?? '');
        this.maxLength = Math.max(this.maxLength, words ? key.split(' ').length : key.length);
        return;
      }
      if (item.pattern === undefined)
        throw new Error(`Lexicon entry ${i} has neither a literal nor a pattern.`);
      let innerGroups: number;
      try {
        innerGroups = (new RegExp(`(?:${item.pattern})|`, 'u').exec('')?.length ?? 1) - 1;
      } catch (error) {
        throw new Error(`Lexicon entry ${i} (${item.pattern}) is not a valid pattern: ${String(error)}`);
      }
      this.itemOfGroup.push(item);
      for (let g = 0; g < innerGroups; g++) this.itemOfGroup.push(undefined);
      alternatives.push(`(${item.pattern})`);
    });
    const inner = alternatives.join('|');
    this.regex =
      alternatives.length === 0
        ? null
        : new RegExp(words ? `(?<![\\p{L}\\p{N}])(?:${inner})(?![\\p{L}\\p{N}])` : inner, 'gu');
  }

  /**
   * All matches in text, which must already be folded (NFKC, lower case). `tokens` is
   * tokenize(folded), passed in when the caller already has it.
   */
  find(folded: string, tokens: readonly string[] = this.words ? tokenize(folded) : []): LexiconMatch<T>[] {
    const out: LexiconMatch<T>[] = [];
    if (this.words) this.findWords(folded, tokens, out);
    else this.findSubstrings(folded, out);
    if (this.regex !== null)
      for (const m of folded.matchAll(this.regex)) {
        for (let g = 1; g < m.length; g++) {
          const item = this.itemOfGroup[g];
          if (m[g] === undefined || item === undefined) continue;
          out.push({ payload: item.payload, text: m[0], index: m.index });
          break;
        }
      }
    return out;
  }

  private findWords(folded: string, tokens: readonly string[], out: LexiconMatch<T>[]): void {
    let position = 0;
    for (let t = 0; t < tokens.length; t++) {
      const first = tokens[t] ?? '';
      if (!this.firstChars.has(first[0] ?? '')) continue;
      let phrase = '';
      let best: { item: LexiconItem<T>; words: number; phrase: string } | null = null;
      for (let w = 0; w < this.maxLength && t + w < tokens.length; w++) {
        phrase = w === 0 ? first : `${phrase} ${tokens[t + w] ?? ''}`;
        const item = this.literals.get(phrase);
        if (item !== undefined) best = { item, words: w + 1, phrase };
      }
      if (best === null) continue;
      const index = folded.indexOf(first, position);
      position = Math.max(position, index + 1);
      out.push({ payload: best.item.payload, text: best.phrase, index });
      t += best.words - 1;
    }
  }

  private findSubstrings(folded: string, out: LexiconMatch<T>[]): void {
    let i = 0;
    while (i < folded.length) {
      if (!this.firstChars.has(folded[i] ?? '')) {
        i++;
        continue;
      }
      let matched = 0;
      for (let len = Math.min(this.maxLength, folded.length - i); len >= 1; len--) {
        const piece = folded.slice(i, i + len);
        const item = this.literals.get(piece);
        if (item === undefined) continue;
        out.push({ payload: item.payload, text: piece, index: i });
        matched = len;
        break;
      }
      i += Math.max(1, matched);
    }
  }
}
