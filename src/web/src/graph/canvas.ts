// The graph canvas: Cytoscape drawing the explored graph — colour by kind, size by degree, a
// double outline on cross-brand matches; tap a node to select it, double-tap (or Enter) to expand.
import cytoscape from 'cytoscape';
import { colourOf } from '../kinds.js';
import { nodeSize, type GraphEdgeView, type GraphNodeView } from './model.js';

export interface CanvasOptions {
  container: HTMLElement;
  onSelect: (id: string) => void;
  onExpand: (id: string) => void;
}

const STYLE: cytoscape.StylesheetJson = [
  {
    selector: 'node',
    style: {
      'background-color': 'data(colour)',
      width: 'data(size)',
      height: 'data(size)',
      label: 'data(label)',
      'font-size': 10,
      'text-valign': 'bottom',
      'text-margin-y': 3,
      'text-max-width': '140px',
      'text-wrap': 'ellipsis',
      color: '#1b1b1b',
      'border-width': 1,
      'border-color': '#ffffff',
    },
  },
  {
    selector: 'node.expanded',
    style: { 'border-width': 3, 'border-color': '#1b1b1b' },
  },
  {
    selector: 'node.cross-brand',
    style: { 'border-width': 5, 'border-style': 'double', 'border-color': '#d32f2f' },
  },
  {
    selector: 'node:selected',
    style: { 'overlay-color': '#005fcc', 'overlay-opacity': 0.25, 'overlay-padding': 6 },
  },
  {
    selector: 'edge',
    style: {
      width: 1.5,
      'line-color': '#9e9e9e',
      'target-arrow-color': '#9e9e9e',
      'target-arrow-shape': 'triangle',
      'curve-style': 'bezier',
      label: 'data(type)',
      'font-size': 7,
      color: '#616161',
      'text-rotation': 'autorotate',
    },
  },
];

export class GraphCanvas {
  private readonly cy: cytoscape.Core;

  constructor(private readonly options: CanvasOptions) {
    this.cy = cytoscape({
      container: options.container,
      style: STYLE,
      minZoom: 0.2,
      maxZoom: 3,
      wheelSensitivity: 0.3,
    });
    const idOf = (e: cytoscape.EventObject): string => (e.target as cytoscape.NodeSingular).id();
    this.cy.on('tap', 'node', (e) => options.onSelect(idOf(e)));
    this.cy.on('dbltap', 'node', (e) => options.onExpand(idOf(e)));
  }

  /** Redraws the given nodes and edges; a new layout runs when nodes came or went. */
  draw(
    nodes: readonly GraphNodeView[],
    edges: readonly GraphEdgeView[],
    state: { degreeOf: (id: string) => number; expanded: ReadonlySet<string> },
  ): void {
    const before = new Set(this.cy.nodes().map((n) => n.id()));
    const elements: cytoscape.ElementDefinition[] = [
      ...nodes.map((n) => ({
        group: 'nodes' as const,
        data: {
          id: n.id,
          label: n.label,
          typename: n.typename,
          colour: colourOf(n.typename),
          size: nodeSize(state.degreeOf(n.id)),
        },
        classes: [
          state.expanded.has(n.id) ? 'expanded' : '',
          (n.crossBrand ?? 0) > 0 ? 'cross-brand' : '',
        ]
          .filter(Boolean)
          .join(' '),
      })),
      ...edges.map((e) => ({
        group: 'edges' as const,
        data: { id: e.id, source: e.source, target: e.target, type: e.type },
      })),
    ];
    const changed = before.size !== nodes.length || nodes.some((n) => !before.has(n.id));
    this.cy.batch(() => {
      this.cy.elements().remove();
      this.cy.add(elements);
    });
    if (changed || nodes.length > 0) {
      this.cy
        .layout({
          name: nodes.length > 150 ? 'concentric' : 'cose',
          animate: false,
          fit: true,
          padding: 30,
        })
        .run();
    }
  }

  select(id: string): void {
    this.cy.nodes().unselect();
    const n = this.cy.getElementById(id);
    if (n.nonempty()) {
      n.select();
      this.cy.animate({ center: { eles: n } }, { duration: 200 });
    }
  }

  /** A PNG of the canvas (for reports). */
  png(): string {
    return this.cy.png({ full: true, bg: '#ffffff' });
  }

  destroy(): void {
    this.cy.destroy();
    void this.options;
  }
}
