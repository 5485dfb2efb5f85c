import { AppError } from '@app/core/errors';
import { withWorkspace, type EmbeddingFormat, type TableFormat } from '../engine';
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
  summary: "export a search's candidates (CSV, FITS, VOTable) or the embeddings (npy, FITS)",
  usage,
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs(
      argv,
      {
        search: { type: 'string' },
        format: { type: 'string' },
        out: { type: 'string' },
        top: { type: 'string' },
        model: { type: 'string' },
        embeddings: { type: 'boolean' },
        json: { type: 'boolean' },
      },
      usage,
    );
    const dir = requirePositional(positionals, 0, 'WORKSPACE', usage);
    if (!values.out) throw new AppError('BAD_INPUT', `--out FILE is required\n${usage}`);
    const out = values.out;
    return withWorkspace(dir, { readonly: true }, (engine) => {
      const d = engine.discovery;
      const format = values.format ?? d.formatFromPath(out);
      let rep;
      if (values.embeddings) {
        if (format !== 'npy' && format !== 'fits') throw new AppError('BAD_INPUT', `--embeddings --format must be npy or fits, got '${format ?? ''}'`);
        rep = d.exportEmbeddings(out, format as EmbeddingFormat, values.model);
      } else {
        if (!values.search) throw new AppError('BAD_INPUT', `--search NAME (or --embeddings) is required\n${usage}`);
        if (format !== 'csv' && format !== 'fits' && format !== 'votable')
          throw new AppError('BAD_INPUT', `--format must be csv, fits or votable, got '${format ?? ''}'`);
        rep = d.exportCandidates(values.search, out, format as TableFormat, parseIntFlag(values.top, 'top', 1000), values.model);
      }
      if (values.json) io.out(toJsonText(rep));
      else io.out(`wrote ${rep.rows} rows (${rep.format}) to ${rep.path}`);
      return 0;
    });
  },
};

export default command;
