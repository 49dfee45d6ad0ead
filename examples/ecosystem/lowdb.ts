// lowdb@7.0.1: read the JSON database, add a post, write it back (JSONFile adapter, steno underneath).
import { Low } from 'lowdb';
import { JSONFile } from 'lowdb/node';
import type { ForeignWorkload } from '../../harness/foreign/foreignWorkload.ts';
import { savedJsonCheck } from './savedFile.ts';

const workload: ForeignWorkload = {
  name: 'lowdb@7.0.1 db.write',
  files: { '/db/db.json': '{"posts":["a"]}' },
  run: async ({ mount, ack }) => {
    const db = new Low<{ posts: string[] }>(new JSONFile(`${mount}/db/db.json`), { posts: [] });
    await db.read();
    db.data.posts.push('b');
    await db.write();
    ack('saved');
  },
  check: savedJsonCheck('/db/db.json', { posts: ['a'] }, { posts: ['a', 'b'] }),
};
export default workload;
