import type { ProjectionMethod } from '@app/contracts';
import { FIXED_STRETCH, type StretchSettings } from '../gfx/cutout-image';

/** the image grids that can have their own stretch */
export type GridName = 'suggestions' | 'ranked' | 'neighbours' | 'vetting' | 'hover' | 'enlarged';

export type ColourBy = 'label' | 'score' | 'truth' | `col:${string}`;
export type { StretchMode } from '../gfx/stretch-spec';
export type Tab = 'explore' | 'search' | 'vetting';
export type SkyMode = 'globe' | 'aitoff';

const TAB_KEY = 'latent-sky:tab';
const TABS: Tab[] = ['explore', 'search', 'vetting'];

function savedTab(): Tab {
  try {
    const t = localStorage.getItem(TAB_KEY) as Tab | null;
    return t && TABS.includes(t) ? t : 'explore';
  } catch {
    return 'explore';
  }
}

/** View settings shared by the views (colouring, projection, stretch). */
export class ViewSettings {
  /** the open tab, remembered across reloads */
  tab = $state<Tab>(savedTab());

  setTab(t: Tab): void {
    this.tab = t;
    try {
      localStorage.setItem(TAB_KEY, t);
    } catch {
      /* storage unavailable */
    }
  }

  colourBy = $state<ColourBy>('truth');
  /** UMAP when computed (the store falls back to what exists) */
  projection = $state<ProjectionMethod>('umap');
  /** set once the user picks a projection: from then on it is not switched for them */
  projectionChosen = false;
  skyMode = $state<SkyMode>('globe');
  /** the inspector's enlarged cutout (components/StretchPicker.svelte edits it, like every grid's) */
  inspectorStretch = $state<StretchSettings>({ mode: 'legacy', band: 1, q: 8, scale: 1 });
  /** the one stretch every grid uses (thumbnails, galleries, ranked list, neighbours, vetting) */
  gridStretch = $state<StretchSettings>({ ...FIXED_STRETCH });
  /** per-grid overrides of gridStretch (absent: the global one) */
  gridOverrides = $state<Partial<Record<GridName, StretchSettings>>>({});

  stretchFor(grid: GridName): StretchSettings {
    return this.gridOverrides[grid] ?? this.gridStretch;
  }

  setOverride(grid: GridName, s: StretchSettings | null): void {
    const next = { ...this.gridOverrides };
    if (s) next[grid] = s;
    else delete next[grid];
    this.gridOverrides = next;
  }

  /** the inspector cutout's magnification */
  zoom = $state(4);
  overlay = $state(false);
  overlayOpacity = $state(0.6);
  /** false: the true token grid (nearest), true: smoothly upsampled */
  overlaySmooth = $state(false);
}
