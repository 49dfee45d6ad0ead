// Unit tests for the small runtime helpers, written against the survivors of a mutation run: each
// assertion here kills mutants that the end-to-end suites let through.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { crc32 } from '../../src/checksum.ts';
import { checkId, isValidId } from '../../src/ids.ts';
import { parseJsonBytes, readJsonFile } from '../../src/jsonFile.ts';
import { removeTree } from '../../src/removeTree.ts';
import { ensureDir, ensureRoot } from '../../src/ensureDir.ts';
import { isDue, retryDelayMs } from '../../src/backoff.ts';
import { parseRetryAfterMs } from '../../src/retryAfter.ts';
import { classifyError } from '../../src/classifyError.ts';
import { HttpStatusError, TransientError } from '../../src/errors.ts';
import { hasTombstone, writeTombstone } from '../../src/tombstone.ts';
import { writeFileAtomic } from '../../src/writeFileAtomic.ts';
import { inWorld } from '../support/simIo.ts';
import { recordingFs, errno } from '../support/recordingFs.ts';
import type { Random } from '../../src/ports/random.ts';

const enc = (t: string) => new TextEncoder().encode(t);
const fixedRandom = (fraction: number): Random => ({ fraction: () => fraction, hex: (n) => '0'.repeat(2 * n) });

describe('crc32', () => {
  it('matches the IEEE check values', () => {
    expect(crc32(new Uint8Array(0))).toBe(0);
    expect(crc32(enc('123456789'))).toBe(0xcbf43926);
    expect(crc32(enc('The quick brown fox jumps over the lazy dog'))).toBe(0x414fa339);
    expect(crc32(new Uint8Array([0xff]))).toBe(0xff000000);
  });
});

describe('ids', () => {
  it('anchors both ends and names the id in the error', () => {
    expect(isValidId('ok-id_1')).toBe(true);
    expect(isValidId('../ok')).toBe(false);
    expect(isValidId('ok/..')).toBe(false);
    expect(() => checkId('session', 'a b')).toThrow(
      'invalid session id "a b": ids are 1-64 characters of A-Z a-z 0-9 _ -',
    );
    expect(checkId('job', 'fine')).toBe('fine');
  });
});

describe('jsonFile', () => {
  const schema = z.object({ a: z.object({ b: z.number() }) });
  it('names what is wrong: encoding, emptiness, syntax, and the schema path', () => {
    expect(() => parseJsonBytes('/s.json', new Uint8Array([0xc3, 0x28]), schema)).toThrow(
      '/s.json is corrupt: not valid UTF-8',
    );
    expect(() => parseJsonBytes('/s.json', enc(' \n'), schema)).toThrow('/s.json is corrupt: empty file (2 bytes)');
    expect(() => parseJsonBytes('/s.json', enc('{'), schema)).toThrow(/\/s\.json is corrupt: not valid JSON \(/);
    expect(() => parseJsonBytes('/s.json', enc('{"a":{"b":"x"}}'), schema)).toThrow(/schema violation at a\.b: /);
    expect(() => parseJsonBytes('/s.json', enc('[]'), schema)).toThrow(/schema violation at \(root\): /);
    expect(parseJsonBytes('/s.json', enc('{"a":{"b":1}}'), schema)).toEqual({ a: { b: 1 } });
  });

  it('reads: missing → undefined, symlink → refused, other errors → FileError with the step', async () => {
    await inWorld(async (io, world) => {
      await io.fs.mkdir('/d');
      expect(await readJsonFile(io.fs, '/d/none.json', schema)).toBeUndefined();
      world.core.symlink('/etc/x', '/d/link.json');
      await expect(readJsonFile(io.fs, '/d/link.json', schema)).rejects.toThrow(
        '/d/link.json is a symlink; refusing to follow it out of the data root',
      );
      await io.fs.mkdir('/d/dir.json');
      await expect(readJsonFile(io.fs, '/d/dir.json', schema)).rejects.toMatchObject({
        name: 'FileError',
        code: 'EISDIR',
        step: 'read',
      });
    });
  });
});

describe('removeTree', () => {
  it('removes a tree bottom-up, counts files and bytes, never follows a symlink, tolerates absence', async () => {
    await inWorld(async (io, world) => {
      await io.fs.mkdir('/t/a/b', { recursive: true });
      for (const [path, text] of [
        ['/t/x', 'xx'],
        ['/t/a/y', 'yyy'],
        ['/t/a/b/z', 'z'],
      ] as const) {
        const h = await io.fs.open(path, 'wx');
        await h.write(enc(text), 0);
        await h.close();
      }
      await io.fs.mkdir('/keep');
      const h = await io.fs.open('/keep/file', 'wx');
      await h.close();
      world.core.symlink('/keep', '/t/link');
      expect(await removeTree(io.fs, '/t')).toEqual({ files: 4, bytes: 6 });
      expect(await io.fs.readdir('/')).toEqual(['keep']);
      expect(await io.fs.readdir('/keep')).toEqual(['file']);
      expect(await removeTree(io.fs, '/t')).toEqual({ files: 0, bytes: 0 });
    });
  });

  it('refuses a tree nested deeper than its bound', async () => {
    await inWorld(async (io) => {
      const deep = `/${Array.from({ length: 10 }, (_, i) => `d${i}`).join('/')}`;
      await io.fs.mkdir(deep, { recursive: true });
      await expect(removeTree(io.fs, '/d0')).rejects.toThrow(/nested deeper than 8/);
    });
  });
});

describe('ensureDir', () => {
  it('creates each missing component and fsyncs the parent of every component, existing or not', async () => {
    await inWorld(async (io) => {
      await io.fs.mkdir('/root');
      const { fs, calls } = recordingFs(io.fs);
      await ensureDir(fs, '/root/a/b', '/root');
      expect(calls.filter((c) => c.op === 'mkdir' || c.op === 'fsyncDir').map((c) => `${c.op} ${c.path}`)).toEqual([
        'mkdir /root/a',
        'fsyncDir /root',
        'mkdir /root/a/b',
        'fsyncDir /root/a',
      ]);
      calls.length = 0;
      await ensureDir(fs, '/root/a/b', '/root');
      expect(calls.filter((c) => c.op === 'fsyncDir').map((c) => c.path)).toEqual(['/root', '/root/a']);
    });
  });

  it('refuses a file or a symlink in the path, paths outside the root, and passes other errors on', async () => {
    await inWorld(async (io, world) => {
      await io.fs.mkdir('/root');
      const h = await io.fs.open('/root/file', 'wx');
      await h.close();
      await expect(ensureDir(io.fs, '/root/file', '/root')).rejects.toThrow('/root/file exists and is not a directory');
      world.core.symlink('/elsewhere', '/root/link');
      await expect(ensureDir(io.fs, '/root/link', '/root')).rejects.toThrow(
        '/root/link is a symlink; refusing to follow it out of the data root',
      );
      await expect(ensureDir(io.fs, '/other/x', '/root')).rejects.toThrow('ensureDir: /other/x is not below /root');
      const { fs } = recordingFs(io.fs, { fail: (c) => (c.op === 'mkdir' ? errno('EACCES', 'mkdir') : undefined) });
      await expect(ensureDir(fs, '/root/new', '/root')).rejects.toMatchObject({ code: 'EACCES' });
      await ensureRoot(io.fs, '/made/root');
      expect((await io.fs.stat('/made/root')).isDirectory).toBe(true);
    });
  });
});

describe('backoff and Retry-After, at the boundaries', () => {
  it('the ceiling doubles per attempt from the base, and never goes below one base for the first attempt', () => {
    expect(retryDelayMs(fixedRandom(0.999999), 1, 1_000, 1e9)).toBe(999);
    expect(retryDelayMs(fixedRandom(0.999999), 3, 1_000, 1e9)).toBe(3_999);
    expect(retryDelayMs(fixedRandom(0.999999), 0, 1_000, 1e9)).toBe(999);
    expect(retryDelayMs(fixedRandom(0.5), 40, 1_000, 1e15)).toBe(Math.floor(0.5 * 1_000 * 2 ** 30));
  });

  it('a retry exactly one cap ahead is not yet due; null is due', () => {
    expect(isDue(61_000, 1_000, 60_000)).toBe(false);
    expect(isDue(61_001, 1_000, 60_000)).toBe(true);
    expect(isDue(null, 1_000, 60_000)).toBe(true);
  });

  it('Retry-After: surrounding spaces are fine, partial numbers and undefined are not', () => {
    expect(parseRetryAfterMs(' 5 ', 0)).toBe(5_000);
    expect(parseRetryAfterMs('5s', 0)).toBeUndefined();
    expect(parseRetryAfterMs(undefined, 0)).toBeUndefined();
    expect(parseRetryAfterMs('Sat 28 Nov 2026 12:00:30 GMT', Date.parse('2026-11-28T12:00:00Z'))).toBe(30_000);
    expect(parseRetryAfterMs('x Sat, 28 Nov 2026 12:00:30 GMT', 0)).toBeUndefined();
    expect(parseRetryAfterMs('Sat, 99 Nov 2026 12:00:30 GMT', 0)).toBeUndefined();
  });
});

describe('classifyError details', () => {
  it('keeps names and Retry-After exactly, and only where they apply (no retryAfterMs key otherwise)', () => {
    expect(classifyError('boom')).toStrictEqual({
      kind: 'transient',
      name: 'Error',
      message: 'boom',
      basis: 'unknown error',
    });
    expect(classifyError(new TransientError('t'))).toStrictEqual({
      kind: 'transient',
      name: 'TransientError',
      message: 't',
      basis: 'TransientError',
    });
    expect(classifyError(new HttpStatusError(503, 'down'))).toStrictEqual({
      kind: 'transient',
      name: 'HttpStatusError',
      message: 'down',
      basis: 'HTTP 503',
    });
    expect(classifyError(new HttpStatusError(400, 'bad', 5_000))).toStrictEqual({
      kind: 'permanent',
      name: 'HttpStatusError',
      message: 'bad',
      basis: 'HTTP 400',
    });
    expect(classifyError(Object.assign(new Error('a'), { name: 'AbortError' }))).toMatchObject({
      kind: 'transient',
      basis: 'AbortError',
    });
    expect(classifyError(Object.assign(new Error('t'), { name: 'TimeoutError' }))).toMatchObject({
      kind: 'transient',
      basis: 'TimeoutError',
    });
    expect(classifyError(Object.assign(new Error('odd'), { code: 'EWEIRD' }))).toMatchObject({
      kind: 'transient',
      basis: 'unknown error',
    });
    expect(classifyError(Object.assign(new Error('full'), { code: 'ENOSPC' }))).toMatchObject({
      kind: 'transient',
      basis: 'errno ENOSPC',
    });
    expect(classifyError(Object.assign(new Error('ro'), { code: 'EROFS' }))).toMatchObject({
      kind: 'permanent',
      basis: 'errno EROFS',
    });
    expect(classifyError(new TypeError('x is not a function'))).toStrictEqual({
      kind: 'permanent',
      name: 'TypeError',
      message: 'x is not a function',
      basis: 'programming error',
    });
    const zodError = z.string().safeParse(1).error;
    expect(classifyError(zodError)).toMatchObject({
      kind: 'permanent',
      name: 'SchemaError',
      basis: 'schema violation',
    });
  });
});

describe('tombstone and writeFileAtomic details', () => {
  it('the tombstone records when, and is what hasTombstone sees', async () => {
    await inWorld(async (io) => {
      await io.fs.mkdir('/j');
      expect(await hasTombstone(io, '/j')).toBe(false);
      const before = io.clock.nowMs();
      await writeTombstone(io, '/j');
      expect(await hasTombstone(io, '/j')).toBe(true);
      const { deletedAt } = JSON.parse(new TextDecoder().decode(await io.fs.readFile('/j/deleted'))) as {
        deletedAt: number;
      };
      expect(deletedAt).toBeGreaterThanOrEqual(before);
      expect(deletedAt).toBeLessThanOrEqual(io.clock.nowMs());
      const { fs } = recordingFs(io.fs, { fail: (c) => (c.op === 'stat' ? errno('EIO', 'stat') : undefined) });
      await expect(hasTombstone({ fs }, '/j')).rejects.toMatchObject({ code: 'EIO' });
    });
  });

  it('each failing step is named, with the path that failed, and the handle is closed after a failed write', async () => {
    await inWorld(async (io) => {
      await io.fs.mkdir('/w');
      for (const [op, step, where] of [
        ['open:wx', 'open', /\/w\/\.tmp-/],
        ['write', 'write', /\/w\/\.tmp-/],
        ['fsync', 'fsync', /\/w\/\.tmp-/],
        ['close', 'close', /\/w\/\.tmp-/],
        ['rename', 'rename', /^\/w\/out$/],
        ['fsyncDir', 'fsync directory', /^\/w$/],
      ] as const) {
        const { fs, calls } = recordingFs(io.fs, { fail: (c) => (c.op === op ? errno('EIO', op) : undefined) });
        const failure = await writeFileAtomic({ fs, random: io.random }, '/w/out', 'data').catch((e: unknown) => e);
        expect(failure).toMatchObject({ name: 'FileError', code: 'EIO', step });
        expect((failure as { path: string }).path).toMatch(where);
        if (op === 'write') expect(calls.map((c) => c.op)).toContain('close');
        const left = (await io.fs.readdir('/w')).filter((n) => n.startsWith('.tmp-'));
        expect(left).toEqual([]);
      }
    });
  });
});
