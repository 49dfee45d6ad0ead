// The StageHandlers port: the work of each stage, separate from the durability around it. The
// pipeline owns reading inputs, writing artifacts atomically, skipping and state; a handler only
// turns bytes into text. Handlers must be deterministic for the same input: the idempotency
// invariant (a rerun produces byte-equal artifacts) depends on it. `checkInput` moves every refusal
// that can be known from the bytes alone to enqueue, so a user hears of it before any runner pass.

export interface TranscribeInput {
  readonly jobId: string;
  readonly sessionId: string;
  /** The stored input's file name inside the job directory, e.g. `input.srt`. */
  readonly inputName: string;
  readonly inputBytes: Uint8Array;
}

export interface DraftInput {
  readonly jobId: string;
  readonly sessionId: string;
  readonly transcript: string;
}

export interface ExportInput {
  readonly jobId: string;
  readonly sessionId: string;
  readonly draft: string;
}

/** An input as enqueue receives it, before it is stored. */
export interface OfferedInput {
  /** The original file name; its extension says what the input is (.txt, .srt, .vtt, audio). */
  readonly inputName: string;
  readonly inputBytes: Uint8Array;
}

export interface StageHandlers {
  /** The largest input the handlers take, in bytes: enqueue refuses a larger one before reading it. */
  readonly maxInputBytes: number;
  /**
   * Refuses, at enqueue, an input transcribe could never read: throws InvalidInputError saying why.
   * What it lets through may still fail later (an upstream that judges audio), but nothing it could
   * know now.
   */
  checkInput(input: OfferedInput): void;
  transcribe(input: TranscribeInput): Promise<string>;
  draft(input: DraftInput): Promise<string>;
  export(input: ExportInput): Promise<string>;
}
