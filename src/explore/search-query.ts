// Turns what an analyst types into a safe Lucene query: every term escaped (so `+86 (138)` is
// text, not syntax), all terms required, the last one also matched as a prefix.
const SPECIAL = /[+\-&|!(){}[\]^"~*?:\\/]/g;

export function toLuceneQuery(text: string): string | null {
  const terms = text
    .normalize('NFKC')
    .split(/\s+/)
    .map((t) => t.toLowerCase().replace(SPECIAL, (c) => `\\${c}`))
    .filter((t) => t.length > 0);
  if (terms.length === 0) return null;
  const last = terms.length - 1;
  return terms
    .map((t, i) => (i === last && !t.endsWith('\\') ? `(${t} OR ${t}*)` : t))
    .join(' AND ');
}
