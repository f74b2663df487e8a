// The analyst web app in headless Chromium against a real node with generated data: an analyst
// logs in with a token, finds a planted phone typed in a non-E.164 format, expands to the planted
// network, opens its page, sees the damages, exports a signed dossier that verifies, and opens a
// case with its evidence. Screenshots land in test/artifacts/web-app/.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { freePort, startManagedNeo4j, type ManagedNeo4j } from '../../src/db/managed-neo4j.js';
import { generate, plantedPhoneFormats, type PlantedNetwork } from '../../src/ingest/generate.js';
import { startNode, type RunningNode } from '../../src/main.js';
import { createLogger } from '../../src/server/logger.js';
import { tokenFor } from '../support/auth.js';

const CHROMIUM = '/usr/bin/chromium';
const ROOT = join(import.meta.dirname, '..', '..');
const ARTIFACTS = join(ROOT, 'test', 'artifacts', 'web-app');
const PASSWORD = 'palisade-e2e-web';
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) {
  console.warn(`web-app e2e skipped: ${CHROMIUM} is missing (apt-get install -y chromium)`);
}

const MUTATION_OF: Record<string, string> = {
  listing: 'recordListingObservations(records: $records)',
  entity: 'recordEntities(records: $records)',
  shipment: 'recordShipments(records: $records)',
  case: 'recordCases(records: $records)',
  trademark: 'recordTrademarks(records: $records)',
};
const INPUT_OF: Record<string, string> = {
  listing: 'ListingObservationInput',
  entity: 'EntityRecordInput',
  shipment: 'ShipmentRecordInput',
  case: 'CaseRecordInput',
  trademark: 'TrademarkRecordInput',
};

describe.skipIf(!hasChromium)('the analyst web app', () => {
  let neo4j: ManagedNeo4j | undefined;
  let node: RunningNode | undefined;
  let browser: Browser | undefined;
  let page: Page;
  let dataDir: string;
  let token: string;
  let network: PlantedNetwork;
  const consoleErrors: string[] = [];

  async function gql(query: string, variables: Record<string, unknown> = {}): Promise<any> {
    const res = await fetch(`${node!.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await res.json()) as { data?: any; errors?: unknown[] };
    if (body.errors) throw new Error(JSON.stringify(body.errors));
    return body.data;
  }

  async function record(kind: string, records: unknown[]): Promise<void> {
    const data = await gql(
      `mutation Record($records: [${INPUT_OF[kind]}!]!) { result: ${MUTATION_OF[kind]} { ok summary { rejected } results { ok error { message path } } } }`,
      { records },
    );
    expect(data.result.summary.rejected, JSON.stringify(data.result.results)).toBe(0);
  }

  const shot = (name: string) =>
    page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });

  beforeAll(async () => {
    if (!existsSync(join(ROOT, 'src', 'web', 'dist', 'index.html'))) {
      const built = spawnSync('npm', ['run', 'build:web'], { cwd: ROOT, stdio: 'inherit' });
      expect(built.status).toBe(0);
    }
    mkdirSync(ARTIFACTS, { recursive: true });
    dataDir = mkdtempSync(join(tmpdir(), 'palisade-web-e2e-'));
    neo4j = await startManagedNeo4j({
      home: join(dataDir, 'neo4j'),
      instances: [{ name: 'web', port: await freePort() }],
      password: PASSWORD,
      heap: '768m',
      pageCache: '48m',
    });
    node = await startNode(
      loadConfig({
        PALISADE_ENV: 'test',
        PALISADE_NODE_ID: 'brand-web',
        PALISADE_NODE_NAME: 'Brand Web',
        PALISADE_PORT: String(await freePort()),
        PALISADE_DATA_DIR: join(dataDir, 'node'),
        NEO4J_URI: neo4j.uris.get('web')!,
        NEO4J_PASSWORD: PASSWORD,
        LOG_LEVEL: 'warn',
      }),
      { logger: createLogger(process.env['E2E_DEBUG'] ? 'info' : 'silent') },
    );
    token = await tokenFor(node, 'analyst', { subject: 'analyst-e2e' });

    // Generated sellers with planted networks, then a trademark and a case on the phone network.
    const { manifest, rows } = generate({ sellers: 48, seed: 7 });
    network = manifest.networks.find((n) => n.via === 'phone')!;
    const byKind = new Map<string, unknown[]>();
    for (const { record: kind, ...rest } of rows()) {
      byKind.set(kind, [...(byKind.get(kind) ?? []), rest]);
    }
    for (const [kind, records] of byKind) await record(kind, records);
    const base = { source: 'e2e', observedAt: '2026-04-01T00:00:00Z' };
    await record('trademark', [
      {
        ...base,
        mark: 'VOLTARA',
        registrationNumber: '12345678',
        class: 9,
        jurisdiction: 'CN',
        owner: 'Voltara Ltd',
        recordation: { number: 'T2020-12345', validFrom: '2020-01-01', validUntil: '2030-01-01' },
      },
    ]);
    const sellers = network.sellers.map((key) => {
      const [platform, ...rest] = key.split(':');
      return { kind: 'SELLER', platform, key: rest.join(':') };
    });
    await record('case', [
      {
        ...base,
        caseId: 'CASE-WEB-1',
        title: 'Counterfeit power banks sold through a shared phone',
        status: 'UNDER_INVESTIGATION',
        jurisdiction: 'CN',
        openedOn: '2026-03-15',
        entities: sellers,
        evidence: [
          {
            evidenceId: 'ev-web-1',
            kind: 'TEST_PURCHASE',
            title: 'Test purchase from the first seller',
            capturedAt: '2026-03-20T08:00:00Z',
            sha256: 'a'.repeat(64),
            concerns: sellers.slice(0, 1),
          },
        ],
        actions: [
          {
            actionId: 'act-web-1',
            kind: 'TAKEDOWN',
            date: '2026-03-25',
            authority: 'JD IPR platform',
            targets: sellers,
            trademarks: [{ jurisdiction: 'CN', registrationNumber: '12345678', class: 9 }],
          },
        ],
      },
    ]);

    // Networks follow ingest batch by batch; a full recompute makes the test independent of that.
    const admin = await tokenFor(node, 'admin', { subject: 'admin-e2e' });
    const recompute = await fetch(`${node.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${admin}` },
      body: JSON.stringify({ query: 'mutation { recomputeNetworks { visited } }' }),
    });
    expect(((await recompute.json()) as { errors?: unknown }).errors).toBeUndefined();

    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    const context = await browser.newContext({
      acceptDownloads: true,
      viewport: { width: 1400, height: 900 },
    });
    page = await context.newPage();
    page.on('console', (m) => {
      if (m.type() === 'error') consoleErrors.push(m.text());
    });
    page.on('pageerror', (e) => consoleErrors.push(e.message));
    // Name the request behind a failed-resource console line, so a failure says which call it was.
    page.on('response', (r) => {
      if (r.status() >= 400 && r.status() !== 401) {
        const sent = r.request().postData() ?? '';
        const status = r.status();
        const path = new URL(r.url()).pathname;
        void r.text().then(
          (answer) =>
            consoleErrors.push(
              `HTTP ${status} ${path} ${sent.slice(0, 120)} -> ${answer.slice(0, 300)}`,
            ),
          () => consoleErrors.push(`HTTP ${status} ${path} ${sent.slice(0, 120)}`),
        );
      }
    });
  }, 420_000);

  afterAll(async () => {
    await browser?.close();
    await node?.stop();
    await neo4j?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('serves the app at /app/ with a CSP and sends / there', async () => {
    const root = await fetch(`${node!.url}/`, { redirect: 'manual' });
    expect(root.status).toBe(302);
    expect(root.headers.get('location')).toBe('/app/');
    const app = await fetch(`${node!.url}/app/networks/anything`);
    expect(app.status).toBe(200);
    expect(app.headers.get('content-type')).toMatch(/^text\/html/);
    expect(app.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(await app.text()).not.toMatch(/<script>(?!<\/script>)/);
    expect((await fetch(`${node!.url}/app/..%2f..%2fpackage.json`)).status).toBe(400);
  });

  it('logs an analyst in with a pasted token', async () => {
    await page.goto(`${node!.url}/`);
    await page.waitForSelector('#token');
    await shot('01-login');
    await page.fill('#token', `Bearer ${token}`);
    await page.click('button[type=submit]');
    await page.waitForSelector('#q');
    await expect(page.locator('.topbar .who').textContent()).resolves.toContain('analyst');
  });

  it('finds the planted phone typed in a non-E.164 format, and expands to its network', async () => {
    const digits = plantedPhoneFormats(0)[2].replace(/^0086 /, '');
    const typed = `${digits.slice(0, 3)}-${digits.slice(3, 7)}-${digits.slice(7)}`; // 186-0000-0000
    await page.fill('#q', typed);
    await page.press('#q', 'Enter');
    const phoneGroup = page.locator('.hit-group', { hasText: 'Phone' });
    await phoneGroup.waitFor({ timeout: 15_000 });
    await shot('02-search');
    await phoneGroup.locator('a', { hasText: 'Explore' }).first().click();
    await page.waitForSelector('.node-list li', { timeout: 15_000 });
    // Every planted seller hangs off the shared phone.
    await expect
      .poll(async () => page.locator('.node-list li', { hasText: 'Seller' }).count(), {
        timeout: 15_000,
      })
      .toBeGreaterThanOrEqual(network.sellers.length);
    await page.waitForTimeout(500);
    await shot('03-graph');
  });

  it('opens the network page and shows the damages, recomputed when a parameter changes', async () => {
    const seller = page.locator('.node-list li', { hasText: 'Seller' }).first();
    await seller.locator('button.link').click();
    await page.click('.details button:has-text("Open network")');
    await page.waitForSelector('#damages-total', { timeout: 20_000 });
    const before = await page.locator('#damages-total').textContent();
    expect(before).toMatch(/\d/);
    expect(await page.locator('table caption', { hasText: 'Members' }).count()).toBe(1);
    await shot('04-network');
    await page.fill('#dmg-punitiveMultiplier', '3');
    await page.press('#dmg-punitiveMultiplier', 'Enter');
    await expect
      .poll(async () => page.locator('#damages-total').textContent(), { timeout: 15_000 })
      .not.toBe(before);
  });

  it('exports a signed dossier that `palisade dossier verify` accepts', async () => {
    const probe = await gql('{ __type(name: "Mutation") { fields { name } } }');
    const served = (probe.__type.fields as Array<{ name: string }>).some(
      (f) => f.name === 'exportDossier',
    );
    expect(served, 'the node serves no exportDossier mutation (evidence domain)').toBe(true);
    const downloading = page.waitForEvent('download', { timeout: 60_000 });
    await page.click('#export-dossier');
    const download = await downloading;
    const file = join(ARTIFACTS, download.suggestedFilename());
    await download.saveAs(file);
    await shot('05-dossier');
    // The recipient's view: only the node's published public keys.
    const jwks = join(ARTIFACTS, 'node-jwks.json');
    writeFileSync(jwks, await (await fetch(`${node!.url}/.well-known/jwks.json`)).text());
    const verify = spawnSync(
      process.execPath,
      ['src/bin/palisade.js', 'dossier', 'verify', file, '--jwks', jwks],
      { cwd: ROOT, encoding: 'utf8' },
    );
    expect(verify.status, verify.stderr + verify.stdout).toBe(0);
    expect(verify.stdout).toMatch(/^OK /);
  });

  it('shows a case with its evidence hashes and enforcement actions', async () => {
    await page.goto(
      `${node!.url}/app/cases/${Buffer.from('Case:CASE-WEB-1').toString('base64url')}`,
    );
    await page.waitForSelector('#evidence-h', { timeout: 15_000 });
    await expect(page.locator('code.hash').first().textContent()).resolves.toBe('a'.repeat(64));
    await expect(page.locator('#actions-h').textContent()).resolves.toContain('(1)');
    await shot('06-case');
    // The login screen probes whether the node runs without authentication: those 401s are expected.
    expect(consoleErrors.filter((e) => !/favicon|status of 401/.test(e))).toEqual([]);
  });
});
