import { toErrorData } from '../../../app/core/errors';

export interface Banner {
  id: number;
  code: string;
  message: string;
}

/** Clear error banners: every failed call lands here with its code and one-line message. */
export class Errors {
  items = $state<Banner[]>([]);
  #next = 1;

  report = (e: unknown): void => {
    const d = toErrorData(e);
    if (d.code === 'CANCELLED') return;
    this.items = [...this.items.slice(-4), { id: this.#next++, code: d.code, message: d.message }];
  };

  dismiss(id: number): void {
    this.items = this.items.filter((b) => b.id !== id);
  }
}
