// Union-find over member uids: the connected components of the link graph an update explored.

export class Components {
  private readonly parent = new Map<string, string>();

  add(x: string): void {
    if (!this.parent.has(x)) this.parent.set(x, x);
  }

  find(x: string): string {
    this.add(x);
    let root = x;
    while (this.parent.get(root) !== root) root = this.parent.get(root)!;
    // Path compression keeps later finds near O(1).
    let node = x;
    while (node !== root) {
      const next = this.parent.get(node)!;
      this.parent.set(node, root);
      node = next;
    }
    return root;
  }

  union(a: string, b: string): void {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra === rb) return;
    // The smaller uid roots the set, so roots do not depend on insertion order.
    if (ra < rb) this.parent.set(rb, ra);
    else this.parent.set(ra, rb);
  }

  /** Every component, members sorted, components ordered by their smallest member. */
  groups(): string[][] {
    const byRoot = new Map<string, string[]>();
    for (const x of this.parent.keys()) {
      const r = this.find(x);
      const g = byRoot.get(r);
      if (g) g.push(x);
      else byRoot.set(r, [x]);
    }
    return [...byRoot.values()].map((g) => g.sort()).sort((a, b) => (a[0]! < b[0]! ? -1 : 1));
  }
}

/** Sellers are the accounts a network is counted by; their uids start with "Seller:". */
export const isSellerUid = (uid: string): boolean => uid.startsWith('Seller:');
