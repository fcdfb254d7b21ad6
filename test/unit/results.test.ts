import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { branchDirName, leafDir, newRunId, normalizeRunId, safeName, stepDirName } from '../../src/results/paths.js';
import { TotalsCounter, compareLeaves, countLeaves, leafUsage, unstartedEntry } from '../../src/results/results.js';
import { readLeaves, withUnwritten } from '../../src/results/store.js';
import { writeResults } from '../../src/results/write.js';
import { isNotStarted, type LeafEntry, type StepEntry } from '../../src/model/results.js';
import { DataError } from '../../src/results/fields.js';
import { parseLeafEntry, parseRunRecord } from '../../src/results/validate.js';
import { flowId, type FlowSpace } from '../../src/flows/flows.js';
import { Redactor, secretsFromEnv, secretsFromUrl, urlWithoutCredentials, MASK } from '../../src/util/redact.js';
import { RedactingStream, TreeWriter } from '../../src/util/files.js';

const step = (dir: string, input: number, output: number, status: StepEntry['status'] = 'succeeded'): StepEntry => ({
  name: dir.split('/').pop()!,
  type: 'openai',
  status,
  duration_ms: 1,
  usage: { input_tokens: input, output_tokens: output },
  dir,
});

const leaf = (id: string, branch: number[], status: LeafEntry['status'], steps: StepEntry[]): LeafEntry => ({
  id,
  branch,
  keys: {},
  status,
  output: status === 'succeeded' ? 'out' : null,
  final_message: null,
  error: status === 'succeeded' ? null : 'boom',
  duration_ms: 1,
  usage: leafUsage(steps),
  steps,
});

describe('TotalsCounter', () => {
  test('counts leaves by status and flows separately', () => {
    const counter = new TotalsCounter();
    counter.add(leaf('flow_0001', [], 'succeeded', []));
    counter.add(leaf('flow_0002', [1], 'failed', []));
    counter.add(leaf('flow_0002', [2], 'succeeded', []));
    counter.add(leaf('flow_0003', [], 'cancelled', []));
    expect(counter.totals()).toEqual({
      flows_total: 3,
      total: 4,
      succeeded: 2,
      failed: 1,
      cancelled: 1,
      usage: { input_tokens: 0, output_tokens: 0, cached_input_tokens: 0, cost_usd: 0 },
    });
    expect(counter.totals(10).flows_total).toBe(10);
  });

  test('a step shared by several branches (before the array step) is counted once', () => {
    const shared = step('flow_0001/01_list', 100, 10);
    const counter = new TotalsCounter();
    counter.add(leaf('flow_0001', [1], 'succeeded', [shared, step('flow_0001/branch_1/02_answer', 1, 2)]));
    counter.add(leaf('flow_0001', [2], 'succeeded', [shared, step('flow_0001/branch_2/02_answer', 3, 4)]));
    counter.add(leaf('flow_0001', [3], 'failed', [shared, step('flow_0001/branch_3/02_answer', 0, 0, 'failed')]));
    // a different flow with a step at the same relative place is not shared
    counter.add(leaf('flow_0002', [], 'succeeded', [step('flow_0002/01_list', 100, 10)]));
    expect(counter.totals().usage).toEqual({
      input_tokens: 100 + 1 + 3 + 100,
      output_tokens: 10 + 2 + 4 + 10,
      cached_input_tokens: 0,
      cost_usd: 0,
    });
  });

  test('nested branches share both of their ancestors once', () => {
    const first = step('flow_0001/01_a', 1, 1);
    const second1 = step('flow_0001/branch_1/02_b', 10, 10);
    const counter = new TotalsCounter();
    for (const b of [1, 2])
      counter.add(leaf('flow_0001', [1, b], 'succeeded', [first, second1, step(`flow_0001/branch_1/branch_${b}/03_c`, 100, 100)]));
    expect(counter.totals().usage).toEqual({ input_tokens: 211, output_tokens: 211, cached_input_tokens: 0, cost_usd: 0 });
  });

  test('steps without usage (cmd) add nothing', () => {
    const counter = new TotalsCounter();
    counter.add(leaf('flow_0001', [], 'succeeded', [{ ...step('flow_0001/01_cmd', 0, 0), usage: null }]));
    expect(counter.totals().usage).toEqual({ input_tokens: 0, output_tokens: 0, cached_input_tokens: 0, cost_usd: 0 });
  });

  test('leafUsage counts every step of the leaf, shared ones included', () => {
    expect(leafUsage([step('a', 1, 2), step('b', 3, 4)])).toEqual({
      input_tokens: 4,
      output_tokens: 6,
      cached_input_tokens: 0,
      cost_usd: 0,
    });
  });

  test('unstartedEntry: a cancelled leaf with the reason', () => {
    expect(unstartedEntry('flow_0009', { a: 'x' }, 'token budget reached')).toMatchObject({
      id: 'flow_0009',
      branch: [],
      keys: { a: 'x' },
      status: 'cancelled',
      output: null,
      error: 'token budget reached',
      steps: [],
    });
  });
});

describe('compareLeaves', () => {
  test('by id, then branch element by element (numerically), shorter first', () => {
    const leaves = [
      { id: 'flow_0002', branch: [] },
      { id: 'flow_0001', branch: [10] },
      { id: 'flow_0001', branch: [2, 1] },
      { id: 'flow_0001', branch: [2] },
      { id: 'flow_0001', branch: [1, 10] },
      { id: 'flow_0001', branch: [1, 9] },
    ];
    expect([...leaves].sort(compareLeaves)).toEqual([
      { id: 'flow_0001', branch: [1, 9] },
      { id: 'flow_0001', branch: [1, 10] },
      { id: 'flow_0001', branch: [2] },
      { id: 'flow_0001', branch: [2, 1] },
      { id: 'flow_0001', branch: [10] },
      { id: 'flow_0002', branch: [] },
    ]);
  });
});

describe('writeResults', () => {
  test('streams a valid results.json with totals and the leaves in order', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'orchestrator-results-'));
    try {
      const path = join(dir, 'results.json');
      const leaves = [leaf('flow_0001', [], 'succeeded', [step('flow_0001/01_a', 2, 3)]), leaf('flow_0002', [], 'failed', [])];
      const totals = await writeResults(path, { run_id: 'run_x', shard: { index: 1, count: 1 }, flows_total: 2 }, leaves);
      const doc = JSON.parse(readFileSync(path, 'utf8'));
      expect(doc).toEqual({
        schema: 1,
        run_id: 'run_x',
        shard: { index: 1, count: 1 },
        ...totals,
        after: null,
        flows: leaves,
        not_started: [],
      });
      expect(totals).toMatchObject({ flows_total: 2, total: 2, succeeded: 1, failed: 1, usage: { input_tokens: 2, output_tokens: 3 } });
      await writeResults(path, { run_id: 'run_x', shard: { index: 1, count: 1 }, flows_total: 0 }, []);
      expect(JSON.parse(readFileSync(path, 'utf8')).flows).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('never-started leaves are compact', () => {
  const temp = (): string => mkdtempSync(join(tmpdir(), 'orchestrator-results-'));

  test('a long run of never-started flows is one not_started record, counted as cancelled leaves; a short one is listed', async () => {
    const dir = temp();
    try {
      // flows 1 and 3 ran (a directory with a result.json each); 2 has an empty directory; 4..250000 never started
      const space = { total: 250_000, at: (i: number) => ({ id: flowId(i, 250_000), index: i, keys: { doc: `d${i}` } }) };
      for (const index of [0, 2]) {
        const id = flowId(index, space.total);
        mkdirSync(join(dir, id), { recursive: true });
        writeFileSync(join(dir, id, 'result.json'), JSON.stringify(leaf(id, [], 'succeeded', [step(`${id}/01_a`, 1, 1)])));
      }
      mkdirSync(join(dir, flowId(1, space.total)));
      const items = [...readLeaves(dir, space as unknown as FlowSpace, { from: 0, to: space.total }, 'interrupted')];
      expect(
        items.map((item) => (isNotStarted(item) ? `${item.from.id}..${item.to.id} ${item.count}` : `${item.id} ${item.status}`)),
      ).toEqual(['flow_000001 succeeded', 'flow_000002 cancelled', 'flow_000003 succeeded', `flow_000004..flow_250000 ${250_000 - 3}`]);
      // the short gap is one cancelled entry with its keys and the reason
      expect(items[1]).toMatchObject({ id: 'flow_000002', keys: { doc: 'd1' }, status: 'cancelled', error: 'interrupted' });
      expect(items[3]).toEqual({
        from: { id: 'flow_000004', branch: [] },
        to: { id: 'flow_250000', branch: [] },
        count: 249_997,
        reason: 'interrupted',
        steps: [],
      });

      const path = join(dir, 'results.json');
      const totals = await writeResults(path, { run_id: 'run_x', shard: { index: 1, count: 1 }, flows_total: space.total }, items);
      expect(totals).toMatchObject({ flows_total: 250_000, total: 250_000, succeeded: 2, failed: 0, cancelled: 249_998 });
      const doc = JSON.parse(readFileSync(path, 'utf8'));
      expect(doc.flows.map((f: LeafEntry) => f.id)).toEqual(['flow_000001', 'flow_000002', 'flow_000003']);
      expect(doc.not_started).toEqual([items[3]]);
      expect(readFileSync(path).length).toBeLessThan(10_000);
      expect(countLeaves(items, space.total)).toEqual(totals);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('not_started.json beside branches is read in branch order; one naming another flow or miscounting is left out', () => {
    const dir = temp();
    try {
      const flow = join(dir, 'flow_0001');
      const shared = [step('flow_0001/01_split', 1, 1)];
      mkdirSync(join(flow, 'branch_1'), { recursive: true });
      writeFileSync(join(flow, 'branch_1', 'result.json'), JSON.stringify(leaf('flow_0001', [1], 'succeeded', shared)));
      const range = {
        from: { id: 'flow_0001', branch: [2] },
        to: { id: 'flow_0001', branch: [400] },
        count: 399,
        reason: 'interrupted',
        steps: shared,
      };
      const space = { total: 1, at: () => ({ id: 'flow_0001', index: 0, keys: {} }) } as unknown as FlowSpace;
      const read = () => [...readLeaves(dir, space, { from: 0, to: 1 })];
      writeFileSync(join(flow, 'not_started.json'), JSON.stringify({ schema: 1, ranges: [range] }));
      expect(read()).toEqual([leaf('flow_0001', [1], 'succeeded', shared), range]);
      for (const bad of [
        { ...range, from: { id: 'flow_0002', branch: [2] } },
        { ...range, count: 5 },
        { ...range, to: { id: 'flow_0001', branch: [1, 400] } },
        { ...range, steps: [{ ...shared[0], usage: { input_tokens: 'many', output_tokens: 0 } }] },
      ]) {
        writeFileSync(join(flow, 'not_started.json'), JSON.stringify({ schema: 1, ranges: [bad] }));
        expect(read()).toEqual([leaf('flow_0001', [1], 'succeeded', shared)]);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('withUnwritten: an entry that could not be written cuts the range of never-started flows around it', () => {
    const range = {
      from: { id: 'flow_0001', branch: [] },
      to: { id: 'flow_0500', branch: [] },
      count: 500,
      reason: 'interrupted',
      steps: [],
    };
    const failed = leaf('flow_0200', [], 'failed', []);
    const items = [...withUnwritten([range], new Map([['flow_0200', [failed]]]))];
    expect(items).toEqual([
      { ...range, to: { id: 'flow_0199', branch: [] }, count: 199 },
      failed,
      { ...range, from: { id: 'flow_0201', branch: [] }, count: 300 },
    ]);
    expect(countLeaves(items, 500)).toMatchObject({ total: 500, failed: 1, cancelled: 499 });
  });

  test('a range of branches counts its shared steps once, with the started siblings', () => {
    const shared = [step('flow_0001/01_split', 5, 5)];
    const counter = new TotalsCounter();
    counter.add(leaf('flow_0001', [1], 'succeeded', shared));
    counter.add({
      from: { id: 'flow_0001', branch: [2] },
      to: { id: 'flow_0001', branch: [500] },
      count: 499,
      reason: 'interrupted',
      steps: shared,
    });
    counter.add(leaf('flow_0002', [], 'failed', []));
    expect(counter.totals()).toEqual({
      flows_total: 2,
      total: 501,
      succeeded: 1,
      failed: 1,
      cancelled: 499,
      usage: { input_tokens: 5, output_tokens: 5, cached_input_tokens: 0, cost_usd: 0 },
    });
  });

  test('writing a large results.json gives the event loop turns (a second signal can end the process mid-write)', async () => {
    const dir = temp();
    try {
      const leaves = Array.from({ length: 20_000 }, (_, i) => leaf(flowId(i, 20_000), [], 'succeeded', []));
      let writing = true;
      let turnsWhileWriting = 0;
      const tick = (): void => {
        if (!writing) return;
        turnsWhileWriting++;
        setImmediate(tick);
      };
      setImmediate(tick);
      await writeResults(join(dir, 'results.json'), { run_id: 'run_x', shard: { index: 1, count: 1 }, flows_total: 20_000 }, leaves);
      writing = false;
      expect(turnsWhileWriting).toBeGreaterThan(10);
      // no temporary files are left
      expect(readdirSync(dir)).toEqual(['results.json']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('paths', () => {
  test('step directories: 01_<name>, unsafe characters as _, codex_exec_<k>', () => {
    expect(stepDirName({ index: 1, kind: 'openai', label: 'draft' })).toBe('01_draft');
    expect(stepDirName({ index: 12, kind: 'cmd', label: 'my step/../x y' })).toBe('12_my_step_.._x_y');
    expect(stepDirName({ index: 3, kind: 'cmd', label: 'ünï €' })).toBe('03__n___');
    expect(stepDirName({ index: 2, kind: 'codex', label: 'anything' })).toBe('codex_exec_2');
    expect(safeName('a.B-c_9')).toBe('a.B-c_9');
  });

  test('branch and leaf directories', () => {
    expect(branchDirName(3)).toBe('branch_3');
    expect(leafDir('flow_0001', [])).toBe('flow_0001');
    expect(leafDir('flow_0001', [2, 1])).toBe('flow_0001/branch_2/branch_1');
  });

  test('normalizeRunId adds run_ once and refuses unsafe ids', () => {
    expect(normalizeRunId('X')).toBe('run_X');
    expect(normalizeRunId('run_X')).toBe('run_X');
    expect(normalizeRunId('gh123.4-a')).toBe('run_gh123.4-a');
    for (const bad of ['', 'a/b', '../x', 'a b', 'run_', 'x..y', 'a\\b']) expect(normalizeRunId(bad)).toBeUndefined();
  });

  test('newRunId: run_, sortable by time, unique suffix', () => {
    const a = newRunId(new Date('2026-01-02T03:04:05.678Z'), () => 0);
    const b = newRunId(new Date('2026-01-02T03:04:06.000Z'), () => 0.99999);
    expect(a).toBe('run_20260102T030405Z_0000');
    expect(b).toMatch(/^run_20260102T030406Z_[0-9a-f]{4}$/);
    expect([b, a].sort()).toEqual([a, b]);
    expect(normalizeRunId(a)).toBe(a);
  });
});

describe('Redactor', () => {
  test('replaces every occurrence of every secret by ***', () => {
    const redactor = new Redactor(['sk-test-secret-123456', 'hunter2hunter2']);
    expect(redactor.redact('key=sk-test-secret-123456; again sk-test-secret-123456; pw=hunter2hunter2')).toBe(
      `key=${MASK}; again ${MASK}; pw=${MASK}`,
    );
    expect(redactor.redact('nothing here')).toBe('nothing here');
  });

  test('longer secrets first, so a secret containing another is fully masked', () => {
    const redactor = new Redactor(['abcdefgh', 'abcdefgh-and-more']);
    expect(redactor.redact('abcdefgh-and-more / abcdefgh')).toBe(`${MASK} / ${MASK}`);
    expect(redactor.longest).toBe('abcdefgh-and-more'.length);
  });

  test('values shorter than 8 characters and undefined are not secrets', () => {
    const redactor = new Redactor(['short', undefined, '']);
    expect(redactor.redact('short text')).toBe('short text');
    expect(redactor.longest).toBe(0);
  });

  test('secretsFromEnv: *_KEY, *_TOKEN, *_SECRET, *PASSWORD of 8+ characters', () => {
    const secrets = secretsFromEnv({
      OPENAI_API_KEY: 'sk-aaaaaaaa',
      GITHUB_TOKEN: 'ghs_bbbbbbbb',
      MY_SECRET: 'cccccccc',
      DB_PASSWORD: 'dddddddd',
      SHORT_KEY: 'abc',
      PATH: '/usr/bin:/bin',
      KEYBOARD: 'eeeeeeeeee',
      TOKENS_USED: 'ffffffffff',
      UNSET_KEY: undefined,
      'INPUT_GITHUB-TOKEN': 'ghs_gggggggg',
    });
    expect(secrets.map((s) => s.value).sort()).toEqual(['cccccccc', 'dddddddd', 'ghs_bbbbbbbb', 'ghs_gggggggg', 'sk-aaaaaaaa']);
    expect(secrets.find((s) => s.value === 'cccccccc')?.name).toBe('MY_SECRET');
  });

  test('namesIn names the variables whose values occur, never the values', () => {
    const redactor = new Redactor([
      { name: 'DEPLOY_ENV_KEY', value: 'production' },
      { name: 'DB_PASSWORD', value: 'dddddddd' },
      'sk-plain-key-1234',
    ]);
    expect(redactor.namesIn("if (env === 'production') connect('dddddddd')")).toEqual(['DB_PASSWORD', 'DEPLOY_ENV_KEY']);
    expect(redactor.namesIn('sk-plain-key-1234')).toEqual(['the API key']);
    expect(redactor.namesIn('nothing')).toEqual([]);
  });

  test('a stream keeps bytes that are not UTF-8, and masks a secret split across chunks and lines, on its bytes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'orchestrator-redact-'));
    try {
      const secret = 'multi\nline-sécret-value';
      const writer = new TreeWriter(new Redactor([secret]), dir);
      const stream = writer.stream(join(dir, 'out.bin'));
      const whole = Buffer.concat([Buffer.from([0xff, 0x00, 0x80]), Buffer.from(secret), Buffer.from([0xfe]), Buffer.from(secret)]);
      // one byte at a time: the secret, and its two-byte é, are split everywhere
      for (let i = 0; i < whole.length; i++) stream.write(whole.subarray(i, i + 1));
      await stream.end();
      expect(readFileSync(join(dir, 'out.bin'))).toEqual(
        Buffer.concat([Buffer.from([0xff, 0x00, 0x80]), Buffer.from(MASK), Buffer.from([0xfe]), Buffer.from(MASK)]),
      );
      expect(new Redactor([secret]).redactBytes(Buffer.from([0xc1, 0x41]))).toEqual(Buffer.from([0xc1, 0x41]));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a stream redacts a secret split across chunks', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'orchestrator-redact-'));
    try {
      const writer = new TreeWriter(new Redactor(['sk-test-secret-123456']), dir);
      const stream: RedactingStream = writer.stream(join(dir, 'out.txt'));
      for (const chunk of ['line sk-test-', 'secret-12', '3456 end\nnext sk-test-secret', '-123456']) stream.write(chunk);
      await stream.end();
      expect(readFileSync(join(dir, 'out.txt'), 'utf8')).toBe(`line ${MASK} end\nnext ${MASK}`);
      writer.write(join(dir, 'a', 'b.txt'), 'x sk-test-secret-123456');
      writer.writeJson(join(dir, 'c.json'), { k: 'sk-test-secret-123456' });
      expect(readFileSync(join(dir, 'a', 'b.txt'), 'utf8')).toBe(`x ${MASK}`);
      expect(JSON.parse(readFileSync(join(dir, 'c.json'), 'utf8'))).toEqual({ k: MASK });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('parseLeafEntry / parseRunRecord: files read back are data', () => {
  const good = (): any => ({
    id: 'flow_0002',
    branch: [3],
    keys: { doc: 'docs/a.md' },
    status: 'succeeded',
    output: 'out',
    final_message: 'flow_0002/branch_3/codex_exec_2/final_message.txt',
    error: null,
    duration_ms: 5,
    usage: { input_tokens: 1, output_tokens: 2 },
    steps: [
      { name: 'list', type: 'openai', status: 'succeeded', duration_ms: 1, usage: null, dir: 'flow_0002/01_list' },
      { name: 'codex', type: 'codex', status: 'succeeded', duration_ms: 1, usage: null, dir: 'flow_0002/branch_3/codex_exec_2' },
    ],
  });
  const where = { id: 'flow_0002', branch: [3] };

  test('an entry as orchestrator writes it passes unchanged, unknown fields kept', () => {
    expect(parseLeafEntry(good(), 'r.json', where)).toEqual(good());
    expect(parseLeafEntry({ ...good(), later: 1 }, 'r.json', where)).toEqual({ ...good(), later: 1 });
    const cached = good();
    Object.assign(cached.steps[0], {
      usage: { input_tokens: 0, output_tokens: 0 },
      cached: true,
      saved: { input_tokens: 9, output_tokens: 3 },
    });
    expect(parseLeafEntry(cached, 'r.json', where)).toEqual(cached);
  });

  test.each<[string, (e: any) => void, RegExp]>([
    ['a foreign id', (e) => (e.id = 'flow_0001'), /field "id" must be "flow_0002"/],
    ['HTML in the id', (e) => (e.id = 'flow_0002<b>'), /field "id" must be a flow id/],
    ['a branch of another leaf', (e) => (e.branch = [2]), /field "branch"/],
    ['a branch of zero', (e) => (e.branch = [0]), /field "branch"/],
    ['a string status', (e) => (e.status = 'ok'), /field "status" must be one of succeeded, failed, cancelled/],
    ['usage as a string', (e) => (e.usage.input_tokens = '1e309'), /field "usage.input_tokens" must be a finite number/],
    ['infinite usage', (e) => (e.usage.output_tokens = Infinity), /field "usage.output_tokens"/],
    ['negative duration', (e) => (e.duration_ms = -1), /field "duration_ms"/],
    ['a key that is not a string', (e) => (e.keys = { doc: 1 }), /field "keys.doc" must be a string/],
    ['a step dir leaving the tree', (e) => (e.steps[1].dir = 'flow_0002/../../etc'), /field "steps\[1\].dir" must be a step directory/],
    ['a step dir of another flow', (e) => (e.steps[0].dir = 'flow_0001/01_list'), /field "steps\[0\].dir"/],
    ['a final message outside the leaf', (e) => (e.final_message = '/etc/passwd'), /field "final_message"/],
    ['an error that is a number', (e) => (e.error = 3), /field "error" must be a string or null/],
    ['a cached mark that is not true', (e) => (e.steps[0].cached = 'yes'), /field "steps\[0\].cached" must be true/],
    ['a cached step without what it saved', (e) => (e.steps[0].cached = true), /field "steps\[0\].saved" must be a JSON object/],
    [
      'saved tokens that are negative',
      (e) => Object.assign(e.steps[0], { cached: true, saved: { input_tokens: -1, output_tokens: 0 } }),
      /field "steps\[0\].saved.input_tokens"/,
    ],
  ])('%s is refused naming the file and field', (_, change, message) => {
    const entry = good();
    change(entry);
    expect(() => parseLeafEntry(entry, 'flow_0002/branch_3/result.json', where)).toThrow(DataError);
    expect(() => parseLeafEntry(entry, 'flow_0002/branch_3/result.json', where)).toThrow(message);
  });

  test('a run record: the run id follows the --run-id rule; shard and flows are whole numbers', () => {
    const record = {
      run_id: 'run_t',
      shard: { index: 1, count: 2 },
      flows: { total: 4, from: 1, to: 2 },
      config: { file: 'c.json', hash: 'h' },
      keys_hash: 'k',
      started_at: 'now',
      ended_at: null,
    };
    expect(parseRunRecord(record, 'run.json')).toEqual(record);
    for (const id of ['../../x', 'run_../x', 'x', 'run_a/b', 'run_<b>'])
      expect(() => parseRunRecord({ ...record, run_id: id }, 'run.json')).toThrow(/run\.json: field "run_id"/);
    expect(() => parseRunRecord({ ...record, shard: { index: 3, count: 2 } }, 'run.json')).toThrow(/field "shard.index"/);
    expect(() => parseRunRecord({ ...record, flows: { total: 1.5, from: 1, to: 1 } }, 'run.json')).toThrow(/field "flows.total"/);
  });
});

describe('URLs with credentials', () => {
  test('urlWithoutCredentials masks user, password and query values; secretsFromUrl lists them', () => {
    expect(urlWithoutCredentials('https://u:p4ssword@example.com/v1?key=abc&x=1')).toBe('https://***:***@example.com/v1?key=***&x=***');
    expect(urlWithoutCredentials('http://127.0.0.1:8080/v1')).toBe('http://127.0.0.1:8080/v1');
    expect(urlWithoutCredentials('not a url')).toBe(MASK);
    expect(secretsFromUrl('https://user:p4ssw%40rd-long@example.com/v1?api-key=0123456789', 'base')).toEqual(
      expect.arrayContaining([
        { name: 'base', value: 'p4ssw%40rd-long' },
        { name: 'base', value: 'p4ssw@rd-long' },
        { name: 'base', value: '0123456789' },
      ]),
    );
    expect(secretsFromUrl(undefined, 'base')).toEqual([]);
  });
});

describe('masking real secrets', () => {
  const pem = '-----BEGIN KEY-----\nAAAABBBBCCCCDDDD\r\nEEEEFFFFGGGGHHHH\n-----END KEY-----';
  const quoted = 'a"b\\c\'d-long-enough';

  test('a multi-line value is masked whole, line by line, and JSON-escaped; a quoted one escaped too', () => {
    const redactor = new Redactor([
      { name: 'MY_KEY', value: pem },
      { name: 'Q_SECRET', value: quoted },
    ]);
    expect(redactor.redact(pem)).toBe(MASK);
    expect(redactor.redact('line: EEEEFFFFGGGGHHHH')).toBe(`line: ${MASK}`);
    expect(redactor.redact(JSON.stringify({ k: pem }))).toBe(`{"k":"${MASK}"}`);
    expect(redactor.redact(JSON.stringify({ q: quoted }))).toBe(`{"q":"${MASK}"}`);
    expect(redactor.namesIn('x EEEEFFFFGGGGHHHH')).toEqual(['MY_KEY']);
  });

  test('redactValue: a value holding no secret comes back as it is (no copy made); one held anywhere, in a key too, is masked', () => {
    const redactor = new Redactor([{ name: 'MY_KEY', value: pem }]);
    const clean = { status: 'succeeded', usage: { input_tokens: 3 }, steps: [{ name: 'a', dir: 'flow_0001/01_a' }], at: new Date(0) };
    expect(redactor.redactValue(clean)).toBe(clean);
    expect(redactor.redactValue({ deep: [{ x: [`a ${pem}`] }] })).toEqual({ deep: [{ x: [`a ${MASK}`] }] });
    expect(redactor.redactValue({ [`k ${pem}`]: 1 })).toEqual({ [`k ${MASK}`]: 1 });
    // anything but a plain object is copied as before, secret or not
    const buffer = Buffer.from('x');
    expect(redactor.redactValue({ buffer }).buffer).not.toBe(buffer);
  });

  test('redactValue redacts before serialising: JSON written by the tree holds no form of the secret', () => {
    const dir = mkdtempSync(join(tmpdir(), 'orchestrator-redact-'));
    try {
      const writer = new TreeWriter(
        new Redactor([
          { name: 'MY_KEY', value: pem },
          { name: 'Q_SECRET', value: quoted },
        ]),
        dir,
      );
      writer.writeJson(join(dir, 'r.json'), { error: `failed: ${pem}`, nested: [{ q: quoted }] });
      const text = readFileSync(join(dir, 'r.json'), 'utf8');
      for (const form of [pem, JSON.stringify(pem).slice(1, -1), 'AAAABBBBCCCCDDDD', quoted, JSON.stringify(quoted).slice(1, -1)])
        expect(text).not.toContain(form);
      expect(JSON.parse(text)).toEqual({ error: `failed: ${MASK}`, nested: [{ q: MASK }] });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
