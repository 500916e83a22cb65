/** Peak resident memory of the cartstream processes, sampled from /proc while they live (they are SIGKILLed). */
import { peakRssMb } from '../bench/processes.ts';

export interface RssSampler {
  /** Starts watching a process until it exits. */
  watch(pid: number): void;
  peakMb(): number;
  stop(): void;
}

/** Samples VmHWM (the kernel's own peak) of every watched pid each `everyMs`. */
export function rssSampler(everyMs = 500): RssSampler {
  const pids = new Set<number>();
  let peak = 0;
  const sample = (): void => {
    for (const pid of pids) {
      try {
        peak = Math.max(peak, peakRssMb(pid) || 0);
      } catch {
        pids.delete(pid); // gone
      }
    }
  };
  const timer = setInterval(sample, everyMs);
  return {
    watch: (pid) => pids.add(pid),
    peakMb() {
      sample();
      return peak;
    },
    stop: () => clearInterval(timer),
  };
}
