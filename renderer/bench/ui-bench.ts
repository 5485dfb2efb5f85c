/**
 * Frame-rate bench page (not part of the app build): ?view=scatter|sky|points&n=N
 * draws N synthetic points with the app's own graphics classes and exposes
 * window.measurePan(ms) → frames per second while panning.
 */
import { BufferAttribute, BufferGeometry, OrthographicCamera, Points, Scene, WebGLRenderer } from 'three';
import { createRng } from '@app/core/rng';
import { CATEGORICAL } from '../src/gfx/colors';
import { pointsMaterial } from '../src/gfx/points-material';
import { ScatterPlot } from '../src/gfx/scatter';
import { SkyMap } from '../src/gfx/sky';

declare global {
  interface Window {
    measurePan(ms: number): Promise<number>;
    benchReady: boolean;
  }
}

const q = new URLSearchParams(location.search);
const n = Number(q.get('n') ?? 200_000);
const view = q.get('view') ?? 'scatter';
const host = document.getElementById('view') as HTMLDivElement;
const rng = createRng(7);
const rgba = new Uint8Array(n * 4);
const xy = new Float32Array(n * 2);
for (let i = 0; i < n; i++) {
  const c = CATEGORICAL[i % 8];
  rgba.set([c[0], c[1], c[2], 220], 4 * i);
  const blob = i % 8;
  xy[2 * i] = Math.cos(blob) * 5 + rng.normal();
  xy[2 * i + 1] = Math.sin(blob) * 5 + rng.normal();
}

let step: () => void;
if (view === 'scatter') {
  const plot = new ScatterPlot(host);
  plot.setPoints(xy, rgba);
  step = () => plot.panBy(4, 1);
} else if (view === 'sky') {
  const ra = new Float32Array(n),
    dec = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    ra[i] = rng.uniform(0, 360);
    dec[i] = (Math.asin(rng.uniform(-1, 1)) * 180) / Math.PI;
  }
  const sky = new SkyMap(host, { onClick: () => undefined, onBoxSelect: () => undefined });
  sky.setPoints(ra, dec, rgba);
  sky.setMode('globe');
  step = () => sky.dragBy(4, 1);
} else {
  // baseline: bare three.js Points of the same 2-D data (no picking, no layers)
  const r = new WebGLRenderer({ antialias: true });
  r.setSize(1000, 700);
  host.append(r.domElement);
  const cam = new OrthographicCamera(-10, 10, 7, -7, -1, 1);
  const pos = new Float32Array(n * 3);
  for (let i = 0; i < n; i++) {
    pos[3 * i] = xy[2 * i];
    pos[3 * i + 1] = xy[2 * i + 1];
  }
  const scene = new Scene();
  scene.add(
    new Points(
      new BufferGeometry().setAttribute('position', new BufferAttribute(pos, 3)).setAttribute('color', new BufferAttribute(rgba, 4, true)),
      pointsMaterial(4),
    ),
  );
  step = () => {
    cam.position.x += 0.01;
    r.render(scene, cam);
  };
}

window.measurePan = (ms) =>
  new Promise((resolve) => {
    let frames = 0;
    const t0 = performance.now();
    const tick = () => {
      step();
      frames++;
      const t = performance.now() - t0;
      if (t < ms) requestAnimationFrame(tick);
      else resolve(frames / (t / 1000));
    };
    requestAnimationFrame(tick);
  });
window.benchReady = true;
