// node:fs Stats and Dirent objects built from the kernel's plain stats (a message cannot carry a class).
// They are real fs.Stats / fs.Dirent instances, so `instanceof` and every is*() method behave as in Node.
import fs from 'node:fs';
import type { StatsData } from '../kernelProtocol.ts';

const MODE = {
  file: fs.constants.S_IFREG | 0o644,
  dir: fs.constants.S_IFDIR | 0o755,
  symlink: fs.constants.S_IFLNK | 0o777,
};
const BLOCK_BYTES = 4096;

export function toStats(data: StatsData): fs.Stats {
  const stats = Object.create(fs.Stats.prototype) as fs.Stats & Record<string, unknown>;
  const times = { atimeMs: data.mtimeMs, mtimeMs: data.mtimeMs, ctimeMs: data.ctimeMs, birthtimeMs: data.ctimeMs };
  Object.assign(stats, {
    dev: 2049,
    ino: data.ino,
    mode: MODE[data.kind],
    nlink: data.nlink,
    uid: 0,
    gid: 0,
    rdev: 0,
    size: data.sizeBytes,
    blksize: BLOCK_BYTES,
    blocks: Math.ceil(data.sizeBytes / 512),
    ...times,
    atime: new Date(times.atimeMs),
    mtime: new Date(times.mtimeMs),
    ctime: new Date(times.ctimeMs),
    birthtime: new Date(times.birthtimeMs),
  });
  return stats;
}

export function toDirent(name: string, kind: StatsData['kind'], parentPath: string): fs.Dirent {
  const dirent = Object.create(fs.Dirent.prototype) as fs.Dirent & Record<string | symbol, unknown>;
  // Dirent's is*() methods read its type from a symbol-keyed field; set it through a real Dirent.
  const constants = fs.constants as typeof fs.constants &
    Record<'UV_DIRENT_FILE' | 'UV_DIRENT_DIR' | 'UV_DIRENT_LINK', number>;
  const type =
    kind === 'file' ? constants.UV_DIRENT_FILE : kind === 'dir' ? constants.UV_DIRENT_DIR : constants.UV_DIRENT_LINK;
  const typeKey = Object.getOwnPropertySymbols(
    new (fs.Dirent as unknown as new (n: string, t: number) => object)('x', 1),
  )[0];
  Object.assign(dirent, { name, parentPath, path: parentPath });
  if (typeKey !== undefined) dirent[typeKey] = type;
  return dirent;
}
