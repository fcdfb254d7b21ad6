import { createRequire as __WEBPACK_EXTERNAL_createRequire } from "module";
var __webpack_exports__ = {};

;// CONCATENATED MODULE: external "node:crypto"
const external_node_crypto_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:crypto");
;// CONCATENATED MODULE: external "node:fs"
const external_node_fs_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:fs");
;// CONCATENATED MODULE: external "node:path"
const external_node_path_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:path");
;// CONCATENATED MODULE: ./build/action-js/steps/cgroup.js



/**
 * Step processes held in a cgroup (v2), where the runner lets this process create one under its
 * own (root, or a delegated subtree). A cgroup is the one thing a process cannot leave by itself
 * without privileges: not by `setsid` or a double fork (which leave the process group), not by
 * rewriting its environment (Perl's `$0`, `env -i`, which drop the process tag `sweep.ts` looks
 * for). Each step gets a cgroup of its own under one per run; ending one kills every process in it
 * (`cgroup.kill`, or each pid in `cgroup.procs` until it is empty) and removes it. Where there is no
 * writable cgroup v2, nothing here does anything and the tag sweep is all there is.
 */
/** The run's cgroup: undefined before the first step asks, null where steps cannot be contained. */
let runCgroup;
let sequence = 0;
/** Whose run cgroups this process makes: its own, or a spawner helper's orchestrator's (spawner.ts). */
let owner = process.pid;
/** Names the run cgroups this process makes after `pid` (a spawner helper: its orchestrator), so they are that run's. */
function ownRunCgroupsAs(pid) {
    owner = pid;
}
/**
 * Step cgroups of this run that their step left empty, for the next steps: making and removing a
 * cgroup costs more than the `sh` a cmd step starts (issue 27.4). One holding anything, or with
 * cgroups below it, is never handed out again. At most as many as steps ever ran at once.
 */
const idle = [];
/**
 * Where this process's own cgroup v2 is mounted (`/sys/fs/cgroup`, or `/sys/fs/cgroup/unified` on a
 * hybrid host), from /proc/self/mountinfo and /proc/self/cgroup; undefined where there is none.
 */
function ownCgroupDir() {
    try {
        const own = /^0::(\/.*)$/m.exec((0,external_node_fs_namespaceObject.readFileSync)('/proc/self/cgroup', 'utf8'))?.[1];
        if (own === undefined)
            return undefined;
        for (const line of (0,external_node_fs_namespaceObject.readFileSync)('/proc/self/mountinfo', 'utf8').split('\n')) {
            const [fields = '', fsType] = line.split(' - ');
            if (fsType?.split(' ')[0] !== 'cgroup2')
                continue;
            // spaces and the like are written as octal escapes (\040)
            const [root, mountPoint] = fields
                .split(' ')
                .slice(3, 5)
                .map((field) => field.replace(/\\([0-7]{3})/g, (_, octal) => String.fromCharCode(parseInt(octal, 8))));
            if (root === undefined || mountPoint === undefined)
                continue;
            const inMount = root === '/' ? own : own.startsWith(`${root}/`) || own === root ? own.slice(root.length) : undefined;
            if (inMount === undefined)
                continue;
            const dir = (0,external_node_path_namespaceObject.join)(mountPoint, inMount);
            if ((0,external_node_fs_namespaceObject.statSync)((0,external_node_path_namespaceObject.join)(dir, 'cgroup.procs')).isFile())
                return dir;
        }
    }
    catch {
        // no /proc, or no cgroup v2
    }
    return undefined;
}
/** The run's cgroup, made at the first call; null where this process may not make one or move processes into it. */
function theRunCgroup() {
    if (runCgroup !== undefined)
        return runCgroup;
    runCgroup = null;
    const own = ownCgroupDir();
    if (own === undefined)
        return null;
    const dir = (0,external_node_path_namespaceObject.join)(own, `orchestrator.${owner}.${(0,external_node_crypto_namespaceObject.randomBytes)(4).toString('hex')}`);
    try {
        // moving a process from our cgroup into one below it needs write access to both cgroup.procs
        (0,external_node_fs_namespaceObject.accessSync)((0,external_node_path_namespaceObject.join)(own, 'cgroup.procs'), external_node_fs_namespaceObject.constants.W_OK);
        (0,external_node_fs_namespaceObject.mkdirSync)(dir);
        (0,external_node_fs_namespaceObject.accessSync)((0,external_node_path_namespaceObject.join)(dir, 'cgroup.procs'), external_node_fs_namespaceObject.constants.W_OK);
        runCgroup = dir;
    }
    catch {
        removeCgroup(dir);
        return null;
    }
    removeAbandoned(own);
    return runCgroup;
}
/**
 * Removes the empty cgroups an orchestrator that is gone left behind (killed outright, it ran no
 * end). Only empty ones: the kernel refuses to remove one that holds a process, which is left to
 * whoever looks (README, Security). Should the owner live on in another pid namespace, it makes
 * its run cgroup again at its next step.
 */
function removeAbandoned(own) {
    let names;
    try {
        names = (0,external_node_fs_namespaceObject.readdirSync)(own);
    }
    catch {
        return;
    }
    for (const name of names) {
        const owner = /^orchestrator\.(\d+)\.[0-9a-f]+$/.exec(name)?.[1];
        if (owner === undefined || isAlive(Number(owner)))
            continue;
        removeCgroup((0,external_node_path_namespaceObject.join)(own, name));
    }
}
function isAlive(pid) {
    try {
        process.kill(pid, 0);
        return true;
    }
    catch (error) {
        return error.code === 'EPERM';
    }
}
/** An empty cgroup for one step's processes, or undefined where the runner does not allow one. */
function newStepCgroup() {
    // looked at again when handed out: a run cgroup found empty by another orchestrator (in another
    // pid namespace) may have been removed, and a step running as root may have moved a process in
    for (let reused = idle.pop(); reused !== undefined; reused = idle.pop())
        if (isEmpty(reused))
            return reused;
    for (let attempt = 0; attempt < 2; attempt++) {
        const run = theRunCgroup();
        if (run === null)
            return undefined;
        const dir = (0,external_node_path_namespaceObject.join)(run, `step.${++sequence}`);
        try {
            (0,external_node_fs_namespaceObject.mkdirSync)(dir);
            return dir;
        }
        catch (error) {
            if (error.code !== 'ENOENT')
                return undefined;
            runCgroup = undefined; // removed under us: made again
        }
    }
    return undefined;
}
/**
 * The program to spawn so that `file` runs in `cgroup` from its first instruction: `sh` moves itself
 * into the cgroup (writing 0 to cgroup.procs moves the writer), then execs `file` with the same pid,
 * so nothing the program starts is ever outside. `file` is looked up on the step's PATH first, as
 * spawn would (the wrapper's `exec` must be given a path): an `error` like spawn's when it is not there.
 */
function spawnInCgroup(cgroup, file, args, cwd, env) {
    if (file === 'sh' && args.length === 2 && args[0] === '-c') {
        // a cmd step is a shell already: it moves itself, saving a second shell's start (issue 27.4).
        // The move goes before the script on the same line (so line numbers stay), the cgroup comes in
        // a variable unset before the script runs, and $0 is `sh` as without a cgroup. `sh` is found
        // on the step's PATH by spawn itself, in the child, as without a cgroup: looking it up here
        // first cost the event loop a stat and an access a PATH entry, every step
        return { file, args: ['-c', `${FOLDED_MOVE}${args[1]}`, 'sh'], env: { [CGROUP_VARIABLE]: cgroup } };
    }
    const program = findProgram(file, cwd, env.PATH);
    if (program === undefined)
        return { error: `spawn ${file} ENOENT` };
    const move = `echo 0 >"$0/cgroup.procs" || { echo "orchestrator: could not move the step into its cgroup $0" >&2; exit 126; }; exec "$@"`;
    return { file: '/bin/sh', args: ['-c', move, cgroup, program, ...args] };
}
/** Holds the step's cgroup for the shell of a cmd step until it has moved itself there. */
const CGROUP_VARIABLE = 'ORCHESTRATOR_STEP_CGROUP';
const FOLDED_MOVE = `{ echo 0 >"$${CGROUP_VARIABLE}/cgroup.procs" || { echo "orchestrator: could not move the step into its cgroup $${CGROUP_VARIABLE}" >&2; exit 126; }; ` +
    `unset ${CGROUP_VARIABLE}; }; `;
function findProgram(file, cwd, path) {
    const candidates = file.includes('/')
        ? [(0,external_node_path_namespaceObject.resolve)(cwd, file)]
        : (path ?? '/usr/bin:/bin').split(external_node_path_namespaceObject.delimiter).map((entry) => ((0,external_node_path_namespaceObject.isAbsolute)(entry) ? (0,external_node_path_namespaceObject.join)(entry, file) : (0,external_node_path_namespaceObject.resolve)(cwd, entry || '.', file)));
    return candidates.find(isExecutableFile);
}
function isExecutableFile(path) {
    try {
        // no exception for a missing file: most PATH entries lack the program, and a thrown ENOENT per
        // entry and step cost more than the lookup
        if ((0,external_node_fs_namespaceObject.statSync)(path, { throwIfNoEntry: false })?.isFile() !== true)
            return false;
        (0,external_node_fs_namespaceObject.accessSync)(path, external_node_fs_namespaceObject.constants.X_OK);
        return true;
    }
    catch {
        return false;
    }
}
/**
 * After a step: `end` kills whatever is still in its cgroup and removes it; otherwise it is kept for
 * a next step, which gets it only if it is empty by then (newStepCgroup looks): one still holding a
 * process stays as it is (a daemon the step left behind is ended with the run, as the tag sweep
 * does). Not looked at here as well: a step's processes were just killed and may still be on their
 * way out, and each look reads two files.
 */
function leaveStepCgroup(cgroup, end) {
    if (end)
        endCgroup(cgroup);
    else if (runCgroup === (0,external_node_path_namespaceObject.join)(cgroup, '..'))
        idle.push(cgroup);
    else
        removeCgroup(cgroup);
}
/** The run's cgroup, once a step made it (a spawner helper tells its orchestrator, which ends it on a forced exit). */
function runCgroupDir() {
    return typeof runCgroup === 'string' ? runCgroup : undefined;
}
/** Ends every process of the run's steps still in a cgroup and removes the cgroups: the end of a run, or a forced exit. */
function endRunCgroup() {
    idle.length = 0;
    if (typeof runCgroup !== 'string')
        return;
    endCgroup(runCgroup);
    runCgroup = undefined;
}
/** No process in it or below it, and no cgroup below it (a step running as root may make some). */
function isEmpty(dir) {
    try {
        return !populated(dir) && /^nr_descendants 0$/m.test((0,external_node_fs_namespaceObject.readFileSync)((0,external_node_path_namespaceObject.join)(dir, 'cgroup.stat'), 'utf8'));
    }
    catch {
        return false;
    }
}
const KILL_WAIT_MS = 2000;
const pause = new Int32Array(new SharedArrayBuffer(4));
/**
 * Kills every process in `dir` and below, waits (up to KILL_WAIT_MS) until none is left, and removes
 * the cgroups. Synchronous: it also runs on the way out of a forced exit. `killFile: false` does
 * what a kernel without cgroup.kill needs (exported for its test).
 */
function endCgroup(dir, killFile = true) {
    const deadline = Date.now() + KILL_WAIT_MS;
    for (;;) {
        kill(dir, killFile);
        if (!populated(dir) || Date.now() > deadline)
            break;
        Atomics.wait(pause, 0, 0, 5);
    }
    removeCgroup(dir);
}
/** cgroup.kill (Linux 5.14) kills the whole subtree at once, forks included; before it, every pid in cgroup.procs. */
function kill(dir, killFile) {
    try {
        if (killFile) {
            (0,external_node_fs_namespaceObject.writeFileSync)((0,external_node_path_namespaceObject.join)(dir, 'cgroup.kill'), '1');
            return;
        }
    }
    catch {
        // an older kernel: one pid at a time, repeated by the caller until the cgroup is empty
    }
    for (const cgroup of [dir, ...children(dir)]) {
        let pids;
        try {
            pids = (0,external_node_fs_namespaceObject.readFileSync)((0,external_node_path_namespaceObject.join)(cgroup, 'cgroup.procs'), 'utf8').split('\n').filter(Boolean);
        }
        catch {
            continue;
        }
        for (const pid of pids) {
            try {
                process.kill(Number(pid), 'SIGKILL');
            }
            catch {
                // gone meanwhile
            }
        }
    }
}
function populated(dir) {
    try {
        return /^populated 1$/m.test((0,external_node_fs_namespaceObject.readFileSync)((0,external_node_path_namespaceObject.join)(dir, 'cgroup.events'), 'utf8'));
    }
    catch {
        return false;
    }
}
/** Every cgroup below dir, deepest last. */
function children(dir) {
    let names;
    try {
        names = (0,external_node_fs_namespaceObject.readdirSync)(dir, { withFileTypes: true })
            .filter((entry) => entry.isDirectory())
            .map((entry) => entry.name);
    }
    catch {
        return [];
    }
    return names.flatMap((name) => [(0,external_node_path_namespaceObject.join)(dir, name), ...children((0,external_node_path_namespaceObject.join)(dir, name))]);
}
/** Removes dir and the cgroups below it, deepest first; one still holding a process stays (rmdir says EBUSY). */
function removeCgroup(dir) {
    for (const cgroup of [dir, ...children(dir)].reverse()) {
        try {
            (0,external_node_fs_namespaceObject.rmdirSync)(cgroup);
        }
        catch {
            // not empty yet, or already gone
        }
    }
}

;// CONCATENATED MODULE: external "node:child_process"
const external_node_child_process_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:child_process");
;// CONCATENATED MODULE: ./build/action-js/steps/retry.js
function defaultRetryPolicy(retries, env = {}) {
    const base = Number(env.ORCHESTRATOR_RETRY_BASE_MS);
    return { retries, baseMs: base >= 0 && env.ORCHESTRATOR_RETRY_BASE_MS ? base : 1000, maxMs: 120_000 };
}
/** Longest delay a Node timer holds (2^31-1 ms, about 24.8 days); a longer one fires after 1 ms. */
const MAX_TIMER_MS = 2 ** 31 - 1;
/**
 * Milliseconds the server asked us to wait: `retry-after-ms`, `retry-after` in seconds or as an
 * HTTP date. Undefined when it said nothing usable; never more than a timer holds (callers cap it
 * further, at `RetryPolicy.maxMs`).
 */
function retryAfterMs(headers, now = Date.now()) {
    const ms = Number(headers?.get('retry-after-ms') ?? NaN);
    if (Number.isFinite(ms) && ms >= 0)
        return Math.min(ms, MAX_TIMER_MS);
    const value = headers?.get('retry-after');
    if (value == null || value.trim() === '')
        return undefined;
    const seconds = Number(value);
    if (Number.isFinite(seconds) && seconds >= 0)
        return Math.min(seconds * 1000, MAX_TIMER_MS);
    const date = Date.parse(value);
    return Number.isNaN(date) ? undefined : Math.min(Math.max(0, date - now), MAX_TIMER_MS);
}
/**
 * Wait before retry number `attempt` (1-based): exponential backoff with full jitter in its upper
 * half, or what the server asked for (plus a little jitter so waiting flows do not return at once).
 */
function backoffMs(attempt, policy, serverAskedMs, random = Math.random) {
    if (serverAskedMs !== undefined)
        return Math.min(policy.maxMs, serverAskedMs + random() * Math.min(1000, policy.baseMs));
    const exponential = Math.min(policy.maxMs, policy.baseMs * 2 ** (attempt - 1));
    return exponential / 2 + (random() * exponential) / 2;
}
/** Why a signal aborted, as an Error (AbortSignal's reason may be anything). */
function abortReason(signal) {
    const reason = signal?.reason;
    return reason instanceof Error ? reason : new Error(typeof reason === 'string' ? reason : 'aborted');
}
/** Resolves after `ms` (at most MAX_TIMER_MS), or rejects at once when `signal` aborts. */
function sleep(ms, signal) {
    return new Promise((resolve, reject) => {
        if (signal?.aborted)
            return reject(abortReason(signal));
        const timer = setTimeout(() => {
            signal?.removeEventListener('abort', onAbort);
            resolve();
        }, Math.min(ms, MAX_TIMER_MS));
        const onAbort = () => {
            clearTimeout(timer);
            reject(abortReason(signal));
        };
        signal?.addEventListener('abort', onAbort, { once: true });
    });
}

;// CONCATENATED MODULE: ./build/action-js/steps/sweep.js


/**
 * Every process a step starts carries this variable, with a value unique to the step. A process
 * that leaves its step's process group (`setsid`, a daemon, codex's own shells, which start a
 * session of their own) escapes every group signal, but not its environment: on Linux its
 * initial environment stays readable in /proc/<pid>/environ, so it can still be found and ended.
 * Only a process that replaced its whole environment (`env -i`) is out of reach.
 */
const TAG_VARIABLE = 'ORCHESTRATOR_PROCESS_TAG';
/**
 * This orchestrator's part of every tag: its pid and a random nonce. A spawner helper (spawner.ts)
 * extends its orchestrator's, so `killTagged()` there finds the steps the helper started too.
 */
let RUN_TAG = `${process.pid}.${(0,external_node_crypto_namespaceObject.randomBytes)(6).toString('hex')}`;
let sweep_sequence = 0;
/** This process's part of every tag, for a spawner helper to extend. */
function runTag() {
    return RUN_TAG;
}
/** Tags this process's steps as part of `tag` (a spawner helper, before its first step). */
function adoptRunTag(tag) {
    RUN_TAG = tag;
}
/** A tag for the processes of one step. */
function newProcessTag() {
    return `${RUN_TAG}.${++sweep_sequence}`;
}
/**
 * Kills (SIGKILL) every process whose initial environment carries `tag` (the processes of one
 * step), or with no tag given, any tag of this orchestrator process. Returns their pids. One pass
 * over /proc: a few milliseconds, so it runs when a step was ended or left something behind, not
 * after every step.
 */
function killTagged(tag) {
    return killMatching(tagMatcher(tag));
}
/** Kills (SIGKILL) every process whose tag extends `runTag` (a spawner helper's: all its steps, sweep.ts's first part). */
function killTaggedUnder(runTag) {
    return killMatching(underMatcher(runTag));
}
function killMatching(tagged) {
    let pids;
    try {
        pids = (0,external_node_fs_namespaceObject.readdirSync)('/proc').filter((name) => /^\d+$/.test(name) && Number(name) !== process.pid);
    }
    catch {
        return []; // no /proc: nothing to look in
    }
    const killed = [];
    for (const pid of pids) {
        if (!tagged(Number(pid)))
            continue;
        try {
            process.kill(Number(pid), 'SIGKILL');
            killed.push(Number(pid));
        }
        catch {
            // gone meanwhile
        }
    }
    return killed;
}
/** Whether the initial environment of process `pid` carries `tag` (the processes of one step). */
function carriesTag(pid, tag) {
    return tagMatcher(tag)(pid);
}
/** Tells whether a process carries `tag`, or with no tag given, any tag of this orchestrator process. */
function tagMatcher(tag) {
    return tag === undefined ? underMatcher(RUN_TAG) : matcher(Buffer.from(`\0${TAG_VARIABLE}=${tag}\0`));
}
/** Tells whether a process carries a tag that extends `runTag`. */
function underMatcher(runTag) {
    return matcher(Buffer.from(`\0${TAG_VARIABLE}=${runTag}.`));
}
/** Tells whether the initial environment of a process holds `needle` (NUL first: after another variable, or first). */
function matcher(needle) {
    const first = needle.subarray(1);
    return (pid) => {
        let environ;
        try {
            environ = (0,external_node_fs_namespaceObject.readFileSync)(`/proc/${pid}/environ`);
        }
        catch {
            return false; // gone, or another user's
        }
        // a variable is NUL-separated from the one before it, or first in the block
        return environ.includes(needle) || environ.subarray(0, first.length).equals(first);
    };
}

;// CONCATENATED MODULE: ./build/action-js/steps/pipe-holders.js


/** A pipe or a socket as /proc names it: what a step's stdio is, never a file others share (/dev/null). */
const PIPE = /^(?:socket|pipe):\[\d+\]$/;
/**
 * What a program's stdout and stderr are, as /proc names them (`socket:[1234]`: Node's stdio pipes
 * are socket pairs, whose two ends differ, so the program's end is read from the program itself),
 * read as soon as it started; empty where there is no /proc, or when it had already exited. A shell
 * may be caught while it points its fd 1 elsewhere for a builtin (`echo $$ > file`), keeping the
 * pipe on a higher fd: then the pipes it holds there count, but for its stdin and those this
 * process holds as well.
 */
function pipeEnds(pid) {
    const ends = new Set();
    for (const fd of ['1', '2']) {
        const end = pipe_holders_link(pid, fd);
        if (end !== undefined && PIPE.test(end))
            ends.add(end);
    }
    if (ends.size === 2)
        return ends;
    // not its stdin, nor a pipe this process holds too (one it inherited without close-on-exec)
    const others = new Set([pipe_holders_link(pid, '0'), ...inheritedLinks()]);
    // the shell puts fd 1 back meanwhile: a few looks at all its fds
    for (let look = 0; look < 3 && ends.size < 2; look++) {
        for (const end of links(String(pid), 1))
            if (PIPE.test(end) && !others.has(end))
                ends.add(end);
    }
    return ends;
}
/**
 * What this process's own fds are, read once: the only ones a step's program can share with it are
 * those it inherited without close-on-exec, there from its start (every pipe Node opens is
 * close-on-exec, and each is a new inode). Reading them at every look cost more than the step.
 */
let ownLinks;
function inheritedLinks() {
    return (ownLinks ??= links('self'));
}
function pipe_holders_link(pid, fd) {
    try {
        return (0,external_node_fs_namespaceObject.readlinkSync)(`/proc/${pid}/fd/${fd}`);
    }
    catch {
        return undefined; // no /proc, or already gone
    }
}
/** What the fds of process `pid` (from fd `from` on) are, as /proc names them. */
function links(pid, from = 0) {
    let fds;
    try {
        fds = (0,external_node_fs_namespaceObject.readdirSync)(`/proc/${pid}/fd`);
    }
    catch {
        return []; // gone
    }
    const found = [];
    for (const fd of fds) {
        if (Number(fd) < from)
            continue;
        try {
            found.push((0,external_node_fs_namespaceObject.readlinkSync)(`/proc/${pid}/fd/${fd}`));
        }
        catch {
            // closed meanwhile
        }
    }
    return found;
}
/**
 * The processes the step started (they carry its `tag`: sweep.ts), other than the members of
 * process group `group` (already sent SIGKILL: on their way out), that hold one of `ends` open: on
 * Linux, from /proc/<pid>/fd. They inherited it from the program and left its group (`setsid`, a
 * daemon). Only the step's own processes: no other process is ever taken for a holder.
 */
function pipeHolders(ends, group, tag) {
    let pids;
    try {
        pids = (0,external_node_fs_namespaceObject.readdirSync)('/proc').filter((name) => /^\d+$/.test(name) && Number(name) !== process.pid);
    }
    catch {
        return [];
    }
    const holders = [];
    for (const pid of pids) {
        // the program was gone before its ends could be read (a shell that starts a daemon and exits at
        // once): then its stdout or stderr is what the step's own processes hold there
        const holds = ends.size > 0 ? holdsOneOf(pid, ends) : holdsStdioPipe(pid);
        if (holds && processGroup(pid) !== group && carriesTag(Number(pid), tag))
            holders.push({ pid: Number(pid), command: commandOf(pid) });
    }
    return holders;
}
function holdsOneOf(pid, ends) {
    let fds;
    try {
        fds = (0,external_node_fs_namespaceObject.readdirSync)(`/proc/${pid}/fd`);
    }
    catch {
        return false; // gone, or not ours to see
    }
    for (const fd of fds) {
        try {
            if (ends.has((0,external_node_fs_namespaceObject.readlinkSync)(`/proc/${pid}/fd/${fd}`)))
                return true;
        }
        catch {
            // closed meanwhile
        }
    }
    return false;
}
/** Whether process `pid` has a pipe or socket as its stdout or stderr, other than one this process holds too. */
function holdsStdioPipe(pid) {
    return ['1', '2'].some((fd) => {
        const end = pipe_holders_link(Number(pid), fd);
        return end !== undefined && PIPE.test(end) && !inheritedLinks().includes(end);
    });
}
/** The process group of `pid` (field 5 of /proc/<pid>/stat, after the parenthesised name); undefined when gone. */
function processGroup(pid) {
    try {
        const stat = (0,external_node_fs_namespaceObject.readFileSync)(`/proc/${pid}/stat`, 'utf8');
        return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]);
    }
    catch {
        return undefined;
    }
}
function commandOf(pid) {
    try {
        const command = (0,external_node_fs_namespaceObject.readFileSync)(`/proc/${pid}/cmdline`, 'utf8').replace(/\0+$/, '').replaceAll('\0', ' ');
        if (command !== '')
            return command.length > 200 ? `${command.slice(0, 200)}…` : command;
    }
    catch {
        // gone meanwhile
    }
    try {
        return (0,external_node_fs_namespaceObject.readFileSync)(`/proc/${pid}/comm`, 'utf8').trim();
    }
    catch {
        return '?';
    }
}

;// CONCATENATED MODULE: external "node:string_decoder"
const external_node_string_decoder_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:string_decoder");
;// CONCATENATED MODULE: ./build/action-js/steps/limits.js
/**
 * Most bytes of one step's output held in memory and passed on to the next step: 64 MiB. An
 * output is copied several times on its way (the next prompt, result.json, results.json), and a
 * JavaScript string holds at most about 512 MiB (2^29 characters): an output near that would end
 * the whole run with a RangeError instead of failing its step. A cmd step's stdout still reaches
 * its output.txt in full; past the cap the step fails and says so.
 */
const DEFAULT_MAX_OUTPUT_BYTES = 64 * 1024 * 1024;
/** The cap in force. ORCHESTRATOR_MAX_OUTPUT_BYTES lowers it, for tests only. */
function maxOutputBytes(env = process.env) {
    const fromEnv = Number(env.ORCHESTRATOR_MAX_OUTPUT_BYTES);
    return env.ORCHESTRATOR_MAX_OUTPUT_BYTES && Number.isSafeInteger(fromEnv) && fromEnv > 0 ? fromEnv : DEFAULT_MAX_OUTPUT_BYTES;
}
/** `64 MiB`, `2 KiB`, or exactly `2000 bytes` when no unit divides it. */
function formatBytes(bytes) {
    for (const [unit, size] of [
        ['GiB', 2 ** 30],
        ['MiB', 2 ** 20],
        ['KiB', 2 ** 10],
    ]) {
        if (bytes >= size && bytes % size === 0)
            return `${bytes / size} ${unit}`;
    }
    return `${bytes} bytes`;
}

;// CONCATENATED MODULE: ./build/action-js/steps/process-output.js


const STDERR_TAIL = 4096;
/** Stops reading `stream` while `sink` is full: a program that floods its output waits, memory does not grow. */
function heldBy(stream, sink) {
    const backlog = sink.backlog;
    if (backlog === undefined || !backlog.full())
        return;
    stream.pause();
    void backlog.drained().then(() => stream.resume());
}
/** Reads a program's stdout and stderr into their files, stdout into memory up to the cap, and its lines. */
class OutputCollector {
    sinks;
    cap = maxOutputBytes();
    chunks = [];
    captured = 0;
    stdoutBytes = 0;
    overCap = false;
    decoder = new external_node_string_decoder_namespaceObject.StringDecoder('utf8');
    lineBuffer = '';
    stderrTail = Buffer.alloc(0);
    constructor(sinks) {
        this.sinks = sinks;
    }
    attach(child) {
        const { stdout, stderr } = child;
        stdout?.on('data', (chunk) => {
            this.onStdout(chunk);
            heldBy(stdout, this.sinks.stdout);
        });
        stderr?.on('data', (chunk) => {
            this.sinks.stderr.write(chunk);
            this.stderrTail = Buffer.concat([this.stderrTail, chunk.subarray(-STDERR_TAIL)]).subarray(-STDERR_TAIL);
            heldBy(stderr, this.sinks.stderr);
        });
    }
    /** Passes on the last line, when stdout did not end with a newline. */
    flushLines() {
        if (!this.sinks.onStdoutLine)
            return;
        this.lineBuffer += this.decoder.end();
        if (this.lineBuffer !== '')
            this.sinks.onStdoutLine(this.lineBuffer);
    }
    result() {
        return {
            stdout: this.overCap ? Buffer.alloc(0) : Buffer.concat(this.chunks),
            stdoutBytes: this.stdoutBytes,
            stdoutCap: this.overCap ? this.cap : undefined,
            stderrTail: this.stderrTail.toString('utf8'),
        };
    }
    onStdout(chunk) {
        this.sinks.stdout.write(chunk);
        this.stdoutBytes += chunk.length;
        if (this.sinks.captureStdout && !this.overCap) {
            if (this.captured + chunk.length > this.cap)
                this.overCap = true;
            else {
                this.chunks.push(chunk);
                this.captured += chunk.length;
            }
        }
        const onLine = this.sinks.onStdoutLine;
        if (onLine) {
            this.lineBuffer += this.decoder.write(chunk);
            let newline;
            while ((newline = this.lineBuffer.indexOf('\n')) >= 0) {
                onLine(this.lineBuffer.slice(0, newline));
                this.lineBuffer = this.lineBuffer.slice(newline + 1);
            }
            // one line longer than any output may be: not an event worth reading, and a string has a limit
            if (this.lineBuffer.length > this.cap)
                this.lineBuffer = '';
        }
    }
}

;// CONCATENATED MODULE: ./build/action-js/steps/pipe-watch.js

/**
 * How long after the program exited (or was killed) its pipes may stay open before we look for who
 * holds them, in ms. Whatever the program wrote is read to the end of file however late the event
 * loop gets to it; what keeps a pipe open past that is a process that left the group
 * (`setsid cmd &`), which no group signal reaches and which could hold the step for as long as it lives.
 */
const PIPE_GRACE_MS = 1000;
/** Polls for I/O a step past its time still gets to read what its pipes hold, while data still comes. */
const FORCED_LOOKS = 50;
/** `pid 123 (sleep 1000), pid 124 (…)`, for messages. */
function describeHolders(holders) {
    return holders.map((h) => `pid ${h.pid} (${h.command})`).join(', ');
}
/** The note a step's stderr gets when its pipes outlived the program (empty when they did not). */
function heldPipesNote(holders, unseen) {
    if (holders.length > 0) {
        return (`\norchestrator: the command had exited, but ${holders.length === 1 ? 'a process' : 'processes'} it started outside its ` +
            `process group still held its stdout/stderr open ${PIPE_GRACE_MS} ms later: killed ${describeHolders(holders)}; ` +
            'what was written before was read to the end\n');
    }
    if (unseen) {
        return (`\norchestrator: the command had exited, but its stdout/stderr were still held open ${PIPE_GRACE_MS} ms later by a ` +
            'process that could not be found (no /proc, or not visible to this user): read what had been written, then stopped reading them\n');
    }
    return '';
}
/**
 * Watches a program's stdout and stderr once the program has exited, until both reach end of file.
 * Every PIPE_GRACE_MS it looks, after a poll for I/O, for processes the step started outside the
 * program's group that hold them, and kills those (end of file follows their end). When none can be found and the
 * last poll read nothing, nothing written is left unread: the pipes are closed from this side.
 */
class PipeWatch {
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
    tried = new Set();
    timer;
    immediate;
    watching = false;
    /** Called when the pipes are closed from this side: the step ran past its time or was interrupted. */
    onForced;
    forced = false;
    forcedLooks = 0;
    constructor(child, ends, group, tag, finished) {
        this.child = child;
        this.ends = ends;
        this.group = group;
        this.tag = tag;
        this.finished = finished;
    }
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
        if (this.watching)
            this.schedule(0);
    }
    dispose() {
        clearTimeout(this.timer);
        if (this.immediate !== undefined)
            clearImmediate(this.immediate);
    }
    schedule(ms) {
        clearTimeout(this.timer);
        this.timer = setTimeout(() => {
            // what the program wrote may be waiting in the pipes behind a stalled loop: look after the next poll
            const before = this.bytesRead();
            this.immediate = setImmediate(() => this.look(before));
        }, ms);
    }
    look(before) {
        if (this.finished() || this.ended())
            return;
        const found = pipeHolders(this.ends, this.group, this.tag).filter((h) => !this.tried.has(h.pid));
        for (const holder of found) {
            this.tried.add(holder.pid);
            try {
                process.kill(holder.pid, 'SIGKILL');
                this.holders.push(holder);
            }
            catch {
                // gone meanwhile, or not ours to end
            }
        }
        // once they are gone the pipes reach end of file, after what they hold has been read
        if (found.length > 0)
            return this.schedule(PIPE_GRACE_MS);
        // still reading what was written (or a hidden process still writes): wait for the end of file;
        // past the step's time, only a few polls more (each reads megabytes: more than a pipe holds)
        if (this.bytesRead() !== before) {
            if (!this.forced)
                return this.schedule(PIPE_GRACE_MS);
            if (this.forcedLooks++ < FORCED_LOOKS)
                return this.schedule(0);
        }
        // the last poll found nothing to read, yet no end of file: held by a process no scan finds
        this.unseen ||= this.holders.length === 0;
        if (this.forced)
            this.onForced?.();
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
}

;// CONCATENATED MODULE: external "node:v8"
const external_node_v8_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:v8");
;// CONCATENATED MODULE: ./build/action-js/util/young-generation.js

/** The young generation V8 may grow to during a run: enough that short-lived garbage dies young. */
const YOUNG_MAX_BYTES = 32 * 1024 * 1024;
/**
 * The young generation of a process that starts programs (cmd and codex steps). `spawn` forks this
 * process: the kernel copies the page tables of all its memory, the child tears them down again in
 * `exec`, and the event loop waits for both. A young generation grown to 64 MB made each spawn cost
 * ~1.3 x what it cost at 8 MB (a 2,000-step cmd run: 126 against 92 MB resident), for no gain: what a
 * step keeps is a few buffers (issue 27.4).
 */
const SPAWNING_YOUNG_MAX_BYTES = 8 * 1024 * 1024;
/**
 * Keeps V8's young generation (new space) from growing past `maxBytes` (YOUNG_MAX_BYTES unless
 * given) for the rest of the process: the first call that finds it above half of its `maxBytes`
 * holds it where it is. V8 doubles it, up to 128 MB on 64-bit, each time as many bytes have survived scavenges
 * since the last doubling as it holds: in a long run that always happens, so the resident memory
 * of a run grew with its number of flows though nothing was kept (new space 16 -> 128 MB over
 * 100,000 offline flows, old space flat at about 15 MB). `--max-semi-space-size` would have to be
 * given on Node's command line; the growth factor is read each time the space grows, so it can be
 * set to 1 (no growth) from here once the space is as large as allowed. Called now and then (each
 * progress report is enough: a doubling needs megabytes to survive first).
 */
function holdYoungGeneration(maxBytes = YOUNG_MAX_BYTES) {
    if (held)
        return;
    const young = (0,external_node_v8_namespaceObject.getHeapSpaceStatistics)().find((space) => space.space_name === 'new_space');
    // a V8 without the space or the flag: nothing to do
    if (young === undefined || young.space_size * 2 <= maxBytes)
        return;
    held = true;
    (0,external_node_v8_namespaceObject.setFlagsFromString)('--semi-space-growth-factor=1');
}
let held = false;

;// CONCATENATED MODULE: ./build/action-js/steps/process.js








/** Process groups currently running (here or in a spawner helper), so an interrupt can end every group at once. */
const running = new Set();
/** What else a forced exit ends at once: the spawner helpers' cgroups and the helpers (spawner.ts). */
const onKillAll = [];
/** Counts process group `pid` as running until `untrackGroup`: one a spawner helper started for this process. */
function trackGroup(pid) {
    running.add(pid);
}
function untrackGroup(pid) {
    running.delete(pid);
}
/** Runs `end` (synchronous) whenever every process tree is killed at once. */
function alsoOnKillAll(end) {
    onKillAll.push(end);
}
/** Grace between SIGTERM and SIGKILL when a process group is ended, in ms (tests shorten it). */
function killGraceMs() {
    const fromEnv = Number(process.env.ORCHESTRATOR_KILL_GRACE_MS);
    return Number.isFinite(fromEnv) && fromEnv >= 0 && process.env.ORCHESTRATOR_KILL_GRACE_MS ? fromEnv : 5000;
}
/** Sends `signal` to process group `pid`; one already gone is no error. */
function signalGroup(pid, signal) {
    try {
        process.kill(-pid, signal);
    }
    catch {
        // the group is already gone
    }
}
/**
 * Ends every running process group at once with SIGKILL, and every process any step of this
 * orchestrator started that escaped its group: the last resort of a forced exit, and the sweep at
 * the end of a run, so no child outlives the orchestrator.
 */
function killAllProcessTrees() {
    for (const pid of running)
        signalGroup(pid, 'SIGKILL');
    for (const end of onKillAll)
        end();
    endRunCgroup();
    killTagged();
}
/**
 * Runs a program in its own process group. On timeout or cancellation the whole group gets SIGTERM,
 * then SIGKILL after a grace period; when the program exits, whatever it left running in its
 * group is killed too, so no grandchild outlives its step. Its stdout and stderr are read to the
 * end of file: no timer throws away what it wrote. A process that left the group (`setsid`, a
 * daemon) and still holds them PIPE_GRACE_MS after the program exited is found by its open pipe
 * (on Linux) and killed, and what it wrote until then is read too; one that cannot be found (no
 * /proc) is not waited for once everything written has been read. No escaped process holds a step
 * past its end, its timeout or an interrupt.
 *
 * Plain `child_process.spawn`: a cmd fan-out spends its time here, and execa's layers (stream
 * pipelines, abort signals, result objects) cost more CPU per process than the shell it starts.
 */
async function runProcess(request, launch) {
    // every spawn from here copies this process's memory map, and steps keep little: keep it small (young-generation.ts)
    holdYoungGeneration(SPAWNING_YOUNG_MAX_BYTES);
    const tag = newProcessTag();
    // where the runner allows it, the step's processes live in a cgroup none of them can leave
    const cgroup = newStepCgroup();
    const started = startStep(request, tag, cgroup, launch);
    const child = started instanceof Promise ? await started : started;
    if (typeof child === 'string') {
        if (cgroup !== undefined)
            leaveStepCgroup(cgroup, true);
        await endStreams(request);
        return notStarted(child);
    }
    // what to look for should the pipes outlive the program: two readlinks per step, on Linux. Read
    // first: a shell that starts a daemon and exits at once is gone a millisecond later (in a
    // spawner helper, telling the orchestrator the pid in onSpawn took longer: no ends, no holder found)
    const ends = child.ends ?? (child.pid === undefined ? new Set() : pipeEnds(child.pid));
    let startError;
    let finished = false;
    const closed = new Promise((resolve) => {
        child.once('error', (error) => (startError ??= error));
        // after the exit and the end of file on both pipes (or their being closed by `pipes` below)
        child.once('close', (code, signal) => {
            finished = true;
            resolve({ code, signal });
        });
    });
    // a program that does not read its stdin closes the pipe: that is not an error
    child.stdin?.on('error', () => undefined);
    child.stdin?.end(request.input);
    const pid = child.pid;
    if (pid !== undefined) {
        running.add(pid);
        request.onSpawn?.(pid);
    }
    const pipes = new PipeWatch(child, ends, pid ?? 0, tag, () => finished);
    const output = new OutputCollector(request);
    output.attach(child);
    const stop = new Stop(pid, pipes, request, () => finished);
    child.once('exit', () => {
        stop.exited();
        // the program itself exited: end what it left behind in its group, so the pipes close
        if (pid !== undefined)
            signalGroup(pid, 'SIGKILL');
        pipes.watch();
    });
    try {
        const { code, signal } = await closed;
        const { holders, unseen } = pipes;
        const pipesHeld = holders.length > 0 || unseen;
        const { timedOut, cancelled } = stop;
        // whatever escaped the group: all of its cgroup, and what carries the tag in its environment
        const sweep = request.sweep || timedOut || cancelled || pipesHeld;
        if (cgroup !== undefined)
            leaveStepCgroup(cgroup, sweep);
        if (sweep)
            killTagged(tag);
        output.flushLines();
        const note = heldPipesNote(holders, unseen);
        if (note !== '')
            request.stderr.write(note);
        // not started at all: node reports the errno as the exit code
        const started = pid !== undefined;
        return {
            exitCode: started ? (code ?? undefined) : undefined,
            signal: started ? (signal ?? undefined) : undefined,
            ...output.result(),
            timedOut,
            cancelled,
            spawnError: !started && startError !== undefined && !timedOut && !cancelled ? startError.message : undefined,
            pipesHeld,
            holders,
        };
    }
    finally {
        stop.dispose();
        pipes.dispose();
        if (pid !== undefined)
            running.delete(pid);
        await endStreams(request);
    }
}
/** The program to start for the step, in a process group of its own (and in `cgroup`), or why it cannot be. */
function stepCommand(request, tag, cgroup) {
    const command = cgroup === undefined
        ? { file: request.file, args: [...request.args] }
        : spawnInCgroup(cgroup, request.file, request.args, request.cwd, request.env);
    if ('error' in command)
        return command.error;
    const env = { ...request.env, ...('env' in command ? command.env : undefined), [TAG_VARIABLE]: tag };
    return { file: command.file, args: command.args, env };
}
/**
 * Starts the program (from the launcher when there is one), or says why it could not be. Spawned
 * here, it is returned at once, not through a promise: its 'error' comes on the next tick, before
 * an `await` would let the caller listen.
 */
function startStep(request, tag, cgroup, launch) {
    const command = stepCommand(request, tag, cgroup);
    if (typeof command === 'string')
        return command;
    // a NUL cannot cross to the launcher: spawn here says what is wrong
    if (launch === undefined || hasNul(command, request.cwd))
        return spawnStep(command, request.cwd);
    return launch({ ...command, cwd: request.cwd, input: request.input }).then((launched) => launched ?? spawnStep(command, request.cwd));
}
/** Starts the program from this process, or says why it could not be. */
function spawnStep(command, cwd) {
    try {
        return (0,external_node_child_process_namespaceObject.spawn)(command.file, command.args, { cwd, env: command.env, detached: true, stdio: ['pipe', 'pipe', 'pipe'] });
    }
    catch (error) {
        // E2BIG and the like are thrown, not emitted
        return error instanceof Error ? error.message : String(error);
    }
}
function hasNul({ file, args, env }, cwd) {
    return [file, cwd, ...args, ...Object.keys(env), ...Object.values(env)].some((text) => text.includes('\0'));
}
/** The result of a program that never ran (`spawnError` says why) or whose end is not known: nothing read, no exit. */
function notStarted(spawnError) {
    return {
        exitCode: undefined,
        signal: undefined,
        stdout: Buffer.alloc(0),
        stdoutBytes: 0,
        stdoutCap: undefined,
        stderrTail: '',
        timedOut: false,
        cancelled: false,
        spawnError,
        pipesHeld: false,
        holders: [],
    };
}
async function endStreams(request) {
    await Promise.all([request.stdout.end(), request.stderr.end()]);
}
/**
 * Ends the program's group when the step runs past its time or is interrupted: SIGTERM, then
 * SIGKILL after killGraceMs(); the pipes are then no longer waited for once the program is gone.
 */
class Stop {
    pid;
    pipes;
    request;
    timedOut = false;
    cancelled = false;
    hasExited = false;
    killTimer;
    timer;
    constructor(pid, pipes, request, finished) {
        this.pid = pid;
        this.pipes = pipes;
        this.request = request;
        // Decided after the next poll for I/O, not in the timer: libuv runs expired timers first, so after
        // a stalled loop the program's exit (or its pipes' end) may be waiting, and then it ended in time.
        this.timer = setTimeout(() => setImmediate(() => {
            if (finished())
                return;
            // the program exited in time but its pipes are still held: past its time, stop waiting for them
            if (!this.hasExited)
                this.timedOut = true;
            this.end();
            pipes.stopWaiting(() => (this.timedOut = true));
        }), Math.min(request.timeoutMs, MAX_TIMER_MS));
        if (request.signal.aborted)
            this.onAbort();
        request.signal.addEventListener('abort', this.onAbort, { once: true });
    }
    /** The program exited (by itself or killed): no SIGKILL is to follow. */
    exited() {
        this.hasExited = true;
        clearTimeout(this.killTimer);
    }
    dispose() {
        clearTimeout(this.timer);
        clearTimeout(this.killTimer);
        this.request.signal.removeEventListener('abort', this.onAbort);
    }
    onAbort = () => {
        this.cancelled = true;
        this.end();
        this.pipes.stopWaiting();
    };
    end() {
        const pid = this.pid;
        if (pid === undefined || this.killTimer !== undefined || this.hasExited)
            return;
        signalGroup(pid, 'SIGTERM');
        this.killTimer = setTimeout(() => signalGroup(pid, 'SIGKILL'), killGraceMs());
    }
}

;// CONCATENATED MODULE: ./build/action-js/steps/spawner-helper.js



/**
 * A spawner helper (spawner.ts): a small Node process, forked by its orchestrator with the
 * environment cmd steps get (no key, no token), its orchestrator's run tag and pid as arguments,
 * that runs cmd steps' programs through `runProcess` exactly as the orchestrator would (process
 * group, step cgroup, tag, timeout, pipe-holder watch) and sends back each one's pid, output and
 * result. When its orchestrator disconnects or dies, it ends everything it started and exits.
 */
const [tag, orchestrator] = process.argv.slice(2);
if (tag === undefined || orchestrator === undefined || process.send === undefined) {
    process.stderr.write('orchestrator: the spawner helper is started by orchestrator itself, with an IPC channel and its run tag\n');
    process.exit(2);
}
adoptRunTag(tag);
ownRunCgroupsAs(Number(orchestrator));
const aborts = new Map();
let toldCgroup;
function send(message, done = () => undefined) {
    // the orchestrator may be gone already: then the disconnect below ends everything
    if (process.connected)
        process.send?.(message, undefined, undefined, done);
    else
        done();
}
/**
 * Output bytes sent but not yet taken by the channel: above this, the steps' pipes are not read
 * (process-output.ts) until it drains, so a step that floods its output waits instead of this
 * helper holding what the orchestrator has not read yet.
 */
const BACKLOG_BYTES = 1 << 20;
let inFlight = 0;
let waiting = [];
const backlog = {
    full: () => inFlight > BACKLOG_BYTES,
    drained: () => (inFlight > BACKLOG_BYTES ? new Promise((resolve) => waiting.push(resolve)) : Promise.resolve()),
};
function sendOutput(message) {
    const bytes = message.chunk.byteLength;
    inFlight += bytes;
    send(message, () => {
        inFlight -= bytes;
        if (inFlight > BACKLOG_BYTES || waiting.length === 0)
            return;
        const resume = waiting;
        waiting = [];
        for (const go of resume)
            go();
    });
}
/** Nothing this helper started outlives it or its orchestrator. */
function end(code) {
    killAllProcessTrees();
    process.exit(code);
}
process.on('message', (message) => {
    if (message.t === 'abort')
        aborts.get(message.id)?.abort();
    else
        void run(message);
});
process.on('disconnect', () => end(0));
// a terminal's Ctrl-C (and a runner's SIGTERM to the group) reaches the helpers too: the orchestrator
// decides what an interrupt ends (it aborts each step, which is then cancelled, not failed by a dead
// helper) and the helper exits on its disconnect, so these are not the helper's to act on
process.on('SIGINT', () => undefined).on('SIGTERM', () => undefined);
process.on('uncaughtException', (error) => {
    process.stderr.write(`orchestrator: the spawner helper failed: ${error.stack ?? error.message}\n`);
    end(70);
});
send({ t: 'ready' });
async function run({ id, input, ...request }) {
    const controller = new AbortController();
    aborts.set(id, controller);
    const sink = (t) => ({
        write: (chunk) => {
            const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
            sendOutput(t === 'out' ? { t, id, chunk: bytes } : { t, id, chunk: bytes });
        },
        end: () => Promise.resolve(),
        backlog,
    });
    try {
        const result = await runProcess({
            ...request,
            input: typeof input === 'string' ? input : Buffer.from(input.buffer, input.byteOffset, input.byteLength),
            signal: controller.signal,
            stdout: sink('out'),
            stderr: sink('err'),
            onSpawn: (pid) => {
                // made with the first step: the orchestrator ends it on a forced exit
                const cgroup = runCgroupDir();
                if (cgroup !== toldCgroup)
                    send({ t: 'cgroup', dir: (toldCgroup = cgroup) });
                send({ t: 'pid', id, pid });
            },
        });
        send({ t: 'done', id, result });
    }
    finally {
        aborts.delete(id);
    }
}

