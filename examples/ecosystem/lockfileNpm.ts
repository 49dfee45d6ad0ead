// lockfile@1.0.4 (npm's), two processes, an abandoned lock already on disk (mtime 1970): both find it
// stale, and each takes it over (unlink, then create with O_EXCL) before its critical section.
import lockFile from 'lockfile';
import { promisify } from 'node:util';
import type { ForeignWorkload } from '../../harness/foreign/foreignWorkload.ts';
import { mutualExclusion } from '../../harness/foreign/mutualExclusion.ts';

const lock = promisify(lockFile.lock) as (path: string, options: lockFile.Options) => Promise<void>;
const unlock = promisify(lockFile.unlock);

const workload: ForeignWorkload = {
  name: 'lockfile@1.0.4 stale takeover',
  processes: 2,
  files: { '/locks/job.lock': { text: '', mtimeMs: 0 } },
  run: async ({ mount, event }) => {
    const path = `${mount}/locks/job.lock`;
    await lock(path, { stale: 10_000, retries: 100, retryWait: 100 });
    event('enter');
    await new Promise((resolve) => setTimeout(resolve, 10));
    event('leave');
    await unlock(path);
  },
  check: () => [],
  checkRun: mutualExclusion,
};
export default workload;
