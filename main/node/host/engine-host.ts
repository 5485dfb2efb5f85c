/**
 * The engine host: one Engine in its own process, off the Electron main
 * process (synchronous SQLite, fsync, probe fits and matrix reads never
 * block the window). Plain Node, no electron import; the same file runs
 *
 *   - in an Electron utilityProcess (main/electron/host-process.ts forks
 *     out/main/engine-host.js): the control channel is process.parentPort,
 *     client ports are MessagePortMain;
 *   - in a Node worker thread (tests, `new Worker(engine-host)`): the control
 *     channel is worker_threads.parentPort, client ports are MessagePorts.
 *
 * The shell sends { t: 'init', userData } first, then { t: 'connect' } with a
 * port per renderer page (served with the contract dispatcher, serve.ts) and
 * control requests (control.ts). See README "Desktop app".
 */
import { parentPort } from 'node:worker_threads';
import { toErrorData } from '@app/core/errors';
import { controlOps, serveControl } from './control';
import { electronPort, nodePort, type ElectronPortLike, type HostPort } from './port';
import { ShellRuntime } from './runtime';
import { serveClient } from './serve';

const electronParent = (process as unknown as { parentPort?: ElectronPortLike }).parentPort;

function controlPort(): HostPort {
  if (electronParent) return electronPort(electronParent);
  if (parentPort) return nodePort(parentPort);
  throw new Error('engine-host: start it as an Electron utilityProcess or a worker thread');
}

const control = controlPort();
let runtime: ShellRuntime | null = null;

process.on('unhandledRejection', (e) => console.error('engine-host: unhandled rejection', e));

control.onMessage((data, ports) => {
  const m = data as { t?: string; userData?: unknown } | null;
  if (!m || typeof m !== 'object') return;
  if (m.t === 'init' && !runtime) {
    try {
      if (typeof m.userData !== 'string' || !m.userData) throw new Error('init: userData (a folder) is needed');
      const rt = (runtime = new ShellRuntime({ userData: m.userData }));
      const ops = controlOps(rt);
      serveControl(control, rt, {
        ...ops,
        close: async () => {
          await ops.close();
          setTimeout(() => process.exit(0), 20); // after the reply has gone out
        },
      });
      control.post({ t: 'ready', pid: process.pid });
    } catch (e) {
      control.post({ t: 'fatal', error: toErrorData(e) });
    }
    return;
  }
  if (m.t === 'connect' && runtime && ports[0]) {
    serveClient(ports[0], { engine: runtime.engine, context: runtime.engine.validationContext });
  }
});
