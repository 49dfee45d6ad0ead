// Crash states of a SimFsCore, each returned as a new core whose contents count as durable (the
// machine after reboot, or the processes after a kill). The crash models (docs/design.md, "The harness"):
//   process-kill  everything completed is visible, fsynced or not (the OS survives);
//   lazyfs        power loss that keeps every metadata op but drops unsynced data (the ext4 2009
//                 state: a rename survived, the data it pointed to did not);
//   pessimistic   power loss that drops unsynced data and unsynced directory entries (POSIX allows);
//   subset        power loss where each directory keeps either its synced or its current entries and
//                 each file its synced data, its current data, or a block-aligned prefix between them
//                 (a seeded pick, ALICE-style). With `nonAtomicRename`, names are picked one by one, so
//                 a rename can be half-persisted (both names, or neither).
// Whatever an fsync made durable is kept in every model.
import type { SeededRandom } from '../seededRandom.ts';
import { SimFsCore, type DirNode, type Ino, type SimNode } from './simFsCore.ts';

export type CrashModel =
  | { readonly kind: 'process-kill' }
  | { readonly kind: 'lazyfs' }
  | { readonly kind: 'pessimistic' }
  | { readonly kind: 'subset'; readonly random: SeededRandom; readonly nonAtomicRename?: boolean };

export const BLOCK_BYTES = 4096;

export function crashState(source: SimFsCore, model: CrashModel): SimFsCore {
  const target = new SimFsCore(source.clockMs);
  const copied = new Map<Ino, Ino>([[source.root.ino, target.root.ino]]);
  const copyChildren = (from: DirNode, to: DirNode, depth: number) => {
    if (depth > 64) throw new Error('crashState: directory tree deeper than 64');
    for (const [name, ino] of chooseEntries(from, model)) {
      const node = source.nodes.get(ino);
      if (node === undefined) continue;
      const existing = copied.get(ino);
      if (existing !== undefined && node.kind !== 'dir') {
        to.entries.set(name, existing);
        continue;
      }
      if (existing !== undefined) continue; // a directory reachable twice in a mixed state: keep the first
      const made = copyNode(target, node, model);
      copied.set(ino, made.ino);
      to.entries.set(name, made.ino);
      if (node.kind === 'dir' && made.kind === 'dir') copyChildren(node, made, depth + 1);
    }
    to.mtimeMs = from.mtimeMs;
  };
  copyChildren(source.root, target.root, 0);
  target.syncAll();
  return target;
}

function chooseEntries(dir: DirNode, model: CrashModel): Map<string, Ino> {
  switch (model.kind) {
    case 'process-kill':
    case 'lazyfs':
      return dir.entries;
    case 'pessimistic':
      return dir.syncedEntries;
    case 'subset': {
      if (!model.nonAtomicRename) return model.random.chance(0.5) ? dir.entries : dir.syncedEntries;
      const names = [...new Set([...dir.entries.keys(), ...dir.syncedEntries.keys()])].sort();
      const chosen = new Map<string, Ino>();
      for (const name of names) {
        const ino = model.random.chance(0.5) ? dir.entries.get(name) : dir.syncedEntries.get(name);
        if (ino !== undefined) chosen.set(name, ino);
      }
      return chosen;
    }
  }
}

function chooseData(current: Uint8Array, synced: Uint8Array, model: CrashModel): Uint8Array {
  switch (model.kind) {
    case 'process-kill':
      return current;
    case 'lazyfs':
    case 'pessimistic':
      return synced;
    case 'subset': {
      const options: Uint8Array[] = [synced, current];
      const isAppend = current.length > synced.length && synced.every((byte, i) => current[i] === byte);
      if (isAppend) {
        const blocks = Math.floor((current.length - synced.length) / BLOCK_BYTES);
        for (let b = 1; b <= blocks; b++) options.push(current.subarray(0, synced.length + b * BLOCK_BYTES));
      }
      return model.random.pick(options);
    }
  }
}

function copyNode(target: SimFsCore, node: SimNode, model: CrashModel): SimNode {
  let made: SimNode;
  if (node.kind === 'file') {
    // No copy: a SimFsCore never changes a data array in place (write() replaces it), so crash states
    // share the arrays of the state they came from.
    const data = chooseData(node.data, node.synced, model);
    made = target.allocate('file', { data, synced: data });
  } else if (node.kind === 'dir') {
    made = target.allocate('dir', { entries: new Map(), syncedEntries: new Map() });
  } else {
    made = target.allocate('symlink', { target: node.target });
  }
  made.mtimeMs = node.mtimeMs;
  return made;
}
