// steno@4.0.2 (lowdb's writer): Writer#write saves a file by writing `.name.tmp` and renaming it over.
import { Writer } from 'steno';
import type { ForeignWorkload } from '../../harness/foreign/foreignWorkload.ts';
import { savedFileCheck } from './savedFile.ts';

const workload: ForeignWorkload = {
  name: 'steno@4.0.2 Writer.write',
  files: { '/db/db.json': '{"v":1}' },
  run: async ({ mount, ack }) => {
    await new Writer(`${mount}/db/db.json`).write('{"v":2}');
    ack('saved');
  },
  check: savedFileCheck('/db/db.json', '{"v":1}', '{"v":2}'),
};
export default workload;
