// @seald-io/nedb@4.1.2: load the datastore (which compacts it: write a temp file, fsync, rename,
// fsync the directory), then insert one document (appended to the data file).
import nedb from '@seald-io/nedb';
import type { CrashView, ForeignWorkload } from '../../harness/foreign/foreignWorkload.ts';

const FILE = '/db/users.db';
// The package is CommonJS (`module.exports = Datastore`) with types written for `export default`.
const Datastore = nedb as unknown as typeof nedb.default;

/** The ids of the documents a crash state holds (lines that do not parse are skipped, as nedb does). */
function idsIn(state: CrashView): string[] {
  const ids: string[] = [];
  for (const line of (state.read(FILE) ?? '').split('\n')) {
    try {
      const doc = JSON.parse(line) as { _id?: string };
      if (typeof doc._id === 'string') ids.push(doc._id);
    } catch {
      // a torn or empty line
    }
  }
  return ids;
}

const workload: ForeignWorkload = {
  name: '@seald-io/nedb@4.1.2 load + insert',
  files: { [FILE]: '{"_id":"a","name":"Ada"}\n' },
  run: async ({ mount, ack }) => {
    const db = new Datastore({ filename: `${mount}${FILE}` });
    await db.loadDatabaseAsync();
    await db.insertAsync({ _id: 'b', name: 'Bob' });
    ack('saved');
  },
  check: (state, acked) => {
    const ids = idsIn(state);
    const out: string[] = [];
    if (!ids.includes('a'))
      out.push(`the document stored before the run is gone: ${JSON.stringify(state.read(FILE) ?? null)}`);
    if (acked.has('saved') && !ids.includes('b'))
      out.push(`acknowledged insert lost: ${JSON.stringify(state.read(FILE) ?? null)}`);
    return out;
  },
};
export default workload;
