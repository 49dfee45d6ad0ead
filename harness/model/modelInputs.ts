// The files a model-campaign user enqueues, and what the product must make of each, as the docs
// promise it (docs/runtime.md, "Inputs"): inputs must be UTF-8 text (.txt, .srt, .vtt) or audio for
// the transcription service. Text that is not UTF-8, holds control characters (binary) or has no
// words is refused at enqueue (exit 2), and nothing is stored; audio is accepted when a service is
// configured and judged by it (this one cannot read it: a permanent failure in transcribe), and
// refused at enqueue when none is. Of accepted text, the export
// shows exactly the spoken words, as text: the lines here are written out by hand from the docs'
// rules (captions keep only cue text, anything from `<` to the next `>` is cue styling and goes,
// white space collapses, a byte-order mark is no text), never computed by the runtime's code.
import type { ModelInput } from './modelPlan.ts';

interface InputSpec {
  readonly bytes: Uint8Array;
  /** Refused at enqueue: its bytes alone say it can never be transcribed. */
  readonly refused: boolean;
  /** Audio by its name: only a transcription service can judge it; without one, enqueue refuses it. */
  readonly audio?: boolean;
  /** The spoken text the export must show, line by line; undefined: the service cannot transcribe it. */
  readonly spoken?: readonly string[];
}

const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);
const numbered = Array.from({ length: 9 }, (_, i) => `Line ${i + 1} of a longer talk.`);

export const MODEL_INPUT_SPECS: Readonly<Record<ModelInput, InputSpec>> = {
  'talk.srt': {
    bytes: utf8(
      '1\n00:00:01,000 --> 00:00:02,500\nWelcome to the durability talk.\n\n2\n00:00:03,000 ' +
        '--> 00:00:05,000\nToday: <b>crash</b> safety.\n',
    ),
    refused: false,
    spoken: ['Welcome to the durability talk.', 'Today: crash safety.'],
  },
  'notes.txt': {
    bytes: utf8('First line of notes.\nSecond line, with "quotes" & an ampersand.\n'),
    refused: false,
    spoken: ['First line of notes.', 'Second line, with "quotes" & an ampersand.'],
  },
  'captions.vtt': {
    bytes: utf8('WEBVTT\n\nNOTE not spoken\n\n00:00.000 --> 00:02.000\nFirst caption line.\n'),
    refused: false,
    spoken: ['First caption line.'],
  },
  'markup.txt': {
    bytes: utf8(
      '# Not a heading\n<script>alert("x")</script> and <img src=x onerror=alert(1)> more\n' +
        "_not emphasis_ and 'single quotes'\nif 5 < 6 then so be it\n> not a quote\n",
    ),
    refused: false,
    spoken: [
      '# Not a heading',
      'alert("x") and more',
      "_not emphasis_ and 'single quotes'",
      'if 5 < 6 then so be it',
      '> not a quote',
    ],
  },
  'entities.txt': {
    bytes: utf8('AT&amp;T &lt;b&gt;bold&lt;/b&gt; &#x3C;script&#x3E; &copy; 5 &gt 3\n'),
    refused: false,
    spoken: ['AT&amp;T &lt;b&gt;bold&lt;/b&gt; &#x3C;script&#x3E; &copy; 5 &gt 3'],
  },
  'unicode.txt': {
    bytes: utf8('Grüße — naïve café 😀 日本語\nZweite   Zeile\n'),
    refused: false,
    spoken: ['Grüße — naïve café 😀 日本語', 'Zweite Zeile'],
  },
  'bom-crlf.txt': {
    bytes: utf8('\uFEFFFirst line.\r\nSecond line.\r\n\r\nThird line after a blank.\r\n'),
    refused: false,
    spoken: ['First line.', 'Second line.', 'Third line after a blank.'],
  },
  'long.txt': { bytes: utf8(`${numbered.join('\n')}\n`), refused: false, spoken: numbered },
  'song.mp3': { bytes: utf8('ID3\u0003\u0000\u0000not audio we can read'), refused: false, audio: true },
  noext: { bytes: utf8('no extension, so not text by name'), refused: false, audio: true },
  'blank.txt': { bytes: utf8('  \n\n\t\n'), refused: true },
  'empty.txt': { bytes: new Uint8Array(0), refused: true },
  'latin1.txt': {
    bytes: Uint8Array.from([0x43, 0x61, 0x66, 0xe9, 0x20, 0x63, 0x72, 0xe8, 0x6d, 0x65, 0x0a]),
    refused: true,
  },
  'nul.txt': { bytes: utf8('text with a \u0000 NUL byte\n'), refused: true },
};

export function modelInputBytes(input: ModelInput): Uint8Array {
  return MODEL_INPUT_SPECS[input].bytes;
}

/** Whether the service can transcribe the input (words, in a format it reads). */
export function isTranscribable(input: ModelInput): boolean {
  return MODEL_INPUT_SPECS[input].spoken !== undefined;
}
