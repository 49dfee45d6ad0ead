// Why SimFs is not memfs: the Linux behaviours of the FileSystem contract that memfs (the user's
// in-memory filesystem of choice, memfs@4.80.1) does not reproduce. Each row states what Linux and
// SimFs do (the contract suite proves both) and asserts that memfs does not; if a memfs upgrade
// fixes one, this test says so and the row can go.
import { describe, expect, it } from 'vitest';
import { Volume } from 'memfs';

function code(run: () => void): string | undefined {
  try {
    run();
    return undefined;
  } catch (error) {
    return (error as { code?: string }).code;
  }
}

describe('memfs deviations that SimFs closes', () => {
  it.each([
    [
      'renames a directory over a non-empty one',
      'ENOTEMPTY',
      (v: InstanceType<typeof Volume>) => {
        v.mkdirSync('/a');
        v.mkdirSync('/b');
        v.writeFileSync('/b/x', 'x');
        return () => v.renameSync('/a', '/b');
      },
    ],
    [
      'renames a directory into its own subtree',
      'EINVAL',
      (v: InstanceType<typeof Volume>) => {
        v.mkdirSync('/d/sub', { recursive: true });
        return () => v.renameSync('/d', '/d/sub/inner');
      },
    ],
    [
      'renames a file over a directory',
      'EISDIR',
      (v: InstanceType<typeof Volume>) => {
        v.writeFileSync('/f', 'x');
        v.mkdirSync('/dir');
        return () => v.renameSync('/f', '/dir');
      },
    ],
    [
      'unlink of a directory',
      'EISDIR',
      (v: InstanceType<typeof Volume>) => {
        v.mkdirSync('/dir');
        return () => v.unlinkSync('/dir');
      },
    ],
  ] as const)('memfs: %s does not fail with %s as on Linux', (_what, linuxCode, arrange) => {
    const volume = new Volume();
    expect(code(arrange(volume))).not.toBe(linuxCode);
  });

  it('memfs fsync is a no-op: it has no notion of what a power loss would keep', () => {
    const volume = new Volume();
    const fd = volume.openSync('/f', 'w');
    volume.writeSync(fd, 'data');
    volume.fsyncSync(fd);
    volume.closeSync(fd);
    // Nothing in memfs records durable versus cached state; SimFs keeps both per inode.
    expect(Object.keys(volume.toJSON())).toEqual(['/f']);
  });
});
