/** Keeps the most recent latency samples and answers percentiles (for the live summary and the benchmark). */
export interface LatencyWindow {
  record(ms: number): void;
  percentile(p: number): number | null;
  count(): number;
}

export function createLatencyWindow(capacity = 10_000): LatencyWindow {
  const samples = new Float64Array(capacity);
  let written = 0;
  return {
    record(ms) {
      samples[written % capacity] = ms;
      written += 1;
    },
    percentile(p) {
      const size = Math.min(written, capacity);
      if (size === 0) return null;
      const sorted = samples.slice(0, size).sort();
      return sorted[Math.min(size - 1, Math.ceil((p / 100) * size) - 1)] ?? null;
    },
    count: () => written,
  };
}
