// A failing run as a picture: a self-contained HTML page (no network, no script) drawing the trace
// as a timeline, one lane per process of each world, one mark per FileSystem call in scheduling
// order. fsync calls are drawn tall, failed calls magenta, injected faults, kills and pauses as
// diamonds on their lane, power losses, crash points and clock steps as bars across all lanes, job
// outcomes as dots; the violated invariants and the files they name are listed above, and every
// mark carries its trace line.
import { parseTrace, type TraceItem } from './traceModel.ts';

export interface TracePicture {
  readonly title: string;
  readonly trace: string;
  readonly violations: readonly { readonly invariant: string; readonly message: string; readonly path?: string }[];
  readonly replay?: string;
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const COLORS: Record<string, string> = {
  open: '#4e79a7',
  write: '#59a14f',
  fsync: '#e15759',
  close: '#bab0ac',
  rename: '#f28e2b',
  link: '#b07aa1',
  unlink: '#9c755f',
  mkdir: '#76b7b2',
  rmdir: '#76b7b2',
  readFile: '#cfd8dc',
  readdir: '#cfd8dc',
  stat: '#eceff1',
  lstat: '#eceff1',
  fsyncDir: '#d62728',
};
/** A call that failed: magenta with a black outline, unlike any call's colour (fsyncDir is red). */
const FAILED = '#e040fb';
const OUTCOMES = /^(job\.complete|job\.failed|job\.retry_scheduled|lock\.lost|job\.aborted)$/;
const LANE = 34;
const STEP = 7;
const LEFT = 190;

/** The lanes: one per process of each world (pids restart after `--- recovery ---`), named by its spawn. */
function lanesOf(items: readonly TraceItem[]): { keys: string[]; names: Map<string, string> } {
  const keys: string[] = [];
  const names = new Map<string, string>();
  for (const i of items) {
    if (i.kind === 'world' || keys.includes(i.lane)) continue;
    keys.push(i.lane);
    if (i.kind === 'process' && i.what === 'spawn') names.set(i.lane, i.text.replace(/^.* spawn /, ''));
  }
  return { keys, names };
}

/** One mark of the timeline at column `x`, or undefined if the item is not drawn. */
function markOf(item: TraceItem, x: number, laneY: (lane: string) => number, height: number): string | undefined {
  const at = LEFT + x * STEP;
  if (item.kind === 'op') {
    const y = laneY(item.lane) + 8;
    const tall = item.op === 'fsync' || item.op === 'fsyncDir';
    const failed = item.result !== 'ok' && !/^\d+$/.test(item.result);
    const fill = failed ? `${FAILED}" stroke="#000` : (COLORS[item.op] ?? '#999');
    return (
      `<rect class="op${failed ? ' failed' : ''}" x="${at}" y="${tall ? y - 4 : y}" width="${STEP - 1}" ` +
      `height="${tall ? 26 : 18}" fill="${fill}"><title>${esc(item.text)}</title></rect>`
    );
  }
  if (item.kind === 'process' && (item.what === 'killed' || item.what === 'paused' || item.what === 'fault')) {
    const y = laneY(item.lane) + 4;
    const fill = item.what === 'killed' ? '#000' : item.what === 'paused' ? '#fbc02d' : FAILED;
    return `<path class="${item.what}" d="M${at + STEP} ${y} l6 13 l-6 13 l-6 -13 z" fill="${fill}"><title>${esc(item.text)}</title></path>`;
  }
  if (item.kind === 'world' && /power loss|clock step|wall-clock|crash here/.test(item.text)) {
    const colour = /power|crash/.test(item.text) ? '#000' : '#1565c0';
    return (
      `<line class="world" x1="${at + STEP}" y1="0" x2="${at + STEP}" y2="${height}" stroke="${colour}" ` +
      `stroke-width="3"><title>${esc(item.text)}</title></line>`
    );
  }
  if (item.kind === 'log' && OUTCOMES.test(item.event)) {
    return (
      `<circle class="event" cx="${at + STEP / 2}" cy="${laneY(item.lane) + 30}" r="3" ` +
      `fill="#333"><title>${esc(item.text)}</title></circle>`
    );
  }
  return undefined;
}

export function renderTraceHtml(picture: TracePicture): string {
  const items = parseTrace(picture.trace);
  const { keys, names } = lanesOf(items);
  const laneY = (lane: string) => keys.indexOf(lane) * LANE;
  const height = keys.length * LANE;
  let x = 0;
  const marks: string[] = [];
  for (const item of items) {
    if (item.kind === 'op') x += 1;
    const mark = markOf(item, x, laneY, height);
    if (mark !== undefined) marks.push(mark);
  }
  const width = LEFT + (x + 4) * STEP;
  const lanes = keys.map((lane, i) => {
    const [world, pid] = lane.split(':');
    const label = `p${pid} ${names.get(lane) ?? ''}${world === 'run' ? '' : ` (${world})`}`;
    return (
      `<text x="4" y="${i * LANE + 22}" class="lane">${esc(label)}</text><line x1="${LEFT}" y1="${i * LANE + 17}" ` +
      `x2="${width}" y2="${i * LANE + 17}" stroke="#eee"/>`
    );
  });
  const files = [...new Set(picture.violations.flatMap((v) => (v.path ? [v.path] : [])))];
  const legend = [...Object.entries(COLORS), ['failed call', FAILED] as const]
    .map(([op, c]) => `<span class="key"><i style="background:${c}"></i>${op}</span>`)
    .join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(picture.title)}</title>
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<style>body{font:14px system-ui,sans-serif;margin:16px;color:#222}h1{font-size:18px}.violation{color:#b71c1c}
.lane{font:12px monospace}.key{margin-right:10px;font-size:12px}.key i{display:inline-block;width:10px;height:10px;margin-right:3px}
.scroll{overflow-x:auto;border:1px solid #ddd}code{background:#f5f5f5;padding:1px 4px}</style></head>
<body><h1>${esc(picture.title)}</h1>
<ul id="violations">${picture.violations.map((v) => `<li class="violation"><b>${esc(v.invariant)}</b> ${esc(v.message)}</li>`).join('')}</ul>
${files.length > 0 ? `<p>Files involved: ${files.map((f) => `<code>${esc(f)}</code>`).join(' ')}</p>` : ''}
${picture.replay ? `<p>Replay: <code>${esc(picture.replay)}</code></p>` : ''}
<p>${legend}<span class="key">◆ black: killed · yellow: paused · magenta: injected fault · black bar: power loss or crash point · blue bar: clock step · dot: job outcome (complete, failed, retry, aborted, lock lost)</span></p>
<div class="scroll"><svg id="timeline" xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height + 10}">${lanes.join('')}${marks.join('')}</svg></div>
<p>${x} calls by ${keys.length} process(es). Hover a mark for its trace line.</p>
</body></html>
`;
}
