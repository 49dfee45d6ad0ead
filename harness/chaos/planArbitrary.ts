// The fast-check arbitrary for chaos plans, with swarm testing: each run first picks which kinds of
// fault it may use (a random subset), then draws only faults of those kinds. Runs thus differ in
// their fault mix, which finds bugs that a uniform mix of everything at once would drown out.
import fc from 'fast-check';
import type { ChaosPlan, ChaosProcess, SwarmConfig } from './chaosPlan.ts';
type ChaosFault = ChaosProcess['faults'][number];
import type { UpstreamFault } from '../faults/upstreamFault.ts';

/** What a run may use: faults, and operations that race the runner (enqueue, delete, retry, purge). */
export const FAULT_KINDS = [
  'kill',
  'pause',
  'second-runner',
  'delete',
  'retry',
  'enqueue',
  'purge',
  'clock-step',
  'power-loss',
  'disk-full',
  'errno',
  'fsync-eio',
  'short-writes',
  'slow',
  'upstream',
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

const INPUT_POOL = ['talk.srt', 'captions.vtt', 'notes.txt', 'short.txt', 'song.mp3'] as const;
const JOB_IDS = ['j1', 'j2', 'j3', 'j4'];
/** The job an `enqueue` process creates while the others run. */
const LATE_JOB_ID = 'j9';

const jobsArb = fc.integer({ min: 1, max: 4 }).chain((count) =>
  fc.tuple(
    ...Array.from({ length: count }, (_, i) =>
      fc.record({
        jobId: fc.constant(JOB_IDS[i]!),
        sessionId: fc.constantFrom('s1', 's2', 's3'),
        input: fc.constantFrom(...INPUT_POOL),
      }),
    ),
  ),
);

function faultArb(kinds: ReadonlySet<FaultKind>): fc.Arbitrary<ChaosFault[]> {
  const options: fc.Arbitrary<ChaosFault>[] = [];
  if (kinds.has('disk-full'))
    options.push(fc.integer({ min: 0, max: 20_000 }).map((diskQuotaBytes) => ({ diskQuotaBytes })));
  if (kinds.has('errno')) {
    options.push(
      fc.record({
        errno: fc.constantFrom(
          'EACCES' as const,
          'EPERM' as const,
          'EROFS' as const,
          'EIO' as const,
          'EMFILE' as const,
        ),
        trigger: fc.record({
          op: fc.constantFrom(
            'open' as const,
            'write' as const,
            'rename' as const,
            'fsync' as const,
            'readFile' as const,
            'fsyncDir' as const,
          ),
          nth: fc.integer({ min: 1, max: 12 }),
        }),
      }),
    );
  }
  if (kinds.has('fsync-eio')) options.push(fc.integer({ min: 1, max: 10 }).map((nth) => ({ fsyncEio: { nth } })));
  if (kinds.has('short-writes'))
    options.push(fc.integer({ min: 1, max: 600 }).map((shortWritesMaxBytes) => ({ shortWritesMaxBytes })));
  if (kinds.has('slow'))
    options.push(
      fc.record({
        slowMs: fc.integer({ min: 1_000, max: 90_000 }),
        trigger: fc.record({ nth: fc.integer({ min: 1, max: 60 }) }),
      }),
    );
  return options.length === 0 ? fc.constant([]) : fc.array(fc.oneof(...options), { maxLength: 2 });
}

function upstreamArb(kinds: ReadonlySet<FaultKind>): fc.Arbitrary<UpstreamFault[]> {
  if (!kinds.has('upstream')) return fc.constant([]);
  // How the simulated service answers (transcribe goes through the real HTTP adapter): which status,
  // which Retry-After form, which network error. Unused fields are harmless for the other stages.
  return fc.array(
    fc
      .record({
        stage: fc.constantFrom('transcribe' as const, 'draft' as const, 'export' as const),
        kind: fc.constantFrom(
          'transient' as const,
          'rate-limited' as const,
          'timeout' as const,
          'permanent' as const,
          'invalid-input' as const,
        ),
        times: fc.integer({ min: 1, max: 3 }),
        answer: fc.record({
          transient: fc.constantFrom(500, 502, 503, 504, 408, 425),
          permanent: fc.constantFrom(400, 401, 403, 404, 409, 413, 422),
          retryAfterMs: fc.integer({ min: 1, max: 120 }).map((s) => s * 1_000),
          retryAfterForm: fc.constantFrom('seconds' as const, 'date' as const),
          network: fc.constantFrom(
            'UND_ERR_HEADERS_TIMEOUT',
            'UND_ERR_CONNECT_TIMEOUT',
            'ECONNRESET',
            'ECONNREFUSED',
            'UND_ERR_SOCKET',
          ),
        }),
      })
      .map(({ answer, ...fault }): UpstreamFault => {
        if (fault.kind === 'transient') return { ...fault, status: answer.transient };
        if (fault.kind === 'permanent') return { ...fault, status: answer.permanent };
        if (fault.kind === 'rate-limited')
          return { ...fault, retryAfterMs: answer.retryAfterMs, retryAfterForm: answer.retryAfterForm };
        if (fault.kind === 'timeout') return { ...fault, network: answer.network };
        return fault;
      }),
    { maxLength: 2 },
  );
}

function processArb(name: string, kinds: ReadonlySet<FaultKind>, first: boolean): fc.Arbitrary<ChaosProcess> {
  const tasks: fc.Arbitrary<ChaosProcess['task']>[] = [fc.constant('pass' as const)];
  if (!first && kinds.has('second-runner')) tasks.push(fc.constant('dueJobs' as const));
  if (!first && kinds.has('delete')) tasks.push(fc.constantFrom(...JOB_IDS).map((id) => ({ delete: id })));
  if (!first && kinds.has('retry')) tasks.push(fc.constantFrom(...JOB_IDS).map((id) => ({ retry: id })));
  if (!first && kinds.has('enqueue')) tasks.push(fc.constant({ enqueue: LATE_JOB_ID }));
  if (!first && kinds.has('purge')) tasks.push(fc.constant('purge' as const));
  return fc
    .record({
      name: fc.constant(name),
      task: fc.oneof(...tasks),
      startAfterMs: first ? fc.constant(0) : fc.integer({ min: 0, max: 200 }),
      faults: faultArb(kinds),
      upstream: upstreamArb(kinds),
      killAtCall: kinds.has('kill')
        ? fc.option(fc.integer({ min: 0, max: 400 }), { nil: undefined })
        : fc.constant(undefined),
      pause: kinds.has('pause')
        ? fc.option(
            fc.record({
              atCall: fc.integer({ min: 0, max: 300 }),
              durationMs: fc.integer({ min: 1_000, max: 150_000 }),
            }),
            { nil: undefined },
          )
        : fc.constant(undefined),
      // A contender on another machine sharing the root: its pid means nothing to this host's table.
      otherHost: first ? fc.constant(false) : fc.boolean(),
    })
    .map((p) => {
      const out: ChaosProcess = {
        name: p.name,
        task: p.task,
        startAfterMs: p.startAfterMs,
        faults: p.faults,
        upstream: p.upstream,
      };
      if (p.killAtCall !== undefined) out.killAtCall = p.killAtCall;
      if (p.pause !== undefined) out.pause = p.pause;
      if (p.otherHost) out.otherHost = true;
      return out;
    });
}

/** Runtime options around the simulation defaults (simConfig), each drawn on its own. */
export const swarmConfigArb: fc.Arbitrary<SwarmConfig> = fc
  .record({
    concurrency: fc.integer({ min: 1, max: 4 }),
    staleAfterMs: fc.integer({ min: 15_000, max: 180_000 }),
    heartbeatDivisor: fc.integer({ min: 2, max: 8 }),
    maxAttempts: fc.integer({ min: 1, max: 6 }),
    backoffBaseMs: fc.integer({ min: 0, max: 20_000 }),
    backoffSpanMs: fc.integer({ min: 0, max: 120_000 }),
    ttlMs: fc.integer({ min: 5 * 60_000, max: 3 * 3_600_000 }),
    opLatencyMs: fc.integer({ min: 0, max: 25 }),
  })
  .map(({ heartbeatDivisor, backoffSpanMs, ...c }) => ({
    ...c,
    heartbeatEveryMs: Math.floor(c.staleAfterMs / heartbeatDivisor),
    backoffCapMs: c.backoffBaseMs + backoffSpanMs,
  }));

export const kindsArb: fc.Arbitrary<FaultKind[]> = fc.subarray([...FAULT_KINDS], { minLength: 1 });

export const chaosPlanArb: fc.Arbitrary<ChaosPlan> = kindsArb.chain((kindList) => {
  const kinds = new Set(kindList);
  const racing = ['second-runner', 'delete', 'retry', 'enqueue', 'purge'].some((kind) => kinds.has(kind as FaultKind));
  const processCount = racing ? fc.integer({ min: 2, max: 3 }) : fc.constant(1);
  return processCount
    .chain((count) =>
      fc.record({
        jobs: jobsArb,
        processes: fc.tuple(...Array.from({ length: count }, (_, i) => processArb(`p${i}`, kinds, i === 0))),
        clockSteps: kinds.has('clock-step')
          ? fc.array(
              fc.record({
                atMs: fc.integer({ min: 0, max: 300 }),
                deltaMs: fc.integer({ min: -30 * 60_000, max: 20 * 60_000 }),
              }),
              { maxLength: 2 },
            )
          : fc.constant([] as { atMs: number; deltaMs: number }[]),
        powerLoss: kinds.has('power-loss')
          ? fc.option(
              fc.record({
                atMs: fc.integer({ min: 0, max: 400 }),
                model: fc.constantFrom('lazyfs' as const, 'pessimistic' as const),
              }),
              { nil: undefined },
            )
          : fc.constant(undefined),
        choices: fc.array(fc.nat({ max: 7 }), { maxLength: 300 }),
        config: fc.option(swarmConfigArb, { nil: undefined, freq: 4 }),
        late: fc.record({ sessionId: fc.constantFrom('s1', 's2', 's3'), input: fc.constantFrom(...INPUT_POOL) }),
        worldSeed: fc.option(fc.nat({ max: 1_000_000 }), { nil: undefined, freq: 4 }),
      }),
    )
    .map((plan) => {
      const enqueues = plan.processes.some((p) => typeof p.task === 'object' && 'enqueue' in p.task);
      const jobs = enqueues ? [...plan.jobs, { jobId: LATE_JOB_ID, ...plan.late, late: true }] : plan.jobs;
      const out: ChaosPlan = { jobs, processes: plan.processes, clockSteps: plan.clockSteps, choices: plan.choices };
      if (plan.powerLoss !== undefined) out.powerLoss = plan.powerLoss;
      if (plan.config !== undefined) out.config = plan.config;
      if (plan.worldSeed !== undefined) out.worldSeed = plan.worldSeed;
      return out;
    });
});
