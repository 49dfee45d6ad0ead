// Assertions at the commit edge: the runtime checks its data before it writes it. A state that fails
// its own schema, or that records other bytes than the stage produced, is a bug: an AssertionError
// (loud, permanent, flagged by I8), never a file on disk.
import { describe, expect, it } from 'vitest';
import { renderJobState, type JobState } from '../../src/jobState.ts';
import { commitStage } from '../../src/pipeline.ts';
import { crc32 } from '../../src/checksum.ts';
import { inWorld } from '../support/simIo.ts';

const state: JobState = {
  version: 1,
  jobId: 'j1',
  sessionId: 's1',
  input: 'input.txt',
  status: 'running',
  stage: 'draft',
  createdAt: 1,
  updatedAt: 2,
  attempts: 1,
  nextAttemptAt: null,
  error: null,
  artifacts: {},
};

describe('commit-edge assertions', () => {
  it('refuses to render a state that fails its schema', () => {
    expect(() => renderJobState({ ...state, attempts: -1 })).toThrow(
      expect.objectContaining({ name: 'AssertionError', message: expect.stringMatching(/fails its schema: attempts/) }),
    );
    expect(renderJobState(state)).toContain('"jobId": "j1"');
  });

  it('refuses to commit a stage whose state records other bytes than it produced, and writes nothing', async () => {
    const bytes = new TextEncoder().encode('# draft\n');
    const { value } = await inWorld(async (io) => {
      await io.fs.mkdir('/j1');
      const next = { ...state, artifacts: { draft: { sizeBytes: bytes.length + 1, crc32: crc32(bytes) } } };
      const error = await commitStage({
        io,
        jobDir: '/j1',
        outputs: ['/j1/draft.md'],
        bytes,
        produced: true,
        next,
        commit: {},
        stage: 'draft',
      }).then(
        () => undefined,
        (e: unknown) => e,
      );
      const good = { ...state, artifacts: { draft: { sizeBytes: bytes.length, crc32: crc32(bytes) } } };
      const before = await io.fs.readdir('/j1');
      await commitStage({
        io,
        jobDir: '/j1',
        outputs: ['/j1/draft.md'],
        bytes,
        produced: true,
        next: good,
        commit: {},
        stage: 'draft',
      });
      return { error, before, after: (await io.fs.readdir('/j1')).sort() };
    });
    expect(value.error).toMatchObject({
      name: 'AssertionError',
      message: expect.stringMatching(/stage draft of j1: the state records/),
    });
    expect(value.before).toEqual([]);
    expect(value.after).toEqual(['draft.md', 'state.json']);
  });
});
