// A failing run as a picture: a self-contained HTML page (no network, no script) drawing the trace
// as a timeline, one lane per process, one mark per FileSystem call in scheduling order. fsync calls
// are drawn tall, failed calls red, kills and power losses as a bar across all lanes; the violated
// invariants and the files they name are listed above, and every mark carries its trace line.
import { parseTrace } from './traceModel.ts';

export interface TracePicture {
  readonly title: string;
  readonly trace: string;
  readonly violations: readonly { readonly invariant: string; readonly message: string; readonly path?: string }[];
  readonly replay?: string;
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const COLORS: Record<string, string> = {
  open: '#4e79a7', write: '#59a14f', fsync: '#e15759', close: '#bab0ac', rename: '#f28e2b', link: '#b07aa1', unlink: '#9c755f',
  mkdir: '#76b7b2', rmdir: '#76b7b2', readFile: '#cfd8dc', readdir: '#cfd8dc', stat: '#eceff1', lstat: '#eceff1', fsyncDir: '#d62728',
};
const LANE = 34;
const STEP = 7;
const LEFT = 150;

export function renderTraceHtml(picture: TracePicture): string {
  const items = parseTrace(picture.trace);
  const pids = [...new Set(items.flatMap((i) => (i.kind === 'world' ? [] : [i.pid])))].sort((a, b) => a - b);
  const names = new Map<number, string>();
  for (const i of items) if (i.kind === 'process' && i.what === 'spawn') names.set(i.pid, i.text.replace(/^.* spawn /, ''));
  const laneOf = (pid: number) => pids.indexOf(pid);
  let x = 0;
  const marks: string[] = [];
  for (const item of items) {
    if (item.kind === 'op') {
      x += 1;
      const y = laneOf(item.pid) * LANE + 8;
      const tall = item.op === 'fsync' || item.op === 'fsyncDir';
      const failed = item.result !== 'ok' && !/^\d+$/.test(item.result);
      marks.push(`<rect class="op${failed ? ' failed' : ''}" x="${LEFT + x * STEP}" y="${tall ? y - 4 : y}" width="${STEP - 1}" height="${tall ? 26 : 18}" fill="${failed ? '#b71c1c' : COLORS[item.op] ?? '#999'}"><title>${esc(item.text)}</title></rect>`);
    } else if (item.kind === 'process' && (item.what === 'killed' || item.what === 'paused')) {
      const y = laneOf(item.pid) * LANE + 4;
      marks.push(`<path class="${item.what}" d="M${LEFT + x * STEP + STEP} ${y} l6 13 l-6 13 l-6 -13 z" fill="${item.what === 'killed' ? '#000' : '#fbc02d'}"><title>${esc(item.text)}</title></path>`);
    } else if (item.kind === 'world' && /power loss|clock step|wall-clock/.test(item.text)) {
      marks.push(`<line class="world" x1="${LEFT + x * STEP + STEP}" y1="0" x2="${LEFT + x * STEP + STEP}" y2="${pids.length * LANE}" stroke="${/power/.test(item.text) ? '#000' : '#1565c0'}" stroke-width="3"><title>${esc(item.text)}</title></line>`);
    } else if (item.kind === 'log' && /^(job\.complete|job\.failed|lock\.lost|job\.aborted)$/.test(item.event)) {
      const y = laneOf(item.pid) * LANE + 30;
      marks.push(`<circle class="event" cx="${LEFT + x * STEP + STEP / 2}" cy="${y}" r="3" fill="#333"><title>${esc(item.text)}</title></circle>`);
    }
  }
  const width = LEFT + (x + 4) * STEP;
  const lanes = pids.map((pid, i) => `<text x="4" y="${i * LANE + 22}" class="lane">p${pid} ${esc(names.get(pid) ?? '')}</text><line x1="${LEFT}" y1="${i * LANE + 17}" x2="${width}" y2="${i * LANE + 17}" stroke="#eee"/>`);
  const files = [...new Set(picture.violations.flatMap((v) => (v.path ? [v.path] : [])))];
  const legend = Object.entries(COLORS).map(([op, c]) => `<span class="key"><i style="background:${c}"></i>${op}</span>`).join('');
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
<p>${legend}<span class="key">◆ black: killed · yellow: paused · vertical bar: power loss or clock step · dot: job outcome</span></p>
<div class="scroll"><svg id="timeline" xmlns="http://www.w3.org/2000/svg" width="${width}" height="${pids.length * LANE + 10}">${lanes.join('')}${marks.join('')}</svg></div>
<p>${x} calls by ${pids.length} process(es). Hover a mark for its trace line.</p>
</body></html>
`;
}

