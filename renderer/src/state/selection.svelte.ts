/**
 * The linked selection: select in one view, highlight in all. `current` is
 * the inspected object; `picked` a box/lasso selection (seeds a search).
 */
export class Selection {
  current = $state<number | null>(null);
  picked = $state.raw<Int32Array>(new Int32Array(0));

  inspect(idx: number | null): void {
    this.current = idx;
  }

  pick(indices: Int32Array): void {
    this.picked = indices;
  }

  /** the points every view draws highlighted: the picked set plus the inspected object */
  highlighted = $derived.by(() => {
    const c = this.current;
    if (c === null || this.picked.includes(c)) return this.picked;
    const out = new Int32Array(this.picked.length + 1);
    out.set(this.picked);
    out[this.picked.length] = c;
    return out;
  });
}
