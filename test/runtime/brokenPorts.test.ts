// The runtime's defensive assertions and error paths, driven by deliberately broken FileSystem ports
// and handles: a write that returns a negative count, more than it was given, nothing, or one byte
// at a time forever; paths outside the root; lstat/readdir failing with something other than ENOENT.
// Each case names the exact error, so a weakened bound or a swallowed error fails here.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { writeFileAtomic, wrapFileError } from '../../src/writeFileAtomic.ts';
import { writeAll } from '../../src/writeAll.ts';
import { ensureDir } from '../../src/ensureDir.ts';
import { removeTree } from '../../src/removeTree.ts';
import { parseJsonBytes } from '../../src/jsonFile.ts';
import { classifyError } from '../../src/classifyError.ts';
import { AssertionError, FileError, LockLostError, PermanentError } from '../../src/errors.ts';
import type { FileHandle, FileStats, FileSystem } from '../../src/ports/fileSystem.ts';
import { errno } from '../support/recordingFs.ts';

const enc = (t: string) => new TextEncoder().encode(t);

const handleReturning = (answer: (data: Uint8Array) => number): FileHandle => ({
  write: async (data) => answer(data),
  sync: async () => undefined,
  close: async () => undefined,
});

const dirStats: FileStats = { isFile: false, isDirectory: true, isSymbolicLink: false, sizeBytes: 4096, mtimeMs: 0 };
const fileStats: FileStats = { isFile: true, isDirectory: false, isSymbolicLink: false, sizeBytes: 3, mtimeMs: 0 };
const linkStats: FileStats = { isFile: false, isDirectory: false, isSymbolicLink: true, sizeBytes: 4, mtimeMs: 0 };

/** A FileSystem that answers only what a test gives it, and records every call. */
function scriptedFs(script: Partial<FileSystem>): { fs: FileSystem; calls: string[] } {
  const calls: string[] = [];
  const missing = (op: string) => async (path: string) => {
    calls.push(`${op} ${path}`);
    throw errno('ENOSYS', op);
  };
  const wrap = <K extends keyof FileSystem>(op: K): FileSystem[K] => {
    const given = script[op] as ((...args: unknown[]) => Promise<unknown>) | undefined;
    return (async (...args: unknown[]) => {
      if (given === undefined) return missing(op)(String(args[0]));
      calls.push(`${op} ${String(args[0])}`);
      return given(...args);
    }) as unknown as FileSystem[K];
  };
  const ops = [
    'open',
    'readFile',
    'rename',
    'link',
    'unlink',
    'mkdir',
    'rmdir',
    'readdir',
    'stat',
    'lstat',
    'syncDir',
  ] as const;
  return { fs: Object.fromEntries(ops.map((op) => [op, wrap(op)])) as unknown as FileSystem, calls };
}

describe('writeAll against broken handles', () => {
  it('refuses a negative count, a count larger than what was given, and a write that makes no progress', async () => {
    await expect(
      writeAll(
        handleReturning(() => -1),
        enc('abc'),
      ),
    ).rejects.toThrow(new AssertionError('write returned -1'));
    await expect(
      writeAll(
        handleReturning((d) => d.length + 1),
        enc('abc'),
      ),
    ).rejects.toThrow(new AssertionError('write returned 4'));
    // The bound is the bytes still to write, not the whole buffer: after 2 of 3 bytes, 2 more is a lie.
    const offered: number[] = [];
    await expect(
      writeAll(
        handleReturning((d) => {
          offered.push(d.length);
          return 2;
        }),
        enc('abc'),
      ),
    ).rejects.toThrow(new AssertionError('write returned 2'));
    expect(offered).toEqual([3, 1]); // 2 of 3 accepted; 2 of the 1 left refused
    const zero = await writeAll(
      handleReturning(() => 0),
      enc('abc'),
    ).catch((error: unknown) => error);
    expect(zero).toMatchObject({ message: 'write made no progress', code: 'EIO', syscall: 'write' });
  });

  it('accepts exact counts, short writes included', async () => {
    const seen: number[] = [];
    await writeAll(
      handleReturning((d) => {
        seen.push(d.length);
        return Math.min(2, d.length);
      }),
      enc('abcde'),
    );
    expect(seen).toEqual([5, 3, 1]);
  });

  it('gives up after 2^20 write calls on a handle that writes one byte at a time', async () => {
    let calls = 0;
    const bytes = new Uint8Array((1 << 20) + 1);
    const error = await writeAll(
      handleReturning(() => {
        calls += 1;
        return 1;
      }),
      bytes,
    ).catch((e: unknown) => e);
    expect(error).toEqual(new AssertionError(`write did not finish within ${1 << 20} calls`));
    expect(calls).toBe(1 << 20);
    // One byte fewer finishes on exactly the last allowed call.
    calls = 0;
    await writeAll(
      handleReturning(() => {
        calls += 1;
        return 1;
      }),
      new Uint8Array(1 << 20),
    );
    expect(calls).toBe(1 << 20);
  });
});

describe('writeNewFile', () => {
  it('closes its handle whether the write succeeds or fails', async () => {
    const { writeNewFile } = await import('../../src/writeFileAtomic.ts');
    for (const answer of [(d: Uint8Array) => d.length, () => 0]) {
      let closes = 0;
      const fs = scriptedFs({
        open: async () => ({
          ...handleReturning(answer),
          close: async () => {
            closes += 1;
          },
        }),
      }).fs;
      await writeNewFile(fs, '/d/owner.json', enc('{}')).catch(() => undefined);
      expect(closes).toBe(1);
    }
  });
});

describe('writeFileAtomic error paths', () => {
  const random = { fraction: () => 0.5, hex: (n: number) => 'a'.repeat(2 * n) };

  it('passes a fencing error from the commit check through unwrapped, and removes the tmp file', async () => {
    const { fs, calls } = scriptedFs({
      open: async () => handleReturning((d) => d.length),
      unlink: async () => undefined,
    });
    const lost = new LockLostError('taken over');
    const error = await writeFileAtomic({ fs, random }, '/d/f', 'x', {
      beforeCommit: async () => {
        throw lost;
      },
    }).catch((e: unknown) => e);
    expect(error).toBe(lost);
    expect(calls).toEqual(['open /d/.tmp-aaaaaaaaaaaaaaaa', 'unlink /d/.tmp-aaaaaaaaaaaaaaaa']);
  });

  it('names the step, the path and keeps the cause of an errno error', async () => {
    const cause = errno('ENOENT', 'stat');
    const { fs } = scriptedFs({ open: async () => handleReturning((d) => d.length), unlink: async () => undefined });
    const error = await writeFileAtomic({ fs, random }, '/d/f', 'x', {
      beforeCommit: async () => {
        throw cause;
      },
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FileError);
    expect(error).toMatchObject({ step: 'commit check', path: '/d/.tmp-aaaaaaaaaaaaaaaa', code: 'ENOENT', cause });
    expect(wrapFileError(new Error('plain'), 'read', '/x')).toEqual(new Error('plain'));
    // An error that already names its step and path keeps them: it is not wrapped a second time.
    const inner = new FileError('EIO', 'fsync', '/a/.tmp-1');
    expect(wrapFileError(inner, 'read', '/b')).toBe(inner);
  });

  it('keeps the renamed file when only the directory fsync fails (no unlink of the tmp name)', async () => {
    const { fs, calls } = scriptedFs({
      open: async () => handleReturning((d) => d.length),
      rename: async () => undefined,
      syncDir: async () => {
        throw errno('EIO', 'fsync');
      },
      unlink: async () => undefined,
    });
    await expect(writeFileAtomic({ fs, random }, '/d/f', 'x')).rejects.toMatchObject({
      step: 'fsync directory',
      path: '/d',
      code: 'EIO',
    });
    expect(calls.filter((c) => c.startsWith('unlink'))).toEqual([]);
  });
});

describe('ensureDir bounds and answers', () => {
  it('refuses a path that is not below the root, or deeper than 32 levels', async () => {
    const { fs, calls } = scriptedFs({});
    await expect(ensureDir(fs, '/elsewhere/x', '/data')).rejects.toThrow(
      new AssertionError('ensureDir: /elsewhere/x is not below /data'),
    );
    await expect(ensureDir(fs, 'relative/x', '/data')).rejects.toThrow(
      new AssertionError('ensureDir: relative/x is not below /data'),
    );
    const deep = `/data/${Array.from({ length: 33 }, (_, i) => `d${i}`).join('/')}`;
    await expect(ensureDir(fs, deep, '/data')).rejects.toThrow(
      new AssertionError(`ensureDir: ${deep} is not below /data`),
    );
    expect(calls).toEqual([]);
    const ok = scriptedFs({ mkdir: async () => undefined, syncDir: async () => undefined });
    const deepest = `/data/${Array.from({ length: 32 }, (_, i) => `d${i}`).join('/')}`;
    await ensureDir(ok.fs, deepest, '/data');
    expect(ok.calls).toContain(`mkdir ${deepest}`);
  });

  it('after EEXIST: a symlink and a file are refused by name, a vanished entry is fine, other lstat errors propagate', async () => {
    const exists = async () => {
      throw errno('EEXIST', 'mkdir');
    };
    const withLstat = (lstat: FileSystem['lstat']) =>
      scriptedFs({ mkdir: exists, lstat, syncDir: async () => undefined }).fs;
    await expect(
      ensureDir(
        withLstat(async () => linkStats),
        '/data/s',
        '/data',
      ),
    ).rejects.toThrow(new PermanentError('/data/s is a symlink; refusing to follow it out of the data root'));
    await expect(
      ensureDir(
        withLstat(async () => fileStats),
        '/data/s',
        '/data',
      ),
    ).rejects.toThrow(new PermanentError('/data/s exists and is not a directory'));
    await expect(
      ensureDir(
        withLstat(async () => dirStats),
        '/data/s',
        '/data',
      ),
    ).resolves.toBeUndefined();
    await expect(
      ensureDir(
        withLstat(async () => {
          throw errno('ENOENT', 'lstat');
        }),
        '/data/s',
        '/data',
      ),
    ).resolves.toBeUndefined();
    await expect(
      ensureDir(
        withLstat(async () => {
          throw errno('EACCES', 'lstat');
        }),
        '/data/s',
        '/data',
      ),
    ).rejects.toMatchObject({ code: 'EACCES' });
  });
});

describe('removeTree error paths', () => {
  it('propagates lstat and readdir errors other than ENOENT; a directory gone before readdir counts nothing', async () => {
    await expect(
      removeTree(
        scriptedFs({
          lstat: async () => {
            throw errno('EACCES', 'lstat');
          },
        }).fs,
        '/t',
      ),
    ).rejects.toMatchObject({ code: 'EACCES' });
    await expect(
      removeTree(
        scriptedFs({
          lstat: async () => dirStats,
          readdir: async () => {
            throw errno('EIO', 'scandir');
          },
        }).fs,
        '/t',
      ),
    ).rejects.toMatchObject({ code: 'EIO' });
    const gone = scriptedFs({
      lstat: async () => dirStats,
      readdir: async () => {
        throw errno('ENOENT', 'scandir');
      },
    });
    await expect(removeTree(gone.fs, '/t')).resolves.toEqual({ files: 0, bytes: 0 });
    expect(gone.calls).toEqual(['lstat /t', 'readdir /t']);
  });

  it('unlink and rmdir errors other than ENOENT propagate; ENOENT (removed meanwhile) is fine', async () => {
    const withUnlink = (unlink: FileSystem['unlink']) => scriptedFs({ lstat: async () => fileStats, unlink }).fs;
    await expect(
      removeTree(
        withUnlink(async () => {
          throw errno('EACCES', 'unlink');
        }),
        '/f',
      ),
    ).rejects.toMatchObject({ code: 'EACCES' });
    await expect(
      removeTree(
        withUnlink(async () => {
          throw errno('ENOENT', 'unlink');
        }),
        '/f',
      ),
    ).resolves.toEqual({ files: 1, bytes: 3 });
    const withRmdir = (rmdir: FileSystem['rmdir']) =>
      scriptedFs({ lstat: async () => dirStats, readdir: async () => [], rmdir }).fs;
    await expect(
      removeTree(
        withRmdir(async () => {
          throw errno('ENOTEMPTY', 'rmdir');
        }),
        '/d',
      ),
    ).rejects.toMatchObject({ code: 'ENOTEMPTY' });
    await expect(
      removeTree(
        withRmdir(async () => {
          throw errno('ENOENT', 'rmdir');
        }),
        '/d',
      ),
    ).resolves.toEqual({ files: 0, bytes: 0 });
  });

  it('refuses to descend more than 8 levels (a loop or a hostile tree)', async () => {
    const { fs } = scriptedFs({
      lstat: async () => dirStats,
      readdir: async () => ['d'],
      rmdir: async () => undefined,
    });
    await expect(removeTree(fs, '/t')).rejects.toThrow(
      new AssertionError(`removeTree: /t${'/d'.repeat(9)} is nested deeper than 8`),
    );
    const shallow = scriptedFs({
      lstat: async (p: string) => (p.split('/').length > 9 ? fileStats : dirStats),
      readdir: async () => ['d'],
      rmdir: async () => undefined,
      unlink: async () => undefined,
    });
    await expect(removeTree(shallow.fs, '/t')).resolves.toEqual({ files: 1, bytes: 3 });
  });
});

describe('error texts', () => {
  it("a schema violation carries zod's message for the first issue", () => {
    const schema = z.object({ a: z.number() });
    expect(() => parseJsonBytes('/s.json', enc('{"a":"x"}'), schema)).toThrow(
      '/s.json is corrupt: schema violation at a: Invalid input: expected number, received string',
    );
  });

  it('a state.json with invalid UTF-8 inside a JSON string is corrupt, not silently replaced', () => {
    const bytes = new Uint8Array([...enc('{"a":"'), 0xff, ...enc('"}')]);
    expect(() => parseJsonBytes('/s.json', bytes, z.object({ a: z.string() }))).toThrow(
      '/s.json is corrupt: not valid UTF-8',
    );
  });

  it('classification keeps the error name, or the one a rule gives', () => {
    expect(classifyError(errno('EACCES', 'open'))).toMatchObject({
      kind: 'permanent',
      name: 'Error',
      basis: 'errno EACCES',
    });
    expect(classifyError(new z.ZodError([]))).toMatchObject({ name: 'SchemaError' });
  });
});
