/**
 * report.html (issue 15.2, 15.4): a run's self-contained report, opened from file:// in headless
 * Chromium (Debian's chromium, driven by playwright-core; no browser is downloaded). Checks what a
 * person sees: every leaf with its status, the status and text filters, a leaf's output and diff,
 * hostile outputs shown as text, no request leaving the page, no script error. Without chromium the
 * browser tests are skipped with a message, except under CI, where a missing browser fails.
 */
import { existsSync, mkdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { renderHtml, scriptJson } from '../src/report/html.js';
import { runTreeLoader, writeReportHtml, writeRunReportHtml } from '../src/report/html-file.js';
import { expectExit, orchestrate, baseEnv } from './helpers/cli.js';
import { orchestrateInProcess, runCliInProcess as runCli } from './helpers/cli-inprocess.js';
import { repo } from './helpers/git.js';
import { waitFor } from './helpers/processes.js';
import { project, scratch } from './helpers/project.js';
import { BASELINE_CHECK } from './helpers/baseline.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const HAVE_CHROMIUM = existsSync(CHROMIUM);
const HOSTILE = '</script><img src=x onerror=alert(1)>';

if (!HAVE_CHROMIUM && !process.env.CI) {
  console.warn(`report-html.test.ts: ${CHROMIUM} is missing, so the browser tests are skipped (apt-get install -y chromium)`);
}
const browserTest = HAVE_CHROMIUM || process.env.CI ? test : test.skip;

let browser: Browser | undefined;
afterAll(async () => {
  await browser?.close();
});

interface Opened {
  page: Page;
  requests: string[];
  errors: string[];
  dialogs: string[];
}

/** The file's one page, and the open whose record its requests, errors and dialogs go to. */
let shared: Page | undefined;
let current: Opened | undefined;

async function recordingPage(): Promise<Page> {
  browser ??= await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  const page = await browser.newPage();
  await page.route('**/*', (route) => {
    current?.requests.push(route.request().url());
    return route.request().url().startsWith('file:') ? route.continue() : route.abort();
  });
  page.on('console', (m) => (m.type() === 'error' ? current?.errors.push(m.text()) : undefined));
  page.on('pageerror', (e) => current?.errors.push(String(e)));
  page.on('dialog', (d) => {
    current?.dialogs.push(d.message());
    void d.dismiss();
  });
  return page;
}

/**
 * Opens a report from file://, recording every request, console error, page error and dialog of
 * this open. Every open navigates the file's one page (a new page starts a renderer process: about
 * 1 CPU s of chromium each, against ~0.3 s for a navigation), through about:blank, so each open is
 * a fresh document even when only the URL's hash differs from the last one.
 */
async function open(path: string, hash = ''): Promise<Opened> {
  if (shared === undefined || shared.isClosed()) shared = await recordingPage();
  current = undefined;
  await shared.goto('about:blank');
  const opened: Opened = { page: shared, requests: [], errors: [], dialogs: [] };
  current = opened;
  await shared.goto(pathToFileURL(path).href + hash);
  await shared.waitForSelector('tr.leaf');
  return opened;
}

/** Waits until the table shows n leaf rows (the text filter applies after a short pause). */
async function rowCount(page: Page, n: number): Promise<void> {
  await page
    .locator('tr.leaf')
    .nth(n - 1)
    .waitFor();
  await page.locator('tr.leaf').nth(n).waitFor({ state: 'detached' });
}

const visibleRows = (page: Page): Promise<string[]> =>
  page.$$eval('tr.leaf', (rows) => rows.map((r) => `${r.getAttribute('data-id')} ${r.getAttribute('data-status')}`));

const EDIT = [
  'case "$ORCHESTRATOR_FLOW_ID" in',
  '  flow_0001) printf "one\\ntwo\\n" >> notes.md; echo "edited notes";;',
  `  flow_0002) printf '%s\\n' '${HOSTILE}' '@admin';;`,
  '  flow_0003) echo "it broke" >&2; exit 3;;',
  '  *) echo fine;;',
  'esac',
].join('\n');

describe('report.html of a run', () => {
  let runDir: string;
  let results: any;

  beforeAll(async () => {
    const config = [
      { type: 'codex', name: 'codex', prompt: 'Work on {{{DOC}}}' },
      { type: 'edit', cmd: EDIT },
      { type: 'split', array: true, cmd: 'echo \'["a","b"]\'' },
      { type: 'branch', cmd: 'e=$(cat); [ "$e" != b ] || [ "$ORCHESTRATOR_FLOW_ID" != flow_0004 ] || exit 1; echo "branch $e"' },
    ];
    const docs = { 'docs/1.md': 'one', 'docs/2.md': 'two', 'docs/3.md': 'three', 'docs/4.md': 'four' };
    const dir = repo(config, docs, { 'notes.md': 'notes\n' });
    const run = await orchestrateInProcess(
      dir,
      ['--key', 'DOC:docs.list', '--offline', '--isolate', 'worktree'],
      {},
      { timeoutMs: 45_000 },
    );
    expectExit(run, 1);
    runDir = run.runDir;
    results = run.results;
  });

  test('is written next to results.json, embeds the hostile text only escaped', () => {
    const html = readFileSync(join(runDir, 'report.html'), 'utf8');
    expect(html).not.toContain(HOSTILE);
    expect(html).not.toMatch(/<img/);
    expect(html).not.toMatch(/https?:\/\//);
    // one </script> per script block: no text closes one
    expect(html.split('</script>').length - 1).toBe(html.split('<script').length - 1);
  });

  browserTest('lists every leaf with its status; filters by status and text; a leaf shows its output and diff', async () => {
    const { page, requests, errors, dialogs } = await open(join(runDir, 'report.html'));
    const expected = results.flows.map((f: any) => `${f.branch.length ? `${f.id} [${f.branch.join('.')}]` : f.id} ${f.status}`);
    expect(expected).toContain('flow_0003 failed');
    expect(expected).toContain('flow_0004 [2] failed');
    expect(await visibleRows(page)).toEqual(expected);

    await page.click('button[data-status="failed"]');
    expect(await visibleRows(page)).toEqual(expected.filter((e: string) => e.endsWith(' failed')));
    await page.click('button[data-status="all"]');
    await page.fill('input[type="search"]', 'flow_0002');
    await rowCount(page, 2);
    expect(await visibleRows(page)).toEqual(['flow_0002 [1] succeeded', 'flow_0002 [2] succeeded']);
    await page.fill('input[type="search"]', '');
    await rowCount(page, expected.length);

    // the failed flow: its error and stderr
    await page.click('tr[data-id="flow_0003"]');
    const failed = await page.textContent('tr.detail-row');
    expect(failed).toContain('it broke');
    expect(failed).toMatch(/exit(ed)? (code )?3|code 3/);

    // the edited flow: its output and its diff, lines coloured
    await page.click('tr[data-id="flow_0001 [1]"]');
    const detail = page.locator('tr[data-id="flow_0001 [1]"] + tr.detail-row');
    expect(await detail.textContent()).toContain('edited notes');
    expect(await detail.locator('pre.diff span.add').allTextContents()).toEqual(expect.arrayContaining(['+one', '+two']));
    expect(await detail.locator('pre.diff span.meta').first().textContent()).toMatch(/^diff --git a\/notes.md/);
    const added = await detail
      .locator('pre.diff span.add')
      .first()
      .evaluate((e) => (globalThis as any).getComputedStyle(e).backgroundColor);
    expect(added).not.toBe('rgba(0, 0, 0, 0)');

    // the hostile output: shown as text, nothing ran
    await page.click('tr[data-id="flow_0002 [1]"]');
    const hostile = page.locator('tr[data-id="flow_0002 [1]"] + tr.detail-row');
    expect(await hostile.textContent()).toContain(HOSTILE);
    expect(await hostile.textContent()).toContain('@admin');
    expect(await page.locator('img').count()).toBe(0);

    await page.screenshot({ path: '/tmp/report.png', fullPage: true });
    expect(dialogs).toEqual([]);
    expect(errors).toEqual([]);
    expect(requests).toEqual([pathToFileURL(join(runDir, 'report.html')).href]);
  });

  test('`report DIR --output` writes the merged report.html; --open prints its path', async () => {
    const out = scratch();
    const report = await runCli(['report', join(runDir, '..'), '--output', out, '--open'], { cwd: out, env: baseEnv(), timeoutMs: 20_000 });
    const path = join(out, 'run_t', 'report.html');
    expect(report.stdout.trimEnd().split('\n').at(-1)).toBe(path);
    expect(readFileSync(path, 'utf8')).toContain('flow_0004');
  });
});

describe('the report page as data', () => {
  test('scriptJson escapes what could end a script block or a line', () => {
    const text = '</script><!-- & \u2028\u2029 >';
    const json = scriptJson({ text });
    expect(json).not.toMatch(/[<>&\u2028\u2029]/);
    expect(JSON.parse(json)).toEqual({ text });
  });

  test('step files are read as regular files inside the run directory only, and capped', () => {
    const dir = scratch({ 'secret.txt': 'secret', 'run/s/output.txt': 'x'.repeat(100), 'run/s/stderr.txt': 'a\nb\nlast' });
    const run = join(dir, 'run');
    symlinkSync(join(dir, 'secret.txt'), join(run, 's', 'prompt.txt'));
    symlinkSync(dir, join(run, 'link'));
    mkdirSync(join(run, 's', 'error.txt'));
    const load = runTreeLoader(run);
    expect(load('s/prompt.txt', 100, false)).toBeUndefined();
    expect(load('link/secret.txt', 100, false)).toBeUndefined();
    expect(load('../secret.txt', 100, false)).toBeUndefined();
    expect(load('s/error.txt', 100, false)).toBeUndefined();
    expect(load('s/output.txt', 10, false)).toEqual({ text: 'x'.repeat(10), truncatedFrom: 100 });
    expect(load('s/output.txt', 100, false)).toEqual({ text: 'x'.repeat(100) });
    expect(load('s/stderr.txt', 4, true)).toEqual({ text: 'last', truncatedFrom: 8 });
  });

  test('long texts are cut with a note of where the whole text is; the total budget leaves texts out', () => {
    const leaf = (id: string): any => ({
      id,
      branch: [],
      keys: { DOC: `${id}.md` },
      status: 'succeeded',
      output: 'o',
      final_message: null,
      error: null,
      duration_ms: 1,
      usage: { input_tokens: 0, output_tokens: 0 },
      steps: [{ name: 's', type: 'cmd', status: 'succeeded', duration_ms: 1, usage: null, dir: `${id}/step_1` }],
    });
    const totals = { flows_total: 2, total: 2, succeeded: 2, failed: 0, cancelled: 0, usage: { input_tokens: 0, output_tokens: 0 } };
    const load = (path: string, chars: number): any =>
      path.endsWith('output.txt')
        ? { text: 'y'.repeat(Math.min(chars, 50_000)), truncatedFrom: chars < 50_000 ? 50_000 : undefined }
        : undefined;
    const html = renderHtml({
      title: 't',
      totals,
      durationMs: 1,
      leaves: [leaf('a'), leaf('b'), leaf('c')],
      load,
      textLimit: 20_000,
      totalLimit: 30_000,
    });
    const block = (n: number): any => JSON.parse(new RegExp(`id="s${n}">(.*?)</script>`).exec(html)![1]!);
    // [command, prompt, output]: no command.txt or prompt.txt here
    expect(block(0)).toEqual([null, null, ['y'.repeat(20_000), 50_000]]);
    expect(block(1)).toEqual([null, null, ['y'.repeat(10_000), 50_000]]);
    expect(block(2)).toEqual([null, null, [null, 50_000]]);
    expect(html.length).toBeLessThan(2 * 30_000 + 40_000);
  });
});

test('a run of never-started leaves is one cancelled row naming the range, the count and why', () => {
  const totals = { flows_total: 300, total: 300, succeeded: 0, failed: 0, cancelled: 300, usage: { input_tokens: 0, output_tokens: 0 } };
  const range = {
    from: { id: 'flow_0001', branch: [] },
    to: { id: 'flow_0300', branch: [] },
    count: 300,
    reason: 'token budget reached',
    steps: [],
  };
  const html = renderHtml({ title: 't', totals, durationMs: 1, leaves: [range], load: () => undefined });
  const rows = JSON.parse(/id="leaves">(.*?)<\/script>/.exec(html)![1]!);
  expect(rows).toEqual([['flow_0001 … flow_0300', '', [], 2, 0, 0, '300 leaves not started: token budget reached', 0, [], -1]]);
});

test('an interrupted run writes report.html too, its unfinished leaves cancelled', async () => {
  const dir = scratch({
    'config.json': JSON.stringify([{ type: 'wait', cmd: 'touch started; sleep 20' }]),
    'a.txt': 'a',
    'l.txt': 'a.txt\n',
  });
  // interrupted once its step runs
  const onStart = (pid: number): void =>
    void waitFor('the step to start', () => existsSync(join(dir, 'started')), 15_000).then(() => process.kill(pid, 'SIGINT'));
  const run = await orchestrate(dir, ['--key', 'X:l.txt'], {}, { onStart });
  expect(run.code).not.toBe(0);
  expect(run.results.cancelled).toBe(1);
  const html = readFileSync(join(run.runDir, 'report.html'), 'utf8');
  expect(JSON.parse(/id="leaves">(.*?)<\/script>/.exec(html)![1]!)[0].slice(0, 4)).toEqual(['flow_0001', '', ['X', 'a.txt'], 2]);
});

describe('10,000 leaves', () => {
  let runDir: string;
  beforeAll(async () => {
    const dir = scratch({
      'config.json': JSON.stringify([
        { type: 'openai', name: 'review', prompt: 'Review {{{DOC:path}}} and list what is wrong with it, one line each:\n\n{{{DOC}}}' },
      ]),
    });
    const list = Array.from({ length: 10_000 }, (_, i) => `docs/${i}.md`).join('\n');
    writeFileSync(join(dir, 'docs.list'), list + '\n');
    mkdirSync(join(dir, 'docs'));
    for (let i = 0; i < 10_000; i++)
      writeFileSync(join(dir, 'docs', `${i}.md`), `# Document ${i}\n\nA paragraph of document ${i}, with a few words.\n`);
    const run = await orchestrateInProcess(dir, ['--key', 'DOC:docs.list', '--offline'], {}, { timeoutMs: 220_000, readResults: false });
    expectExit(run, 0);
    runDir = run.runDir;
  }, 240_000);

  test('the file stays under twice the texts it shows', () => {
    const html = statSync(join(runDir, 'report.html')).size;
    let texts = 0;
    const results = JSON.parse(readFileSync(join(runDir, 'results.json'), 'utf8'));
    for (const leaf of results.flows) {
      // what a person sees of each leaf: its id, keys, and its step's name, directory, prompt and output
      texts += leaf.id.length + Object.values(leaf.keys).join('').length;
      for (const step of leaf.steps) {
        texts += step.name.length + step.dir.length;
        for (const f of ['prompt.txt', 'output.txt']) texts += statSync(join(runDir, step.dir, f)).size;
      }
    }
    expect(html).toBeLessThan(2 * texts);
  });

  browserTest('renders its first rows quickly, one page of them', async () => {
    const started = Date.now();
    const { page, errors } = await open(join(runDir, 'report.html'));
    const ms = Date.now() - started;
    expect(ms).toBeLessThan(15_000);
    expect(await page.locator('tr.leaf').count()).toBe(200);
    await page.click('button.more');
    expect(await page.locator('tr.leaf').count()).toBe(400);
    await page.click('button[data-status="failed"]');
    expect(await page.locator('td.empty').textContent()).toBe('No leaf matches.');
    expect(errors).toEqual([]);
  });
});

describe('report --baseline', () => {
  // the same check over two versions (mode.txt): a unchanged, b changed, c fixed, f newly failing;
  // the baseline lists d, this run e in its place (same flow id, other keys: gone and new)
  const version = async (mode: string, docs: string[]): Promise<string> => {
    const files: Record<string, string> = { 'mode.txt': mode, 'docs.list': docs.map((d) => `${d}.txt`).join('\n') };
    for (const d of 'abcdef') files[`${d}.txt`] = d;
    const dir = project([{ type: 'check', cmd: BASELINE_CHECK }], files);
    const run = await orchestrateInProcess(dir, ['--key', 'DOC:docs.list']);
    expectExit(run, 1);
    return run.runDir;
  };
  let current: string;
  let report: Awaited<ReturnType<typeof runCli>>;

  beforeAll(async () => {
    const baseline = await version('v1', ['a', 'b', 'c', 'd', 'f']);
    current = await version('v2', ['a', 'b', 'c', 'e', 'f']);
    report = await runCli(['report', current, '--baseline', join(baseline, '..')], { cwd: current, env: baseEnv(), timeoutMs: 20_000 });
  });

  test('the summary counts each kind of change, and marks each row', () => {
    expectExit(report, 1);
    expect(report.stdout).toContain(
      '**Compared with run_t:** 🆕 1 new · ✏️ 1 changed · ➖ 1 unchanged · 💥 1 newly failing · 🩹 1 fixed · 1 baseline results not in this run',
    );
    expect(report.stdout).toMatch(/\| flow_0004 \| DOC: e.txt \| ✅ succeeded<br>🆕 new \|/);
    expect(report.stdout).toMatch(/\| flow_0005 \| DOC: f.txt \| ❌ failed<br>💥 newly failing \|/);
  });

  browserTest('report.html shows the counts and filters by them', async () => {
    const { page, requests, errors } = await open(join(current, 'report.html'));
    const buttons = await page.$$eval('button[data-mark]', (b) => b.map((x) => x.textContent));
    expect(buttons).toEqual(['vs baseline 5', 'new 1', 'changed 1', 'unchanged 1', 'newly failing 1', 'fixed 1']);
    expect(await page.textContent('#baseline')).toBe('compared with run_t · 1 baseline results not in this run');
    for (const [mark, rows] of [
      ['newly failing', ['flow_0005 failed']],
      ['fixed', ['flow_0003 succeeded']],
      ['changed', ['flow_0002 succeeded']],
      ['new', ['flow_0004 succeeded']],
      ['unchanged', ['flow_0001 succeeded']],
    ] as const) {
      await page.click(`button[data-mark="${mark}"]`);
      expect(await visibleRows(page)).toEqual(rows);
      expect(await page.$$eval('tr.leaf', (r) => r.map((x) => x.getAttribute('data-mark')))).toEqual([mark]);
    }
    // the changed leaf opened: the baseline's output beside this run's
    await page.click('button[data-mark="changed"]');
    await page.click('tr[data-id="flow_0002"]');
    const opened = page.locator('tr[data-id="flow_0002"] + tr.detail-row');
    expect(await opened.locator('section.before .name').textContent()).toBe('output compared with run_t');
    expect(await opened.locator('section.before pre.output-diff span').allTextContents()).toEqual(['- b in v1', '+ b in v2']);
    expect(await opened.locator('section.before pre.baseline').textContent()).toBe('b in v1\n');
    expect(await opened.locator('details[data-file="output.txt"] pre').textContent()).toBe('b in v2\n');
    await page.screenshot({ path: '/tmp/report-changed.png', fullPage: true });
    // with the status filter: changed and failed is nothing
    await page.click('button[data-mark="changed"]');
    await page.click('button[data-status="failed"]');
    expect(await page.locator('td.empty').textContent()).toBe('No leaf matches.');
    await page.click('button[data-status="all"]');
    await page.click('button[data-mark="all"]');
    expect(await visibleRows(page)).toHaveLength(5);
    await page.screenshot({ path: '/tmp/report-baseline.png', fullPage: true });
    expect(errors).toEqual([]);
    expect(requests).toEqual([pathToFileURL(join(current, 'report.html')).href]);
  });

  test('long outputs, cut in results.json, are compared whole', async () => {
    const cut = { ORCHESTRATOR_RESULTS_OUTPUT_CHARS: '20' };
    const long = async (mode: string): Promise<string> => {
      const dir = project([{ type: 'long', cmd: 'printf "%060d %s\\n" 0 "$(cat {{{DOC:path}}})$(cat mode.txt)"' }], {
        'mode.txt': mode,
        'a.txt': '',
        'b.txt': 'b',
        'docs.list': 'a.txt\nb.txt\n',
      });
      const run = await orchestrateInProcess(dir, ['--key', 'DOC:docs.list'], cut);
      expectExit(run, 0);
      expect(run.results.flows[0].output_cut).toBeDefined();
      return run.runDir;
    };
    const [before, after] = [await long('v1'), await long('v2')];
    for (const args of [[after], [after, '--output', scratch()]]) {
      const report = await runCli(['report', ...args, '--baseline', before], { cwd: after, env: baseEnv(cut), timeoutMs: 20_000 });
      expectExit(report, 0);
      expect(report.stdout).toContain('🆕 0 new · ✏️ 2 changed · ➖ 0 unchanged');
    }
    const same = await runCli(['report', after, '--baseline', after], { cwd: after, env: baseEnv(cut), timeoutMs: 20_000 });
    expect(same.stdout).toContain('🆕 0 new · ✏️ 0 changed · ➖ 2 unchanged');
  });

  test('a baseline that is not a run is refused, naming --baseline', async () => {
    const empty = scratch({ 'x.txt': 'x' });
    const bad = await runCli(['report', current, '--baseline', empty], { cwd: current, env: baseEnv(), timeoutMs: 20_000 });
    expectExit(bad, 2);
    expect(bad.stderr).toContain(`--baseline ${empty}: no run found under ${empty}`);
  });
});

describe('the after output on top of report.html', () => {
  const OUTPUT = `Three reviews, one verdict.\n\n- flow_0001: fine\n- flow_0002: ${HOSTILE}\n@admin`;

  browserTest('leads the page, as text; its steps open below it', async () => {
    const dir = scratch({
      'after/01_summary/prompt.txt': 'Summarise these reviews\n\n=== flow_0001 (DOC=a.md) succeeded\nfine',
      'after/01_summary/output.txt': OUTPUT,
      'flow_0001/01_review/output.txt': 'fine',
    });
    const totals = { flows_total: 1, total: 1, succeeded: 1, failed: 0, cancelled: 0, usage: { input_tokens: 0, output_tokens: 0 } };
    const step = (dir: string, name: string): any => ({ name, type: 'openai', status: 'succeeded', duration_ms: 3, usage: null, dir });
    const leaf: any = {
      id: 'flow_0001',
      branch: [],
      keys: { DOC: 'a.md' },
      status: 'succeeded',
      output: 'fine',
      final_message: null,
      error: null,
      duration_ms: 3,
      usage: { input_tokens: 0, output_tokens: 0 },
      steps: [step('flow_0001/01_review', 'review')],
    };
    const after = {
      status: 'succeeded' as const,
      output: OUTPUT,
      error: null,
      usage: { input_tokens: 40, output_tokens: 12 },
      steps: [step('after/01_summary', 'summary')],
    };
    const path = writeReportHtml(dir, { title: 'orchestrator: run_t', totals, durationMs: 5, leaves: [leaf], after });
    expect(readFileSync(path, 'utf8')).not.toContain(HOSTILE);
    const { page, errors, dialogs, requests } = await open(path);
    // the after box comes right after the title, before the totals and the table
    expect(await page.locator('#app > h1:first-child + div > #after').count()).toBe(1);
    expect(await page.$eval('#after', (a) => a.compareDocumentPosition(a.ownerDocument.querySelector('.totals')) & 4)).toBe(4);
    expect(await page.textContent('#after .head')).toBe('summarysucceededafter steps, over all results · 52 tokens');
    expect(await page.textContent('#after .text.output')).toBe(OUTPUT);
    expect(await page.locator('img').count()).toBe(0);
    await page.click('#after > details > summary');
    expect(await page.textContent('#after details[data-file="prompt.txt"] pre')).toContain('=== flow_0001 (DOC=a.md) succeeded');
    await page.screenshot({ path: '/tmp/report-after.png', fullPage: true });
    expect(dialogs).toEqual([]);
    expect(errors).toEqual([]);
    expect(requests).toEqual([pathToFileURL(path).href]);
  });

  browserTest('a run with after steps: its report.html leads with their output', async () => {
    const dir = scratch({
      'config.json': JSON.stringify({
        steps: [{ type: 'echo', cmd: 'cat; echo' }],
        after: [{ type: 'overview', name: 'overview', cmd: `grep -c succeeded; printf '%s\\n' '${HOSTILE}'` }],
      }),
      'a.txt': 'a',
      'b.txt': 'b',
      'l.txt': 'a.txt\nb.txt\n',
    });
    const run = await orchestrateInProcess(dir, ['--key', 'X:l.txt']);
    expectExit(run, 0);
    expect(run.results.after).toMatchObject({ status: 'succeeded', output: `2\n${HOSTILE}\n` });
    const { page, errors } = await open(join(run.runDir, 'report.html'));
    expect(await page.textContent('#after .head .name')).toBe('overview');
    expect(await page.textContent('#after .text.output')).toBe(`2\n${HOSTILE}\n`);
    expect(await page.locator('img').count()).toBe(0);
    expect(errors).toEqual([]);
  });

  test('a run whose results.json has a tampered after writes no report.html that would follow it', () => {
    const dir = scratch({ 'secret.txt': 'secret' });
    const results = {
      run_id: 'run_t',
      shard: { index: 1, count: 1 },
      flows_total: 0,
      total: 0,
      succeeded: 0,
      failed: 0,
      cancelled: 0,
      usage: { input_tokens: 0, output_tokens: 0 },
      flows: [],
      after: {
        status: 'succeeded',
        output: 'o',
        error: null,
        usage: { input_tokens: 0, output_tokens: 0 },
        steps: [{ name: 's', type: 'cmd', status: 'succeeded', duration_ms: 1, usage: null, dir: '..' }],
      },
    };
    const run = join(dir, 'run_t');
    mkdirSync(run);
    writeFileSync(join(run, 'results.json'), JSON.stringify(results));
    expect(writeRunReportHtml(run, 1)).toBeUndefined();
    expect(existsSync(join(run, 'report.html'))).toBe(false);
    results.after.steps[0]!.dir = 'after/01_s';
    writeFileSync(join(run, 'results.json'), JSON.stringify(results));
    expect(readFileSync(writeRunReportHtml(run, 1)!, 'utf8')).toContain(
      '<script type="application/json" id="summary">{"after":[0,"o",null,0,',
    );
  });
});

describe('report.html, polished (issue 24.7)', () => {
  const DEEP = 'src/a/long/directory/prefix/every/row/shares/node_modules/pkg';
  const FILES = Object.fromEntries([1, 2, 3].map((i) => [`${DEEP}/file_${i}.txt`, `content ${i}`]));
  // v1 and v2 differ in some lines of flow_0002's output: the page shows a line diff
  const OUTPUT = [
    'm=$(cat mode.txt)',
    'case "$ORCHESTRATOR_FLOW_ID" in',
    '  flow_0002) printf "one\\n%s\\nthree\\n" "$([ "$m" = v1 ] && echo two || echo TWO)"; [ "$m" = v1 ] || echo four;;',
    '  *) echo same;;',
    'esac',
  ].join('\n');
  const version = async (mode: string): Promise<string> => {
    const dir = project([{ type: 'shout', name: 'shout', cmd: OUTPUT }], {
      ...FILES,
      'mode.txt': mode,
      'keys.txt': Object.keys(FILES).join('\n') + '\n',
    });
    const run = await orchestrateInProcess(dir, ['--key', 'doc:keys.txt']);
    expectExit(run, 0);
    return run.runDir;
  };
  let current: string;

  beforeAll(async () => {
    const baseline = await version('v1');
    current = await version('v2');
    const report = await runCli(['report', current, '--baseline', join(baseline, '..')], {
      cwd: current,
      env: baseEnv(),
      timeoutMs: 20_000,
    });
    expectExit(report, 0);
  });

  browserTest('keys show what tells rows apart, a cmd step its command, money a dash when nothing was priced', async () => {
    const { page, errors } = await open(join(current, 'report.html'));
    const keys = await page.$$eval('tr.leaf td.keys', (cells) => cells.map((c) => [c.textContent, c.getAttribute('title')]));
    expect(keys).toEqual([1, 2, 3].map((i) => [`…/file_${i}.txt`, `doc=${DEEP}/file_${i}.txt`]));
    expect(await page.textContent('th:nth-child(2)')).toBe('doc');
    const cards = await page.$$eval('.card', (c) =>
      c.map((x) => `${x.querySelector('.l')!.textContent}=${x.querySelector('.n')!.textContent}`),
    );
    expect(cards).toContain('cost=—');
    await page.click('tr[data-id="flow_0001"]');
    const step = page.locator('tr[data-id="flow_0001"] + tr.detail-row section.step');
    expect(await step.locator('.head code.cmd').textContent()).toBe('$ m=$(cat mode.txt)');
    expect((await step.locator('details[data-file="command.txt"] pre').textContent())!.trimEnd()).toBe(OUTPUT);
    expect(await step.locator('details[data-file="command.txt"] pre').textContent()).toContain('case "$ORCHESTRATOR_FLOW_ID" in');
    expect(errors).toEqual([]);
  });

  browserTest('a changed leaf shows a line diff against the baseline output', async () => {
    const { page, errors } = await open(join(current, 'report.html'));
    await page.click('tr[data-id="flow_0002"]');
    const before = page.locator('tr[data-id="flow_0002"] + tr.detail-row section.before');
    expect(await before.locator('pre.output-diff span').allTextContents()).toEqual(['  one', '- two', '+ TWO', '  three', '+ four']);
    expect(await before.locator('pre.output-diff span.del').allTextContents()).toEqual(['- two']);
    expect(await before.locator('pre.output-diff span.add').allTextContents()).toEqual(['+ TWO', '+ four']);
    await page.screenshot({ path: '/tmp/report-polished.png', fullPage: true });
    expect(errors).toEqual([]);
  });

  browserTest('each leaf has a link: #flow_0003 opens it, and opening a leaf puts it in the URL', async () => {
    const { page, errors } = await open(join(current, 'report.html'), '#flow_0003');
    await page.locator('tr[data-id="flow_0003"] + tr.detail-row').waitFor();
    expect(await page.locator('tr.detail-row').count()).toBe(1);
    expect(await page.getAttribute('tr[data-id="flow_0001"] td.id a', 'href')).toBe('#flow_0001');
    await page.click('tr[data-id="flow_0001"]');
    expect(new URL(page.url()).hash).toBe('#flow_0001');
    // a filter that hides the leaf gives way to the link
    await page.click('button[data-status="failed"]');
    await page.evaluate(() => {
      (globalThis as any).location.hash = '#flow_0002';
    });
    await page.locator('tr[data-id="flow_0002"] + tr.detail-row').waitFor();
    expect(errors).toEqual([]);
  });
});

test('report.html numbers have thousands separators; money shows when priced, a dash when not', async () => {
  const leaf = {
    id: 'flow_0001',
    branch: [],
    keys: { DOC: 'a.md' },
    status: 'succeeded',
    output: 'o',
    final_message: null,
    error: null,
    duration_ms: 1,
    usage: { input_tokens: 1_234_000, output_tokens: 567 },
    steps: [],
    changes: { files: [{ path: 'a', added: 12_345, removed: 6_789 }], added: 12_345, removed: 6_789, patch: 'flow_0001/changes.patch' },
  } as any;
  const totals = (cost: number | undefined, tokens: number): any => ({
    flows_total: 1,
    total: 1,
    succeeded: 1,
    failed: 0,
    cancelled: 0,
    usage: { input_tokens: tokens, output_tokens: 0, ...(cost === undefined ? {} : { cost_usd: cost }) },
  });
  const shown = async (cost: number | undefined, tokens: number): Promise<{ cards: string[]; changes: string }> => {
    const dir = scratch();
    const path = join(dir, 'report.html');
    writeFileSync(path, renderHtml({ title: 't', totals: totals(cost, tokens), durationMs: 1, leaves: [leaf], load: () => undefined }));
    const { page } = await open(path);
    const cards = await page.$$eval('.card', (c) =>
      c.map((x) => `${x.querySelector('.l')!.textContent}=${x.querySelector('.n')!.textContent}`),
    );
    const changes = (await page.textContent('tr.leaf td:nth-child(6)'))!;
    return { cards, changes };
  };
  if (!HAVE_CHROMIUM && !process.env.CI) return;
  const priced = await shown(1234.5, 1_234_567);
  expect(priced.cards).toEqual(expect.arrayContaining(['tokens (in / out)=1,234,567 (1,234,567 / 0)', 'cost=$1,234.50']));
  expect(priced.changes).toBe('+12,345 -6,789');
  expect((await shown(0, 0)).cards).toContain('cost=—');
  expect((await shown(undefined, 10)).cards).toContain('cost=—');
  expect((await shown(0.0123, 10)).cards).toContain('cost=$0.0123');
});
