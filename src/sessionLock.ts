// session.lock: authoritative, one job of a session at a time (protocol in ownerLock.ts).
import type { Io } from './ports/io.ts';
import type { RuntimeConfig } from './config.ts';
import { Layout } from './layout.ts';
import { ensureDir } from './ensureDir.ts';
import { acquireLock, type HeldLock, type OwnerRecord } from './ownerLock.ts';

export type Locked<T> =
  | { readonly acquired: true; readonly value: T }
  | { readonly acquired: false; readonly holder: OwnerRecord | undefined };

export async function withSessionLock<T>(
  io: Io,
  config: RuntimeConfig,
  sessionId: string,
  logFields: Record<string, string>,
  work: (lock: HeldLock) => Promise<T>,
): Promise<Locked<T>> {
  const layout = new Layout(config.root);
  await ensureDir(io.fs, layout.sessionDir(sessionId), layout.root);
  const result = await acquireLock(io, {
    name: 'session',
    path: layout.sessionLock(sessionId),
    staleAfterMs: config.staleAfterMs,
    heartbeatEveryMs: config.heartbeatEveryMs,
    logFields: { sessionId, ...logFields },
  });
  if (!result.acquired) return { acquired: false, holder: result.holder };
  try {
    return { acquired: true, value: await work(result.lock) };
  } finally {
    await result.lock.release();
  }
}
