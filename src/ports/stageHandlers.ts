// The StageHandlers port: the work of each stage, separate from the durability around it. The
// pipeline owns reading inputs, writing artifacts atomically, skipping and state; a handler only
// turns bytes into text. Handlers must be deterministic for the same input: the idempotency
// invariant (a rerun produces byte-equal artifacts) depends on it.

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

export interface StageHandlers {
  transcribe(input: TranscribeInput): Promise<string>;
  draft(input: DraftInput): Promise<string>;
  export(input: ExportInput): Promise<string>;
}
