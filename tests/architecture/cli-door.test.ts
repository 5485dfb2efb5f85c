/**
 * One door: every `latent-sky` command reaches the features through the
 * Engine (main/cli/engine.ts, in-process), never by importing the feature
 * modules of main/node. Commands may import app/, Node built-ins, the CLI's
 * own helpers and the dev host (serve); the CLI helper may import only the
 * Engine and its tools facade (type-only re-exports of main/node types aside).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importsOf, repoTarget } from '../helpers/imports';

const root = resolve(__dirname, '..', '..');
const commandsDir = join(root, 'main', 'cli', 'commands');
const builtins = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));
const rel = (from: string, spec: string) =>
  relative(root, resolve(dirname(from), spec))
    .split(sep)
    .join('/');

function violations(file: string, allowed: (target: string, typeOnly: boolean) => boolean): string[] {
  return importsOf(readFileSync(file, 'utf8')).flatMap((imp) => {
    const target = repoTarget(root, file, imp.spec);
    if (target === null) return builtins.has(imp.spec) ? [] : [`${relative(root, file)}:${imp.line} imports the package '${imp.spec}'`];
    return allowed(target, imp.typeOnly) ? [] : [`${relative(root, file)}:${imp.line} imports ${target}`];
  });
}

describe('the CLI has one door into the engine', () => {
  const commands = readdirSync(commandsDir)
    .filter((f) => f.endsWith('.ts'))
    .map((f) => join(commandsDir, f));

  it('finds the commands', () => {
    expect(commands.length).toBeGreaterThanOrEqual(14);
  });

  it('no command imports a feature module below the Engine', () => {
    const bad = commands.flatMap((f) =>
      violations(f, (t) => t.startsWith('app/') || (t.startsWith('main/cli/') && t !== 'main/cli/main') || t.startsWith('main/devhost/')),
    );
    expect(bad).toEqual([]);
  });

  it('the CLI helper imports the Engine and nothing else at run time', () => {
    const bad = violations(
      join(root, 'main', 'cli', 'engine.ts'),
      (t, typeOnly) => ['main/node/services/engine', 'main/node/services/tools'].includes(t) || typeOnly || t.startsWith('app/'),
    );
    expect(bad).toEqual([]);
  });

  it('the check sees a violation when there is one', () => {
    const probe = join(commandsDir, 'probe.ts');
    const src = "import { runProbeRound } from '../../node/discovery/probe-round';\n";
    const found = importsOf(src).map((i) => rel(probe, i.spec));
    expect(found).toEqual(['main/node/discovery/probe-round']);
  });
});
