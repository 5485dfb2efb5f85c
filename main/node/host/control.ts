/**
 * The control channel between the shell (Electron main, or a test) and the
 * engine host: the few things the shell needs from the engine that are not
 * the renderer's contract (the File menu's native dialogs, the app
 * protocol's cutout PNGs, the menu's recent list and SAMP line).
 *
 *   shell → host  { t: 'init', userData }                    first message
 *                 { t: 'connect', port }                     a client port (served with serve.ts)
 *                 { t: 'ctl', id, op, arg }                  one of CONTROL_OPS
 *   host → shell  { t: 'ready' } | { t: 'fatal', error }
 *                 { t: 'ctl-res', id, reply }                reply as in the contract (errors as data)
 *                 { t: 'ctl-evt', event: ControlEvent }      menu refresh triggers
 */
import type { RecentWorkspace, Reply } from '@app/contracts';
import { AppError, toErrorData } from '@app/core/errors';
import { withTransferables, type HostPort } from './port';
import type { ShellRuntime } from './runtime';

export interface MenuData {
  recent: RecentWorkspace[];
  sampLine: string;
  sampConnected: boolean;
  workspaceOpen: boolean;
}

/** what the shell may ask; each takes at most one plain argument */
export interface ControlOps {
  openChosen(path: string): Promise<string>;
  openRecent(path: string): Promise<string>;
  newDemoIn(path: string): Promise<string>;
  openInitial(args: { workspace?: string; demo?: boolean }): Promise<string>;
  menu(): Promise<MenuData>;
  sampConnect(): Promise<string>;
  sampDisconnect(): Promise<void>;
  sampSendWorkspace(): Promise<void>;
  close(): Promise<void>;
}

export type ControlEvent = { type: 'workspace' } | { type: 'samp' };

export type ControlRequest = { t: 'ctl'; id: number; op: keyof ControlOps; arg?: unknown };

export function controlOps(rt: ShellRuntime): ControlOps {
  let lastSampObject = '';
  rt.samp.onObject((e) => (lastSampObject = ` — last pointer: object ${e.idx} (${e.via} from ${e.sender})`));
  const str = (v: unknown, what: string): string => {
    if (typeof v !== 'string' || !v || v.includes('\0')) throw new AppError('BAD_INPUT', `${what}: a path is needed`);
    return v;
  };
  return {
    openChosen: (p) => rt.openChosen(str(p, 'openChosen')),
    openRecent: async (p) => {
      await rt.engine.workspace.open({ path: str(p, 'openRecent') });
      return `opened ${p}`;
    },
    newDemoIn: (p) => rt.newDemoIn(str(p, 'newDemoIn')),
    openInitial: (a) => rt.openInitial(a && typeof a === 'object' ? a : {}),
    async menu() {
      const s = rt.samp.status;
      const sampLine =
        s.state === 'connected' ? `SAMP: connected as ${s.selfId}${lastSampObject}` : `SAMP: ${s.state === 'no-hub' ? 'no hub' : 'disconnected'} (${s.reason})`;
      return { recent: await rt.recent(), sampLine, sampConnected: s.state === 'connected', workspaceOpen: rt.engine.ctx.open !== null };
    },
    sampConnect: async () => {
      const st = await rt.samp.client.connect();
      return st.state === 'connected' ? '' : `SAMP: ${st.reason}`;
    },
    sampDisconnect: () => rt.samp.client.disconnect(),
    sampSendWorkspace: async () => void (await rt.samp.sendWorkspace()),
    close: () => rt.close(),
  };
}

/** Answers control requests on `port`; pushes menu refresh triggers. */
export function serveControl(port: HostPort, rt: ShellRuntime, ops: ControlOps = controlOps(rt)): void {
  rt.engine.onEvent((e) => {
    if (e.type === 'workspace') port.post({ t: 'ctl-evt', event: { type: 'workspace' } satisfies ControlEvent });
  });
  rt.samp.client.onEvent((e) => {
    if (e.type === 'status') port.post({ t: 'ctl-evt', event: { type: 'samp' } satisfies ControlEvent });
  });
  rt.samp.onObject(() => port.post({ t: 'ctl-evt', event: { type: 'samp' } satisfies ControlEvent }));
  port.onMessage((data) => {
    const m = data as Partial<ControlRequest> | null;
    if (!m || typeof m !== 'object' || m.t !== 'ctl') return; // init/connect are handled by the entry
    const id = typeof m.id === 'number' ? m.id : -1;
    const run = async (): Promise<Reply<unknown>> => {
      try {
        if (typeof m.op !== 'string' || !Object.hasOwn(ops, m.op))
          throw new AppError('BAD_INPUT', `engine host: unknown control op '${String(m.op).slice(0, 40)}'`);
        const fn = ops[m.op] as (arg: unknown) => Promise<unknown>;
        return { ok: true, value: await fn(m.arg) };
      } catch (e) {
        return { ok: false, error: toErrorData(e) };
      }
    };
    void run().then((reply) => {
      const { value, transfer } = withTransferables({ t: 'ctl-res', id, reply }, port.transfersBuffers);
      port.post(value, transfer);
    });
  });
}
