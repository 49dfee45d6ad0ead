// The data root layout (docs/runtime.md, "Data layout"). Every path the runtime touches is built
// here, from validated ids.
//   <root>/runner.lock
//   <root>/sessions/<sessionId>/session.lock, transcript.txt
//   <root>/jobs/<jobId>/state.json, input.<ext>, transcript.txt, draft.md, export.html, deleted
//   <root>/jobs/.tmp-enqueue-<jobId>.<hex>/ (an enqueue staging its job before the commit rename)
// Names starting with `.tmp-` are temporary (tmp files, lock work directories, reaped locks) and
// are always safe for recovery to remove once their owner is gone.
import { checkId } from './ids.ts';

export const TMP_PREFIX = '.tmp-';
export const LOCK_SUFFIX = '.lock';
export const ENQUEUE_PREFIX = `${TMP_PREFIX}enqueue-`;

export const FILE = {
  runnerLock: 'runner.lock',
  sessionLock: 'session.lock',
  state: 'state.json',
  transcript: 'transcript.txt',
  draft: 'draft.md',
  export: 'export.html',
  tombstone: 'deleted',
} as const;

export function joinPath(...parts: string[]): string {
  const joined = parts.join('/');
  return joined.includes('//') ? joined.replace(/\/+/g, '/') : joined;
}

export function dirName(path: string): string {
  const index = path.lastIndexOf('/');
  return index <= 0 ? (index === 0 ? '/' : '.') : path.slice(0, index);
}

export function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

export function isTmpName(name: string): boolean {
  return name.startsWith(TMP_PREFIX);
}

export class Layout {
  constructor(readonly root: string) {}

  get runnerLock(): string {
    return joinPath(this.root, FILE.runnerLock);
  }
  get jobsDir(): string {
    return joinPath(this.root, 'jobs');
  }
  get sessionsDir(): string {
    return joinPath(this.root, 'sessions');
  }
  jobDir(jobId: string): string {
    return joinPath(this.jobsDir, checkId('job', jobId));
  }
  /** Where an enqueue builds job `jobId` before its commit rename; `nonce` keeps two enqueues apart. */
  enqueueStaging(jobId: string, nonce: string): string {
    return joinPath(this.jobsDir, `${ENQUEUE_PREFIX}${checkId('job', jobId)}.${nonce}`);
  }
  jobFile(jobId: string, name: string): string {
    return joinPath(this.jobDir(jobId), name);
  }
  sessionDir(sessionId: string): string {
    return joinPath(this.sessionsDir, checkId('session', sessionId));
  }
  sessionLock(sessionId: string): string {
    return joinPath(this.sessionDir(sessionId), FILE.sessionLock);
  }
  sessionTranscript(sessionId: string): string {
    return joinPath(this.sessionDir(sessionId), FILE.transcript);
  }
}
