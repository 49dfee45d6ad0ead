// fs.createWriteStream and fs.createReadStream over the simulated kernel: node:stream classes whose
// every write and read is one kernel call, with Node's options (flags, fd, start, end, encoding,
// highWaterMark, autoClose) and events (open, ready, close).
import { Readable, Writable } from 'node:stream';
import { writeAllSync } from '../../../src/writeAll.ts';
import type { SyncSurface } from './syncSurface.ts';

interface StreamOptions {
  readonly flags?: string;
  readonly fd?: number;
  readonly start?: number;
  readonly end?: number;
  readonly encoding?: BufferEncoding;
  readonly highWaterMark?: number;
  readonly autoClose?: boolean;
}

/** A stream's destroy: closes its descriptor (if it owns it) and reports the first error. */
function destroyClosing(closeFd: () => void) {
  return (error: Error | null, callback: (error?: Error | null) => void) => {
    try {
      closeFd();
    } catch (closeError) {
      return callback(error ?? (closeError as Error));
    }
    callback(error);
  };
}

/**
 * fs.WriteStream#close / fs.ReadStream#close: `callback` runs once the stream has closed (at once if it
 * already has); a write stream ends (flushing what is queued), a read stream is destroyed.
 */
function closeStream(stream: Readable | Writable, finish: () => void) {
  return (callback?: (error?: Error | null) => void): void => {
    if (callback !== undefined) {
      if (stream.closed) process.nextTick(callback);
      else stream.once('close', () => callback(stream.errored));
    }
    finish();
  };
}

/** The stream's descriptor (given, or opened with the stream's flags) and its close-once, if owned. */
function descriptorOf(surface: SyncSurface, simPath: string, options: StreamOptions, defaultFlags: string) {
  const fd = options.fd ?? surface.openSync(simPath, options.flags ?? defaultFlags);
  let open = true;
  const closeFd = () => {
    if (!open || options.autoClose === false) return;
    open = false;
    surface.closeSync(fd);
  };
  return { fd, closeFd };
}

const optionsOf = (options: unknown): StreamOptions =>
  typeof options === 'string' ? { encoding: options as BufferEncoding } : ((options ?? {}) as StreamOptions);

export function createWriteStream(
  surface: SyncSurface,
  simPath: string,
  shownPath: string,
  rawOptions: unknown,
): Writable {
  const options = optionsOf(rawOptions);
  const { fd, closeFd } = descriptorOf(surface, simPath, options, 'w');
  let position = options.start ?? null;
  const stream = new Writable({
    ...(options.highWaterMark !== undefined ? { highWaterMark: options.highWaterMark } : {}),
    write(chunk: Buffer, _encoding, callback) {
      try {
        writeAllSync((data) => {
          const written = surface.writeSync(fd, data, 0, data.length, position ?? undefined);
          if (position !== null) position += written;
          (stream as unknown as { bytesWritten: number }).bytesWritten += written;
          return written;
        }, chunk);
        process.nextTick(callback);
      } catch (error) {
        process.nextTick(callback, error as Error);
      }
    },
    final(callback) {
      try {
        closeFd();
        process.nextTick(callback);
      } catch (error) {
        process.nextTick(callback, error as Error);
      }
    },
    destroy: destroyClosing(closeFd),
  });
  Object.assign(stream, {
    fd,
    path: shownPath,
    bytesWritten: 0,
    pending: false,
    close: closeStream(stream, () => stream.end()),
  });
  process.nextTick(() => {
    stream.emit('open', fd);
    stream.emit('ready');
  });
  return stream;
}

export function createReadStream(
  surface: SyncSurface,
  simPath: string,
  shownPath: string,
  rawOptions: unknown,
): Readable {
  const options = optionsOf(rawOptions);
  const { fd, closeFd } = descriptorOf(surface, simPath, options, 'r');
  let position = options.start ?? 0;
  const end = options.end ?? Number.POSITIVE_INFINITY;
  const stream = new Readable({
    ...(options.highWaterMark !== undefined ? { highWaterMark: options.highWaterMark } : {}),
    ...(options.encoding !== undefined ? { encoding: options.encoding } : {}),
    read(size) {
      try {
        const want = Math.min(size, end - position + 1);
        const buffer = Buffer.alloc(Math.max(0, want));
        const bytesRead = want <= 0 ? 0 : surface.readSync(fd, buffer, 0, want, position);
        position += bytesRead;
        (stream as unknown as { bytesRead: number }).bytesRead += bytesRead;
        this.push(bytesRead === 0 ? null : buffer.subarray(0, bytesRead));
      } catch (error) {
        this.destroy(error as Error);
      }
    },
    destroy: destroyClosing(closeFd),
  });
  Object.assign(stream, {
    fd,
    path: shownPath,
    bytesRead: 0,
    pending: false,
    close: closeStream(stream, () => stream.destroy()),
  });
  stream.on('end', () => stream.destroy());
  process.nextTick(() => {
    stream.emit('open', fd);
    stream.emit('ready');
  });
  return stream;
}
