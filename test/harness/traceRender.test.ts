// The failure picture opened in a real browser: headless Chromium (Debian's `chromium`, which .ci/run
// installs) loads the page from disk, lays it out and screenshots it; its DOM has every mark.
import { afterAll, describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runScenario } from '../../harness/scenarioRunner/runScenario.ts';
import { renderTraceHtml } from '../../harness/report/renderTraceHtml.ts';
import { unfencedCommits } from '../../harness/bugs/fsBugs.ts';
import pausedOwnerFenced from '../../scenarios/pausedOwnerFenced.ts';

const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));
if (CHROMIUM === undefined)
  console.warn(
    'SKIPPED trace rendering in Chromium: no chromium binary (apt-get install chromium); .ci/run installs it.',
  );
const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

describe.skipIf(CHROMIUM === undefined)('trace picture in headless Chromium', () => {
  it('renders: the DOM has one mark per call and the violation; the screenshot is a real image', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'trace-render-'));
    dirs.push(dir);
    const result = await runScenario(pausedOwnerFenced, { seed: 1, variant: { decorate: [unfencedCommits] } });
    const page = join(dir, 'trace.html');
    await writeFile(
      page,
      renderTraceHtml({ title: 'paused-owner-fenced', trace: result.trace, violations: result.violations }),
    );
    const flags = [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      `--user-data-dir=${join(dir, 'profile')}`,
    ];
    const dom = execFileSync(CHROMIUM!, [...flags, '--dump-dom', `file://${page}`], {
      encoding: 'utf8',
      timeout: 60_000,
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    const marks = (dom.match(/<rect class="op/g) ?? []).length;
    expect(marks).toBeGreaterThan(100);
    expect(dom).toMatch(/<li class="violation"><b>I4<\/b>/);
    const shot = join(dir, 'trace.png');
    spawnSync(CHROMIUM!, [...flags, '--window-size=1400,500', `--screenshot=${shot}`, `file://${page}`], {
      timeout: 60_000,
      stdio: 'ignore',
    });
    expect(statSync(shot).size).toBeGreaterThan(10_000);
  });
});
