// A real directory tree, loaded into a SimFsCore at `mountAt`, so the harness's invariant checkers
// (which read SimFsCore) judge the real filesystem exactly as they judge the simulated one.
import { lstat, readFile, readdir, readlink } from 'node:fs/promises';
import { join } from 'node:path';
import { SimFsCore } from '../simFs/simFsCore.ts';

export async function loadRealTree(realRoot: string, mountAt: string): Promise<SimFsCore> {
  const core = new SimFsCore(() => Date.now());
  core.mkdir(mountAt, true);
  const walk = async (real: string, sim: string, depth: number) => {
    if (depth > 16) throw new Error(`loadRealTree: ${real} is nested deeper than 16`);
    for (const name of (await readdir(real)).sort()) {
      const realPath = join(real, name);
      const simPath = `${sim}/${name}`;
      const stats = await lstat(realPath);
      if (stats.isSymbolicLink()) core.symlink(await readlink(realPath), simPath);
      else if (stats.isDirectory()) {
        core.mkdir(simPath, false);
        await walk(realPath, simPath, depth + 1);
      } else {
        const handle = core.open(simPath, 'wx');
        core.write(handle, new Uint8Array(await readFile(realPath)), 0);
        core.node(handle.ino).mtimeMs = stats.mtimeMs;
      }
    }
  };
  await walk(realRoot, mountAt, 0);
  core.syncAll();
  return core;
}
