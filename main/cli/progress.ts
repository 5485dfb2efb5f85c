/**
 * Progress for command-line jobs: a redrawn bar on a terminal, a plain line
 * every few seconds otherwise (logs, CI). `err` writes one line to stderr.
 */
export interface ProgressSink {
  update(stage: string, done: number, total: number): void;
  end(): void;
}

export function progressSink(err: (line: string) => void, isTTY: boolean, write: (s: string) => void = (s) => process.stderr.write(s)): ProgressSink {
  let drawn = false;
  let lastPlain = -Infinity;
  let lastStage = '';
  const t0 = performance.now();
  return {
    update(stage, done, total) {
      const frac = total > 0 ? done / total : 1;
      if (isTTY) {
        const width = 28;
        const fill = Math.round(frac * width);
        write(
          `\r${stage.padEnd(16)} [${'#'.repeat(fill)}${' '.repeat(width - fill)}] ${done}/${total} ${(frac * 100).toFixed(0)}%  ${((performance.now() - t0) / 1000).toFixed(0)} s\x1b[K`,
        );
        drawn = true;
      } else if (stage !== lastStage || performance.now() - lastPlain > 3000 || done === total) {
        lastPlain = performance.now();
        lastStage = stage;
        err(`progress ${stage} ${done}/${total}`);
      }
    },
    end() {
      if (drawn) write('\n');
      drawn = false;
    },
  };
}
