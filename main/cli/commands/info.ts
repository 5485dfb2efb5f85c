import { tools, type WorkspaceStats } from '../engine';
import { parseCommandArgs, requirePositional, toJsonText, type Command } from '../command';

const usage = `usage: latent-sky info WORKSPACE [--json]

Describe a workspace: objects and ground-truth classes, cutout format, disk
usage per part, embeddings per model (rows done of N), searches with their
labels and rounds, vetting lists, and the vector index / projection state.
Opens the workspace read-only (safe while the app or an embedding run uses it).

  --json   machine-readable output (the same facts as one JSON object)

A path that is not a workspace exits with code 2 and a one-line error.`;

function size(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = bytes / 1024,
    u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v.toFixed(v < 10 ? 2 : 1)} ${units[u]}`;
}

function describe(s: WorkspaceStats): string[] {
  const out = [
    `workspace   ${s.name}  (${s.path})`,
    `created     ${s.created} by Latent Sky ${s.appVersion} (format ${s.formatVersion})`,
    `objects     ${s.objects}`,
    s.pixels
      ? `cutouts     ${s.bands.join(',')} ${s.cutoutSize}x${s.cutoutSize} px at ${s.pixscale}"/px, ${s.unit}, stored as ` + `${s.cutoutDtype}`
      : 'cutouts     none (imported from an embedding catalogue: no pixels offline)',
  ];
  const classes = Object.entries(s.classes);
  if (classes.length) out.push(`classes     ${classes.map(([k, n]) => `${k} ${n}`).join(', ')}`);
  if (s.columns.length) out.push(`columns     ${s.columns.map((c) => c.name + (c.kind === 'text' ? ' (text)' : '')).join(', ')}`);
  out.push(
    `disk        ${size(s.disk.total)} total: ` +
      (['catalog', 'cutouts', 'embeddings', 'index', 'projections', 'cache', 'exports'] as const)
        .filter((k) => s.disk[k] > 0)
        .map((k) => `${k} ${size(s.disk[k])}`)
        .join(', '),
  );
  if (!s.embeddings.length) out.push('embeddings  none');
  for (const e of s.embeddings)
    out.push(
      `embeddings  ${e.model}${e.modelName !== e.model ? ` (${e.modelName})` : ''}: dim ${e.dim}, ${e.done}/${e.total} done${e.done < e.total ? ' (resumable)' : ''}`,
    );
  for (const q of s.searches) out.push(`search      ${q.name}: ${q.positive} positive, ${q.negative} negative, ${q.unsure} unsure, ${q.rounds} rounds`);
  for (const v of s.vettingLists) out.push(`vetting     ${v.name}: ${v.graded}/${v.size} graded`);
  out.push(`index       ${s.index.state ? JSON.stringify(s.index.state) : s.index.files.length ? s.index.files.join(', ') : 'none'}`);
  out.push(`projections ${s.projections.state ? JSON.stringify(s.projections.state) : s.projections.files.length ? s.projections.files.join(', ') : 'none'}`);
  return out;
}

const command: Command = {
  summary: 'describe a workspace: objects, classes, disk usage, embeddings, labels, index',
  usage,
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs(argv, { json: { type: 'boolean' } }, usage);
    const dir = requirePositional(positionals, 0, 'WORKSPACE', usage);
    const s = tools.workspace.stats(dir);
    if (values.json) io.out(toJsonText(s));
    else for (const l of describe(s)) io.out(l);
    return 0;
  },
};

export default command;
