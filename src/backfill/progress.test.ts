import { describe, expect, it } from 'vitest';
import { createProgressReporter, progressLine } from './progress.ts';

function stream(isTTY: boolean) {
  const written: string[] = [];
  return { isTTY, write: (text: string) => written.push(text), written };
}

describe('backfill progress', () => {
  it('redraws one line on a terminal and ends it once', () => {
    const terminal = stream(true);
    const progress = createProgressReporter(terminal, { count: 4, atLeast: false });
    progress.update(2, 2);
    progress.update(4, 5);
    progress.end();
    expect(terminal.written).toStrictEqual([
      `\r\x1b[2K${progressLine(2, 2, { count: 4, atLeast: false })}`,
      `\r\x1b[2K${progressLine(4, 5, { count: 4, atLeast: false })}`,
      '\n',
    ]);
  });

  it('writes plain lines when stderr is a file or a pipe', () => {
    const pipe = stream(false);
    const progress = createProgressReporter(pipe, undefined);
    progress.update(5, 6);
    progress.end();
    expect(pipe.written).toStrictEqual(['backfill: 5 orders, 6 new deliveries stored\n']);
  });

  it('says "at least" when Shopify stopped counting', () => {
    expect(progressLine(10, 10, { count: 10_000, atLeast: true }, 4)).toBe('[····]   0% 10/≥10000 orders, 10 new deliveries stored');
  });
});
