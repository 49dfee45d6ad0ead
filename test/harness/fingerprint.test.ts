// The crash-state fingerprint the explorer deduplicates by: equal exactly when no call could tell two
// states apart (names, kinds, bytes, mtimes, symlink targets, hard links), whatever arrays hold the bytes.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { SimFsCore } from '../../harness/simFs/simFsCore.ts';
import { crashState } from '../../harness/simFs/crashStates.ts';
import { Fingerprinter } from '../../harness/simFs/fingerprint.ts';
import { snapshot } from '../../harness/simFs/snapshot.ts';

const enc = (t: string) => new TextEncoder().encode(t);

function put(core: SimFsCore, path: string, text: string): void {
  const file = core.open(path, 'w');
  core.write(file, enc(text), 0);
  core.close(file);
}

/** A small tree: two directories, files, a hard link and a symlink, all at the clock's time. */
function tree(clock: { ms: number }): SimFsCore {
  const core = new SimFsCore(() => clock.ms);
  core.mkdir('/r/a', true);
  core.mkdir('/r/b', false);
  put(core, '/r/a/x', 'x content');
  put(core, '/r/b/y', 'y content');
  core.link('/r/a/x', '/r/b/x-link');
  core.symlink('../a/x', '/r/b/sym');
  return core;
}

describe('crash-state fingerprint', () => {
  it('is equal for two independently built identical trees (bytes compared by content, not by array)', () => {
    const prints = new Fingerprinter();
    expect(prints.of(tree({ ms: 5 }))).toBe(prints.of(tree({ ms: 5 })));
    expect(prints.of(crashState(tree({ ms: 5 }), { kind: 'process-kill' }))).toBe(prints.of(tree({ ms: 5 })));
  });

  it('changes with one byte, one mtime, one name, a hard link turned into a copy, a symlink target', () => {
    const prints = new Fingerprinter();
    const base = prints.of(tree({ ms: 5 }));
    const variants: [string, (core: SimFsCore, clock: { ms: number }) => void][] = [
      ['one byte', (core) => put(core, '/r/b/y', 'y contenT')],
      [
        'one mtime',
        (core, clock) => {
          clock.ms = 6;
          core.rename('/r/b/y', '/r/b/y');
          put(core, '/r/a/x', 'x content');
        },
      ],
      ['one name', (core) => core.rename('/r/b/y', '/r/b/z')],
      [
        'a hard link made a copy',
        (core) => {
          core.unlink('/r/b/x-link');
          put(core, '/r/b/x-link', 'x content');
        },
      ],
      [
        'a symlink target',
        (core) => {
          core.unlink('/r/b/sym');
          core.symlink('../a/y', '/r/b/sym');
        },
      ],
    ];
    for (const [label, change] of variants) {
      const clock = { ms: 5 };
      const core = tree(clock);
      change(core, clock);
      expect(prints.of(core), label).not.toBe(base);
    }
  });

  it('equal fingerprints mean equal snapshots and equal link structure (property over random op sequences)', () => {
    const op = fc.oneof(
      fc.record({
        kind: fc.constant('put' as const),
        name: fc.constantFrom('p', 'q', 'r'),
        text: fc.constantFrom('', 'a', 'b', 'ab'),
      }),
      fc.record({
        kind: fc.constant('link' as const),
        name: fc.constantFrom('p', 'q', 'r'),
        to: fc.constantFrom('l1', 'l2'),
      }),
      fc.record({ kind: fc.constant('unlink' as const), name: fc.constantFrom('p', 'q', 'r', 'l1', 'l2') }),
      fc.record({ kind: fc.constant('tick' as const) }),
    );
    const build = (ops: { kind: string; name?: string; text?: string; to?: string }[]) => {
      const clock = { ms: 0 };
      const core = new SimFsCore(() => clock.ms);
      core.mkdir('/d', false);
      for (const o of ops) {
        try {
          if (o.kind === 'put') put(core, `/d/${o.name}`, o.text!);
          if (o.kind === 'link') core.link(`/d/${o.name}`, `/d/${o.to}`);
          if (o.kind === 'unlink') core.unlink(`/d/${o.name}`);
          if (o.kind === 'tick') clock.ms += 1;
        } catch {
          // ENOENT/EEXIST: the op is a no-op, as for a process
        }
      }
      return core;
    };
    const linkGroups = (core: SimFsCore) => {
      const byIno = new Map<number, string[]>();
      for (const [name, ino] of core.root.entries.get('d') === undefined
        ? []
        : (core.node(core.root.entries.get('d')!) as { entries: Map<string, number> }).entries) {
        byIno.set(ino, [...(byIno.get(ino) ?? []), name]);
      }
      return [...byIno.values()].map((names) => names.sort().join('+')).sort();
    };
    const prints = new Fingerprinter();
    fc.assert(
      fc.property(fc.array(op, { maxLength: 8 }), fc.array(op, { maxLength: 8 }), (left, right) => {
        const a = build(left);
        const b = build(right);
        if (prints.of(a) !== prints.of(b)) return;
        const sa = snapshot(a);
        const sb = snapshot(b);
        expect([...sb.keys()]).toEqual([...sa.keys()]);
        for (const [path, entry] of sa) {
          expect(sb.get(path)!.mtimeMs).toBe(entry.mtimeMs);
          expect(sb.get(path)!.bytes).toEqual(entry.bytes);
        }
        expect(linkGroups(b)).toEqual(linkGroups(a));
      }),
      { numRuns: 2_000 },
    );
  });
});
