/**
 * The sky map (three.js): objects as points on an orthographic globe or on an
 * all-sky Hammer-Aitoff ellipse, over a HiPS background (sky-background), with
 * an adaptive RA/Dec graticule and HTML labels (sky-grid). The container's
 * data-fov / data-grid-step / data-centre attributes say what is shown.
 * Drag rotates (globe) or pans (all-sky), the wheel zooms, a click picks the
 * nearest point, shift-drag box-selects. Renders on demand, not in a loop.
 * Above the renderer's point budget the points on screen (plus a margin) are
 * thinned (gfx/point-budget.ts) and reselected when the view settles;
 * picking and box selection still see every object.
 */
import {
  BufferAttribute,
  BufferGeometry,
  Color,
  Group,
  Mesh,
  MeshBasicMaterial,
  OrthographicCamera,
  Points,
  Scene,
  SphereGeometry,
  WebGLRenderer,
  EllipseCurve,
  Shape,
  ShapeGeometry,
} from 'three';
import { hammer, hammerPoints, inverseHammer, unitVectors } from './sky-math';
import { pointsMaterial } from './points-material';
import { BUNDLED_SKY, disposeBackground, hipsBackground, hipsFlatBackground, hipsTextures, type HipsBackgroundOptions } from './sky-background';
import { SkyGrid } from './sky-grid';
import { pointToScreen, SkyProjector, type SkyFrame } from './sky-project';
import { SkyInteraction, type SkyCallbacks } from './sky-interaction';
import { gatherRows, pointBudget, selectInView, thinningOrder, type DrawStats } from './point-budget';

export type SkyProjectionMode = 'globe' | 'aitoff';
const D2R = Math.PI / 180;
/** the all-sky view is centred on RA 180° (RA 0 at both edges), as in most survey footprint plots */
const FLAT_RA0 = 180;
/** reselect the points on screen this long after the last view change, ms */
const LOD_SETTLE_MS = 150;
/** the margin around the canvas whose points are drawn too, as a fraction of its size */
const LOD_MARGIN = 0.25;

export class SkyMap {
  readonly canvas: HTMLCanvasElement;
  mode: SkyProjectionMode = 'globe';
  ra0 = 180;
  dec0 = 20;
  #renderer: WebGLRenderer;
  #scene = new Scene();
  #camera = new OrthographicCamera(-1, 1, 1, -1, -10, 10);
  #globe = new Group();
  #spin = new Group();
  #flat = new Group();
  #ra: Float32Array = new Float32Array(0);
  #dec: Float32Array = new Float32Array(0);
  #projector = new SkyProjector(this.#ra, this.#dec, FLAT_RA0);
  #colour = new BufferAttribute(new Uint8Array(0), 4, true);
  #rgba: Uint8Array = new Uint8Array(0);
  readonly budget = pointBudget();
  /** the thinning order when there are more objects than the budget, else null (all drawn) */
  #order: Int32Array | null = null;
  /** the drawn objects when thinned */
  #drawnIdx: Int32Array | null = null;
  #lodTimer: ReturnType<typeof setTimeout> | undefined;
  /** told what each (re)selection handed to the GPU */
  onDrawn?: (s: DrawStats) => void;
  #globePts = new Points(new BufferGeometry(), pointsMaterial(3));
  #flatPts = new Points(new BufferGeometry(), pointsMaterial(3));
  #hiGlobe = new Points(new BufferGeometry(), pointsMaterial(11, true));
  #hiFlat = new Points(new BufferGeometry(), pointsMaterial(11, true));
  /** a user catalogue's positions (magenta rings) */
  #ovGlobe = new Points(new BufferGeometry(), pointsMaterial(15, true));
  #ovFlat = new Points(new BufferGeometry(), pointsMaterial(15, true));
  #labels: HTMLDivElement;
  #grid: SkyGrid;
  #bgGlobe = new Group();
  #bgFlat = new Group();
  #container: HTMLElement;
  #frame = 0;
  #interaction: SkyInteraction;

  constructor(container: HTMLElement, cb: SkyCallbacks) {
    this.#renderer = new WebGLRenderer({ antialias: true });
    this.#renderer.setPixelRatio(globalThis.devicePixelRatio || 1);
    this.#renderer.setClearColor(new Color('#05070d'));
    this.canvas = this.#renderer.domElement;
    container.append(this.canvas);
    this.#labels = document.createElement('div');
    this.#labels.className = 'sky-labels';
    container.append(this.#labels);
    this.#container = container;
    this.#grid = new SkyGrid(this.#labels, FLAT_RA0);
    this.#buildScene();
    this.#interaction = new SkyInteraction(this, container, cb);
    this.resize(container.clientWidth, container.clientHeight);
  }

  #buildScene(): void {
    this.#globe.add(this.#spin);
    this.#spin.add(new Mesh(new SphereGeometry(0.995, 64, 32), new MeshBasicMaterial({ color: '#101830' })));
    this.#spin.add(this.#bgGlobe, this.#grid.globe);
    this.#spin.add(this.#globePts, this.#hiGlobe, this.#ovGlobe);
    const ellipse = new Shape(new EllipseCurve(0, 0, 2 * Math.SQRT2, Math.SQRT2).getPoints(128));
    const bg = new Mesh(new ShapeGeometry(ellipse), new MeshBasicMaterial({ color: '#101830' }));
    bg.position.z = -0.5;
    this.#flat.add(bg, this.#bgFlat, this.#grid.flat);
    this.#flatPts.position.z = 0.1;
    this.#hiFlat.position.z = 0.2;
    this.#ovFlat.position.z = 0.3;
    this.#flat.add(this.#flatPts, this.#hiFlat, this.#ovFlat);
    this.#scene.add(this.#globe, this.#flat);
    this.setBackground(BUNDLED_SKY);
  }

  /** replaces the background HiPS (the bundled placeholder: BUNDLED_SKY) */
  setBackground(o: HipsBackgroundOptions): void {
    for (const g of [this.#bgGlobe, this.#bgFlat]) {
      for (const c of [...g.children]) {
        g.remove(c);
        disposeBackground(c as Group);
      }
    }
    const onTile = () => this.requestRender();
    const textures = hipsTextures(o, onTile);
    this.#bgGlobe.add(hipsBackground(o, textures, onTile));
    this.#bgFlat.add(hipsFlatBackground(o, textures, FLAT_RA0, onTile));
    this.requestRender();
  }

  /** the angular size (degrees) of the shorter side of the view */
  fovDeg(): number {
    const c = this.#camera,
      half = Math.min(c.top, c.right) / c.zoom;
    return this.mode === 'globe' ? (2 * Math.asin(Math.min(1, half)) * 180) / Math.PI : Math.min(360, (((2 * half) / Math.SQRT2) * 180) / Math.PI);
  }

  /** the sky position at the centre of the view */
  centre(): [number, number] {
    if (this.mode === 'globe') return [this.ra0, this.dec0];
    return inverseHammer(this.#camera.position.x, this.#camera.position.y, FLAT_RA0) ?? [FLAT_RA0, 0];
  }

  /**
   * the draw order (gfx/draw-order: the filters' objects, high scores last, on top), null = all in index order;
   * #rank[i] = its position in it, -1 = not drawn (picking skips those)
   */
  #drawOrder: Int32Array | null = null;
  #rank: Int32Array | null = null;

  setPoints(ra: Float32Array, dec: Float32Array, rgba: Uint8Array, drawOrder: Int32Array | null = null): void {
    clearTimeout(this.#lodTimer);
    this.#ra = ra;
    this.#dec = dec;
    this.#projector = new SkyProjector(ra, dec, FLAT_RA0);
    this.#rgba = rgba;
    this.#order = ra.length > this.budget ? thinningOrder(ra.length) : null;
    this.#setDrawOrder(drawOrder);
    this.fitToData();
    this.#rebuildPoints();
  }

  #setDrawOrder(order: Int32Array | null): void {
    const n = this.#ra.length;
    this.#drawOrder = order && order.length <= n ? order : null;
    this.#rank = this.#drawOrder ? new Int32Array(n).fill(-1) : null;
    this.#drawOrder?.forEach((i, k) => {
      this.#rank![i] = k;
    });
  }

  /** new colours and/or draw order for the same points */
  setDrawn(rgba: Uint8Array, drawOrder: Int32Array | null): void {
    if (rgba.length !== this.#ra.length * 4) return;
    if (drawOrder === this.#drawOrder) return this.setColours(rgba);
    this.#rgba = rgba;
    this.#setDrawOrder(drawOrder);
    this.#rebuildPoints();
  }

  #shown(i: number): boolean {
    return !this.#rank || this.#rank[i] >= 0;
  }

  /** the point geometries: every object, or the thinned objects on screen */
  #rebuildPoints(): void {
    clearTimeout(this.#lodTimer);
    const n = this.#ra.length;
    let ra = this.#ra,
      dec = this.#dec,
      inView = n;
    this.#drawnIdx = this.#drawOrder;
    const rank = this.#rank;
    if (this.#order) {
      const frame = this.#view();
      const w = (frame.width ||= 400),
        h = (frame.height ||= 400),
        mw = w * LOD_MARGIN,
        mh = h * LOD_MARGIN;
      const project = this.#projector.project(frame),
        p = new Float64Array(2);
      const sel = selectInView(
        this.#order,
        (i) => {
          if (rank && rank[i] < 0) return false;
          return project(i, p) && p[0] >= -mw && p[0] <= w + mw && p[1] >= -mh && p[1] <= h + mh;
        },
        this.budget,
      );
      if (rank) sel.indices.sort((a, b) => rank[a] - rank[b]); // the draw order within the thinned sample
      this.#drawnIdx = sel.indices;
      inView = sel.inView;
    } else if (this.#drawOrder) inView = this.#drawOrder.length;
    if (this.#drawnIdx) {
      ra = gatherRows(this.#ra, 1, this.#drawnIdx);
      dec = gatherRows(this.#dec, 1, this.#drawnIdx);
    }
    this.#colour = new BufferAttribute(this.#drawnColours(), 4, true);
    const g = new BufferGeometry().setAttribute('position', new BufferAttribute(unitVectors(ra, dec, 1.002), 3)).setAttribute('color', this.#colour);
    const f = new BufferGeometry().setAttribute('position', new BufferAttribute(hammerPoints(ra, dec, FLAT_RA0), 3)).setAttribute('color', this.#colour);
    this.#globePts.geometry.dispose();
    this.#flatPts.geometry.dispose();
    this.#globePts.geometry = g;
    this.#flatPts.geometry = f;
    this.requestRender();
    this.onDrawn?.({ points: n, drawn: ra.length, inView, budget: this.budget });
  }

  #drawnColours(): Uint8Array {
    const idx = this.#drawnIdx,
      rgba = this.#rgba;
    if (!idx) return rgba;
    return rgba.length === this.#ra.length * 4 ? gatherRows(rgba, 4, idx) : new Uint8Array(idx.length * 4).fill(200);
  }

  #scheduleLod(): void {
    if (!this.#order) return;
    clearTimeout(this.#lodTimer);
    this.#lodTimer = setTimeout(() => this.#rebuildPoints(), LOD_SETTLE_MS);
  }

  /** centres the view on the points and zooms so they fill about 80% of it */
  fitToData(): void {
    const n = this.#ra.length;
    if (!n) return;
    const v = unitVectors(this.#ra, this.#dec);
    let x = 0,
      y = 0,
      z = 0;
    for (let i = 0; i < n; i++) {
      x += v[3 * i];
      y += v[3 * i + 1];
      z += v[3 * i + 2];
    }
    const len = Math.hypot(x, y, z) || 1;
    [x, y, z] = [x / len, y / len, z / len];
    let minDot = 1;
    for (let i = 0; i < n; i++) minDot = Math.min(minDot, v[3 * i] * x + v[3 * i + 1] * y + v[3 * i + 2] * z);
    const radius = Math.acos(Math.max(-1, Math.min(1, minDot)));
    this.ra0 = (Math.atan2(-x, z) / D2R + 360) % 360;
    this.dec0 = Math.asin(y) / D2R;
    const c = this.#camera;
    c.position.set(0, 0, 5);
    if (this.mode === 'globe') c.zoom = Math.max(1, Math.min(200, 0.8 / Math.max(Math.sin(Math.min(radius, Math.PI / 2)), 1e-3)));
    else {
      const [hx, hy] = hammer(this.ra0, this.dec0, FLAT_RA0);
      c.position.set(hx, hy, 5);
      c.zoom = Math.max(1, Math.min(200, 0.8 / Math.max(radius * 1.2, 1e-3)));
    }
    c.updateProjectionMatrix();
    this.requestRender();
    this.#scheduleLod();
  }

  setColours(rgba: Uint8Array): void {
    if (this.#rgba === rgba || rgba.length !== this.#ra.length * 4) return;
    this.#rgba = rgba;
    this.#colour = new BufferAttribute(this.#drawnColours(), 4, true);
    this.#globePts.geometry.setAttribute('color', this.#colour);
    this.#flatPts.geometry.setAttribute('color', this.#colour);
    this.requestRender();
  }

  setHighlight(indices: Int32Array): void {
    const ra = new Float32Array(indices.length),
      dec = new Float32Array(indices.length);
    indices.forEach((k, i) => {
      ra[i] = this.#ra[k];
      dec[i] = this.#dec[k];
    });
    const white = new BufferAttribute(new Uint8Array(indices.length * 4).fill(255), 4, true);
    this.#hiGlobe.geometry.dispose();
    this.#hiFlat.geometry.dispose();
    this.#hiGlobe.geometry = new BufferGeometry().setAttribute('position', new BufferAttribute(unitVectors(ra, dec, 1.004), 3)).setAttribute('color', white);
    this.#hiFlat.geometry = new BufferGeometry().setAttribute('position', new BufferAttribute(hammerPoints(ra, dec, FLAT_RA0), 3)).setAttribute('color', white);
    this.requestRender();
  }

  /** markers of a user catalogue (empty arrays clear them) */
  setOverlay(ra: Float32Array, dec: Float32Array): void {
    const colour = new Uint8Array(ra.length * 4);
    for (let i = 0; i < ra.length; i++) colour.set([255, 60, 230, 255], 4 * i);
    const attr = new BufferAttribute(colour, 4, true);
    this.#ovGlobe.geometry.dispose();
    this.#ovFlat.geometry.dispose();
    this.#ovGlobe.geometry = new BufferGeometry().setAttribute('position', new BufferAttribute(unitVectors(ra, dec, 1.006), 3)).setAttribute('color', attr);
    this.#ovFlat.geometry = new BufferGeometry().setAttribute('position', new BufferAttribute(hammerPoints(ra, dec, FLAT_RA0), 3)).setAttribute('color', attr);
    this.requestRender();
  }

  setMode(mode: SkyProjectionMode): void {
    this.mode = mode;
    this.resize(this.canvas.clientWidth, this.canvas.clientHeight);
    this.fitToData();
  }

  resize(w: number, h: number): void {
    if (w <= 0 || h <= 0) return;
    this.#renderer.setSize(w, h, true);
    const a = w / h;
    const hs = this.mode === 'globe' ? 1.08 * Math.max(1, 1 / a) : Math.max(1.5, (2 * Math.SQRT2 * 1.04) / a);
    Object.assign(this.#camera, { left: -a * hs, right: a * hs, top: hs, bottom: -hs });
    this.#camera.position.z = 5;
    this.#camera.updateProjectionMatrix();
    this.requestRender();
    this.#scheduleLod();
  }

  /** CSS pixels of the canvas → [ra, dec] degrees; null off the globe / outside the all-sky ellipse */
  toSky(sx: number, sy: number): [number, number] | null {
    const c = this.#camera,
      w = this.canvas.clientWidth,
      h = this.canvas.clientHeight;
    if (!w || !h) return null;
    const x = ((2 * sx) / w - 1) * (c.right / c.zoom) + c.position.x,
      y = (1 - (2 * sy) / h) * (c.top / c.zoom) + c.position.y;
    if (this.mode !== 'globe') return inverseHammer(x, y, FLAT_RA0);
    const r2 = x * x + y * y;
    if (r2 > 1) return null;
    const z = Math.sqrt(1 - r2),
      t = this.dec0 * D2R;
    const vy = y * Math.cos(t) + z * Math.sin(t),
      vz = -y * Math.sin(t) + z * Math.cos(t);
    const dec = Math.asin(Math.max(-1, Math.min(1, vy))) / D2R;
    const ra = (((this.ra0 + Math.atan2(-x, vz) / D2R) % 360) + 360) % 360;
    return [ra, dec];
  }

  /** centres the view on (ra, dec), zooming in to at least `zoom` */
  centreOn(ra: number, dec: number, zoom = 8): void {
    const c = this.#camera;
    if (this.mode === 'globe') {
      this.ra0 = ((ra % 360) + 360) % 360;
      this.dec0 = Math.max(-90, Math.min(90, dec));
      c.position.set(0, 0, 5);
    } else {
      const [hx, hy] = hammer(ra, dec, FLAT_RA0);
      c.position.set(hx, hy, 5);
    }
    c.zoom = Math.max(c.zoom, Math.min(200, zoom));
    c.updateProjectionMatrix();
    this.requestRender();
    this.#scheduleLod();
  }

  /** the current view, for sky-project.ts (the camera and the canvas size read once) */
  #view(): SkyFrame {
    const c = this.#camera;
    return {
      mode: this.mode,
      ra0: this.ra0,
      dec0: this.dec0,
      camX: c.position.x,
      camY: c.position.y,
      zoom: c.zoom,
      right: c.right,
      top: c.top,
      width: this.canvas.clientWidth,
      height: this.canvas.clientHeight,
    };
  }

  /** world → CSS pixels of the canvas; null when on the far side of the globe */
  toScreen(ra: number, dec: number): [number, number] | null {
    return pointToScreen(this.#view(), ra, dec, FLAT_RA0);
  }

  /** object indices inside a screen rectangle; `nearest` for a click */
  pickRect(ax: number, ay: number, bx: number, by: number): Int32Array {
    const out: number[] = [];
    const [x0, x1, y0, y1] = [Math.min(ax, bx), Math.max(ax, bx), Math.min(ay, by), Math.max(ay, by)];
    const project = this.#projector.project(this.#view()),
      p = new Float64Array(2);
    for (let i = 0; i < this.#ra.length; i++) {
      if (!this.#shown(i)) continue;
      if (project(i, p) && p[0] >= x0 && p[0] <= x1 && p[1] >= y0 && p[1] <= y1) out.push(i);
    }
    return Int32Array.from(out);
  }

  nearest(sx: number, sy: number, maxPx = 8): number | null {
    let best: number | null = null,
      bestD = maxPx * maxPx;
    const rank = this.#rank;
    const project = this.#projector.project(this.#view()),
      p = new Float64Array(2);
    for (let i = 0; i < this.#ra.length; i++) {
      if (rank && rank[i] < 0) continue;
      if (!project(i, p)) continue;
      const d = (p[0] - sx) ** 2 + (p[1] - sy) ** 2;
      // ties: the one drawn on top
      if (d < bestD || (d === bestD && rank && best !== null && rank[i] > rank[best])) {
        bestD = d;
        best = i;
      }
    }
    return best;
  }

  /** drag by a pixel offset: rotates the globe or pans the all-sky view */
  dragBy(dx: number, dy: number): void {
    const c = this.#camera,
      h = this.canvas.clientHeight || 1;
    const perPx = (2 * c.top) / c.zoom / h;
    if (this.mode === 'globe') {
      this.ra0 = (((this.ra0 - (dx * perPx) / D2R) % 360) + 360) % 360;
      this.dec0 = Math.max(-90, Math.min(90, this.dec0 + (dy * perPx) / D2R));
    } else {
      c.position.x -= dx * perPx;
      c.position.y += dy * perPx;
    }
    this.requestRender();
    this.#scheduleLod();
  }

  zoomBy(factor: number): void {
    this.#camera.zoom = Math.max(0.5, Math.min(200, this.#camera.zoom * factor));
    this.#camera.updateProjectionMatrix();
    this.requestRender();
    this.#scheduleLod();
  }

  requestRender(): void {
    if (this.#frame) return;
    this.#frame = requestAnimationFrame(() => {
      this.#frame = 0;
      this.renderNow();
    });
  }

  renderNow(): void {
    this.#globe.visible = this.mode === 'globe';
    this.#flat.visible = this.mode === 'aitoff';
    this.#globe.rotation.x = this.dec0 * D2R;
    this.#spin.rotation.y = this.ra0 * D2R;
    const [cra, cdec] = this.centre(),
      fov = this.fovDeg();
    this.#grid.update(cra, cdec, fov);
    this.#renderer.render(this.#scene, this.#camera);
    this.#grid.place((ra, dec) => this.toScreen(ra, dec), cra, cdec);
    Object.assign(this.#container.dataset, {
      fov: fov.toPrecision(4),
      gridStep: String(+(this.#grid.step * 60).toFixed(4)),
      centre: `${cra.toFixed(5)},${cdec.toFixed(5)}`,
    });
  }

  /** the grid step (degrees) and the labels shown */
  gridState(): { step: number; labels: string[] } {
    return { step: this.#grid.step, labels: this.#grid.visibleLabels() };
  }

  destroy(): void {
    clearTimeout(this.#lodTimer);
    cancelAnimationFrame(this.#frame);
    this.#interaction.destroy();
    this.#grid.dispose();
    for (const g of [this.#bgGlobe, this.#bgFlat]) disposeBackground(g);
    this.#renderer.dispose();
    this.canvas.remove();
    this.#labels.remove();
  }
}
