import { AppError } from '@app/core/errors';
import { withWorkspace } from '../engine';
import { parseCommandArgs, parseIntFlag, requirePositional, toJsonText, type Command } from '../command';

const usage = `usage: latent-sky labels WORKSPACE --search NAME [--limit 20] [--undo [SEQ]] [--json]

The label history of a search, newest first: when, which object, old → new
label, and by whom (user, simulated, or an undo). --undo reverses the newest
change made by hand that is not undone yet, with the rest of its batch when
it was one of many labelled at once (or change SEQ alone, from the list), by
NEW entries that put the old labels back; history is never deleted. The app's
Ctrl-Z and its history list do the same.

  --search NAME   the search
  --limit N       entries to list (default 20)
  --undo [SEQ]    undo the newest user change, or change SEQ
  --json          print the entries as JSON`;

const command: Command = {
  summary: 'label history of a search (old → new); undo a change by a new entry',
  usage,
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs(
      argv,
      { search: { type: 'string' }, limit: { type: 'string' }, undo: { type: 'boolean' }, json: { type: 'boolean' } },
      usage,
    );
    const dir = requirePositional(positionals, 0, 'WORKSPACE', usage);
    const search = values.search;
    if (!search) throw new AppError('BAD_INPUT', `--search NAME is required\n${usage}`);
    const limit = parseIntFlag(values.limit, 'limit', 20);
    let seq: number | undefined;
    if (values.undo && positionals.length > 1) {
      seq = Number(positionals[1]);
      if (!Number.isInteger(seq) || seq < 1) throw new AppError('BAD_INPUT', `--undo takes a change number from the list, got '${positionals[1]}'`);
    }
    return withWorkspace(dir, {}, async (engine) => {
      const d = engine.discovery;
      if (values.undo) {
        for (const c of d.undoLabel(search, seq))
          io.out(`undid change ${c.undoes}: object #${c.idx} ${c.from ?? 'none'} → ${c.to ?? 'none'} (change ${c.seq})`);
        return 0;
      }
      const list = d.labelChanges(search).slice(-limit).reverse();
      if (values.json) {
        io.out(toJsonText(list));
        return 0;
      }
      if (!list.length) io.out(`search '${search}' has no label changes yet`);
      for (const c of list) {
        const who = c.source === 'undo' ? `undo of ${c.undoes}` : c.source;
        io.out(
          `${String(c.seq).padStart(6)}  ${c.at}  #${String(c.idx).padEnd(7)} ${(c.from ?? 'none').padEnd(8)} → ${(c.to ?? 'none').padEnd(8)} ${who}${c.undone ? ' (undone)' : ''}`,
        );
      }
      return 0;
    });
  },
};

export default command;
