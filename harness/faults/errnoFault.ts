// An errno on chosen calls: EACCES / EPERM / EROFS (permission and read-only filesystem: permanent),
// EIO (a failing device), EMFILE (out of file descriptors), ENOSPC (a full disk, at one call). The
// call does not happen.
import type { FileSystem } from '../../src/ports/fileSystem.ts';
import { TriggerCounter, injectedError, interceptCalls, type FaultTrigger } from './faultRule.ts';

export type FaultErrno = 'EACCES' | 'EPERM' | 'EROFS' | 'EIO' | 'EMFILE' | 'ENOSPC';

export function errnoFault(code: FaultErrno, trigger: FaultTrigger): (fs: FileSystem) => FileSystem {
  return (fs) => {
    const counter = new TriggerCounter(trigger);
    return interceptCalls(fs, (op, path, next) => {
      if (counter.hits(op, path)) throw injectedError(code, { fault: `errno-${code}`, op, path });
      return next();
    });
  };
}
