/**
 * Keeps one engine host process (main/node/host/engine-host.ts) running for
 * the shell: starts it, speaks the control channel (control.ts's ops,
 * replies as data), answers calls still waiting when it dies with
 * UNAVAILABLE, and starts it again (at most maxRestarts times a minute;
 * after that `onGiveUp` shows the error). No electron import: Electron
 * passes a utilityProcess launcher (host-process.ts), tests a worker thread.
 */
import { AppError, fromErrorData } from '@app/core/errors';
import type { Reply } from '@app/contracts';
import type { ControlEvent, ControlOps } from '../node/host/control';

/** the part of Electron's UtilityProcess (or a wrapped Node Worker) we use */
export interface HostChild {
  postMessage(message: unknown, transfer?: unknown[]): void;
  on(event: 'message', listener: (message: any) => void): unknown;
  once(event: 'exit', listener: (code: number) => void): unknown;
  kill(): unknown;
}

export interface HostHooks {
  onEvent(e: ControlEvent): void;
  /** a fresh host after a crash: reconnect windows, reopen the workspace */
  onRestart(): void;
  onGiveUp(reason: string): void;
}

export const MAX_RESTARTS = 3;

export class HostSupervisor {
  #child: HostChild | null = null;
  #ready: Promise<void> = Promise.resolve();
  #pending = new Map<number, (r: Reply<unknown>) => void>();
  #next = 1;
  #stopping = false;
  #restarts: number[] = [];
  #exit: Promise<void> = Promise.resolve();

  constructor(
    readonly launch: () => HostChild,
    readonly userData: string,
    readonly hooks: HostHooks,
    readonly maxRestarts = MAX_RESTARTS,
  ) {}

  /** the running host, once it said it is ready */
  async child(): Promise<HostChild | null> {
    await this.#ready;
    return this.#child;
  }

  start(): Promise<void> {
    const child = (this.#child = this.launch());
    this.#ready = new Promise<void>((ok, fail) => {
      child.on('message', (m: { t?: string; id?: number; reply?: Reply<unknown>; event?: ControlEvent; error?: { message: string } }) => {
        if (m?.t === 'ready') ok();
        else if (m?.t === 'fatal') fail(new AppError('UNAVAILABLE', `the engine could not start: ${m.error?.message}`));
        else if (m?.t === 'ctl-res' && typeof m.id === 'number') {
          this.#pending.get(m.id)?.(m.reply!);
          this.#pending.delete(m.id);
        } else if (m?.t === 'ctl-evt' && m.event) this.hooks.onEvent(m.event);
      });
      this.#exit = new Promise<void>((gone) => child.once('exit', () => gone()));
      child.once('exit', (code) => {
        fail(new AppError('UNAVAILABLE', `the engine process exited (code ${code}) before it was ready`));
        this.#exited(child, code);
      });
    });
    child.postMessage({ t: 'init', userData: this.userData });
    return this.#ready;
  }

  #exited(child: HostChild, code: number): void {
    if (this.#child !== child) return;
    this.#child = null;
    for (const answer of this.#pending.values()) answer({ ok: false, error: { code: 'UNAVAILABLE', message: `the engine process exited (code ${code})` } });
    this.#pending.clear();
    if (this.#stopping) return;
    const now = Date.now();
    this.#restarts = [...this.#restarts.filter((t) => now - t < 60_000), now];
    if (this.#restarts.length > this.maxRestarts) {
      this.hooks.onGiveUp(
        `the engine process stopped ${this.#restarts.length} time${this.#restarts.length === 1 ? '' : 's'} in a minute (last exit code ${code})`,
      );
      return;
    }
    console.error(`latent-sky: the engine process exited (code ${code}); starting it again`);
    this.start().then(
      () => this.hooks.onRestart(),
      (e) => this.hooks.onGiveUp((e as Error).message),
    );
  }

  async call<K extends keyof ControlOps>(op: K, arg?: Parameters<ControlOps[K]>[0]): Promise<Awaited<ReturnType<ControlOps[K]>>> {
    const child = await this.child();
    if (!child) throw new AppError('UNAVAILABLE', 'the engine process is not running');
    const id = this.#next++;
    const reply = await new Promise<Reply<unknown>>((ok) => {
      this.#pending.set(id, ok);
      child.postMessage({ t: 'ctl', id, op, arg });
    });
    if (!reply.ok) throw fromErrorData(reply.error);
    return reply.value as Awaited<ReturnType<ControlOps[K]>>;
  }

  /** closes the engine (workspace, jobs, SAMP) and ends the process; no restart after this */
  async stop(): Promise<void> {
    this.#stopping = true;
    if (!this.#child) return;
    const child = this.#child;
    const timeout = (ms: number) => new Promise((ok) => setTimeout(ok, ms).unref?.());
    await Promise.race([this.call('close').catch(() => undefined), timeout(5000)]);
    await Promise.race([this.#exit, timeout(2000)]); // the host exits by itself after closing the engine
    if (this.#child === child) child.kill();
  }
}
