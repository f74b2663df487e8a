// The STIX pattern parser: what MISP and OpenCTI write is read (with or without spaces, escapes,
// OR/AND/FOLLOWEDBY, qualifiers), a broken pattern is refused with the column at fault, and only
// positive literal equalities count as values an indicator names. Where the OASIS pattern validator
// (stix2-patterns, Python) is installed, both agree on which patterns are valid.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import {
  parsePattern,
  patternEqualities,
  StixPatternError,
} from '../../../src/interop/stix/pattern.js';

const values = (p: string) =>
  patternEqualities(parsePattern(p)).map((e) => `${e.objectType}:${e.property}=${e.value}`);

describe('STIX patterns', () => {
  it('reads MISP’s unspaced phone-number pattern and OpenCTI’s spaced one alike', () => {
    expect(values("[phone-number:value='+86 138-0013-8000']")).toEqual([
      'phone-number:value=+86 138-0013-8000',
    ]);
    expect(values("[phone-number:value = '+86 138-0013-8000']")).toEqual([
      'phone-number:value=+86 138-0013-8000',
    ]);
  });

  it('unescapes quotes and backslashes in string literals', () => {
    expect(values("[x-shop:value = 'O\\'Brien\\\\Co']")).toEqual(["x-shop:value=O'Brien\\Co"]);
  });

  it('collects every equality across OR, AND, FOLLOWEDBY, IN and nested parentheses', () => {
    expect(
      values(
        "([email-addr:value = 'a@x.example' OR (domain-name:value = 'x.example')] AND [url:value IN ('https://x.example/1', 'https://x.example/2')]) FOLLOWEDBY [phone-number:value = '1'] WITHIN 600 SECONDS",
      ),
    ).toEqual([
      'email-addr:value=a@x.example',
      'domain-name:value=x.example',
      'url:value=https://x.example/1',
      'url:value=https://x.example/2',
      'phone-number:value=1',
    ]);
  });

  it('keeps negations, ranges and regular expressions out of the values', () => {
    expect(
      values(
        "[email-addr:value NOT = 'a@x.example' AND email-addr:value != 'b@x.example' AND domain-name:value MATCHES '^shop' AND file:size > 5 AND url:value LIKE 'http%']",
      ),
    ).toEqual([]);
  });

  it('reads property paths with references, list indexes and quoted keys', () => {
    const parsed = patternEqualities(
      parsePattern(
        "[email-message:from_ref.value = 'a@x.example' AND email-message:to_refs[*].value = 'b@x.example' AND file:hashes.'SHA-256' = 'ab']",
      ),
    );
    expect(parsed.map((e) => e.property)).toEqual([
      'from_ref.value',
      'to_refs[*].value',
      'hashes.SHA-256',
    ]);
  });

  it('numbers observations so comparisons of one object stay together', () => {
    const e = patternEqualities(
      parsePattern(
        "[user-account:account_type = 'telegram' AND user-account:account_login = 'shop1'] OR [user-account:account_login = 'shop2']",
      ),
    );
    expect(e.map((x) => x.observation)).toEqual([0, 0, 1]);
  });

  it('accepts qualifiers and other literal types', () => {
    expect(() =>
      parsePattern(
        "[file:size >= 1024 AND file:x_flag = true AND file:mtime < t'2026-01-01T00:00:00Z'] REPEATS 3 TIMES START t'2026-01-01T00:00:00Z' STOP t'2026-02-01T00:00:00.5Z'",
      ),
    ).not.toThrow();
    expect(() =>
      parsePattern("[artifact:payload_bin = b'aGVsbG8=' AND x:y = h'00ff']"),
    ).not.toThrow();
  });

  it.each([
    ["[email-addr:value = 'a'", 'expected "]"', 24],
    ["[email-addr:value = 'a' AND]", 'expected an object type', 28],
    ["email-addr:value = 'a'", 'expected "[" or "("', 1],
    ["[email-addr:value = 'a]", 'unterminated string', 21],
    ["[email-addr:value = 'a\\b']", "only \\' and \\\\ are escapes", 23],
    ["[email-addr:value ~ 'a']", 'unexpected character', 19],
    ["[email-addr:value = 'a'] extra", 'after the pattern', 26],
    ["[file:mtime = t'yesterday']", 'timestamp literal', 15],
    ["[email-addr:Va-lue = 'a']", 'expected a property name', 13],
  ])('refuses %j naming what is wrong and where', (pattern, message, column) => {
    try {
      parsePattern(pattern);
      expect.unreachable('the pattern was accepted');
    } catch (e) {
      expect(e).toBeInstanceOf(StixPatternError);
      expect((e as StixPatternError).message).toContain(message);
      expect((e as StixPatternError).column).toBe(column);
    }
  });

  it('bounds length, nesting and comparisons', () => {
    expect(() => parsePattern(`[a:b = '${'x'.repeat(20_000)}']`)).toThrow(/longer than/);
    expect(() => parsePattern(`${'('.repeat(40)}[a:b = 'x']${')'.repeat(40)}`)).toThrow(
      /nested deeper/,
    );
    const many = Array.from({ length: 600 }, (_, i) => `a:b = '${i}'`).join(' OR ');
    expect(() => parsePattern(`[${many}]`)).toThrow(/more than 500 comparisons/);
  });
});

const oasisAvailable =
  spawnSync('python3', ['-c', 'import stix2patterns'], { stdio: 'ignore' }).status === 0;

describe.skipIf(!oasisAvailable)('agreement with the OASIS pattern validator', () => {
  const corpus = [
    "[phone-number:value='+86 138-0013-8000']",
    "[email-addr:value = 'a@x.example'] OR [domain-name:value = 'x.example']",
    "[user-account:account_type = 'telegram' AND user-account:account_login = 'shop']",
    "[url:value IN ('https://a.example/', 'https://b.example/')]",
    "[email-addr:value NOT = 'a'] FOLLOWEDBY [url:value LIKE 'http%'] WITHIN 5 SECONDS",
    "([x-palisade-token:value = 'k.abc'] AND [x-palisade-phone:value = '+8613800138000']) REPEATS 2 TIMES",
    "[file:size > -5 AND file:name MATCHES '^a\\\\.exe$']",
    "[email-message:from_ref.value = 'a@x.example' AND email-message:to_refs[0].value = 'b']",
    "[email-addr:value = 'a'",
    "[email-addr:value = 'a' AND]",
    "email-addr:value = 'a'",
    "[email-addr:value = 'a'] extra",
    "[email-addr:value = 'a' OR ]",
    '[url:value IN ()]',
    '[]',
  ];
  it('accepts and refuses the same patterns', () => {
    const out = spawnSync(
      'python3',
      [
        '-c',
        `import json, sys
from stix2patterns.validator import run_validator
print(json.dumps([len(run_validator(p, stix_version='2.1')) == 0 for p in json.load(sys.stdin)]))`,
      ],
      { input: JSON.stringify(corpus), encoding: 'utf8' },
    );
    expect(out.status).toBe(0);
    const oasis = JSON.parse(out.stdout) as boolean[];
    const ours = corpus.map((p) => {
      try {
        parsePattern(p);
        return true;
      } catch {
        return false;
      }
    });
    expect(ours).toEqual(oasis);
  });
});
