/**
 * The engine host seen from the Electron main process: a utilityProcess
 * running out/main/engine-host.js (main/node/host/engine-host.ts), the
 * control channel to it (control.ts's ops, replies as data), and one
 * MessageChannelMain per renderer page: one end to the host, the other to
 * the page's preload. The main process itself never loads the engine.
 * When the host dies it is started again (at most MAX_RESTARTS times a
 * minute) and every window gets a fresh port; after that `onGiveUp` shows
 * the error.
 */
import { MessageChannelMain, utilityProcess, type UtilityProcess, type WebContents } from 'electron';
import { AppError, fromErrorData } from '../../app/core/errors';
import type { Reply } from '../../app/contracts';
import type { ControlEvent, ControlOps } from '../node/host/control';

/** the preload asks for its port on HELLO_CHANNEL and receives it on PORT_CHANNEL (repeated in main/preload) */
export const HELLO_CHANNEL = 'latent-sky:hello';
export const PORT_CHANNEL = 'latent-sky:port';
const MAX_RESTARTS = 3;

export interface HostHooks {
  onEvent(e: ControlEvent): void;
  /** a fresh host after a crash: reconnect windows, reopen the workspace */
  onRestart(): void;
  onGiveUp(reason: string): void;
}

export class EngineHostProcess {
  #child: UtilityProcess | null = null;
  #ready: Promise<void> = Promise.resolve();
  #pending = new Map<number, (r: Reply<unknown>) => void>();
  #next = 1;
  #stopping = false;
  #restarts: number[] = [];

  constructor(readonly entry: string, readonly userData: string, readonly hooks: HostHooks) {}

  start(): Promise<void> {
    const child = (this.#child = utilityProcess.fork(this.entry, [], { serviceName: 'Latent Sky engine', stdio: 'inherit' }));
    this.#ready = new Promise<void>((ok, fail) => {
      child.on('message', (m: { t?: string; id?: number; reply?: Reply<unknown>; event?: ControlEvent; error?: { message: string } }) => {
        if (m?.t === 'ready') ok();
        else if (m?.t === 'fatal') fail(new Error(`the engine could not start: ${m.error?.message}`));
        else if (m?.t === 'ctl-res' && typeof m.id === 'number') {
          this.#pending.get(m.id)?.(m.reply!);
          this.#pending.delete(m.id);
        } else if (m?.t === 'ctl-evt' && m.event) this.hooks.onEvent(m.event);
      });
      child.once('exit', (code) => {
        fail(new Error(`the engine process exited (code ${code}) before it was ready`));
        this.#exited(child, code);
      });
    });
    child.postMessage({ t: 'init', userData: this.userData });
    return this.#ready;
  }

  #exited(child: UtilityProcess, code: number): void {
    if (this.#child !== child) return;
    this.#child = null;
    for (const answer of this.#pending.values()) answer({ ok: false, error: { code: 'UNAVAILABLE', message: `the engine process exited (code ${code})` } });
    this.#pending.clear();
    if (this.#stopping) return;
    const now = Date.now();
    this.#restarts = [...this.#restarts.filter((t) => now - t < 60_000), now];
    if (this.#restarts.length > MAX_RESTARTS) {
      this.hooks.onGiveUp(`the engine process stopped ${this.#restarts.length} times in a minute (last exit code ${code})`);
      return;
    }
    console.error(`latent-sky: the engine process exited (code ${code}); starting it again`);
    this.start().then(() => this.hooks.onRestart(), (e) => this.hooks.onGiveUp((e as Error).message));
  }

  async call<K extends keyof ControlOps>(op: K, arg?: Parameters<ControlOps[K]>[0]): Promise<Awaited<ReturnType<ControlOps[K]>>> {
    await this.#ready;
    const child = this.#child;
    if (!child) throw new AppError('UNAVAILABLE', 'the engine process is not running');
    const id = this.#next++;
    const reply = await new Promise<Reply<unknown>>((ok) => {
      this.#pending.set(id, ok);
      child.postMessage({ t: 'ctl', id, op, arg });
    });
    if (!reply.ok) throw fromErrorData(reply.error);
    return reply.value as Awaited<ReturnType<ControlOps[K]>>;
  }

  /** a new channel between the host and the page in `contents` (its preload asked on HELLO_CHANNEL) */
  async connect(contents: WebContents): Promise<void> {
    await this.#ready;
    if (!this.#child || contents.isDestroyed()) return;
    const { port1, port2 } = new MessageChannelMain();
    this.#child.postMessage({ t: 'connect' }, [port1]);
    contents.postMessage(PORT_CHANNEL, null, [port2]);
  }

  /** closes the engine (workspace, jobs, SAMP) and ends the process */
  async stop(): Promise<void> {
    this.#stopping = true;
    const child = this.#child;
    if (!child) return;
    await Promise.race([this.call('close').catch(() => undefined), new Promise((ok) => setTimeout(ok, 5000))]);
    if (this.#child) this.#child.kill();
  }
}
