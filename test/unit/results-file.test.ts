/**
 * results.json read back a piece at a time (src/results/results-file.ts, json-stream.ts): the same
 * items as written, whatever the size of the reads, and a file that is not what orchestrator
 * wrote is refused naming the file and what is wrong.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openResultsFile, readResultsItems } from '../../src/results/results-file.js';
import { leafUsage } from '../../src/results/results.js';
import { wholeOutput } from '../../src/report/html-file.js';
import { cutOutput, writeResults } from '../../src/results/write.js';
import type { LeafEntry, NotStarted, ResultItem, StepEntry } from '../../src/model/results.js';
import { DataError } from '../../src/results/fields.js';

const step = (dir: string, tokens: number): StepEntry => ({
  name: 'draft',
  type: 'openai',
  status: 'succeeded',
  duration_ms: 1,
  usage: { input_tokens: tokens, output_tokens: 2 * tokens },
  dir,
});

const leaf = (id: string, branch: number[], output: string, steps: StepEntry[]): LeafEntry => ({
  id,
  branch,
  keys: { doc: `docs/${id}.md` },
  status: 'succeeded',
  output,
  final_message: null,
  error: null,
  duration_ms: 3,
  usage: leafUsage(steps),
  steps,
});

/** Flows 1 to 210 of 300: a flow with branches (one range of them never started), tricky texts, 100+ flows never started. */
function items(): ResultItem[] {
  const list = (): StepEntry => step('flow_0002/01_list', 5);
  const out: ResultItem[] = [
    leaf('flow_0001', [], 'quote " backslash \\ brace } bracket ] \u00e9\u4e2d\ud83d\ude00 \\"', [step('flow_0001/01_draft', 1)]),
    leaf('flow_0002', [1], 'one', [list(), step('flow_0002/branch_1/02_answer', 1)]),
    {
      from: { id: 'flow_0002', branch: [2] },
      to: { id: 'flow_0002', branch: [4] },
      count: 3,
      reason: 'interrupted',
      steps: [list()],
    } satisfies NotStarted,
    leaf('flow_0002', [5], '{"nested": [1, 2, {"x": "]"}]}', [list(), step('flow_0002/branch_5/02_answer', 2)]),
  ];
  for (let i = 3; i <= 10; i++) {
    const id = `flow_${String(i).padStart(4, '0')}`;
    out.push(leaf(id, [], 'x'.repeat(i * 37), [step(`${id}/01_draft`, i)]));
  }
  out.push({ from: { id: 'flow_0011', branch: [] }, to: { id: 'flow_0210', branch: [] }, count: 200, reason: 'not run', steps: [] });
  return out;
}

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'results-file-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const write = async (path: string, list: ResultItem[] = items()): Promise<void> => {
  await writeResults(path, { run_id: 'run_x', shard: { index: 1, count: 2 }, flows_total: 210 }, list);
};

const readAll = (path: string, chunk?: number, bounds = { total: 300, from: 0, to: 210 }): ResultItem[] => [
  ...readResultsItems(openResultsFile(path, 'results.json', chunk), bounds),
];

test('the items come back as written, entries and never-started ranges in order, whatever the size of the reads', async () => {
  const path = join(dir, 'results.json');
  await write(path);
  const header = openResultsFile(path).header;
  expect(header).toMatchObject({
    run_id: 'run_x',
    shard: { index: 1, count: 2 },
    flows_total: 210,
    total: 214,
    succeeded: 11,
    cancelled: 203,
  });
  // reads of 1 to 7 bytes put every string, escape and multi-byte character across a boundary somewhere
  for (const chunk of [1, 2, 3, 5, 7, 64, undefined]) expect({ chunk, items: readAll(path, chunk) }).toEqual({ chunk, items: items() });
});

test('any layout of the same JSON reads the same: it is parsed, not matched line by line', async () => {
  const path = join(dir, 'results.json');
  await write(path);
  const compact = join(dir, 'compact.json');
  // keys in another order: not_started before flows
  const { flows, not_started, ...rest } = JSON.parse(readFileSync(path, 'utf8'));
  writeFileSync(compact, JSON.stringify({ not_started, ...rest, flows }));
  expect(readAll(compact, 3)).toEqual(items());
});

describe('a file that is not what orchestrator wrote is refused, naming the file and what is wrong', () => {
  const tampered = async (change: (json: any) => unknown): Promise<string> => {
    const path = join(dir, 'results.json');
    await write(path);
    writeFileSync(path, JSON.stringify(change(JSON.parse(readFileSync(path, 'utf8')))));
    return path;
  };
  const refusal = (path: string, bounds?: { total: number; from: number; to: number }): string => {
    try {
      readAll(path, 5, bounds);
    } catch (error) {
      expect(error).toBeInstanceOf(DataError);
      return (error as Error).message;
    }
    throw new Error('not refused');
  };

  test('cut short (a crash while copying it): the first pass says so', async () => {
    const path = join(dir, 'results.json');
    await write(path);
    const text = readFileSync(path, 'utf8');
    writeFileSync(path, text.slice(0, Math.floor(text.length / 2)));
    expect(() => openResultsFile(path, 'results.json')).toThrow(
      /results\.json: not a results file orchestrator wrote: the file ends early/,
    );
  });

  test('an entry changed so the counts no longer add up', async () => {
    const path = await tampered((json) => {
      json.flows[3].status = 'failed';
      return json;
    });
    expect(refusal(path)).toMatch(/results\.json: the entries do not add up to the totals at its top \("succeeded", "failed"\)/);
  });

  test('an entry of a flow outside the shard', async () => {
    const path = await tampered((json) => json);
    expect(refusal(path, { total: 300, from: 1, to: 210 })).toMatch(
      /results\.json: flows\[0\]: flow_0001 is not one of this file's flows \(flow_0002 to flow_0210\)/,
    );
  });

  test('entries out of order, or one twice', async () => {
    const path = await tampered((json) => {
      json.flows.splice(4, 0, json.flows[3]);
      json.total++;
      json.succeeded++;
      return json;
    });
    expect(refusal(path)).toMatch(/flows\[4\]: out of order/);
  });

  test("an entry whose step directory is another flow's", async () => {
    const path = await tampered((json) => {
      json.flows[0].steps[0].dir = 'flow_0009/01_draft';
      return json;
    });
    expect(refusal(path)).toMatch(/results\.json: flows\[0\]: field "steps\[0\]\.dir" must be a step directory of this leaf/);
  });

  test('a never-started range whose count is not its span', async () => {
    const path = await tampered((json) => {
      json.not_started[1].count = 150;
      return json;
    });
    expect(() => openResultsFile(path, 'results.json')).toThrow(
      /not_started\[1\]: field "count" must be 200, the flows from "from" to "to"/,
    );
  });

  test('a field given twice (a reader taking the first and one taking the last would disagree)', async () => {
    const path = join(dir, 'results.json');
    await write(path);
    const text = readFileSync(path, 'utf8');
    writeFileSync(path, text.replace('"schema": 1,', '"schema": 1, "total": 1,'));
    expect(() => openResultsFile(path, 'results.json')).toThrow(/field "total" twice/);
  });
});

describe('a long output is cut in results.json, with a pointer to the file holding it whole', () => {
  /** `chars` (101 or more) characters: the 100th and 101st are the two halves of an emoji. */
  const long = (id: string, chars: number, last = `${id}/02_answer`): LeafEntry =>
    leaf(id, [], `${'é'.repeat(99)}😀${'z'.repeat(chars - 101)}`, [step(`${id}/01_draft`, 1), step(last, 1)]);

  test('cut to ORCHESTRATOR_RESULTS_OUTPUT_CHARS; output_cut names the length and the last step output file (final_message.txt for codex)', async () => {
    const path = join(dir, 'results.json');
    const before = process.env.ORCHESTRATOR_RESULTS_OUTPUT_CHARS;
    process.env.ORCHESTRATOR_RESULTS_OUTPUT_CHARS = '100';
    try {
      await writeResults(path, { run_id: 'run_x', shard: { index: 1, count: 1 }, flows_total: 3 }, [
        leaf('flow_0001', [], 'a'.repeat(100), [step('flow_0001/01_draft', 1)]),
        long('flow_0002', 5001),
        long('flow_0003', 101, 'flow_0003/codex_exec_2'),
      ]);
    } finally {
      if (before === undefined) delete process.env.ORCHESTRATOR_RESULTS_OUTPUT_CHARS;
      else process.env.ORCHESTRATOR_RESULTS_OUTPUT_CHARS = before;
    }
    const raw = JSON.parse(readFileSync(path, 'utf8'));
    expect(raw.flows[0].output).toHaveLength(100);
    expect(raw.flows[0].output_cut).toBeUndefined();
    // 99 characters: the 100th would be half of the emoji's surrogate pair
    expect(raw.flows[1].output).toBe('é'.repeat(99));
    expect(raw.flows[1].output_cut).toEqual({ chars: 5001, file: 'flow_0002/02_answer/output.txt' });
    expect(raw.flows[2].output_cut).toEqual({ chars: 101, file: 'flow_0003/codex_exec_2/final_message.txt' });
    const read = readAll(path, 7, { total: 3, from: 0, to: 3 }) as LeafEntry[];
    expect(read.map((e) => e.output_cut?.chars)).toEqual([undefined, 5001, 101]);
  });

  test('wholeOutput reads the whole text from the file output_cut names (not through a link)', () => {
    const entry = cutOutput(long('flow_0002', 300), 10);
    mkdirSync(join(dir, 'flow_0002', '02_answer'), { recursive: true });
    writeFileSync(join(dir, 'flow_0002', '02_answer', 'output.txt'), long('flow_0002', 300).output!);
    expect(wholeOutput(entry, dir)).toBe(long('flow_0002', 300).output);
    // a shard folder named by `tree`
    const merged = join(dir, 'merged');
    mkdirSync(merged);
    expect(wholeOutput({ ...entry, tree: '..' }, merged)).toBe(long('flow_0002', 300).output);
    // a planted link is not read: the cut text stands
    rmSync(join(dir, 'flow_0002', '02_answer', 'output.txt'));
    writeFileSync(join(dir, 'secret'), 'SECRET');
    symlinkSync(join(dir, 'secret'), join(dir, 'flow_0002', '02_answer', 'output.txt'));
    expect(wholeOutput(entry, dir)).toBe(entry.output);
  });

  test.each([
    [
      'a file of another leaf',
      { chars: 5001, file: 'flow_0001/02_answer/output.txt' },
      /field "output_cut.file" must be a step directory of this leaf/,
    ],
    [
      'a file that is not an output',
      { chars: 5001, file: 'flow_0002/02_answer/response.json' },
      /field "output_cut.file" must be the path of an output.txt/,
    ],
    [
      'fewer characters than kept',
      { chars: 3, file: 'flow_0002/02_answer/output.txt' },
      /field "output_cut.chars" must be a finite whole number of 99 or more, not 3/,
    ],
  ])('a tampered output_cut is refused: %s', async (_, cut, message) => {
    const path = join(dir, 'results.json');
    const entry = { ...cutOutput(long('flow_0002', 5001), 100), output_cut: cut };
    await writeResults(path, { run_id: 'run_x', shard: { index: 1, count: 1 }, flows_total: 1 }, [entry]);
    expect(() => readAll(path, undefined, { total: 3, from: 0, to: 3 })).toThrow(message);
  });
});
