// Disjoint sets over string keys (path halving, union by size): the federated clustering links the
// tokens that co-occur in any member's network into cross-brand networks of pseudonyms.
export class UnionFind {
  readonly #parent = new Map<string, string>();
  readonly #size = new Map<string, number>();

  add(x: string): void {
    if (!this.#parent.has(x)) {
      this.#parent.set(x, x);
      this.#size.set(x, 1);
    }
  }

  find(x: string): string {
    this.add(x);
    let r = x;
    for (;;) {
      const p = this.#parent.get(r)!;
      if (p === r) return r;
      const gp = this.#parent.get(p)!;
      this.#parent.set(r, gp);
      r = gp;
    }
  }

  union(a: string, b: string): void {
    let ra = this.find(a);
    let rb = this.find(b);
    if (ra === rb) return;
    if (this.#size.get(ra)! < this.#size.get(rb)!) [ra, rb] = [rb, ra];
    this.#parent.set(rb, ra);
    this.#size.set(ra, this.#size.get(ra)! + this.#size.get(rb)!);
  }

  /** Every set, each sorted, ordered by its smallest member. */
  sets(): string[][] {
    const groups = new Map<string, string[]>();
    for (const x of this.#parent.keys()) {
      const r = this.find(x);
      const g = groups.get(r);
      if (g) g.push(x);
      else groups.set(r, [x]);
    }
    return [...groups.values()].map((g) => g.sort()).sort((a, b) => (a[0]! < b[0]! ? -1 : 1));
  }
}
