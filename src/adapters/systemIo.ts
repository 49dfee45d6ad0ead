// The production ports, built once from the environment: the real disk, the system clock, crypto
// randomness, this process, JSON-lines events (when `log` is given), and the stage handlers (the
// embedded ones, or transcription through JOBS_UPSTREAM_URL). The CLI, `serve` and a Next.js route
// all use this, so they run the same runtime. The environment is validated first (parseSystemEnv):
// a bad value throws a ZodError naming the variable.
import type { Io } from '../ports/io.ts';
import { nodeFileSystem } from './nodeFileSystem.ts';
import { cryptoRandom, nodeProcesses, systemClock } from './systemPorts.ts';
import { jsonLinesLog } from './jsonLinesLog.ts';
import { httpTranscribeHandlers } from './httpUpstream.ts';
import { defaultHandlers } from '../defaultHandlers.ts';
import { parseSystemEnv, type SystemEnv } from './systemEnv.ts';
import { defaultPolicy } from '../defaultPolicy.ts';

export interface SystemIoOptions {
  /** Where JSON-lines events go (e.g. stderr); undefined: events are dropped. */
  readonly log?: (line: string) => void;
}

export function systemIo(
  env: Readonly<Record<string, string | undefined>>,
  options: SystemIoOptions = {},
): { io: Io; settings: SystemEnv } {
  const settings = parseSystemEnv(env);
  const io: Io = {
    fs: nodeFileSystem,
    clock: systemClock,
    random: cryptoRandom,
    processes: nodeProcesses,
    log: jsonLinesLog(options.log, nodeProcesses.pid, systemClock.nowMs, () => process.hrtime.bigint()),
    handlers:
      settings.JOBS_UPSTREAM_URL === undefined
        ? defaultHandlers
        : httpTranscribeHandlers(defaultHandlers, {
            url: settings.JOBS_UPSTREAM_URL,
            timeoutMs: settings.JOBS_UPSTREAM_TIMEOUT_MS ?? 120_000,
            nowMs: systemClock.nowMs,
            ...(settings.JOBS_UPSTREAM_TOKEN !== undefined
              ? { headers: { authorization: `Bearer ${settings.JOBS_UPSTREAM_TOKEN}` } }
              : {}),
          }),
    policy: defaultPolicy,
  };
  return { io, settings };
}
