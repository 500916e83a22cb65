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

/** "[##########··········]  50% 120/240 orders, 118 new" (no bar when the total is unknown). */
export function progressLine(done: number, stored: number, total: ProgressTotal | undefined, width = 30): string {
  const counts = `${done}${total ? `/${total.atLeast ? '≥' : ''}${total.count}` : ''} orders, ${stored} new deliveries stored`;
  if (!total || total.count === 0) return counts;
  const ratio = Math.min(1, done / total.count);
  const filled = Math.round(ratio * width);
  return `[${'#'.repeat(filled)}${'·'.repeat(width - filled)}] ${String(Math.round(ratio * 100)).padStart(3)}% ${counts}`;
}

export function createProgressReporter(stream: { isTTY?: boolean; write(text: string): unknown }, total: ProgressTotal | undefined): ProgressReporter {
  let drawn = false;
  return {
    update(done, stored) {
      if (stream.isTTY) {
        stream.write(`\r\x1b[2K${progressLine(done, stored, total)}`);
        drawn = true;
      } else {
        stream.write(`backfill: ${progressLine(done, stored, total)}\n`);
      }
    },
    end() {
      if (drawn) stream.write('\n');
    },
  };
}
