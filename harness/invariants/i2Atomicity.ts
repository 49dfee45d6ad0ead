// I2 atomicity. Model: final files are only ever replaced whole (tmp + fsync + rename). So in any
// crash state, each final file is either absent or one complete valid version: artifacts byte-equal
// the golden run's, the input byte-equal what was enqueued, state.json parsing against its schema,
// a session transcript equal to one its jobs produce, a tombstone that parses. Never torn, never empty.
import type { RuntimeConfig } from '../../src/config.ts';
import { FILE } from '../../src/layout.ts';
import type { SimFsCore } from '../simFs/simFsCore.ts';
import { bytesEqual, text } from '../simFs/snapshot.ts';
import type { Golden } from '../oracle/golden.ts';
import { readCoreFile, readCoreState } from '../oracle/coreFiles.ts';
import type { Violation } from './violation.ts';
import { countCheck } from './checkCount.ts';

export function checkAtomicity(core: SimFsCore, golden: Golden, config: RuntimeConfig): Violation[] {
  countCheck();
  const violations: Violation[] = [];
  const bad = (path: string, message: string) => violations.push({ invariant: 'I2', path, message });
  for (const [jobId, expected] of golden.jobs) {
    const dir = `${config.root}/jobs/${jobId}`;
    try {
      readCoreState(core, config, jobId);
    } catch (error) {
      bad(`${dir}/state.json`, (error as Error).message);
    }
    const input = readCoreFile(core, `${dir}/${expected.inputName}`);
    if (input !== undefined && !bytesEqual(input, expected.input))
      bad(`${dir}/${expected.inputName}`, `input is torn (${input.length} of ${expected.input.length} bytes)`);
    for (const name of [FILE.transcript, FILE.draft, FILE.export]) {
      const bytes = readCoreFile(core, `${dir}/${name}`);
      if (bytes === undefined) continue;
      const want = expected.artifacts.get(name);
      if (want === undefined) bad(`${dir}/${name}`, `${name} exists although the fault-free run never makes it`);
      else if (!bytesEqual(bytes, want))
        bad(`${dir}/${name}`, `${name} is torn or mixed (${bytes.length} bytes, expected ${want.length})`);
    }
    const tombstone = readCoreFile(core, `${dir}/${FILE.tombstone}`);
    if (tombstone !== undefined) {
      try {
        JSON.parse(text(tombstone));
      } catch {
        bad(`${dir}/${FILE.tombstone}`, `tombstone is torn (${tombstone.length} bytes)`);
      }
    }
  }
  for (const [sessionId, versions] of golden.sessionTranscripts) {
    const path = `${config.root}/sessions/${sessionId}/${FILE.transcript}`;
    const bytes = readCoreFile(core, path);
    if (bytes !== undefined && !versions.some((v) => bytesEqual(v, bytes)))
      bad(path, `session transcript is torn or mixed (${bytes.length} bytes)`);
  }
  return violations;
}
