// Enqueue's checks and effects, the runtime config's bounds, the layout helpers, the error classes
// and the job listing, with exact answers (reached before mostly through the CLI child process).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdir, readdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { enqueue, storedInputName } from '../../src/enqueue.ts';
import { MAX_INPUT_BYTES } from '../../src/defaultHandlers.ts';
import { makeConfig, DEFAULT_CONFIG } from '../../src/config.ts';
import { Layout, baseName, dirName, isTmpName, joinPath } from '../../src/layout.ts';
import { listJobIds, listJobs } from '../../src/listJobs.ts';
import {
  CorruptFileError,
  FileError,
  HttpStatusError,
  InvalidInputError,
  JobDeletedError,
  JobsError,
  LockLostError,
  PermanentError,
  TransientError,
  UsageError,
  errorMessage,
} from '../../src/errors.ts';
import { JobBusyError } from '../../src/retryJob.ts';
import { makeRealWorld, bytes, type TestWorld } from '../support/realIo.ts';

let world: TestWorld;
beforeEach(async () => {
  world = await makeRealWorld();
});
afterEach(() => world.cleanup());

describe('enqueue', () => {
  it('stores the input under a safe name with a queued state, and logs it', async () => {
    const id = await enqueue(world.io, world.config, {
      jobId: 'j1',
      sessionId: 's1',
      inputName: 'Talk.SRT',
      inputBytes: bytes('1\n00:00:01,000 --> 00:00:02,000\nHello.\n'),
    });
    expect(id).toBe('j1');
    const dir = join(world.config.root, 'jobs', 'j1');
    expect((await readdir(dir)).sort()).toEqual(['input.srt', 'state.json']);
    expect(JSON.parse(await readFile(join(dir, 'state.json'), 'utf8'))).toMatchObject({
      version: 1,
      jobId: 'j1',
      sessionId: 's1',
      input: 'input.srt',
      status: 'queued',
      stage: 'init',
      attempts: 0,
      nextAttemptAt: null,
      error: null,
      artifacts: {},
      createdAt: world.clock.wallMs,
      updatedAt: world.clock.wallMs,
    });
    expect(world.events).toEqual([
      { event: 'job.enqueued', jobId: 'j1', sessionId: 's1', input: 'input.srt', sizeBytes: 39, pid: 1000 },
    ]);
    expect(storedInputName('a.b.c')).toBe('input.c');
    expect(storedInputName('weird.ext-with-dash')).toBe('input.bin');
    expect(storedInputName('x.abcdefghi')).toBe('input.bin');
    expect(storedInputName('x.abcdefgh')).toBe('input.abcdefgh');
    expect(storedInputName('noext')).toBe('input.bin');
  });

  it('makes an id when none is given; refuses bad ids, a duplicate id and an oversized input', async () => {
    const made = await enqueue(world.io, world.config, { sessionId: 's1', inputName: 'a.txt', inputBytes: bytes('x') });
    expect(made).toMatch(/^job-[0-9a-f]{16}$/);
    await expect(
      enqueue(world.io, world.config, { jobId: made, sessionId: 's1', inputName: 'a.txt', inputBytes: bytes('x') }),
    ).rejects.toThrow(new UsageError(`job ${made} already exists`));
    await expect(
      enqueue(world.io, world.config, { jobId: '../x', sessionId: 's1', inputName: 'a.txt', inputBytes: bytes('x') }),
    ).rejects.toThrow(/invalid job id "..\/x"/);
    await expect(
      enqueue(world.io, world.config, { sessionId: 's 1', inputName: 'a.txt', inputBytes: bytes('x') }),
    ).rejects.toThrow(/invalid session id "s 1"/);
    const huge = { length: MAX_INPUT_BYTES + 1 } as Uint8Array;
    await expect(
      enqueue(world.io, world.config, { sessionId: 's1', inputName: 'a.txt', inputBytes: huge }),
    ).rejects.toThrow(new UsageError(`input is ${MAX_INPUT_BYTES + 1} bytes; the limit is ${MAX_INPUT_BYTES}`));
    expect(await readdir(join(world.config.root, 'jobs'))).toEqual([made]);
  });

  it('a commit rename that fails for another reason than a taken name is that error', async () => {
    await mkdir(join(world.config.root, 'jobs'), { recursive: true });
    await writeFile(join(world.config.root, 'jobs', 'blocker'), '');
    const realRename = world.io.fs.rename.bind(world.io.fs);
    const io = {
      ...world.io,
      fs: {
        ...world.io.fs,
        rename: async (from: string, to: string) => {
          if (to.endsWith('/jobs/k')) throw Object.assign(new Error('EACCES: denied'), { code: 'EACCES' });
          return realRename(from, to);
        },
      },
    };
    await expect(
      enqueue(io, world.config, { jobId: 'k', sessionId: 's1', inputName: 'a.txt', inputBytes: bytes('x') }),
    ).rejects.toMatchObject({ code: 'EACCES' });
  });
});

describe('config', () => {
  it('defaults, and every bound refused with its reason', () => {
    // The documented defaults, written out (comparing with DEFAULT_CONFIG itself could never fail).
    expect(makeConfig({ root: '/r' })).toEqual({
      root: '/r',
      staleAfterMs: 120_000,
      heartbeatEveryMs: 15_000,
      maxAttempts: 5,
      backoffBaseMs: 600_000,
      backoffCapMs: 21_600_000,
      ttlMs: 604_800_000,
      passDeadlineMs: 840_000,
      maxJobsPerPass: 10_000,
      concurrency: 1,
    });
    expect(DEFAULT_CONFIG).not.toHaveProperty('root');
    const bad: [Record<string, unknown>, RegExp][] = [
      [{ root: '' }, /root/],
      [{ staleAfterMs: 0 }, /staleAfterMs/],
      [{ heartbeatEveryMs: 0 }, /heartbeatEveryMs/],
      [{ maxAttempts: 0 }, /maxAttempts/],
      [{ maxAttempts: 101 }, /maxAttempts/],
      [{ backoffBaseMs: -1 }, /backoffBaseMs/],
      [{ ttlMs: 0 }, /ttlMs/],
      [{ passDeadlineMs: 0 }, /passDeadlineMs/],
      [{ maxJobsPerPass: 0 }, /maxJobsPerPass/],
      [{ concurrency: 0 }, /concurrency/],
      [{ concurrency: 65 }, /concurrency/],
      [{ staleAfterMs: 1.5 }, /staleAfterMs/],
      [{ heartbeatEveryMs: 60_001, staleAfterMs: 120_000 }, /must be at least twice the heartbeat interval/],
      [{ backoffBaseMs: 2, backoffCapMs: 1 }, /must not exceed backoffCapMs/],
    ];
    for (const [override, reason] of bad)
      expect(() => makeConfig({ root: '/r', ...override } as never), JSON.stringify(override)).toThrow(reason);
    expect(
      makeConfig({
        root: '/r',
        heartbeatEveryMs: 60_000,
        staleAfterMs: 120_000,
        maxAttempts: 100,
        concurrency: 64,
        backoffBaseMs: 5,
        backoffCapMs: 5,
      }).concurrency,
    ).toBe(64);
  });
});

describe('layout', () => {
  it('builds every path from validated ids', () => {
    const layout = new Layout('/data');
    expect([
      layout.runnerLock,
      layout.jobsDir,
      layout.sessionsDir,
      layout.jobDir('j'),
      layout.jobFile('j', 'draft.md'),
      layout.sessionDir('s'),
      layout.sessionLock('s'),
      layout.sessionTranscript('s'),
    ]).toEqual([
      '/data/runner.lock',
      '/data/jobs',
      '/data/sessions',
      '/data/jobs/j',
      '/data/jobs/j/draft.md',
      '/data/sessions/s',
      '/data/sessions/s/session.lock',
      '/data/sessions/s/transcript.txt',
    ]);
    expect(() => layout.jobDir('../etc')).toThrow(/invalid job id/);
    expect(() => layout.sessionDir('a/b')).toThrow(/invalid session id/);
    expect(joinPath('/a/', '/b', 'c')).toBe('/a/b/c');
    expect(joinPath('a', 'b')).toBe('a/b');
    expect([dirName('/a/b'), dirName('/a'), dirName('a'), dirName('/')]).toEqual(['/a', '/', '.', '/']);
    expect([baseName('/a/b.txt'), baseName('b'), baseName('/a/')]).toEqual(['b.txt', 'b', '']);
    expect([isTmpName('.tmp-x'), isTmpName('tmp-x'), isTmpName('.tmpx')]).toEqual([true, false, false]);
  });
});

describe('errors', () => {
  it('each class has its name, message and fields; errorMessage reads anything', () => {
    const cause = new Error('inner');
    expect(new TransientError('t', { retryAfterMs: 5, cause })).toMatchObject({
      name: 'TransientError',
      message: 't',
      retryAfterMs: 5,
      cause,
    });
    expect(new TransientError('t').retryAfterMs).toBeUndefined();
    expect(new PermanentError('p')).toMatchObject({ name: 'PermanentError', message: 'p' });
    expect(new HttpStatusError(503, 'busy', 10)).toMatchObject({
      name: 'HttpStatusError',
      status: 503,
      message: 'busy',
      retryAfterMs: 10,
    });
    expect(new CorruptFileError('/f', 'torn', { cause })).toMatchObject({
      name: 'CorruptFileError',
      path: '/f',
      message: '/f is corrupt: torn',
      cause,
    });
    expect(new FileError('EIO', 'write', '/f', { cause })).toMatchObject({
      name: 'FileError',
      code: 'EIO',
      step: 'write',
      path: '/f',
      message: 'write /f failed: EIO',
      cause,
    });
    expect(new JobsError('j')).toMatchObject({ name: 'JobsError', message: 'j' });
    expect(new UsageError('u')).toBeInstanceOf(JobsError);
    expect([
      new LockLostError('l').name,
      new JobDeletedError('d').name,
      new JobBusyError('b').name,
      new UsageError('u').name,
      new InvalidInputError('i').name,
    ]).toEqual(['LockLostError', 'JobDeletedError', 'JobBusyError', 'UsageError', 'InvalidInputError']);
    expect([errorMessage(new Error('e')), errorMessage('s'), errorMessage(42), errorMessage(undefined)]).toEqual([
      'e',
      's',
      '42',
      'undefined',
    ]);
  });
});

describe('job listing', () => {
  it('lists valid ids sorted; reports symlinks, non-directories, foreign names and mismatched state', async () => {
    await enqueue(world.io, world.config, { jobId: 'b', sessionId: 's', inputName: 'a.txt', inputBytes: bytes('x') });
    await enqueue(world.io, world.config, { jobId: 'a', sessionId: 's', inputName: 'a.txt', inputBytes: bytes('x') });
    const jobs = join(world.config.root, 'jobs');
    await symlink(join(jobs, 'a'), join(jobs, 'link'));
    await writeFile(join(jobs, 'file'), 'x');
    await writeFile(join(jobs, 'bad name'), 'x');
    await writeFile(join(jobs, '.tmp-1234'), 'x');
    await mkdir(join(jobs, 'mismatch'));
    await writeFile(join(jobs, 'mismatch', 'state.json'), await readFile(join(jobs, 'a', 'state.json')));
    const layout = new Layout(world.config.root);
    expect(await listJobIds(world.io.fs, layout)).toEqual({
      ids: ['a', 'b', 'file', 'link', 'mismatch'],
      ignored: ['bad name'],
    });
    const entries = await listJobs(world.io.fs, layout);
    expect(entries.map((e) => [e.jobId, e.state?.status ?? e.error?.message])).toEqual([
      ['a', 'queued'],
      ['b', 'queued'],
      ['file', `${join(jobs, 'file')} is not a directory`],
      ['link', `${join(jobs, 'link')} is a symlink; job directories must be real directories`],
      ['mismatch', `${join(jobs, 'mismatch', 'state.json')} is corrupt: names job a, not mismatch`],
    ]);
    expect(entries[2]!.error).toBeInstanceOf(PermanentError);
    expect(await listJobIds(world.io.fs, new Layout(join(world.root, 'nowhere')))).toEqual({ ids: [], ignored: [] });
    const denied = {
      ...world.io.fs,
      readdir: async () => {
        throw Object.assign(new Error('EACCES: denied'), { code: 'EACCES' });
      },
    };
    await expect(listJobIds(denied, layout)).rejects.toMatchObject({ code: 'EACCES' });
    await mkdir(join(jobs, 'enqueuing'));
    expect((await listJobs(world.io.fs, layout)).find((e) => e.jobId === 'enqueuing')).toEqual({
      jobId: 'enqueuing',
      incomplete: true,
      mtimeMs: expect.any(Number),
    });
  });
});
