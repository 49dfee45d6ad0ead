// Installs the simulated filesystem into a foreign worker's `node:fs`, before any user module loads, so
// that libraries that copy fs functions at load time (graceful-fs and everything built on it) copy
// these. Sync, callback and promise forms of every function persistence code calls go to the kernel
// for paths under the mount. Outside the mount nothing reaches the real disk once the workload runs:
// before that (while modules load) read-only calls pass through, because Node's module loader reads
// code with them. A call the shim cannot simulate, or one outside the mount during the run, throws an
// error naming the call and is reported to the kernel, so the run fails even if the code swallows it.
import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import { callbackForm, fileHandle, promiseForm } from './asyncForms.ts';
import { FD_BASE, syncSurface, type SyncSurface } from './syncSurface.ts';
import { createReadStream, createWriteStream } from './streams.ts';
import type { SyncKernel } from './syncKernel.ts';
import { toDirent } from './statsShape.ts';

type AnyFn = (...args: unknown[]) => unknown;
export type Phase = 'load' | 'run';

/** Which arguments are paths (`p`), descriptors (`fd`) or a symlink target (`t`), by sync name. */
const SIGNATURES: Record<string, readonly ('p' | 'fd' | 't' | 'pfd')[]> = {
  openSync: ['p'],
  readFileSync: ['pfd'],
  writeFileSync: ['pfd'],
  appendFileSync: ['pfd'],
  unlinkSync: ['p'],
  mkdirSync: ['p'],
  rmdirSync: ['p'],
  rmSync: ['p'],
  readdirSync: ['p'],
  statSync: ['p'],
  lstatSync: ['p'],
  existsSync: ['p'],
  accessSync: ['p'],
  realpathSync: ['p'],
  truncateSync: ['p'],
  utimesSync: ['p'],
  lutimesSync: ['p'],
  chmodSync: ['p'],
  lchmodSync: ['p'],
  chownSync: ['p'],
  lchownSync: ['p'],
  readlinkSync: ['p'],
  mkdtempSync: ['p'],
  opendirSync: ['p'],
  renameSync: ['p', 'p'],
  linkSync: ['p', 'p'],
  copyFileSync: ['p', 'p'],
  symlinkSync: ['t', 'p'],
  closeSync: ['fd'],
  fsyncSync: ['fd'],
  fdatasyncSync: ['fd'],
  ftruncateSync: ['fd'],
  fstatSync: ['fd'],
  readSync: ['fd'],
  writeSync: ['fd'],
  futimesSync: ['fd'],
  fchmodSync: ['fd'],
  fchownSync: ['fd'],
};
const READ_ONLY = new Set([
  'openSync',
  'readFileSync',
  'readdirSync',
  'statSync',
  'lstatSync',
  'existsSync',
  'accessSync',
  'realpathSync',
  'readlinkSync',
  'closeSync',
  'fstatSync',
  'readSync',
  'opendirSync',
]);
const PROMISE_NAMES = [
  'open',
  'readFile',
  'writeFile',
  'appendFile',
  'rename',
  'link',
  'symlink',
  'readlink',
  'unlink',
  'mkdir',
  'rmdir',
  'rm',
  'readdir',
  'stat',
  'lstat',
  'access',
  'realpath',
  'truncate',
  'utimes',
  'lutimes',
  'chmod',
  'lchmod',
  'chown',
  'lchown',
  'copyFile',
  'mkdtemp',
  'opendir',
];

export interface ShimContext {
  readonly kernel: SyncKernel;
  readonly mount: string;
  readonly phase: () => Phase;
  /** Reports a refused call to the kernel (the run fails with it). */
  readonly refused: (call: string, detail: string) => void;
}

function pathText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (value instanceof URL) return value.protocol === 'file:' ? decodeURIComponent(value.pathname) : undefined;
  if (Buffer.isBuffer(value)) return value.toString();
  return undefined;
}

type Route = (name: string, args: unknown[]) => unknown[] | 'real';

/** Maps one call's arguments into the simulation; 'real' if the real fs may serve it, never returns for a refusal. */
function routerFor(
  context: ShimContext,
  toSim: (value: unknown) => string | undefined,
  refuse: (call: string, detail: string) => never,
): Route {
  return (name, args) => {
    const signature = SIGNATURES[name] ?? [];
    const mapped = [...args];
    let sim = 0;
    let real = 0;
    signature.forEach((kind, index) => {
      const arg = args[index];
      if (kind === 'fd' || (kind === 'pfd' && typeof arg === 'number')) {
        if (typeof arg === 'number' && arg >= FD_BASE) sim += 1;
        else real += 1;
        return;
      }
      if (kind === 't' && !(pathText(arg) ?? '').startsWith('/')) return; // a relative symlink target is just text
      const simPath = toSim(arg);
      if (simPath === undefined) real += 1;
      else {
        sim += 1;
        mapped[index] = simPath;
      }
    });
    if (real === 0) return mapped;
    if (sim === 0 && context.phase() === 'load' && READ_ONLY.has(name)) return 'real';
    return refuse(
      name,
      sim > 0
        ? `between a simulated and a real path (${args.map((a) => pathText(a) ?? String(a)).join(', ')})`
        : `${pathText(args[0]) ?? String(args[0])} is outside the simulated mount ${context.mount}`,
    );
  };
}

export function installSimulatedFs(context: ShimContext): void {
  const { mount } = context;
  const surface = syncSurface(context.kernel, mount);
  const toSim = (value: unknown): string | undefined => {
    const text = pathText(value);
    if (text === undefined || !(text === mount || text.startsWith(`${mount}/`))) return undefined;
    return text.slice(mount.length) || '/';
  };
  const refuse = (call: string, detail: string): never => {
    context.refused(call, detail);
    throw Object.assign(new Error(`durable-jobs fs shim: ${call} ${detail}`), { code: 'ERR_DURABLE_JOBS_REFUSED' });
  };
  const originals = new Map<string, AnyFn>();
  for (const [name, value] of Object.entries(fs)) if (typeof value === 'function') originals.set(name, value as AnyFn);
  const route = routerFor(context, toSim, refuse);
  const syncOf =
    (name: string, impl: AnyFn): AnyFn =>
    (...args: unknown[]) => {
      const mapped = route(name, args);
      return mapped === 'real' ? originals.get(name)!(...args) : impl(...mapped);
    };
  const impls = { ...surface, opendirSync: (path: string) => openDir(surface, path, mount) } as unknown as Record<
    string,
    AnyFn
  >;
  const patched = new Map<string, AnyFn>();
  for (const name of Object.keys(SIGNATURES)) patched.set(name, syncOf(name, impls[name]!));
  for (const [name, sync] of [...patched]) {
    const base = name.slice(0, -'Sync'.length);
    const original = originals.get(base);
    patched.set(base, (...args: unknown[]) => {
      // While modules load, a real read-only callback call goes to the real fs untouched.
      if (original !== undefined && route(name, args.slice(0, -1)) === 'real') return original(...args);
      return callbackForm(base, sync)(...args);
    });
  }
  patched.set('exists', (path: unknown, cb: unknown) => callbackForm('exists', patched.get('existsSync')!)(path, cb));
  patched.set('createWriteStream', (path: unknown, options?: unknown) =>
    createWriteStream(surface, streamPath('createWriteStream', path), pathText(path) ?? '', options),
  );
  patched.set('createReadStream', (path: unknown, options?: unknown) => {
    const simPath = toSim(path);
    if (simPath === undefined && context.phase() === 'load') return originals.get('createReadStream')!(path, options);
    return createReadStream(surface, streamPath('createReadStream', path), pathText(path) ?? '', options);
  });
  function streamPath(call: string, path: unknown): string {
    return toSim(path) ?? refuse(call, `${pathText(path) ?? String(path)} is outside the simulated mount ${mount}`);
  }
  refuseTheRest(originals, patched, context, toSim, refuse);
  // fs.realpath.native and fs.realpathSync.native (libuv's realpath) resolve like the JS ones here.
  Object.assign(patched.get('realpath')!, { native: patched.get('realpath') });
  Object.assign(patched.get('realpathSync')!, { native: patched.get('realpathSync') });
  for (const [name, fn] of patched) (fs as unknown as Record<string, unknown>)[name] = fn;
  installPromises(patched, surface);
  syncBuiltinESMExports();
}

/** Every other function of node:fs: refused on a simulated path or descriptor, and on any path while the workload runs. */
function refuseTheRest(
  originals: Map<string, AnyFn>,
  patched: Map<string, AnyFn>,
  context: ShimContext,
  toSim: (v: unknown) => string | undefined,
  refuse: (c: string, d: string) => never,
): void {
  for (const [name, original] of originals) {
    if (patched.has(name) || !/^[a-z]/.test(name)) continue;
    patched.set(name, (...args: unknown[]) => {
      const touchesSim = args.some((arg) => toSim(arg) !== undefined || (typeof arg === 'number' && arg >= FD_BASE));
      if (touchesSim || context.phase() === 'run') return refuse(name, 'is not supported by the simulation');
      return original(...args);
    });
  }
}

function installPromises(patched: Map<string, AnyFn>, surface: SyncSurface): void {
  const promises = fs.promises as unknown as Record<string, unknown>;
  for (const name of PROMISE_NAMES) {
    const sync = patched.get(`${name}Sync`)!;
    promises[name] =
      name === 'open'
        ? (path: unknown, flags?: unknown) =>
            promiseForm(() => fileHandle(surface, sync(path, flags ?? 'r') as number, String(path)))()
        : promiseForm(sync);
  }
  // The rest of fs.promises (watch, cp, statfs, glob) is refused like its node:fs twin.
  for (const name of ['watch', 'cp', 'statfs', 'glob']) {
    const refusing = patched.get(name);
    if (refusing !== undefined) promises[name] = promiseForm(refusing);
  }
}

/** fs.opendir's Dir: entries read once (one gated readdir), handed out one by one. */
function openDir(surface: SyncSurface, simPath: string, mount: string): unknown {
  const entries = (surface.readdirSync(simPath, { withFileTypes: true }) as ReturnType<typeof toDirent>[]).slice();
  const next = () => entries.shift() ?? null;
  return {
    path: `${mount}${simPath}`,
    readSync: next,
    read: (cb?: (error: unknown, entry: unknown) => void) =>
      cb ? process.nextTick(cb, null, next()) : Promise.resolve(next()),
    closeSync: () => undefined,
    close: (cb?: (error: unknown) => void) => (cb ? process.nextTick(cb, null) : Promise.resolve()),
    async *[Symbol.asyncIterator]() {
      for (let entry = next(); entry !== null; entry = next()) yield entry;
    },
  };
}
