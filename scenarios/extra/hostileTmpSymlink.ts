import { scenario } from '../../harness/scenarioRunner/scenarioTypes.ts';
import { CLEAN, pass } from '../steps.ts';

// Someone plants symlinks at the names a naive writer would use for its tmp files, pointing outside
// the data root. Tmp names are random and opened with O_EXCL in the owner's work directory, so the
// runtime never writes through them; nothing outside the root changes.
const OUTSIDE = '/etc/passwd-like';
const planted = ['state.json', 'transcript.txt', 'draft.md', 'export.html'].map((name) => ({
  plantSymlink: { path: `/data/jobs/j1/.tmp-${name}`, target: OUTSIDE },
}));

export default scenario({
  id: 'hostile-tmp-symlink',
  title: 'Symlinks planted at predictable tmp names, pointing outside the root: never followed',
  proves: 'Nothing outside the data root is written (tmp files: random names, O_EXCL)',
  jobs: [{ jobId: 'j1', sessionId: 's1', input: 'talk.srt' }],
  steps: [
    { writeFile: { path: OUTSIDE, text: 'root:x:0:0\n' } },
    ...planted,
    pass('runner'),
    { expect: { ...CLEAN, noTmp: false, jobs: { j1: { status: 'complete' } }, files: { [OUTSIDE]: 'root:x:0:0\n' } } },
  ],
});
