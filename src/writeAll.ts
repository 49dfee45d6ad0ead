// Writing every byte of a buffer. write(2) may write fewer bytes than asked (a short write is not an
// error), so a writer loops until every byte is written; a write that makes no progress is an error,
// or the loop would never end. The loop is here once (writeSteps), driven by the runtime's
// asynchronous FileHandle (writeAll) and by synchronous writes (writeAllSync: the harness's node:fs
// shim for foreign code). A count below zero or beyond the bytes left is a broken file system.
import type { FileHandle } from './ports/fileSystem.ts';
import { assert } from './errors.ts';

/** Bound on write calls for one buffer: a file system that keeps returning short writes is broken. */
const MAX_WRITE_CALLS = 1 << 20;

interface WriteStep {
  /** The bytes still to write. */
  readonly data: Uint8Array;
  /** Where they start in the buffer (and in the file, for a write at an offset). */
  readonly offsetBytes: number;
}

/** The loop: yields each write to make and takes back the count that write returned. */
function* writeSteps(bytes: Uint8Array): Generator<WriteStep, void, number> {
  let offsetBytes = 0;
  for (let calls = 0; offsetBytes < bytes.length; calls++) {
    assert(calls < MAX_WRITE_CALLS, `write did not finish within ${MAX_WRITE_CALLS} calls`);
    const writtenBytes = yield { data: bytes.subarray(offsetBytes), offsetBytes };
    assert(writtenBytes >= 0 && writtenBytes <= bytes.length - offsetBytes, `write returned ${writtenBytes}`);
    if (writtenBytes === 0) {
      throw Object.assign(new Error('write made no progress'), { code: 'EIO', syscall: 'write' });
    }
    offsetBytes += writtenBytes;
  }
}

/** Writes all of `bytes` at offset 0 of `handle`'s file, looping on short writes. */
export async function writeAll(handle: FileHandle, bytes: Uint8Array): Promise<void> {
  const steps = writeSteps(bytes);
  let step = steps.next();
  while (step.done !== true) step = steps.next(await handle.write(step.value.data, step.value.offsetBytes));
}

/** writeAll for a synchronous `write(data, offsetBytes)` that returns how many bytes it wrote. */
export function writeAllSync(write: (data: Uint8Array, offsetBytes: number) => number, bytes: Uint8Array): void {
  const steps = writeSteps(bytes);
  let step = steps.next();
  while (step.done !== true) step = steps.next(write(step.value.data, step.value.offsetBytes));
}
