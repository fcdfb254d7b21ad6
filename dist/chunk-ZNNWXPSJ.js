import { createRequire as __orchestratorRequire } from 'node:module';
const require = __orchestratorRequire(import.meta.url);
import {
  publicEnv
} from "./chunk-5BV6RGVG.js";
import {
  CancelledError,
  StepError
} from "./chunk-WJ4T7FWF.js";

// src/steps/limits.ts
var DEFAULT_MAX_OUTPUT_BYTES = 64 * 1024 * 1024;
function maxOutputBytes(env = process.env) {
  const fromEnv = Number(env.ORCHESTRATOR_MAX_OUTPUT_BYTES);
  return env.ORCHESTRATOR_MAX_OUTPUT_BYTES && Number.isSafeInteger(fromEnv) && fromEnv > 0 ? fromEnv : DEFAULT_MAX_OUTPUT_BYTES;
}
function formatBytes(bytes) {
  for (const [unit, size] of [
    ["GiB", 2 ** 30],
    ["MiB", 2 ** 20],
    ["KiB", 2 ** 10]
  ]) {
    if (bytes >= size && bytes % size === 0) return `${bytes / size} ${unit}`;
  }
  return `${bytes} bytes`;
}

// src/steps/retry.ts
function defaultRetryPolicy(retries, env = {}) {
  const base = Number(env.ORCHESTRATOR_RETRY_BASE_MS);
  return { retries, baseMs: base >= 0 && env.ORCHESTRATOR_RETRY_BASE_MS ? base : 1e3, maxMs: 12e4 };
}
var MAX_TIMER_MS = 2 ** 31 - 1;
function retryAfterMs(headers, now = Date.now()) {
  const ms = Number(headers?.get("retry-after-ms") ?? NaN);
  if (Number.isFinite(ms) && ms >= 0) return Math.min(ms, MAX_TIMER_MS);
  const value = headers?.get("retry-after");
  if (value == null || value.trim() === "") return void 0;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.min(seconds * 1e3, MAX_TIMER_MS);
  const date = Date.parse(value);
  return Number.isNaN(date) ? void 0 : Math.min(Math.max(0, date - now), MAX_TIMER_MS);
}
function backoffMs(attempt, policy, serverAskedMs, random = Math.random) {
  if (serverAskedMs !== void 0) return Math.min(policy.maxMs, serverAskedMs + random() * Math.min(1e3, policy.baseMs));
  const exponential = Math.min(policy.maxMs, policy.baseMs * 2 ** (attempt - 1));
  return exponential / 2 + random() * exponential / 2;
}
function abortReason(signal) {
  const reason = signal?.reason;
  return reason instanceof Error ? reason : new Error(typeof reason === "string" ? reason : "aborted");
}
function sleep(ms, signal) {
  return new Promise((resolve2, reject) => {
    if (signal?.aborted) return reject(abortReason(signal));
    const timer = setTimeout(
      () => {
        signal?.removeEventListener("abort", onAbort);
        resolve2();
      },
      Math.min(ms, MAX_TIMER_MS)
    );
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortReason(signal));
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

// src/steps/cmd.ts
import { join as join3 } from "node:path";

// src/steps/env.ts
function childEnv(base) {
  return publicEnv(base);
}
function stepEnv(flowId, branch, runDir) {
  return { ORCHESTRATOR_FLOW_ID: flowId, ORCHESTRATOR_BRANCH: branch.join("."), ORCHESTRATOR_RUN_DIR: runDir };
}

// src/steps/pipe-holders.ts
import { readdirSync as readdirSync2, readFileSync as readFileSync2, readlinkSync } from "node:fs";

// src/steps/sweep.ts
import { randomBytes } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
var TAG_VARIABLE = "ORCHESTRATOR_PROCESS_TAG";
var RUN_TAG = `${process.pid}.${randomBytes(6).toString("hex")}`;
var sequence = 0;
function runTag() {
  return RUN_TAG;
}
function newProcessTag() {
  return `${RUN_TAG}.${++sequence}`;
}
function killTagged(tag) {
  return killMatching(tagMatcher(tag));
}
function killTaggedUnder(runTag2) {
  return killMatching(underMatcher(runTag2));
}
function killMatching(tagged) {
  let pids;
  try {
    pids = readdirSync("/proc").filter((name) => /^\d+$/.test(name) && Number(name) !== process.pid);
  } catch {
    return [];
  }
  const killed = [];
  for (const pid of pids) {
    if (!tagged(Number(pid))) continue;
    try {
      process.kill(Number(pid), "SIGKILL");
      killed.push(Number(pid));
    } catch {
    }
  }
  return killed;
}
function carriesTag(pid, tag) {
  return tagMatcher(tag)(pid);
}
function tagMatcher(tag) {
  return tag === void 0 ? underMatcher(RUN_TAG) : matcher(Buffer.from(`\0${TAG_VARIABLE}=${tag}\0`));
}
function underMatcher(runTag2) {
  return matcher(Buffer.from(`\0${TAG_VARIABLE}=${runTag2}.`));
}
function matcher(needle) {
  const first = needle.subarray(1);
  return (pid) => {
    let environ;
    try {
      environ = readFileSync(`/proc/${pid}/environ`);
    } catch {
      return false;
    }
    return environ.includes(needle) || environ.subarray(0, first.length).equals(first);
  };
}

// src/steps/pipe-holders.ts
var PIPE = /^(?:socket|pipe):\[\d+\]$/;
function pipeEnds(pid) {
  const ends = /* @__PURE__ */ new Set();
  for (const fd of ["1", "2"]) {
    const end = link(pid, fd);
    if (end !== void 0 && PIPE.test(end)) ends.add(end);
  }
  if (ends.size === 2) return ends;
  const others = /* @__PURE__ */ new Set([link(pid, "0"), ...inheritedLinks()]);
  for (let look = 0; look < 3 && ends.size < 2; look++) {
    for (const end of links(String(pid), 1)) if (PIPE.test(end) && !others.has(end)) ends.add(end);
  }
  return ends;
}
var ownLinks;
function inheritedLinks() {
  return ownLinks ??= links("self");
}
function link(pid, fd) {
  try {
    return readlinkSync(`/proc/${pid}/fd/${fd}`);
  } catch {
    return void 0;
  }
}
function links(pid, from = 0) {
  let fds;
  try {
    fds = readdirSync2(`/proc/${pid}/fd`);
  } catch {
    return [];
  }
  const found = [];
  for (const fd of fds) {
    if (Number(fd) < from) continue;
    try {
      found.push(readlinkSync(`/proc/${pid}/fd/${fd}`));
    } catch {
    }
  }
  return found;
}
function pipeHolders(ends, group, tag) {
  let pids;
  try {
    pids = readdirSync2("/proc").filter((name) => /^\d+$/.test(name) && Number(name) !== process.pid);
  } catch {
    return [];
  }
  const holders = [];
  for (const pid of pids) {
    const holds = ends.size > 0 ? holdsOneOf(pid, ends) : holdsStdioPipe(pid);
    if (holds && processGroup(pid) !== group && carriesTag(Number(pid), tag)) holders.push({ pid: Number(pid), command: commandOf(pid) });
  }
  return holders;
}
function holdsOneOf(pid, ends) {
  let fds;
  try {
    fds = readdirSync2(`/proc/${pid}/fd`);
  } catch {
    return false;
  }
  for (const fd of fds) {
    try {
      if (ends.has(readlinkSync(`/proc/${pid}/fd/${fd}`))) return true;
    } catch {
    }
  }
  return false;
}
function holdsStdioPipe(pid) {
  return ["1", "2"].some((fd) => {
    const end = link(Number(pid), fd);
    return end !== void 0 && PIPE.test(end) && !inheritedLinks().includes(end);
  });
}
function processGroup(pid) {
  try {
    const stat = readFileSync2(`/proc/${pid}/stat`, "utf8");
    return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[2]);
  } catch {
    return void 0;
  }
}
function commandOf(pid) {
  try {
    const command = readFileSync2(`/proc/${pid}/cmdline`, "utf8").replace(/\0+$/, "").replaceAll("\0", " ");
    if (command !== "") return command.length > 200 ? `${command.slice(0, 200)}\u2026` : command;
  } catch {
  }
  try {
    return readFileSync2(`/proc/${pid}/comm`, "utf8").trim();
  } catch {
    return "?";
  }
}

// src/steps/pipe-watch.ts
var PIPE_GRACE_MS = 1e3;
var FORCED_LOOKS = 50;
function describeHolders(holders) {
  return holders.map((h) => `pid ${h.pid} (${h.command})`).join(", ");
}
function heldPipesNote(holders, unseen) {
  if (holders.length > 0) {
    return `
orchestrator: the command had exited, but ${holders.length === 1 ? "a process" : "processes"} it started outside its process group still held its stdout/stderr open ${PIPE_GRACE_MS} ms later: killed ${describeHolders(holders)}; what was written before was read to the end
`;
  }
  if (unseen) {
    return `
orchestrator: the command had exited, but its stdout/stderr were still held open ${PIPE_GRACE_MS} ms later by a process that could not be found (no /proc, or not visible to this user): read what had been written, then stopped reading them
`;
  }
  return "";
}
var PipeWatch = class {
  constructor(child, ends, group, tag, finished) {
    this.child = child;
    this.ends = ends;
    this.group = group;
    this.tag = tag;
    this.finished = finished;
  }
  child;
  ends;
  group;
  tag;
  finished;
  /** The processes found holding the pipes, killed. */
  holders = [];
  /** The pipes were closed from this side while something no /proc scan found held them. */
  unseen = false;
  /** Every holder found, whether the kill worked or not: each is tried once. */
  tried = /* @__PURE__ */ new Set();
  timer;
  immediate;
  watching = false;
  /** Called when the pipes are closed from this side: the step ran past its time or was interrupted. */
  onForced;
  forced = false;
  forcedLooks = 0;
  /** The program exited: look at the pipes PIPE_GRACE_MS from now, and every PIPE_GRACE_MS after. */
  watch() {
    this.watching = true;
    this.schedule(PIPE_GRACE_MS);
  }
  /**
   * The step timed out or was interrupted: once the program is gone, close the pipes at the next
   * look even while a hidden process still writes to them; `onForced` is called if they are.
   */
  stopWaiting(onForced) {
    this.forced = true;
    this.onForced = onForced;
    if (this.watching) this.schedule(0);
  }
  dispose() {
    clearTimeout(this.timer);
    if (this.immediate !== void 0) clearImmediate(this.immediate);
  }
  schedule(ms) {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      const before = this.bytesRead();
      this.immediate = setImmediate(() => this.look(before));
    }, ms);
  }
  look(before) {
    if (this.finished() || this.ended()) return;
    const found = pipeHolders(this.ends, this.group, this.tag).filter((h) => !this.tried.has(h.pid));
    for (const holder of found) {
      this.tried.add(holder.pid);
      try {
        process.kill(holder.pid, "SIGKILL");
        this.holders.push(holder);
      } catch {
      }
    }
    if (found.length > 0) return this.schedule(PIPE_GRACE_MS);
    if (this.bytesRead() !== before) {
      if (!this.forced) return this.schedule(PIPE_GRACE_MS);
      if (this.forcedLooks++ < FORCED_LOOKS) return this.schedule(0);
    }
    this.unseen ||= this.holders.length === 0;
    if (this.forced) this.onForced?.();
    this.child.stdout?.destroy();
    this.child.stderr?.destroy();
  }
  bytesRead() {
    return this.pipes().reduce((sum, pipe) => sum + pipe.bytesRead, 0);
  }
  /** Both pipes reached end of file (their `close`, and the child's, follow). */
  ended() {
    return this.pipes().every((pipe) => pipe.readableEnded || pipe.destroyed);
  }
  /** Node's stdio pipes are sockets: `bytesRead` counts what was read from them. */
  pipes() {
    return [this.child.stdout, this.child.stderr].filter((pipe) => pipe !== null);
  }
};

// src/steps/spawner.ts
import { fork } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join as join2 } from "node:path";
import { fileURLToPath } from "node:url";

// src/steps/cgroup.ts
import { randomBytes as randomBytes2 } from "node:crypto";
import { accessSync, constants, mkdirSync, readdirSync as readdirSync3, readFileSync as readFileSync3, rmdirSync, statSync, writeFileSync } from "node:fs";
import { delimiter, isAbsolute, join, resolve } from "node:path";
var runCgroup;
var sequence2 = 0;
var owner = process.pid;
var idle = [];
function ownCgroupDir() {
  try {
    const own = /^0::(\/.*)$/m.exec(readFileSync3("/proc/self/cgroup", "utf8"))?.[1];
    if (own === void 0) return void 0;
    for (const line of readFileSync3("/proc/self/mountinfo", "utf8").split("\n")) {
      const [fields = "", fsType] = line.split(" - ");
      if (fsType?.split(" ")[0] !== "cgroup2") continue;
      const [root, mountPoint] = fields.split(" ").slice(3, 5).map((field) => field.replace(/\\([0-7]{3})/g, (_, octal) => String.fromCharCode(parseInt(octal, 8))));
      if (root === void 0 || mountPoint === void 0) continue;
      const inMount = root === "/" ? own : own.startsWith(`${root}/`) || own === root ? own.slice(root.length) : void 0;
      if (inMount === void 0) continue;
      const dir = join(mountPoint, inMount);
      if (statSync(join(dir, "cgroup.procs")).isFile()) return dir;
    }
  } catch {
  }
  return void 0;
}
function theRunCgroup() {
  if (runCgroup !== void 0) return runCgroup;
  runCgroup = null;
  const own = ownCgroupDir();
  if (own === void 0) return null;
  const dir = join(own, `orchestrator.${owner}.${randomBytes2(4).toString("hex")}`);
  try {
    accessSync(join(own, "cgroup.procs"), constants.W_OK);
    mkdirSync(dir);
    accessSync(join(dir, "cgroup.procs"), constants.W_OK);
    runCgroup = dir;
  } catch {
    removeCgroup(dir);
    return null;
  }
  removeAbandoned(own);
  return runCgroup;
}
function removeAbandoned(own) {
  let names;
  try {
    names = readdirSync3(own);
  } catch {
    return;
  }
  for (const name of names) {
    const owner2 = /^orchestrator\.(\d+)\.[0-9a-f]+$/.exec(name)?.[1];
    if (owner2 === void 0 || isAlive(Number(owner2))) continue;
    removeCgroup(join(own, name));
  }
}
function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === "EPERM";
  }
}
function newStepCgroup() {
  for (let reused = idle.pop(); reused !== void 0; reused = idle.pop()) if (isEmpty(reused)) return reused;
  for (let attempt = 0; attempt < 2; attempt++) {
    const run = theRunCgroup();
    if (run === null) return void 0;
    const dir = join(run, `step.${++sequence2}`);
    try {
      mkdirSync(dir);
      return dir;
    } catch (error) {
      if (error.code !== "ENOENT") return void 0;
      runCgroup = void 0;
    }
  }
  return void 0;
}
function spawnInCgroup(cgroup, file, args, cwd, env) {
  if (file === "sh" && args.length === 2 && args[0] === "-c") {
    return { file, args: ["-c", `${FOLDED_MOVE}${args[1]}`, "sh"], env: { [CGROUP_VARIABLE]: cgroup } };
  }
  const program = findProgram(file, cwd, env.PATH);
  if (program === void 0) return { error: `spawn ${file} ENOENT` };
  const move = `echo 0 >"$0/cgroup.procs" || { echo "orchestrator: could not move the step into its cgroup $0" >&2; exit 126; }; exec "$@"`;
  return { file: "/bin/sh", args: ["-c", move, cgroup, program, ...args] };
}
var CGROUP_VARIABLE = "ORCHESTRATOR_STEP_CGROUP";
var FOLDED_MOVE = `{ echo 0 >"$${CGROUP_VARIABLE}/cgroup.procs" || { echo "orchestrator: could not move the step into its cgroup $${CGROUP_VARIABLE}" >&2; exit 126; }; unset ${CGROUP_VARIABLE}; }; `;
function findProgram(file, cwd, path) {
  const candidates = file.includes("/") ? [resolve(cwd, file)] : (path ?? "/usr/bin:/bin").split(delimiter).map((entry) => isAbsolute(entry) ? join(entry, file) : resolve(cwd, entry || ".", file));
  return candidates.find(isExecutableFile);
}
function isExecutableFile(path) {
  try {
    if (statSync(path, { throwIfNoEntry: false })?.isFile() !== true) return false;
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
function leaveStepCgroup(cgroup, end) {
  if (end) endCgroup(cgroup);
  else if (runCgroup === join(cgroup, "..")) idle.push(cgroup);
  else removeCgroup(cgroup);
}
function runCgroupDir() {
  return typeof runCgroup === "string" ? runCgroup : void 0;
}
function endRunCgroup() {
  idle.length = 0;
  if (typeof runCgroup !== "string") return;
  endCgroup(runCgroup);
  runCgroup = void 0;
}
function isEmpty(dir) {
  try {
    return !populated(dir) && /^nr_descendants 0$/m.test(readFileSync3(join(dir, "cgroup.stat"), "utf8"));
  } catch {
    return false;
  }
}
var KILL_WAIT_MS = 2e3;
var pause = new Int32Array(new SharedArrayBuffer(4));
function endCgroup(dir, killFile = true) {
  const deadline = Date.now() + KILL_WAIT_MS;
  for (; ; ) {
    kill(dir, killFile);
    if (!populated(dir) || Date.now() > deadline) break;
    Atomics.wait(pause, 0, 0, 5);
  }
  removeCgroup(dir);
}
function kill(dir, killFile) {
  try {
    if (killFile) {
      writeFileSync(join(dir, "cgroup.kill"), "1");
      return;
    }
  } catch {
  }
  for (const cgroup of [dir, ...children(dir)]) {
    let pids;
    try {
      pids = readFileSync3(join(cgroup, "cgroup.procs"), "utf8").split("\n").filter(Boolean);
    } catch {
      continue;
    }
    for (const pid of pids) {
      try {
        process.kill(Number(pid), "SIGKILL");
      } catch {
      }
    }
  }
}
function populated(dir) {
  try {
    return /^populated 1$/m.test(readFileSync3(join(dir, "cgroup.events"), "utf8"));
  } catch {
    return false;
  }
}
function children(dir) {
  let names;
  try {
    names = readdirSync3(dir, { withFileTypes: true }).filter((entry) => entry.isDirectory()).map((entry) => entry.name);
  } catch {
    return [];
  }
  return names.flatMap((name) => [join(dir, name), ...children(join(dir, name))]);
}
function removeCgroup(dir) {
  for (const cgroup of [dir, ...children(dir)].reverse()) {
    try {
      rmdirSync(cgroup);
    } catch {
    }
  }
}

// src/steps/process.ts
import { spawn } from "node:child_process";

// src/steps/process-output.ts
import { StringDecoder } from "node:string_decoder";
var STDERR_TAIL = 4096;
function heldBy(stream, sink) {
  const backlog = sink.backlog;
  if (backlog === void 0 || !backlog.full()) return;
  stream.pause();
  void backlog.drained().then(() => stream.resume());
}
var OutputCollector = class {
  constructor(sinks) {
    this.sinks = sinks;
  }
  sinks;
  cap = maxOutputBytes();
  chunks = [];
  captured = 0;
  stdoutBytes = 0;
  overCap = false;
  decoder = new StringDecoder("utf8");
  lineBuffer = "";
  stderrTail = Buffer.alloc(0);
  attach(child) {
    const { stdout, stderr } = child;
    stdout?.on("data", (chunk) => {
      this.onStdout(chunk);
      heldBy(stdout, this.sinks.stdout);
    });
    stderr?.on("data", (chunk) => {
      this.sinks.stderr.write(chunk);
      this.stderrTail = Buffer.concat([this.stderrTail, chunk.subarray(-STDERR_TAIL)]).subarray(-STDERR_TAIL);
      heldBy(stderr, this.sinks.stderr);
    });
  }
  /** Passes on the last line, when stdout did not end with a newline. */
  flushLines() {
    if (!this.sinks.onStdoutLine) return;
    this.lineBuffer += this.decoder.end();
    if (this.lineBuffer !== "") this.sinks.onStdoutLine(this.lineBuffer);
  }
  result() {
    return {
      stdout: this.overCap ? Buffer.alloc(0) : Buffer.concat(this.chunks),
      stdoutBytes: this.stdoutBytes,
      stdoutCap: this.overCap ? this.cap : void 0,
      stderrTail: this.stderrTail.toString("utf8")
    };
  }
  onStdout(chunk) {
    this.sinks.stdout.write(chunk);
    this.stdoutBytes += chunk.length;
    if (this.sinks.captureStdout && !this.overCap) {
      if (this.captured + chunk.length > this.cap) this.overCap = true;
      else {
        this.chunks.push(chunk);
        this.captured += chunk.length;
      }
    }
    const onLine = this.sinks.onStdoutLine;
    if (onLine) {
      this.lineBuffer += this.decoder.write(chunk);
      let newline;
      while ((newline = this.lineBuffer.indexOf("\n")) >= 0) {
        onLine(this.lineBuffer.slice(0, newline));
        this.lineBuffer = this.lineBuffer.slice(newline + 1);
      }
      if (this.lineBuffer.length > this.cap) this.lineBuffer = "";
    }
  }
};

// src/util/young-generation.ts
import { getHeapSpaceStatistics, setFlagsFromString } from "node:v8";
var YOUNG_MAX_BYTES = 32 * 1024 * 1024;
var SPAWNING_YOUNG_MAX_BYTES = 8 * 1024 * 1024;
function holdYoungGeneration(maxBytes = YOUNG_MAX_BYTES) {
  if (held) return;
  const young = getHeapSpaceStatistics().find((space) => space.space_name === "new_space");
  if (young === void 0 || young.space_size * 2 <= maxBytes) return;
  held = true;
  setFlagsFromString("--semi-space-growth-factor=1");
}
var held = false;
var OLD_GROWING_PERCENT = 25;
function holdOldGeneration() {
  if (oldHeld) return;
  oldHeld = true;
  setFlagsFromString(`--heap-growing-percent=${OLD_GROWING_PERCENT}`);
}
var oldHeld = false;
function releaseOldGeneration() {
  if (!oldHeld) return;
  oldHeld = false;
  setFlagsFromString("--heap-growing-percent=0");
}

// src/steps/process.ts
var running = /* @__PURE__ */ new Set();
var onKillAll = [];
function trackGroup(pid) {
  running.add(pid);
}
function untrackGroup(pid) {
  running.delete(pid);
}
function alsoOnKillAll(end) {
  onKillAll.push(end);
}
function killGraceMs() {
  const fromEnv = Number(process.env.ORCHESTRATOR_KILL_GRACE_MS);
  return Number.isFinite(fromEnv) && fromEnv >= 0 && process.env.ORCHESTRATOR_KILL_GRACE_MS ? fromEnv : 5e3;
}
function signalGroup(pid, signal) {
  try {
    process.kill(-pid, signal);
  } catch {
  }
}
function killAllProcessTrees() {
  for (const pid of running) signalGroup(pid, "SIGKILL");
  for (const end of onKillAll) end();
  endRunCgroup();
  killTagged();
}
async function runProcess(request, launch) {
  holdYoungGeneration(SPAWNING_YOUNG_MAX_BYTES);
  const tag = newProcessTag();
  const cgroup = newStepCgroup();
  const started = startStep(request, tag, cgroup, launch);
  const child = started instanceof Promise ? await started : started;
  if (typeof child === "string") {
    if (cgroup !== void 0) leaveStepCgroup(cgroup, true);
    await endStreams(request);
    return notStarted(child);
  }
  const ends = child.ends ?? (child.pid === void 0 ? /* @__PURE__ */ new Set() : pipeEnds(child.pid));
  let startError;
  let finished = false;
  const closed = new Promise((resolve2) => {
    child.once("error", (error) => startError ??= error);
    child.once("close", (code, signal) => {
      finished = true;
      resolve2({ code, signal });
    });
  });
  child.stdin?.on("error", () => void 0);
  child.stdin?.end(request.input);
  const pid = child.pid;
  if (pid !== void 0) {
    running.add(pid);
    request.onSpawn?.(pid);
  }
  const pipes = new PipeWatch(child, ends, pid ?? 0, tag, () => finished);
  const output = new OutputCollector(request);
  output.attach(child);
  const stop = new Stop(pid, pipes, request, () => finished);
  child.once("exit", () => {
    stop.exited();
    if (pid !== void 0) signalGroup(pid, "SIGKILL");
    pipes.watch();
  });
  try {
    const { code, signal } = await closed;
    const { holders, unseen } = pipes;
    const pipesHeld = holders.length > 0 || unseen;
    const { timedOut, cancelled } = stop;
    const sweep = request.sweep || timedOut || cancelled || pipesHeld;
    if (cgroup !== void 0) leaveStepCgroup(cgroup, sweep);
    if (sweep) killTagged(tag);
    output.flushLines();
    const note = heldPipesNote(holders, unseen);
    if (note !== "") request.stderr.write(note);
    const started2 = pid !== void 0;
    return {
      exitCode: started2 ? code ?? void 0 : void 0,
      signal: started2 ? signal ?? void 0 : void 0,
      ...output.result(),
      timedOut,
      cancelled,
      spawnError: !started2 && startError !== void 0 && !timedOut && !cancelled ? startError.message : void 0,
      pipesHeld,
      holders
    };
  } finally {
    stop.dispose();
    pipes.dispose();
    if (pid !== void 0) running.delete(pid);
    await endStreams(request);
  }
}
function stepCommand(request, tag, cgroup) {
  const command = cgroup === void 0 ? { file: request.file, args: [...request.args] } : spawnInCgroup(cgroup, request.file, request.args, request.cwd, request.env);
  if ("error" in command) return command.error;
  const env = { ...request.env, ..."env" in command ? command.env : void 0, [TAG_VARIABLE]: tag };
  return { file: command.file, args: command.args, env };
}
function startStep(request, tag, cgroup, launch) {
  const command = stepCommand(request, tag, cgroup);
  if (typeof command === "string") return command;
  if (launch === void 0 || hasNul(command, request.cwd)) return spawnStep(command, request.cwd);
  return launch({ ...command, cwd: request.cwd, input: request.input }).then((launched) => launched ?? spawnStep(command, request.cwd));
}
function spawnStep(command, cwd) {
  try {
    return spawn(command.file, command.args, { cwd, env: command.env, detached: true, stdio: ["pipe", "pipe", "pipe"] });
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}
function hasNul({ file, args, env }, cwd) {
  return [file, cwd, ...args, ...Object.keys(env), ...Object.values(env)].some((text) => text.includes("\0"));
}
function notStarted(spawnError) {
  return {
    exitCode: void 0,
    signal: void 0,
    stdout: Buffer.alloc(0),
    stdoutBytes: 0,
    stdoutCap: void 0,
    stderrTail: "",
    timedOut: false,
    cancelled: false,
    spawnError,
    pipesHeld: false,
    holders: []
  };
}
async function endStreams(request) {
  await Promise.all([request.stdout.end(), request.stderr.end()]);
}
var Stop = class {
  constructor(pid, pipes, request, finished) {
    this.pid = pid;
    this.pipes = pipes;
    this.request = request;
    this.timer = setTimeout(
      () => setImmediate(() => {
        if (finished()) return;
        if (!this.hasExited) this.timedOut = true;
        this.end();
        pipes.stopWaiting(() => this.timedOut = true);
      }),
      Math.min(request.timeoutMs, MAX_TIMER_MS)
    );
    if (request.signal.aborted) this.onAbort();
    request.signal.addEventListener("abort", this.onAbort, { once: true });
  }
  pid;
  pipes;
  request;
  timedOut = false;
  cancelled = false;
  hasExited = false;
  killTimer;
  timer;
  /** The program exited (by itself or killed): no SIGKILL is to follow. */
  exited() {
    this.hasExited = true;
    clearTimeout(this.killTimer);
  }
  dispose() {
    clearTimeout(this.timer);
    clearTimeout(this.killTimer);
    this.request.signal.removeEventListener("abort", this.onAbort);
  }
  onAbort = () => {
    this.cancelled = true;
    this.end();
    this.pipes.stopWaiting();
  };
  end() {
    const pid = this.pid;
    if (pid === void 0 || this.killTimer !== void 0 || this.hasExited) return;
    signalGroup(pid, "SIGTERM");
    this.killTimer = setTimeout(() => signalGroup(pid, "SIGKILL"), killGraceMs());
  }
};

// src/steps/launcher.ts
import { spawn as spawn2 } from "node:child_process";
import { EventEmitter } from "node:events";
import { constants as constants2 } from "node:os";

// src/steps/launcher-script.ts
var LAUNCHER_SCRIPT = String.raw`
my $tag = $ARGV[0];
# caught, not ignored: exec puts a caught signal back to its default (an ignored one would stay ignored)
$SIG{$_} = sub { } for qw(INT TERM HUP QUIT USR1 USR2 PIPE ALRM);
binmode STDIN; binmode STDOUT;
syswrite(STDOUT, pack('aNN', 'Y', 0, 0));
my ($in, %steps, %byfd, $cgroup, $rbits, $wbits) = ('');
my (%bypid, %wait_exec);
pipe(my $wake_r, my $wake_w) or die "pipe: $!";
$SIG{CHLD} = sub { syswrite($wake_w, 'x') };
sub emit { my ($t, $id, $d) = @_; my $b = pack('aNN', $t, $id, length $d) . $d;
  while (length $b) { my $n = syswrite(STDOUT, $b); if (!defined $n) { next if $!{EINTR} || $!{EAGAIN}; finish(); } substr($b, 0, $n) = ''; } }
sub watch { my ($fh, $id, $kind) = @_; $byfd{fileno $fh} = [$id, $kind, $fh]; }
sub start {
  my ($id, $p) = @_;
  my ($na, $ne, $sl, $il) = unpack('NNNN', $p);
  my @f = split /\0/, substr($p, 16, $sl), -1;
  my $input = substr($p, 16 + $sl, $il);
  my ($cwd, $file) = splice(@f, 0, 2);
  my @args = splice(@f, 0, $na);
  pipe(my $ir, my $iw) or return emit('F', $id, pack('N', $! + 0));
  pipe(my $or, my $ow) or return emit('F', $id, pack('N', $! + 0));
  pipe(my $er, my $ew) or return emit('F', $id, pack('N', $! + 0));
  pipe(my $xr, my $xw) or return emit('F', $id, pack('N', $! + 0));
  binmode $_ for $ir, $iw, $or, $ow, $er, $ew, $xr, $xw;
  # the program's environment is set here, before the fork: the child does as little as it can
  # before its exec (every page it writes is copied first)
  %ENV = map { my $i = index($_, '='); (substr($_, 0, $i), substr($_, $i + 1)) } @f;
  my $pid = fork();
  if (!defined $pid) { emit('F', $id, pack('N', $! + 0)); return; }
  if ($pid == 0) {
    setpgrp(0, 0);
    # a failed dup would leave the program on the launcher's own stdin/stdout (other steps' frames)
    if (open(STDIN, '<&', $ir) && open(STDOUT, '>&', $ow) && open(STDERR, '>&', $ew) && chdir $cwd) {
      no warnings; exec { $file } $file, @args;
    }
    syswrite($xw, pack('N', $! + 0));
    kill 'KILL', $$;
  }
  # waits for the exec (or its errno) before touching anything: what this process writes while the
  # child still shares its pages is copied, page by page
  # the exec (or the errno of its failure) is waited for in the loop below: blocking on it here
  # left every other step waiting while a busy machine got round to the child
  # the group from this side too: a kill before the child has run must find it
  setpgrp($pid, $pid);
  close $_ for $xw, $ir, $ow, $ew;
  my $s = $steps{$id} = { pid => $pid, input => $input, iw => $iw, open => 2 };
  $bypid{$pid} = $id;
  watch($or, $id, 'O'); watch($er, $id, 'E');
  $s->{out} = $or; $s->{err} = $er;
  $s->{xr} = $xr; $wait_exec{fileno $xr} = $id;
}
sub execd {
  my ($id) = @_;
  my $s = $steps{$id}; my $xr = delete $s->{xr}; delete $wait_exec{fileno $xr};
  my $errno = ''; sysread($xr, $errno, 4); close $xr;
  if (length $errno == 4) { $s->{failed} = 1; emit('F', $id, $errno); return; }
  emit('S', $id, pack('NNN', $s->{pid}, (stat $s->{out})[1], (stat $s->{err})[1]));
}
sub close_pipe { my ($fd) = @_; my ($id, $kind, $fh) = @{delete $byfd{$fd}}; close $fh; my $s = $steps{$id};
  emit(lc $kind, $id, '') unless $s->{failed}; $s->{open}--; done($id); }
sub done { my ($id) = @_; my $s = $steps{$id}; delete $steps{$id} if $s->{open} == 0 && exists $s->{status}; }
sub reap {
  while ((my $pid = waitpid(-1, 1)) > 0) { # WNOHANG
    my $id = delete $bypid{$pid}; next unless defined $id;
    my $s = $steps{$id}; $s->{status} = $?;
    execd($id) if $s->{xr};
    # its exit is told at once, as Node's 'exit': a process it left holding its pipes keeps them open
    emit('X', $id, pack('N', $s->{status})) unless $s->{failed};
    if ($s->{iw}) { close $s->{iw}; delete $s->{iw}; }
    done($id);
  }
}
sub finish {
  for my $s (values %steps) { next unless $s->{pid}; kill 'KILL', -$s->{pid}; kill 'KILL', $s->{pid}; }
  if (defined $cgroup && open(my $k, '>', "$cgroup/cgroup.kill")) { print $k '1'; close $k; }
  if (defined $tag && opendir(my $d, '/proc')) {
    for my $pid (grep { /^\d+$/ && $_ != $$ } readdir $d) {
      open(my $e, '<', "/proc/$pid/environ") or next; local $/; my $env = <$e> // ''; close $e;
      kill 'KILL', $pid if index("\0$env", "\0ORCHESTRATOR_PROCESS_TAG=$tag.") >= 0;
    }
  }
  exit 0;
}
sub command {
  while (length $in >= 9) {
    my ($t, $id, $n) = unpack('aNN', $in);
    last if length $in < 9 + $n;
    my $p = substr($in, 9, $n); substr($in, 0, 9 + $n) = '';
    if ($t eq 'R') { start($id, $p); }
    elsif ($t eq 'G') { $cgroup = $p; }
    elsif ($t eq 'K' && $steps{$id}) {
      for my $fh (grep { defined } @{$steps{$id}}{qw(out err)}) { close_pipe(fileno $fh) if $byfd{fileno $fh}; }
    }
  }
}
for (;;) {
  my ($r, $w) = ('', '');
  vec($r, 0, 1) = 1; vec($r, fileno $wake_r, 1) = 1;
  vec($r, $_, 1) = 1 for keys %byfd, keys %wait_exec;
  for my $s (values %steps) { vec($w, fileno $s->{iw}, 1) = 1 if $s->{iw} && !$s->{xr}; }
  # a SIGCHLD between the handler's last chance to run and select would be missed (perl runs its
  # handlers between statements): while a child is not reaped, select wakes now and then
  my $n = select($r, $w, undef, %bypid ? 0.25 : undef);
  if ($n < 0) { next; }
  sysread($wake_r, my $x, 4096) if vec($r, fileno $wake_r, 1);
  for my $fd (keys %wait_exec) { execd($wait_exec{$fd}) if vec($r, $fd, 1); }
  for my $s (values %steps) {
    next unless $s->{iw} && vec($w, fileno $s->{iw}, 1);
    # at most PIPE_BUF: a pipe select calls writable takes that much without blocking
    my $k = length $s->{input} ? syswrite($s->{iw}, $s->{input}, 4096) : 0;
    if (defined $k && $k > 0) { substr($s->{input}, 0, $k) = ''; }
    if (!length $s->{input} || (!defined $k && !$!{EAGAIN} && !$!{EINTR})) { close $s->{iw}; delete $s->{iw}; }
  }
  for my $fd (keys %byfd) {
    next unless vec($r, $fd, 1) && $byfd{$fd};
    my ($id, $kind, $fh) = @{$byfd{$fd}};
    # 'S' goes first: orchestrator knows no output of a program it has not heard started
    execd($id) if $steps{$id} && $steps{$id}{xr};
    my $got = sysread($fh, my $d, 65536);
    if ($got) { emit($kind, $id, $d) unless $steps{$id}{failed}; } elsif (defined $got || !($!{EAGAIN} || $!{EINTR})) { close_pipe($fd); }
  }
  reap();
  if (vec($r, 0, 1)) { my $got = sysread(STDIN, $in, 262144, length $in); finish() if !$got && !(defined $got ? 0 : $!{EINTR}); command(); }
}
`;

// src/steps/launcher.ts
var SIGNALS = new Map(Object.entries(constants2.signals).map(([name, number]) => [number, name]));
var ERRNOS = new Map(Object.entries(constants2.errno).map(([name, number]) => [number, name]));
var Launcher = class {
  process;
  starting = /* @__PURE__ */ new Map();
  children = /* @__PURE__ */ new Map();
  sequence = 0;
  pending = Buffer.alloc(0);
  ready = false;
  dead = false;
  toldCgroup;
  /** `env`: the launcher's environment, the one every cmd step starts from (no key, no token). */
  constructor(env, tag, onDeath) {
    this.process = spawn2("perl", ["-e", LAUNCHER_SCRIPT, tag], {
      // perl's own settings (PERL5OPT, PERL_UNICODE, PERLIO, PERL5LIB...) are the steps', not the
      // launcher's: PERL_UNICODE=SDA, say, made every pipe a text one and the launcher die at its
      // first read. Each step gets the whole environment in its start request.
      env: Object.fromEntries(Object.entries(env).filter(([name]) => !name.startsWith("PERL"))),
      // a session of its own: a terminal's Ctrl-C is orchestrator's to act on (it cancels the steps)
      detached: true,
      stdio: ["pipe", "pipe", "inherit"]
    });
    this.hold(false);
    this.process.stdin?.on("error", () => void 0);
    this.process.stdout?.on("data", (chunk) => this.receive(chunk));
    const gone = () => {
      if (this.dead) return;
      this.dead = true;
      onDeath();
      this.failAll();
    };
    this.process.once("error", gone).once("close", gone);
  }
  /** Whether perl could be started at all (no perl: `spawn` says so at once). */
  get started() {
    return this.process.pid !== void 0 && !this.dead;
  }
  /**
   * Starts a program: its child once it exec'd, the reason it could not be started, or undefined
   * when the launcher was gone before it took the request (then it was not started).
   */
  launch = (start) => this.start(start);
  start(start) {
    if (this.dead) return Promise.resolve(void 0);
    const id = ++this.sequence;
    const cgroup = runCgroupDir();
    if (cgroup !== this.toldCgroup && cgroup !== void 0) this.send("G", 0, Buffer.from(this.toldCgroup = cgroup));
    const env = Object.entries(start.env).map(([name, value]) => `${name}=${value}`);
    const strings = Buffer.from([start.cwd, start.file, ...start.args, ...env].join("\0"));
    const input = typeof start.input === "string" ? Buffer.from(start.input) : start.input;
    const counts = Buffer.alloc(16);
    counts.writeUInt32BE(start.args.length, 0);
    counts.writeUInt32BE(env.length, 4);
    counts.writeUInt32BE(strings.length, 8);
    counts.writeUInt32BE(input.length, 12);
    this.hold(true);
    this.send("R", id, Buffer.concat([counts, strings, input]));
    return new Promise((resolve2) => this.starting.set(id, { start, resolve: resolve2 }));
  }
  /** Ends the launcher: it kills whatever its steps left running, then exits. */
  async close() {
    if (this.dead) return;
    const exited = new Promise((resolve2) => this.process.once("close", resolve2));
    this.hold(true);
    this.process.stdin?.end();
    await exited;
  }
  /**
   * A forced exit: the end of the launcher's stdin, on which it kills every group it started (also
   * of programs it has forked but not yet seen exec, which no one else knows of), the cgroup and
   * the tagged processes, then exits. A SIGKILL would leave those programs to exec unwatched.
   */
  kill() {
    this.process.stdin?.destroy();
  }
  /** Closes a program's pipes from the launcher's side. */
  closePipes(id) {
    this.send("K", id, Buffer.alloc(0));
  }
  send(type, id, payload) {
    if (this.dead) return;
    const head = Buffer.alloc(9);
    head.write(type, 0, "latin1");
    head.writeUInt32BE(id, 1);
    head.writeUInt32BE(payload.length, 5);
    this.process.stdin?.write(payload.length > 0 ? Buffer.concat([head, payload]) : head);
  }
  receive(chunk) {
    let data = this.pending.length > 0 ? Buffer.concat([this.pending, chunk]) : chunk;
    let at = 0;
    while (data.length - at >= 9) {
      const length = data.readUInt32BE(at + 5);
      if (data.length - at - 9 < length) break;
      this.frame(String.fromCharCode(data[at] ?? 0), data.readUInt32BE(at + 1), data.subarray(at + 9, at + 9 + length));
      at += 9 + length;
    }
    data = data.subarray(at);
    this.pending = data.length > 0 ? Buffer.from(data) : Buffer.alloc(0);
  }
  frame(type, id, data) {
    if (type === "Y") this.ready = true;
    else if (type === "S" || type === "F") this.started_(type, id, data);
    else this.children.get(id)?.receive(type, data);
  }
  started_(type, id, data) {
    const starting = this.starting.get(id);
    if (starting === void 0) return;
    this.starting.delete(id);
    if (type === "F") {
      this.idle();
      return starting.resolve(`spawn ${starting.start.file} ${ERRNOS.get(data.readUInt32BE(0)) ?? `errno ${data.readUInt32BE(0)}`}`);
    }
    const child = new LaunchedChild(
      data.readUInt32BE(0),
      [data.readUInt32BE(4), data.readUInt32BE(8)],
      () => this.closePipes(id),
      () => {
        this.children.delete(id);
        this.idle();
      }
    );
    this.children.set(id, child);
    starting.resolve(child);
  }
  /** Unref'd while no step waits on it: an idle launcher does not keep the run alive. */
  idle() {
    if (this.starting.size === 0 && this.children.size === 0) this.hold(false);
  }
  /** Whether the launcher (the process and its pipes) keeps this process's event loop alive. */
  hold(held2) {
    for (const handle of [this.process, this.process.stdin, this.process.stdout]) {
      if (held2) handle?.ref();
      else handle?.unref();
    }
  }
  /**
   * The launcher is gone. A request it may have taken is ended by the step's tag (it may have forked
   * before it died); before it was ready it took none, and those start elsewhere. A running step's
   * group is killed and the step ends as killed, saying why.
   */
  failAll() {
    const how = `the process that starts commands (perl, pid ${this.process.pid ?? "?"}) ended before the command did
`;
    for (const { start, resolve: resolve2 } of this.starting.values()) {
      const tag = start.env[TAG_VARIABLE];
      if (this.ready && tag !== void 0) killTagged(tag);
      resolve2(this.ready ? how.trim() : void 0);
    }
    this.starting.clear();
    for (const child of this.children.values()) child.killed_(how);
    this.children.clear();
  }
};
var LaunchedPipe = class extends EventEmitter {
  constructor(onDestroy) {
    super();
    this.onDestroy = onDestroy;
  }
  onDestroy;
  bytesRead = 0;
  readableEnded = false;
  destroyed = false;
  push(chunk) {
    if (this.destroyed || this.readableEnded) return;
    this.bytesRead += chunk.length;
    this.emit("data", chunk);
  }
  end() {
    if (this.readableEnded) return;
    this.readableEnded = true;
    this.emit("end");
  }
  destroy() {
    if (this.destroyed) return this;
    this.destroyed = true;
    this.onDestroy();
    return this;
  }
  // the relay has no backlog to hold back: output is written to its files as it comes
  pause() {
    return this;
  }
  resume() {
    return this;
  }
};
var LaunchedChild = class extends EventEmitter {
  constructor(pid, inodes, closePipes, onClose) {
    super();
    this.pid = pid;
    this.onClose = onClose;
    const pipe = new LaunchedPipe(() => {
      closePipes();
      this.check();
    });
    this.stdout = pipe;
    this.stderr = new LaunchedPipe(() => {
      this.stdout.destroy();
      this.check();
    });
    this.stdout.on("end", () => this.check());
    this.stderr.on("end", () => this.check());
    this.ends = new Set(inodes.map((inode) => `pipe:[${inode}]`));
    setImmediate(() => {
      const held2 = this.held ?? [];
      this.held = void 0;
      for (const [type, data] of held2) this.deliver(type, data);
    });
  }
  pid;
  onClose;
  stdin = null;
  stdout;
  stderr;
  ends;
  exit;
  closed = false;
  /**
   * What the launcher sent before runProcess listened: the frames that came with the start (output,
   * even the exit) are held until the continuation that awaited the start has attached its listeners.
   */
  held = [];
  receive(type, data) {
    if (this.held !== void 0) this.held.push([type, data]);
    else this.deliver(type, data);
  }
  deliver(type, data) {
    if (type === "O") this.stdout.push(data);
    else if (type === "E") this.stderr.push(data);
    else if (type === "o") this.stdout.end();
    else if (type === "e") this.stderr.end();
    else if (type === "X") {
      const status = data.readUInt32BE(0);
      const signal = status & 127;
      this.exited(signal === 0 ? status >> 8 : null, signal === 0 ? null : SIGNALS.get(signal) ?? "SIGKILL");
    } else if (type === "killed") {
      signalGroup(this.pid, "SIGKILL");
      this.stderr.push(data);
      this.stdout.end();
      this.stderr.end();
      this.exited(null, "SIGKILL");
    }
  }
  /** The launcher died: the program's group is killed, and it ends as killed, saying why on its stderr. */
  killed_(how) {
    this.receive("killed", Buffer.from(how));
  }
  exited(code, signal) {
    if (this.exit !== void 0) return;
    this.exit = { code, signal };
    this.emit("exit", code, signal);
    this.check();
  }
  /** `close` once it exited and both pipes reached their end (or were closed from this side), as Node's. */
  check() {
    const done = (pipe) => pipe.readableEnded || pipe.destroyed;
    if (this.closed || this.exit === void 0 || !done(this.stdout) || !done(this.stderr)) return;
    this.closed = true;
    this.onClose();
    this.emit("close", this.exit.code, this.exit.signal);
  }
};

// src/steps/spawner.ts
var HELPERS = 2;
var HELPER_FILE = join2(dirname(fileURLToPath(import.meta.url)), ["spawner-helper", "js"].join("."));
var spawners = /* @__PURE__ */ new Set();
var hooked = false;
var helpersStarted = 0;
var Spawner = class {
  /** `env`: the helpers' environment, the one every cmd step starts from (no key, no token). */
  constructor(env) {
    this.env = env;
    spawners.add(this);
    if (hooked) return;
    hooked = true;
    alsoOnKillAll(() => {
      for (const spawner of spawners) spawner.killAll();
    });
  }
  env;
  helpers = [];
  /** A helper could not start or died: steps start here for the rest of the run. */
  inProcess = !existsSync(HELPER_FILE);
  sequence = 0;
  /** The perl launcher (launcher.ts): undefined before the first step, null where there is none or it died. */
  launcher;
  /** `runProcess`, from a helper when there is one. */
  async run(request) {
    if (request.onSpawn !== void 0 || request.onStdoutLine !== void 0) return runProcess(request);
    const launcher = this.theLauncher();
    if (launcher !== null) return runProcess(request, launcher.launch);
    if (this.inProcess) return runProcess(request);
    holdYoungGeneration(SPAWNING_YOUNG_MAX_BYTES);
    const helper = this.helper();
    if (helper === void 0) return runProcess(request);
    const result = await helper.run(++this.sequence, request);
    return result ?? runProcess(request);
  }
  /** Ends the launcher and the helpers, which end whatever their steps left (the end of a run). */
  async close() {
    spawners.delete(this);
    await Promise.all([this.launcher?.close(), ...this.helpers.map((helper) => helper.close())]);
    this.helpers.length = 0;
  }
  /** A forced exit: the launcher, the helpers' cgroups and the helpers themselves, at once (their steps' groups are tracked). */
  killAll() {
    this.launcher?.kill();
    for (const helper of this.helpers) helper.kill();
  }
  /** The launcher, started with the first step; null once it could not start or died (then the helpers start steps). */
  theLauncher() {
    if (this.launcher === void 0) {
      const launcher = new Launcher(this.env, runTag(), () => this.launcher = null);
      this.launcher = launcher.started ? launcher : null;
    }
    return this.launcher;
  }
  /** The least busy helper; a new one while all are busy and there are fewer than HELPERS. */
  helper() {
    const idle2 = this.helpers.reduce((best, h) => best === void 0 || h.busy < best.busy ? h : best, void 0);
    if (idle2 !== void 0 && (idle2.busy === 0 || this.helpers.length >= HELPERS)) return idle2;
    try {
      const tag = `${runTag()}.s${++helpersStarted}`;
      const child = fork(HELPER_FILE, [tag, String(process.pid)], {
        env: this.env,
        // not this process's flags (an inspector port, a profile): the helper is to stay small; and
        // no inspector on SIGUSR1, which any step could send it (src/util/shelter.ts)
        execArgv: ["--disable-sigusr1"],
        serialization: "advanced",
        stdio: ["ignore", "ignore", "inherit", "ipc"]
      });
      const helper = new Helper(child, tag, () => {
        this.inProcess = true;
        this.helpers.splice(this.helpers.indexOf(helper), 1);
      });
      this.helpers.push(helper);
      return helper;
    } catch {
      this.inProcess = true;
      return idle2;
    }
  }
};
var Helper = class {
  constructor(child, tag, onDeath) {
    this.child = child;
    this.tag = tag;
    child.unref();
    child.on("message", (message) => this.receive(message));
    this.exited = new Promise((resolve2) => {
      let dead = false;
      let exitedFirst;
      const gone = () => {
        if (dead) return;
        dead = true;
        clearTimeout(exitedFirst);
        onDeath();
        this.failAll();
        resolve2();
      };
      child.once("error", gone).once("disconnect", () => {
        if (exitedFirst !== void 0 || child.exitCode !== null || child.signalCode !== null) gone();
      });
      child.once("exit", () => {
        if (!child.connected) return gone();
        exitedFirst = setTimeout(gone, 1e3);
      });
    });
  }
  child;
  tag;
  pending = /* @__PURE__ */ new Map();
  ready = false;
  cgroup;
  exited;
  get busy() {
    return this.pending.size;
  }
  /** The program's result; undefined when the helper died before it took the request (then it is started here). */
  async run(id, request) {
    const { stdout, stderr, signal, input, file, args, cwd, env, timeoutMs, sweep, captureStdout } = request;
    const done = new Promise((resolve2) => this.pending.set(id, { request, resolve: resolve2 }));
    const onAbort = () => this.send({ t: "abort", id });
    signal.addEventListener("abort", onAbort, { once: true });
    this.child.ref();
    this.child.channel?.ref();
    this.send({ t: "run", id, input, file, args, cwd, env, timeoutMs, sweep, captureStdout });
    if (signal.aborted) onAbort();
    try {
      const result = await done;
      if (result !== void 0) await Promise.all([stdout.end(), stderr.end()]);
      return result;
    } finally {
      signal.removeEventListener("abort", onAbort);
    }
  }
  async close() {
    this.child.ref();
    if (this.child.connected) this.child.disconnect();
    await this.exited;
  }
  kill() {
    if (this.cgroup !== void 0) endCgroup(this.cgroup);
    this.child.kill("SIGKILL");
  }
  send(message) {
    if (this.child.connected) this.child.send(message);
  }
  receive(message) {
    if (message.t === "ready") this.ready = true;
    else if (message.t === "cgroup") this.cgroup = message.dir;
    else {
      const step = this.pending.get(message.id);
      if (step === void 0) return;
      if (message.t === "pid") trackGroup(step.pid = message.pid);
      else if (message.t === "out") step.request.stdout.write(asBuffer(message.chunk));
      else if (message.t === "err") step.request.stderr.write(asBuffer(message.chunk));
      else this.settle(message.id, { ...message.result, stdout: asBuffer(message.result.stdout) });
    }
  }
  settle(id, result) {
    const step = this.pending.get(id);
    if (step === void 0) return;
    this.pending.delete(id);
    if (step.pid !== void 0) untrackGroup(step.pid);
    if (this.pending.size === 0) {
      this.child.channel?.unref();
      this.child.unref();
    }
    step.resolve(result);
  }
  /**
   * The helper is gone. Before it was ready it took no request: each is started here instead. After,
   * each of its steps fails, and what it had started is ended (its groups, its cgroup).
   */
  failAll() {
    const how = `the helper process that starts commands (pid ${this.child.pid ?? "?"}) ended before the command did`;
    if (this.ready && this.cgroup !== void 0) endCgroup(this.cgroup);
    if (this.ready && this.pending.size > 0) killTaggedUnder(this.tag);
    for (const [id, step] of [...this.pending]) {
      if (!this.ready) {
        this.settle(id, void 0);
        continue;
      }
      if (step.pid !== void 0) signalGroup(step.pid, "SIGKILL");
      this.settle(id, { ...notStarted(void 0), signal: "SIGKILL", stderrTail: how });
    }
  }
};
function asBuffer(bytes) {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

// src/steps/cmd.ts
var MAX_ARG_BYTES = 128 * 1024;
function timedOutMessage(timeoutMs) {
  return `timed out after ${timeoutMs / 1e3} s`;
}
function processFailure(what, result, timeoutMs) {
  if (result.cancelled) return new CancelledError("interrupted");
  const held2 = result.holders.length > 0 ? ` (a process it started outside its process group still held its output open: killed ${describeHolders(result.holders)})` : result.pipesHeld ? " (a process that could not be found still held its output open: stopped reading it)" : "";
  if (result.timedOut) return new StepError(`${what} ${timedOutMessage(timeoutMs)}${held2}`);
  if (result.spawnError !== void 0) {
    const tooBig = /E2BIG/.test(result.spawnError) ? " (its environment is too large: pass large contents on stdin instead)" : "";
    return new StepError(`${what} could not be started: ${result.spawnError}${tooBig}`);
  }
  if (result.exitCode === 0 && result.stdoutCap !== void 0) {
    return new StepError(
      `${what} wrote ${result.stdoutBytes} bytes on stdout, more than the ${formatBytes(result.stdoutCap)} a step may pass on (all of it is in its output.txt): write large results to a file and pass on its path instead`
    );
  }
  if (result.exitCode === 0) return void 0;
  const how = result.signal !== void 0 ? `was killed by ${result.signal}` : `exited with code ${result.exitCode}`;
  const stderr = result.stderrTail.trim().split("\n").slice(-5).join("\n");
  return new StepError(`${what} ${how}${stderr ? `: ${stderr}` : ""}`);
}
var CmdRunner = class {
  /** The environment every cmd step starts from, filtered once per run rather than once per step. */
  baseEnv;
  /** Starts the commands off this process's event loop (spawner.ts), from processes given only baseEnv. */
  spawner;
  constructor(env) {
    this.baseEnv = childEnv(env);
    this.spawner = new Spawner(this.baseEnv);
  }
  close() {
    return this.spawner.close();
  }
  async run({ step, prompt, input, command, dir, cwd, timeoutMs, signal, files, env }) {
    if (step.kind !== "cmd") throw new Error(`internal: the cmd runner was given a ${step.kind} step`);
    const script = command?.script ?? step.cmd;
    const variables = {};
    for (const { key, variable, value, file } of command?.variables ?? []) {
      if (value.includes("\0")) {
        throw new StepError(
          `{{{${key}}}} in "cmd": ${JSON.stringify(file)} holds a NUL byte, which an environment variable cannot carry: pass the contents on stdin instead (e.g. read the file in the command: cat {{{${key.replace(/:path$/, "")}:path}}})`
        );
      }
      const bytes2 = Buffer.byteLength(value);
      if (bytes2 + variable.length + 2 > MAX_ARG_BYTES) {
        throw new StepError(
          `{{{${key}}}} in "cmd" stands for ${bytes2} bytes, too large for a command line (Linux caps one argument or variable at 128 KiB): pass the contents on stdin instead, e.g. as the output of a previous step`
        );
      }
      variables[variable] = value;
    }
    files.write(join3(dir, "command.txt"), step.cmd + "\n");
    const result = await this.spawner.run({
      file: "sh",
      args: ["-c", script],
      cwd,
      env: { ...this.baseEnv, ...env, ...variables },
      input: input ?? prompt,
      stdout: files.stream(join3(dir, "output.txt")),
      stderr: files.stream(join3(dir, "stderr.txt")),
      captureStdout: true,
      timeoutMs,
      signal
    });
    const failure = processFailure("the command", result, timeoutMs);
    if (failure) throw failure;
    const bytes = files.redactor.redactBytes(result.stdout);
    return { output: bytes.toString("utf8"), bytes, usage: null };
  }
};

// src/model/usage.ts
var tokenCount = (value) => typeof value === "number" && Number.isSafeInteger(value) && value > 0 ? value : 0;
var roundUsd = (usd) => Math.round(usd * 1e12) / 1e12;
function addCost(a, b) {
  if (a === null || b === null) return null;
  if (a === void 0) return b;
  if (b === void 0) return a;
  return roundUsd(a + b);
}
var addUsage = (a, b) => {
  if (!b) return a;
  const sum = {
    input_tokens: a.input_tokens + b.input_tokens,
    output_tokens: a.output_tokens + b.output_tokens,
    cached_input_tokens: (a.cached_input_tokens ?? 0) + (b.cached_input_tokens ?? 0)
  };
  const cost = addCost(a.cost_usd, b.cost_usd);
  return cost === void 0 ? sum : { ...sum, cost_usd: cost };
};
var NO_USAGE = Object.freeze({ input_tokens: 0, output_tokens: 0, cached_input_tokens: 0, cost_usd: 0 });
function usageFrom(value) {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return null;
  const raw = value;
  const usage = {
    input_tokens: tokenCount(raw.input_tokens),
    output_tokens: tokenCount(raw.output_tokens),
    cached_input_tokens: tokenCount(raw.cached_input_tokens)
  };
  const cost = raw.cost_usd;
  if (cost === null) usage.cost_usd = null;
  else if (typeof cost === "number" && Number.isFinite(cost) && cost >= 0) usage.cost_usd = cost;
  return usage;
}

// src/util/is-object.ts
var isObject = (value) => typeof value === "object" && value !== null && !Array.isArray(value);

// src/steps/reply.ts
var ReplyError = class extends StepError {
  constructor(message, retryable, partial = "", usage = null) {
    super(message, { usage });
    this.retryable = retryable;
    this.partial = partial;
    this.name = "ReplyError";
  }
  retryable;
  partial;
};
var TRANSIENT_CODES = /* @__PURE__ */ new Set(["server_error", "rate_limit_exceeded"]);
var quote = (text, max = 200) => JSON.stringify(text.length > max ? `${text.slice(0, max)}\u2026` : text);
function parseReplyBody(body, contentType, server) {
  let parsed;
  try {
    parsed = JSON.parse(body);
  } catch {
    parsed = void 0;
  }
  if (isObject(parsed)) return parsed;
  const what = body.trim() === "" ? "an empty body" : `a body that is not a JSON object: ${quote(body.trim())}`;
  throw new ReplyError(
    `the model server at ${server} answered HTTP 200 (content-type ${contentType ?? "none"}) with ${what} \u2014 check that --base-url or OPENAI_BASE_URL points at an OpenAI-compatible API (its URL usually ends in /v1)`,
    false
  );
}
function why(reason) {
  if (reason === "max_output_tokens" || reason === "length")
    return "the model reached its output token limit: ask for a shorter answer or split the task";
  if (reason === "content_filter") return "the provider's content filter stopped it";
  return "the server gave no more detail";
}
function readUsage(usage, input, output) {
  if (!isObject(usage)) return null;
  const details = usage[input === "input_tokens" ? "input_tokens_details" : "prompt_tokens_details"];
  const inputTokens = tokenCount(usage[input]);
  return {
    input_tokens: inputTokens,
    output_tokens: tokenCount(usage[output]),
    cached_input_tokens: Math.min(inputTokens, isObject(details) ? tokenCount(details.cached_tokens) : 0)
  };
}
function readResponsesReply(data) {
  const usage = readUsage(data.usage, "input_tokens", "output_tokens");
  const texts = [];
  const refusals = [];
  for (const item of Array.isArray(data.output) ? data.output : []) {
    if (!isObject(item) || item.type !== "message" || !Array.isArray(item.content)) continue;
    for (const part of item.content) {
      if (isObject(part) && part.type === "output_text" && typeof part.text === "string") texts.push(part.text);
      if (isObject(part) && part.type === "refusal" && typeof part.refusal === "string") refusals.push(part.refusal);
    }
  }
  const output = texts.length > 0 ? texts.join("") : typeof data.output_text === "string" ? data.output_text : "";
  const status = data.status;
  if (status === "failed") {
    const error = isObject(data.error) ? data.error : {};
    const code = typeof error.code === "string" ? error.code : void 0;
    const detail = [code, typeof error.message === "string" ? error.message : void 0].filter(Boolean).join(": ");
    throw new ReplyError(
      `the model server reported the response as failed (status "failed"${detail ? `, error ${detail}` : ""})`,
      code !== void 0 && TRANSIENT_CODES.has(code),
      output,
      usage
    );
  }
  if (status === "incomplete") {
    const reason = isObject(data.incomplete_details) ? data.incomplete_details.reason : void 0;
    const shown = typeof reason === "string" ? `, reason "${reason}"` : "";
    throw new ReplyError(`the reply was cut short (status "incomplete"${shown}): ${why(reason)}`, false, output, usage);
  }
  if (status !== void 0 && status !== "completed") {
    throw new ReplyError(`the reply is not complete (status ${JSON.stringify(status)}, expected "completed")`, false, output, usage);
  }
  if (output === "" && refusals.length > 0) throw new ReplyError(`the model refused: ${quote(refusals.join(" "))}`, false, "", usage);
  if (output === "") throw new ReplyError("the reply holds no text (an empty output): nothing to pass on", false, "", usage);
  return { output, usage };
}
function readChatReply(data) {
  const usage = readUsage(data.usage, "prompt_tokens", "completion_tokens");
  const choice = Array.isArray(data.choices) && isObject(data.choices[0]) ? data.choices[0] : void 0;
  if (choice === void 0) throw new ReplyError("the reply holds no choices: nothing to pass on", false, "", usage);
  const message = isObject(choice.message) ? choice.message : {};
  const output = typeof message.content === "string" ? message.content : "";
  const finish = choice.finish_reason;
  if (finish === "length" || finish === "content_filter") {
    throw new ReplyError(`the reply was cut short (finish_reason "${finish}"): ${why(finish)}`, false, output, usage);
  }
  if (output === "" && typeof message.refusal === "string" && message.refusal !== "") {
    throw new ReplyError(`the model refused: ${quote(message.refusal)}`, false, "", usage);
  }
  if (output === "" && Array.isArray(message.tool_calls) && message.tool_calls.length > 0) {
    throw new ReplyError(
      "the model asked to call a tool instead of answering (no tools were offered): nothing to pass on",
      false,
      "",
      usage
    );
  }
  if (output === "") {
    const content = message.content === null ? "null" : message.content === void 0 ? "missing" : "empty";
    throw new ReplyError(`the reply holds no text (message content ${content}): nothing to pass on`, false, "", usage);
  }
  return { output, usage };
}

// src/steps/schema.ts
var ARRAY_OUTPUT_SCHEMA = {
  type: "object",
  properties: { items: { type: "array", items: { type: "string" } } },
  required: ["items"],
  additionalProperties: false
};
var ARRAY_OUTPUT_NAME = "array_output";

// src/steps/model-request.ts
function modelRequest(step, model, api, prompt) {
  const schema = { name: ARRAY_OUTPUT_NAME, schema: ARRAY_OUTPUT_SCHEMA, strict: true };
  if (api === "chat") {
    return {
      api,
      body: {
        model,
        messages: [{ role: "user", content: prompt }],
        ...step.array ? { response_format: { type: "json_schema", json_schema: schema } } : {}
      }
    };
  }
  return { api, body: { model, input: prompt, ...step.array ? { text: { format: { type: "json_schema", ...schema } } } : {} } };
}

export {
  isObject,
  tokenCount,
  roundUsd,
  addUsage,
  NO_USAGE,
  usageFrom,
  childEnv,
  stepEnv,
  endRunCgroup,
  killTagged,
  maxOutputBytes,
  formatBytes,
  defaultRetryPolicy,
  retryAfterMs,
  backoffMs,
  sleep,
  holdYoungGeneration,
  holdOldGeneration,
  releaseOldGeneration,
  killAllProcessTrees,
  runProcess,
  timedOutMessage,
  processFailure,
  CmdRunner,
  ARRAY_OUTPUT_SCHEMA,
  ReplyError,
  parseReplyBody,
  readResponsesReply,
  readChatReply,
  modelRequest
};
