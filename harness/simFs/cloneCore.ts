// An exact copy of a SimFsCore, durability layers included (crashStates flattens them; this does not).
// The explorer takes one per scheduled call of a run, so every crash point is computed from the state
// at that instant without re-running the prefix.
import { SimFsCore, type SimNode } from './simFsCore.ts';

export function cloneCoreExact(source: SimFsCore): SimFsCore {
  const copy = new SimFsCore(source.clockMs);
  copy.nodes.clear();
  for (const [ino, node] of source.nodes) copy.nodes.set(ino, cloneNode(node));
  copy.setNextIno(source.peekNextIno());
  return copy;
}

function cloneNode(node: SimNode): SimNode {
  switch (node.kind) {
    case 'file':
      return { ...node };
    case 'dir':
      return { ...node, entries: new Map(node.entries), syncedEntries: new Map(node.syncedEntries) };
    case 'symlink':
      return { ...node };
  }
}
