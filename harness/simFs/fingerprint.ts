// A canonical fingerprint of a SimFsCore's visible tree: names, kinds, link structure (inodes
// numbered in walk order), mtimes, symlink targets and file bytes. Two cores with the same
// fingerprint cannot be told apart by any call a process can make, so a run on one is a run on the
// other. File bytes enter as a small id: by identity of the array (a core never changes an array in
// place, so the crash states of one run share them), else by content (a digest, confirmed byte for
// byte, so no collision can merge two states). Durability layers are not part of it: use it on crash
// states, whose layers equal their visible tree, or where no crash follows (the checks after
// recovery). One Fingerprinter per exploration (it keeps every distinct array it has seen).
import type { DirNode, SimFsCore } from './simFsCore.ts';
import { bytesEqual } from './snapshot.ts';
import { crc32 } from '../../src/checksum.ts';

export class Fingerprinter {
  private readonly viewIds = new WeakMap<ArrayBufferLike, Map<string, number>>();
  private readonly contentIds = new Map<string, { readonly id: number; readonly bytes: Uint8Array }[]>();
  private nextId = 1;

  of(core: SimFsCore): string {
    const canonical = new Map<number, number>();
    const out: string[] = [];
    const walk = (dir: DirNode) => {
      out.push(`d${dir.mtimeMs}(`);
      for (const name of [...dir.entries.keys()].sort()) {
        const node = core.node(dir.entries.get(name)!);
        const seen = canonical.get(node.ino);
        if (seen !== undefined) {
          out.push(`${name}=@${seen};`);
          continue;
        }
        canonical.set(node.ino, canonical.size);
        if (node.kind === 'dir') {
          out.push(`${name}=`);
          walk(node);
        } else if (node.kind === 'file') out.push(`${name}=f${node.mtimeMs}:${this.bytesId(node.data)};`);
        else out.push(`${name}=l${node.mtimeMs}:${JSON.stringify(node.target)};`);
      }
      out.push(')');
    };
    walk(core.root);
    return out.join('');
  }

  /** A small id for a byte array, equal for arrays with equal bytes. */
  private bytesId(bytes: Uint8Array): number {
    let views = this.viewIds.get(bytes.buffer);
    if (views === undefined) {
      views = new Map();
      this.viewIds.set(bytes.buffer, views);
    }
    const viewKey = `${bytes.byteOffset}:${bytes.byteLength}`;
    const known = views.get(viewKey);
    if (known !== undefined) return known;
    const contentKey = `${bytes.byteLength}:${digest(bytes)}`;
    let same = this.contentIds.get(contentKey);
    if (same === undefined) {
      same = [];
      this.contentIds.set(contentKey, same);
    }
    let id = same.find((entry) => bytesEqual(entry.bytes, bytes))?.id;
    if (id === undefined) {
      id = this.nextId++;
      same.push({ id, bytes });
    }
    views.set(viewKey, id);
    return id;
  }
}

/** CRC-32 of the bytes (native, via node:zlib): a bucket key; equality is confirmed by content. */
function digest(bytes: Uint8Array): string {
  return crc32(bytes).toString(36);
}
