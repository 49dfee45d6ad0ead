// The files a model-campaign user enqueues, and what the product must make of each, as the docs
// promise it (docs/runtime.md, "Inputs"): captions and text are transcribed; markup in the text is
// text, never markup in the export; audio the service cannot read and text with no words fail
// permanently in the transcribe stage.
import type { ModelInput } from './modelPlan.ts';

export const MODEL_INPUT_TEXT: Readonly<Record<ModelInput, string>> = {
  'talk.srt':
    '1\n00:00:01,000 --> 00:00:02,500\nWelcome to the durability talk.\n\n2\n00:00:03,000 ' +
    '--> 00:00:05,000\nToday: crash safety.\n',
  'notes.txt': 'First line of notes.\nSecond line, with "quotes" & an ampersand.\n',
  'captions.vtt': 'WEBVTT\n\n00:00.000 --> 00:02.000\nFirst caption line.\n',
  'markup.txt':
    '# Not a heading\n<script>alert("x")</script> and <img src=x onerror=alert(1)>\n' +
    "_not emphasis_ and 'single quotes'\nif 5 < 6 then so be it\n",
  'song.mp3': 'ID3\u0003\u0000\u0000not audio we can read',
  'blank.txt': '  \n\n\t\n',
};

/** Whether the service can transcribe the input (it has words, in a format it reads). */
export function isTranscribable(input: ModelInput): boolean {
  return input !== 'song.mp3' && input !== 'blank.txt';
}

export function modelInputBytes(input: ModelInput): Uint8Array {
  return new TextEncoder().encode(MODEL_INPUT_TEXT[input]);
}
