/** The README's "Resource budget" section states the numbers of app/core/limits.ts (LIMITS), exactly. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { LIMITS } from '@app/core/limits';

it('README Resource budget = LIMITS', () => {
  const readme = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Resource budget'), readme.indexOf('## Benchmarks'));
  expect(section.length).toBeGreaterThan(100);
  const n = (x: number) => x.toLocaleString('en-US');
  const MiB = 2 ** 20;
  expect(section).toContain(
    `${LIMITS.maxImagePixels / MiB} Mpx (${n(LIMITS.maxImagePixels)} pixels) and ${LIMITS.maxDecodedBytes / MiB} MiB of decoded values`,
  );
  expect(section).toContain(`| ${LIMITS.maxTilePixels / MiB} Mpx (${n(LIMITS.maxTilePixels)} pixels), never more than its image`);
  expect(section).toContain(`3 × width × height ≤ ${LIMITS.maxImagePixels / MiB} Mpx`);
  expect(section).toContain(`inflates to at most ${LIMITS.maxDecodedBytes / MiB} MiB + 16 header blocks`);
  expect(section).toContain(`${n(LIMITS.maxHeaderCards)} cards / ${n(LIMITS.maxHdus)} HDUs`);
  expect(section).toContain(`| ${n(LIMITS.maxFieldChars)} characters |`);
  expect(section).toContain(`${LIMITS.maxTextBytes / 2 ** 30} GiB (${n(LIMITS.maxTextBytes)} characters)`);
  expect(section).toContain(`| ${n(LIMITS.maxTableCells)} |`);
  expect(section).toContain(`| ${LIMITS.maxXmlDepth} elements |`);
  expect(section).toContain(`never more than ${LIMITS.maxResponseBytes / MiB} MiB`);
  expect(section).toContain(`Retry-After: ${LIMITS.maxRetryAfterMs / 1000} s of waiting per object`);
  expect(section).toContain(`what the request should carry + ${LIMITS.responseSlackBytes / MiB} MiB`);
});
