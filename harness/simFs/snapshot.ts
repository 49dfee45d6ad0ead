// A binary-safe picture of a SimFsCore's visible tree: path → kind, bytes, mtime. Invariants compare
// snapshots; the trace hashes them. (memfs's toJSON corrupts binary and drops times; this does not.)
import type { SimFsCore, DirNode } from './simFsCore.ts';

export interface SnapshotEntry {
  readonly kind: 'file' | 'dir' | 'symlink';
  readonly bytes?: Uint8Array;
  readonly target?: string;
  readonly mtimeMs: number;
}

export type Snapshot = Map<string, SnapshotEntry>;

export function snapshot(core: SimFsCore): Snapshot {
  const out: Snapshot = new Map();
  const walk = (dir: DirNode, prefix: string) => {
    for (const name of [...dir.entries.keys()].sort()) {
      const node = core.node(dir.entries.get(name)!);
      const path = `${prefix}/${name}`;
      if (node.kind === 'file') out.set(path, { kind: 'file', bytes: node.data, mtimeMs: node.mtimeMs });
      else if (node.kind === 'symlink') out.set(path, { kind: 'symlink', target: node.target, mtimeMs: node.mtimeMs });
      else {
        out.set(path, { kind: 'dir', mtimeMs: node.mtimeMs });
        walk(node, path);
      }
    }
  };
  walk(core.root, '');
  return out;
}

/** Pairs of distinct arrays already found equal (a core never changes an array in place). */
const knownEqual = new WeakMap<Uint8Array, WeakSet<Uint8Array>>();

export function bytesEqual(a: Uint8Array | undefined, b: Uint8Array | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  if (a === b) return true;
  if (a.length !== b.length) return false;
  if (a.length < 256) return compareBytes(a, b);
  if (knownEqual.get(a)?.has(b) === true) return true;
  if (!compareBytes(a, b)) return false;
  let equalToA = knownEqual.get(a);
  if (equalToA === undefined) {
    equalToA = new WeakSet();
    knownEqual.set(a, equalToA);
  }
  equalToA.add(b);
  return true;
}

function compareBytes(a: Uint8Array, b: Uint8Array): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export function text(bytes: Uint8Array | undefined): string {
  return bytes === undefined ? '' : new TextDecoder().decode(bytes);
}
