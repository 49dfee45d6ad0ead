// atomically@2.1.1: writeFile writes a temporary file, fsyncs it and renames it over (defaults).
import { writeFile } from 'atomically';
import type { ForeignWorkload } from '../../harness/foreign/foreignWorkload.ts';
import { savedFileCheck } from './savedFile.ts';

const workload: ForeignWorkload = {
  name: 'atomically@2.1.1 writeFile',
  files: { '/db/config.json': '{"v":1}' },
  run: async ({ mount, ack }) => {
    await writeFile(`${mount}/db/config.json`, '{"v":2}');
    ack('saved');
  },
  check: savedFileCheck('/db/config.json', '{"v":1}', '{"v":2}'),
};
export default workload;
