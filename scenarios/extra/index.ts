// Scenarios beyond the catalog (scenarios/index.ts): environment faults and hostile states that the
// bug zoo needs to show specific bugs (short writes, fsync EIO, a full disk at delete time, corrupted
// artifacts, a lost session transcript, planted symlinks), the time and retry-policy edges that its
// second wave needs (a retry or a held lock across a backward clock step, attempts to the limit) and
// a transcription service's HTTP answers through the real adapter. They run with the catalog everywhere.
import type { Scenario } from '../../harness/scenarioRunner/scenarioTypes.ts';
import shortWrites from './shortWrites.ts';
import fsyncEio from './fsyncEio.ts';
import deleteOnFullDisk from './deleteOnFullDisk.ts';
import corruptedArtifact from './corruptedArtifact.ts';
import sessionTranscriptLost from './sessionTranscriptLost.ts';
import hostileTmpSymlink from './hostileTmpSymlink.ts';
import retryAfterBackwardStep from './retryAfterBackwardStep.ts';
import backwardStepLiveLock from './backwardStepLiveLock.ts';
import attemptsExhaustedExactly from './attemptsExhaustedExactly.ts';
import upstreamHttpAnswers from './upstreamHttpAnswers.ts';

export const EXTRA_SCENARIOS: readonly Scenario[] = [
  shortWrites,
  fsyncEio,
  deleteOnFullDisk,
  corruptedArtifact,
  sessionTranscriptLost,
  hostileTmpSymlink,
  retryAfterBackwardStep,
  backwardStepLiveLock,
  attemptsExhaustedExactly,
  upstreamHttpAnswers,
];
