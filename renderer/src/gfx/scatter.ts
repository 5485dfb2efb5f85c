/**
 * The embedding scatter: deck.gl OrthographicView + ScatterplotLayer with
 * BINARY attributes (positions Float32Array N x 2, colours Uint8Array N x 4).
 * `data` objects are rebuilt only when their arrays change, so deck.gl does
 * not re-upload attributes on every render; highlight is a second small layer.
 * Picking is on the CPU (nearest projected point within a few pixels of the
 * cursor): deck.gl's GPU pick takes 150–350 ms per event on software GL and
 * its tap recogniser drops presses longer than 250 ms, so clicks are handled
 * by the caller's own pointerdown/up and this class's `nearest`. Above the
 * renderer's point budget the layer holds the points in view, thinned
 * (gfx/point-budget.ts), reselected when the view settles; picking and
 * selections still see every point.
 */
import { Deck, OrthographicView } from '@deck.gl/core';
import { ScatterplotLayer } from '@deck.gl/layers';
import { pointsInPolygon } from './lasso';
import { gatherRows, pointBudget, selectInView, thinningOrder, type DrawStats } from './point-budget';

export interface ViewTransform {
  target: number[];
  zoom: number;
  width: number;
  height: number;
}

export interface ScatterCallbacks {
  /** the view moved (pan, zoom, fit, resize) */
  onView?(t: ViewTransform): void;
  /** the points handed to the GPU changed (level of detail) */
  onDrawn?(s: DrawStats): void;
}

/** reselect the points in view this long after the last view change, ms */
const LOD_SETTLE_MS = 150;
/** the margin drawn around the view, as a fraction of its size on each side */
const LOD_MARGIN = 0.25;

/** how far from a point (px) a click or hover still picks it */
export const PICK_RADIUS_PX = 6;

interface BinaryData {
  length: number;
  attributes: { getPosition: { value: Float32Array; size: 2 }; getFillColor: { value: Uint8Array; size: 4; normalized: true } };
}

export class ScatterPlot {
  #deck: Deck<OrthographicView>;
  #xy: Float32Array | null = null;
  #rgba: Uint8Array = new Uint8Array(0);
  #data: BinaryData | null = null;
  readonly budget = pointBudget();
  /** the thinning order when there are more points than the budget, else null (all drawn) */
  #order: Int32Array | null = null;
  /**
   * the draw order (gfx/draw-order: the filters' objects, high scores last, on top), null = all in index order;
   * #rank[i] = its position in it, -1 = not drawn (picking skips those)
   */
  #drawOrder: Int32Array | null = null;
  #rank: Int32Array | null = null;
  #lodTimer: ReturnType<typeof setTimeout> | undefined;
  #highlight: { length: number; attributes: { getPosition: { value: Float32Array; size: 2 } } } | null = null;
  #pointSize = 2;
  #container: HTMLDivElement;
  #cb: ScatterCallbacks;
  /** the current view (ours: set by fit, pans and zooms), so it is known without a rendered viewport */
  #view = { target: [0, 0], zoom: 0 };
  /** the user panned or zoomed since the last fit: a resize then keeps their view */
  #moved = false;
  #size = { w: 0, h: 0 };
  #ro: ResizeObserver;

  constructor(container: HTMLDivElement, cb: ScatterCallbacks = {}) {
    this.#container = container;
    this.#cb = cb;
    this.#deck = new Deck({
      parent: container,
      views: new OrthographicView({ id: 'scatter', flipY: false }),
      initialViewState: { target: [0, 0, 0], zoom: 0 },
      controller: { doubleClickZoom: false },
      useDevicePixels: 1,
      onViewStateChange: ({ viewState }) => {
        const v = viewState as { target: number[]; zoom: number };
        const was = this.#view;
        // a click also reports a (same) view state: only a real pan or zoom keeps the view on resize
        if (v.zoom !== was.zoom || v.target[0] !== was.target[0] || v.target[1] !== was.target[1]) this.#moved = true;
        this.#view = { target: [v.target[0], v.target[1]], zoom: v.zoom };
        this.#announce();
        this.#scheduleLod();
        return viewState;
      },
      getCursor: ({ isDragging }) => (isDragging ? 'grabbing' : 'crosshair'),
      layers: [],
    });
    this.#size = { w: container.clientWidth, h: container.clientHeight };
    this.#ro = new ResizeObserver(() => this.#resized());
    this.#ro.observe(container);
  }

  #resized(): void {
    const w = this.#container.clientWidth,
      h = this.#container.clientHeight;
    if (w === 0 || h === 0 || (w === this.#size.w && h === this.#size.h)) return; // hidden, or no change
    this.#size = { w, h };
    if (!this.#moved) this.fit();
    else this.#announce();
    this.#scheduleLod();
  }

  #announce(): void {
    const t = this.viewTransform();
    if (t) this.#cb.onView?.(t);
  }

  /** new points: fits the view to them; null clears the plot (another workspace, no projection) */
  setPoints(xy: Float32Array | null, rgba: Uint8Array, drawOrder: Int32Array | null = this.#drawOrder): void {
    clearTimeout(this.#lodTimer);
    if (!xy) {
      this.#xy = null;
      this.#data = null;
      this.#highlight = null;
      this.#order = null;
      this.#render();
      return;
    }
    const fit = this.#xy !== xy;
    this.#xy = xy;
    this.#rgba = rgba;
    const n = xy.length / 2;
    if (fit) this.#order = n > this.budget ? thinningOrder(n) : null;
    this.#setDrawOrder(drawOrder && drawOrder.length <= n ? drawOrder : null, n);
    if (fit) this.fit();
    this.#rebuild();
  }

  #setDrawOrder(order: Int32Array | null, n: number): void {
    if (order === this.#drawOrder && (this.#rank?.length ?? n) === n) return;
    this.#drawOrder = order;
    this.#rank = order ? new Int32Array(n).fill(-1) : null;
    if (order)
      order.forEach((i, k) => {
        this.#rank![i] = k;
      });
  }

  setColours(rgba: Uint8Array): void {
    this.setDrawn(rgba, this.#drawOrder);
  }

  /** new colours and/or draw order for the same points */
  setDrawn(rgba: Uint8Array, drawOrder: Int32Array | null): void {
    if (!this.#xy || (this.#rgba === rgba && this.#drawOrder === drawOrder)) return;
    this.setPoints(this.#xy, rgba, drawOrder);
  }

  /** whether object i is drawn (passes the filters) */
  #shown(i: number): boolean {
    return !this.#rank || this.#rank[i] >= 0;
  }

  /** what is drawn now: every point, or the thinned points in view */
  #rebuild(): void {
    clearTimeout(this.#lodTimer);
    const xy = this.#xy;
    if (!xy) return;
    const n = xy.length / 2;
    const rank = this.#rank;
    if (!this.#order) {
      const d = this.#drawOrder;
      const colours = d && this.#rgba.length === n * 4 ? gatherRows(this.#rgba, 4, d) : this.#rgba;
      this.#data = {
        length: d ? d.length : n,
        attributes: { getPosition: { value: d ? gatherRows(xy, 2, d) : xy, size: 2 }, getFillColor: { value: colours, size: 4, normalized: true } },
      };
      this.#render();
      this.#cb.onDrawn?.({ points: n, drawn: this.#data.length, inView: this.#data.length, budget: this.budget });
      return;
    }
    const w = this.#container.clientWidth || 400,
      h = this.#container.clientHeight || 400;
    const s = 2 ** this.#view.zoom,
      [tx, ty] = this.#view.target;
    const hw = (w / 2 / s) * (1 + 2 * LOD_MARGIN),
      hh = (h / 2 / s) * (1 + 2 * LOD_MARGIN);
    const x0 = tx - hw,
      x1 = tx + hw,
      y0 = ty - hh,
      y1 = ty + hh;
    const sel = selectInView(
      this.#order,
      (i) => {
        const x = xy[2 * i],
          y = xy[2 * i + 1];
        return x >= x0 && x <= x1 && y >= y0 && y <= y1 && (!rank || rank[i] >= 0);
      },
      this.budget,
    );
    if (rank) sel.indices.sort((a, b) => rank[a] - rank[b]); // the draw order within the thinned sample
    const colours = this.#rgba.length === n * 4 ? gatherRows(this.#rgba, 4, sel.indices) : new Uint8Array(sel.indices.length * 4).fill(200);
    this.#data = {
      length: sel.indices.length,
      attributes: { getPosition: { value: gatherRows(xy, 2, sel.indices), size: 2 }, getFillColor: { value: colours, size: 4, normalized: true } },
    };
    this.#render();
    this.#cb.onDrawn?.({ points: n, drawn: sel.indices.length, inView: sel.inView, budget: this.budget });
  }

  #scheduleLod(): void {
    if (!this.#order) return;
    clearTimeout(this.#lodTimer);
    this.#lodTimer = setTimeout(() => this.#rebuild(), LOD_SETTLE_MS);
  }

  setHighlight(indices: Int32Array): void {
    if (!this.#xy) return;
    const p = new Float32Array(indices.length * 2);
    indices.forEach((k, i) => {
      p[2 * i] = this.#xy![2 * k];
      p[2 * i + 1] = this.#xy![2 * k + 1];
    });
    this.#highlight = { length: indices.length, attributes: { getPosition: { value: p, size: 2 } } };
    this.#render();
  }

  fit(): void {
    const xy = this.#xy;
    if (!xy || xy.length === 0) return;
    let x0 = Infinity,
      x1 = -Infinity,
      y0 = Infinity,
      y1 = -Infinity;
    for (let i = 0; i < xy.length; i += 2) {
      x0 = Math.min(x0, xy[i]);
      x1 = Math.max(x1, xy[i]);
      y0 = Math.min(y0, xy[i + 1]);
      y1 = Math.max(y1, xy[i + 1]);
    }
    const w = this.#container.clientWidth || 400,
      h = this.#container.clientHeight || 400;
    const scale = Math.min(w / Math.max(x1 - x0, 1e-9), h / Math.max(y1 - y0, 1e-9)) * 0.9;
    this.#setView([(x0 + x1) / 2, (y0 + y1) / 2], Math.log2(scale));
    this.#moved = false;
    this.#announce();
  }

  #setView(target: number[], zoom: number): void {
    this.#view = { target: [target[0], target[1]], zoom };
    this.#deck.setProps({ initialViewState: { target: [target[0], target[1], 0], zoom } });
  }

  /** the nearest point within `radius` px of (px, py) (relative to the canvas), or null */
  nearest(px: number, py: number, radius = PICK_RADIUS_PX): number | null {
    const xy = this.#xy,
      t = this.viewTransform();
    if (!xy || !t) return null;
    const s = 2 ** t.zoom;
    const x = t.target[0] + (px - t.width / 2) / s,
      y = t.target[1] - (py - t.height / 2) / s;
    const r = (radius + this.#pointSize) / s;
    let best = -1,
      bestD = r * r;
    const rank = this.#rank;
    for (let i = 0, n = xy.length / 2; i < n; i++) {
      const dx = xy[2 * i] - x;
      if (dx > r || dx < -r || (rank && rank[i] < 0)) continue;
      const dy = xy[2 * i + 1] - y;
      const d = dx * dx + dy * dy;
      // ties: the one drawn on top
      if (d < bestD || (d === bestD && (!rank || best < 0 || rank[i] > rank[best]))) {
        bestD = d;
        best = i;
      }
    }
    return best >= 0 ? best : null;
  }

  /** screen position (px relative to the canvas) of object i */
  screenOf(i: number): { x: number; y: number } | null {
    const xy = this.#xy,
      t = this.viewTransform();
    if (!xy || !t || i < 0 || 2 * i >= xy.length) return null;
    const s = 2 ** t.zoom;
    return { x: t.width / 2 + (xy[2 * i] - t.target[0]) * s, y: t.height / 2 - (xy[2 * i + 1] - t.target[1]) * s };
  }

  /** object indices whose points fall inside a screen rectangle (px relative to the canvas) */
  pickRect(ax: number, ay: number, bx: number, by: number): Int32Array {
    const vp = this.#deck.getViewports()[0];
    const xy = this.#xy;
    if (!vp || !xy) return new Int32Array(0);
    const [x0, y0] = vp.unproject([Math.min(ax, bx), Math.max(ay, by)]);
    const [x1, y1] = vp.unproject([Math.max(ax, bx), Math.min(ay, by)]);
    const out: number[] = [];
    for (let i = 0; i < xy.length / 2; i++) {
      const x = xy[2 * i],
        y = xy[2 * i + 1];
      if (x >= Math.min(x0, x1) && x <= Math.max(x0, x1) && y >= Math.min(y0, y1) && y <= Math.max(y0, y1) && this.#shown(i)) out.push(i);
    }
    return Int32Array.from(out);
  }

  /** object indices whose points fall inside a screen polygon (x0, y0, x1, y1, ... px relative to the canvas) */
  pickPolygon(screen: ArrayLike<number>): Int32Array {
    const vp = this.#deck.getViewports()[0];
    if (!vp || !this.#xy) return new Int32Array(0);
    const poly = new Float64Array(screen.length);
    for (let j = 0; j < screen.length; j += 2) {
      const [x, y] = vp.unproject([screen[j], screen[j + 1]]);
      poly[j] = x;
      poly[j + 1] = y;
    }
    const inside = pointsInPolygon(this.#xy, poly);
    return this.#rank ? inside.filter((i) => this.#shown(i)) : inside;
  }

  /** screen → data: x = target[0] + (px − width/2) / 2^zoom, y = target[1] − (py − height/2) / 2^zoom */
  viewTransform(): ViewTransform | null {
    const w = this.#container.clientWidth,
      h = this.#container.clientHeight;
    if (!w || !h) return null;
    return { target: [this.#view.target[0], this.#view.target[1]], zoom: this.#view.zoom, width: w, height: h };
  }

  setPanEnabled(on: boolean): void {
    this.#deck.setProps({ controller: on ? { doubleClickZoom: false } : { dragPan: false, doubleClickZoom: false } });
  }

  /** pans the view by a pixel offset (bench: frames while panning) */
  panBy(dx: number, dy: number): void {
    const v = this.#view;
    const s = 2 ** v.zoom;
    this.#setView([v.target[0] - dx / s, v.target[1] + dy / s], v.zoom);
    this.#moved = true;
    this.#announce();
    this.#scheduleLod();
  }

  #render(): void {
    const layers = [];
    if (this.#data) {
      layers.push(
        new ScatterplotLayer({
          id: 'points',
          data: this.#data,
          pickable: false,
          radiusUnits: 'pixels',
          getRadius: this.#pointSize,
          radiusMinPixels: 1,
          stroked: false,
        }),
      );
    }
    if (this.#highlight?.length) {
      layers.push(
        new ScatterplotLayer({
          id: 'highlight',
          data: this.#highlight,
          pickable: false,
          radiusUnits: 'pixels',
          getRadius: 6,
          stroked: true,
          filled: false,
          getLineColor: [255, 255, 255, 255],
          lineWidthUnits: 'pixels',
          getLineWidth: 2,
        }),
      );
    }
    this.#deck.setProps({ layers });
  }

  destroy(): void {
    clearTimeout(this.#lodTimer);
    this.#ro.disconnect();
    this.#deck.finalize();
  }
}
