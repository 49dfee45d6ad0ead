// The scenario catalog: every row of the plan's failure-mode table and every acceptance
// check is one scenario, one file each; ids are fixed. Saved regressions live in ./regressions.
import type { Scenario } from '../harness/scenarioRunner/scenarioTypes.ts';
import crashDuringStage from './crashDuringStage.ts';
import killMidRename from './killMidRename.ts';
import diskFullMidWrite from './diskFullMidWrite.ts';
import permissionErrorMidWrite from './permissionErrorMidWrite.ts';
import partialArtifactPresent from './partialArtifactPresent.ts';
import orphanedLock from './orphanedLock.ts';
import duplicateTrigger from './duplicateTrigger.ts';
import deleteDuringExecution from './deleteDuringExecution.ts';
import p1NoTmpAfterSuccess from './p1NoTmpAfterSuccess.ts';
import p1NoOrphanRunnerLock from './p1NoOrphanRunnerLock.ts';
import p1IdempotentRerun from './p1IdempotentRerun.ts';
import p1FailedState from './p1FailedState.ts';
import p2TransientRetried from './p2TransientRetried.ts';
import p2PermanentFailed from './p2PermanentFailed.ts';
import p2ManualRetryResumes from './p2ManualRetryResumes.ts';
import p3ConcurrentRunners from './p3ConcurrentRunners.ts';
import p3DeleteMidPipeline from './p3DeleteMidPipeline.ts';
import powerLossAfterAck from './powerLossAfterAck.ts';
import staleLockTakeoverRace from './staleLockTakeoverRace.ts';
import pausedOwnerFenced from './pausedOwnerFenced.ts';
import clockJumps from './clockJumps.ts';
import purgeOnSchedule from './purgeOnSchedule.ts';

export const SCENARIOS: readonly Scenario[] = [
  crashDuringStage,
  killMidRename,
  diskFullMidWrite,
  permissionErrorMidWrite,
  partialArtifactPresent,
  orphanedLock,
  duplicateTrigger,
  deleteDuringExecution,
  p1NoTmpAfterSuccess,
  p1NoOrphanRunnerLock,
  p1IdempotentRerun,
  p1FailedState,
  p2TransientRetried,
  p2PermanentFailed,
  p2ManualRetryResumes,
  p3ConcurrentRunners,
  p3DeleteMidPipeline,
  powerLossAfterAck,
  staleLockTakeoverRace,
  pausedOwnerFenced,
  clockJumps,
  purgeOnSchedule,
];
