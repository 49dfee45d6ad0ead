// One FileSystem contract, run against the real filesystem (a temp dir on this machine) and against
// SimFs. Where memfs deviates from Linux, SimFs must not: the simulation may never be more forgiving
// than the machine it stands for.
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FileSystem } from '../../src/ports/fileSystem.ts';
import { nodeFileSystem } from '../../src/adapters/nodeFileSystem.ts';
import { inWorld } from '../support/simIo.ts';

type Body = (fs: FileSystem, root: string) => Promise<void>;
const cleanups: string[] = [];
afterAll(async () => {
  for (const dir of cleanups) await rm(dir, { recursive: true, force: true });
});

const drivers: { name: string; run: (body: Body) => Promise<void> }[] = [
  {
    name: 'real filesystem',
    run: async (body) => {
      const dir = await mkdtemp(join(tmpdir(), 'fs-contract-'));
      cleanups.push(dir);
      await body(nodeFileSystem, dir);
    },
  },
  {
    name: 'SimFs',
    run: async (body) => {
      await inWorld(async (io) => {
        await io.fs.mkdir('/contract', { recursive: true });
        await body(io.fs, '/contract');
      });
    },
  },
];

const enc = (text: string) => new TextEncoder().encode(text);
const dec = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

async function writeText(fs: FileSystem, path: string, text: string, flags: 'wx' | 'w' = 'wx'): Promise<void> {
  const handle = await fs.open(path, flags, 0o644);
  await handle.write(enc(text), 0);
  await handle.sync();
  await handle.close();
}

async function code(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
    return undefined;
  } catch (error) {
    return (error as { code?: string }).code;
  }
}

const cases: [string, Body][] = [
  [
    'wx creates a new file and refuses an existing one with EEXIST',
    async (fs, r) => {
      await writeText(fs, `${r}/a`, 'one');
      expect(dec(await fs.readFile(`${r}/a`))).toBe('one');
      expect(await code(fs.open(`${r}/a`, 'wx'))).toBe('EEXIST');
    },
  ],
  [
    'w truncates; a write past the end zero-fills the gap; size follows',
    async (fs, r) => {
      await writeText(fs, `${r}/a`, 'long content');
      const h = await fs.open(`${r}/a`, 'w');
      expect(await h.write(enc('xy'), 4)).toBe(2);
      await h.close();
      expect([...(await fs.readFile(`${r}/a`))]).toEqual([0, 0, 0, 0, 120, 121]);
      expect((await fs.stat(`${r}/a`)).sizeBytes).toBe(6);
    },
  ],
  [
    'open of a missing file for reading, or in a missing directory, is ENOENT',
    async (fs, r) => {
      expect(await code(fs.open(`${r}/missing`, 'r'))).toBe('ENOENT');
      expect(await code(fs.open(`${r}/nodir/a`, 'wx'))).toBe('ENOENT');
      expect(await code(fs.readFile(`${r}/missing`))).toBe('ENOENT');
    },
  ],
  [
    'a path through a file is ENOTDIR',
    async (fs, r) => {
      await writeText(fs, `${r}/f`, 'x');
      expect(await code(fs.open(`${r}/f/a`, 'wx'))).toBe('ENOTDIR');
      expect(await code(fs.mkdir(`${r}/f/d`))).toBe('ENOTDIR');
    },
  ],
  [
    'rename replaces a file atomically, and a missing source is ENOENT',
    async (fs, r) => {
      await writeText(fs, `${r}/a`, 'new');
      await writeText(fs, `${r}/b`, 'old');
      await fs.rename(`${r}/a`, `${r}/b`);
      expect(dec(await fs.readFile(`${r}/b`))).toBe('new');
      expect((await fs.readdir(r)).sort()).toEqual(['b']);
      expect(await code(fs.rename(`${r}/a`, `${r}/c`))).toBe('ENOENT');
    },
  ],
  [
    'rename of a directory over a non-empty directory is ENOTEMPTY; over an empty one it works',
    async (fs, r) => {
      await fs.mkdir(`${r}/d1`);
      await fs.mkdir(`${r}/d2`);
      await writeText(fs, `${r}/d2/x`, 'x');
      expect(await code(fs.rename(`${r}/d1`, `${r}/d2`))).toBe('ENOTEMPTY');
      await fs.mkdir(`${r}/d3`);
      await fs.rename(`${r}/d2`, `${r}/d3`);
      expect(await fs.readdir(`${r}/d3`)).toEqual(['x']);
    },
  ],
  [
    'rename of a directory into its own subtree is EINVAL',
    async (fs, r) => {
      await fs.mkdir(`${r}/d/sub`, { recursive: true });
      expect(await code(fs.rename(`${r}/d`, `${r}/d/sub/inner`))).toBe('EINVAL');
    },
  ],
  [
    'rename of a file over a directory is EISDIR, of a directory over a file ENOTDIR',
    async (fs, r) => {
      await fs.mkdir(`${r}/d`);
      await writeText(fs, `${r}/f`, 'x');
      expect(await code(fs.rename(`${r}/f`, `${r}/d`))).toBe('EISDIR');
      expect(await code(fs.rename(`${r}/d`, `${r}/f`))).toBe('ENOTDIR');
    },
  ],
  [
    'rename between two links of one file does nothing (POSIX)',
    async (fs, r) => {
      await writeText(fs, `${r}/a`, 'x');
      await fs.link(`${r}/a`, `${r}/b`);
      await fs.rename(`${r}/a`, `${r}/b`);
      expect((await fs.readdir(r)).sort()).toEqual(['a', 'b']);
    },
  ],
  [
    'unlink of a directory is EISDIR; of a missing file ENOENT',
    async (fs, r) => {
      await fs.mkdir(`${r}/d`);
      expect(await code(fs.unlink(`${r}/d`))).toBe('EISDIR');
      expect(await code(fs.unlink(`${r}/none`))).toBe('ENOENT');
    },
  ],
  [
    'link is exclusive (EEXIST), refuses directories (EPERM), and shares content',
    async (fs, r) => {
      await writeText(fs, `${r}/a`, 'shared');
      await writeText(fs, `${r}/b`, 'other');
      expect(await code(fs.link(`${r}/a`, `${r}/b`))).toBe('EEXIST');
      await fs.mkdir(`${r}/d`);
      expect(await code(fs.link(`${r}/d`, `${r}/d2`))).toBe('EPERM');
      await fs.link(`${r}/a`, `${r}/c`);
      await fs.unlink(`${r}/a`);
      expect(dec(await fs.readFile(`${r}/c`))).toBe('shared');
      expect(await code(fs.link(`${r}/missing`, `${r}/e`))).toBe('ENOENT');
    },
  ],
  [
    'mkdir: EEXIST on an existing name, ENOENT without a parent, recursive is idempotent',
    async (fs, r) => {
      await fs.mkdir(`${r}/d`);
      expect(await code(fs.mkdir(`${r}/d`))).toBe('EEXIST');
      expect(await code(fs.mkdir(`${r}/x/y`))).toBe('ENOENT');
      await fs.mkdir(`${r}/x/y/z`, { recursive: true });
      await fs.mkdir(`${r}/x/y/z`, { recursive: true });
      await writeText(fs, `${r}/file`, 'x');
      expect(await code(fs.mkdir(`${r}/file`, { recursive: true }))).toBe('EEXIST');
    },
  ],
  [
    'rmdir: ENOTEMPTY on a non-empty directory, ENOTDIR on a file, ENOENT on nothing',
    async (fs, r) => {
      await fs.mkdir(`${r}/d`);
      await writeText(fs, `${r}/d/x`, 'x');
      expect(await code(fs.rmdir(`${r}/d`))).toBe('ENOTEMPTY');
      expect(await code(fs.rmdir(`${r}/d/x`))).toBe('ENOTDIR');
      expect(await code(fs.rmdir(`${r}/none`))).toBe('ENOENT');
      await fs.unlink(`${r}/d/x`);
      await fs.rmdir(`${r}/d`);
      expect(await fs.readdir(r)).toEqual([]);
    },
  ],
  [
    'readdir lists names only; ENOTDIR on a file',
    async (fs, r) => {
      await writeText(fs, `${r}/b`, '');
      await fs.mkdir(`${r}/a`);
      expect((await fs.readdir(r)).sort()).toEqual(['a', 'b']);
      expect(await code(fs.readdir(`${r}/b`))).toBe('ENOTDIR');
    },
  ],
  [
    'stat and lstat report kind and size; readFile of a directory is EISDIR',
    async (fs, r) => {
      await writeText(fs, `${r}/f`, '12345');
      await fs.mkdir(`${r}/d`);
      expect(await fs.stat(`${r}/f`)).toMatchObject({
        isFile: true,
        isDirectory: false,
        isSymbolicLink: false,
        sizeBytes: 5,
      });
      expect(await fs.lstat(`${r}/d`)).toMatchObject({ isFile: false, isDirectory: true });
      expect(await code(fs.readFile(`${r}/d`))).toBe('EISDIR');
      expect(await code(fs.stat(`${r}/none`))).toBe('ENOENT');
    },
  ],
  [
    'syncDir works on a directory and is ENOTDIR on a file, ENOENT on nothing',
    async (fs, r) => {
      await writeText(fs, `${r}/f`, 'x');
      await fs.syncDir(r);
      expect(await code(fs.syncDir(`${r}/f`))).toBe('ENOTDIR');
      expect(await code(fs.syncDir(`${r}/none`))).toBe('ENOENT');
    },
  ],
  [
    'binary content round-trips byte for byte',
    async (fs, r) => {
      const bytes = new Uint8Array(70_000).map((_, i) => (i * 7919) & 0xff);
      const h = await fs.open(`${r}/bin`, 'wx');
      let offset = 0;
      while (offset < bytes.length) offset += await h.write(bytes.subarray(offset), offset);
      await h.close();
      expect(await fs.readFile(`${r}/bin`)).toEqual(bytes);
    },
  ],
];

for (const driver of drivers) {
  describe(`FileSystem contract: ${driver.name}`, () => {
    for (const [name, body] of cases) it(name, () => driver.run(body));
  });
}
