// Progress for long runs: on a terminal, one line rewritten in place with runs, crash states, rate
// and ETA; elsewhere (CI logs, pipes) nothing, so logs stay quiet and diffable.
export class Progress {
  private lastDrawMs = 0;
  private started = performance.now();

  constructor(
    private readonly write: (text: string) => void,
    private readonly tty: boolean,
  ) {}

  phase(label: string): void {
    this.started = performance.now();
    if (this.tty) this.write(`\r\x1b[2K${label}`);
  }

  update(label: string, done: number, total: number | undefined, unit: string): void {
    if (!this.tty) return;
    const now = performance.now();
    if (now - this.lastDrawMs < 100 && done !== total) return;
    this.lastDrawMs = now;
    const seconds = (now - this.started) / 1000;
    const rate = seconds > 0 ? done / seconds : 0;
    const eta = total !== undefined && rate > 0 ? ` · ETA ${Math.max(0, (total - done) / rate).toFixed(0)} s` : '';
    this.write(
      `\r\x1b[2K${label}: ${done}${total !== undefined ? `/${total}` : ''} ${unit} · ${rate.toFixed(0)} ${unit}/s${eta}`,
    );
  }

  done(): void {
    if (this.tty) this.write('\r\x1b[2K');
  }
}

export function colour(tty: boolean): {
  ok: (s: string) => string;
  bad: (s: string) => string;
  dim: (s: string) => string;
} {
  const wrap = (code: number) => (s: string) => (tty ? `\x1b[${code}m${s}\x1b[0m` : s);
  return { ok: wrap(32), bad: wrap(31), dim: wrap(2) };
}
