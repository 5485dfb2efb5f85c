import { spawn } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { AppError } from '@app/core/errors';
import { ensureRendererBuilt } from '../../devhost/build';
import { startDevHost } from '../../devhost/server';
import { inProcessEngine, tools } from '../engine';
import { parseCommandArgs, parseIntFlag, type Command } from '../command';

const usage = `usage: latent-sky serve [WORKSPACE] [--demo] [--count N] [--port P] [--token T] [--allow DIR]... [--open] [--rebuild] [--no-samp]

Serves the app to a web browser on this machine (http://127.0.0.1:P/?token=...)
and bridges the engine over a loopback WebSocket guarded by the token in the URL.
  WORKSPACE      workspace folder to open
  --demo         open the demo workspace (created in ~/.latent-sky/demo-N on first use:
                 synthetic survey, embedded, projected)
  --count N      objects in the demo workspace (default 2000)
  --port P       port (default 0: any free port)
  --allow DIR    a folder the page may name (import sources, new workspaces); repeatable.
                 The opened workspace, ~/.latent-sky and recent workspaces are always allowed
  --token T      access token (16+ letters, digits, - or _; default: random). With a fixed
                 --port and --token the same URL works again after a restart, and open
                 pages reconnect by themselves
  --open         open the URL in the default browser
  --rebuild      rebuild the renderer even when out/renderer exists
  --no-samp      do not register with a running SAMP hub at start (connect from the app)`;

function openBrowser(url: string): void {
  const cmd = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'cmd' : 'xdg-open';
  const args = process.platform === 'win32' ? ['/c', 'start', '', url] : [url];
  spawn(cmd, args, { detached: true, stdio: 'ignore' })
    .on('error', () => undefined)
    .unref();
}

const serve: Command = {
  summary: 'serve the app to a browser on 127.0.0.1 (dev host)',
  usage,
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs(
      argv,
      {
        demo: { type: 'boolean' },
        count: { type: 'string' },
        port: { type: 'string' },
        token: { type: 'string' },
        allow: { type: 'string', multiple: true },
        open: { type: 'boolean' },
        rebuild: { type: 'boolean' },
        'no-samp': { type: 'boolean' },
      },
      usage,
    );
    const port = parseIntFlag(values.port, 'port', 0, 0);
    if (port > 65535) throw new AppError('BAD_INPUT', `--port must be <= 65535\n${usage}`);
    const token = values.token;
    if (token !== undefined && !/^[\w-]{16,128}$/.test(token)) throw new AppError('BAD_INPUT', `--token must be 16 to 128 letters, digits, - or _\n${usage}`);
    const count = parseIntFlag(values.count, 'count', 2000, 16);
    if (positionals.length > 1) throw new AppError('BAD_INPUT', `one WORKSPACE at most\n${usage}`);
    const home = tools.models.home();
    const engine = await inProcessEngine();
    for (const dir of values.allow ?? []) {
      if (!existsSync(resolve(dir)) || !statSync(resolve(dir)).isDirectory()) throw new AppError('BAD_INPUT', `--allow ${dir}: not a folder`);
      engine.paths.allow(resolve(dir));
    }
    const rendererDir = await ensureRendererBuilt({ force: values.rebuild, log: io.err });
    if (positionals[0]) engine.open(resolve(positionals[0]));
    else if (values.demo) {
      const dir = join(home, `demo-${count}`);
      if (tools.workspace.isWorkspace(dir) && !tools.demo.isUnfinished(dir)) engine.open(dir);
      else {
        const job = await engine.workspace.createDemo({ path: dir, count, seed: 1 });
        io.err(`creating the demo workspace in ${dir} (progress in the app)`);
        void engine.waitForJob(job.id).then((j) => io.err(`demo workspace: ${j.state}${j.error ? ` (${j.error.message})` : ''}`));
      }
    }
    const host = await startDevHost({ engine, context: engine.validationContext, rendererDir, port, token });
    io.out(host.url);
    if (!values['no-samp']) void engine.samp.connect({}).then((s) => io.err(`SAMP: ${s.state === 'connected' ? `connected as ${s.selfId}` : s.reason}`));
    if (values.open) openBrowser(host.url);
    await new Promise<void>((ok) => io.signal.addEventListener('abort', () => ok(), { once: true }));
    await host.close();
    await engine.close();
    return 0;
  },
};

export default serve;
