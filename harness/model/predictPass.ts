// The model of one runner pass (`jobs run`, GET|POST /api/jobs/runner) and of purge: purge first
// removes finished jobs past their TTL, then every due job gets one attempt, oldest enqueued first and
// at most --max-jobs of them. A decision whose
// instant falls inside the step (a TTL or retry time the clock crosses while the pass runs) may go
// either way: the model reads which way from the recorded files, after the judge has checked it was
// one of the two.
import type { RuntimeConfig } from '../../src/config.ts';
import { readCoreState } from '../oracle/coreFiles.ts';
import type { StepRecord } from './stepRecord.ts';
import type { ProductModel } from './productModel.ts';
import { EVERY_JOB, type UpstreamAnswer } from './modelPlan.ts';

export type PassUpstream = readonly { readonly jobId: string; readonly answer: UpstreamAnswer }[];

export function observedGone(config: RuntimeConfig, record: StepRecord): (jobId: string) => boolean {
  return (jobId) => !record.after.has(`${config.root}/jobs/${jobId}`);
}

/** Removes the jobs past their TTL from the model; how many. */
export function expire(
  model: ProductModel,
  window: readonly [number, number],
  gone: (jobId: string) => boolean,
): number {
  let removed = 0;
  for (const job of [...model.jobs.values()]) {
    const sure = model.isExpired(job, window[0]);
    const maybe = model.isExpired(job, window[1]);
    if (sure || (maybe && gone(job.jobId))) {
      model.jobs.delete(job.jobId);
      removed += 1;
    }
  }
  return removed;
}

function recordedAttempts(config: RuntimeConfig, record: StepRecord, jobId: string): number | undefined {
  try {
    return readCoreState(record.core, config, jobId)?.attempts;
  } catch {
    return undefined;
  }
}

export function predictPass(
  model: ProductModel,
  config: RuntimeConfig,
  record: StepRecord,
  upstream: PassUpstream,
): Record<string, unknown> {
  const purged = expire(model, record.window, observedGone(config, record));
  const outcomes = { complete: 0, failed: 0, retry_scheduled: 0 };
  let ran = 0;
  // Oldest enqueued first, at most --max-jobs of them: a later due job waits for a later pass.
  for (const job of [...model.jobs.values()]) {
    const sure = model.isDue(job, record.window[0]);
    const maybe = model.isDue(job, record.window[1]);
    const attempted = (recordedAttempts(config, record, job.jobId) ?? job.attempts) > job.attempts;
    if (!(sure && maybe) && !((sure || maybe) && attempted)) continue;
    if (ran === model.settings.maxJobsPerPass) break;
    const answer = upstream.find((u) => u.jobId === job.jobId || u.jobId === EVERY_JOB)?.answer;
    outcomes[model.attempt(job, answer, record.window)] += 1;
    ran += 1;
  }
  return {
    busy: false,
    jobsSeen: model.jobs.size,
    ran,
    outcomes: { ...outcomes, unchanged: 0, aborted: 0, deleted: 0, deferred: 0, error: 0 },
    unreadable: [],
    deadlineReached: false,
    purge: { jobs: purged },
  };
}
