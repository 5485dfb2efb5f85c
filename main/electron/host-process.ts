/**
 * The engine host as Electron runs it: a utilityProcess on
 * out/main/engine-host.js (main/node/host/engine-host.ts), kept running by
 * HostSupervisor, and one MessageChannelMain per renderer page: one end to
 * the host, the other to the page's preload. The main process itself never
 * loads the engine.
 */
import { MessageChannelMain, utilityProcess, type WebContents } from 'electron';
import { HostSupervisor, type HostHooks } from './host-supervisor';

/** the preload asks for its port on HELLO_CHANNEL and receives it on PORT_CHANNEL (repeated in main/preload) */
export const HELLO_CHANNEL = 'latent-sky:hello';
export const PORT_CHANNEL = 'latent-sky:port';

export class EngineHostProcess extends HostSupervisor {
  constructor(entry: string, userData: string, hooks: HostHooks) {
    super(() => utilityProcess.fork(entry, [], { serviceName: 'Latent Sky engine', stdio: 'inherit' }), userData, hooks);
  }

  /** a new channel between the host and the page in `contents` (its preload asked on HELLO_CHANNEL) */
  async connect(contents: WebContents): Promise<void> {
    const child = await this.child();
    if (!child || contents.isDestroyed()) return;
    const { port1, port2 } = new MessageChannelMain();
    child.postMessage({ t: 'connect' }, [port1]);
    contents.postMessage(PORT_CHANNEL, null, [port2]);
  }
}
