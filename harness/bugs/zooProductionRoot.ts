// Bugs of the production composition root: the adapters over Node, the flag mapping of the CLI, the
// HTTP upstream's request, and what the CLI prints. The in-process path never runs this code, so only
// the campaign through the jobs CLI (harness/chaos/productionEntry.ts) and the checks of what a user
// sees (I8's CLI outputs) can catch them. Each is a source patch, as a maintainer would write it.
import type { ZooBug } from './zooBug.ts';
import { patch } from './zooPatch.ts';

export const PRODUCTION_ROOT_BUGS: readonly ZooBug[] = [
  {
    id: 'adapter-dir-fsync-skipped',
    title: 'the node:fs adapter opens and closes the directory but never fsyncs it',
    seenIn: 'hand-rolled fsync helpers that open a directory handle and forget the sync call',
    expect: ['I6', 'I2', 'I3'],
    variant: {
      patches: [patch('adapters/nodeFileSystem.ts', '      try {\n        await handle.sync();\n', '      try {\n')],
    },
  },
  {
    id: 'adapter-short-write-hidden',
    title: 'the node:fs adapter reports every byte written, whatever the kernel wrote',
    seenIn: 'wrappers that return data.length instead of bytesWritten',
    expect: ['I2', 'I1', 'I3', 'I6'],
    variant: {
      patches: [
        patch(
          'adapters/nodeFileSystem.ts',
          '(await handle.write(data, 0, data.length, positionBytes)).bytesWritten',
          '(await handle.write(data, 0, data.length, positionBytes), data.length)',
        ),
      ],
    },
  },
  {
    id: 'monotonic-clock-from-wall',
    title: "the system clock's monotonic time reads the wall clock",
    seenIn: 'Date.now() used for elapsed time; deadlines that jump with NTP',
    expect: ['I8'],
    variant: {
      patches: [
        patch(
          'adapters/systemPorts.ts',
          'monotonicMs: () => platform.monotonicNowMs(),',
          'monotonicMs: () => platform.wallNowMs(),',
        ),
      ],
    },
  },
  {
    id: 'heartbeat-flag-ignored',
    title: 'the CLI drops --heartbeat-ms: the default heartbeat meets a short stale bound',
    seenIn: 'flag tables where one new setting is parsed but never mapped',
    expect: ['I8'],
    variant: {
      patches: [patch('cli.ts', '    ...(heartbeatEveryMs !== undefined ? { heartbeatEveryMs } : {}),\n', '')],
    },
  },
  {
    id: 'idempotency-key-dropped',
    title: 'the HTTP upstream sends no Idempotency-Key: the service refuses the request',
    seenIn: 'a header lost in a refactor of the request options',
    expect: ['I7', 'I8'],
    variant: {
      patches: [patch('adapters/httpUpstream.ts', "        'idempotency-key': `${jobId}/transcribe`,\n", '')],
    },
  },
];
