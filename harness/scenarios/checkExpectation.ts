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

export function checkExpectation(ctx: ExpectationContext, exp: Expectation): Violation[] {
  const { world, config } = ctx;
  const out: Violation[] = [];
  const fail = (message: string, path?: string) => out.push({ invariant: 'expect', message, ...(path ? { path } : {}) });
  for (const [jobId, want] of Object.entries(exp.jobs ?? {})) {
    let state;
    try {
      state = readCoreState(world.core, config, jobId);
    } catch (error) {
      fail(`job ${jobId}: ${(error as Error).message}`);
      continue;
    }
    if (state === undefined) {
      fail(`job ${jobId} has no state.json`);
      continue;
    }
    const got = { status: state.status, stage: state.stage, attempts: state.attempts, errorKind: state.error?.kind ?? null };
    for (const key of ['status', 'stage', 'attempts', 'errorKind'] as const) {
      if (want[key] !== undefined && want[key] !== got[key]) fail(`job ${jobId}: ${key} is ${String(got[key])}, expected ${String(want[key])}`);
    }
    if (want.errorMatches !== undefined && !new RegExp(want.errorMatches).test(state.error?.message ?? '')) {
      fail(`job ${jobId}: error ${JSON.stringify(state.error?.message ?? null)} does not match /${want.errorMatches}/`);
    }
  }
  if (exp.noTmp) for (const path of tmpPaths(world.core)) out.push({ invariant: 'I3', path, message: `tmp file left: ${path}` });
  if (exp.noLocks) for (const path of lockPaths(world.core)) out.push({ invariant: 'I3', path, message: `lock left: ${path}` });
  if (exp.goldenArtifacts) out.push(...checkIdempotency(world.core, ctx.golden, config));
  if (exp.unchangedSince !== undefined) {
    const before = ctx.marks.get(exp.unchangedSince.mark);
    if (before === undefined) fail(`no mark named ${exp.unchangedSince.mark}`);
    else out.push(...checkRerunUnchanged(before, snapshot(world.core), exp.unchangedSince.jobs.map((id) => `${config.root}/jobs/${id}`)));
  }
  for (const want of exp.events ?? []) {
    const count = countEvents(ctx, want);
    if (want.count === undefined ? count === 0 : count !== want.count) fail(`expected ${want.count ?? 'at least 1'} × ${describeEvent(want)}, saw ${count}`);
  }
  for (const unwanted of exp.noEvents ?? []) {
    const count = countEvents(ctx, unwanted);
    if (count > 0) fail(`expected no ${describeEvent(unwanted)}, saw ${count}`);
  }
  for (const [path, want] of Object.entries(exp.files ?? {})) {
    const got = readCoreFile(world.core, path);
    const text = got === undefined ? null : new TextDecoder().decode(got);
    if (text !== want) fail(`${path} is ${text === null ? 'absent' : JSON.stringify(text.slice(0, 60))}, expected ${want === null ? 'absent' : JSON.stringify(want.slice(0, 60))}`, path);
  }
  for (const relative of exp.present ?? []) {
    if (!pathExists(world, `${config.root}/${relative}`)) fail(`${relative} should exist`, `${config.root}/${relative}`);
  }
  for (const relative of exp.absent ?? []) {
    const path = `${config.root}/${relative}`;
    if (readCoreFile(world.core, path) !== undefined || pathExists(world, path)) fail(`${relative} should not exist`, path);
  }
  for (const [key, value] of Object.entries(exp.purge ?? {})) {
    const got = (ctx.lastPurge as Record<string, number> | undefined)?.[key];
    if (got !== value) fail(`purge report ${key} is ${String(got)}, expected ${value}`);
  }
  for (const id of exp.invariants ?? []) {
    if (id === 'I2') out.push(...checkAtomicity(world.core, ctx.golden, config));
    if (id === 'I6') {
      const acked = world.events.filter((e) => e.event === 'job.complete').map((e) => String(e.fields.jobId));
      out.push(...checkAckDurable(world.core, ctx.golden, config, acked, 'scenario'));
    }
    if (id === 'I3') {
      const deleted = new Set(Object.entries(exp.jobs ?? {}).filter(([, j]) => j.status === 'deleted').map(([id]) => id));
      out.push(...checkCrashSafety(world.core, ctx.golden, config, { deleted }));
    }
  }
  return out;
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
  return ctx.world.events.filter((e) => e.event === want.event
    && (want.jobId === undefined || e.fields.jobId === want.jobId)
    && (want.stage === undefined || e.fields.stage === want.stage)
    && (pid === undefined || e.pid === pid)).length;
}

function describeEvent(e: EventExpectation): string {
  return [e.event, e.jobId && `job=${e.jobId}`, e.stage && `stage=${e.stage}`, e.process && `process=${e.process}`].filter(Boolean).join(' ');
}
