// I6 acknowledged means durable. Model: once the runtime reported a job complete (the job.complete
// event), no crash of any model it claims to survive may lose it, unless a user deleted it since: in the crash state its state.json
// says complete and its artifacts are the golden ones.
import type { RuntimeConfig } from '../../src/config.ts';
import type { SimFsCore } from '../simFs/simFsCore.ts';
import { bytesEqual } from '../simFs/snapshot.ts';
import type { Golden } from '../oracle/golden.ts';
import { readCoreFile, readCoreState } from '../oracle/coreFiles.ts';
import type { Violation } from './violation.ts';
import { countCheck } from './checkCount.ts';

export function checkAckDurable(
  core: SimFsCore,
  golden: Golden,
  config: RuntimeConfig,
  ackedJobIds: Iterable<string>,
  model: string,
): Violation[] {
  countCheck();
  const violations: Violation[] = [];
  for (const jobId of ackedJobIds) {
    // A deletion asked for after the acknowledgement supersedes it (its tombstone is durable first).
    if (readCoreFile(core, `${config.root}/jobs/${jobId}/deleted`) !== undefined) continue;
    let status: string | undefined;
    try {
      status = readCoreState(core, config, jobId)?.status;
    } catch (error) {
      status = `unreadable (${(error as Error).message})`;
    }
    if (status !== 'complete') {
      violations.push({
        invariant: 'I6',
        message:
          `job ${jobId} was acknowledged complete, but after a ${model} crash its state is ` + `${status ?? 'missing'}`,
      });
      continue;
    }
    const job = golden.jobs.get(jobId);
    const sessionPath = `${config.root}/sessions/${job?.spec.sessionId}/transcript.txt`;
    const sessionTranscript = readCoreFile(core, sessionPath);
    if (
      !(golden.sessionTranscripts.get(job?.spec.sessionId ?? '') ?? []).some((v) => bytesEqual(v, sessionTranscript))
    ) {
      violations.push({
        invariant: 'I6',
        path: sessionPath,
        message: `acknowledged job ${jobId} lost its session transcript in a ${model} crash`,
      });
    }
    for (const [name, bytes] of job?.artifacts ?? []) {
      const path = `${config.root}/jobs/${jobId}/${name}`;
      if (!bytesEqual(readCoreFile(core, path), bytes))
        violations.push({
          invariant: 'I6',
          path,
          message: `acknowledged job ${jobId} lost ${name} in a ${model} crash`,
        });
    }
  }
  return violations;
}
