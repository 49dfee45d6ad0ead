// One writeAll (src/writeAll.ts): the foreign-code fs shim's writeFileSync/appendFileSync and its
// write streams loop on short writes with the runtime's own loop, so a write that makes no progress
// fails with the runtime's error (EIO, 'write made no progress') instead of looping forever. The fake
// kernel gives up after a few hundred writes, so a loop without the guard fails here, not hangs.
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { writeAll, writeAllSync } from '../../src/writeAll.ts';
import { syncSurface } from '../../harness/foreign/worker/syncSurface.ts';
import { createWriteStream } from '../../harness/foreign/worker/streams.ts';
import type { SyncKernel } from '../../harness/foreign/worker/syncKernel.ts';

const LOOPED = 'looped: the writer kept calling write after it made no progress';

/** A kernel whose writes each return what `answer` says; it records every call. */
function fakeKernel(answer: (data: Uint8Array) => number) {
  const calls: string[] = [];
  const written: number[] = [];
  let writes = 0;
  const call = (request: Parameters<SyncKernel['call']>[0]): unknown => {
    if (request.kind !== 'fs') throw new Error(`unexpected ${request.kind}`);
    const [first, data, position] = request.args as [unknown, Uint8Array, number | null];
    calls.push(request.op === 'write' ? `write ${data.length}B@${position}` : `${request.op} ${String(first)}`);
    if (request.op === 'open') return 1_000_000;
    if (request.op !== 'write') return undefined;
    if (++writes > 300) throw new Error(LOOPED);
    const count = answer(data);
    written.push(...data.subarray(0, Math.max(0, count)));
    return count;
  };
  return { kernel: { call } as unknown as SyncKernel, calls, written };
}

describe('writeAllSync', () => {
  it("fails a write that makes no progress at once, with the runtime's error", () => {
    let calls = 0;
    const error = (() => {
      try {
        writeAllSync(() => {
          if (++calls > 300) throw new Error(LOOPED);
          return 0;
        }, new Uint8Array(3));
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toMatchObject({ message: 'write made no progress', code: 'EIO', syscall: 'write' });
    expect(calls).toBe(1);
  });

  it('is the same loop as writeAll: same offsets for short writes, same refusals', async () => {
    const offsets: number[] = [];
    writeAllSync((data, offset) => {
      offsets.push(offset);
      return Math.min(2, data.length);
    }, new Uint8Array(5));
    expect(offsets).toEqual([0, 2, 4]);
    expect(() => writeAllSync(() => 4, new Uint8Array(3))).toThrow('write returned 4');
    const handle = { write: async () => 0, sync: async () => undefined, close: async () => undefined };
    await expect(writeAll(handle, new Uint8Array(3))).rejects.toMatchObject({
      message: 'write made no progress',
      code: 'EIO',
    });
  });
});

describe('the fs shim writes with it', () => {
  it('writeFileSync: a zero-byte write fails with EIO after one call, and the file is closed', () => {
    const { kernel, calls } = fakeKernel(() => 0);
    const surface = syncSurface(kernel, '/mnt');
    expect(() => surface.writeFileSync('/f', 'abc')).toThrow(
      expect.objectContaining({ message: 'write made no progress', code: 'EIO' }),
    );
    expect(calls).toEqual(['open /f', 'write 3B@null', 'close 1000000']);
  });

  it('writeFileSync at a descriptor: short writes are continued until every byte is written', () => {
    const { kernel, calls, written } = fakeKernel((data) => Math.min(2, data.length));
    syncSurface(kernel, '/mnt').writeFileSync(1_000_000, 'hello');
    expect(calls).toEqual(['write 5B@null', 'write 3B@null', 'write 1B@null']);
    expect(Buffer.from(written).toString()).toBe('hello');
  });

  it('a write stream: a zero-byte write errors the stream instead of looping', async () => {
    const { kernel, calls } = fakeKernel(() => 0);
    const stream = createWriteStream(syncSurface(kernel, '/mnt'), '/f', '/mnt/f', undefined);
    stream.write('abc');
    const [error] = await once(stream, 'error');
    expect(error).toMatchObject({ message: 'write made no progress', code: 'EIO' });
    expect(calls.filter((call) => call.startsWith('write'))).toEqual(['write 3B@null']);
  });

  it('a write stream at a start position: short writes land one after another', async () => {
    const { kernel, calls, written } = fakeKernel((data) => Math.min(2, data.length));
    const stream = createWriteStream(syncSurface(kernel, '/mnt'), '/f', '/mnt/f', { start: 10 });
    stream.end('hello');
    await once(stream, 'finish');
    expect(calls.filter((call) => call.startsWith('write'))).toEqual(['write 5B@10', 'write 3B@12', 'write 1B@14']);
    expect(Buffer.from(written).toString()).toBe('hello');
    expect((stream as unknown as { bytesWritten: number }).bytesWritten).toBe(5);
  });
});
