// Bugs that only another world shows: a process in another time zone, an operation that ends with a
// descriptor still open on an error path, a backlog larger than one pass takes, a contender on
// another host. The model campaign's swarm (each process draws TZ and LANG; sessions with and without
// a transcription service and with a small --max-jobs), the kernel's handle count (I5) and chaos runs
// with a second host (each host its own pid table) catch them. Each is a source patch, as a
// maintainer would write it.
import type { ZooBug } from './zooBug.ts';
import { patch } from './zooPatch.ts';

/** The runner pass ordering its due jobs by `order` instead of oldest enqueued first. */
function dueOrder(order: string): ZooBug['variant'] {
  const right = 'due.sort((a, b) => a.createdAt - b.createdAt || (a.jobId < b.jobId ? -1 : 1));';
  return { patches: [patch('runnerPass.ts', right, `due.sort((a, b) => ${order});`)] };
}

export const WORLD_BUGS: readonly ZooBug[] = [
  {
    id: 'retry-after-date-read-as-local-time',
    title: 'a Retry-After HTTP-date is parsed with its GMT dropped: outside UTC the retry time is off by hours',
    seenIn: 'hand-rolled HTTP-date parsers that strip the zone before Date.parse',
    expect: ['I9'],
    variant: {
      patches: [
        patch(
          'retryAfter.ts',
          'const atMs = Date.parse(value);',
          "const atMs = Date.parse(value.replace(/ GMT$/, ''));",
        ),
      ],
    },
  },
  {
    id: 'atomic-write-leaks-handle-on-error',
    title: 'a failed atomic write (disk full, EIO) removes its tmp file but never closes its handle',
    seenIn: 'cleanup paths that unlink and forget close; EMFILE after weeks of a long-lived server',
    expect: ['I5'],
    variant: {
      patches: [
        patch('writeFileAtomic.ts', '    if (handle !== undefined) await handle.close().catch(() => undefined);\n', ''),
      ],
    },
  },
  {
    id: 'lock-record-leaks-handle-on-error',
    title: 'a lock record whose write fails is left with its handle open (close only on success)',
    seenIn: 'try blocks that close inside the try instead of in finally',
    expect: ['I5'],
    variant: {
      patches: [
        patch(
          'writeFileAtomic.ts',
          '  try {\n    await writeAll(handle, bytes);\n  } finally {\n    await handle.close();\n  }',
          '  await writeAll(handle, bytes);\n  await handle.close();',
        ),
      ],
    },
  },
  {
    id: 'backlog-taken-by-name',
    title: 'a pass over a backlog larger than --max-jobs takes due jobs in name order: job z starves',
    seenIn: 'queues that list a directory and take the first N entries',
    expect: ['I9'],
    variant: dueOrder('(a.jobId < b.jobId ? -1 : 1)'),
  },
  {
    id: 'backlog-newest-first',
    title: 'a bounded pass takes the newest due jobs first: under steady arrivals old jobs never run',
    seenIn: 'LIFO work lists (a stack where a queue was meant)',
    expect: ['I9'],
    variant: dueOrder('b.createdAt - a.createdAt || (a.jobId < b.jobId ? -1 : 1)'),
  },
  {
    id: 'pid-liveness-ignores-host',
    title: "a lock owner's pid is looked up on this host whatever host it runs on: a live owner elsewhere is retired",
    seenIn: 'pid-file locks on shared or network filesystems (kill(pid, 0) asked of the wrong machine)',
    expect: ['I4'],
    variant: {
      patches: [
        patch(
          'ownerLock.ts',
          "if (owner.host === io.processes.host && !io.processes.isAlive(owner.pid)) return 'dead';",
          "if (!io.processes.isAlive(owner.pid)) return 'dead';",
        ),
      ],
    },
  },
];
