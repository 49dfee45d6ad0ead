// fsync fails with EIO, and the kernel drops the dirty pages it could not write (Linux since 4.13
// reports the error once; a later fsync then succeeds with the data gone: "fsyncgate", 2018). A
// program that retries fsync and trusts the success has lost data. The correct response is to treat
// the write as failed and write again from its own copy.
import type { FileSystem } from '../../src/ports/fileSystem.ts';
import type { World } from '../world/world.ts';
import { TriggerCounter, injectedError, interceptCalls, type FaultTrigger } from './faultRule.ts';

export function fsyncEio(world: World, trigger: FaultTrigger): (fs: FileSystem) => FileSystem {
  return (fs) => {
    const counter = new TriggerCounter({ ...trigger, op: 'fsync' });
    return interceptCalls(fs, (op, path, next) => {
      if (!counter.hits(op, path)) return next();
      const node = world.core.resolve(path, 'fsync');
      if (node?.kind === 'file') node.data = node.synced;
      throw injectedError('EIO', { fault: 'fsync-eio', op, path });
    });
  };
}
