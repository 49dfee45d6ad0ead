// Whether a module is the program's entry point (node or tsx was given this file), also when it was
// started through a symlinked path: cron often runs a release as /srv/app -> /srv/releases/N, and a
// plain URL comparison would then silently run nothing and exit 0.
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export function isEntryModule(moduleUrl: string, argv1: string | undefined = process.argv[1]): boolean {
  if (argv1 === undefined) return false;
  try {
    return realpathSync(argv1) === realpathSync(fileURLToPath(moduleUrl));
  } catch {
    return false;
  }
}
