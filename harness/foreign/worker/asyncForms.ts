// Callback and promise forms of the synchronous surface, and the promises API's FileHandle. Each call
// is made (and gated) when the function is called, as a syscall is issued when the libuv request is;
// its result is delivered asynchronously: a callback on the next tick, a promise as a promise.
import type { SyncSurface } from './syncSurface.ts';
import { encodingOf, toBytes } from './syncSurface.ts';

type AnyFn = (...args: unknown[]) => unknown;
type Callback = (error: unknown, ...values: unknown[]) => void;

/** `fs.x(...args, cb)` for `fs.xSync(...args)`; read and write call back with (bytes, buffer). */
export function callbackForm(name: string, sync: AnyFn): AnyFn {
  return (...args: unknown[]) => {
    const cb = args[args.length - 1];
    if (typeof cb !== 'function') throw new TypeError(`The "cb" argument of fs.${name} must be of type function`);
    const callArgs = args.slice(0, -1);
    let result: unknown;
    try {
      result = sync(...callArgs);
    } catch (error) {
      process.nextTick(cb as Callback, error);
      return;
    }
    if (name === 'exists') return void process.nextTick(cb as (v: unknown) => void, result);
    if (name === 'read' || name === 'write') return void process.nextTick(cb as Callback, null, result, callArgs[1]);
    process.nextTick(cb as Callback, null, result);
  };
}

export function promiseForm(sync: AnyFn): AnyFn {
  return (...args: unknown[]) => {
    try {
      return Promise.resolve(sync(...args));
    } catch (error) {
      return Promise.reject(error);
    }
  };
}

/** fs.promises.open's FileHandle over a kernel descriptor. */
export function fileHandle(surface: SyncSurface, fd: number, path: string): Record<string | symbol, unknown> {
  const run = <T>(work: () => T): Promise<T> => promiseForm(work as AnyFn)() as Promise<T>;
  const handle: Record<string | symbol, unknown> = {
    fd,
    read: (buffer?: unknown, offset?: unknown, length?: unknown, position?: unknown) =>
      run(() => {
        const target = buffer instanceof Uint8Array ? buffer : Buffer.alloc(16 * 1024);
        const options =
          buffer !== undefined && !(buffer instanceof Uint8Array)
            ? (buffer as { offset?: number; length?: number; position?: number | null })
            : undefined;
        const bytesRead =
          options !== undefined
            ? surface.readSync(fd, target, {
                offset: options.offset ?? 0,
                length: options.length ?? target.length,
                position: options.position ?? null,
              })
            : surface.readSync(
                fd,
                target,
                offset ?? 0,
                length ?? target.length - Number(offset ?? 0),
                position ?? null,
              );
        return { bytesRead, buffer: target };
      }),
    write: (data: unknown, a?: unknown, b?: unknown, c?: unknown) =>
      run(() => ({ bytesWritten: surface.writeSync(fd, data, a, b, c), buffer: data })),
    writev: (buffers: Uint8Array[], position?: number) =>
      run(() => {
        let written = 0;
        for (const buffer of buffers)
          written += surface.writeSync(
            fd,
            buffer,
            0,
            buffer.length,
            position === undefined ? undefined : position + written,
          );
        return { bytesWritten: written, buffers };
      }),
    readFile: (options?: unknown) => run(() => surface.readFileSync(fd, options)),
    writeFile: (data: unknown, options?: unknown) => run(() => surface.writeFileSync(fd, data, options)),
    appendFile: (data: unknown, options?: unknown) =>
      run(() => surface.writeSync(fd, toBytes(data, encodingOf(options)))),
    truncate: (length?: number) => run(() => surface.ftruncateSync(fd, length ?? 0)),
    sync: () => run(() => surface.fsyncSync(fd)),
    datasync: () => run(() => surface.fdatasyncSync(fd)),
    stat: () => run(() => surface.fstatSync(fd)),
    utimes: (atime: unknown, mtime: unknown) => run(() => surface.futimesSync(fd, atime, mtime)),
    chmod: () => run(() => surface.fchmodSync(fd)),
    chown: () => run(() => surface.fchownSync(fd)),
    close: () => run(() => surface.closeSync(fd)),
    readLines: () => {
      throw new Error(`durable-jobs fs shim: FileHandle.readLines is not supported on simulated paths (${path})`);
    },
  };
  handle[Symbol.asyncDispose] = handle.close;
  return handle;
}
