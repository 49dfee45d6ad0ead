// The embedded default stage handlers (no network). Transcribe accepts a text transcript or a
// captions file (.txt, .srt, .vtt) and refuses anything else (audio it cannot transcribe: the plan's
// "invalid audio") or text with no words ("invalid input"), as a permanent error; draft renders Markdown; export renders a standalone HTML document. All three
// are pure functions of their input, so a rerun is byte-equal.
import type { StageHandlers } from './ports/stageHandlers.ts';
import { InvalidInputError } from './errors.ts';

const SUPPORTED = ['txt', 'srt', 'vtt'] as const;
/** The one input size limit of the built-in handlers (64 MiB), checked at enqueue and at transcribe. */
export const MAX_INPUT_BYTES = 64 * 1024 * 1024;

export function extensionOf(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot < 0 ? '' : name.slice(dot + 1).toLowerCase();
}

export function transcribeText(inputName: string, bytes: Uint8Array): string {
  const ext = extensionOf(inputName);
  if (!(SUPPORTED as readonly string[]).includes(ext)) {
    throw new InvalidInputError(`invalid audio: unsupported input type ".${ext}" (expected .txt, .srt or .vtt)`);
  }
  if (bytes.length > MAX_INPUT_BYTES)
    throw new InvalidInputError(`invalid input: input is ${bytes.length} bytes, over ${MAX_INPUT_BYTES}`);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new InvalidInputError('invalid input: input is not valid UTF-8 text (inputs must be UTF-8)');
  }
  const control = /[\u0000-\u0008\u000e-\u001f\u007f]/.exec(text);
  if (control !== null) {
    const code = control[0].charCodeAt(0).toString(16).padStart(4, '0').toUpperCase();
    throw new InvalidInputError(
      `invalid input: input is binary (control character U+${code} at character ${control.index})`,
    );
  }
  // A leading byte-order mark is already gone: TextDecoder drops it (ignoreBOM is false).
  const lines = text.split(/\r\n|\r|\n/);
  const spoken = ext === 'txt' ? lines : captionLines(lines, ext === 'vtt');
  const cleaned = spoken
    .map((line) =>
      line
        .replace(/<[^>]*>/g, '')
        .replace(/\s+/g, ' ')
        .trim(),
    )
    .filter((line) => line !== '');
  if (cleaned.length === 0) throw new InvalidInputError('invalid input: input contains no words');
  return `${cleaned.join('\n')}\n`;
}

/**
 * The spoken text of .srt/.vtt cues, by the formats' grammar: blocks are separated by blank lines;
 * a cue block is an optional identifier (the SRT counter, a WebVTT cue id such as `intro`), a timing
 * line (`-->`), then its payload lines, kept whatever they hold (a line `42` is spoken text). The
 * WebVTT header block and NOTE, STYLE and REGION blocks hold no speech; a block without a timing
 * line is not a cue.
 */
function captionLines(lines: string[], isVtt: boolean): string[] {
  const out: string[] = [];
  for (const [index, block] of blocksOf(lines).entries()) {
    if (isVtt && index === 0 && block[0]!.startsWith('WEBVTT')) continue;
    if (isVtt && /^(NOTE|STYLE|REGION)\b/.test(block[0]!)) continue;
    const timing = block.findIndex((line) => line.includes('-->'));
    if (timing < 0 || timing > 1) continue;
    out.push(...block.slice(timing + 1));
  }
  return out;
}

/** Runs of non-blank lines, trimmed. */
function blocksOf(lines: readonly string[]): string[][] {
  const blocks: string[][] = [];
  let current: string[] = [];
  for (const line of lines) {
    const trimmed = line.trim();
    if (trimmed !== '') current.push(trimmed);
    else if (current.length > 0) {
      blocks.push(current);
      current = [];
    }
  }
  if (current.length > 0) blocks.push(current);
  return blocks;
}

export function renderDraft(sessionId: string, jobId: string, transcript: string): string {
  const lines = transcript.trimEnd().split('\n');
  const paragraphs: string[] = [];
  for (let i = 0; i < lines.length; i += 4) paragraphs.push(escapeLeadingMarkdown(lines.slice(i, i + 4).join(' ')));
  const words = transcript.split(/\s+/).filter((w) => w !== '').length;
  return [
    `# Draft: session ${sessionId}`,
    '',
    `_Job ${jobId} · ${words} words_`,
    '',
    ...paragraphs.flatMap((p) => [p, '']),
    '',
  ].join('\n');
}

/**
 * The export of a draft: its first block is the title (`# ...`), its second the byline (`_..._`),
 * every later block a paragraph of spoken text, rendered as text whatever it starts with.
 */
export function renderExport(sessionId: string, jobId: string, draft: string): string {
  const body = draft
    .trimEnd()
    .split('\n\n')
    .map((block, index) => {
      if (index === 0 && block.startsWith('# ')) return `<h1>${escapeHtml(block.slice(2))}</h1>`;
      if (index === 1 && block.startsWith('_') && block.endsWith('_'))
        return `<p><em>${escapeHtml(block.slice(1, -1))}</em></p>`;
      return `<p>${escapeHtml(block.startsWith('\\') ? block.slice(1) : block)}</p>`;
    });
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<meta charset="utf-8">',
    `<title>${escapeHtml(`Session ${sessionId} (job ${jobId})`)}</title>`,
    '<body>',
    ...body,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

/** A paragraph of spoken text that starts like Markdown syntax (`# `, `_`, `>`, a list mark) is escaped. */
function escapeLeadingMarkdown(paragraph: string): string {
  return /^[#_*>+\-\\]/.test(paragraph) ? `\\${paragraph}` : paragraph;
}

function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** Whether the built-in reader reads this input (a text transcript or captions file). */
export function isTextInput(inputName: string): boolean {
  return (SUPPORTED as readonly string[]).includes(extensionOf(inputName));
}

/**
 * The handlers for a deployment whose transcriber reads audio (an upstream service): text inputs are
 * still judged at enqueue by the built-in reader (the service could not transcribe what it refuses),
 * audio only for being empty, since only the service can judge the rest.
 */
export function acceptingAudio(base: StageHandlers): StageHandlers {
  return {
    ...base,
    checkInput: (input) => {
      if (input.inputBytes.length === 0) throw new InvalidInputError('invalid audio: input is empty');
      if (isTextInput(input.inputName)) base.checkInput(input);
    },
  };
}

export const defaultHandlers: StageHandlers = {
  maxInputBytes: MAX_INPUT_BYTES,
  // Everything transcribe would refuse is known from the bytes: the same reader judges them at enqueue.
  checkInput: ({ inputName, inputBytes }) => void transcribeText(inputName, inputBytes),
  transcribe: async ({ inputName, inputBytes }) => transcribeText(inputName, inputBytes),
  draft: async ({ sessionId, jobId, transcript }) => renderDraft(sessionId, jobId, transcript),
  export: async ({ sessionId, jobId, draft }) => renderExport(sessionId, jobId, draft),
};
