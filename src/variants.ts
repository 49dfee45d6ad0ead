// The bug-zoo seam. Production never sets `io.variants`. The harness sets one entry to swap one
// runtime function for a small, deliberately broken version of it (harness/bugs/zoo.ts), so that each
// invariant can be shown to catch the bug real systems ship — injected the way the real function is,
// through `io`, with no copy of the runtime per bug. Each entry names the function it replaces.
import type { FileSystem } from './ports/fileSystem.ts';
import type { Random } from './ports/random.ts';
import type { Classified } from './classifyError.ts';
import type { AtomicWriteOptions } from './writeFileAtomic.ts';
import type { AcquireResult, HeldLock, LockOptions } from './ownerLock.ts';
import type { ArtifactRecord, JobState, Stage } from './jobState.ts';
import type { Io } from './ports/io.ts';
import type { RuntimeConfig } from './config.ts';
import type { Locked } from './sessionLock.ts';

/** What the pipeline commits when a stage is done: its outputs, then the state that records them. */
export interface StageCommit {
  readonly io: Io;
  readonly jobDir: string;
  readonly outputs: readonly string[];
  readonly bytes: Uint8Array;
  /** Undefined when the stage was skipped (its outputs are valid already). */
  readonly produced: boolean;
  readonly next: JobState;
  readonly commit: AtomicWriteOptions;
  readonly stage: Stage;
}

export interface RuntimeVariants {
  readonly writeFileAtomic?: (io: { fs: FileSystem; random: Random }, path: string, content: Uint8Array | string, options: AtomicWriteOptions) => Promise<void>;
  readonly acquireLock?: (io: Io, options: LockOptions) => Promise<AcquireResult>;
  readonly retire?: (io: Io, options: LockOptions, staleToken: string, myToken: string) => Promise<'retired' | 'retry' | 'busy'>;
  readonly withSessionLock?: <T>(io: Io, config: RuntimeConfig, sessionId: string, logFields: Record<string, string>, work: (lock: HeldLock) => Promise<T>) => Promise<Locked<T>>;
  readonly commitOptions?: (lock: HeldLock, real: AtomicWriteOptions) => AtomicWriteOptions;
  readonly outputsValid?: (io: Io, jobOutput: string, sessionOutput: string | undefined, expected: ArtifactRecord) => Promise<boolean>;
  readonly hasTombstone?: (jobDir: string) => Promise<boolean>;
  readonly finishDeletion?: (io: Io, config: RuntimeConfig, lock: HeldLock, state: JobState) => Promise<void>;
  readonly classifyError?: (error: unknown) => Classified;
  readonly isDue?: (nextAttemptAt: number | null, nowMs: number, capMs: number) => boolean;
  readonly isExpired?: (nowMs: number, updatedAtMs: number, ttlMs: number) => boolean;
  readonly retryDelayMs?: (random: Random, attempts: number, baseMs: number, capMs: number, retryAfterMs?: number) => number;
  readonly isExhausted?: (attempts: number, maxAttempts: number) => boolean;
  readonly isStale?: (nowMs: number, lastSeenAtMs: number, staleAfterMs: number) => boolean;
  readonly commitStage?: (commit: StageCommit, real: (commit: StageCommit) => Promise<void>) => Promise<void>;
}
