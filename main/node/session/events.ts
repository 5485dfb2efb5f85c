import type { EngineEvent } from '@app/contracts';

/** Engine → renderer events (job progress, workspace changes, labels). */
export class EventBus {
  #listeners = new Set<(e: EngineEvent) => void>();

  onEvent = (listener: (e: EngineEvent) => void): (() => void) => {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  };

  emit(e: EngineEvent): void {
    for (const l of this.#listeners) {
      try {
        l(e);
      } catch {
        // a broken listener (closed socket) must not stop the others
      }
    }
  }
}
