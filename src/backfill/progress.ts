/** How a backfill reports progress: a redrawn bar on a terminal, one plain line per page otherwise. */
export interface ProgressReporter {
  update(done: number, stored: number): void;
  /** Ends the bar's line (a no-op for plain lines). */
  end(): void;
}

export interface ProgressTotal {
  count: number;
  /** Shopify stopped counting: there are at least `count`. */
  atLeast: boolean;
}

/** "[##########··········]  50%": how far `done` is of `total` (> 0). */
export function progressBar(done: number, total: number, width = 30): string {
  const ratio = Math.min(1, done / total);
  const filled = Math.round(ratio * width);
  return `[${'#'.repeat(filled)}${'·'.repeat(width - filled)}] ${String(Math.round(ratio * 100)).padStart(3)}%`;
}

/** "[##########··········]  50% 120/240 orders, 118 new" (no bar when the total is unknown). */
export function progressLine(done: number, stored: number, total: ProgressTotal | undefined, width = 30): string {
  const counts = `${done}${total ? `/${total.atLeast ? '≥' : ''}${total.count}` : ''} orders, ${stored} new deliveries stored`;
  if (!total || total.count === 0) return counts;
  return `${progressBar(done, total.count, width)} ${counts}`;
}

export interface ProgressStream {
  isTTY?: boolean;
  write(text: string): unknown;
}

/** Where a long command shows its progress: one line redrawn on a terminal, a plain `label: …` line per update otherwise. */
export interface ProgressLine {
  show(line: string): void;
  /** Ends the redrawn line (a no-op for plain lines). */
  end(): void;
}

export function createProgressLine(stream: ProgressStream, label: string): ProgressLine {
  let drawn = false;
  return {
    show(line) {
      if (stream.isTTY) {
        stream.write(`\r\x1b[2K${line}`);
        drawn = true;
      } else {
        stream.write(`${label}: ${line}\n`);
      }
    },
    end() {
      if (drawn) stream.write('\n');
    },
  };
}

export function createProgressReporter(stream: ProgressStream, total: ProgressTotal | undefined): ProgressReporter {
  const line = createProgressLine(stream, 'backfill');
  return {
    update: (done, stored) => line.show(progressLine(done, stored, total)),
    end: () => line.end(),
  };
}
