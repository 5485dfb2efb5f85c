import { existsSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { AppError } from '@app/core/errors';
import { inProcessEngine, tools, type Delivery, type Engine, type SampClient } from '../engine';
import { parseCommandArgs, parseIntFlag, parseNumberFlag, requirePositional, type CliIO, type Command } from '../command';

const usage = `usage: latent-sky samp status
       latent-sky samp send-table FILE [--name NAME]
       latent-sky samp send-workspace WORKSPACE [--search NAME] [--top N]
       latent-sky samp point RA DEC
       latent-sky samp listen [WORKSPACE] [--seconds S]

Talks to VO desktop tools (TOPCAT, Aladin, DS9, ...) through a running SAMP hub
(Standard Profile: ~/.samp, or SAMP_HUB=std-lockurl:file:///...).
  status          the hub and the registered clients
  send-table      table.load.votable of a VOTable file, call-and-wait: one line per
                  recipient with its name and 'ok' (it loaded the table) or its error
  send-workspace  the workspace's objects (idx, id, ra, dec, truth) as a VOTable; with
                  --search, that search's --top (default 500) candidates with scores
  point           coord.pointAt.sky (degrees, ICRS)
  listen          print coord.pointAt.sky / table.highlight.row received (with the nearest
                  object of WORKSPACE) until Ctrl-C or --seconds`;

async function connected(c: SampClient): Promise<void> {
  const s = await c.connect();
  if (s.state !== 'connected') throw new AppError('NETWORK', `SAMP: ${s.reason} (start TOPCAT, Aladin or \`jsamp hub\` first)`);
}

/** one line per recipient: its name and id, then ok or its error; exit 1 when a recipient failed */
function deliveries(io: CliIO, ds: Delivery[]): number {
  if (!ds.length) {
    io.out('no client is subscribed to table.load.votable (start TOPCAT or Aladin)');
    return 0;
  }
  for (const d of ds) io.out(`${d.name} (${d.id}): ${d.ok ? (d.warning ? `ok (warning: ${d.warning})` : 'ok') : d.error}`);
  return ds.every((d) => d.ok) ? 0 : 1;
}

function recipients(io: CliIO, ids: string[]): number {
  io.out(ids.length ? `sent to ${ids.join(', ')}` : 'no client is subscribed to this message');
  return 0;
}

async function openEngine(ws: string, name: string): Promise<Engine> {
  const engine = await inProcessEngine({ samp: { name } });
  engine.use(resolve(ws));
  return engine;
}

const newClient = (name: string) => tools.samp.client({ name });

const samp: Command = {
  summary: 'send tables and positions to VO tools over SAMP, or listen to them',
  usage,
  async run(argv, io) {
    // RA/DEC may be negative: `point` takes its two numbers as they come
    const { values, positionals } =
      argv[0] === 'point'
        ? { values: {} as Record<string, string | undefined>, positionals: argv }
        : parseCommandArgs(argv, { name: { type: 'string' }, search: { type: 'string' }, top: { type: 'string' }, seconds: { type: 'string' } }, usage);
    const [sub] = positionals;
    if (sub === 'status') {
      const c = newClient('latent-sky (cli)');
      const s = await c.connect();
      if (s.state !== 'connected') {
        io.out(`no hub: ${s.reason}`);
        return 0;
      }
      io.out(`connected to ${s.hubUrl} as ${s.selfId}`);
      for (const cl of await c.clients()) io.out(`  ${cl.id.padEnd(8)} ${cl.name}`);
      await c.disconnect();
      return 0;
    }
    if (sub === 'send-table') {
      const file = resolve(requirePositional(positionals, 1, 'FILE', usage));
      if (!existsSync(file)) throw new AppError('NOT_FOUND', `${file} does not exist`);
      const c = newClient('latent-sky (cli)');
      await connected(c);
      try {
        return deliveries(io, await c.sendTableConfirmed(pathToFileURL(file).href, basename(file), values.name ?? basename(file)));
      } finally {
        await c.disconnect();
      }
    }
    if (sub === 'point') {
      if (positionals.length !== 3) throw new AppError('BAD_INPUT', `samp point takes RA and DEC in degrees\n${usage}`);
      const ra = parseNumberFlag(requirePositional(positionals, 1, 'RA', usage), 'ra', 0);
      const dec = parseNumberFlag(requirePositional(positionals, 2, 'DEC', usage), 'dec', 0);
      if (dec < -90 || dec > 90) throw new AppError('BAD_INPUT', `DEC ${dec} is outside [-90, 90]`);
      const c = newClient('latent-sky (cli)');
      await connected(c);
      try {
        return recipients(io, await c.pointAt(ra, dec));
      } finally {
        await c.disconnect();
      }
    }
    if (sub === 'send-workspace') {
      const engine = await openEngine(requirePositional(positionals, 1, 'WORKSPACE', usage), 'latent-sky (cli)');
      const s = engine.sampLink;
      try {
        await connected(s.client);
        const r = values.search ? await s.sendSearch(values.search, parseIntFlag(values.top, 'top', 500)) : await s.sendWorkspace();
        io.out(`${r.table.path} (${r.table.indices.length} rows)`);
        return deliveries(io, r.deliveries);
      } finally {
        await s.client.disconnect();
        await engine.close();
      }
    }
    if (sub === 'listen') {
      const engine = positionals[1] ? await openEngine(positionals[1], 'latent-sky (listen)') : null;
      const s = engine?.sampLink ?? null;
      const client = s?.client ?? newClient('latent-sky (listen)');
      await connected(client);
      client.onEvent((e) => {
        if (e.type === 'pointAt') io.out(`coord.pointAt.sky ra=${e.ra} dec=${e.dec} from ${e.sender}`);
        else if (e.type === 'highlightRow') io.out(`table.highlight.row row=${e.row} table=${e.tableId} from ${e.sender}`);
        else if (e.type === 'selectRows') io.out(`table.select.rowList rows=${e.rows.join(',')} table=${e.tableId} from ${e.sender}`);
        else io.out(`status: ${e.status.state}`);
      });
      s?.onObject((o) => io.out(`  → object ${o.idx}${o.sepDeg !== undefined ? ` (${(o.sepDeg * 3600).toFixed(2)}″ away)` : ''}`));
      const seconds = values.seconds === undefined ? Infinity : parseNumberFlag(values.seconds, 'seconds', 0);
      io.err(`listening as ${client.status.state === 'connected' ? client.status.selfId : '?'} (Ctrl-C to stop)`);
      await new Promise<void>((ok) => {
        io.signal.addEventListener('abort', () => ok(), { once: true });
        if (Number.isFinite(seconds)) setTimeout(ok, seconds * 1000);
      });
      await client.disconnect();
      await engine?.close();
      return 0;
    }
    throw new AppError('BAD_INPUT', `unknown samp subcommand '${sub ?? ''}'\n${usage}`);
  },
};

export default samp;
