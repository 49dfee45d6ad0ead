// fs-extra@11.4.1: outputJson (jsonfile's writeFile underneath) over an existing file. fs-extra
// promises no atomicity or durability: this workload records what a crash leaves.
import fse from 'fs-extra';
import type { ForeignWorkload } from '../../harness/foreign/foreignWorkload.ts';
import { savedJsonCheck } from './savedFile.ts';

const workload: ForeignWorkload = {
  name: 'fs-extra@11.4.1 outputJson',
  files: { '/db/settings.json': '{"v":1}' },
  run: async ({ mount, ack }) => {
    await fse.outputJson(`${mount}/db/settings.json`, { v: 2 });
    ack('saved');
  },
  check: savedJsonCheck('/db/settings.json', { v: 1 }, { v: 2 }),
};
export default workload;
