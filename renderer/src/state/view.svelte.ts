import type { ProjectionMethod } from '../../../app/contracts';

export type ColourBy = 'label' | 'score' | 'truth' | `col:${string}`;
export type StretchMode = 'lupton' | 'legacy' | 'asinh' | 'sqrt' | 'log' | 'linear';
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
  stretch = $state<StretchMode>('lupton');
  /** band index for single-band stretches */
  band = $state(1);
  /** Lupton Q / asinh softening scale */
  q = $state(8);
  /** brightness scale */
  scale = $state(1);
  zoom = $state(4);
  overlay = $state(false);
  overlayOpacity = $state(0.6);
}
