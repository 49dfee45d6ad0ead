// min / median / max of repeated measurements; benches report all three.
export interface Spread {
  readonly min: number;
  readonly median: number;
  readonly max: number;
  readonly n: number;
}

export function spread(samples: readonly number[]): Spread {
  const sorted = [...samples].sort((a, b) => a - b);
  return { min: sorted[0] ?? NaN, median: sorted[Math.floor(sorted.length / 2)] ?? NaN, max: sorted[sorted.length - 1] ?? NaN, n: sorted.length };
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
export const fmtSpread = (s: Spread, digits = 2) => `${fmt(s.median, digits)} (${fmt(s.min, digits)}–${fmt(s.max, digits)})`;
