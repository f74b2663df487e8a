// PALISADE_TRUSTED_DOCUMENTS: a node given a manifest runs the operations in it, named by their
// sha256 (APQ extension) or documentId, under the same access rules, and refuses any other text.
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNode, StartupError, type RunningNode } from '../../../src/main.js';
import { tokenFor } from '../../support/auth.js';
import { NORMAL } from '../../support/hostile.js';
import { testDataDir, testLogger, useTestGraph } from '../../support/test-graph.js';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const PING = 'mutation Ping { _ping }';

describe('trusted documents', () => {
  const graph = useTestGraph();
  let node: RunningNode;
  const manifest = join(testDataDir(), 'trusted-documents.json');

  const ask = async (body: Record<string, unknown>, role: 'viewer' | 'analyst' = 'analyst') => {
    const res = await node.yoga.fetch('http://palisade.test/graphql', {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/graphql-response+json',
        authorization: `Bearer ${await tokenFor(node, role)}`,
      },
      body: JSON.stringify(body),
    });
    return {
      status: res.status,
      body: (await res.json()) as {
        data?: Record<string, unknown>;
        errors?: Array<{ extensions?: { code?: string; reason?: string } }>;
      },
    };
  };
  const apq = (hash: string) => ({
    extensions: { persistedQuery: { version: 1, sha256Hash: hash } },
  });

  beforeAll(async () => {
    writeFileSync(manifest, JSON.stringify({ [sha256(NORMAL)]: NORMAL, [sha256(PING)]: PING }));
    node = await startNode(graph.config({ PALISADE_TRUSTED_DOCUMENTS: manifest }), {
      logger: testLogger(),
      listen: false,
    });
  });
  afterAll(async () => {
    await node?.stop();
  });

  it('runs an operation of the manifest named by its sha256 or its documentId', async () => {
    const byHash = await ask(apq(sha256(NORMAL)));
    expect(byHash.status).toBe(200);
    expect(byHash.body.data?.['nodeInfo']).toMatchObject({ nodeId: expect.any(String) });
    const byId = await ask({ documentId: `sha256:${sha256(NORMAL)}` });
    expect(byId.status).toBe(200);
    expect(byId.body.data?.['nodeInfo']).toBeDefined();
  });

  it('refuses query text, even the text of a trusted document, and unknown ids', async () => {
    const text = await ask({ query: NORMAL });
    expect(text.status).toBe(403);
    expect(text.body.errors?.[0]?.extensions).toMatchObject({
      code: 'FORBIDDEN',
      reason: 'TRUSTED_DOCUMENTS_ONLY',
    });
    const unknown = await ask(apq(sha256('{ nodeInfo { nodeId } }')));
    expect(unknown.status).toBe(403);
    expect(unknown.body.errors?.[0]?.extensions).toMatchObject({
      code: 'FORBIDDEN',
      reason: 'UNKNOWN_DOCUMENT',
    });
    const neither = await ask({ variables: {} });
    expect(neither.status).toBe(400);
    expect(neither.body.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      reason: 'DOCUMENT_ID_REQUIRED',
    });
    expect(JSON.stringify([text.body, unknown.body, neither.body])).not.toContain('nodeId');
  });

  it('applies the role matrix to trusted documents as to any operation', async () => {
    expect((await ask(apq(sha256(PING)), 'analyst')).body).toEqual({ data: { _ping: true } });
    const viewer = await ask(apq(sha256(PING)), 'viewer');
    expect(viewer.status).toBe(403);
    expect(viewer.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('does not start with a manifest whose id is not the sha256 of its text, naming the setting', async () => {
    const forged = join(testDataDir(), 'forged-documents.json');
    writeFileSync(forged, JSON.stringify({ [sha256(NORMAL)]: PING }));
    const started = startNode(graph.config({ PALISADE_TRUSTED_DOCUMENTS: forged }), {
      logger: testLogger(),
      listen: false,
    });
    await expect(started).rejects.toBeInstanceOf(StartupError);
    await expect(started).rejects.toThrow(/PALISADE_TRUSTED_DOCUMENTS .* is not the sha256/);
  });
});
