// A seeded PRNG (sfc32) behind the runtime's Random port, plus the helpers the harness needs.
// Same seed → same sequence, on every machine: replays are bit-exact.
import type { Random } from '../src/ports/random.ts';

export class SeededRandom implements Random {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number) {
    this.a = 0x9e3779b9;
    this.b = 0x243f6a88;
    this.c = 0xb7e15162;
    this.d = seed >>> 0;
    for (let i = 0; i < 15; i++) this.next();
  }

  /** A uint32. */
  next(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  fraction(): number {
    return this.next() / 2 ** 32;
  }

  hex(byteCount: number): string {
    let out = '';
    for (let i = 0; i < byteCount; i++) out += (this.next() & 0xff).toString(16).padStart(2, '0');
    return out;
  }

  /** An integer in [0, maxExclusive). */
  int(maxExclusive: number): number {
    return Math.floor(this.fraction() * maxExclusive);
  }

  chance(probability: number): boolean {
    return this.fraction() < probability;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('pick from an empty list');
    return items[this.int(items.length)]!;
  }

  /** An independent stream derived from this one (for a sub-component that must not shift others). */
  fork(): SeededRandom {
    return new SeededRandom(this.next());
  }
}

/** A seed for a sub-world derived from a parent seed and a salt, so no two worlds share a stream. */
export function mixSeed(seed: number, salt: number): number {
  let h = (seed ^ Math.imul(salt + 0x9e3779b9, 0x85ebca6b)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d) >>> 0;
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}
