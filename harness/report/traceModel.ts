// A trace (harness/world/trace.ts lines) parsed into data for rendering: one record per scheduled
// call, log event, and world event, with the process it belongs to.
export type TraceItem =
  | { readonly kind: 'op'; readonly seq: number; readonly timeMs: number; readonly pid: number; readonly op: string; readonly path: string; readonly result: string; readonly text: string }
  | { readonly kind: 'log'; readonly timeMs: number; readonly pid: number; readonly event: string; readonly text: string }
  | { readonly kind: 'process'; readonly timeMs: number; readonly pid: number; readonly what: string; readonly text: string }
  | { readonly kind: 'world'; readonly timeMs: number; readonly text: string };

const OP = /^#(\d+) t=(\d+) p(\d+) (\S+) (\S+)(.*?) = (.*)$/;
const LOG = /^t=(\d+) p(\d+) log (\S+) (.*)$/;
const PROC = /^t=(\d+) p(\d+) (spawn|exit|killed|paused)(.*)$/;
const WORLD = /^t=(\d+) world (.*)$/;

export function parseTrace(text: string): TraceItem[] {
  const items: TraceItem[] = [];
  for (const line of text.split('\n')) {
    let m = OP.exec(line);
    if (m) {
      items.push({ kind: 'op', seq: Number(m[1]), timeMs: Number(m[2]), pid: Number(m[3]), op: m[4]!, path: m[5]!, result: m[7]!, text: line });
      continue;
    }
    m = LOG.exec(line);
    if (m) {
      items.push({ kind: 'log', timeMs: Number(m[1]), pid: Number(m[2]), event: m[3]!, text: line });
      continue;
    }
    m = PROC.exec(line);
    if (m) {
      items.push({ kind: 'process', timeMs: Number(m[1]), pid: Number(m[2]), what: m[3]!, text: line });
      continue;
    }
    m = WORLD.exec(line);
    if (m) items.push({ kind: 'world', timeMs: Number(m[1]), text: m[2]! });
  }
  return items;
}
