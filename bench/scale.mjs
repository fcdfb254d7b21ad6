// A sharded run at full scale, job by job, as a matrix workflow runs it (README "Sharding at scale"):
//
//   node bench/scale.mjs [--flows 100000] [--shards 16] [--jobs 1] [--size-every 1] [--json FILE]
//   node bench/scale.mjs --synthetic [--flows 1000000] [--shards 256] [--reps 1] [--against BIN] [--json FILE]
//
// --synthetic writes every shard's records (run.json, shards/I-of-N.json, results.json) directly in
// the results format, from the records of one small real run (same config, so the same hashes),
// instead of running the shards: it measures `report` alone at a size whose shard jobs would take
// hours here (1,000,000 leaves in 256 shards in about a minute). --against BIN (another checkout's
// bin/orchestrator.js) runs its report over the same records too, in turns with this one's, --reps times.
//
// --jobs N runs N shards at once (a shorter measurement on a busy machine; each job still measured on
// its own). --size-every K zips the tree of every K-th shard only (shards are alike) and scales the
// mean up to all of them; the records of every shard are zipped.
//
// `plan`, then every shard one after another, each in its own output directory as if on its own
// machine, then `report` over the shards' records (what the Action's report job downloads). Each job
// is a real CLI process (`node bin/orchestrator.js`, offline steps): wall time and peak RSS from GNU
// time. Artifact sizes are those of the zips the artifact client would upload: every file of a
// shard's tree, and of its records (src/action/records.ts picks them), zipped by archiver at level 6
// as @actions/artifact does. After its sizes are taken a shard's tree is removed (a matrix job's
// machine goes away too) and only its records stay, so tmpfs holds one tree at a time.
// Work goes to a temporary directory under /dev/shm (BENCH_TMPDIR overrides), removed at the end.
// `npm run bench` runs it at 100,000 flows and 16 shards (bench/run.mjs, "sharding").
import { spawn } from 'node:child_process';
import {
  closeSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  rmSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Writable } from 'node:stream';
import { fileURLToPath, pathToFileURL } from 'node:url';
import archiver from 'archiver';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const CLI = join(ROOT, 'bin', 'orchestrator.js');
/** Which of a run directory's files the records artifact holds (not needed by --synthetic); build/action-js/ is tsc's output of the Action, which `npm run bench` builds. */
const recordFiles = async (...args) =>
  (await import(pathToFileURL(join(ROOT, 'build', 'action-js', 'action', 'records.js')).href)).recordFiles(...args);

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
};
const FLOWS = Number(option('--flows', '100000'));
const SHARDS = Number(option('--shards', '16'));
const JSON_OUT = option('--json', undefined);
const JOBS = Math.max(1, Number(option('--jobs', '1')));
const SIZE_EVERY = Math.max(1, Number(option('--size-every', '1')));
const SYNTHETIC = args.includes('--synthetic');
const AGAINST = option('--against', undefined);
const REPS = Math.max(1, Number(option('--reps', '1')));
/** Two key lists whose product is FLOWS: 1,000 × (FLOWS / 1,000). */
const A = 1000;
const B = FLOWS / A;
if (!Number.isInteger(B) || B < 1) throw new Error(`--flows must be a multiple of ${A}`);

const base = process.env.BENCH_TMPDIR ?? (existsSync('/dev/shm') ? '/dev/shm' : tmpdir());
const TMP = mkdtempSync(join(base, 'orchestrator-scale-'));
const log = (text) => process.stderr.write(`scale: ${text}\n`);
const children = new Set();
const cleanup = () => {
  for (const c of children) {
    try {
      process.kill(-c.pid, 'SIGKILL'); // GNU time and the CLI under it: one process group
    } catch {
      // already gone
    }
  }
  rmSync(TMP, { recursive: true, force: true });
};
for (const signal of ['SIGINT', 'SIGTERM'])
  process.on(signal, () => {
    cleanup();
    process.exit(130);
  });

let jobs = 0;
/** One CLI job: wall ms (spawn to exit), peak RSS KiB and CPU s from GNU time. */
async function job(argv, cli = CLI) {
  const timeFile = join(TMP, `time-${++jobs}.txt`);
  const started = performance.now();
  const child = spawn('/usr/bin/time', ['-f', '%M %U %S', '-o', timeFile, process.execPath, cli, ...argv], {
    cwd: TMP,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  children.add(child);
  const out = [];
  let err = '';
  child.stdout.on('data', (c) => out.push(c));
  child.stderr.on('data', (c) => (err = (err + c).slice(-3000)));
  const code = await new Promise((resolve) => child.on('close', (c, s) => resolve(c ?? s)));
  children.delete(child);
  const ms = performance.now() - started;
  const [rssKiB, user, sys] = readFileSync(timeFile, 'utf8').trim().split('\n').pop().split(' ').map(Number);
  rmSync(timeFile);
  return { ms, rssKiB, cpuS: user + sys, code, stdout: Buffer.concat(out).toString('utf8'), stderr: err };
}

function listFiles(dir) {
  const files = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) files.push(...listFiles(path));
    else if (entry.isFile()) files.push(path);
  }
  return files;
}

/** Bytes of the zip @actions/artifact would upload for these files (names relative to `root`). */
async function zipSize(files, root) {
  let size = 0;
  const sink = new Writable({
    write(chunk, _encoding, done) {
      size += chunk.length;
      done();
    },
  });
  const zip = archiver.create('zip', { zlib: { level: 6 } });
  const finished = new Promise((resolve, reject) => {
    sink.on('finish', resolve);
    zip.on('error', reject);
  });
  zip.pipe(sink);
  for (const file of files) zip.file(file, { name: relative(root, file) });
  await zip.finalize();
  await finished;
  return size;
}

function keyFile(name, count) {
  mkdirSync(join(TMP, name));
  const lines = [];
  for (let i = 1; i <= count; i++) {
    writeFileSync(join(TMP, name, `${i}.txt`), `${name} ${i}\n`);
    lines.push(`${name}/${i}.txt`);
  }
  writeFileSync(join(TMP, `${name}.txt`), lines.join('\n') + '\n');
  return `${name}:${name}.txt`;
}

const median = (values) => [...values].sort((x, y) => x - y)[Math.floor(values.length / 2)];
const sum = (values) => values.reduce((x, y) => x + y, 0);

/**
 * Writes the records of shards 1..SHARDS of run_scale as the shard jobs would leave them (every flow
 * succeeded, offline), each in records/shard-I/run_scale/, from `templateDir`: the run directory of a
 * real run of the same config and key lists (its run.json gives the hashes and options; its first
 * leaf the shape of every leaf). Returns the bytes written.
 */
async function writeSyntheticShards(templateDir) {
  const { flowId } = await import(pathToFileURL(join(ROOT, 'build', 'flows', 'flows.js')).href);
  const { shardRange } = await import(pathToFileURL(join(ROOT, 'build', 'flows', 'shards.js')).href);
  const record = JSON.parse(readFileSync(join(templateDir, 'run.json'), 'utf8'));
  const leaf = JSON.parse(readFileSync(join(templateDir, 'results.json'), 'utf8')).flows[0];
  const usage = leaf.usage;
  let bytes = 0;
  for (let index = 1; index <= SHARDS; index++) {
    const { from, to } = shardRange(FLOWS, { index, count: SHARDS });
    const count = to - from;
    const totals = { flows_total: count, total: count, succeeded: count, failed: 0, cancelled: 0, usage };
    const keys = [
      { ...record.keys[0], lines: A },
      { ...record.keys[1], lines: B },
    ];
    const own = {
      ...record,
      run_id: 'run_scale',
      keys,
      shard: { index, count: SHARDS },
      flows: { total: FLOWS, from: from + 1, to },
      totals,
    };
    const dir = join(TMP, 'records', `shard-${index}`, 'run_scale');
    mkdirSync(join(dir, 'shards'), { recursive: true });
    writeFileSync(join(dir, 'run.json'), JSON.stringify(own, null, 2));
    writeFileSync(join(dir, 'shards', `${index}-of-${SHARDS}.json`), JSON.stringify(own, null, 2));
    const { flows_total, total, succeeded, failed, cancelled } = totals;
    const header = {
      schema: 1,
      run_id: 'run_scale',
      shard: own.shard,
      flows_total,
      total,
      succeeded,
      failed,
      cancelled,
      usage,
      after: null,
    };
    const fd = openSync(join(dir, 'results.json'), 'w');
    const write = (text) => (bytes += writeSync(fd, text));
    write(JSON.stringify(header, null, 2).replace(/\n}$/, ',\n  "flows": [\n'));
    let chunk = '';
    for (let i = from; i < to; i++) {
      const id = flowId(i, FLOWS);
      const a = Math.floor(i / B) + 1;
      const b = (i % B) + 1;
      const entry = {
        ...leaf,
        id,
        keys: { a: `a/${a}.txt`, b: `b/${b}.txt` },
        output: `Review a ${a}\n and b ${b}\n.`,
        steps: leaf.steps.map((step) => ({ ...step, dir: `${id}/${step.dir.split('/').slice(1).join('/')}` })),
      };
      chunk += (i > from ? ',\n' : '') + JSON.stringify(entry);
      if (chunk.length > 1 << 20) {
        write(chunk);
        chunk = '';
      }
    }
    write(chunk + '\n  ],\n  "not_started": []\n}\n');
    closeSync(fd);
  }
  return bytes;
}

/**
 * Throws unless `report` exited 0 and every flow merged as succeeded into `merged` (exit 1 would mean a
 * failed result or a missing shard). The totals come before the flows in results.json: its head is
 * enough, the file may be hundreds of MB.
 */
function checkMerged(report, merged, what) {
  const head = Buffer.alloc(4096);
  const fd = openSync(join(merged, 'run_scale', 'results.json'));
  readSync(fd, head, 0, head.length, 0);
  closeSync(fd);
  const succeeded = Number(/"succeeded":\s*(\d+)/.exec(head.toString('utf8'))?.[1]);
  if (report.code !== 0 || succeeded !== FLOWS)
    throw new Error(`${what} exited ${report.code} with ${succeeded} of ${FLOWS} succeeded: ${report.stderr}`);
}

/** `--synthetic`: one small real run for the template, the shards' records written directly, then `report` over them. */
async function synthetic() {
  writeFileSync(join(TMP, 'config.json'), JSON.stringify([{ type: 'openai', name: 'review', prompt: 'Review {{{a}}} and {{{b}}}.' }]));
  const load = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  const loadBefore = load();
  // two flows of the same config over two key files of one line each: the records' shape and hashes
  // (report compares the shards' hashes with each other, never with key lists it does not have)
  const template = join(TMP, 'template');
  const small = ['--key', keyFile('a1', 1).replace(/^a1/, 'a'), '--key', keyFile('b2', 2).replace(/^b2/, 'b')];
  const t = await job(['run', 'config.json', '--offline', ...small, '--run-id', 'template', '--output', template]);
  if (t.code !== 0) throw new Error(`the template run exited ${t.code}: ${t.stderr}`);
  const started = performance.now();
  const bytes = await writeSyntheticShards(join(template, 'run_template'));
  log(
    `${SHARDS} shards' records written (${FLOWS} leaves, ${Math.round(bytes / 1e6)} MB of results.json) in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
  /** `report` over the records by `cli`, checked: every flow merged as succeeded. */
  const reportBy = async (cli, name) => {
    const merged = join(TMP, `merged-${name}`);
    const report = await job(['report', join(TMP, 'records'), '--output', merged], cli);
    checkMerged(report, merged, `report (${name})`);
    rmSync(merged, { recursive: true, force: true });
    log(
      `report (${name}): ${(report.ms / 1000).toFixed(2)} s, CPU ${report.cpuS.toFixed(1)} s, peak RSS ${Math.round(report.rssKiB / 1024)} MB`,
    );
    return { ms: report.ms, cpu_s: report.cpuS, rss_kib: report.rssKiB };
  };
  const reports = [];
  const against = [];
  for (let rep = 0; rep < REPS; rep++) {
    if (AGAINST !== undefined) against.push(await reportBy(AGAINST, 'against'));
    reports.push(await reportBy(CLI, 'this'));
  }
  const result = {
    flows: FLOWS,
    shards: SHARDS,
    synthetic: true,
    node: process.version,
    load_before: loadBefore,
    load_after: load(),
    results_bytes: bytes,
    report: reports.length === 1 ? reports[0] : reports,
    ...(AGAINST === undefined ? {} : { against: { cli: AGAINST, report: against } }),
  };
  if (JSON_OUT) writeFileSync(JSON_OUT, JSON.stringify(result, null, 2) + '\n');
  else console.log(JSON.stringify(result, null, 2));
}

try {
  if (SYNTHETIC) {
    await synthetic();
    cleanup();
    process.exit(0);
  }
  const keys = ['--key', keyFile('a', A), '--key', keyFile('b', B)];
  writeFileSync(join(TMP, 'config.json'), JSON.stringify([{ type: 'openai', name: 'review', prompt: 'Review {{{a}}} and {{{b}}}.' }]));
  const load = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  const loadBefore = load();

  const plan = await job(['plan', 'config.json', ...keys, '--shards', String(SHARDS), '--run-id', 'scale']);
  if (plan.code !== 0) throw new Error(`plan exited ${plan.code}: ${plan.stderr}`);
  if (JSON.parse(plan.stdout).total !== FLOWS) throw new Error(`plan: not ${FLOWS} flows`);
  log(`plan: ${(plan.ms / 1000).toFixed(2)} s, ${Math.round(plan.rssKiB / 1024)} MB`);

  /** Runs shard `index`, takes its artifact sizes, keeps its records where the report job would unpack them, removes its tree. */
  async function shard(index) {
    const out = join(TMP, `out-${index}`);
    const r = await job([
      'run',
      'config.json',
      '--offline',
      ...keys,
      '--shard',
      `${index}/${SHARDS}`,
      '--run-id',
      'scale',
      '--output',
      out,
    ]);
    if (r.code !== 0) throw new Error(`shard ${index} exited ${r.code}: ${r.stderr}`);
    const runDir = join(out, 'run_scale');
    const files = listFiles(runDir);
    const records = await recordFiles(runDir, files);
    const treeBytes = (index - 1) % SIZE_EVERY === 0 ? await zipSize(files, out) : undefined;
    const recordBytes = await zipSize(records, out);
    const kept = join(TMP, 'records', `shard-${index}`);
    for (const file of records) cpSync(file, join(kept, relative(out, file)));
    rmSync(out, { recursive: true, force: true });
    log(
      `shard ${index}/${SHARDS}: ${(r.ms / 1000).toFixed(2)} s, ${Math.round(r.rssKiB / 1024)} MB, tree ${treeBytes ?? '-'} B, records ${recordBytes} B`,
    );
    return { index, ms: r.ms, rssKiB: r.rssKiB, cpuS: r.cpuS, files: files.length, treeBytes, recordFiles: records.length, recordBytes };
  }
  const shards = [];
  let next = 1;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: Math.min(JOBS, SHARDS) }, async () => {
      while (next <= SHARDS) shards.push(await shard(next++));
    }),
  );
  const shardsWallMs = performance.now() - started;
  shards.sort((x, y) => x.index - y.index);
  const sized = shards.filter((x) => x.treeBytes !== undefined).map((x) => x.treeBytes);

  const merged = join(TMP, 'merged');
  const report = await job(['report', join(TMP, 'records'), '--output', merged]);
  checkMerged(report, merged, 'report');
  const mergedBytes = await zipSize(listFiles(merged), merged);
  log(`report: ${(report.ms / 1000).toFixed(2)} s, ${Math.round(report.rssKiB / 1024)} MB, merged ${mergedBytes} B`);

  const result = {
    flows: FLOWS,
    shards: SHARDS,
    node: process.version,
    load_before: loadBefore,
    load_after: load(),
    tmp: base,
    jobs: JOBS,
    size_every: SIZE_EVERY,
    plan: { ms: plan.ms, rss_kib: plan.rssKiB },
    shard: {
      ms: { min: Math.min(...shards.map((x) => x.ms)), median: median(shards.map((x) => x.ms)), max: Math.max(...shards.map((x) => x.ms)) },
      ms_total: sum(shards.map((x) => x.ms)),
      wall_ms_all: shardsWallMs,
      rss_kib_max: Math.max(...shards.map((x) => x.rssKiB)),
      // sampled every --size-every shards: the total is the mean of the sample times the shards
      tree_bytes: { median: median(sized), total: Math.round((sum(sized) / sized.length) * SHARDS), sampled: sized.length },
      record_bytes: { median: median(shards.map((x) => x.recordBytes)), total: sum(shards.map((x) => x.recordBytes)) },
      files_total: sum(shards.map((x) => x.files)),
      record_files_total: sum(shards.map((x) => x.recordFiles)),
    },
    report: { ms: report.ms, rss_kib: report.rssKiB, merged_bytes: mergedBytes },
    each_shard: shards,
  };
  result.report.vs_shards_total = report.ms / result.shard.ms_total;
  result.downloaded_share = result.shard.record_bytes.total / (result.shard.record_bytes.total + result.shard.tree_bytes.total);
  if (JSON_OUT) writeFileSync(JSON_OUT, JSON.stringify(result, null, 2) + '\n');
  else console.log(JSON.stringify(result, null, 2));
} finally {
  cleanup();
}
