/**
 * The sky map's adaptive RA/Dec graticule (three.js line segments on the
 * globe and on the all-sky ellipse, HTML labels), rebuilt from
 * app/sky/graticule when the field of view calls for another step or the
 * view moves out of the window the lines cover.
 */
import { BufferAttribute, BufferGeometry, LineBasicMaterial, LineSegments } from 'three';
import { formatDecLabel, formatRaLabel, gridLines, gridStep } from '@app/sky/graticule';
import { hammer, unitVectors } from './sky-math';

interface LabelSpec {
  el: HTMLSpanElement;
  ra: number;
  dec: number;
}

export class SkyGrid {
  readonly globe: LineSegments;
  readonly flat: LineSegments;
  step = 30;
  #key = '';
  #labels: LabelSpec[] = [];

  constructor(
    private readonly host: HTMLElement,
    private readonly flatRa0: number,
  ) {
    const mat = new LineBasicMaterial({ color: '#3b4a6b' });
    this.globe = new LineSegments(new BufferGeometry(), mat);
    this.flat = new LineSegments(new BufferGeometry(), mat);
  }

  /** rebuilds the lines and labels when the step or the covered window changes */
  update(ra0: number, dec0: number, fovDeg: number): void {
    const step = gridStep(fovDeg);
    const wide = fovDeg >= 90;
    const snapRa = wide ? 0 : Math.round(ra0 / (step * 2)),
      snapDec = wide ? 0 : Math.round(dec0 / (step * 2));
    const key = `${step}:${wide}:${snapRa}:${snapDec}:${wide ? 0 : Math.round(Math.log2(fovDeg / step))}`;
    if (key === this.#key) return;
    this.#key = key;
    this.step = step;
    const g = gridLines(ra0, dec0, fovDeg, step);
    const segsGlobe: number[] = [],
      segsFlat: number[] = [];
    for (const line of g.lines) {
      const ra = Float32Array.from(line, (p) => p[0]),
        dec = Float32Array.from(line, (p) => p[1]);
      const v = unitVectors(ra, dec, 1.001);
      for (let k = 0; k + 1 < line.length; k++) {
        segsGlobe.push(v[3 * k], v[3 * k + 1], v[3 * k + 2], v[3 * k + 3], v[3 * k + 4], v[3 * k + 5]);
        const pa = hammer(line[k][0], line[k][1], this.flatRa0),
          pb = hammer(line[k + 1][0], line[k + 1][1], this.flatRa0);
        if (Math.abs(pa[0] - pb[0]) < 1) segsFlat.push(pa[0], pa[1], 0, pb[0], pb[1], 0);
      }
    }
    this.#set(this.globe, segsGlobe);
    this.#set(this.flat, segsFlat);
    for (const l of this.#labels) l.el.remove();
    this.#labels = [];
    // RA labels on the parallel through the view centre, Dec labels on its meridian (NaN = the centre's)
    const raStep = wide ? Math.max(step, 30) : step;
    for (const r of g.ras) if (wide ? r % raStep === 0 : true) this.#add(formatRaLabel(r, step), r, NaN);
    for (const d of g.decs) this.#add(formatDecLabel(d, step), NaN, d);
  }

  /** places the labels; `toScreen` null = not visible */
  place(toScreen: (ra: number, dec: number) => [number, number] | null, centreRa: number, centreDec: number): void {
    const w = this.host.clientWidth,
      h = this.host.clientHeight;
    for (const l of this.#labels) {
      const p = toScreen(Number.isNaN(l.ra) ? centreRa : l.ra, Number.isNaN(l.dec) ? Math.max(-80, Math.min(80, centreDec)) : l.dec);
      const shown = !!p && p[0] >= 0 && p[0] < w - 20 && p[1] >= 12 && p[1] < h;
      l.el.style.display = shown ? '' : 'none';
      if (shown) l.el.style.transform = `translate(${p![0] + 3}px, ${p![1] - 14}px)`;
    }
  }

  /** the labels shown now (for the DOM readers: tests, screen readers) */
  visibleLabels(): string[] {
    return this.#labels.filter((l) => l.el.style.display !== 'none').map((l) => l.el.textContent ?? '');
  }

  #add(text: string, ra: number, dec: number): void {
    const el = document.createElement('span');
    el.textContent = text;
    el.className = Number.isNaN(dec) ? 'grid-ra' : 'grid-dec';
    el.style.fontSize = '10px';
    this.host.append(el);
    this.#labels.push({ el, ra, dec });
  }

  #set(lines: LineSegments, segs: number[]): void {
    lines.geometry.dispose();
    lines.geometry = new BufferGeometry().setAttribute('position', new BufferAttribute(new Float32Array(segs), 3));
  }

  dispose(): void {
    this.globe.geometry.dispose();
    this.flat.geometry.dispose();
    for (const l of this.#labels) l.el.remove();
  }
}
