// state.json: the durable record of one job, validated by zod on every read and rewritten with
// writeFileAtomic at every stage boundary. Only the process holding the job's session lock writes
// it (the enqueuer writes the first version before any runner can see the job); a deleter never
// read-modify-writes it, it drops a tombstone instead.
import { z } from 'zod';
import type { FileSystem } from './ports/fileSystem.ts';
import type { Random } from './ports/random.ts';
import { writeFileAtomic, type AtomicWriteOptions } from './writeFileAtomic.ts';
import { readJsonFile } from './jsonFile.ts';
import { FILE, joinPath } from './layout.ts';
import { assert } from './errors.ts';

export const STAGES = ['transcribe', 'draft', 'export'] as const;
export type Stage = (typeof STAGES)[number];
export const JOB_STAGES = ['init', ...STAGES] as const;
export type JobStage = (typeof JOB_STAGES)[number];

const idSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/);

export const jobErrorSchema = z.object({
  name: z.string(),
  message: z.string(),
  kind: z.enum(['transient', 'permanent']),
  stage: z.enum(JOB_STAGES).optional(),
});
export type JobError = z.infer<typeof jobErrorSchema>;

/** What a completed stage produced, so a later skip can tell a valid output from a torn or foreign one. */
export const artifactSchema = z.object({
  sizeBytes: z.number().int().nonnegative(),
  crc32: z.number().int().nonnegative(),
});
export type ArtifactRecord = z.infer<typeof artifactSchema>;

export const jobStateSchema = z.object({
  version: z.literal(1),
  jobId: idSchema,
  sessionId: idSchema,
  input: z.string().regex(/^input\.[a-z0-9]{1,8}$/),
  status: z.enum(['queued', 'running', 'complete', 'failed', 'deleted']),
  stage: z.enum(JOB_STAGES),
  createdAt: z.number().int(),
  updatedAt: z.number().int(),
  attempts: z.number().int().nonnegative(),
  nextAttemptAt: z.number().int().nullable(),
  error: jobErrorSchema.nullable(),
  artifacts: z.partialRecord(z.enum(STAGES), artifactSchema),
});
export type JobState = z.infer<typeof jobStateSchema>;
export type JobStatus = JobState['status'];

export function statePath(jobDir: string): string {
  return joinPath(jobDir, FILE.state);
}

export async function readJobState(fs: FileSystem, jobDir: string): Promise<JobState | undefined> {
  return readJsonFile(fs, statePath(jobDir), jobStateSchema);
}

export function renderJobState(state: JobState): string {
  // The runtime builds every state it writes: one that fails the schema is a bug, and a bug is loud
  // (an AssertionError, never classified as a bad input or retried).
  const checked = jobStateSchema.safeParse(state);
  assert(
    checked.success,
    `a job state built by the runtime fails its schema: ${checked.error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
  );
  return `${JSON.stringify(checked.data, null, 2)}\n`;
}

export async function writeJobState(
  io: { readonly fs: FileSystem; readonly random: Random },
  jobDir: string,
  state: JobState,
  options?: AtomicWriteOptions,
): Promise<void> {
  await writeFileAtomic(io, statePath(jobDir), renderJobState(state), options);
}
