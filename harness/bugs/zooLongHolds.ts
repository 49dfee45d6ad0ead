// Bugs of long lock holds: a lock held while its owner's calls are slow, contenders probing it, and
// heartbeats that come due in the middle of a release. The long-hold generator
// (harness/chaos/longHoldArbitrary.ts) makes those holds; I4 judges every reported loss against who
// really took the lock, and I3 requires a run with no crash and no failed call to leave nothing behind.
import type { ZooBug } from './zooBug.ts';
import { patch } from './zooPatch.ts';

const RELEASE_START = `    this.released = true;
    this.timer?.cancel();
    await this.inflight;
    const outcome = await retire(this.io, this.options, this.token, this.token).catch((error: unknown) => error);`;

export const LONG_HOLD_BUGS: readonly ZooBug[] = [
  {
    id: 'release-stops-heartbeat-late',
    title: 'release stops the heartbeat only after retiring: a beat due during a slow release finds the lock "lost"',
    seenIn: 'lease libraries that clear their renewal timer in a finally after the release call',
    expect: ['I4'],
    variant: {
      patches: [
        patch(
          'ownerLock.ts',
          RELEASE_START,
          `    const outcome = await retire(this.io, this.options, this.token, this.token).catch((error: unknown) => error);
    this.released = true;
    this.timer?.cancel();
    await this.inflight;`,
        ),
        patch(
          'ownerLock.ts',
          '    if (this.released || this.lost) return;\n    const tmp',
          '    if (this.lost) return;\n    const tmp',
        ),
      ],
    },
  },
  {
    id: 'release-races-inflight-heartbeat',
    title: 'release does not wait for a heartbeat in flight: the beat lands after the work directory is retired',
    seenIn: 'renewal loops whose pending write is not awaited on shutdown (a fire-and-forget promise)',
    expect: ['I4', 'I3', 'I5'],
    variant: {
      patches: [
        patch(
          'ownerLock.ts',
          RELEASE_START,
          `    this.released = true;
    this.timer?.cancel();
    const outcome = await retire(this.io, this.options, this.token, this.token).catch((error: unknown) => error);`,
        ),
      ],
    },
  },
  {
    id: 'release-leaves-reap-directory',
    title: 'a release retires its own lock but leaves the reap directory for the next sweep to remove',
    seenIn: 'lock libraries that defer cleanup of their own tombstones to a periodic sweep',
    expect: ['I3'],
    variant: {
      patches: [
        patch(
          'ownerLock.ts',
          '  const inner = await removeTree(io.fs, myReap);',
          '  const inner = staleToken === myToken ? { files: 0, bytes: 0 } : await removeTree(io.fs, myReap);',
        ),
      ],
    },
  },
];
