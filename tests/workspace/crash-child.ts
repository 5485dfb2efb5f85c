/**
 * Child process of crash.test.ts: appends objects, sets labels and writes
 * embedding rows in a loop, printing a line after each operation returned
 * (stdout to a pipe is synchronous on Linux: a printed line was confirmed).
 * The test kills it with SIGKILL at random points and checks the workspace.
 */
import { Workspace } from '@main/node/workspace';
import { labelOf, vectorOf, CRASH_DIM } from './crash-data';
import { makeItems, SPEC } from './make';

const dir = process.argv[2];
const ws = Workspace.isWorkspace(dir) ? Workspace.open(dir) : Workspace.create(dir, { cutout: { ...SPEC, shardRecords: 32 } });
if (!ws.labels.hasSearch('crash')) ws.labels.createSearch('crash');
const emb = ws.embeddings('crash-model', CRASH_DIM);
const say = (s: string) => process.stdout.write(s + '\n');
say('ready');
for (;;) {
  const n = ws.count();
  const k = 1 + (n % 7);
  ws.addObjects(makeItems(n, k));
  say(`obj ${n + k}`);
  ws.labels.set('crash', n, labelOf(n));
  say(`label ${n}`);
  const idxs = Array.from({ length: k }, (_, j) => n + j);
  const data = new Float32Array(k * CRASH_DIM);
  idxs.forEach((i, j) => data.set(vectorOf(i), j * CRASH_DIM));
  emb.write(idxs, data);
  say(`emb ${n} ${n + k}`);
}
