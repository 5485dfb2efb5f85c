import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { isAppError } from '@app/core/errors';
import type { CliIO, Command } from './command';

const commandsDir = join(dirname(fileURLToPath(import.meta.url)), 'commands');

/** Every file main/cli/commands/NAME.ts is the command `latent-sky NAME`. */
function commandNames(): string[] {
  return readdirSync(commandsDir)
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && !f.startsWith('_'))
    .map((f) => f.slice(0, -3))
    .sort();
}

async function loadCommand(name: string): Promise<Command | undefined> {
  if (!commandNames().includes(name)) return undefined;
  const mod = await import(pathToFileURL(join(commandsDir, `${name}.ts`)).href);
  return mod.default as Command;
}

async function help(io: CliIO): Promise<void> {
  io.out('latent-sky: explore survey objects offline through a self-supervised image encoder\n');
  io.out('usage: latent-sky COMMAND [options]   (latent-sky help COMMAND for details)\n');
  for (const name of commandNames()) {
    const c = await loadCommand(name);
    io.out(`  ${name.padEnd(10)} ${c?.summary ?? ''}`);
  }
}

export async function main(argv: string[]): Promise<number> {
  const ac = new AbortController();
  const onSignal = () => ac.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const io: CliIO = {
    out: (l) => process.stdout.write(l + '\n'),
    err: (l) => process.stderr.write(l + '\n'),
    isTTY: Boolean(process.stderr.isTTY),
    signal: ac.signal,
  };
  const [name, ...rest] = argv;
  try {
    if (!name || name === '--help' || name === '-h') {
      await help(io);
      return name ? 0 : 2;
    }
    if (name === 'help') {
      const c = rest[0] ? await loadCommand(rest[0]) : undefined;
      if (c) io.out(c.usage);
      else await help(io);
      return 0;
    }
    const cmd = await loadCommand(name);
    if (!cmd) {
      io.err(`latent-sky: unknown command '${name}' (try latent-sky --help)`);
      return 2;
    }
    if (rest.includes('--help') || rest.includes('-h')) {
      io.out(cmd.usage);
      return 0;
    }
    return await cmd.run(rest, io);
  } catch (e) {
    if (isAppError(e)) {
      // one line for the user; usage text (after a newline) only for BAD_INPUT
      const [first, ...more] = e.message.split('\n');
      io.err(`latent-sky ${name}: ${first}`);
      if (e.code === 'BAD_INPUT' && more.length) io.err(more.join('\n'));
      return e.code === 'CANCELLED' ? 130 : 2;
    }
    io.err(`latent-sky ${name}: internal error: ${(e as Error)?.stack ?? String(e)}`);
    return 1;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
