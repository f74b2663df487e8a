// STIX 2.1 patterning (spec §9): a tokenizer and recursive-descent parser for the whole grammar
// (observation expressions joined by AND/OR/FOLLOWEDBY, qualifiers, comparisons with every
// operator and literal type), so a pattern is either understood or refused with the column where it
// goes wrong. Importers only ever read its positive equalities (`=` and `IN`): those are the literal
// values an indicator names. Pure.

export type LiteralType = 'string' | 'int' | 'float' | 'bool' | 'timestamp' | 'hex' | 'binary';
export interface Literal {
  type: LiteralType;
  value: string;
}

export type ComparisonOperator =
  | '='
  | '!='
  | '<'
  | '<='
  | '>'
  | '>='
  | 'IN'
  | 'LIKE'
  | 'MATCHES'
  | 'ISSUBSET'
  | 'ISSUPERSET'
  | 'EXISTS';

export interface Comparison {
  objectType: string;
  /** Property path after the type: names, list indexes ("0") or "*". */
  path: string[];
  operator: ComparisonOperator;
  negated: boolean;
  values: Literal[];
}

/** One `[ … ]`: the comparisons in it (whatever AND/OR joins them). */
export interface Observation {
  comparisons: Comparison[];
}

export interface ParsedPattern {
  observations: Observation[];
  /** Whether the observations are joined only by OR (each alone is a match). */
  onlyOr: boolean;
  qualified: boolean;
}

/** Why a pattern is not valid STIX patterning; `column` is 1-based. */
export class StixPatternError extends Error {
  override readonly name = 'StixPatternError';
  constructor(
    message: string,
    readonly column: number,
  ) {
    super(`${message} at column ${column}`);
  }
}

export interface PatternLimits {
  /** Longest pattern read (characters). */
  maxLength: number;
  /** Most comparisons in one pattern. */
  maxComparisons: number;
  /** Deepest nesting of parentheses and brackets. */
  maxDepth: number;
}

export const DEFAULT_PATTERN_LIMITS: PatternLimits = {
  maxLength: 10_000,
  maxComparisons: 500,
  maxDepth: 32,
};

type TokenKind =
  'string' | 'timestamp' | 'hex' | 'binary' | 'int' | 'float' | 'word' | 'op' | 'punct' | 'end';
interface Token {
  kind: TokenKind;
  text: string;
  column: number;
}

const KEYWORDS = new Set([
  'AND',
  'OR',
  'NOT',
  'FOLLOWEDBY',
  'LIKE',
  'MATCHES',
  'ISSUBSET',
  'ISSUPERSET',
  'IN',
  'EXISTS',
  'START',
  'STOP',
  'WITHIN',
  'SECONDS',
  'REPEATS',
  'TIMES',
  'TRUE',
  'FALSE',
]);

const TIMESTAMP =
  /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:([0-5]\d|60)(\.\d+)?Z$/;
const HEX = /^([0-9a-fA-F]{2})*$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

function tokenize(pattern: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const n = pattern.length;
  while (i < n) {
    const c = pattern[i]!;
    const column = i + 1;
    if (/\s/.test(c)) {
      i += 1;
      continue;
    }
    // Quoted literals: '…', t'…', h'…', b'…'; only \' and \\ are escapes (spec §9.3).
    const prefix = /[thb]/.test(c) && pattern[i + 1] === "'" ? c : '';
    if (c === "'" || prefix !== '') {
      let j = i + (prefix ? 2 : 1);
      let text = '';
      for (;;) {
        if (j >= n) throw new StixPatternError('unterminated string literal', column);
        const ch = pattern[j]!;
        if (ch === '\\') {
          const next = pattern[j + 1];
          if (next !== "'" && next !== '\\') {
            throw new StixPatternError("only \\' and \\\\ are escapes in a string", j + 1);
          }
          text += next;
          j += 2;
          continue;
        }
        if (ch === "'") break;
        text += ch;
        j += 1;
      }
      const kind: TokenKind =
        prefix === 't'
          ? 'timestamp'
          : prefix === 'h'
            ? 'hex'
            : prefix === 'b'
              ? 'binary'
              : 'string';
      if (kind === 'timestamp' && !TIMESTAMP.test(text)) {
        throw new StixPatternError('timestamp literal is not an RFC 3339 UTC instant', column);
      }
      if (kind === 'hex' && !HEX.test(text)) {
        throw new StixPatternError('hex literal has an odd length or a non-hex digit', column);
      }
      if (kind === 'binary' && !BASE64.test(text)) {
        throw new StixPatternError('binary literal is not base64', column);
      }
      tokens.push({ kind, text, column });
      i = j + 1;
      continue;
    }
    const num = /^[+-]?(\d+\.\d*|\.\d+|\d+)/.exec(pattern.slice(i));
    // A sign is part of a number only where a literal may start (after an operator, "(" or ",").
    if (num && (/\d|\./.test(c) || /[+-]/.test(c))) {
      const prev = tokens[tokens.length - 1];
      const signAllowed =
        !/[+-]/.test(c) ||
        (prev !== undefined && (prev.kind === 'op' || prev.text === '(' || prev.text === ','));
      if (signAllowed) {
        tokens.push({ kind: num[0].includes('.') ? 'float' : 'int', text: num[0], column });
        i += num[0].length;
        continue;
      }
    }
    const word = /^[A-Za-z_][A-Za-z0-9_-]*/.exec(pattern.slice(i));
    if (word) {
      // A hyphen may end an object type but never a property name; the parser checks which.
      tokens.push({ kind: 'word', text: word[0], column });
      i += word[0].length;
      continue;
    }
    const two = pattern.slice(i, i + 2);
    if (two === '!=' || two === '<=' || two === '>=') {
      tokens.push({ kind: 'op', text: two, column });
      i += 2;
      continue;
    }
    if (c === '=' || c === '<' || c === '>') {
      tokens.push({ kind: 'op', text: c, column });
      i += 1;
      continue;
    }
    if ('[](),.:*'.includes(c)) {
      tokens.push({ kind: 'punct', text: c, column });
      i += 1;
      continue;
    }
    throw new StixPatternError(`unexpected character ${JSON.stringify(c)}`, column);
  }
  tokens.push({ kind: 'end', text: '', column: n + 1 });
  return tokens;
}

const OBJECT_TYPE = /^[a-z][a-z0-9]*(-[a-z0-9]+)*-?$/;
const PROPERTY = /^[a-z0-9_]+$/i;

class Parser {
  private pos = 0;
  private depth = 0;
  private comparisons = 0;
  readonly observations: Observation[] = [];
  onlyOr = true;
  qualified = false;

  constructor(
    private readonly tokens: Token[],
    private readonly limits: PatternLimits,
  ) {}

  private peek(offset = 0): Token {
    return this.tokens[Math.min(this.pos + offset, this.tokens.length - 1)]!;
  }
  private next(): Token {
    const t = this.peek();
    if (this.pos < this.tokens.length - 1) this.pos += 1;
    return t;
  }
  private isKeyword(word: string, offset = 0): boolean {
    const t = this.peek(offset);
    return t.kind === 'word' && t.text.toUpperCase() === word;
  }
  private expect(text: string): Token {
    const t = this.next();
    if (t.text !== text || (t.kind !== 'punct' && t.kind !== 'op')) {
      throw new StixPatternError(`expected "${text}" but found ${describe(t)}`, t.column);
    }
    return t;
  }
  private expectKeyword(word: string): void {
    const t = this.next();
    if (t.kind !== 'word' || t.text.toUpperCase() !== word) {
      throw new StixPatternError(`expected ${word} but found ${describe(t)}`, t.column);
    }
  }
  private enter(t: Token): void {
    this.depth += 1;
    if (this.depth > this.limits.maxDepth) {
      throw new StixPatternError(`nested deeper than ${this.limits.maxDepth} levels`, t.column);
    }
  }

  pattern(): void {
    this.observationExpressions();
    const t = this.peek();
    if (t.kind !== 'end') {
      throw new StixPatternError(`unexpected ${describe(t)} after the pattern`, t.column);
    }
  }

  private observationExpressions(): void {
    this.observationOr();
    while (this.isKeyword('FOLLOWEDBY')) {
      this.next();
      this.onlyOr = false;
      this.observationOr();
    }
  }

  private observationOr(): void {
    this.observationAnd();
    while (this.isKeyword('OR')) {
      this.next();
      this.observationAnd();
    }
  }

  private observationAnd(): void {
    this.qualifiedObservation();
    while (this.isKeyword('AND')) {
      this.next();
      this.onlyOr = false;
      this.qualifiedObservation();
    }
  }

  private qualifiedObservation(): void {
    const t = this.peek();
    if (t.text === '[' && t.kind === 'punct') {
      this.enter(this.next());
      const observation: Observation = { comparisons: [] };
      this.comparisonOr(observation);
      this.expect(']');
      this.depth -= 1;
      this.observations.push(observation);
    } else if (t.text === '(' && t.kind === 'punct') {
      this.enter(this.next());
      this.observationExpressions();
      this.expect(')');
      this.depth -= 1;
    } else {
      throw new StixPatternError(`expected "[" or "(" but found ${describe(t)}`, t.column);
    }
    for (;;) {
      if (this.isKeyword('START')) {
        this.next();
        this.literalOf('timestamp');
        this.expectKeyword('STOP');
        this.literalOf('timestamp');
      } else if (this.isKeyword('WITHIN')) {
        this.next();
        const n = this.next();
        if ((n.kind !== 'int' && n.kind !== 'float') || Number(n.text) <= 0) {
          throw new StixPatternError('WITHIN needs a positive number of seconds', n.column);
        }
        this.expectKeyword('SECONDS');
      } else if (this.isKeyword('REPEATS')) {
        this.next();
        const n = this.next();
        if (n.kind !== 'int' || Number(n.text) <= 0) {
          throw new StixPatternError('REPEATS needs a positive whole number', n.column);
        }
        this.expectKeyword('TIMES');
      } else {
        break;
      }
      this.qualified = true;
    }
  }

  private literalOf(kind: TokenKind): string {
    const t = this.next();
    if (t.kind !== kind) throw new StixPatternError(`expected a ${kind} literal`, t.column);
    return t.text;
  }

  private comparisonOr(into: Observation): void {
    this.comparisonAnd(into);
    while (this.isKeyword('OR')) {
      this.next();
      this.comparisonAnd(into);
    }
  }

  private comparisonAnd(into: Observation): void {
    this.propTest(into);
    while (this.isKeyword('AND')) {
      this.next();
      this.propTest(into);
    }
  }

  private propTest(into: Observation): void {
    const t = this.peek();
    if (t.kind === 'punct' && t.text === '(') {
      this.enter(this.next());
      this.comparisonOr(into);
      this.expect(')');
      this.depth -= 1;
      return;
    }
    this.comparisons += 1;
    if (this.comparisons > this.limits.maxComparisons) {
      throw new StixPatternError(
        `more than ${this.limits.maxComparisons} comparisons in one pattern`,
        t.column,
      );
    }
    if (this.isKeyword('EXISTS')) {
      this.next();
      const { objectType, path } = this.objectPath();
      into.comparisons.push({ objectType, path, operator: 'EXISTS', negated: false, values: [] });
      return;
    }
    const { objectType, path } = this.objectPath();
    let negated = false;
    if (this.isKeyword('NOT')) {
      this.next();
      negated = true;
    }
    const op = this.next();
    let operator: ComparisonOperator;
    let values: Literal[];
    if (op.kind === 'op') {
      operator = op.text as ComparisonOperator;
      values = [this.primitive()];
    } else if (op.kind === 'word' && op.text.toUpperCase() === 'IN') {
      operator = 'IN';
      values = this.set();
    } else if (
      op.kind === 'word' &&
      ['LIKE', 'MATCHES', 'ISSUBSET', 'ISSUPERSET'].includes(op.text.toUpperCase())
    ) {
      operator = op.text.toUpperCase() as ComparisonOperator;
      const v = this.next();
      if (v.kind !== 'string') {
        throw new StixPatternError(`${operator} needs a string literal`, v.column);
      }
      values = [{ type: 'string', value: v.text }];
    } else {
      throw new StixPatternError(
        `expected a comparison operator but found ${describe(op)}`,
        op.column,
      );
    }
    into.comparisons.push({ objectType, path, operator, negated, values });
  }

  private objectPath(): { objectType: string; path: string[] } {
    const typeToken = this.next();
    if (typeToken.kind !== 'word' || !OBJECT_TYPE.test(typeToken.text)) {
      throw new StixPatternError(
        `expected an object type (such as email-addr) but found ${describe(typeToken)}`,
        typeToken.column,
      );
    }
    this.expect(':');
    const path: string[] = [this.propertyName()];
    for (;;) {
      const t = this.peek();
      if (t.kind === 'punct' && t.text === '.') {
        this.next();
        path.push(this.propertyName());
      } else if (t.kind === 'punct' && t.text === '[') {
        this.next();
        const index = this.next();
        if (!(index.kind === 'int' && !/^[+-]/.test(index.text)) && index.text !== '*') {
          throw new StixPatternError('a list index must be a whole number or *', index.column);
        }
        path.push(index.text);
        this.expect(']');
      } else {
        break;
      }
    }
    return { objectType: typeToken.text, path };
  }

  private propertyName(): string {
    const t = this.next();
    // Quoted names reach dictionary keys such as hashes.'SHA-256'.
    if (t.kind === 'string') return t.text;
    if (t.kind !== 'word' || !PROPERTY.test(t.text)) {
      throw new StixPatternError(`expected a property name but found ${describe(t)}`, t.column);
    }
    return t.text;
  }

  private primitive(): Literal {
    const t = this.next();
    switch (t.kind) {
      case 'string':
      case 'timestamp':
      case 'hex':
      case 'binary':
      case 'int':
      case 'float':
        return { type: t.kind, value: t.text };
      case 'word':
        if (t.text.toUpperCase() === 'TRUE' || t.text.toUpperCase() === 'FALSE') {
          return { type: 'bool', value: t.text.toLowerCase() };
        }
        break;
      default:
        break;
    }
    throw new StixPatternError(`expected a literal but found ${describe(t)}`, t.column);
  }

  private set(): Literal[] {
    this.expect('(');
    // The grammar allows the empty set (it matches nothing).
    if (this.peek().kind === 'punct' && this.peek().text === ')') {
      this.next();
      return [];
    }
    const values = [this.primitive()];
    while (this.peek().kind === 'punct' && this.peek().text === ',') {
      this.next();
      values.push(this.primitive());
    }
    this.expect(')');
    return values;
  }
}

function describe(t: Token): string {
  if (t.kind === 'end') return 'the end of the pattern';
  if (t.kind === 'word' && KEYWORDS.has(t.text.toUpperCase())) return t.text.toUpperCase();
  return JSON.stringify(t.text.length > 40 ? `${t.text.slice(0, 40)}…` : t.text);
}

/** Parses a STIX 2.1 pattern; StixPatternError names what is wrong and where. */
export function parsePattern(
  pattern: string,
  limits: PatternLimits = DEFAULT_PATTERN_LIMITS,
): ParsedPattern {
  if (pattern.length > limits.maxLength) {
    throw new StixPatternError(`pattern is longer than ${limits.maxLength} characters`, 1);
  }
  const parser = new Parser(tokenize(pattern), limits);
  parser.pattern();
  return { observations: parser.observations, onlyOr: parser.onlyOr, qualified: parser.qualified };
}

/** A literal value an indicator asserts: `type:path = 'v'` or one member of `IN ('v', …)`. */
export interface PatternEquality {
  objectType: string;
  /** The property path joined with '.' (list indexes as [n] / [*]): "value", "from_ref.value". */
  property: string;
  value: string;
  /** Which `[ … ]` it came from (comparisons of one observation describe one object). */
  observation: number;
}

export function propertyPath(path: readonly string[]): string {
  return path.map((p, i) => (/^(\d+|\*)$/.test(p) ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}

/** The positive string equalities of a parsed pattern, in order (negations and ranges skipped). */
export function patternEqualities(parsed: ParsedPattern): PatternEquality[] {
  const out: PatternEquality[] = [];
  parsed.observations.forEach((o, observation) => {
    for (const c of o.comparisons) {
      if (c.negated || (c.operator !== '=' && c.operator !== 'IN')) continue;
      for (const v of c.values) {
        if (v.type !== 'string') continue;
        out.push({
          objectType: c.objectType,
          property: propertyPath(c.path),
          value: v.value,
          observation,
        });
      }
    }
  });
  return out;
}
