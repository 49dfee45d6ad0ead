// Runs one save of an unmodified library on the real disk, for `strace -f`: shows which of open,
// write, fsync, rename and directory fsync it issues. Usage: node saveOnce.mjs <library> <dir>
// (see docs/ecosystem.md for the strace command and what it printed)
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
  configstore: async () => new (await import('configstore')).default('app', undefined, { configPath: file }).set('v', 2),
  'node-json-db': async () => {
    const { JsonDB, Config } = await import('node-json-db');
    const db = new JsonDB(new Config(file, false, false, '/'));
    await db.push('/v', 2);
    await db.save();
  },
  lowdb: async () => {
    const { Low } = await import('lowdb');
    const { JSONFile } = await import('lowdb/node');
    const db = new Low(new JSONFile(file), {});
    await db.read();
    db.data.v = 2;
    await db.write();
  },
  '@seald-io/nedb': async () => {
    const Datastore = (await import('@seald-io/nedb')).default;
    const db = new Datastore({ filename: `${dir}/users.db` });
    await db.loadDatabaseAsync();
    console.error(`--- @seald-io/nedb: loaded; inserting`);
    await db.insertAsync({ _id: 'b', name: 'Bob' });
  },
};
const save = saves[library];
if (save === undefined) throw new Error(`unknown library ${library}: one of ${Object.keys(saves).join(', ')}`);
await save();
console.error(`--- ${library}: saved`);
