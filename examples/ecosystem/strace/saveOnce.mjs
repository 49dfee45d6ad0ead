// Runs one save of an unmodified library on the real disk, for `strace -f`: shows which of open,
// write, fsync, rename and directory fsync it issues. Usage: node saveOnce.mjs <library> <dir>
import { mkdirSync, writeFileSync } from 'node:fs';

const [library, dir] = process.argv.slice(2);
mkdirSync(dir, { recursive: true });
const file = `${dir}/data.json`;
writeFileSync(file, '{"v":1}');
console.error(`--- ${library}: saving ${file}`);
const saves = {
  'write-file-atomic': async () => (await import('write-file-atomic')).default(file, '{"v":2}'),
  steno: async () => new (await import('steno')).Writer(file).write('{"v":2}'),
  atomically: async () => (await import('atomically')).writeFile(file, '{"v":2}'),
  'fs-extra': async () => (await import('fs-extra')).default.outputJson(file, { v: 2 }),
};
const save = saves[library];
if (save === undefined) throw new Error(`unknown library ${library}: one of ${Object.keys(saves).join(', ')}`);
await save();
console.error(`--- ${library}: saved`);
