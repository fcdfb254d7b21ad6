import { createRequire as __orchestratorRequire } from 'node:module';
const require = __orchestratorRequire(import.meta.url);

// src/engine/leaf-check-worker.ts
import { parentPort, workerData } from "node:worker_threads";

// src/util/safe-read.ts
import { closeSync as closeSync3, constants as constants3, fstatSync as fstatSync2, lstatSync as lstatSync3, openSync as openSync3, readSync } from "node:fs";

// src/util/dir-handles.ts
import { closeSync, constants, fstatSync, lstatSync, mkdirSync, openSync, readlinkSync, statSync } from "node:fs";
var UnsafePathError = class extends Error {
  constructor(path, problem) {
    super(`${path} ${problem}`);
    this.path = path;
    this.problem = problem;
    this.name = "UnsafePathError";
  }
  path;
  problem;
};
var errorCode = (error) => error?.code;
var DIRECTORY = constants.O_RDONLY | constants.O_DIRECTORY | constants.O_NOFOLLOW;

// src/util/open-dir.ts
import { closeSync as closeSync2, constants as constants2, lstatSync as lstatSync2, openSync as openSync2, readdirSync, unlinkSync } from "node:fs";
var ROOT = DIRECTORY & ~constants2.O_NOFOLLOW;

// src/util/safe-read.ts
var READ_FLAGS = constants3.O_RDONLY | constants3.O_NOFOLLOW | constants3.O_NONBLOCK;
function openRegular(path) {
  let fd;
  try {
    fd = openSync3(path, READ_FLAGS);
  } catch (error) {
    if (errorCode(error) === "ELOOP") throw new UnsafePathError(path, "is a symbolic link, which is not followed");
    throw error;
  }
  try {
    const stats = fstatSync2(fd);
    if (!stats.isFile()) throw new UnsafePathError(path, "is not a regular file");
    return { fd, size: stats.size, stats };
  } catch (error) {
    closeSync3(fd);
    throw error;
  }
}
function readRegular(path, limit = {}) {
  const { fd, size, stats } = openRegular(path);
  try {
    const want = Math.min(size, limit.maxBytes ?? Infinity);
    const bytes = Buffer.allocUnsafe(want);
    const start = limit.tail === true ? size - want : 0;
    let got = 0;
    while (got < want) {
      const n = readSync(fd, bytes, got, want - got, start + got);
      if (n === 0) break;
      got += n;
    }
    return { bytes: bytes.subarray(0, got), size, stats };
  } finally {
    closeSync3(fd);
  }
}

// src/engine/leaf-lines.ts
import { lstatSync as lstatSync4 } from "node:fs";

// src/flows/flows.ts
function flowId(index, total) {
  return `flow_${String(index + 1).padStart(Math.max(4, String(total).length), "0")}`;
}

// src/engine/leaf-lines.ts
var indexLine = (id, prints, stamp) => JSON.stringify({ id, fp: prints, st: stamp });
var FINGERPRINT = /^[0-9a-f]{64}$/;
var FLOW_ID = /^flow_\d{1,12}$/;
var STAMP_LENGTH = 4;
var LINE_START = '{"id":"';
var PRINTS_START = '","fp":[';
var STAMP_START = '],"st":[';
var PRINT_CHARS = 64 + 3;
function stampOf(runDir, flowId2) {
  const flowDir = `${runDir}/${flowId2}`;
  const dir = lstatSync4(flowDir, { throwIfNoEntry: false });
  if (dir?.isDirectory() !== true) return void 0;
  const leaf = lstatSync4(`${flowDir}/result.json`, { throwIfNoEntry: false });
  if (leaf?.isFile() !== true) return void 0;
  return [dir.size, dir.mtimeMs, leaf.size, leaf.mtimeMs];
}
function parseIndex(text, steps, range, spans) {
  const lines = new Array(range.to - range.from).fill(void 0);
  const idLength = flowId(0, range.total).length;
  const place = (id, line, start, end) => {
    const index = Number(id.slice("flow_".length)) - 1;
    if (index < range.from || index >= range.to || id.length !== idLength) return;
    lines[index - range.from] = line;
    if (spans === void 0) return;
    spans[2 * (index - range.from)] = start;
    spans[2 * (index - range.from) + 1] = end;
  };
  for (let at = 0; at < text.length; ) {
    let end = text.indexOf("\n", at);
    if (end < 0) end = text.length;
    const line = text.slice(at, end);
    const start = at;
    at = end + 1;
    if (line === "") continue;
    const id = canonicalId(line, steps);
    if (id !== void 0) place(id, line, start, end);
    else {
      const parsed = parseLine(line, steps);
      if (parsed !== void 0) place(parsed.id, indexLine(parsed.id, parsed.fp, parsed.st), -1, -1);
    }
  }
  return lines;
}
function stampMatches(runDir, flowId2, line, steps) {
  const stamp = stampOf(runDir, flowId2);
  if (stamp === void 0) return false;
  const end = `${STAMP_START}${stamp.join(",")}]}`;
  return line.length === printAt(flowId2, steps) - 1 + end.length && line.endsWith(end);
}
function indexLayout(text) {
  let layout;
  let flows = 0;
  for (let at = 0; at < text.length; ) {
    let end = text.indexOf("\n", at);
    if (end < 0) end = text.length;
    const idEnd = text.startsWith(LINE_START, at) ? text.indexOf('"', at + LINE_START.length) : -1;
    if (idEnd > 0 && idEnd < end) {
      const id = text.slice(at + LINE_START.length, idEnd);
      if (layout === void 0 && FLOW_ID.test(id)) {
        const steps = printCount(text.slice(at, end), id);
        if (steps !== void 0) layout = { steps, width: id.length };
      }
      if (layout !== void 0 && id.length === layout.width && FLOW_ID.test(id)) flows = Math.max(flows, Number(id.slice("flow_".length)));
    }
    at = end + 1;
  }
  return layout === void 0 || flows === 0 ? void 0 : { ...layout, flows };
}
function printCount(line, id) {
  for (let steps = 1; printAt(id, steps) <= line.length; steps++) if (canonicalId(line, steps) === id) return steps;
  return void 0;
}
var printAt = (flowId2, i) => LINE_START.length + flowId2.length + PRINTS_START.length + i * PRINT_CHARS;
function canonicalId(line, steps) {
  if (!line.startsWith(LINE_START)) return void 0;
  const idEnd = line.indexOf('"', LINE_START.length);
  if (idEnd < 0) return void 0;
  const id = line.slice(LINE_START.length, idEnd);
  if (!FLOW_ID.test(id) || !line.startsWith(PRINTS_START, idEnd)) return void 0;
  for (let i = 0; i < steps; i++) {
    const at = printAt(id, i);
    if (line[at] !== '"' || line[at + 65] !== '"' || line[at + 66] !== (i + 1 < steps ? "," : "]")) return void 0;
  }
  return line.startsWith(STAMP_START, printAt(id, steps) - 1) && line.endsWith("]}") ? id : void 0;
}
function parseLine(line, steps) {
  let value;
  try {
    value = JSON.parse(line);
  } catch {
    return void 0;
  }
  const { id, fp, st } = value ?? {};
  if (typeof id !== "string" || !FLOW_ID.test(id)) return void 0;
  if (!Array.isArray(fp) || fp.length !== steps || !fp.every((f) => typeof f === "string" && FINGERPRINT.test(f))) return void 0;
  if (!Array.isArray(st) || st.length !== STAMP_LENGTH || !st.every((n) => typeof n === "number")) return void 0;
  return { id, fp, st };
}
var lineId = (line) => line.slice(LINE_START.length, line.indexOf('"', LINE_START.length));

// src/engine/leaf-checks.ts
var FREE = 0;
var TAKEN = 1;
var DONE = 2;
var BATCH = 2048;
function sharedChecks(flows) {
  const batches = Math.max(Math.ceil(flows / BATCH), 1);
  return {
    taken: new Int32Array(new SharedArrayBuffer(4 * batches)),
    spans: new Int32Array(new SharedArrayBuffer(8 * flows)),
    held: new Uint8Array(new SharedArrayBuffer(flows)),
    parsed: new Int32Array(new SharedArrayBuffer(4))
  };
}
function checkLines(setup2, done2) {
  const { shared, text } = setup2;
  const { spans } = shared;
  while (Atomics.load(shared.parsed, 0) === 0) Atomics.wait(shared.parsed, 0, 0);
  const lines = spans.some((at) => at < 0) ? parseIndex(text, setup2.steps, setup2) : void 0;
  const lineOf = (k) => lines !== void 0 ? lines[k] : spans[2 * k] === spans[2 * k + 1] ? void 0 : text.slice(spans[2 * k], spans[2 * k + 1]);
  for (let from = setup2.from, batch = 0; from < setup2.to; from += BATCH, batch++) {
    if (Atomics.compareExchange(shared.taken, batch, FREE, TAKEN) !== FREE) continue;
    checkBatch(setup2, lineOf, from);
    done2(from);
  }
}
function checkBatch(setup2, lineOf, from) {
  const { held, taken } = setup2.shared;
  const to = Math.min(from + BATCH, setup2.to);
  for (let k = from - setup2.from; k < to - setup2.from; k++) {
    const line = lineOf(k);
    held[k] = line !== void 0 && stampMatches(setup2.runDir, lineId(line), line, setup2.steps) ? 1 : 0;
  }
  Atomics.store(taken, (from - setup2.from) / BATCH, DONE);
}

// src/results/paths.ts
var MAX_RUN_ID_LENGTH = 100;
var RUN_ID_RULE = `use letters, digits, ".", "_" and "-" only, at most ${MAX_RUN_ID_LENGTH} characters (with the run_ prefix)`;

// src/engine/early-checks.ts
var MAX_INDEX_BYTES = 512 * 1024 * 1024;
function readIndexFile(path) {
  try {
    const { bytes, size, stats } = readRegular(path, { maxBytes: MAX_INDEX_BYTES });
    return bytes.length < size ? void 0 : { text: bytes.toString("utf8"), stamp: fileStamp(stats) };
  } catch {
    return void 0;
  }
}
var fileStamp = (s) => `${s.dev}:${s.ino}:${s.size}:${s.mtimeMs}:${s.ctimeMs}`;
var MAX_EARLY_FLOWS = 1e7;
function checkEarly(setup2, done2) {
  const tell = (found) => {
    setup2.port.postMessage(found);
    Atomics.store(setup2.told, 0, 1);
    Atomics.notify(setup2.told, 0);
  };
  let file;
  let layout;
  let shared;
  try {
    file = readIndexFile(setup2.path);
    layout = file === void 0 ? void 0 : indexLayout(file.text);
    if (file === void 0 || layout === void 0 || layout.flows > MAX_EARLY_FLOWS) return tell({ none: true });
    shared = sharedChecks(layout.flows);
  } catch {
    return tell({ none: true });
  }
  tell({ ...layout, stamp: file.stamp, shared });
  const digits = layout.width - "flow_".length;
  const range = { from: 0, to: layout.flows, total: digits > 4 ? 10 ** (digits - 1) : 1 };
  try {
    parseIndex(file.text, layout.steps, range, shared.spans);
  } finally {
    Atomics.store(shared.parsed, 0, 1);
  }
  checkLines({ text: file.text, steps: layout.steps, runDir: setup2.runDir, ...range, shared }, done2);
}

// src/engine/leaf-check-worker.ts
var setup = workerData;
var done = (from) => parentPort.postMessage(from);
if ("path" in setup) checkEarly(setup, done);
else checkLines(setup, done);
