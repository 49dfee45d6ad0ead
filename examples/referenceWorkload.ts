// The same config save with durable-jobs' own writeFileAtomic (through its production node:fs
// adapter): `npm run chaos -- foreign examples/referenceWorkload.ts` finds nothing.
import { writeFileAtomic } from '../src/writeFileAtomic.ts';
import { nodeFileSystem } from '../src/adapters/nodeFileSystem.ts';
import { cryptoRandom } from '../src/adapters/systemPorts.ts';
import type { ForeignWorkload } from '../harness/foreign/exploreForeign.ts';
import peer from './writeFileAtomicWorkload.ts';

const workload: ForeignWorkload = {
  ...peer,
  name: 'durable-jobs writeFileAtomic config save',
  run: async ({ mount, ack }) => {
    await writeFileAtomic({ fs: nodeFileSystem, random: cryptoRandom }, `${mount}/db/config.json`, '{"v":2}');
    ack('saved');
  },
};
export default workload;
