import { describe, expect, it } from 'vitest';
import type { OutboxStatus } from '../store/store.ts';
import { followReplay, replayProgressLine, type ReplayProgress } from './follow-replay.ts';

/** A store whose rows move on one reading at a time: `readings[n]` is what the n-th full reading finds. */
function scriptedStore(readings: Record<number, OutboxStatus | 'gone'>[]) {
  const queries: number[][] = [];
  let reading = 0;
  let seen = new Set<number>();
  return {
    queries,
    async outboxStatuses(ids: readonly number[]) {
      // A new reading starts when an id is asked for again.
      if (ids.some((id) => seen.has(id))) {
        reading = Math.min(reading + 1, readings.length - 1);
        seen = new Set();
      }
      ids.forEach((id) => seen.add(id));
      queries.push([...ids]);
      const now = readings[reading]!;
      return ids.flatMap((id) => (now[id] === 'gone' ? [] : [{ id, status: now[id] ?? 'pending' as OutboxStatus }]));
    },
  };
}

describe('following a replay', () => {
  it('reports each change until nothing is pending, reading only what is still pending, a chunk at a time', async () => {
    const store = scriptedStore([
      {},
      { 11: 'delivered' },
      { 11: 'delivered' },
      { 11: 'delivered', 12: 'dead', 13: 'gone', 14: 'delivered' },
    ]);
    const seen: ReplayProgress[] = [];

    const final = await followReplay(store, [11, 12, 13, 14], { onProgress: (p) => seen.push(p), pollMs: 0, chunk: 3 });

    expect(seen).toStrictEqual([
      { total: 4, delivered: 0, dead: 0, dropped: 0 },
      { total: 4, delivered: 1, dead: 0, dropped: 0 },
      { total: 4, delivered: 2, dead: 1, dropped: 1 },
    ]);
    expect(final).toStrictEqual(seen.at(-1));
    expect(store.queries).toStrictEqual([[11, 12, 13], [14], [11, 12, 13], [14], [12, 13, 14], [12, 13, 14]]);
  });

  it('stops following when aborted, leaving the messages queued', async () => {
    const controller = new AbortController();
    const following = followReplay(scriptedStore([{}]), [1], {
      onProgress: () => controller.abort(new Error('interrupted')), pollMs: 60_000, signal: controller.signal,
    });
    await expect(following).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('draws a bar of settled messages, naming the dropped ones only when there are some', () => {
    expect(replayProgressLine({ total: 4, delivered: 1, dead: 1, dropped: 0 }, 8)).toBe('[####····]  50% 2/4 settled: 1 delivered, 1 dead');
    expect(replayProgressLine({ total: 2, delivered: 1, dead: 0, dropped: 1 }, 4))
      .toBe('[####] 100% 2/2 settled: 1 delivered, 0 dead, 1 skipped or deleted');
  });
});
