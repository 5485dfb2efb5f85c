/** Pointer handling for the sky map: drag, wheel zoom, click pick, shift-drag box select. */
import type { SkyMap } from './sky';

export interface SkyCallbacks {
  onClick(idx: number | null): void;
  onBoxSelect(indices: Int32Array): void;
}

export class SkyInteraction {
  #box: HTMLDivElement;
  #off: () => void;

  constructor(sky: SkyMap, container: HTMLElement, cb: SkyCallbacks) {
    const el = sky.canvas;
    this.#box = document.createElement('div');
    this.#box.className = 'select-box';
    container.append(this.#box);
    let start: { x: number; y: number; shift: boolean } | null = null;
    let last = { x: 0, y: 0 };
    let moved = false;
    const local = (e: PointerEvent | WheelEvent) => {
      const r = el.getBoundingClientRect();
      return { x: e.clientX - r.left, y: e.clientY - r.top };
    };
    const down = (e: PointerEvent) => {
      const p = local(e);
      start = { ...p, shift: e.shiftKey };
      last = p;
      moved = false;
      el.setPointerCapture(e.pointerId);
    };
    const move = (e: PointerEvent) => {
      if (!start) return;
      const p = local(e);
      if (Math.abs(p.x - start.x) + Math.abs(p.y - start.y) > 3) moved = true;
      if (start.shift) {
        Object.assign(this.#box.style, {
          display: 'block',
          left: `${Math.min(p.x, start.x)}px`,
          top: `${Math.min(p.y, start.y)}px`,
          width: `${Math.abs(p.x - start.x)}px`,
          height: `${Math.abs(p.y - start.y)}px`,
        });
      } else {
        sky.dragBy(p.x - last.x, p.y - last.y);
      }
      last = p;
    };
    const up = (e: PointerEvent) => {
      if (!start) return;
      const p = local(e);
      this.#box.style.display = 'none';
      if (start.shift && moved) cb.onBoxSelect(sky.pickRect(start.x, start.y, p.x, p.y));
      else if (!moved) cb.onClick(sky.nearest(p.x, p.y));
      start = null;
    };
    const wheel = (e: WheelEvent) => {
      e.preventDefault();
      sky.zoomBy(Math.exp(-e.deltaY * 0.0015));
    };
    el.addEventListener('pointerdown', down);
    el.addEventListener('pointermove', move);
    el.addEventListener('pointerup', up);
    el.addEventListener('wheel', wheel, { passive: false });
    this.#off = () => {
      el.removeEventListener('pointerdown', down);
      el.removeEventListener('pointermove', move);
      el.removeEventListener('pointerup', up);
      el.removeEventListener('wheel', wheel);
      this.#box.remove();
    };
  }

  destroy(): void {
    this.#off();
  }
}
