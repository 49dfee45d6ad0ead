// A trace (harness/world/trace.ts lines) parsed into data for rendering: one record per scheduled
// call, log event, process event (spawn, exit, kill, pause, an injected fault) and world event, with
// the process it belongs to. A trace may hold several worlds one after the other (the run, then
// `--- recovery ---`): pids restart in each, so a process is named by its world and its pid (`lane`).
// A foreign trace's `>>> ... crash here` line is a world event.
export type TraceItem =
  | {
      readonly kind: 'op';
      readonly seq: number;
      readonly timeMs: number;
      readonly pid: number;
      readonly lane: string;
      readonly op: string;
      readonly path: string;
      readonly result: string;
      readonly text: string;
    }
  | {
      readonly kind: 'log';
      readonly timeMs: number;
      readonly pid: number;
      readonly lane: string;
      readonly event: string;
      readonly text: string;
    }
  | {
      readonly kind: 'process';
      readonly timeMs: number;
      readonly pid: number;
      readonly lane: string;
      readonly what: string;
      readonly text: string;
    }
  | { readonly kind: 'world'; readonly timeMs: number; readonly text: string };

const OP = /^#(\d+) t=(\d+) p(\d+) (\S+) (\S+)(.*?) = (.*)$/;
const LOG = /^t=(\d+) p(\d+) log (\S+) (.*)$/;
const PROC = /^t=(\d+) p(\d+) (spawn|exit|killed|paused|fault)(.*)$/;
const SEGMENT = /^--- (.+) ---$/;
const CRASH = /^>>> (.*)$/;
const WORLD = /^t=(\d+) world (.*)$/;

export function parseTrace(text: string): TraceItem[] {
  const items: TraceItem[] = [];
  let segment = 'run';
  for (const line of text.split('\n')) {
    const item = parseLine(line, segment);
    if (item !== undefined) items.push(item);
    segment = SEGMENT.exec(line)?.[1] ?? segment;
  }
  return items;
}

function parseLine(line: string, segment: string): TraceItem | undefined {
  const lane = (pid: string) => `${segment}:${pid}`;
  let m = OP.exec(line);
  if (m)
    return {
      kind: 'op',
      seq: Number(m[1]),
      timeMs: Number(m[2]),
      pid: Number(m[3]),
      lane: lane(m[3]!),
      op: m[4]!,
      path: m[5]!,
      result: m[7]!,
      text: line,
    };
  m = LOG.exec(line);
  if (m) return { kind: 'log', timeMs: Number(m[1]), pid: Number(m[2]), lane: lane(m[2]!), event: m[3]!, text: line };
  m = PROC.exec(line);
  if (m)
    return { kind: 'process', timeMs: Number(m[1]), pid: Number(m[2]), lane: lane(m[2]!), what: m[3]!, text: line };
  m = WORLD.exec(line);
  if (m) return { kind: 'world', timeMs: Number(m[1]), text: m[2]! };
  m = CRASH.exec(line);
  return m ? { kind: 'world', timeMs: 0, text: m[1]! } : undefined;
}
