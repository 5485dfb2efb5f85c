import { AppError } from '../../../app/core/errors';
import { loadEmbeddingView } from '../../node/discovery/embedding-view';
import { exportCandidates, exportEmbeddings, formatFromPath, type EmbeddingFormat, type TableFormat } from '../../node/export/write-export';
import { Workspace } from '../../node/workspace';
import { parseCommandArgs, parseIntFlag, requirePositional, toJsonText, type Command } from '../command';

const usage = `usage: latent-sky export WORKSPACE --search NAME --format csv|fits|votable --out FILE [--top 1000] [--model KEY] [--json]
       latent-sky export WORKSPACE --embeddings --format npy|fits --out FILE [--model KEY] [--json]

Write the candidates of a search (every labelled object and the top-scored
unlabelled ones, by score) with columns ra, dec, id, score, label, search,
model, rank as CSV, a FITS binary table or an IVOA VOTable 1.4 (TOPCAT,
astropy). Or write a model's embeddings (N x D float32, NaN rows for objects
not embedded) as a NumPy .npy file or a FITS image with an OBJECTS table.
The format defaults to the extension of --out.`;

const command: Command = {
  summary: 'export a search\'s candidates (CSV, FITS, VOTable) or the embeddings (npy, FITS)',
  usage,
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs(
      argv,
      { search: { type: 'string' }, format: { type: 'string' }, out: { type: 'string' }, top: { type: 'string' }, model: { type: 'string' }, embeddings: { type: 'boolean' }, json: { type: 'boolean' } },
      usage,
    );
    const dir = requirePositional(positionals, 0, 'WORKSPACE', usage);
    if (!values.out) throw new AppError('BAD_INPUT', `--out FILE is required\n${usage}`);
    const format = values.format ?? formatFromPath(values.out);
    const ws = Workspace.open(dir, { readonly: true });
    try {
      let rep;
      if (values.embeddings) {
        if (format !== 'npy' && format !== 'fits') throw new AppError('BAD_INPUT', `--embeddings --format must be npy or fits, got '${format ?? ''}'`);
        rep = exportEmbeddings(ws, loadEmbeddingView(ws, values.model), values.out, format as EmbeddingFormat);
      } else {
        if (!values.search) throw new AppError('BAD_INPUT', `--search NAME (or --embeddings) is required\n${usage}`);
        if (format !== 'csv' && format !== 'fits' && format !== 'votable') throw new AppError('BAD_INPUT', `--format must be csv, fits or votable, got '${format ?? ''}'`);
        if (!ws.labels.hasSearch(values.search)) throw new AppError('UNKNOWN_SEARCH', `no search named '${values.search}' in ${ws.dir}`);
        rep = exportCandidates(ws, loadEmbeddingView(ws, values.model), values.search, values.out, format as TableFormat, parseIntFlag(values.top, 'top', 1000));
      }
      if (values.json) io.out(toJsonText(rep));
      else io.out(`wrote ${rep.rows} rows (${rep.format}) to ${rep.path}`);
      return 0;
    } finally {
      ws.close();
    }
  },
};

export default command;
