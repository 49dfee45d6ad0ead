// proper-lockfile@4.1.2, two processes: lock (a `.lock` directory made with mkdir, kept fresh by
// touching its mtime every `update` ms, taken over once older than `stale`), a critical section
// (read, write back), release. Pauses longer than `stale` are part of the campaign.
import lockfile from 'proper-lockfile';
import fs from 'node:fs/promises';
import type { ForeignWorkload } from '../../harness/foreign/foreignWorkload.ts';
import { mutualExclusion } from '../../harness/foreign/mutualExclusion.ts';

const workload: ForeignWorkload = {
  name: 'proper-lockfile@4.1.2 lock / release',
  processes: 2,
  files: { '/data/counter': '0' },
  run: async ({ mount, event }) => {
    const file = `${mount}/data/counter`;
    const release = await lockfile.lock(file, {
      stale: 10_000,
      update: 5_000,
      realpath: false,
      retries: { retries: 1_000, minTimeout: 100, maxTimeout: 100 },
    });
    event('enter');
    try {
      const count = Number(await fs.readFile(file, 'utf8'));
      await fs.writeFile(file, String(count + 1));
      event('incremented');
    } catch (error) {
      event('failed'); // an injected fault mid-write leaves the counter damaged: not the lock's doing
      throw error;
    } finally {
      event('leave'); // a process that failed inside is no longer inside (its lock goes stale)
    }
    await release();
  },
  check: () => [],
  checkRun: (events, state) => {
    const out = mutualExclusion(events);
    const count = state.read('/data/counter');
    const increments = events.filter((e) => e.name === 'incremented').length;
    if (!events.some((e) => e.name === 'failed') && count !== String(increments))
      out.push(
        `${increments} increments under the lock left the counter at ${JSON.stringify(count ?? null)} (a lost update)`,
      );
    return out;
  },
};
export default workload;
