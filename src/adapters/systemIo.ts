// The production ports, built once from the environment over a Platform (default: Node itself): the
// disk, the system clock, crypto randomness, this process, JSON-lines events (when `log` is given),
// and the stage handlers (the embedded ones, or transcription through JOBS_UPSTREAM_URL). The CLI,
// `serve` and a Next.js route all use this, so they run the same runtime; the harness runs it too,
// over a simulated Platform. The environment is validated first (parseSystemEnv):
// a bad value throws a ZodError naming the variable.
import type { Io } from '../ports/io.ts';
import { fileSystemOver } from './nodeFileSystem.ts';
import { platformClock, platformProcesses, platformRandom } from './systemPorts.ts';
import { nodePlatform, type Platform } from './platform.ts';
import { jsonLinesLog } from './jsonLinesLog.ts';
import { httpTranscribeHandlers } from './httpUpstream.ts';
import { defaultHandlers } from '../defaultHandlers.ts';
import { parseSystemEnv, type SystemEnv } from './systemEnv.ts';
import { defaultPolicy } from '../defaultPolicy.ts';

export interface SystemIoOptions {
  /** Where JSON-lines events go (e.g. stderr); undefined: events are dropped. */
  readonly log?: (line: string) => void;
  /** What the adapters stand on (default: Node's file calls, clocks, entropy, process and network). */
  readonly platform?: Platform;
}

export function systemIo(
  env: Readonly<Record<string, string | undefined>>,
  options: SystemIoOptions = {},
): { io: Io; settings: SystemEnv } {
  const settings = parseSystemEnv(env);
  const platform = options.platform ?? nodePlatform;
  const clock = platformClock(platform);
  const processes = platformProcesses(platform);
  const io: Io = {
    fs: fileSystemOver(platform.fs),
    clock,
    random: platformRandom(platform),
    processes,
    log: jsonLinesLog(options.log, processes.pid, clock.nowMs, () => platform.monotonicNs()),
    handlers:
      settings.JOBS_UPSTREAM_URL === undefined
        ? defaultHandlers
        : httpTranscribeHandlers(defaultHandlers, {
            url: settings.JOBS_UPSTREAM_URL,
            timeoutMs: settings.JOBS_UPSTREAM_TIMEOUT_MS ?? 120_000,
            nowMs: clock.nowMs,
            fetch: platform.fetch,
            timers: platform,
            ...(settings.JOBS_UPSTREAM_TOKEN !== undefined
              ? { headers: { authorization: `Bearer ${settings.JOBS_UPSTREAM_TOKEN}` } }
              : {}),
          }),
    policy: defaultPolicy,
  };
  return { io, settings };
}
