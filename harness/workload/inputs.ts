// Job inputs for workloads: each supported format, one large enough that a write spans several
// 4 KiB blocks (so a kill mid-write can leave a torn prefix), and audio the transcriber refuses.
const lines = (count: number, width: number) =>
  Array.from({ length: count }, (_, i) => `Line ${i + 1}: ${'lorem ipsum dolor sit amet '.repeat(width).trim()}.`).join(
    '\n',
  );

export const INPUTS = {
  'talk.srt':
    '1\n00:00:01,000 --> 00:00:02,500\nWelcome to the durability talk.\n\n2\n00:00:03,000 ' +
    '--> 00:00:05,000\nToday: <b>crash safety</b>.\n',
  'captions.vtt':
    'WEBVTT\n\nNOTE recorded live\n\n00:00.000 --> 00:02.000\nFirst caption line.\n\n00:02.000 ' +
    '--> 00:04.000\nSecond caption line.\n',
  'notes.txt': `${lines(120, 3)}\n`,
  'short.txt': 'Just a few words.\n',
  /** Large enough (~600 KiB) that the real runner spends measurable time in each stage. */
  'large.txt': `${lines(6_000, 3)}\n`,
  'song.mp3': 'ID3\u0003\u0000\u0000not audio we can read',
} as const;

export type InputName = keyof typeof INPUTS;

export function inputBytes(name: InputName): Uint8Array {
  return new TextEncoder().encode(INPUTS[name]);
}
