// Relay global ids ("Type:key" in base64url) and cursor connections shared by every domain.
import { BadUserInputError } from './errors.js';

export interface GlobalId {
  type: string;
  key: string;
}

export function toGlobalId(type: string, key: string): string {
  return Buffer.from(`${type}:${key}`, 'utf8').toString('base64url');
}

export function fromGlobalId(id: string): GlobalId {
  if (id.length === 0 || id.length > 4096 || !/^[A-Za-z0-9_-]+$/.test(id)) {
    throw new BadUserInputError('Not a valid id', { argument: 'id' });
  }
  const text = Buffer.from(id, 'base64url').toString('utf8');
  const colon = text.indexOf(':');
  if (colon <= 0 || colon === text.length - 1) {
    throw new BadUserInputError('Not a valid id', { argument: 'id' });
  }
  return { type: text.slice(0, colon), key: text.slice(colon + 1) };
}

export interface PageArgs {
  first?: number | null;
  after?: string | null;
}

export interface Page {
  limit: number;
  offset: number;
}

export const MAX_PAGE_SIZE = 500;

/** Offset cursors: stable for the ordered reads the stores perform, opaque to clients. */
export function toPage(args: PageArgs, defaultSize = 50): Page {
  const first = args.first ?? defaultSize;
  if (!Number.isInteger(first) || first < 0 || first > MAX_PAGE_SIZE) {
    throw new BadUserInputError(`first must be between 0 and ${MAX_PAGE_SIZE}`, {
      argument: 'first',
    });
  }
  let offset = 0;
  if (args.after) {
    const decoded = Buffer.from(args.after, 'base64url').toString('utf8');
    const m = /^o:(\d{1,9})$/.exec(decoded);
    if (!m?.[1]) throw new BadUserInputError('after is not a valid cursor', { argument: 'after' });
    offset = Number(m[1]) + 1;
  }
  return { limit: first, offset };
}

export function cursorAt(offset: number): string {
  return Buffer.from(`o:${offset}`, 'utf8').toString('base64url');
}

export interface Connection<T> {
  edges: Array<{ cursor: string; node: T }>;
  pageInfo: {
    hasNextPage: boolean;
    hasPreviousPage: boolean;
    startCursor: string | null;
    endCursor: string | null;
  };
  totalCount: number;
}

/** Builds a connection from one page of items (fetched with limit + 1 to see if more follow). */
export function toConnection<T>(itemsPlusOne: T[], page: Page, totalCount: number): Connection<T> {
  const items = itemsPlusOne.slice(0, page.limit);
  const edges = items.map((node, i) => ({ cursor: cursorAt(page.offset + i), node }));
  return {
    edges,
    pageInfo: {
      hasNextPage: itemsPlusOne.length > page.limit,
      hasPreviousPage: page.offset > 0,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges[edges.length - 1]?.cursor ?? null,
    },
    totalCount,
  };
}
