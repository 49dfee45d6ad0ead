// The README and docs/ stand alone in a clone: every relative link resolves to a file in the
// repository, none leads outside it, and the README opens with the two set-up commands.
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { REPO_ROOT } from '../support/spawnCli.ts';

const documents = [
  'README.md',
  ...readdirSync(join(REPO_ROOT, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
];

describe('documentation', () => {
  it.each(documents)('%s links only to files inside the repository', (document) => {
    const text = readFileSync(join(REPO_ROOT, document), 'utf8');
    const targets = [...text.matchAll(/\]\(([^)\s]+)\)/g)]
      .map((m) => m[1]!)
      .filter((t) => !/^(https?:|mailto:|#)/.test(t));
    for (const target of targets) {
      const path = resolve(dirname(join(REPO_ROOT, document)), target.split('#')[0]!);
      expect(relative(REPO_ROOT, path).startsWith('..'), `${document} → ${target}`).toBe(false);
      expect(existsSync(path), `${document} → ${target}`).toBe(true);
    }
    expect(text).not.toMatch(/\.\.\/shared|DESIGN\.md/);
  });

  it('the README opens with the two set-up commands', () => {
    const lines = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8').split('\n');
    expect(lines.slice(2, 6).join('\n')).toMatch(
      /^```sh\nnpm ci && npm run chaos .*\nnpm ci && npm run check .*\n```$/,
    );
  });
});
