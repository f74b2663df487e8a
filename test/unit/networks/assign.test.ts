// Which network a recomputed cluster is: stable ids through growth, merges, splits and dissolution.
import { describe, expect, it } from 'vitest';
import { assignNetworks, type ExistingNetwork } from '../../../src/networks/assign.js';
import { Components } from '../../../src/networks/components.js';
import { defaultNetworkSettings, parseNetworkSettings } from '../../../src/networks/settings.js';
import { scoreRisk } from '../../../src/networks/risk.js';

const net = (id: string, createdAt: string, size: number): [string, ExistingNetwork] => [
  id,
  { id, createdAt, size },
];
let counter = 0;
const newId = () => `new-${++counter}`;

describe('assigning network ids', () => {
  it('gives a new cluster of two sellers a new id and ignores a lone seller with its factory', () => {
    const a = assignNetworks({
      components: [
        ['Seller:a', 'Seller:b'],
        ['Factory:f', 'Seller:c'],
      ],
      membership: new Map(),
      networks: new Map(),
      minSellers: 2,
      newId,
    });
    expect(a.networks).toHaveLength(1);
    expect(a.networks[0]).toMatchObject({ created: true, members: ['Seller:a', 'Seller:b'] });
  });

  it('merges two networks into the larger one (a younger but larger network survives)', () => {
    const a = assignNetworks({
      components: [['Seller:a', 'Seller:b', 'Seller:c', 'Seller:d', 'Seller:e']],
      membership: new Map([
        ['Seller:a', 'old'],
        ['Seller:b', 'old'],
        ['Seller:c', 'young'],
        ['Seller:d', 'young'],
        ['Seller:e', 'young'],
      ]),
      networks: new Map([net('old', '2026-01-01', 2), net('young', '2026-02-01', 3)]),
      minSellers: 2,
      newId,
    });
    expect(a.networks.map((n) => n.id)).toEqual(['young']);
    expect(a.absorbed).toEqual([{ from: 'old', into: 'young' }]);
  });

  it('merges two networks of one size into the older one and remembers the other as its alias', () => {
    const a = assignNetworks({
      components: [['Seller:a', 'Seller:b', 'Seller:c', 'Seller:d', 'Seller:x']],
      membership: new Map([
        ['Seller:a', 'young'],
        ['Seller:b', 'young'],
        ['Seller:c', 'old'],
        ['Seller:d', 'old'],
      ]),
      networks: new Map([net('young', '2026-02-01', 2), net('old', '2026-01-01', 2)]),
      minSellers: 2,
      newId,
    });
    expect(a.networks).toEqual([
      {
        id: 'old',
        created: false,
        members: ['Seller:a', 'Seller:b', 'Seller:c', 'Seller:d', 'Seller:x'],
      },
    ]);
    expect(a.absorbed).toEqual([{ from: 'young', into: 'old' }]);
  });

  it('splits a network: the bigger part keeps the id, the other gets a new one, loners leave', () => {
    const a = assignNetworks({
      components: [['Seller:a', 'Seller:b', 'Seller:c'], ['Seller:d', 'Seller:e'], ['Seller:f']],
      membership: new Map(
        ['a', 'b', 'c', 'd', 'e', 'f'].map((s) => [`Seller:${s}`, 'n1'] as [string, string]),
      ),
      networks: new Map([net('n1', '2026-01-01', 6)]),
      minSellers: 2,
      newId: () => 'n2',
    });
    expect(a.networks.map((n) => [n.id, n.created])).toEqual([
      ['n1', false],
      ['n2', true],
    ]);
    expect(a.detached).toEqual(['Seller:f']);
    expect(a.dissolved).toEqual([]);
  });

  it('dissolves a network whose members all fell apart', () => {
    const a = assignNetworks({
      components: [['Seller:a'], ['Seller:b']],
      membership: new Map([
        ['Seller:a', 'n1'],
        ['Seller:b', 'n1'],
      ]),
      networks: new Map([net('n1', '2026-01-01', 2)]),
      minSellers: 2,
      newId,
    });
    expect(a).toMatchObject({
      networks: [],
      dissolved: ['n1'],
      detached: ['Seller:a', 'Seller:b'],
    });
  });
});

describe('union-find components', () => {
  it('groups transitively, independent of insertion order', () => {
    const c = new Components();
    c.union('d', 'c');
    c.union('b', 'a');
    c.union('c', 'b');
    c.add('z');
    expect(c.groups()).toEqual([['a', 'b', 'c', 'd'], ['z']]);
  });
});

describe('network settings', () => {
  it('defaults to every identifier kind, routes and party links, hub limit 50', () => {
    const s = defaultNetworkSettings();
    expect(s.identifierKinds).toHaveLength(7);
    expect(s).toMatchObject({ routes: true, parties: true, hubLimit: 50, minSellers: 2 });
  });

  it('parses exclusions and refuses unknown kinds naming the variable', () => {
    const ok = parseNetworkSettings({
      PALISADE_NETWORK_LINK_KINDS: 'phone,email',
      PALISADE_NETWORK_EXCLUDE: 'address:No. 1 Warehouse Rd, Kunshan; phone:+86 138 0000 0000',
    });
    expect(ok.ok && ok.settings.excluded).toEqual([
      { kind: 'address', value: 'No. 1 Warehouse Rd, Kunshan' },
      { kind: 'phone', value: '+86 138 0000 0000' },
    ]);
    const bad = parseNetworkSettings({ PALISADE_NETWORK_LINK_KINDS: 'phone,fax' });
    expect(!bad.ok && bad.problems[0]).toMatch(/PALISADE_NETWORK_LINK_KINDS/);
    const hub = parseNetworkSettings({ PALISADE_NETWORK_HUB_LIMIT: '1' });
    expect(!hub.ok && hub.problems[0]).toMatch(/PALISADE_NETWORK_HUB_LIMIT/);
  });
});

describe('risk', () => {
  it('adds weighted reasons and caps the score at 100', () => {
    const r = scoreRisk({
      sellers: 20,
      platformCount: 4,
      cases: 1,
      actions: 5,
      activeAfterTakedown: 3,
      sharedFactories: 1,
    });
    expect(r.score).toBe(100);
    expect(r.reasons.map((x) => [x.code, x.weight])).toEqual([
      ['SIZE', 30],
      ['PLATFORMS', 20],
      ['ENFORCEMENT_HISTORY', 15],
      ['RECIDIVISM', 25],
      ['SHARED_FACTORY', 15],
      ['CASES', 10],
    ]);
    expect(
      scoreRisk({
        sellers: 2,
        platformCount: 1,
        cases: 0,
        actions: 0,
        activeAfterTakedown: 0,
        sharedFactories: 0,
      }),
    ).toEqual({
      score: 5,
      reasons: [{ code: 'SIZE', weight: 5, description: '2 sellers' }],
    });
  });
});
