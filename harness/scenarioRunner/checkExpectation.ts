// Checking a scenario's Expectation against the world as it stands.
import type { RuntimeConfig } from '../../src/config.ts';
import type { PurgeReport } from '../../src/purge.ts';
import type { World } from '../world/world.ts';
import type { Golden } from '../oracle/golden.ts';
import { lockPaths, readCoreFile, readCoreState, tmpPaths } from '../oracle/coreFiles.ts';
import { snapshot, type Snapshot } from '../simFs/snapshot.ts';
import { checkIdempotency, checkRerunUnchanged } from '../invariants/i1Idempotency.ts';
import { checkAtomicity } from '../invariants/i2Atomicity.ts';
import { checkCrashSafety } from '../invariants/i3CrashSafety.ts';
import { checkLeftovers } from '../invariants/i3Leftovers.ts';
import { checkAckDurable } from '../invariants/i6AckDurable.ts';
import type { Violation } from '../invariants/violation.ts';
import type { EventExpectation, Expectation } from './scenarioTypes.ts';

export interface ExpectationContext {
  readonly world: World;
  readonly config: RuntimeConfig;
  readonly golden: Golden;
  readonly marks: ReadonlyMap<string, Snapshot>;
  readonly lastPurge: PurgeReport | undefined;
  readonly pidOf: (processName: string) => number | undefined;
}

type Check<K extends keyof Expectation> = (
  ctx: ExpectationContext,
  want: NonNullable<Expectation[K]>,
  exp: Expectation,
) => Violation[];

const expected = (message: string, path?: string): Violation => ({
  invariant: 'expect',
  message,
  ...(path ? { path } : {}),
});

const checkJobs: Check<'jobs'> = (ctx, jobs) =>
  Object.entries(jobs).flatMap(([jobId, want]) => {
    let state;
    try {
      state = readCoreState(ctx.world.core, ctx.config, jobId);
    } catch (error) {
      return [expected(`job ${jobId}: ${(error as Error).message}`)];
    }
    if (state === undefined) return [expected(`job ${jobId} has no state.json`)];
    const got = {
      status: state.status,
      stage: state.stage,
      attempts: state.attempts,
      errorKind: state.error?.kind ?? null,
    };
    const out = (['status', 'stage', 'attempts', 'errorKind'] as const)
      .filter((key) => want[key] !== undefined && want[key] !== got[key])
      .map((key) => expected(`job ${jobId}: ${key} is ${String(got[key])}, expected ${String(want[key])}`));
    if (want.errorMatches !== undefined && !new RegExp(want.errorMatches).test(state.error?.message ?? '')) {
      out.push(
        expected(
          `job ${jobId}: error ${JSON.stringify(state.error?.message ?? null)} does not match /${want.errorMatches}/`,
        ),
      );
    }
    return out;
  });

const checkNoTmp: Check<'noTmp'> = (ctx, on) =>
  on ? tmpPaths(ctx.world.core).map((path) => ({ invariant: 'I3', path, message: `tmp file left: ${path}` })) : [];
const checkNoLocks: Check<'noLocks'> = (ctx, on) =>
  on ? lockPaths(ctx.world.core).map((path) => ({ invariant: 'I3', path, message: `lock left: ${path}` })) : [];
const checkGolden: Check<'goldenArtifacts'> = (ctx, on) =>
  on ? checkIdempotency(ctx.world.core, ctx.golden, ctx.config) : [];

const checkUnchanged: Check<'unchangedSince'> = (ctx, { mark, jobs }) => {
  const before = ctx.marks.get(mark);
  if (before === undefined) return [expected(`no mark named ${mark}`)];
  return checkRerunUnchanged(
    before,
    snapshot(ctx.world.core),
    jobs.map((id) => `${ctx.config.root}/jobs/${id}`),
  );
};

const checkEvents: Check<'events'> = (ctx, events) =>
  events.flatMap((want) => {
    const count = countEvents(ctx, want);
    const ok = want.count === undefined ? count > 0 : count === want.count;
    return ok ? [] : [expected(`expected ${want.count ?? 'at least 1'} × ${describeEvent(want)}, saw ${count}`)];
  });

const checkNoEvents: Check<'noEvents'> = (ctx, events) =>
  events.flatMap((unwanted) => {
    const count = countEvents(ctx, unwanted);
    return count > 0 ? [expected(`expected no ${describeEvent(unwanted)}, saw ${count}`)] : [];
  });

const checkFiles: Check<'files'> = (ctx, files) =>
  Object.entries(files).flatMap(([path, want]) => {
    const got = readCoreFile(ctx.world.core, path);
    const text = got === undefined ? null : new TextDecoder().decode(got);
    if (text === want) return [];
    return [
      expected(
        `${path} is ${text === null ? 'absent' : JSON.stringify(text.slice(0, 60))}, expected ` +
          `${want === null ? 'absent' : JSON.stringify(want.slice(0, 60))}`,
        path,
      ),
    ];
  });

const checkPresent: Check<'present'> = (ctx, paths) =>
  paths.flatMap((relative) => {
    const path = `${ctx.config.root}/${relative}`;
    return pathExists(ctx.world, path) ? [] : [expected(`${relative} should exist`, path)];
  });

const checkAbsent: Check<'absent'> = (ctx, paths) =>
  paths.flatMap((relative) => {
    const path = `${ctx.config.root}/${relative}`;
    const exists = readCoreFile(ctx.world.core, path) !== undefined || pathExists(ctx.world, path);
    return exists ? [expected(`${relative} should not exist`, path)] : [];
  });

const checkPurge: Check<'purge'> = (ctx, fields) =>
  Object.entries(fields).flatMap(([key, value]) => {
    const got = (ctx.lastPurge as Record<string, number> | undefined)?.[key];
    return got === value ? [] : [expected(`purge report ${key} is ${String(got)}, expected ${value}`)];
  });

const checkInvariants: Check<'invariants'> = (ctx, ids, exp) =>
  ids.flatMap((id): Violation[] => {
    const { world, golden, config } = ctx;
    if (id === 'I2') return checkAtomicity(world.core, golden, config);
    if (id === 'I6') {
      const acked = world.events.filter((e) => e.event === 'job.complete').map((e) => String(e.fields.jobId));
      return checkAckDurable(world.core, golden, config, acked, 'scenario');
    }
    if (id === 'I3') {
      const deleted = new Set(
        Object.entries(exp.jobs ?? {})
          .filter(([, j]) => j.status === 'deleted')
          .map(([jobId]) => jobId),
      );
      return [...checkCrashSafety(world.core, golden, config, { deleted }), ...checkLeftovers(world.core)];
    }
    return [];
  });

/** Each field of an Expectation and its check, in the order the checks run (`processes` is runScenario's). */
const CHECKS: { readonly [K in Exclude<keyof Expectation, 'processes'>]-?: Check<K> } = {
  jobs: checkJobs,
  noTmp: checkNoTmp,
  noLocks: checkNoLocks,
  goldenArtifacts: checkGolden,
  unchangedSince: checkUnchanged,
  events: checkEvents,
  noEvents: checkNoEvents,
  files: checkFiles,
  present: checkPresent,
  absent: checkAbsent,
  purge: checkPurge,
  invariants: checkInvariants,
};

export function checkExpectation(ctx: ExpectationContext, exp: Expectation): Violation[] {
  return (Object.keys(CHECKS) as (keyof typeof CHECKS)[]).flatMap((key) => {
    const want = exp[key];
    return want === undefined ? [] : (CHECKS[key] as Check<typeof key>)(ctx, want as never, exp);
  });
}

function pathExists(world: World, path: string): boolean {
  try {
    world.core.stat(path, false);
    return true;
  } catch {
    return false;
  }
}

function countEvents(ctx: ExpectationContext, want: EventExpectation): number {
  const pid = want.process === undefined ? undefined : ctx.pidOf(want.process);
  return ctx.world.events.filter(
    (e) =>
      e.event === want.event &&
      (want.jobId === undefined || e.fields.jobId === want.jobId) &&
      (want.stage === undefined || e.fields.stage === want.stage) &&
      (pid === undefined || e.pid === pid),
  ).length;
}

function describeEvent(e: EventExpectation): string {
  return [e.event, e.jobId && `job=${e.jobId}`, e.stage && `stage=${e.stage}`, e.process && `process=${e.process}`]
    .filter(Boolean)
    .join(' ');
}
