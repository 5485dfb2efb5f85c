/** Installed encoder models for the picker; adding a user's model folder (errors become banners). */
import type { ModelInfo } from '@app/contracts';
import type { Api } from '../api/client';
import type { Errors } from './errors.svelte';

export const PIXEL_BASELINE = 'pixel-pca';

export class ModelsState {
  list = $state<ModelInfo[]>([]);
  /** 'name@version', PIXEL_BASELINE, or '' = the default model */
  chosen = $state('');
  adding = $state(false);
  #api: Api;
  #errors: Errors;

  constructor(api: Api, errors: Errors) {
    this.#api = api;
    this.#errors = errors;
  }

  async refresh(): Promise<void> {
    this.list = await this.#api.models.list({});
  }

  /** validates and records a model folder; true when added (it becomes the chosen model) */
  async add(path: string): Promise<boolean> {
    this.adding = true;
    try {
      const m = await this.#api.models.add({ path });
      await this.refresh();
      this.chosen = `${m.name}@${m.version}`;
      return true;
    } catch (e) {
      this.#errors.report(e);
      return false;
    } finally {
      this.adding = false;
    }
  }

  async embed(): Promise<void> {
    try {
      await this.#api.embeddings.startEmbed({ model: this.chosen || null });
    } catch (e) {
      this.#errors.report(e);
    }
  }
}
