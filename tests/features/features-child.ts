/** Child of features-crash.test.ts: runs the features job on WS, printing each progress count. */
import { runFeaturesJob } from '@main/node/features/features-job';

await runFeaturesJob({ workspace: process.argv[2], workers: 1, chunk: 16, onProgress: (d) => process.stdout.write(`done ${d}\n`) });
process.stdout.write('finished\n');
