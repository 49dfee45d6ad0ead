// The simulated network of one world, for servers the runtime starts itself: `jobs serve` binds with
// Platform.listen, and the harness reaches it the way curl or Vercel's cron would, with a Fetch
// request to http://host:port/... that the serving process answers with its own io (its gated file
// calls, its clocks). A port nobody listens on, or a server whose process died, refuses the
// connection as undici reports it. Signals: `terminate` delivers SIGTERM to the listeners a process
// registered with Platform.onceTerminated. What this leaves out is node:http's socket framing (the
// real server's conversion of a request, tested on loopback in test/e2e).
import type { FetchHandler, PlatformServer } from '../../src/adapters/platform.ts';
import type { SimProcess } from './world.ts';

interface Bound {
  readonly process: SimProcess;
  readonly handler: FetchHandler;
}

/** The first port `listen(0)` hands out. */
const FIRST_EPHEMERAL_PORT = 40_000;

const refused = (url: string): Error =>
  Object.assign(new TypeError('fetch failed'), {
    cause: Object.assign(new Error(`connect ECONNREFUSED ${url}`), { code: 'ECONNREFUSED' }),
  });

export class SimNetwork {
  private readonly bound = new Map<string, Bound>();
  private readonly terminators = new Map<number, (() => void)[]>();
  private nextPort = FIRST_EPHEMERAL_PORT;

  listen(process: SimProcess, handler: FetchHandler, port: number, host: string): Promise<PlatformServer> {
    const chosen = port === 0 ? this.nextPort++ : port;
    const key = `${host}:${chosen}`;
    const holder = this.bound.get(key);
    if (holder !== undefined && holder.process.alive)
      return Promise.reject(
        Object.assign(new Error(`listen EADDRINUSE: address already in use ${key}`), { code: 'EADDRINUSE' }),
      );
    this.bound.set(key, { process, handler });
    return Promise.resolve({
      port: chosen,
      close: () => {
        if (this.bound.get(key)?.process === process) this.bound.delete(key);
        return Promise.resolve();
      },
    });
  }

  /** A client's request: answered by the process listening at the URL's host and port. */
  fetch(url: string, init?: RequestInit): Promise<Response> {
    const parsed = new URL(url);
    const server = this.bound.get(`${parsed.hostname}:${parsed.port}`);
    if (server === undefined || !server.process.alive) return Promise.reject(refused(url));
    return server.handler(new Request(url, init));
  }

  /** The address a process listens on, if it does. */
  addressOf(process: SimProcess): string | undefined {
    for (const [key, bound] of this.bound) if (bound.process === process && process.alive) return key;
    return undefined;
  }

  onceTerminated(process: SimProcess, listener: () => void): void {
    const listeners = this.terminators.get(process.pid) ?? [];
    listeners.push(listener);
    this.terminators.set(process.pid, listeners);
  }

  /** SIGTERM to `process`: its termination listeners run once; false if it registered none. */
  terminate(process: SimProcess): boolean {
    const listeners = this.terminators.get(process.pid) ?? [];
    this.terminators.delete(process.pid);
    for (const listener of listeners) listener();
    return listeners.length > 0;
  }
}
