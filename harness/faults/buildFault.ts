// From a fault's data (scenario or chaos plan) to the decorator that injects it into one process.
import type { FileSystem } from '../../src/ports/fileSystem.ts';
import type { SimProcess, World } from '../world/world.ts';
import type { FaultSpec } from '../scenarioRunner/scenarioTypes.ts';
import { DiskQuota, diskFull } from './diskFull.ts';
import { errnoFault } from './errnoFault.ts';
import { fsyncEio } from './fsyncEio.ts';
import { slowOps } from './slowOps.ts';
import { shortWrites } from './shortWrites.ts';

/** The decorator for one process; it is applied when the process is spawned, before its first call. */
export function buildFault(
  fault: FaultSpec,
  world: World,
  quota: DiskQuota,
): (fs: FileSystem, process: SimProcess) => FileSystem {
  if ('errno' in fault) return errnoFault(fault.errno, fault.trigger);
  if ('diskQuotaBytes' in fault) {
    quota.remainingBytes = fault.diskQuotaBytes;
    return diskFull(quota);
  }
  if ('fsyncEio' in fault) return fsyncEio(world, fault.fsyncEio);
  if ('shortWritesMaxBytes' in fault) return shortWrites(fault.shortWritesMaxBytes);
  return (fs, process) => slowOps(() => process.io.clock, fault.slowMs, fault.trigger)(fs);
}
