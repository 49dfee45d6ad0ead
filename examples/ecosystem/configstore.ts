// configstore@8.0.0: a sync config store (graceful-fs and atomically's writeFileSync underneath).
import Configstore from 'configstore';
import type { ForeignWorkload } from '../../harness/foreign/foreignWorkload.ts';
import { savedJsonCheck } from './savedFile.ts';

const workload: ForeignWorkload = {
  name: 'configstore@8.0.0 set',
  files: { '/cfg/app.json': '{"v":1}' },
  run: async ({ mount, ack }) => {
    const store = new Configstore('app', undefined, { configPath: `${mount}/cfg/app.json` });
    store.set('v', 2);
    ack('saved');
  },
  check: savedJsonCheck('/cfg/app.json', { v: 1 }, { v: 2 }),
};
export default workload;
