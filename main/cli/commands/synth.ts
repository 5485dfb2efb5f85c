import { basename } from 'node:path';
import { AppError } from '@app/core/errors';
import { tools } from '../engine';
import { parseCommandArgs, parseIntFlag, parseNumberFlag, requirePositional, type CliIO, type Command } from '../command';

const usage = `usage: latent-sky synth WORKSPACE --count N [--seed S] [--size 64] [--pixscale 0.262]
                        [--bands g,r,z] [--center RA,DEC] [--radius DEG] [--append]
                        [--workers K] [--name NAME]

Create a workspace filled with the built-in synthetic survey (Legacy-Survey-
like g, r, z cutouts in nanomaggies, with ground-truth classes), or continue
one: objects are deterministic by index, so rerunning a killed or cancelled
run (Ctrl-C) continues where it stopped, and a larger --count extends it.

  --count N      number of synthetic objects (required)
  --seed S       survey seed (default 1)
  --size PX      cutout side in pixels for a new workspace (default 64)
  --pixscale A   arcsec per pixel for a new workspace (default 0.262)
  --bands LIST   bands for a new workspace (default g,r,z)
  --center RA,DEC  centre of the sky patch in degrees (default 150,2.2)
  --radius DEG   radius of the sky patch in degrees (default 2)
  --append       add the survey after the objects a workspace already holds
                 (ids get the suffix -sSEED); without it a workspace holding
                 other objects is refused
  --workers K    rendering threads (default: 2, or 1 on a single core)
  --name NAME    workspace name for a new workspace (default: folder name)

A progress bar is drawn on stderr when it is a terminal.`;

function progressBar(io: CliIO): { update(done: number, total: number): void; end(): void } {
  const t0 = Date.now();
  let last = 0,
    drawn = false,
    first = -1;
  return {
    update(done, total) {
      if (!io.isTTY) return;
      if (first < 0) first = done;
      const now = Date.now();
      if (now - last < 100 && done < total) return;
      last = now;
      const frac = total ? done / total : 1;
      const width = 30;
      const filled = Math.round(frac * width);
      const rate = (done - first) / Math.max(0.001, (now - t0) / 1000);
      const eta = rate > 0 ? Math.ceil((total - done) / rate) : 0;
      process.stderr.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} objects  ${rate.toFixed(0)}/s  ETA ${eta}s  `);
      drawn = true;
    },
    end() {
      if (drawn) process.stderr.write('\n');
    },
  };
}

const command: Command = {
  summary: 'create (or continue) a workspace of synthetic survey objects',
  usage,
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs(
      argv,
      {
        count: { type: 'string' },
        seed: { type: 'string' },
        size: { type: 'string' },
        pixscale: { type: 'string' },
        bands: { type: 'string' },
        center: { type: 'string' },
        radius: { type: 'string' },
        append: { type: 'boolean' },
        workers: { type: 'string' },
        name: { type: 'string' },
      },
      usage,
    );
    const dir = requirePositional(positionals, 0, 'WORKSPACE', usage);
    if (values.count === undefined) return (io.err(`latent-sky synth: --count is required\n${usage}`), 2);
    const count = parseIntFlag(values.count, 'count', 0, 1);
    const seed = parseIntFlag(values.seed, 'seed', 1, 0);
    const workers = values.workers === undefined ? undefined : parseIntFlag(values.workers, 'workers', 2, 1);
    let center: { ra: number; dec: number } | undefined;
    if (values.center !== undefined) {
      const [ra, dec, more] = values.center.split(',').map(Number);
      if (!Number.isFinite(ra) || !Number.isFinite(dec) || more !== undefined)
        throw new AppError('BAD_INPUT', `--center must be RA,DEC in degrees, got '${values.center}'`);
      center = { ra, dec };
    }
    const radiusDeg = values.radius === undefined ? undefined : parseNumberFlag(values.radius, 'radius', 2);
    const create = {
      name: values.name ?? basename(dir),
      cutout: {
        bands: values.bands ? values.bands.split(',').map((b) => b.trim()) : ['g', 'r', 'z'],
        size: parseIntFlag(values.size, 'size', 64, 16),
        pixscale: parseNumberFlag(values.pixscale, 'pixscale', 0.262),
        unit: 'nanomaggies' as const,
      },
    };
    const bar = progressBar(io);
    const t0 = Date.now();
    try {
      const r = await tools.synth.into(dir, {
        create,
        explicitSize: values.size !== undefined,
        count,
        seed,
        center,
        radiusDeg,
        append: values.append,
        workers,
        signal: io.signal,
        onProgress: bar.update,
      });
      bar.end();
      const secs = (Date.now() - t0) / 1000;
      const what =
        r.added === 0 ? `already complete` : `${r.added} objects added${r.resumedFrom ? ` (resumed at ${r.resumedFrom})` : ''} in ${secs.toFixed(1)} s`;
      io.out(`${r.workspace}: ${what}; ${r.objects} objects in the workspace`);
      return 0;
    } catch (e) {
      bar.end();
      throw e;
    }
  },
};

export default command;
