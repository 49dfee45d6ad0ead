// min / median / max of repeated measurements; benches report all three.
export interface Spread {
  readonly min: number;
  readonly median: number;
  readonly max: number;
  readonly n: number;
}

export function spread(samples: readonly number[]): Spread {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    min: sorted[0] ?? NaN,
    median: sorted[Math.floor(sorted.length / 2)] ?? NaN,
    max: sorted[sorted.length - 1] ?? NaN,
    n: sorted.length,
  };
}

export async function timeIt(repeats: number, run: () => Promise<void>): Promise<Spread> {
  const samples: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const t = performance.now();
    await run();
    samples.push(performance.now() - t);
  }
  return spread(samples);
}

export const fmt = (ms: number, digits = 2) => (ms >= 100 ? ms.toFixed(0) : ms.toFixed(digits));
export const fmtSpread = (s: Spread, digits = 2) =>
  `${fmt(s.median, digits)} (${fmt(s.min, digits)}–${fmt(s.max, digits)})`;

/** Runs `work` while sampling memory every 5 ms: the peak RSS and the peak heap growth over the start. */
export async function withPeakMemory<T>(
  work: () => Promise<T>,
): Promise<{ value: T; peakRssMiB: number; peakHeapGrowthMiB: number }> {
  const startHeap = process.memoryUsage().heapUsed;
  let peakRss = process.memoryUsage().rss;
  let peakHeap = startHeap;
  const sample = () => {
    const usage = process.memoryUsage();
    peakRss = Math.max(peakRss, usage.rss);
    peakHeap = Math.max(peakHeap, usage.heapUsed);
  };
  const timer = setInterval(sample, 5);
  try {
    const value = await work();
    sample();
    return { value, peakRssMiB: peakRss / 2 ** 20, peakHeapGrowthMiB: (peakHeap - startHeap) / 2 ** 20 };
  } finally {
    clearInterval(timer);
  }
}
