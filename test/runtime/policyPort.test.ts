// The Policy port (src/ports/policy.ts): every retry, due, expiry and staleness decision of the runtime
// is asked of io.policy, so an operator's policy is the one that runs. Each test binds a policy that
// differs from the default in one decision and shows the runtime following it.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { enqueue } from '../../src/enqueue.ts';
import { runPass } from '../../src/runnerPass.ts';
import { purge } from '../../src/purge.ts';
import { acquireLock } from '../../src/ownerLock.ts';
import { jobStateSchema } from '../../src/jobState.ts';
import { defaultPolicy } from '../../src/defaultPolicy.ts';
import type { Policy } from '../../src/ports/policy.ts';
import type { Io } from '../../src/ports/io.ts';
import { makeRealWorld, SRT, bytes, type TestWorld } from '../support/realIo.ts';

let world: TestWorld;
beforeEach(async () => {
  world = await makeRealWorld({ ttlMs: 3_600_000, maxAttempts: 5 });
});
afterEach(() => world.cleanup());

const withPolicy = (change: Partial<Policy>): Io => ({ ...world.io, policy: { ...defaultPolicy, ...change } });
const stateOf = async (id: string) =>
  jobStateSchema.parse(JSON.parse(await readFile(join(world.config.root, 'jobs', id, 'state.json'), 'utf8')));
const addJob = (sessionId: string, inputName: 'talk.srt' | 'notes.txt' = 'talk.srt') =>
  enqueue(world.io, world.config, { sessionId, inputName, inputBytes: bytes(SRT) });

describe('the runtime decides through io.policy', () => {
  it('isDue: a queued job the policy holds back is not started', async () => {
    const id = await addJob('s1');
    await runPass(withPolicy({ isDue: () => false }), world.config);
    expect((await stateOf(id)).status).toBe('queued');
    await runPass(world.io, world.config);
    expect((await stateOf(id)).status).toBe('complete');
  });

  it('classifyError and retryDelayMs: a failure is retried after the delay the policy chose', async () => {
    const id = await addJob('s1');
    const failing: Io = {
      ...withPolicy({
        classifyError: (error) => ({ ...defaultPolicy.classifyError(error), kind: 'transient' }),
        retryDelayMs: () => 4_242,
      }),
      handlers: {
        ...world.io.handlers,
        draft: async () => {
          throw new TypeError('draft bug');
        },
      },
    };
    const before = world.clock.nowMs();
    await runPass(failing, world.config);
    const state = await stateOf(id);
    expect(state.status).toBe('queued');
    expect(state.nextAttemptAt).toBe(before + 4_242);
  });

  it('isExhausted: a transient failure is final when the policy says the attempts are spent', async () => {
    const id = await addJob('s1');
    const io: Io = {
      ...withPolicy({ isExhausted: () => true }),
      handlers: {
        ...world.io.handlers,
        draft: async () => {
          throw Object.assign(new Error('busy'), { code: 'EAGAIN' });
        },
      },
    };
    await runPass(io, world.config);
    expect((await stateOf(id)).status).toBe('failed');
  });

  it('isExpired: purge removes what the policy calls expired, and only that', async () => {
    const id = await addJob('s1');
    await runPass(world.io, world.config);
    const token = 'f'.repeat(16);
    expect((await purge(withPolicy({ isExpired: () => false }), world.config, token)).jobs).toBe(0);
    expect((await purge(withPolicy({ isExpired: () => true }), world.config, token)).jobs).toBe(1);
    await expect(stateOf(id)).rejects.toThrow(/ENOENT/);
  });

  it('isStale: a live holder the policy calls stale is retired and its lock taken', async () => {
    const dir = join(world.root, 's');
    await mkdir(dir);
    const options = {
      name: 'session' as const,
      path: join(dir, 'session.lock'),
      staleAfterMs: 60_000,
      heartbeatEveryMs: 10_000,
    };
    const holder = await acquireLock(world.withPid(7), options);
    expect(holder.acquired).toBe(true);
    expect((await acquireLock(world.io, options)).acquired).toBe(false);
    const taker = await acquireLock(withPolicy({ isStale: () => true }), options);
    expect(taker.acquired).toBe(true);
    expect(
      world.events.some((e) => e.event === 'lock.reaped' && e.reason === 'heartbeat older than the stale bound'),
    ).toBe(true);
    if (taker.acquired) await taker.lock.release();
  });
});
