// The one FileSystem decorator helper (harness/faults/decorateFileSystem.ts): what a decorator does not
// replace reaches the inner FileSystem unchanged, as the inner call's own promise (no extra microtask
// turn for the scheduler to see); aroundEveryCall describes every call, the handles' included.
import { describe, expect, it } from 'vitest';
import type { FileHandle, FileSystem } from '../../src/ports/fileSystem.ts';
import { aroundEveryCall, decorateFileSystem } from '../../harness/faults/decorateFileSystem.ts';
import type { OpDesc } from '../../harness/simFs/processKernel.ts';

/** One call of each FileSystem method, with its arguments. Typed by keyof FileSystem: a new method must be added here. */
const CALLS: { readonly [K in keyof FileSystem]: Parameters<FileSystem[K]> } = {
  open: ['/d/f', 'wx', 0o600],
  readFile: ['/d/f'],
  rename: ['/d/a', '/d/b'],
  link: ['/d/a', '/d/b'],
  unlink: ['/d/f'],
  mkdir: ['/d', { recursive: true }],
  rmdir: ['/d'],
  readdir: ['/d'],
  stat: ['/d/f'],
  lstat: ['/d/f'],
  syncDir: ['/d'],
};
const NAMES = Object.keys(CALLS) as (keyof FileSystem)[];

/** An inner FileSystem that records each call and answers with a promise of its own, kept in `answers`. */
function innerFs() {
  const seen: string[] = [];
  const answers = new Map<string, Promise<unknown>>();
  const answer = (name: string, args: unknown[], value: unknown) => {
    seen.push(`${name} ${JSON.stringify(args)}`);
    const promise = Promise.resolve(value);
    answers.set(name, promise);
    return promise;
  };
  const handle: FileHandle = {
    write: (data, position) => answer('write', [data.length, position], data.length) as Promise<number>,
    sync: () => answer('sync', [], undefined) as Promise<void>,
    close: () => answer('close', [], undefined) as Promise<void>,
  };
  const fs = Object.fromEntries(
    NAMES.map((name) => [name, (...args: unknown[]) => answer(name, args, name === 'open' ? handle : name)]),
  ) as unknown as FileSystem;
  return { fs, seen, answers };
}

const callAll = (fs: FileSystem) =>
  Promise.all(NAMES.map((name) => (fs[name] as (...args: unknown[]) => Promise<unknown>)(...CALLS[name])));

describe('decorateFileSystem', () => {
  it("forwards every call it does not replace, with its arguments, as the inner call's own promise", async () => {
    const inner = innerFs();
    const fs = decorateFileSystem(inner.fs, {});
    for (const name of NAMES) {
      const result = (fs[name] as (...args: unknown[]) => Promise<unknown>)(...CALLS[name]);
      expect(result).toBe(inner.answers.get(name));
    }
    expect(inner.seen).toEqual(NAMES.map((name) => `${name} ${JSON.stringify(CALLS[name])}`));
  });

  it('uses a replaced call instead of the inner one, and forwards the rest', async () => {
    const inner = innerFs();
    const fs = decorateFileSystem(inner.fs, {
      calls: { syncDir: async () => undefined, readdir: async (path) => [`only ${path}`] },
    });
    expect(await fs.readdir('/d')).toEqual(['only /d']);
    await fs.syncDir('/d');
    await fs.unlink('/d/f');
    expect(inner.seen).toEqual(['unlink ["/d/f"]']);
  });

  it("decorates the handles open returns (a replaced open's too): replaced handle calls only", async () => {
    const inner = innerFs();
    const opened: string[] = [];
    const fs = decorateFileSystem(inner.fs, {
      calls: { open: (path, flags, mode) => inner.fs.open(`${path}.moved`, flags, mode) },
      handle: (handle, path, flags) => {
        opened.push(`${path} ${flags}`);
        return { sync: async () => undefined, write: (data, position) => handle.write(data.subarray(0, 1), position) };
      },
    });
    const handle = await fs.open('/d/f', 'w');
    expect(await handle.write(new Uint8Array(5), 3)).toBe(1);
    await handle.sync();
    await handle.close();
    expect(opened).toEqual(['/d/f w']);
    expect(inner.seen).toEqual(['open ["/d/f.moved","w",null]', 'write [1,3]', 'close []']);
  });
});

describe('aroundEveryCall', () => {
  it('passes every call through the hook, described as the simulated kernel describes it', async () => {
    const inner = innerFs();
    const described: OpDesc[] = [];
    const fs = aroundEveryCall(inner.fs, (call, next) => {
      described.push(call);
      return next();
    });
    await callAll(fs);
    const handle = await fs.open('/d/h', 'r+');
    await handle.write(new Uint8Array(4), 8);
    await handle.sync();
    await handle.close();
    expect(described).toEqual([
      { op: 'open', path: '/d/f', flags: 'wx' },
      { op: 'readFile', path: '/d/f' },
      { op: 'rename', path: '/d/a', to: '/d/b' },
      { op: 'link', path: '/d/a', to: '/d/b' },
      { op: 'unlink', path: '/d/f' },
      { op: 'mkdir', path: '/d' },
      { op: 'rmdir', path: '/d' },
      { op: 'readdir', path: '/d' },
      { op: 'stat', path: '/d/f' },
      { op: 'lstat', path: '/d/f' },
      { op: 'fsyncDir', path: '/d' },
      { op: 'open', path: '/d/h', flags: 'r+' },
      { op: 'write', path: '/d/h', sizeBytes: 4, positionBytes: 8 },
      { op: 'fsync', path: '/d/h' },
      { op: 'close', path: '/d/h' },
    ]);
    expect(inner.seen).toHaveLength(NAMES.length + 4);
  });

  it('lets the hook refuse a call: the inner FileSystem never sees it', async () => {
    const inner = innerFs();
    const fs = aroundEveryCall(inner.fs, (call, next) =>
      call.op === 'rename' ? Promise.reject(new Error(`refused ${call.to}`)) : next(),
    );
    await expect(fs.rename('/d/a', '/d/b')).rejects.toThrow('refused /d/b');
    await fs.stat('/d/a');
    expect(inner.seen).toEqual(['stat ["/d/a"]']);
  });
});
