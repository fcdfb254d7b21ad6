import { createRequire as __orchestratorRequire } from 'node:module';
const require = __orchestratorRequire(import.meta.url);

// src/steps/cgroup.ts
import { randomBytes } from "node:crypto";
import { accessSync, constants, mkdirSync, readdirSync, readFileSync, rmdirSync, statSync, writeFileSync } from "node:fs";
import { delimiter, isAbsolute, join, resolve } from "node:path";
var runCgroup;
var sequence = 0;
var owner = process.pid;
function ownRunCgroupsAs(pid) {
  owner = pid;
}
var idle = [];
function ownCgroupDir() {
  try {
    const own = /^0::(\/.*)$/m.exec(readFileSync("/proc/self/cgroup", "utf8"))?.[1];
    if (own === void 0) return void 0;
    for (const line of readFileSync("/proc/self/mountinfo", "utf8").split("\n")) {
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
  const dir = join(own, `orchestrator.${owner}.${randomBytes(4).toString("hex")}`);
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
    names = readdirSync(own);
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
    const run2 = theRunCgroup();
    if (run2 === null) return void 0;
    const dir = join(run2, `step.${++sequence}`);
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
function leaveStepCgroup(cgroup, end2) {
  if (end2) endCgroup(cgroup);
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
    return !populated(dir) && /^nr_descendants 0$/m.test(readFileSync(join(dir, "cgroup.stat"), "utf8"));
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
      pids = readFileSync(join(cgroup, "cgroup.procs"), "utf8").split("\n").filter(Boolean);
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
    return /^populated 1$/m.test(readFileSync(join(dir, "cgroup.events"), "utf8"));
  } catch {
    return false;
  }
}
function children(dir) {
  let names;
  try {
    names = readdirSync(dir, { withFileTypes: true }).filter((entry) => entry.isDirectory()).map((entry) => entry.name);
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

// src/steps/retry.ts
var MAX_TIMER_MS = 2 ** 31 - 1;

// src/steps/pipe-holders.ts
import { readdirSync as readdirSync3, readFileSync as readFileSync3, readlinkSync } from "node:fs";

// src/steps/sweep.ts
import { randomBytes as randomBytes2 } from "node:crypto";
import { readdirSync as readdirSync2, readFileSync as readFileSync2 } from "node:fs";
var TAG_VARIABLE = "ORCHESTRATOR_PROCESS_TAG";
var RUN_TAG = `${process.pid}.${randomBytes2(6).toString("hex")}`;
var sequence2 = 0;
function adoptRunTag(tag2) {
  RUN_TAG = tag2;
}
function newProcessTag() {
  return `${RUN_TAG}.${++sequence2}`;
}
function killTagged(tag2) {
  return killMatching(tagMatcher(tag2));
}
function killMatching(tagged) {
  let pids;
  try {
    pids = readdirSync2("/proc").filter((name) => /^\d+$/.test(name) && Number(name) !== process.pid);
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
function carriesTag(pid, tag2) {
  return tagMatcher(tag2)(pid);
}
function tagMatcher(tag2) {
  return tag2 === void 0 ? underMatcher(RUN_TAG) : matcher(Buffer.from(`\0${TAG_VARIABLE}=${tag2}\0`));
}
function underMatcher(runTag) {
  return matcher(Buffer.from(`\0${TAG_VARIABLE}=${runTag}.`));
}
function matcher(needle) {
  const first = needle.subarray(1);
  return (pid) => {
    let environ;
    try {
      environ = readFileSync2(`/proc/${pid}/environ`);
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
    const end2 = link(pid, fd);
    if (end2 !== void 0 && PIPE.test(end2)) ends.add(end2);
  }
  if (ends.size === 2) return ends;
  const others = /* @__PURE__ */ new Set([link(pid, "0"), ...inheritedLinks()]);
  for (let look = 0; look < 3 && ends.size < 2; look++) {
    for (const end2 of links(String(pid), 1)) if (PIPE.test(end2) && !others.has(end2)) ends.add(end2);
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
    fds = readdirSync3(`/proc/${pid}/fd`);
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
function pipeHolders(ends, group, tag2) {
  let pids;
  try {
    pids = readdirSync3("/proc").filter((name) => /^\d+$/.test(name) && Number(name) !== process.pid);
  } catch {
    return [];
  }
  const holders = [];
  for (const pid of pids) {
    const holds = ends.size > 0 ? holdsOneOf(pid, ends) : holdsStdioPipe(pid);
    if (holds && processGroup(pid) !== group && carriesTag(Number(pid), tag2)) holders.push({ pid: Number(pid), command: commandOf(pid) });
  }
  return holders;
}
function holdsOneOf(pid, ends) {
  let fds;
  try {
    fds = readdirSync3(`/proc/${pid}/fd`);
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
    const end2 = link(Number(pid), fd);
    return end2 !== void 0 && PIPE.test(end2) && !inheritedLinks().includes(end2);
  });
}
function processGroup(pid) {
  try {
    const stat = readFileSync3(`/proc/${pid}/stat`, "utf8");
    return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[2]);
  } catch {
    return void 0;
  }
}
function commandOf(pid) {
  try {
    const command = readFileSync3(`/proc/${pid}/cmdline`, "utf8").replace(/\0+$/, "").replaceAll("\0", " ");
    if (command !== "") return command.length > 200 ? `${command.slice(0, 200)}\u2026` : command;
  } catch {
  }
  try {
    return readFileSync3(`/proc/${pid}/comm`, "utf8").trim();
  } catch {
    return "?";
  }
}

// src/steps/process-output.ts
import { StringDecoder } from "node:string_decoder";

// src/steps/limits.ts
var DEFAULT_MAX_OUTPUT_BYTES = 64 * 1024 * 1024;
function maxOutputBytes(env = process.env) {
  const fromEnv = Number(env.ORCHESTRATOR_MAX_OUTPUT_BYTES);
  return env.ORCHESTRATOR_MAX_OUTPUT_BYTES && Number.isSafeInteger(fromEnv) && fromEnv > 0 ? fromEnv : DEFAULT_MAX_OUTPUT_BYTES;
}

// src/steps/process-output.ts
var STDERR_TAIL = 4096;
function heldBy(stream, sink) {
  const backlog2 = sink.backlog;
  if (backlog2 === void 0 || !backlog2.full()) return;
  stream.pause();
  void backlog2.drained().then(() => stream.resume());
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
  constructor(child, ends, group, tag2, finished) {
    this.child = child;
    this.ends = ends;
    this.group = group;
    this.tag = tag2;
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

// src/steps/process.ts
var running = /* @__PURE__ */ new Set();
var onKillAll = [];
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
  for (const end2 of onKillAll) end2();
  endRunCgroup();
  killTagged();
}
async function runProcess(request, launch) {
  holdYoungGeneration(SPAWNING_YOUNG_MAX_BYTES);
  const tag2 = newProcessTag();
  const cgroup = newStepCgroup();
  const started = startStep(request, tag2, cgroup, launch);
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
  const pipes = new PipeWatch(child, ends, pid ?? 0, tag2, () => finished);
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
    if (sweep) killTagged(tag2);
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
function stepCommand(request, tag2, cgroup) {
  const command = cgroup === void 0 ? { file: request.file, args: [...request.args] } : spawnInCgroup(cgroup, request.file, request.args, request.cwd, request.env);
  if ("error" in command) return command.error;
  const env = { ...request.env, ..."env" in command ? command.env : void 0, [TAG_VARIABLE]: tag2 };
  return { file: command.file, args: command.args, env };
}
function startStep(request, tag2, cgroup, launch) {
  const command = stepCommand(request, tag2, cgroup);
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

// src/steps/spawner-helper.ts
var [tag, orchestrator] = process.argv.slice(2);
if (tag === void 0 || orchestrator === void 0 || process.send === void 0) {
  process.stderr.write("orchestrator: the spawner helper is started by orchestrator itself, with an IPC channel and its run tag\n");
  process.exit(2);
}
adoptRunTag(tag);
ownRunCgroupsAs(Number(orchestrator));
var aborts = /* @__PURE__ */ new Map();
var toldCgroup;
function send(message, done = () => void 0) {
  if (process.connected) process.send?.(message, void 0, void 0, done);
  else done();
}
var BACKLOG_BYTES = 1 << 20;
var inFlight = 0;
var waiting = [];
var backlog = {
  full: () => inFlight > BACKLOG_BYTES,
  drained: () => inFlight > BACKLOG_BYTES ? new Promise((resolve2) => waiting.push(resolve2)) : Promise.resolve()
};
function sendOutput(message) {
  const bytes = message.chunk.byteLength;
  inFlight += bytes;
  send(message, () => {
    inFlight -= bytes;
    if (inFlight > BACKLOG_BYTES || waiting.length === 0) return;
    const resume = waiting;
    waiting = [];
    for (const go of resume) go();
  });
}
function end(code) {
  killAllProcessTrees();
  process.exit(code);
}
process.on("message", (message) => {
  if (message.t === "abort") aborts.get(message.id)?.abort();
  else void run(message);
});
process.on("disconnect", () => end(0));
process.on("SIGINT", () => void 0).on("SIGTERM", () => void 0);
process.on("uncaughtException", (error) => {
  process.stderr.write(`orchestrator: the spawner helper failed: ${error.stack ?? error.message}
`);
  end(70);
});
send({ t: "ready" });
async function run({ id, input, ...request }) {
  const controller = new AbortController();
  aborts.set(id, controller);
  const sink = (t) => ({
    write: (chunk) => {
      const bytes = typeof chunk === "string" ? Buffer.from(chunk) : chunk;
      sendOutput(t === "out" ? { t, id, chunk: bytes } : { t, id, chunk: bytes });
    },
    end: () => Promise.resolve(),
    backlog
  });
  try {
    const result = await runProcess({
      ...request,
      input: typeof input === "string" ? input : Buffer.from(input.buffer, input.byteOffset, input.byteLength),
      signal: controller.signal,
      stdout: sink("out"),
      stderr: sink("err"),
      onSpawn: (pid) => {
        const cgroup = runCgroupDir();
        if (cgroup !== toldCgroup) send({ t: "cgroup", dir: toldCgroup = cgroup });
        send({ t: "pid", id, pid });
      }
    });
    send({ t: "done", id, result });
  } finally {
    aborts.delete(id);
  }
}
