// The bug-zoo seam (src/variants.ts): every entry of io.variants replaces its function wherever the
// runtime calls it, and production code without variants never goes through one. Each entry here
// delegates to the real function and counts its calls over a few passes that reach every seam.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { enqueue } from '../src/enqueue.ts';
import { runPass } from '../src/runnerPass.ts';
import { deleteJob, finishDeletion } from '../src/deleteJob.ts';
import { writeFileAtomic } from '../src/writeFileAtomic.ts';
import { acquireLock, retire } from '../src/ownerLock.ts';
import { withSessionLock } from '../src/sessionLock.ts';
import { outputsValid } from '../src/pipeline.ts';
import { hasTombstone } from '../src/tombstone.ts';
import { classifyError } from '../src/classifyError.ts';
import { isDue } from '../src/backoff.ts';
import { isExpired } from '../src/purge.ts';
import { renderJobState, jobStateSchema } from '../src/jobState.ts';
import type { RuntimeVariants } from '../src/variants.ts';
import type { Io } from '../src/ports/io.ts';
import { makeRealWorld, SRT, bytes, type TestWorld } from './support/realIo.ts';

let world: TestWorld;
beforeEach(async () => {
  world = await makeRealWorld({ ttlMs: 3600_000 });
});
afterEach(() => world.cleanup());

describe('io.variants', () => {
  it('every entry is called where its function would be, and the run behaves as without it', async () => {
    const calls: Record<string, number> = {};
    const count = (name: keyof RuntimeVariants) => { calls[name] = (calls[name] ?? 0) + 1; };
    const plain = (io: Io): Io => ({ ...io, variants: undefined });
    const variants: RuntimeVariants = {
      writeFileAtomic: (io, path, content, options) => { count('writeFileAtomic'); return writeFileAtomic({ fs: io.fs, random: io.random }, path, content, options); },
      acquireLock: (io, options) => { count('acquireLock'); return acquireLock(plain(io), options); },
      retire: (io, options, staleToken, myToken) => { count('retire'); return retire(plain(io), options, staleToken, myToken); },
      withSessionLock: (io, config, sessionId, logFields, work) => { count('withSessionLock'); return withSessionLock(plain(io), config, sessionId, logFields, work); },
      commitOptions: (_lock, real) => { count('commitOptions'); return real; },
      outputsValid: (io, jobOutput, sessionOutput, expected) => { count('outputsValid'); return outputsValid(io, jobOutput, sessionOutput, expected); },
      hasTombstone: (jobDir) => { count('hasTombstone'); return hasTombstone(world.io, jobDir); },
      finishDeletion: (io, config, lock, state) => { count('finishDeletion'); return finishDeletion(plain(io), config, lock, state); },
      classifyError: (error) => { count('classifyError'); return classifyError(error); },
      isDue: (next, now, cap) => { count('isDue'); return isDue(next, now, cap); },
      isExpired: (now, updated, ttl) => { count('isExpired'); return isExpired(now, updated, ttl); },
      commitStage: (commit, real) => { count('commitStage'); return real(commit); },
    };
    const io: Io = { ...world.io, variants };
    const { config } = world;
    const good = await enqueue(io, config, { sessionId: 's1', inputName: 'talk.srt', inputBytes: bytes(SRT) });
    const bad = await enqueue(io, config, { sessionId: 's2', inputName: 'song.mp3', inputBytes: bytes('ID3') });
    const resumed = await enqueue(io, config, { sessionId: 's3', inputName: 'talk.srt', inputBytes: bytes(SRT) });
    // A dead runner's session lock on s1: the pass must retire it.
    await mkdir(join(config.root, 'sessions', 's1'), { recursive: true });
    const stale = await acquireLock(world.withPid(99), { name: 'session', path: join(config.root, 'sessions', 's1', 'session.lock'), staleAfterMs: config.staleAfterMs, heartbeatEveryMs: config.heartbeatEveryMs });
    expect(stale.acquired).toBe(true);
    world.dead.add(99);
    await runPass(io, config);
    const statusOf = async (id: string) => jobStateSchema.parse(JSON.parse(await readFile(join(config.root, 'jobs', id, 'state.json'), 'utf8')));
    expect((await statusOf(good)).status).toBe('complete');
    expect((await statusOf(bad)).status).toBe('failed');
    // Rewind one complete job to its draft stage: the next pass finds the draft valid and skips it.
    const done = await statusOf(resumed);
    await writeFile(join(config.root, 'jobs', resumed, 'state.json'), renderJobState({ ...done, status: 'running', stage: 'draft' }));
    expect(await deleteJob(io, config, good)).toBe('deleted');
    await runPass(io, config);
    expect((await statusOf(resumed)).status).toBe('complete');
    world.clock.advance(2 * 3600_000);
    await runPass(io, config);
    expect(Object.keys(calls).sort()).toEqual(Object.keys(variants).sort());
    // Exact counts for this script: a call site that stopped consulting its variant (while the others
    // still do) changes them. Update them deliberately when the runtime's call structure changes.
    expect(calls).toEqual({
      writeFileAtomic: 29, acquireLock: 3, retire: 1, isDue: 8, hasTombstone: 46, withSessionLock: 11,
      commitOptions: 4, classifyError: 1, commitStage: 9, finishDeletion: 1, isExpired: 8, outputsValid: 3,
    });
  });
});
