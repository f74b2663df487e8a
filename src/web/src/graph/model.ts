// The explored graph as the canvas shows it: expansions merged into one set of nodes and edges,
// filtered by identifier kind, sized by degree. Pure; the canvas (Cytoscape) only draws it.
import { labelOf, type NodeSummary } from '../api/node-summary.js';
import type { LinksData } from '../api/operations.js';
import { identifierKindOf, type IdentifierKind } from '../kinds.js';

export interface GraphNodeView {
  id: string;
  typename: string;
  label: string;
  /** Links of the node in the whole graph (server-side), when known. */
  degree?: number;
  /** How many other brands know one of this node's identifiers (cross-brand matches). */
  crossBrand?: number;
  identifierKind?: IdentifierKind;
}

export interface GraphEdgeView {
  id: string;
  source: string;
  target: string;
  type: string;
}

/** What one expansion returned. */
export interface Expansion {
  nodes: GraphNodeView[];
  edges: GraphEdgeView[];
  /** The server stopped at its node budget (or the page size): more neighbours exist. */
  truncated: boolean;
  /** How many neighbours exist in all, when the server says. */
  total?: number;
}

export function nodeView(n: NodeSummary, degree?: number): GraphNodeView {
  const kind = identifierKindOf(n.__typename);
  return {
    id: n.id,
    typename: n.__typename,
    label: labelOf(n),
    ...(degree !== undefined && { degree }),
    ...(kind && { identifierKind: kind }),
  };
}

export const edgeId = (source: string, type: string, target: string): string =>
  `${source}|${type}|${target}`;

/** The Links query's answer as an expansion around its node (the fallback when no `expand`). */
export function expansionFromLinks(data: LinksData, pageSize: number): Expansion {
  const centre = data.node;
  if (!centre) return { nodes: [], edges: [], truncated: false };
  const nodes = [nodeView(centre, centre.links.totalCount)];
  const edges: GraphEdgeView[] = [];
  for (const { node: link } of centre.links.edges) {
    nodes.push(nodeView(link.node, link.node.degree?.totalCount));
    const [source, target] =
      link.direction === 'IN' ? [link.node.id, centre.id] : [centre.id, link.node.id];
    edges.push({ id: edgeId(source, link.type, target), source, target, type: link.type });
  }
  return {
    nodes,
    edges,
    truncated: centre.links.totalCount > Math.min(pageSize, centre.links.edges.length),
    total: centre.links.totalCount,
  };
}

export class GraphState {
  readonly nodes = new Map<string, GraphNodeView>();
  readonly edges = new Map<string, GraphEdgeView>();
  /** Nodes whose neighbourhood has been fetched. */
  readonly expanded = new Set<string>();

  /** Adds an expansion; known nodes keep their fields unless the new view knows more. */
  merge(expansion: Expansion, around?: string): { added: number } {
    let added = 0;
    for (const n of expansion.nodes) {
      const old = this.nodes.get(n.id);
      if (!old) added += 1;
      this.nodes.set(n.id, {
        ...old,
        ...n,
        ...(n.degree === undefined && old?.degree !== undefined && { degree: old.degree }),
        ...(n.crossBrand === undefined &&
          old?.crossBrand !== undefined && { crossBrand: old.crossBrand }),
      });
    }
    for (const e of expansion.edges) {
      if (this.nodes.has(e.source) && this.nodes.has(e.target)) this.edges.set(e.id, e);
    }
    if (around) this.expanded.add(around);
    return { added };
  }

  clear(): void {
    this.nodes.clear();
    this.edges.clear();
    this.expanded.clear();
  }

  /** Degree for sizing: the server's figure, else the edges drawn here. */
  degreeOf(id: string): number {
    const known = this.nodes.get(id)?.degree;
    if (known !== undefined) return known;
    let d = 0;
    for (const e of this.edges.values()) if (e.source === id || e.target === id) d += 1;
    return d;
  }

  /** The nodes and edges to draw when some identifier kinds are hidden. */
  visible(hidden: ReadonlySet<IdentifierKind>): { nodes: GraphNodeView[]; edges: GraphEdgeView[] } {
    const nodes = [...this.nodes.values()].filter(
      (n) => n.identifierKind === undefined || !hidden.has(n.identifierKind),
    );
    const ids = new Set(nodes.map((n) => n.id));
    const edges = [...this.edges.values()].filter((e) => ids.has(e.source) && ids.has(e.target));
    return { nodes, edges };
  }
}

/** Node diameter in pixels: grows with the log of the degree, so hubs stand out but fit. */
export function nodeSize(degree: number): number {
  return Math.round(18 + Math.min(60, 12 * Math.log2(1 + Math.max(0, degree))));
}
