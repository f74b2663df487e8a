// The incremental searches: growth stops at networks (they join whole) and merges them by size; a
// split walks only the parts that break off and decides which part keeps the id.
import { describe, expect, it } from 'vitest';
import {
  GrowthSearch,
  planGrowth,
  planSplit,
  SplitSearch,
  type NeighbourRow,
  type NetworkInfo,
} from '../../../src/networks/search.js';

/** A little link graph: member → its network and the members it links to. */
type Graph = Record<string, { network: string | null; links: string[] }>;

function rowsOf(graph: Graph, uids: readonly string[]): NeighbourRow[] {
  return uids.map((uid) => ({
    member: uid,
    network: graph[uid]!.network,
    others: graph[uid]!.links.map((o) => ({ uid: o, network: graph[o]!.network })),
  }));
}

/** Runs a growth search to the end; answers it and every member it asked about. */
function grow(graph: Graph, seeds: string[]) {
  const search = new GrowthSearch(seeds);
  const asked: string[] = [];
  while (search.frontier.length > 0) {
    asked.push(...search.frontier);
    search.visit(rowsOf(graph, search.frontier));
  }
  return { search, asked };
}

function split(graph: Graph, network: string, sources: string[]) {
  const search = new SplitSearch(network, sources);
  const asked: string[] = [];
  while (!search.done) {
    asked.push(...search.frontier);
    search.visit(new Map(rowsOf(graph, search.frontier).map((r) => [r.member, r])));
  }
  return { search, asked };
}

const info = (
  id: string,
  size: number,
  sellers: number,
  createdAt = '2026-01-01',
): NetworkInfo => ({
  id,
  size,
  sellers,
  createdAt,
});
let counter = 0;
const newId = () => `new-${++counter}`;

describe('growth after new records', () => {
  // A new seller shares a phone with a member of n1 and an e-mail with a loose seller, who has a
  // factory; n1's other members are never read.
  const graph: Graph = {
    'Seller:new': { network: null, links: ['Seller:a', 'Seller:x'] },
    'Seller:a': { network: 'n1', links: ['Seller:b', 'Seller:new'] },
    'Seller:b': { network: 'n1', links: ['Seller:a'] },
    'Seller:x': { network: null, links: ['Seller:new', 'Factory:f'] },
    'Factory:f': { network: null, links: ['Seller:x'] },
  };

  it('walks through loose members only and lets the network it reaches join whole', () => {
    const { search, asked } = grow(graph, ['Seller:new']);
    expect(asked).toEqual(['Seller:new', 'Seller:x', 'Factory:f']);
    expect(search.clusters()).toEqual([
      { networks: ['n1'], fresh: ['Factory:f', 'Seller:new', 'Seller:x'] },
    ]);
  });

  it('adds the loose members to the network they reach', () => {
    const { search } = grow(graph, ['Seller:new']);
    const plan = planGrowth({
      clusters: search.clusters(),
      info: new Map([['n1', info('n1', 2, 2)]]),
      minSellers: 2,
      newId,
    });
    expect(plan).toEqual({
      create: [],
      absorb: [],
      add: [{ id: 'n1', members: ['Factory:f', 'Seller:new', 'Seller:x'] }],
      kept: ['n1'],
    });
  });

  it('merges the networks a record bridges into the largest (union by size), then the oldest', () => {
    const clusters = [
      { networks: ['old-small', 'young-big', 'old-big'], fresh: ['Seller:bridge'] },
    ];
    const plan = planGrowth({
      clusters,
      info: new Map([
        ['old-small', info('old-small', 3, 3, '2025-01-01')],
        ['young-big', info('young-big', 9, 6, '2026-03-01')],
        ['old-big', info('old-big', 9, 5, '2026-01-01')],
      ]),
      minSellers: 2,
      newId,
    });
    expect(plan.absorb).toEqual([
      { from: 'young-big', into: 'old-big' },
      { from: 'old-small', into: 'old-big' },
    ]);
    expect(plan.add).toEqual([{ id: 'old-big', members: ['Seller:bridge'] }]);
  });

  it('makes a network of loose members only when they hold enough sellers', () => {
    const plan = planGrowth({
      clusters: [
        { networks: [], fresh: ['Seller:p', 'Factory:q'] },
        { networks: [], fresh: ['Seller:s', 'Seller:t'] },
      ],
      info: new Map(),
      minSellers: 2,
      newId: () => 'nw-1',
    });
    expect(plan.create).toEqual([{ id: 'nw-1', members: ['Seller:s', 'Seller:t'] }]);
  });
});

describe('splits after a removed link', () => {
  it('finds both parts when the removed link was the only bridge; the larger keeps the id', () => {
    // n1 was a triangle A and a pair B joined by the link A1–B1, now removed.
    const graph: Graph = {
      'Seller:a1': { network: 'n1', links: ['Seller:a2', 'Seller:a3'] },
      'Seller:a2': { network: 'n1', links: ['Seller:a1', 'Seller:a3'] },
      'Seller:a3': { network: 'n1', links: ['Seller:a1', 'Seller:a2'] },
      'Seller:b1': { network: 'n1', links: ['Seller:b2'] },
      'Seller:b2': { network: 'n1', links: ['Seller:b1'] },
    };
    const { search } = split(graph, 'n1', ['Seller:a1', 'Seller:b1']);
    expect(search.result()).toEqual({
      parts: [
        ['Seller:a1', 'Seller:a2', 'Seller:a3'],
        ['Seller:b1', 'Seller:b2'],
      ],
      rest: false,
    });
    const plan = planSplit({ search, info: info('n1', 5, 5), minSellers: 2, newId: () => 'n2' });
    expect(plan).toEqual({
      unchanged: false,
      create: [{ id: 'n2', members: ['Seller:b1', 'Seller:b2'] }],
      detach: [],
      rest: null,
      kept: true,
    });
  });

  it('stops as soon as the ends meet again: nothing splits', () => {
    const graph: Graph = {
      'Seller:a': { network: 'n1', links: ['Seller:m'] },
      'Seller:m': { network: 'n1', links: ['Seller:a', 'Seller:b'] },
      'Seller:b': { network: 'n1', links: ['Seller:m'] },
    };
    const { search } = split(graph, 'n1', ['Seller:a', 'Seller:b']);
    expect(planSplit({ search, info: info('n1', 3, 3), minSellers: 2, newId }).unchanged).toBe(
      true,
    );
  });

  it('walks only the part that broke off, not the rest of a large network', () => {
    // A seller cut off from a network of a thousand: the search from the other end never runs
    // past its first step.
    const graph: Graph = { 'Seller:cut': { network: 'big', links: [] } };
    for (let i = 0; i < 1000; i++) {
      graph[`Seller:${i}`] = {
        network: 'big',
        links: [`Seller:${(i + 1) % 1000}`, `Seller:${(i + 999) % 1000}`],
      };
    }
    const { search, asked } = split(graph, 'big', ['Seller:cut', 'Seller:0']);
    expect(asked).toEqual(['Seller:cut', 'Seller:0']);
    expect(search.visited).toBeLessThan(5);
    const plan = planSplit({ search, info: info('big', 1001, 1001), minSellers: 2, newId });
    expect(plan).toMatchObject({ detach: ['Seller:cut'], rest: { action: 'keep' }, kept: true });
  });

  it('moves the rest instead when a part that broke off is larger than it', () => {
    const graph: Graph = {
      'Seller:a': { network: 'n1', links: ['Seller:b'] },
      'Seller:b': { network: 'n1', links: ['Seller:a', 'Seller:c'] },
      'Seller:c': { network: 'n1', links: ['Seller:b'] },
      'Seller:x': { network: 'n1', links: ['Seller:y', 'Seller:z'] },
      'Seller:y': { network: 'n1', links: ['Seller:x', 'Seller:z'] },
      'Seller:z': { network: 'n1', links: ['Seller:x', 'Seller:y', 'Seller:w'] },
      'Seller:w': { network: 'n1', links: ['Seller:z'] },
    };
    // The network also holds two sellers the search does not reach (the rest).
    const { search } = split(graph, 'n1', ['Seller:a', 'Seller:x']);
    const plan = planSplit({ search, info: info('n1', 9, 9), minSellers: 2, newId: () => 'n2' });
    expect(plan).toMatchObject({
      create: [{ id: 'n2', members: ['Seller:a', 'Seller:b', 'Seller:c'] }],
      rest: { action: 'create' },
      kept: true,
    });
  });

  it('dissolves the network when no part holds enough sellers', () => {
    const graph: Graph = {
      'Seller:a': { network: 'n1', links: ['Factory:f'] },
      'Factory:f': { network: 'n1', links: ['Seller:a'] },
      'Seller:b': { network: 'n1', links: [] },
    };
    const { search } = split(graph, 'n1', ['Seller:a', 'Seller:b']);
    const plan = planSplit({ search, info: info('n1', 3, 2), minSellers: 2, newId });
    // b is cut off alone; the search from a stops there, so a's side is the rest: it is read
    // and leaves too.
    expect(plan).toEqual({
      unchanged: false,
      create: [],
      detach: ['Seller:b'],
      rest: { action: 'detach' },
      kept: false,
    });
  });

  it('never walks into another network (that link is a growth for its own change)', () => {
    const graph: Graph = {
      'Seller:a': { network: 'n1', links: ['Seller:other'] },
      'Seller:b': { network: 'n1', links: [] },
      'Seller:other': { network: 'n2', links: ['Seller:a'] },
    };
    const { search, asked } = split(graph, 'n1', ['Seller:a', 'Seller:b']);
    expect(asked).not.toContain('Seller:other');
    expect(search.result().parts).toEqual([['Seller:a'], ['Seller:b']]);
  });
});
