/** A clock for tests: `sleep` returns at once and moves `now` forward, so throttle waits cost no real time. */
export interface FakeClock {
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  /** Every wait asked for, in order. */
  sleeps: number[];
}

export function createFakeClock(start = Date.parse('2026-11-01T00:00:00Z')): FakeClock {
  let time = start;
  const sleeps: number[] = [];
  return {
    now: () => time,
    sleep: async (ms) => {
      sleeps.push(ms);
      time += ms;
    },
    sleeps,
  };
}
