// The trace of one simulated run: one line per scheduled operation and per log event, in order.
// Same seed → same trace, byte for byte; the hash of the lines is the run's fingerprint.
import { createHash } from 'node:crypto';

export class Trace {
  readonly lines: string[] = [];
  private readonly limit: number;

  /** `limit` 0 keeps no lines at all (a world run without a trace). */
  constructor(limit = 200_000) {
    this.limit = limit;
  }

  add(line: string): void {
    if (this.limit === 0) return;
    if (this.lines.length >= this.limit)
      throw new Error(`trace exceeded ${this.limit} lines: the run did not converge`);
    this.lines.push(line);
  }

  hash(): string {
    const digest = createHash('sha256');
    for (const line of this.lines) digest.update(line).update('\n');
    return digest.digest('hex');
  }

  render(marker?: { index: number; label: string }): string {
    const out: string[] = [];
    this.lines.forEach((line, i) => {
      if (marker !== undefined && marker.index === i) out.push(`>>> ${marker.label}`);
      out.push(line);
    });
    if (marker !== undefined && marker.index >= this.lines.length) out.push(`>>> ${marker.label}`);
    return out.join('\n');
  }
}
