/**
 * The keys of a JSON object's top level, in order and with repeats. JSON.parse keeps only the last of
 * duplicated keys, so a file that names a tensor twice would otherwise pass silently.
 * `text` must already be valid JSON whose top level is an object.
 */
export function topLevelJsonKeys(text: string): string[] {
  const keys: string[] = [];
  let depth = 0;
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    if (ch === '"') {
      const start = i;
      i++;
      while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
      const raw = text.slice(start, i + 1);
      i++;
      if (depth === 1) {
        let j = i;
        while (j < text.length && /\s/.test(text[j] ?? '')) j++;
        if (text[j] === ':') keys.push(JSON.parse(raw) as string);
      }
      continue;
    }
    if (ch === '{' || ch === '[') depth++;
    else if (ch === '}' || ch === ']') depth--;
    i++;
  }
  return keys;
}
