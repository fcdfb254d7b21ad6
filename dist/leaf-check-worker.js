import { createRequire as __orchestratorRequire } from 'node:module';
const require = __orchestratorRequire(import.meta.url);

// src/engine/leaf-check-worker.ts
import { parentPort, workerData } from "node:worker_threads";

// src/engine/leaf-lines.ts
import { lstatSync } from "node:fs";

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
  const dir = lstatSync(flowDir, { throwIfNoEntry: false });
  if (dir?.isDirectory() !== true) return void 0;
  const leaf = lstatSync(`${flowDir}/result.json`, { throwIfNoEntry: false });
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
function checkLines(setup, done) {
  const { shared, text } = setup;
  const { spans } = shared;
  while (Atomics.load(shared.parsed, 0) === 0) Atomics.wait(shared.parsed, 0, 0);
  const lines = spans.some((at) => at < 0) ? parseIndex(text, setup.steps, setup) : void 0;
  const lineOf = (k) => lines !== void 0 ? lines[k] : spans[2 * k] === spans[2 * k + 1] ? void 0 : text.slice(spans[2 * k], spans[2 * k + 1]);
  for (let from = setup.from, batch = 0; from < setup.to; from += BATCH, batch++) {
    if (Atomics.compareExchange(shared.taken, batch, FREE, TAKEN) !== FREE) continue;
    checkBatch(setup, lineOf, from);
    done(from);
  }
}
function checkBatch(setup, lineOf, from) {
  const { held, taken } = setup.shared;
  const to = Math.min(from + BATCH, setup.to);
  for (let k = from - setup.from; k < to - setup.from; k++) {
    const line = lineOf(k);
    held[k] = line !== void 0 && stampMatches(setup.runDir, lineId(line), line, setup.steps) ? 1 : 0;
  }
  Atomics.store(taken, (from - setup.from) / BATCH, DONE);
}

// src/engine/leaf-check-worker.ts
checkLines(workerData, (from) => parentPort.postMessage(from));
