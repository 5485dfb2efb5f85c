import { AppError } from '@app/core/errors';
import { tools, type InstalledModel, type ProviderName } from '../engine';
import { parseCommandArgs, toJsonText, type CliIO, type Command } from '../command';

const usage = `usage: latent-sky models [--json] [--add DIR [--copy]] [--remove NAME]

List the installed encoder models (bundled native-models/ and folders added by
the user, recorded in $LATENT_SKY_HOME/models.json, default ~/.latent-sky) with
name, version, embedding dim, path and whether each loads and matches its
manifest; then the ONNX Runtime execution providers of this machine: shipped
in this build or not, and the result of actually running the default model on
each one alone.

  --add DIR      validate a model folder (manifest.json + ONNX file, dry run) and install it
  --copy         with --add: copy the folder into $LATENT_SKY_HOME/models/ instead of referencing it
  --remove NAME  forget a user-added model (the folder stays on disk)
  --json         machine-readable output

An invalid model folder given to --add exits with code 2 and a one-line error.`;

interface ProviderReport {
  name: ProviderName;
  /** in onnxruntime-node's build for this platform */
  inBuild: boolean;
  /** shipped inside the npm package (cuda/tensorrt need ONNXRUNTIME_NODE_INSTALL=cuda12 + CUDA) */
  bundled: boolean;
  works: boolean | null;
  reason?: string;
  ms?: number;
}

const { providers: KNOWN_PROVIDERS, supportedBackends, unavailableReason, home: latentSkyHome } = tools.models;
const { add: addModel, list: listModels, remove: removeModel } = tools.models;

async function probeProviders(model: InstalledModel | undefined): Promise<ProviderReport[]> {
  const backends = supportedBackends();
  const out: ProviderReport[] = [];
  for (const name of KNOWN_PROVIDERS) {
    const b = backends.find((x) => x.name === name);
    const r: ProviderReport = { name, inBuild: Boolean(b), bundled: Boolean(b?.bundled), works: null };
    const why = unavailableReason(name);
    if (why) {
      r.works = false;
      r.reason = why;
    } else if (!model) {
      r.reason = 'no valid model to try it with';
    } else {
      const t0 = performance.now();
      const failure = await tools.models.tryProvider(model.path, name);
      r.works = failure === null;
      if (failure !== null) r.reason = failure;
      r.ms = Math.round(performance.now() - t0);
    }
    out.push(r);
  }
  return out;
}

function table(rows: string[][]): string[] {
  const w = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  return rows.map((r) =>
    r
      .map((v, c) => (c === r.length - 1 ? v : v.padEnd(w[c])))
      .join('  ')
      .trimEnd(),
  );
}

const command: Command = {
  summary: 'installed encoder models and the execution providers of this machine',
  usage,
  async run(argv: string[], io: CliIO): Promise<number> {
    const { values } = parseCommandArgs(
      argv,
      {
        json: { type: 'boolean' },
        add: { type: 'string' },
        copy: { type: 'boolean' },
        remove: { type: 'string' },
      },
      usage,
    );
    if (values.add !== undefined) {
      const m = await addModel(values.add, { copy: values.copy });
      if (values.json) io.out(toJsonText(m));
      else io.out(`added ${m.name} ${m.version} (dim ${m.dim}) from ${m.path} to ${latentSkyHome()}/models.json`);
      return 0;
    }
    if (values.copy) throw new AppError('BAD_INPUT', `--copy goes with --add DIR\n${usage}`);
    if (values.remove !== undefined) {
      const gone = removeModel(values.remove);
      io.out(`removed ${gone.join(', ')} from ${latentSkyHome()}/models.json (folders left on disk)`);
      return 0;
    }
    const models = await listModels({ check: true });
    const providers = await probeProviders(models.find((m) => m.isDefault) ?? models.find((m) => m.valid));
    if (values.json) {
      io.out(toJsonText({ home: latentSkyHome(), models, providers, platform: `${process.platform}/${process.arch}` }));
      return 0;
    }
    io.out('models:');
    if (models.length === 0) io.out('  (none: add one with latent-sky models --add DIR)');
    else {
      const rows = [['', 'name', 'version', 'dim', 'source', 'valid', 'path']];
      for (const m of models)
        rows.push([m.isDefault ? '*' : '', m.name, m.version, String(m.dim ?? '-'), m.source, m.valid ? 'yes' : `no: ${m.problem}`, m.path]);
      for (const l of table(rows)) io.out(`  ${l}`);
    }
    io.out(`\nexecution providers (${process.platform}/${process.arch}):`);
    const rows = [['name', 'in build', 'works', 'detail']];
    for (const p of providers) {
      rows.push([
        p.name,
        p.inBuild ? (p.bundled ? 'bundled' : 'needs extra libs') : 'no',
        p.works === null ? '?' : p.works ? 'yes' : 'no',
        p.works ? `${p.ms} ms to load + dry ` + `run` : (p.reason ?? ''),
      ]);
    }
    for (const l of table(rows)) io.out(`  ${l}`);
    return 0;
  },
};

export default command;
