// Reading a trusted-documents manifest: the formats clients' tools write are accepted, and a manifest
// the node could not enforce faithfully is refused with a message naming the setting and the entry.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  documentIdOf,
  parseTrustedDocuments,
  TrustedDocumentsError,
} from '../../../src/server/use-trusted-documents.js';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const Q = 'query NodeName { nodeInfo { nodeId } }';

describe('a trusted-documents manifest', () => {
  it('is read from a map of sha256 → text (GraphQL Codegen) or an Apollo manifest', () => {
    expect([...parseTrustedDocuments({ [sha256(Q)]: Q }, 'm.json')]).toEqual([[sha256(Q), Q]]);
    const apollo = {
      format: 'apollo-persisted-query-manifest',
      version: 1,
      operations: [{ id: sha256(Q), name: 'NodeName', type: 'query', body: Q }],
    };
    expect(parseTrustedDocuments(apollo, 'm.json').get(sha256(Q))).toBe(Q);
  });

  it('takes ids with the sha256: prefix and ids that are names, not hashes', () => {
    const docs = parseTrustedDocuments({ [`sha256:${sha256(Q)}`]: Q, 'node-name-v1': Q }, 'm');
    expect(docs.get(sha256(Q))).toBe(Q);
    expect(docs.get('node-name-v1')).toBe(Q);
  });

  it.each([
    ['not an object', [Q], /must be a JSON object/],
    ['empty', {}, /holds no operations/],
    ['a hash that is not the text’s', { [sha256('{ other }')]: Q }, /is not the sha256/],
    ['text that does not parse', { 'broken-1': '{ nodeInfo { ' }, /broken-1 does not parse/],
    ['an empty text', { 'empty-1': ' ' }, /empty-1 is not a non-empty string/],
    ['an id with spaces', { 'two words': Q }, /is not a document id/],
    [
      'one id for two texts',
      { [sha256(Q)]: Q, [`sha256:${sha256(Q)}`]: '{ x }' },
      /names two different operations|is not the sha256/,
    ],
  ])('is refused when it is %s', (_what, raw, message) => {
    expect(() => parseTrustedDocuments(raw, 'm.json')).toThrow(TrustedDocumentsError);
    expect(() => parseTrustedDocuments(raw, 'm.json')).toThrow(message);
    expect(() => parseTrustedDocuments(raw, 'm.json')).toThrow(
      /^PALISADE_TRUSTED_DOCUMENTS m\.json/,
    );
  });
});

describe('the document id of a request', () => {
  it('is the APQ sha256Hash, else documentId, else none', () => {
    expect(documentIdOf({ extensions: { persistedQuery: { version: 1, sha256Hash: 'ab' } } })).toBe(
      'ab',
    );
    expect(documentIdOf({ documentId: 'sha256:ab' } as never)).toBe('sha256:ab');
    expect(documentIdOf({ query: Q })).toBeNull();
  });
});
