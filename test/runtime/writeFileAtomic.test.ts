// writeFileAtomic on the real filesystem: the durable sequence, short writes, and cleanup on failure.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { nodeFileSystem } from '../../src/adapters/nodeFileSystem.ts';
import { cryptoRandom } from '../../src/adapters/systemPorts.ts';
import { writeFileAtomic } from '../../src/writeFileAtomic.ts';
import { FileError } from '../../src/errors.ts';
import { errno, recordingFs } from '../support/recordingFs.ts';
import { makeRealWorld, type TestWorld } from '../support/realIo.ts';

let world: TestWorld;
let dir: string;
beforeEach(async () => {
  world = await makeRealWorld();
  dir = join(world.root, 'd');
  await mkdir(dir);
});
afterEach(() => world.cleanup());

describe('writeFileAtomic', () => {
  it('writes tmp with wx, fsyncs it, renames it over the target, then fsyncs the directory, in that order', async () => {
    const { fs, calls } = recordingFs(nodeFileSystem);
    const target = join(dir, 'out.txt');
    await writeFileAtomic({ fs, random: cryptoRandom }, target, 'hello');
    expect(calls.map((c) => c.op)).toEqual(['open:wx', 'write', 'fsync', 'close', 'rename', 'fsyncDir']);
    expect(calls[0]!.path).toMatch(/\/d\/\.tmp-[0-9a-f]{16}$/);
    expect(calls[4]).toMatchObject({ path: calls[0]!.path, to: target });
    expect(calls[5]!.path).toBe(dir);
    expect(await readFile(target, 'utf8')).toBe('hello');
    expect(await readdir(dir)).toEqual(['out.txt']);
  });

  it('replaces an existing file whole', async () => {
    const target = join(dir, 'out.txt');
    await writeFile(target, 'old content that is longer');
    await writeFileAtomic({ fs: nodeFileSystem, random: cryptoRandom }, target, 'new');
    expect(await readFile(target, 'utf8')).toBe('new');
  });

  it('loops on short writes until every byte is written', async () => {
    const { fs, calls } = recordingFs(nodeFileSystem, { maxWriteBytes: 3 });
    const target = join(dir, 'out.txt');
    const text = 'abcdefghijklmnopqrstuvwxyz';
    await writeFileAtomic({ fs, random: cryptoRandom }, target, text);
    expect(calls.filter((c) => c.op === 'write')).toHaveLength(Math.ceil(text.length / 3));
    expect(await readFile(target, 'utf8')).toBe(text);
  });

  it('treats a write that makes no progress as an error instead of spinning', async () => {
    const { fs } = recordingFs(nodeFileSystem, { maxWriteBytes: 0 });
    await expect(writeFileAtomic({ fs, random: cryptoRandom }, join(dir, 'out.txt'), 'x')).rejects.toMatchObject({
      code: 'EIO',
      step: 'write',
    });
    expect(await readdir(dir)).toEqual([]);
  });

  for (const [op, code] of [
    ['write', 'ENOSPC'],
    ['fsync', 'EIO'],
    ['rename', 'EACCES'],
    ['close', 'EIO'],
  ] as const) {
    it(`removes the tmp file and leaves the target untouched when ${op} fails with ${code}`, async () => {
      const target = join(dir, 'out.txt');
      await writeFile(target, 'previous');
      const { fs } = recordingFs(nodeFileSystem, { fail: (call) => (call.op === op ? errno(code, op) : undefined) });
      const failure = writeFileAtomic({ fs, random: cryptoRandom }, target, 'next');
      await expect(failure).rejects.toBeInstanceOf(FileError);
      await expect(failure).rejects.toMatchObject({ code, path: expect.stringContaining('/d/') });
      expect(await readdir(dir)).toEqual(['out.txt']);
      expect(await readFile(target, 'utf8')).toBe('previous');
    });
  }

  it('does not report success when the directory fsync fails after the rename', async () => {
    const { fs } = recordingFs(nodeFileSystem, {
      fail: (call) => (call.op === 'fsyncDir' ? errno('EIO', 'fsync') : undefined),
    });
    await expect(writeFileAtomic({ fs, random: cryptoRandom }, join(dir, 'out.txt'), 'x')).rejects.toMatchObject({
      code: 'EIO',
      step: 'fsync directory',
    });
  });

  it('aborts before the rename when beforeCommit throws, leaving no tmp and no target', async () => {
    const target = join(dir, 'out.txt');
    await expect(
      writeFileAtomic({ fs: nodeFileSystem, random: cryptoRandom }, target, 'x', {
        beforeCommit: async () => {
          throw new Error('fenced');
        },
      }),
    ).rejects.toThrow('fenced');
    expect(await readdir(dir)).toEqual([]);
  });

  it('creates the tmp file in tmpDir when asked, and fails the commit if tmpDir vanished (the fence)', async () => {
    const work = join(world.root, 'work');
    await mkdir(work);
    const { fs, calls } = recordingFs(nodeFileSystem);
    await writeFileAtomic({ fs, random: cryptoRandom }, join(dir, 'a.txt'), 'a', { tmpDir: work });
    expect(calls[0]!.path.startsWith(`${work}/.tmp-`)).toBe(true);
    await expect(
      writeFileAtomic({ fs: nodeFileSystem, random: cryptoRandom }, join(dir, 'b.txt'), 'b', {
        tmpDir: join(world.root, 'gone'),
      }),
    ).rejects.toMatchObject({ code: 'ENOENT', step: 'open' });
    expect((await readdir(dir)).sort()).toEqual(['a.txt']);
  });
});
