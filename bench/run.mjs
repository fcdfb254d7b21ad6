/* global fetch, AbortSignal */
// `npm run bench`: what the engine costs, each figure a ratio against a baseline measured in the same
// run (interleaved with it), so the numbers mean something on a small, noisy machine.
//
//   node bench/run.mjs [--only NAME,...] [--reps N]
//
// NAME: engine, sdk, cmd, memory, tree, plan, ratelimit, startup, report, cache, batch, sharding, worktrees. Prints one table and writes
// bench/results.json. Everything runs on 127.0.0.1 against bench/fake-server.mjs; generated inputs
// and run trees go to a temporary directory (under /dev/shm when it exists, so the disk of the
// moment does not decide the result; BENCH_TMPDIR overrides), removed at the end.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { clearInterval, setInterval } from 'node:timers';
import { setTimeout as delay } from 'node:timers/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const NODE = process.execPath;
const CLI = join(ROOT, 'bin', 'orchestrator.js');
const ACTION = join(ROOT, 'dist', 'index.js');
const SERVER = join(ROOT, 'bench', 'fake-server.mjs');
const CLIENT = join(ROOT, 'bench', 'client-loop.mjs');
const SPAWN_LOOP = join(ROOT, 'bench', 'spawn-loop.mjs');
const TREE_LOOP = join(ROOT, 'bench', 'tree-loop.mjs');
const RESULTS = join(ROOT, 'bench', 'results.json');
const GNU_TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;
/** No child may run longer than this. */
const CHILD_TIMEOUT_MS = 180_000;

const args = process.argv.slice(2);
const option = (name) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const ALL = ['engine', 'sdk', 'cmd', 'memory', 'tree', 'plan', 'ratelimit', 'startup', 'report', 'cache', 'batch', 'sharding', 'worktrees'];
const only = option('--only')?.split(',') ?? ALL;
const REPS = Math.max(1, Math.min(5, Number(option('--reps') ?? 3)));

function pickTmpBase() {
  if (process.env.BENCH_TMPDIR) return process.env.BENCH_TMPDIR;
  try {
    if (statSync('/dev/shm').isDirectory()) {
      const probe = mkdtempSync('/dev/shm/orchestrator-bench-probe-');
      rmSync(probe, { recursive: true });
      return '/dev/shm';
    }
  } catch {
    // no usable tmpfs
  }
  return tmpdir();
}
const TMP = mkdtempSync(join(pickTmpBase(), 'orchestrator-bench-'));
/** Children still running, each the leader of its own process group (GNU time and what it runs). */
const children = new Set();
function killGroup(child) {
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    // already gone
  }
}
function cleanup() {
  for (const child of children) killGroup(child);
  children.clear();
  rmSync(TMP, { recursive: true, force: true });
}
/** The whole bench is given this long; past it, everything it started is ended. */
const WATCHDOG_MS = Number(process.env.BENCH_WATCHDOG_MIN ?? 20) * 60_000;
const watchdog = setTimeout(() => {
  log(`still running after ${WATCHDOG_MS / 60_000} minutes: giving up`);
  cleanup();
  process.exit(1);
}, WATCHDOG_MS);
watchdog.unref();
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    cleanup();
    process.exit(130);
  });
}

// ---------------------------------------------------------------- helpers

const log = (text) => process.stderr.write(`bench: ${text}\n`);
const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
/** The median over repetitions of `a[i] / b[i]`: each pair ran back to back, so drifting load cancels out. */
const pairedRatio = (a, b) => median(a.map((x, i) => x.ms / b[i].ms));

/**
 * Runs a program to its end: wall time (ms, from spawn to exit), peak RSS (KiB) and CPU seconds,
 * the latter two from GNU time when there is one, else peak RSS from polling /proc VmHWM.
 */
async function measure(file, argv, { cwd = TMP, env = process.env, stdinFile, timeoutMs = CHILD_TIMEOUT_MS } = {}) {
  const timeFile = join(TMP, `time-${process.pid}-${Math.random().toString(36).slice(2)}.txt`);
  const [command, commandArgs] = GNU_TIME ? [GNU_TIME, ['-f', '%M %U %S', '-o', timeFile, file, ...argv]] : [file, argv];
  const stdin = stdinFile ? 'pipe' : 'ignore';
  const started = performance.now();
  const child = spawn(command, commandArgs, { cwd, env, stdio: [stdin, 'pipe', 'pipe'], detached: true });
  children.add(child);
  if (stdinFile) {
    child.stdin.on('error', () => {});
    child.stdin.end(readFileSync(stdinFile));
  }
  const out = [];
  let errTail = '';
  child.stdout.on('data', (c) => out.push(c));
  child.stderr.on('data', (c) => (errTail = (errTail + c).slice(-4000)));
  let hwm = 0;
  const poll = GNU_TIME
    ? undefined
    : setInterval(() => {
        try {
          const m = /VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
          if (m) hwm = Math.max(hwm, Number(m[1]));
        } catch {
          // gone
        }
      }, 10);
  const killer = setTimeout(() => killGroup(child), timeoutMs);
  const code = await new Promise((resolve) => child.on('close', (c, s) => resolve(c ?? s)));
  const ms = performance.now() - started;
  clearTimeout(killer);
  clearInterval(poll);
  children.delete(child);
  let rssKiB = hwm;
  let cpuS;
  if (GNU_TIME && existsSync(timeFile)) {
    const last = readFileSync(timeFile, 'utf8').trim().split('\n').pop() ?? '';
    const [rss, user, sys] = last.split(' ').map(Number);
    rssKiB = rss;
    cpuS = user + sys;
    rmSync(timeFile, { force: true });
  }
  return { ms, rssKiB, cpuS, code, stdout: Buffer.concat(out).toString('utf8'), stderr: errTail };
}

function check(result, what) {
  if (result.code !== 0) throw new Error(`${what} exited with ${result.code}: ${result.stderr.slice(-1500)}`);
  return result;
}

/** Starts the fake model server; resolves to {url, stats(), reset(), stop()}. */
async function startServer(latencyMs, ratePerS = 0, mode = 'window', batchDelayMs = 0) {
  const child = spawn(NODE, [SERVER, String(latencyMs), String(ratePerS), mode, String(batchDelayMs)], {
    stdio: ['pipe', 'pipe', 'inherit'],
    detached: true,
  });
  children.add(child);
  const port = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the fake server did not start')), 10_000);
    let text = '';
    child.stdout.on('data', (c) => {
      text += c;
      const newline = text.indexOf('\n');
      if (newline >= 0) {
        clearTimeout(timer);
        resolve(JSON.parse(text.slice(0, newline)).port);
      }
    });
    child.on('exit', () => reject(new Error('the fake server exited')));
  });
  const base = `http://127.0.0.1:${port}`;
  const call = async (method, path) => (await fetch(`${base}${path}`, { method, signal: AbortSignal.timeout(5000) })).json();
  return {
    url: `${base}/v1`,
    stats: () => call('GET', '/stats'),
    reset: () => call('POST', '/reset'),
    stop: () => {
      killGroup(child);
      children.delete(child);
    },
  };
}

/** `count` small files `<name>/<i>.txt` under `dir`, and the key file `<name>.txt` listing them; returns the --key argument. */
function keyFiles(dir, name, count, contents = (i) => `${name} ${i}\n`) {
  mkdirSync(join(dir, name), { recursive: true });
  const lines = [];
  for (let i = 1; i <= count; i++) {
    const path = join(name, `${i}.txt`);
    writeFileSync(join(dir, path), contents(i));
    lines.push(path);
  }
  writeFileSync(join(dir, `${name}.txt`), lines.join('\n') + '\n');
  return `${name}:${name}.txt`;
}

function cli(dir, argv, extra = {}) {
  return measure(NODE, [CLI, ...argv], { ...extra, cwd: dir, env: { ...process.env, ...extra.env } });
}

const rows = [];
const results = { machine: {}, benchmarks: {} };
/** One row of the table. */
function row(name, measured, baseline, ratio, target, met) {
  rows.push({ name, measured, baseline, ratio: ratio === undefined ? '' : `${ratio.toFixed(2)} ×`, target, met });
}
const s = (ms) => `${(ms / 1000).toFixed(2)} s`;
const mb = (kib) => `${Math.round(kib / 1024)} MB`;

// ---------------------------------------------------------------- 1. engine overhead

const CALLS_FLOWS = 2000;
const LATENCY = 20;
const PARALLEL = 50;

async function engineBench() {
  const dir = join(TMP, 'engine');
  mkdirSync(dir);
  const keys = [keyFiles(dir, 'a', 50), keyFiles(dir, 'b', CALLS_FLOWS / 50)];
  writeFileSync(
    join(dir, 'config.json'),
    JSON.stringify([
      { type: 'openai', name: 'one', prompt: 'Read {{{a}}} and {{{b}}}.' },
      { type: 'openai', name: 'two', prompt: 'Go on.' },
      { type: 'openai', name: 'three', prompt: 'Finish.' },
    ]),
  );
  const calls = CALLS_FLOWS * 3;
  const ideal = (calls * LATENCY) / PARALLEL;
  const server = await startServer(LATENCY);
  const engine = [];
  const loops = { sdk: [], 'sdk-fresh': [], 'sdk-undici': [], 'sdk-http': [], http: [] };
  const variants = only.includes('sdk') ? Object.keys(loops) : ['sdk'];
  const skipped = new Set();
  try {
    for (let rep = 0; rep < REPS; rep++) {
      for (const variant of variants) {
        if (skipped.has(variant)) continue;
        await server.reset();
        const r = await measure(NODE, [CLIENT, variant, server.url, String(calls), String(PARALLEL)]);
        if (r.code !== 0 && variant === 'sdk-undici') {
          // `undici` is only there as a dependency of a dependency
          log(`client loop ${variant} skipped: ${r.stderr.trim().split('\n').pop()}`);
          skipped.add(variant);
          continue;
        }
        check(r, `client loop ${variant}`);
        const reported = JSON.parse(r.stdout);
        if (reported.errors > 0) throw new Error(`client loop ${variant}: ${reported.errors} calls failed`);
        loops[variant].push({ ms: r.ms, cpuS: r.cpuS, rssKiB: r.rssKiB });
      }
      await server.reset();
      const out = join(dir, `out${rep}`);
      const r = check(
        await cli(
          dir,
          [
            'run',
            'config.json',
            ...keys.flatMap((k) => ['--key', k]),
            '--parallel',
            `${PARALLEL}`,
            '--base-url',
            server.url,
            '--output',
            out,
          ],
          { env: { OPENAI_API_KEY: 'bench-key' } },
        ),
        'engine run',
      );
      const stats = await server.stats();
      if (stats.accepted !== calls) throw new Error(`the engine made ${stats.accepted} calls, not ${calls}`);
      engine.push({ ms: r.ms, cpuS: r.cpuS, rssKiB: r.rssKiB });
      rmSync(out, { recursive: true, force: true });
      log(`engine rep ${rep + 1}: engine ${s(r.ms)}, sdk loop ${s(loops.sdk.at(-1).ms)}`);
    }
  } finally {
    server.stop();
  }
  const engineMs = median(engine.map((e) => e.ms));
  const sdkMs = median(loops.sdk.map((e) => e.ms));
  const engineVsSdk = pairedRatio(engine, loops.sdk);
  // CPU seconds (user + sys, GNU time) drift less with the load of the moment than wall time
  const cpuVsSdk = engine[0].cpuS ? median(engine.map((x, i) => x.cpuS / loops.sdk[i].cpuS)) : undefined;
  results.benchmarks.engine = {
    flows: CALLS_FLOWS,
    calls,
    latency_ms: LATENCY,
    parallel: PARALLEL,
    ideal_ms: ideal,
    engine_runs: engine,
    loops,
    engine_ms: engineMs,
    sdk_loop_ms: sdkMs,
    engine_vs_ideal: engineMs / ideal,
    sdk_loop_vs_ideal: sdkMs / ideal,
    engine_vs_sdk_loop: engineVsSdk,
    engine_vs_sdk_loop_cpu: cpuVsSdk,
    target_engine_vs_sdk_loop: 1.1,
  };
  row('1. engine: 2,000 flows × 3 model calls, 20 ms, parallel 50', s(engineMs), `ideal ${s(ideal)}`, engineMs / ideal, '', '');
  row(
    `   … against the bare openai SDK loop (6,000 calls, concurrency 50; wall${cpuVsSdk === undefined ? '' : `; CPU ${cpuVsSdk.toFixed(2)} ×`})`,
    s(engineMs),
    `SDK loop ${s(sdkMs)}`,
    engineVsSdk,
    '≤ 1.10 ×',
    engineVsSdk <= 1.1,
  );
  row('   bare SDK loop against ideal', s(sdkMs), `ideal ${s(ideal)}`, sdkMs / ideal, '', '');
  const described = {
    'sdk-fresh': '   SDK loop with a new client per call, against the SDK loop',
    'sdk-undici': '   SDK loop on the `undici` package’s fetch + Agent, against the SDK loop',
    'sdk-http': '   SDK loop on a node:http keep-alive `fetch` (SDK option), against the SDK loop',
    http: '   raw node:http keep-alive loop, no SDK, against the SDK loop',
  };
  for (const variant of variants.slice(1)) {
    if (loops[variant].length === 0) continue;
    const ms = median(loops[variant].map((e) => e.ms));
    const ratio = pairedRatio(loops[variant], loops.sdk);
    results.benchmarks.engine[`${variant}_loop_vs_sdk_loop`] = ratio;
    results.benchmarks.engine[`${variant}_loop_vs_ideal`] = ms / ideal;
    row(described[variant], s(ms), `SDK loop ${s(sdkMs)}`, ratio, '', '');
  }
}

// ---------------------------------------------------------------- 2. command fan-out

const CMD_FLOWS = 2000;
const CMD_PARALLEL = 8;

async function cmdBench() {
  const dir = join(TMP, 'cmd');
  mkdirSync(dir);
  // the data: 2,000 small files; each key file entry holds the path of one (its contents are what
  // {{{doc}}} stands for), so both sides run `sh -c 'cat "<path>"'` on the same files
  const data = join(dir, 'data');
  mkdirSync(data);
  const paths = [];
  for (let i = 1; i <= CMD_FLOWS; i++) {
    const path = join(data, `${i}.txt`);
    writeFileSync(path, `line one of ${i}\nline two of ${i}\n`);
    paths.push(path);
  }
  keyFiles(dir, 'doc', CMD_FLOWS, (i) => paths[i - 1]);
  writeFileSync(join(dir, 'config.json'), JSON.stringify([{ type: 'cat', cmd: 'cat {{{doc}}}' }]));
  const list = join(dir, 'list.txt');
  writeFileSync(list, paths.join('\n') + '\n');
  const engine = [];
  const xargs = [];
  const bare = [];
  for (let rep = 0; rep < REPS; rep++) {
    const b = check(await measure(NODE, [SPAWN_LOOP, list, String(CMD_PARALLEL)], { cwd: dir }), 'node spawn loop');
    bare.push({ ms: b.ms, cpuS: b.cpuS, rssKiB: b.rssKiB });
    const x = check(
      await measure('xargs', ['-P', String(CMD_PARALLEL), '-n', '1', 'sh', '-c', 'cat "$1" > "$1.out"', 'sh'], {
        cwd: dir,
        stdinFile: list,
      }),
      'xargs',
    );
    xargs.push({ ms: x.ms, cpuS: x.cpuS });
    const out = join(dir, `out${rep}`);
    const r = check(
      await cli(dir, [
        'run',
        'config.json',
        '--key',
        'doc:doc.txt',
        '--parallel',
        String(CMD_PARALLEL),
        '--output',
        out,
        '--run-id',
        'bench',
      ]),
      'engine cmd run',
    );
    const sample = readFileSync(join(out, 'run_bench', 'flow_0001', '01_cat', 'output.txt'), 'utf8');
    if (sample !== readFileSync(paths[0], 'utf8')) throw new Error(`unexpected cmd output ${JSON.stringify(sample)}`);
    engine.push({ ms: r.ms, cpuS: r.cpuS, rssKiB: r.rssKiB });
    rmSync(out, { recursive: true, force: true });
    for (const path of paths) {
      rmSync(`${path}.out`, { force: true });
      rmSync(`${path}.node.out`, { force: true });
    }
    log(`cmd rep ${rep + 1}: engine ${s(r.ms)}, xargs ${s(x.ms)}, bare node spawn loop ${s(b.ms)}`);
  }
  const engineMs = median(engine.map((e) => e.ms));
  const xargsMs = median(xargs.map((e) => e.ms));
  const bareMs = median(bare.map((e) => e.ms));
  const vsXargs = pairedRatio(engine, xargs);
  const vsBare = pairedRatio(engine, bare);
  const bareVsXargs = pairedRatio(bare, xargs);
  // CPU seconds (user + sys, from GNU time) inflate less with the machine's load than wall time
  const cpuRatio = (a, b) => (b[0].cpuS ? median(a.map((x, i) => x.cpuS / b[i].cpuS)) : undefined);
  const cpuNote = (a, b) => (cpuRatio(a, b) === undefined ? '' : `; CPU ${cpuRatio(a, b).toFixed(2)} ×`);
  results.benchmarks.cmd = {
    flows: CMD_FLOWS,
    parallel: CMD_PARALLEL,
    engine_runs: engine,
    xargs_runs: xargs,
    node_spawn_loop_runs: bare,
    engine_ms: engineMs,
    xargs_ms: xargsMs,
    node_spawn_loop_ms: bareMs,
    engine_vs_xargs: vsXargs,
    engine_vs_node_spawn_loop: vsBare,
    node_spawn_loop_vs_xargs: bareVsXargs,
    engine_vs_xargs_cpu: cpuRatio(engine, xargs),
    engine_vs_node_spawn_loop_cpu: cpuRatio(engine, bare),
    node_spawn_loop_vs_xargs_cpu: cpuRatio(bare, xargs),
    target: 2.5,
    stretch: 1.5,
  };
  row(
    `2. cmd fan-out: 2,000 \`cat\` steps, parallel 8 (wall${cpuNote(engine, xargs)})`,
    s(engineMs),
    `xargs -P 8 ${s(xargsMs)}`,
    vsXargs,
    '≤ 2.50 × (stretch 1.50 ×)',
    vsXargs <= 2.5,
  );
  row(
    `   … against a bare Node spawn loop (same commands, concurrency 8${cpuNote(engine, bare)})`,
    s(engineMs),
    `node loop ${s(bareMs)}`,
    vsBare,
    '',
    '',
  );
  row(`   bare Node spawn loop against xargs (wall${cpuNote(bare, xargs)})`, s(bareMs), `xargs -P 8 ${s(xargsMs)}`, bareVsXargs, '', '');
}

// ---------------------------------------------------------------- 3. memory

async function memoryBench() {
  const dir = join(TMP, 'memory');
  mkdirSync(dir);
  const a = keyFiles(dir, 'a', 1000);
  const b = keyFiles(dir, 'b', 100);
  writeFileSync(join(dir, 'a100.txt'), readFileSync(join(dir, 'a.txt'), 'utf8').split('\n').slice(0, 100).join('\n') + '\n');
  writeFileSync(
    join(dir, 'config.json'),
    JSON.stringify([
      { type: 'openai', name: 'one', prompt: 'Read {{{a}}} and {{{b}}}.' },
      { type: 'openai', name: 'two', prompt: 'Go on.' },
    ]),
  );
  const floor = check(await cli(dir, ['--help']), '--help');
  const runs = {};
  for (const [flows, aKey] of [
    [10_000, 'a:a100.txt'],
    [100_000, a],
  ]) {
    const out = join(dir, `out${flows}`);
    const r = check(
      await cli(dir, [
        'run',
        'config.json',
        '--offline',
        '--key',
        aKey,
        '--key',
        b,
        '--parallel',
        '8',
        '--output',
        out,
        '--run-id',
        'bench',
      ]),
      `offline run of ${flows} flows`,
    );
    runs[flows] = { ms: r.ms, cpuS: r.cpuS, rssKiB: r.rssKiB };
    log(`memory: ${flows} flows: ${mb(r.rssKiB)} peak RSS, ${s(r.ms)}`);
    const started = performance.now();
    rmSync(out, { recursive: true, force: true });
    runs[flows].cleanup_ms = performance.now() - started;
  }
  const small = runs[10_000].rssKiB;
  const large = runs[100_000].rssKiB;
  results.benchmarks.memory = {
    runs,
    help_rss_kib: floor.rssKiB,
    rss_100k_vs_10k: large / small,
    above_floor_100k_vs_10k: (large - floor.rssKiB) / Math.max(1, small - floor.rssKiB),
    target_rss_kib: 300 * 1024,
  };
  row(
    '3. memory: 100,000 offline flows × 2 steps, peak RSS',
    mb(large),
    `10,000 flows ${mb(small)}`,
    large / small,
    '< 300 MB, < 10 × (sub-linear)',
    large < 300 * 1024 && large / small < 10,
  );
  row(
    '   … above the CLI’s floor (`--help` peak RSS)',
    mb(large - floor.rssKiB),
    `10,000: ${mb(small - floor.rssKiB)}; floor ${mb(floor.rssKiB)}`,
    (large - floor.rssKiB) / Math.max(1, small - floor.rssKiB),
    '',
    '',
  );
}

// ---------------------------------------------------------------- 3b. the run tree against its floor, and --resume

/** `--tree-flows 10000,50000,100000` (the default): the sizes of the run-tree rows. */
const TREE_FLOWS = (option('--tree-flows') ?? '10000,50000,100000').split(',').map(Number);

/**
 * Offline runs of one step over 1,000 × (flows / 1,000) key files, `--parallel 8`, each right after
 * the plain-loop floor (bench/tree-loop.mjs: the same 2 directories and 5 small files a flow, written
 * by a synchronous loop with no checks); at the largest size also `--resume` over the finished run
 * (the index of finished flows vouches for every flow: nothing runs). Ratios are paired, per repetition.
 * The smallest and the largest size run --reps times: the flatness row compares their peaks (each
 * the highest of its runs), so neither side is one sample against the other's highest of three.
 */
async function treeBench() {
  const dir = join(TMP, 'tree');
  mkdirSync(dir);
  const largest = Math.max(...TREE_FLOWS);
  const smallest = Math.min(...TREE_FLOWS);
  const a = keyFiles(dir, 'a', 1000);
  keyFiles(dir, 'b', Math.ceil(largest / 1000));
  const bLines = readFileSync(join(dir, 'b.txt'), 'utf8').split('\n');
  writeFileSync(join(dir, 'config.json'), JSON.stringify([{ type: 'openai', name: 'one', prompt: 'Read {{{a}}} and {{{b}}}.' }]));
  results.benchmarks.tree = { sizes: {} };
  for (const flows of TREE_FLOWS) {
    writeFileSync(join(dir, `b${flows}.txt`), bLines.slice(0, flows / 1000).join('\n') + '\n');
    const runs = [];
    const floors = [];
    const resumes = [];
    // the smallest size too: its peak RSS is what the largest's is compared with (the peak of as many runs)
    for (let rep = 0; rep < (flows === largest || flows === smallest ? REPS : 1); rep++) {
      const floorOut = join(dir, `floor${rep}`);
      // a loaded 2-core machine takes minutes over 100,000 flows
      const timeoutMs = 15 * 60_000;
      const f = check(await measure(NODE, [TREE_LOOP, floorOut, String(flows)], { cwd: dir, timeoutMs }), 'tree loop');
      floors.push({ ms: f.ms, cpuS: f.cpuS, rssKiB: f.rssKiB });
      rmSync(floorOut, { recursive: true, force: true });
      const out = join(dir, `out${rep}`);
      const argv = [
        'run',
        'config.json',
        '--offline',
        '--key',
        a,
        '--key',
        `b:b${flows}.txt`,
        '--parallel',
        '8',
        '--output',
        out,
        '--run-id',
        'bench',
      ];
      const r = check(await cli(dir, argv, { timeoutMs }), `offline run of ${flows} flows`);
      runs.push({ ms: r.ms, cpuS: r.cpuS, rssKiB: r.rssKiB });
      if (flows === largest) {
        const again = check(await cli(dir, [...argv, '--resume'], { timeoutMs }), `--resume over ${flows} flows`);
        resumes.push({ ms: again.ms, cpuS: again.cpuS, rssKiB: again.rssKiB });
      }
      rmSync(out, { recursive: true, force: true });
      log(
        `tree ${flows}: run ${s(r.ms)} (${mb(r.rssKiB)}), floor ${s(f.ms)}${resumes.length ? `, resume ${s(resumes.at(-1).ms)}` : ''}; load ${loadavg()}`,
      );
    }
    const entry = {
      flows,
      runs,
      floors,
      resumes,
      run_vs_floor: pairedRatio(runs, floors),
      run_vs_floor_cpu: floors[0].cpuS ? median(runs.map((x, i) => x.cpuS / floors[i].cpuS)) : undefined,
      rss_kib: Math.max(...runs.map((x) => x.rssKiB)),
      resume_vs_run: resumes.length ? pairedRatio(resumes, runs) : undefined,
    };
    results.benchmarks.tree.sizes[flows] = entry;
    const cpu = entry.run_vs_floor_cpu === undefined ? '' : `; CPU ${entry.run_vs_floor_cpu.toFixed(2)} ×`;
    row(
      `3b. run tree: ${flows.toLocaleString('en-US')} offline flows × 1 step, parallel 8 (wall${cpu})`,
      `${s(median(runs.map((x) => x.ms)))}, ${mb(entry.rss_kib)}`,
      `plain loop ${s(median(floors.map((x) => x.ms)))}`,
      entry.run_vs_floor,
      flows === largest ? '≤ 2.0 ×, < 200 MB' : '',
      flows === largest ? entry.run_vs_floor <= 2 && entry.rss_kib < 200 * 1024 : '',
    );
    if (entry.resume_vs_run !== undefined) {
      row(
        `   … --resume over the finished ${flows.toLocaleString('en-US')}-flow run (nothing to do)`,
        s(median(resumes.map((x) => x.ms))),
        `the run ${s(median(runs.map((x) => x.ms)))}`,
        entry.resume_vs_run,
        '≤ 0.10 ×',
        entry.resume_vs_run <= 0.1,
      );
    }
  }
  const sizes = Object.values(results.benchmarks.tree.sizes);
  if (sizes.length > 1) {
    const [first, last] = [sizes[0], sizes.at(-1)];
    row(
      `   … peak RSS, ${last.flows.toLocaleString('en-US')} flows against ${first.flows.toLocaleString('en-US')}`,
      mb(last.rss_kib),
      `${first.flows.toLocaleString('en-US')}: ${mb(first.rss_kib)}`,
      last.rss_kib / first.rss_kib,
      'flat (≈ 1 ×)',
      last.rss_kib / first.rss_kib <= 1.25,
    );
  }
}

// ---------------------------------------------------------------- 4. planning

async function planBench() {
  const dir = join(TMP, 'plan');
  mkdirSync(dir);
  const a = keyFiles(dir, 'a', 1000);
  const b = keyFiles(dir, 'b', 1000);
  writeFileSync(join(dir, 'config.json'), JSON.stringify([{ type: 'openai', prompt: '{{{a}}} {{{b}}}' }]));
  const plans = [];
  const helps = [];
  for (let rep = 0; rep < Math.max(3, REPS); rep++) {
    helps.push(check(await cli(dir, ['--help']), '--help'));
    const r = check(await cli(dir, ['plan', 'config.json', '--key', a, '--key', b, '--shards', '256', '--run-id', 'bench']), 'plan');
    const plan = JSON.parse(r.stdout);
    if (plan.total !== 1_000_000 || plan.matrix.include.length !== 256) throw new Error(`unexpected plan ${r.stdout.slice(0, 200)}`);
    plans.push(r);
  }
  const ms = median(plans.map((p) => p.ms));
  const rss = Math.max(...plans.map((p) => p.rssKiB));
  const helpMs = median(helps.map((h) => h.ms));
  results.benchmarks.plan = {
    flows: 1_000_000,
    shards: 256,
    ms,
    rss_kib: rss,
    help_ms: helpMs,
    vs_help: ms / helpMs,
    target_ms: 5000,
    target_rss_kib: 200 * 1024,
  };
  row(
    '4. plan: 1,000,000 flows (1,000 × 1,000) into 256 shards',
    `${s(ms)}, ${mb(rss)}`,
    `--help ${s(helpMs)}`,
    ms / helpMs,
    '< 5 s, < 200 MB',
    ms < 5000 && rss < 200 * 1024,
  );
}

// ---------------------------------------------------------------- 5. rate limits

const RATE = 200;
const RATE_CALLS = 3000;

async function rateBench() {
  const dir = join(TMP, 'rate');
  mkdirSync(dir);
  const key = keyFiles(dir, 'a', RATE_CALLS);
  writeFileSync(join(dir, 'config.json'), JSON.stringify([{ type: 'openai', prompt: 'Read {{{a}}}.' }]));
  results.benchmarks.ratelimit = {};
  for (const mode of ['window', 'bucket']) {
    const server = await startServer(LATENCY, RATE, mode);
    let r;
    let stats;
    try {
      r = check(
        await cli(
          dir,
          [
            'run',
            'config.json',
            '--key',
            key,
            '--parallel',
            '64',
            '--retries',
            '20',
            '--base-url',
            server.url,
            '--output',
            `out-${mode}`,
            '--run-id',
            'bench',
          ],
          { env: { OPENAI_API_KEY: 'bench-key' } },
        ),
        'rate-limited run',
      );
      stats = await server.stats();
    } finally {
      server.stop();
    }
    if (stats.accepted !== RATE_CALLS) throw new Error(`${stats.accepted} calls accepted, not ${RATE_CALLS}`);
    // from the first accepted call's arrival to the last's
    const throughput = (stats.accepted - 1) / ((stats.lastStart - stats.first) / 1000);
    const rejectedShare = stats.rejected / (stats.accepted + stats.rejected);
    const perSecond = stats.perSecond.map((p) => `${p.accepted}/${p.rejected}`).join(' ');
    results.benchmarks.ratelimit[mode] = {
      rate_per_s: RATE,
      calls: RATE_CALLS,
      parallel: 64,
      accepted: stats.accepted,
      rejected: stats.rejected,
      throughput_per_s: throughput,
      throughput_vs_rate: throughput / RATE,
      rejected_share: rejectedShare,
      wall_ms: r.ms,
      wall_throughput_vs_rate: RATE_CALLS / (r.ms / 1000) / RATE,
      accepted_rejected_per_second: perSecond,
    };
    log(`rate limit (${mode}): accepted/rejected per second: ${perSecond}`);
    const what =
      mode === 'window'
        ? `5. rate limit: server takes ${RATE}/s (sliding second), 429 above; ${RATE_CALLS.toLocaleString('en')} calls, parallel 64`
        : `   … server a token bucket (${RATE}/s, one second's burst)`;
    const met = throughput / RATE >= 0.9 && rejectedShare < 0.05;
    row(
      what,
      `${throughput.toFixed(0)}/s, ${(rejectedShare * 100).toFixed(1)} % rejected`,
      `${RATE}/s`,
      throughput / RATE,
      '≥ 0.90 ×, < 5 %',
      met,
    );
  }
}

// ---------------------------------------------------------------- 6. start-up

async function startupBench() {
  const dir = join(TMP, 'startup');
  mkdirSync(dir);
  const key = keyFiles(dir, 'a', 2);
  writeFileSync(join(dir, 'config.json'), JSON.stringify([{ type: 'openai', prompt: '{{{a}}}' }]));
  // the Action as the runner starts it: every input of action.yml, defaults filled in
  const { parse } = await import('yaml');
  const inputs = parse(readFileSync(join(ROOT, 'action.yml'), 'utf8')).inputs ?? {};
  const env = { ...process.env };
  for (const [name, spec] of Object.entries(inputs)) {
    env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = String(spec.default ?? '').replace(/\$\{\{[^}]*\}\}/g, 'bench');
  }
  Object.assign(env, { INPUT_MODE: 'plan', INPUT_CONFIG: 'config.json', INPUT_KEYS: key, INPUT_SHARDS: '2', GITHUB_WORKSPACE: dir });
  // the CLI with no secret in its environment (no re-exec) and with a key (one re-exec hides it)
  const plain = { ...process.env };
  for (const name of Object.keys(plain)) if (/^(OPENAI_|CODEX_|ACTIONS_|GITHUB_|GH_TOKEN$|INPUT_)/.test(name)) delete plain[name];
  const keyed = { ...plain, OPENAI_API_KEY: 'sk-bench-startup' };
  const one = keyFiles(join(dir, 'one'), 'a', 1).replace(':', ':one/');
  const offline = [CLI, 'run', 'config.json', '--key', one, '--offline', '--output', join(dir, 'generated')];
  const times = { bare: [], help: [], help_key: [], version: [], run: [], run_key: [], action: [] };
  const cpu = { bare: [], help: [], help_key: [], version: [], run: [], run_key: [], action: [] };
  const rss = { bare: 0, help: 0, help_key: 0, version: 0, run: 0, run_key: 0, action: 0 };
  for (let rep = 0; rep < 7; rep++) {
    const output = join(dir, `output${rep}.txt`);
    writeFileSync(output, '');
    for (const [name, argv, runEnv] of [
      ['bare', ['-e', '0'], plain],
      ['help', [CLI, '--help'], plain],
      ['help_key', [CLI, '--help'], keyed],
      ['version', [CLI, '--version'], plain],
      ['run', [...offline, '--run-id', `plain${rep}`], plain],
      ['run_key', [...offline, '--run-id', `keyed${rep}`], keyed],
      ['action', [ACTION], { ...env, GITHUB_OUTPUT: output }],
    ]) {
      const r = check(await measure(NODE, argv, { cwd: dir, env: runEnv }), name);
      times[name].push(r.ms);
      cpu[name].push(r.cpuS * 1000);
      rss[name] = Math.max(rss[name], r.rssKiB);
    }
    if (!readFileSync(output, 'utf8').includes('matrix')) throw new Error('the Action set no matrix output');
  }
  const bare = median(times.bare);
  const help = median(times.help);
  const action = median(times.action);
  const helpKey = median(times.help_key);
  const run = median(times.run);
  const runKey = median(times.run_key);
  const version = median(times.version);
  const cpuMs = Object.fromEntries(Object.entries(cpu).map(([name, values]) => [name, Math.round(median(values))]));
  /** CPU time (user + sys), which load inflates less than wall time. */
  const cpuOf = (name) => (GNU_TIME ? `; CPU ${cpuMs[name]} ms against ${cpuMs.bare} ms` : '');
  results.benchmarks.startup = {
    median_ms: { bare, help, help_key: helpKey, version, run, run_key: runKey, action },
    median_cpu_ms: cpuMs,
    peak_rss_kib: rss,
    help_vs_bare: help / bare,
    help_key_vs_bare: helpKey / bare,
    version_vs_bare: version / bare,
    run_vs_bare: run / bare,
    run_key_vs_bare: runKey / bare,
    action_vs_bare: action / bare,
  };
  row(
    '6. start-up: `orchestrator --help`',
    `${Math.round(help)} ms, ${mb(rss.help)}${cpuOf('help')}`,
    `node -e 0: ${Math.round(bare)} ms, ${mb(rss.bare)}`,
    help / bare,
    '',
    '',
  );
  for (const [label, ms, name] of [
    ['   `orchestrator --help`, OPENAI_API_KEY set', helpKey, 'help_key'],
    ['   `orchestrator --version`', version, 'version'],
    ['   one flow `--offline`, no secret in the environment', run, 'run'],
    ['   one flow `--offline`, OPENAI_API_KEY set (re-exec)', runKey, 'run_key'],
  ])
    row(label, `${Math.round(ms)} ms${cpuOf(name)}`, `node -e 0: ${Math.round(bare)} ms`, ms / bare, '', '');
  row(
    '   `node dist/index.js` (Action, mode plan)',
    `${Math.round(action)} ms, ${mb(rss.action)}`,
    `node -e 0: ${Math.round(bare)} ms`,
    action / bare,
    '',
    '',
  );
}

// ---------------------------------------------------------------- 7. report.html

const REPORT_FLOWS = 10_000;

/** report.html of an offline run of 10,000 flows: write time, size against the texts it shows, first render in Chromium. */
async function reportBench() {
  const dir = join(TMP, 'report');
  mkdirSync(dir);
  const key = keyFiles(dir, 'doc', REPORT_FLOWS, (i) => `# Document ${i}\n\nA paragraph of document ${i}, with a few words.\n`);
  writeFileSync(
    join(dir, 'config.json'),
    JSON.stringify([{ type: 'openai', name: 'review', prompt: 'Review {{{doc:path}}}:\n\n{{{doc}}}' }]),
  );
  const out = join(dir, 'out');
  const run = check(await cli(dir, ['run', 'config.json', '--offline', '--key', key, '--output', out, '--run-id', 'bench']), 'offline run');
  const runDir = join(out, 'run_bench');
  const { writeRunReportHtml } = await import(pathToFileURL(join(ROOT, 'build', 'report', 'html-file.js')).href);
  const times = [];
  for (let rep = 0; rep < REPS; rep++) {
    const started = performance.now();
    if (writeRunReportHtml(runDir, run.ms) === undefined) throw new Error('report.html was not written');
    times.push(performance.now() - started);
  }
  const write = median(times);
  const size = statSync(join(runDir, 'report.html')).size;
  let texts = 0;
  for (const leaf of JSON.parse(readFileSync(join(runDir, 'results.json'), 'utf8')).flows) {
    texts += leaf.id.length + Object.values(leaf.keys).join('').length;
    for (const step of leaf.steps) {
      texts += step.name.length + step.dir.length;
      for (const file of ['prompt.txt', 'output.txt']) texts += statSync(join(runDir, step.dir, file)).size;
    }
  }
  results.benchmarks.report = { flows: REPORT_FLOWS, run_ms: run.ms, write_ms: write, bytes: size, text_bytes: texts };
  row(
    `7. report.html, ${REPORT_FLOWS.toLocaleString('en-US')} leaves: write`,
    `${Math.round(write)} ms`,
    `the run: ${s(run.ms)}`,
    write / run.ms,
    '',
    '',
  );
  row(
    '   … file size',
    `${(size / 1e6).toFixed(1)} MB`,
    `texts shown: ${(texts / 1e6).toFixed(1)} MB`,
    size / texts,
    '< 2 ×',
    size < 2 * texts,
  );
  const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!existsSync(chromiumPath)) {
    log(`report: ${chromiumPath} is missing: no first-render row`);
    return;
  }
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath: chromiumPath, args: ['--no-sandbox'] });
  try {
    const renders = [];
    for (let rep = 0; rep < REPS; rep++) {
      const page = await browser.newPage();
      const started = performance.now();
      await page.goto(pathToFileURL(join(runDir, 'report.html')).href);
      await page.waitForSelector('tr.leaf');
      renders.push(performance.now() - started);
      await page.close();
    }
    const render = median(renders);
    results.benchmarks.report.first_render_ms = render;
    row('   … first rows in headless Chromium', `${Math.round(render)} ms`, '', undefined, '< 5 s', render < 5000);
  } finally {
    await browser.close();
  }
}

// ---------------------------------------------------------------- 8. response cache

const CACHE_FLOWS = 2000;

/**
 * `--cache`: the same 2,000 flows × 2 openai steps (20 ms a call, parallel 50) made with direct
 * calls, with a cold cache (every call made, every reply stored) and with a warm one (no call), and
 * `--offline` (no call, no cache: the engine's own floor). The hit path's cost per step is
 * (warm − offline) / steps; a direct call's is (direct − offline) / steps.
 */
async function cacheBench() {
  const dir = join(TMP, 'cache');
  mkdirSync(dir);
  const key = keyFiles(dir, 'doc', CACHE_FLOWS);
  writeFileSync(
    join(dir, 'config.json'),
    JSON.stringify([
      { type: 'openai', name: 'one', prompt: 'Read {{{doc}}}.' },
      { type: 'openai', name: 'two', prompt: 'Go on.' },
    ]),
  );
  const steps = CACHE_FLOWS * 2;
  const server = await startServer(LATENCY);
  const runs = { direct: [], cold: [], warm: [], offline: [] };
  try {
    for (let rep = 0; rep < REPS; rep++) {
      const cache = join(dir, `cache${rep}`);
      for (const kind of ['direct', 'cold', 'warm', 'offline']) {
        await server.reset();
        const out = join(dir, `out-${kind}${rep}`);
        const argv = ['run', 'config.json', '--key', key, '--parallel', `${PARALLEL}`, '--base-url', server.url, '--output', out];
        if (kind === 'cold' || kind === 'warm') argv.push('--cache', cache);
        if (kind === 'offline') argv.push('--offline');
        const r = check(await cli(dir, argv, { env: { OPENAI_API_KEY: 'bench-key' } }), `cache bench (${kind})`);
        const { accepted } = await server.stats();
        const expected = kind === 'direct' || kind === 'cold' ? steps : 0;
        if (accepted !== expected) throw new Error(`cache bench (${kind}): ${accepted} calls, not ${expected}`);
        runs[kind].push({ ms: r.ms, cpuS: r.cpuS, rssKiB: r.rssKiB });
        rmSync(out, { recursive: true, force: true });
      }
      rmSync(cache, { recursive: true, force: true });
      log(
        `cache rep ${rep + 1}: ${Object.entries(runs)
          .map(([k, v]) => `${k} ${s(v.at(-1).ms)}`)
          .join(', ')}`,
      );
    }
  } finally {
    server.stop();
  }
  const ms = Object.fromEntries(Object.entries(runs).map(([k, v]) => [k, median(v.map((e) => e.ms))]));
  const perStep = (kind) => (ms[kind] - ms.offline) / steps;
  results.benchmarks.cache = {
    flows: CACHE_FLOWS,
    steps,
    latency_ms: LATENCY,
    parallel: PARALLEL,
    runs,
    ms,
    hit_ms_per_step: perStep('warm'),
    direct_ms_per_step: perStep('direct'),
    warm_vs_direct: pairedRatio(runs.warm, runs.direct),
    cold_vs_direct: pairedRatio(runs.cold, runs.direct),
  };
  const b = results.benchmarks.cache;
  row('8. cache: 2,000 flows × 2 openai steps, warm cache (no call)', s(ms.warm), `direct calls ${s(ms.direct)}`, b.warm_vs_direct, '', '');
  row(
    '   … per step beyond --offline: cache hit vs direct call (20 ms, parallel 50)',
    `${b.hit_ms_per_step.toFixed(3)} ms`,
    `${b.direct_ms_per_step.toFixed(3)} ms`,
    b.hit_ms_per_step / b.direct_ms_per_step,
    '',
    '',
  );
  row('   … cold cache (every call made, every reply stored)', s(ms.cold), `direct calls ${s(ms.direct)}`, b.cold_vs_direct, '', '');
}

// ---------------------------------------------------------------- 9. Batch API

const BATCH_FLOWS = 2000;
const BATCH_DELAY_MS = 3000;

/**
 * `--batch`: 2,000 flows × 2 openai steps through the fake server's Batch API, each batch done
 * 3 s after it was created. Measured: the batches created and their requests (all of a step's
 * requests are ready together, so one batch per step is the aim), and the wall time beyond the two
 * batch delays, with the default gathering (1 s of quiet) and polling (5 s, growing), and with
 * polling every 100 ms (what is left is the engine's own time: gathering, upload, results). The
 * baseline is --offline over the same flows.
 */
async function batchBench() {
  const dir = join(TMP, 'batch');
  mkdirSync(dir);
  const key = keyFiles(dir, 'doc', BATCH_FLOWS);
  writeFileSync(
    join(dir, 'config.json'),
    JSON.stringify([
      { type: 'openai', name: 'one', prompt: 'Read {{{doc}}}.' },
      { type: 'openai', name: 'two', prompt: 'Go on.' },
    ]),
  );
  const server = await startServer(LATENCY, 0, 'window', BATCH_DELAY_MS);
  const runs = { defaults: [], fast_poll: [], offline: [] };
  let sizes;
  try {
    for (let rep = 0; rep < REPS; rep++) {
      for (const kind of Object.keys(runs)) {
        await server.reset();
        const out = join(dir, `out-${kind}${rep}`);
        const argv = ['run', 'config.json', '--key', key, '--base-url', server.url, '--output', out];
        argv.push(...(kind === 'offline' ? ['--offline'] : ['--batch']));
        const env = { OPENAI_API_KEY: 'bench-key', ...(kind === 'fast_poll' ? { ORCHESTRATOR_BATCH_POLL_MS: '100' } : {}) };
        const r = check(await cli(dir, argv, { env }), `batch bench (${kind})`);
        const stats = await server.stats();
        if (stats.accepted !== 0) throw new Error(`batch bench (${kind}): ${stats.accepted} direct calls`);
        if (kind !== 'offline') {
          if (stats.batches.reduce((a, b) => a + b, 0) !== BATCH_FLOWS * 2) throw new Error(`batch bench: batches ${stats.batches}`);
          sizes = stats.batches;
        }
        runs[kind].push({ ms: r.ms, cpuS: r.cpuS, rssKiB: r.rssKiB, batches: stats.batches });
        rmSync(out, { recursive: true, force: true });
      }
      log(
        `batch rep ${rep + 1}: ${Object.entries(runs)
          .map(([k, v]) => `${k} ${s(v.at(-1).ms)}`)
          .join(', ')}`,
      );
    }
  } finally {
    server.stop();
  }
  const ms = Object.fromEntries(Object.entries(runs).map(([k, v]) => [k, median(v.map((e) => e.ms))]));
  const beyond = (kind) => ms[kind] - 2 * BATCH_DELAY_MS;
  results.benchmarks.batch = {
    flows: BATCH_FLOWS,
    steps: 2,
    batch_delay_ms: BATCH_DELAY_MS,
    batches: sizes,
    runs,
    ms,
    beyond_delay_ms: { defaults: beyond('defaults'), fast_poll: beyond('fast_poll') },
  };
  const shown = `${sizes.length} (${sizes.map((n) => n.toLocaleString('en-US')).join(' + ')} requests)`;
  row('9. batch: 2,000 flows × 2 openai steps, batches created', shown, '', undefined, '2 (one per step)', sizes.length === 2);
  row(
    '   … wall time beyond 2 × the 3 s batch delay (default polling)',
    s(beyond('defaults')),
    `--offline ${s(ms.offline)}`,
    undefined,
    '',
    '',
  );
  row('   … the same, polling every 100 ms', s(beyond('fast_poll')), `--offline ${s(ms.offline)}`, undefined, '', '');
}

// ---------------------------------------------------------------- 10. sharding at scale

/**
 * 100,000 offline flows in 16 shards, job by job (bench/scale.mjs): `report` over the shards'
 * records against running the shards, and the bytes the Action's report job downloads (the shards'
 * records artifacts) as a share of all their artifacts' bytes.
 */
async function shardingBench() {
  const out = join(TMP, 'scale.json');
  const r = await measure(NODE, [join(ROOT, 'bench', 'scale.mjs'), '--flows', '100000', '--shards', '16', '--json', out], {
    env: { ...process.env, BENCH_TMPDIR: TMP },
    timeoutMs: 15 * 60_000,
  });
  check(r, 'bench/scale.mjs');
  const scale = JSON.parse(readFileSync(out, 'utf8'));
  results.benchmarks.sharding = { ...scale, each_shard: undefined };
  const shardsMs = scale.shard.ms_total;
  row(
    '10. `report` over 16 shards of 100,000 offline flows (their records)',
    `${s(scale.report.ms)}, ${mb(scale.report.rss_kib)}`,
    `the 16 shards one after another: ${s(shardsMs)}`,
    scale.report.ms / shardsMs,
    '≤ 0.5 ×, < 400 MB',
    scale.report.ms <= 0.5 * shardsMs && scale.report.rss_kib < 400 * 1024,
  );
  const all = scale.shard.record_bytes.total + scale.shard.tree_bytes.total;
  row(
    "   … bytes the Action's report job downloads (records artifacts)",
    `${(scale.shard.record_bytes.total / 1e6).toFixed(1)} MB, ${(scale.downloaded_share * 100).toFixed(1)} %`,
    `all 32 shard artifacts: ${(all / 1e6).toFixed(1)} MB`,
    undefined,
    '',
    '',
  );
}

// ---------------------------------------------------------------- 11. codex flows in worktrees

/**
 * 48 codex flows with `--isolate worktree --parallel 8` over a generated repository of 3,000 files,
 * a stand-in codex editing one file a flow, against a hand-written `xargs -P 8` loop doing the same
 * (worktree add, the stand-in, git diff, worktree remove): bench/worktrees.mjs, both sides in turn.
 */
async function worktreesBench() {
  const out = join(TMP, 'worktrees.json');
  const r = await measure(NODE, [join(ROOT, 'bench', 'worktrees.mjs'), '--reps', String(REPS), '--json', out], {
    env: { ...process.env, BENCH_TMPDIR: TMP },
    timeoutMs: 15 * 60_000,
  });
  check(r, 'bench/worktrees.mjs');
  const w = JSON.parse(readFileSync(out, 'utf8'));
  results.benchmarks.worktrees = { ...w, target: 1.0 };
  const ratios = w.ratios.map((x) => x.toFixed(2)).join(', ');
  row(
    `11. codex: ${w.flows} flows, --isolate worktree --parallel ${w.parallel}, ${w.files.toLocaleString('en-US')}-file repository (stand-in codex)`,
    s(w.orchestrator_ms),
    `xargs -P ${w.parallel} loop ${s(w.xargs_ms)} (ratios ${ratios})`,
    w.orchestrator_vs_xargs,
    '≤ 1.00 ×',
    w.orchestrator_vs_xargs <= 1.0,
  );
}

// ---------------------------------------------------------------- main

function loadavg() {
  try {
    return readFileSync('/proc/loadavg', 'utf8').trim();
  } catch {
    return '?';
  }
}

const started = performance.now();
const benches = {
  engine: engineBench,
  cmd: cmdBench,
  memory: memoryBench,
  tree: treeBench,
  plan: planBench,
  ratelimit: rateBench,
  startup: startupBench,
  report: reportBench,
  cache: cacheBench,
  batch: batchBench,
  sharding: shardingBench,
  worktrees: worktreesBench,
};
try {
  results.machine = {
    node: process.version,
    cpus: (await import('node:os')).cpus().length,
    tmp: TMP,
    load_before: loadavg(),
    git: spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).stdout.trim(),
    date: new Date().toISOString(),
    reps: REPS,
  };
  for (const name of Object.keys(benches)) {
    if (!only.includes(name) && !(name === 'engine' && only.includes('sdk'))) continue;
    log(`${name}…`);
    await benches[name]();
    await delay(200);
  }
  results.machine.load_after = loadavg();
  results.seconds = (performance.now() - started) / 1000;
  results.table = rows;
  writeFileSync(RESULTS, JSON.stringify(results, null, 2) + '\n');
  const header = ['benchmark', 'measured', 'baseline (same run)', 'ratio', 'target', 'met'];
  const cells = rows.map((r) => [r.name, r.measured, r.baseline, r.ratio, r.target, r.met === '' ? '' : r.met ? 'yes' : 'NO']);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const line = (c) => '| ' + c.map((x, i) => x.padEnd(widths[i])).join(' | ') + ' |';
  console.log(line(header));
  console.log('|' + widths.map((w) => '-'.repeat(w + 2)).join('|') + '|');
  for (const c of cells) console.log(line(c));
  console.log(
    `\n${results.seconds.toFixed(0)} s; ${results.machine.cpus} CPUs; load ${results.machine.load_before} → ${results.machine.load_after}; wrote ${RESULTS}`,
  );
} finally {
  cleanup();
}
