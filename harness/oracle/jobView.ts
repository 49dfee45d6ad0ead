// One job as a checker sees it in a filesystem state: whether it exists, what its state.json says,
// whether a deletion was asked, and whether its files are whole (the input as enqueued, and every
// artifact its state records byte-equal to the fault-free run's). Operation workloads phrase what an
// acknowledgement promises in these terms.
import type { RuntimeConfig } from '../../src/config.ts';
import { FILE } from '../../src/layout.ts';
import type { JobState, Stage } from '../../src/jobState.ts';
import type { SimFsCore } from '../simFs/simFsCore.ts';
import { bytesEqual } from '../simFs/snapshot.ts';
import type { Golden, GoldenJob } from './golden.ts';
import { readCoreFile, readCoreState } from './coreFiles.ts';

const FILE_OF_STAGE: Record<Stage, string> = { transcribe: FILE.transcript, draft: FILE.draft, export: FILE.export };

export class JobView {
  readonly dirExists: boolean;
  readonly names: readonly string[];
  readonly state: JobState | undefined;
  readonly unreadable: string | undefined;
  readonly deletionAsked: boolean;

  constructor(
    private readonly core: SimFsCore,
    private readonly dir: string,
    private readonly golden: GoldenJob | undefined,
    config: RuntimeConfig,
    jobId: string,
  ) {
    let names: string[] | undefined;
    try {
      names = core.readdir(dir);
    } catch {
      names = undefined;
    }
    this.dirExists = names !== undefined;
    this.names = names ?? [];
    let state: JobState | undefined;
    let unreadable: string | undefined;
    try {
      state = readCoreState(core, config, jobId);
    } catch (error) {
      unreadable = (error as Error).message;
    }
    this.state = state;
    this.unreadable = unreadable;
    this.deletionAsked = this.names.includes(FILE.tombstone);
  }

  get status(): string | undefined {
    return this.unreadable !== undefined ? 'unreadable' : this.state?.status;
  }

  /** Runners and `status` see the job: its state.json exists. */
  get visible(): boolean {
    return this.names.includes(FILE.state);
  }

  get inputIntact(): boolean {
    const golden = this.golden;
    return golden !== undefined && bytesEqual(readCoreFile(this.core, `${this.dir}/${golden.inputName}`), golden.input);
  }

  inputDescription(): string {
    const bytes =
      this.golden === undefined ? undefined : readCoreFile(this.core, `${this.dir}/${this.golden.inputName}`);
    return bytes === undefined ? 'missing' : `${bytes.length} bytes (enqueued: ${this.golden?.input.length ?? '?'})`;
  }

  /** Valid state, the whole input, and every artifact the state records as it should be. */
  get intact(): boolean {
    if (this.state === undefined || !this.inputIntact) return false;
    return Object.keys(this.state.artifacts).every((stage) => this.artifactIntact(FILE_OF_STAGE[stage as Stage]));
  }

  /** Ended as the fault-free run ends it: same status, and for a complete job every golden artifact. */
  get finishedAsGolden(): boolean {
    if (this.golden === undefined || this.state?.status !== this.golden.status) return false;
    return [...this.golden.artifacts.keys()].every(
      (name) => this.state?.status !== 'complete' || this.artifactIntact(name),
    );
  }

  /** A finished deletion: nothing but the state (and the tombstone) is left. */
  get onlyStateLeft(): boolean {
    return this.names.every((name) => name === FILE.state || name === FILE.tombstone);
  }

  describe(): string {
    if (!this.dirExists) return 'gone';
    const status =
      this.state === undefined
        ? (this.unreadable ?? 'without state.json')
        : `${this.state.status} at ${this.state.stage}`;
    return `${status} (files: ${this.names.join(', ') || 'none'})`;
  }

  private artifactIntact(name: string): boolean {
    const expected = this.golden?.artifacts.get(name);
    return expected !== undefined && bytesEqual(readCoreFile(this.core, `${this.dir}/${name}`), expected);
  }
}

export function jobView(core: SimFsCore, config: RuntimeConfig, golden: Golden, jobId: string): JobView {
  return new JobView(core, `${config.root}/jobs/${jobId}`, golden.jobs.get(jobId), config, jobId);
}
