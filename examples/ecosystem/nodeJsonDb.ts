// node-json-db@3.0.0: push a value and save (atomically@1 underneath).
import { Config, JsonDB } from 'node-json-db';
import type { ForeignWorkload } from '../../harness/foreign/foreignWorkload.ts';
import { savedJsonCheck } from './savedFile.ts';

const workload: ForeignWorkload = {
  name: 'node-json-db@3.0.0 push + save',
  files: { '/db/store.json': '{"v":1}' },
  run: async ({ mount, ack }) => {
    const db = new JsonDB(new Config(`${mount}/db/store.json`, false, false, '/'));
    await db.push('/v', 2);
    await db.save();
    ack('saved');
  },
  check: savedJsonCheck('/db/store.json', { v: 1 }, { v: 2 }),
};
export default workload;
