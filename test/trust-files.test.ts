/**
 * Files an attacker or an accident can put in orchestrator's way, tried through the CLI (in the jest process): links
 * planted in the run tree by a step, listed files that are links or not files at all, names quoted by
 * git, key lists given as a pipe, and I/O errors while a flow's files are written.
 */
import { execFile } from 'node:child_process';
import { existsSync, lstatSync, readdirSync, readFileSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { annotations, runAction } from './helpers/action.js';
import { BIN, baseEnv, expectExit, readJson } from './helpers/cli.js';
import { orchestrateInProcess } from './helpers/cli-inprocess.js';
import { survivors } from './helpers/processes.js';
import { keyFiles, project, scratch } from './helpers/project.js';

/** Each entry of a directory with what it holds: what "nothing outside changed" compares. */
function contents(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of readdirSync(dir)) out[name] = readFileSync(join(dir, name), 'utf8');
  return out;
}

const statuses = (results: any): Record<string, string> => Object.fromEntries(results.flows.map((f: any) => [f.id, f.status]));
const errorOf = (results: any, id: string): string => results.flows.find((f: any) => f.id === id).error;

describe('planted links in the run tree', () => {
  test('a link a step plants where a later write goes is never written through: that flow fails naming it, the others succeed', async () => {
    const outside = scratch({ keep: 'keep\n' });
    const before = contents(outside);
    // each flow's first step plants a link at a path the engine writes next; flow 5 plants one at
    // the temporary name result.json had (<name>.<pid>.tmp), where nothing is written any more
    const plant = [
      'D=generated/run_t',
      'case {{{doc}}} in',
      `1*) ln -s ${outside} $D/flow_0001/02_next;;`, // a later step's directory
      `2*) ln -s ${outside}/victim $D/flow_0002/result.json;;`, // the leaf's result.json
      `3*) ln -s ${outside}/victim-step $D/flow_0003/01_plant/step.json;;`, // its own step's record, written when it ends
      `4*) rm -rf $D/flow_0004 && ln -s ${outside} $D/flow_0004;;`, // the flow's own directory
      `5*) ln -s ${outside}/victim-tmp $D/flow_0005/result.json.$PPID.tmp;;`, // PPID: orchestrator
      'esac; echo planted',
    ].join('\n');
    const dir = project(
      [
        { name: 'plant', cmd: plant },
        { name: 'next', cmd: 'cat; echo next' },
      ],
      {
        ...keyFiles('docs.txt', { 'd1.md': '1', 'd2.md': '2', 'd3.md': '3', 'd4.md': '4', 'd5.md': '5' }),
      },
    );
    const run = await orchestrateInProcess(dir, ['--key', 'doc:docs.txt', '--parallel', '2']);
    expectExit(run, 1);
    expect(contents(outside)).toEqual(before);
    expect(statuses(run.results)).toEqual({
      flow_0001: 'failed',
      flow_0002: 'failed',
      flow_0003: 'failed',
      flow_0004: 'failed',
      flow_0005: 'succeeded',
    });
    expect(errorOf(run.results, 'flow_0001')).toContain(`flow_0001/02_next is a symbolic link (to "${outside}")`);
    expect(errorOf(run.results, 'flow_0002')).toContain(`flow_0002/result.json is a symbolic link (to "${outside}/victim")`);
    expect(errorOf(run.results, 'flow_0003')).toContain(`flow_0003/01_plant/step.json is a symbolic link (to "${outside}/victim-step")`);
    expect(errorOf(run.results, 'flow_0004')).toContain(`flow_0004 is a symbolic link (to "${outside}")`);
    for (const id of ['flow_0001', 'flow_0002', 'flow_0003', 'flow_0004']) expect(errorOf(run.results, id)).toContain('not followed');
    expect(run.results.flows.find((f: any) => f.id === 'flow_0005').output).toBe('planted\nnext\n');
    // result.json is written in place: the link at its former temporary name is left as it was
    const tmp = readdirSync(join(run.runDir, 'flow_0005')).filter((name) => name.endsWith('.tmp'));
    expect(tmp).toHaveLength(1);
    expect(lstatSync(join(run.runDir, 'flow_0005', tmp[0]!)).isSymbolicLink()).toBe(true);
    expect(run.stderr).not.toContain('internal error');
  });

  test('a link planted at results.json or run.json is not written through: the run says which, exit 1', async () => {
    const outside = scratch({ keep: 'keep\n' });
    const before = contents(outside);
    const dir = project([
      {
        name: 'plant',
        cmd: `ln -s ${outside}/victim generated/run_t/results.json; ln -s ${outside}/victim2 generated/run_t/run.json.$PPID.tmp`,
      },
    ]);
    const run = await orchestrateInProcess(dir);
    expectExit(run, 1);
    expect(contents(outside)).toEqual(before);
    expect(run.stderr).toMatch(/orchestrator: error: cannot write the results of the run .*results\.json is a symbolic link/);
    expect(run.stderr).not.toContain('internal error');
    expect(lstatSync(join(run.runDir, 'results.json')).isSymbolicLink()).toBe(true);
  });

  test('a listed file swapped for a link to /proc/self/environ after the checks fails the flow that reads it, not the run', async () => {
    // flow 1 runs first (--parallel 1) and replaces the file flow 2 will read
    const dir = project(
      [{ name: 'swap', cmd: 'case {{{doc}}} in one*) rm b.md && ln -s /proc/self/environ b.md;; esac; cat; printf "%s" {{{doc}}}' }],
      keyFiles('docs.txt', { 'a.md': 'one', 'b.md': 'two', 'c.md': 'three' }),
    );
    const run = await orchestrateInProcess(dir, ['--key', 'doc:docs.txt', '--parallel', '1'], {
      SECRET_PROBE_TOKEN: 'tok-must-not-leak-123456',
    });
    expectExit(run, 1);
    expect(statuses(run.results)).toEqual({ flow_0001: 'succeeded', flow_0002: 'failed', flow_0003: 'succeeded' });
    expect(errorOf(run.results, 'flow_0002')).toMatch(
      /cannot read "b\.md" \(key "doc"\): it is \(or links to\) \/proc\/.*kernel's proc file system/,
    );
    expect(readFileSync(join(run.runDir, 'results.json'), 'utf8')).not.toContain('SECRET_PROBE_TOKEN');
  });
});

test('--resume does not reuse an output a step swapped for a link (output.txt -> a file outside)', async () => {
  const outside = scratch({ 'secret.txt': 'OUTSIDE-SECRET' });
  const swap = `if [ -e marker ]; then cat; else rm generated/run_t/flow_0001/01_first/output.txt && ln -s ${outside}/secret.txt generated/run_t/flow_0001/01_first/output.txt; exit 1; fi`;
  const dir = project([
    { name: 'first', cmd: 'echo doc' },
    { name: 'second', cmd: swap },
  ]);
  expectExit(await orchestrateInProcess(dir), 1);
  writeFileSync(join(dir, 'marker'), '');
  const resumed = await orchestrateInProcess(dir, ['--resume']);
  expectExit(resumed, 0);
  expect(resumed.results.flows[0].output).toBe('doc\n');
});

describe('I/O errors fail one flow', () => {
  test('a 260-character step name works: its directory name is cut to 64 characters', async () => {
    const name = 'n'.repeat(260);
    const dir = project([
      { name, cmd: 'echo hi' },
      { name, cmd: 'cat' },
    ]);
    const run = await orchestrateInProcess(dir);
    expectExit(run, 0);
    expect(readdirSync(join(run.runDir, 'flow_0001')).sort()).toEqual([`01_${'n'.repeat(64)}`, `02_${'n'.repeat(64)}`, 'result.json']);
    expect(run.results.flows[0].steps.map((s: any) => s.name)).toEqual([name, name]);
  });

  test("a step that turns its flow's directory into a file (ENOTDIR) fails that flow only; results.json lists it", async () => {
    const dir = project(
      [
        {
          name: 'break',
          cmd: 'case {{{doc}}} in 2*) rm -rf generated/run_t/flow_0002 && echo x > generated/run_t/flow_0002;; esac; echo ok',
        },
      ],
      keyFiles('docs.txt', { 'd1.md': '1', 'd2.md': '2', 'd3.md': '3' }),
    );
    const run = await orchestrateInProcess(dir, ['--key', 'doc:docs.txt']);
    expectExit(run, 1);
    expect(run.stderr).not.toContain('internal error');
    expect(statuses(run.results)).toEqual({ flow_0001: 'succeeded', flow_0002: 'failed', flow_0003: 'succeeded' });
    expect(errorOf(run.results, 'flow_0002')).toContain('flow_0002 is a file where orchestrator keeps a directory');
    expect(run.results).toMatchObject({ total: 3, succeeded: 2, failed: 1 });
  });

  test('when the run directory itself becomes unusable, every step is ended at once and the run says why', async () => {
    const pids = scratch();
    const dir = project(
      [
        {
          name: 'wreck',
          cmd: `echo $$ > ${pids}/$(printf %s {{{doc}}}); case {{{doc}}} in a*) i=0; until [ $(ls ${pids} | wc -l) -ge 3 ] || [ $i -ge 400 ]; do sleep 0.05; i=$((i + 1)); done; rm -rf generated/run_t && echo x > generated/run_t;; *) sleep 30;; esac`,
        },
      ],
      keyFiles('docs.txt', { 'd1.md': 'a', 'd2.md': 'b', 'd3.md': 'c' }),
    );
    const started = Date.now();
    const run = await orchestrateInProcess(dir, ['--key', 'doc:docs.txt']);
    expect(Date.now() - started).toBeLessThan(20_000);
    expectExit(run, 1);
    expect(run.stderr).toMatch(
      /orchestrator: error: cannot write the results of the run .*run_t is a file where orchestrator keeps a directory/,
    );
    expect(run.stderr).not.toContain('internal error');
    const started3 = readdirSync(pids).map((f) => Number(readFileSync(join(pids, f), 'utf8')));
    expect(started3).toHaveLength(3);
    expect(await survivors(started3, 2000)).toEqual([]);
  });
});

describe('listed files', () => {
  test('a name git quoted ("caf\\303\\251.md") fails its flow with a hint, not the run', async () => {
    const dir = project([{ name: 'show', cmd: 'printf "%s" {{{doc}}}' }], {
      'a.md': 'plain',
      'café.md': 'accent',
      'docs.txt': 'a.md\n"caf\\303\\251.md"\n',
    });
    const run = await orchestrateInProcess(dir, ['--key', 'doc:docs.txt']);
    expectExit(run, 1);
    expect(run.stderr).toMatch(/warning: --key doc:docs.txt: line 2: "caf\\303\\251.md": no such file.*core\.quotePath/);
    expect(statuses(run.results)).toEqual({ flow_0001: 'succeeded', flow_0002: 'failed' });
    expect(errorOf(run.results, 'flow_0002')).toContain(
      'cannot read "caf\\303\\251.md" (key "doc"): it does not exist; it looks like a file name quoted by git (core.quotePath): list names with `git -c core.quotePath=false diff --name-only`, or with `-z`',
    );
  });

  test('on the CLI a listed symlink to a regular file is read; a key list given as <(...) is read once', async () => {
    const elsewhere = scratch({ 'shared.md': 'from elsewhere' });
    const dir = project([{ name: 'show', cmd: 'printf "%s|" {{{doc}}}' }], { 'a.md': 'here' });
    symlinkSync(join(elsewhere, 'shared.md'), join(dir, 'link.md'));
    const result = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      execFile(
        'bash',
        ['-c', `"${process.execPath}" "${BIN}" config.json --run-id t --key doc:<(printf 'a.md\\nlink.md\\n')`],
        { cwd: dir, env: baseEnv(), timeout: 30_000 },
        (error, _stdout, stderr) => resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stderr }),
      );
    });
    expect(result).toMatchObject({ code: 0 });
    const results = readJson(join(dir, 'generated', 'run_t', 'results.json'));
    expect(results.flows.map((f: any) => f.output)).toEqual(['here|', 'from elsewhere|']);
    expect(readJson(join(dir, 'generated', 'run_t', 'run.json')).keys).toEqual([
      { name: 'doc', file: expect.stringMatching(/^\/dev\/fd\/\d+$/), lines: 2 },
    ]);
  });
});

describe("in the Action, a pull request's files stay in the workspace", () => {
  const inWorkspace = (files: Record<string, string>): string => realpathSync(scratch(files));
  const config = JSON.stringify([{ type: 'openai', name: 'review', prompt: 'Review:\n{{{doc}}}' }]);

  test('a listed file that links to /proc/self/environ or out of the workspace fails the run before anything runs, naming it and why', async () => {
    const outside = scratch({ 'secret.txt': 'OUTSIDE-SECRET-CONTENTS' });
    const ws = inWorkspace({
      'config.json': config,
      'docs/a.md': 'fine',
      'docs.txt': 'docs/a.md\ndocs/alias.md\ndocs/notes.md\ndocs/out.md\n',
    });
    symlinkSync('a.md', join(ws, 'docs', 'alias.md'));
    symlinkSync('/proc/self/environ', join(ws, 'docs', 'notes.md'));
    symlinkSync(join(outside, 'secret.txt'), join(ws, 'docs', 'out.md'));
    const result = await runAction({ config: 'config.json', keys: 'doc:docs.txt', offline: 'true', upload: 'false' }, { workspace: ws });
    expect(result.code).toBe(1);
    const [error, ...more] = annotations(result, 'error');
    expect(more).toEqual([]);
    expect(error).toMatch(/line 3: "docs\/notes\.md" is \(or links to\) \/proc\/\d+\/environ, a file of the kernel's proc file system/);
    expect(error).toContain(`line 4: "docs/out.md" is (or links to) ${realpathSync(outside)}/secret.txt, outside the workspace ${ws}`);
    expect(error).not.toContain('alias.md');
    expect(existsSync(join(ws, 'generated'))).toBe(false);
    expect(result.stdout + result.stderr + result.summary).not.toContain('OUTSIDE-SECRET-CONTENTS');
  });

  test('a link inside the workspace is read; a prompt file linking out of it fails the run', async () => {
    const ws = inWorkspace({ 'config.json': config, 'docs/a.md': 'fine', 'docs.txt': 'docs/alias.md\n' });
    symlinkSync('a.md', join(ws, 'docs', 'alias.md'));
    const ok = await runAction({ config: 'config.json', keys: 'doc:docs.txt', offline: 'true', upload: 'false' }, { workspace: ws });
    expect(annotations(ok, 'error')).toEqual([]);
    expect(ok.outputs['final-message']).toBe('Review:\nfine');

    const outside = scratch({ 'prompt.md': 'outside prompt' });
    const linked = inWorkspace({ 'config.json': JSON.stringify([{ type: 'openai', prompt_file: 'prompt.md' }]) });
    symlinkSync(join(outside, 'prompt.md'), join(linked, 'prompt.md'));
    const refused = await runAction({ config: 'config.json', offline: 'true', upload: 'false' }, { workspace: linked });
    expect(refused.code).toBe(1);
    expect(annotations(refused, 'error')[0]).toContain('prompt file "prompt.md" is (or links to)');
    expect(annotations(refused, 'error')[0]).toContain('outside the workspace');
  });

  test('an output directory committed as a link (generated -> elsewhere) is refused; nothing is written there', async () => {
    const elsewhere = scratch();
    const ws = inWorkspace({ 'config.json': config, 'docs/a.md': 'fine', 'docs.txt': 'docs/a.md\n' });
    symlinkSync(elsewhere, join(ws, 'generated'));
    const result = await runAction({ config: 'config.json', keys: 'doc:docs.txt', offline: 'true', upload: 'false' }, { workspace: ws });
    expect(result.code).toBe(1);
    expect(annotations(result, 'error')[0]).toContain(`The output directory ${ws}/generated is a symbolic link (to "${elsewhere}")`);
    expect(readdirSync(elsewhere)).toEqual([]);
  });
});
