// An example foreign workload for `npm run chaos -- foreign examples/writeFileAtomicWorkload.ts`:
// write-file-atomic@7.0.1 replacing a config file; once the call resolved, the new content must
// survive any crash, and no crash may leave a torn file.
import writeFileAtomic from 'write-file-atomic';
import type { ForeignWorkload } from '../harness/foreign/exploreForeign.ts';

const workload: ForeignWorkload = {
  name: 'write-file-atomic config save',
  files: { '/db/config.json': '{"v":1}' },
  run: async ({ mount, ack }) => {
    await writeFileAtomic(`${mount}/db/config.json`, '{"v":2}');
    ack('saved');
  },
  check: (state, acked) => {
    const text = state.read('/db/config.json');
    if (acked.has('saved') && text !== '{"v":2}') return [`acknowledged save lost: ${JSON.stringify(text ?? null)}`];
    if (text !== '{"v":1}' && text !== '{"v":2}') return [`torn config: ${JSON.stringify(text ?? null)}`];
    return [];
  },
};
export default workload;
