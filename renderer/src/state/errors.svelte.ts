import { toErrorData } from '@app/core/errors';

export interface Banner {
  id: number;
  code: string;
  message: string;
  /** how many times this same error was reported (one banner, not a stack of copies) */
  count: number;
}

/** Clear error banners: every failed call lands here with its code and one-line message. */
export class Errors {
  items = $state<Banner[]>([]);
  #next = 1;

  report = (e: unknown): void => {
    const d = toErrorData(e);
    if (d.code === 'CANCELLED') return;
    const same = this.items.find((b) => b.code === d.code && b.message === d.message);
    if (same) {
      this.items = [...this.items.filter((b) => b !== same), { ...same, count: same.count + 1 }];
      return;
    }
    this.items = [...this.items.slice(-4), { id: this.#next++, code: d.code, message: d.message, count: 1 }];
  };

  dismiss(id: number): void {
    this.items = this.items.filter((b) => b.id !== id);
  }

  /** drops every banner of a code (e.g. UNAVAILABLE once the engine is back) */
  dismissCode(code: string): void {
    this.items = this.items.filter((b) => b.code !== code);
  }
}
