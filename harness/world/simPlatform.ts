// The simulated machine under the production adapters: a Platform (src/adapters/platform.ts) for one
// process of the world. Its file calls are the process's gated FileSystem (fault decorators
// included), its clocks and timers the world's (a kill drops its timers, a pause defers them), its
// entropy the process's seeded stream, its pid and host the world's process table, its network
// the given fetch (a simulated service) and the world's SimNetwork for a server it starts. Nothing
// here reads real time, real randomness or the disk.
import type { Platform } from '../../src/adapters/platform.ts';
import { platformFsOver } from '../simFs/platformFs.ts';
import { simError } from '../simFs/simErrors.ts';
import type { SimNetwork } from './simNetwork.ts';
import type { SimProcess, World } from './world.ts';

export interface SimPlatformOptions {
  /** The simulated network: every request of the process goes here. */
  readonly fetch?: typeof fetch;
  /** The working directory (default `/`). */
  readonly cwd?: string;
  /** The host the process runs on (default the world's one host). */
  readonly host?: string;
  /** Where a server the process starts listens and where its SIGTERM comes from (none: it cannot serve). */
  readonly network?: SimNetwork;
}

const noNetwork: typeof fetch = (input) =>
  Promise.reject(
    Object.assign(new TypeError('fetch failed'), {
      cause: Object.assign(new Error(`simulated machine has no route to ${String(input)}`), { code: 'ENETUNREACH' }),
    }),
  );

export function simPlatform(world: World, process: SimProcess, options: SimPlatformOptions = {}): Platform {
  const random = process.io.random;
  const timers = world.timersOf(process);
  return {
    fs: platformFsOver(process.io.fs, (path) => world.core.resolve(path, 'open')?.kind),
    readTextSync: (path) => {
      throw simError('ENOENT', 'open', path);
    },
    wallNowMs: () => world.wallNowMs(),
    monotonicNowMs: () => world.fake.now,
    monotonicNs: () => BigInt(world.fake.now) * 1_000_000n,
    ...timers,
    // The same stream the in-process path's Random port reads: hex bytes and fractions agree bit for bit.
    randomBytes: (byteCount) => Buffer.from(random.hex(byteCount), 'hex'),
    randomInt: (min, maxExclusive) => min + Math.floor(random.fraction() * (maxExclusive - min)),
    pid: process.pid,
    hostname: options.host ?? process.io.processes.host,
    signalZero: (pid) => {
      if (!process.io.processes.isAlive(pid))
        throw Object.assign(new Error(`kill ESRCH`), { code: 'ESRCH', syscall: 'kill' });
    },
    fetch: options.fetch ?? noNetwork,
    cwd: () => options.cwd ?? '/',
    listen: (handler, port, host) =>
      options.network === undefined
        ? Promise.reject(Object.assign(new Error(`listen EACCES: no simulated network`), { code: 'EACCES' }))
        : options.network.listen(process, handler, port, host),
    onceTerminated: (listener) => options.network?.onceTerminated(process, listener),
  };
}
