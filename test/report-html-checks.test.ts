/**
 * report.html's Checks section in chromium (playwright-core, Debian's chromium): each check's pass
 * rate, the failing results as links that open the leaf, the checks newly failing against a
 * baseline; a hostile reason shown as text, no script error, no request leaving the page.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { BaselineComparison } from '../src/report/baseline-compare.js';
import { renderHtml } from '../src/report/html.js';
import type { LeafEntry } from '../src/model/results.js';
import { scratch } from './helpers/project.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const browserTest = existsSync(CHROMIUM) || process.env.CI ? test : test.skip;
const HOSTILE = '</script><img src=x onerror=alert(1)>';

let browser: Browser | undefined;
afterAll(async () => {
  await browser?.close();
});

function leaf(n: number, passed: [boolean, boolean], reason = 'no'): LeafEntry {
  const ok = passed.every(Boolean);
  return {
    id: `flow_000${n}`,
    branch: [],
    keys: { doc: `docs/${n}.md` },
    status: ok ? 'succeeded' : 'failed',
    output: `out ${n}`,
    final_message: null,
    error: ok ? null : 'a check failed',
    duration_ms: 5,
    usage: { input_tokens: 0, output_tokens: 0 },
    steps: [
      {
        name: 'review',
        type: 'cmd',
        status: ok ? 'succeeded' : 'failed',
        duration_ms: 5,
        usage: null,
        dir: `flow_000${n}/01_review`,
        checks: [
          { name: 'has LGTM', type: 'contains', passed: passed[0], reason: passed[0] ? 'ok' : reason },
          { name: 'polite', type: 'rubric', passed: passed[1], reason: 'fine' },
        ],
      },
    ],
  };
}

browserTest('the Checks section: pass rates, failing results that open their leaf, checks newly failing', async () => {
  const leaves = [leaf(1, [true, true]), leaf(2, [false, true], HOSTILE), leaf(3, [true, false])];
  const before = [leaf(1, [true, true]), leaf(2, [true, true]), leaf(3, [true, false])];
  const totals = { flows_total: 3, total: 3, succeeded: 1, failed: 2, cancelled: 0, usage: { input_tokens: 0, output_tokens: 0 } };
  const html = renderHtml({
    title: 'checks',
    totals,
    durationMs: 10,
    leaves,
    load: () => undefined,
    baseline: new BaselineComparison('run_base', () => before, leaves),
  });
  const path = join(scratch(), 'report.html');
  writeFileSync(path, html);

  browser ??= await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  const page = await browser.newPage();
  const errors: string[] = [];
  const requests: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('dialog', (d) => void d.dismiss().then(() => errors.push(`dialog ${d.message()}`)));
  await page.route('**/*', (route) => {
    requests.push(route.request().url());
    return route.request().url().startsWith('file:') ? route.continue() : route.abort();
  });
  await page.goto(pathToFileURL(path).href);
  await page.waitForSelector('section.checks');
  const rates = await page.$$eval('section.checks table tr', (rows) =>
    rows.map((r) => Array.from(r.children, (cell: { textContent: string | null }) => cell.textContent).join(' | ')),
  );
  expect(rates).toEqual(['check | passed | failed | pass rate', 'review › has LGTM | 2 | 1 | 67 %', 'review › polite | 2 | 1 | 67 %']);
  const failures = await page.$$eval('section.checks ul.check-failures li', (items) => items.map((i) => i.textContent));
  expect(failures).toEqual([`flow_0002 · review › has LGTM: ${HOSTILE}`, 'flow_0003 · review › polite: fine']);
  expect(await page.$$eval('section.checks img', (imgs) => imgs.length)).toBe(0);
  const changes = await page.$$eval('section.checks ul.check-changes li', (items) => items.map((i) => i.textContent));
  expect(changes).toEqual([`newly failing: flow_0002 · review › has LGTM: ${HOSTILE}`]);
  // a failing result's link opens its leaf in the table
  await page.click('section.checks ul.check-failures a >> nth=1');
  await page.waitForSelector('tr.leaf.open[id="flow_0003"]');
  expect(errors).toEqual([]);
  expect(requests.every((url) => url.startsWith('file:'))).toBe(true);
});
