/**
 * The embedding scatter: deck.gl OrthographicView + ScatterplotLayer with
 * BINARY attributes (positions Float32Array N x 2, colours Uint8Array N x 4).
 * `data` objects are rebuilt only when their arrays change, so deck.gl does
 * not re-upload attributes on every render; highlight is a second small layer.
 */
import { Deck, OrthographicView, type PickingInfo } from '@deck.gl/core';
import { ScatterplotLayer } from '@deck.gl/layers';
import { pointsInPolygon } from './lasso';

export interface ScatterCallbacks {
  onHover(idx: number | null, x: number, y: number): void;
  onClick(idx: number | null): void;
}

interface BinaryData {
  length: number;
  attributes: { getPosition: { value: Float32Array; size: 2 }; getFillColor: { value: Uint8Array; size: 4; normalized: true } };
}

export class ScatterPlot {
  #deck: Deck<OrthographicView>;
  #xy: Float32Array | null = null;
  #data: BinaryData | null = null;
  #highlight: { length: number; attributes: { getPosition: { value: Float32Array; size: 2 } } } | null = null;
  #pointSize = 2;
  #container: HTMLDivElement;

  constructor(container: HTMLDivElement, cb: ScatterCallbacks) {
    this.#container = container;
    this.#deck = new Deck({
      parent: container,
      views: new OrthographicView({ id: 'scatter', flipY: false }),
      initialViewState: { target: [0, 0, 0], zoom: 0 },
      controller: { doubleClickZoom: false },
      useDevicePixels: 1,
      onHover: (info: PickingInfo) => cb.onHover(info.index >= 0 ? info.index : null, info.x, info.y),
      onClick: (info: PickingInfo) => cb.onClick(info.index >= 0 ? info.index : null),
      getCursor: ({ isDragging, isHovering }) => (isDragging ? 'grabbing' : isHovering ? 'pointer' : 'crosshair'),
      layers: [],
    });
  }

  /** new points: fits the view to them */
  setPoints(xy: Float32Array, rgba: Uint8Array): void {
    const fit = this.#xy !== xy;
    this.#xy = xy;
    this.#data = { length: xy.length / 2, attributes: { getPosition: { value: xy, size: 2 }, getFillColor: { value: rgba, size: 4, normalized: true } } };
    if (fit) this.fit();
    this.#render();
  }

  setColours(rgba: Uint8Array): void {
    if (!this.#xy || this.#data?.attributes.getFillColor.value === rgba) return;
    this.setPoints(this.#xy, rgba);
  }

  setHighlight(indices: Int32Array): void {
    if (!this.#xy) return;
    const p = new Float32Array(indices.length * 2);
    indices.forEach((k, i) => { p[2 * i] = this.#xy![2 * k]; p[2 * i + 1] = this.#xy![2 * k + 1]; });
    this.#highlight = { length: indices.length, attributes: { getPosition: { value: p, size: 2 } } };
    this.#render();
  }

  fit(): void {
    const xy = this.#xy;
    if (!xy || xy.length === 0) return;
    let x0 = Infinity, x1 = -Infinity, y0 = Infinity, y1 = -Infinity;
    for (let i = 0; i < xy.length; i += 2) {
      x0 = Math.min(x0, xy[i]); x1 = Math.max(x1, xy[i]); y0 = Math.min(y0, xy[i + 1]); y1 = Math.max(y1, xy[i + 1]);
    }
    const w = this.#container.clientWidth || 400, h = this.#container.clientHeight || 400;
    const scale = Math.min(w / Math.max(x1 - x0, 1e-9), h / Math.max(y1 - y0, 1e-9)) * 0.9;
    this.#deck.setProps({ initialViewState: { target: [(x0 + x1) / 2, (y0 + y1) / 2, 0], zoom: Math.log2(scale) } });
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
      const x = xy[2 * i], y = xy[2 * i + 1];
      if (x >= Math.min(x0, x1) && x <= Math.max(x0, x1) && y >= Math.min(y0, y1) && y <= Math.max(y0, y1)) out.push(i);
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
    return pointsInPolygon(this.#xy, poly);
  }

  /** screen → data: x = target[0] + (px − width/2) / 2^zoom, y = target[1] − (py − height/2) / 2^zoom */
  viewTransform(): { target: number[]; zoom: number; width: number; height: number } | null {
    const vp = this.#deck.getViewports()[0] as unknown as { target: number[]; zoom: number; width: number; height: number } | undefined;
    return vp ? { target: [vp.target[0], vp.target[1]], zoom: vp.zoom, width: vp.width, height: vp.height } : null;
  }

  setPanEnabled(on: boolean): void {
    this.#deck.setProps({ controller: on ? { doubleClickZoom: false } : { dragPan: false, doubleClickZoom: false } });
  }

  /** pans the view by a pixel offset (bench: frames while panning) */
  panBy(dx: number, dy: number): void {
    const vp = this.#deck.getViewports()[0] as unknown as { target: number[]; zoom: number } | undefined;
    if (!vp) return;
    const s = 2 ** vp.zoom;
    this.#deck.setProps({ initialViewState: { target: [vp.target[0] - dx / s, vp.target[1] + dy / s, 0], zoom: vp.zoom } });
  }

  #render(): void {
    const layers = [];
    if (this.#data) {
      layers.push(new ScatterplotLayer({
        id: 'points', data: this.#data, pickable: true, radiusUnits: 'pixels', getRadius: this.#pointSize,
        radiusMinPixels: 1, stroked: false, autoHighlight: true, highlightColor: [255, 255, 255, 200],
      }));
    }
    if (this.#highlight?.length) {
      layers.push(new ScatterplotLayer({
        id: 'highlight', data: this.#highlight, pickable: false, radiusUnits: 'pixels', getRadius: 6, stroked: true, filled: false,
        getLineColor: [255, 255, 255, 255], lineWidthUnits: 'pixels', getLineWidth: 2,
      }));
    }
    this.#deck.setProps({ layers });
  }

  destroy(): void {
    this.#deck.finalize();
  }
}
