import { createRequire as __WEBPACK_EXTERNAL_createRequire } from "module";
var __webpack_exports__ = {};

;// CONCATENATED MODULE: external "node:worker_threads"
const external_node_worker_threads_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:worker_threads");
;// CONCATENATED MODULE: external "node:fs"
const external_node_fs_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:fs");
;// CONCATENATED MODULE: external "node:path"
const external_node_path_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:path");
;// CONCATENATED MODULE: external "node:url"
const external_node_url_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:url");
;// CONCATENATED MODULE: ./build/action-js/flows/flows.js
/** `flow_0001` for index 0: at least 4 digits, as many as the largest id of `total` flows needs. */
function flowId(index, total) {
    return `flow_${String(index + 1).padStart(Math.max(4, String(total).length), '0')}`;
}
/** The cartesian product of the key lists, addressed by index so it never needs to be materialised. */
class FlowSpace {
    keys;
    total;
    constructor(keys) {
        this.keys = keys;
        this.total = keys.reduce((product, key) => product * key.paths.length, 1);
    }
    id(index) {
        return flowId(index, this.total);
    }
    /** The flow at a 0-based index: the first key varies slowest. */
    at(index) {
        if (!Number.isInteger(index) || index < 0 || index >= this.total) {
            throw new RangeError(`flow index ${index} is outside 0..${this.total - 1}`);
        }
        const keys = {};
        let rest = index;
        for (let k = this.keys.length - 1; k >= 0; k--) {
            const key = this.keys[k];
            keys[key.name] = key.paths[rest % key.paths.length];
            rest = Math.floor(rest / key.paths.length);
        }
        const ordered = {};
        for (const key of this.keys)
            ordered[key.name] = keys[key.name];
        return { index, id: this.id(index), keys: ordered };
    }
    /** Flows lazily, in order, for the given indexes (default: all). */
    *flows(indexes = range(0, this.total)) {
        for (const index of indexes)
            yield this.at(index);
    }
}
function* range(from, to) {
    for (let i = from; i < to; i++)
        yield i;
}

;// CONCATENATED MODULE: ./build/action-js/engine/leaf-lines.js


/** A flow's line: its id, its steps' fingerprints and the stamp of its files (stampOf). */
const indexLine = (id, prints, stamp) => JSON.stringify({ id, fp: prints, st: stamp });
const FINGERPRINT = /^[0-9a-f]{64}$/;
const FLOW_ID = /^flow_\d{1,12}$/;
/** Numbers in a stamp: size and modification time of the flow's directory, then of its result.json. */
const STAMP_LENGTH = 4;
const LINE_START = '{"id":"';
const PRINTS_START = '","fp":[';
const STAMP_START = '],"st":[';
/** A fingerprint in a line: 64 characters quoted, then a comma or the list's end. */
const PRINT_CHARS = 64 + 3;
/**
 * The stamp of a flow's files: size and modification time of its directory (which change when an
 * entry of it is added, removed or renamed: a step directory removed, result.json replaced) and of
 * its result.json (which change when it is rewritten in place); undefined when either is missing or
 * not what it should be. Two lstat calls a flow, by path, when it ends and on resume: a file
 * rewritten in place inside a step directory is not seen (a later step's fingerprint, made from the
 * output it reads, still is). Only metadata is looked at: a directory swapped for a link on the way
 * makes a stamp of another file, which matches only when forged, as the line itself can be.
 */
function stampOf(runDir, flowId) {
    const flowDir = `${runDir}/${flowId}`;
    const dir = (0,external_node_fs_namespaceObject.lstatSync)(flowDir, { throwIfNoEntry: false });
    if (dir?.isDirectory() !== true)
        return undefined;
    const leaf = (0,external_node_fs_namespaceObject.lstatSync)(`${flowDir}/result.json`, { throwIfNoEntry: false });
    if (leaf?.isFile() !== true)
        return undefined;
    return [dir.size, dir.mtimeMs, leaf.size, leaf.mtimeMs];
}
/**
 * The lines of an index's text by flow, in the flows' order (the first at `range.from`); lines that
 * are not a line of one of these flows, of `steps` steps, are left out (a flow listed twice: the
 * last line counts).
 */
function leaf_lines_parseIndex(text, steps, range) {
    const lines = new Array(range.to - range.from).fill(undefined);
    const place = (id, line) => {
        const index = Number(id.slice('flow_'.length)) - 1;
        if (index >= range.from && index < range.to && flowId(index, range.total) === id)
            lines[index - range.from] = line;
    };
    for (let at = 0; at < text.length;) {
        let end = text.indexOf('\n', at);
        if (end < 0)
            end = text.length;
        const line = text.slice(at, end);
        at = end + 1;
        if (line === '')
            continue;
        const id = canonicalId(line, steps);
        if (id !== undefined)
            place(id, line);
        else {
            const parsed = parseLine(line, steps);
            if (parsed !== undefined)
                place(parsed.id, indexLine(parsed.id, parsed.fp, parsed.st));
        }
    }
    return lines;
}
/** Whether a flow's files are as its line says (their stamp now is the line's), taken now. */
function stampMatches(runDir, flowId, line, steps) {
    const stamp = stampOf(runDir, flowId);
    if (stamp === undefined)
        return false;
    const end = `${STAMP_START}${stamp.join(',')}]}`;
    return line.length === printAt(flowId, steps) - 1 + end.length && line.endsWith(end);
}
/** Whether step `i`'s fingerprint in a flow's line (one parseIndex kept) is `fingerprint`. */
const fingerprintAt = (line, flowId, i, fingerprint) => line.startsWith(`"${fingerprint}"`, printAt(flowId, i));
/** Where step `i`'s fingerprint starts in a flow's line. */
const printAt = (flowId, i) => LINE_START.length + flowId.length + PRINTS_START.length + i * PRINT_CHARS;
/**
 * The id of a line laid out as indexLine writes it, found without parsing it as JSON; undefined
 * for any other line. A fingerprint that is not one (not 64 hex digits) is left for the
 * comparison to refuse: no step is made under it.
 */
function canonicalId(line, steps) {
    if (!line.startsWith(LINE_START))
        return undefined;
    const idEnd = line.indexOf('"', LINE_START.length);
    if (idEnd < 0)
        return undefined;
    const id = line.slice(LINE_START.length, idEnd);
    if (!FLOW_ID.test(id) || !line.startsWith(PRINTS_START, idEnd))
        return undefined;
    for (let i = 0; i < steps; i++) {
        const at = printAt(id, i);
        if (line[at] !== '"' || line[at + 65] !== '"' || line[at + 66] !== (i + 1 < steps ? ',' : ']'))
            return undefined;
    }
    return line.startsWith(STAMP_START, printAt(id, steps) - 1) && line.endsWith(']}') ? id : undefined;
}
/** A line in any other layout JSON allows: its fields, when they are what a line holds. */
function parseLine(line, steps) {
    let value;
    try {
        value = JSON.parse(line);
    }
    catch {
        return undefined;
    }
    const { id, fp, st } = (value ?? {});
    if (typeof id !== 'string' || !FLOW_ID.test(id))
        return undefined;
    if (!Array.isArray(fp) || fp.length !== steps || !fp.every((f) => typeof f === 'string' && FINGERPRINT.test(f)))
        return undefined;
    // a line without a stamp (an index written before stamps) vouches for nothing
    if (!Array.isArray(st) || st.length !== STAMP_LENGTH || !st.every((n) => typeof n === 'number'))
        return undefined;
    return { id, fp: fp, st };
}
/** The flow id of a line parseIndex kept. */
const lineId = (line) => line.slice(LINE_START.length, line.indexOf('"', LINE_START.length));

;// CONCATENATED MODULE: ./build/action-js/engine/leaf-checks.js





/** Flows a batch covers: enough that the messages cost nothing next to the stamps. */
const BATCH = 2048;
/** The thread's module, beside this one in the built CLI (absent under jest's sources and in the Action's bundle). */
const THREAD_MODULE = './leaf-check-worker.js';
/**
 * Parses an index and checks the stamp of each flow it lists, in order, handing the results over
 * a batch at a time: on the checking thread, or (without one) on this one, a batch when asked.
 */
function checkLines(setup, send) {
    const lines = leaf_lines_parseIndex(setup.text, setup.steps, setup);
    const near = { ...setup, runDir: fromHere(setup.runDir) };
    for (let from = setup.from; from < setup.to; from += BATCH)
        send(checkBatch(near, lines, from));
}
/**
 * A path relative to the working directory when it is below it: the kernel then looks up fewer
 * directories for each of the 200,000 lstat calls of 100,000 flows (~10 % of their time here).
 * The result names the same file: no process of orchestrator changes its working directory.
 */
function fromHere(path) {
    const near = (0,external_node_path_namespaceObject.relative)(process.cwd(), path);
    return near !== '' && !near.startsWith('..') && !(0,external_node_path_namespaceObject.isAbsolute)(near) ? near : path;
}
function checkBatch(setup, lines, from) {
    const checked = [];
    const to = Math.min(from + BATCH, setup.to);
    for (let index = from; index < to; index++) {
        const line = lines[index - setup.from];
        checked.push(line !== undefined && stampMatches(setup.runDir, lineId(line), line, setup.steps) ? line : '');
    }
    return { from, lines: checked.join('\n') };
}
/**
 * The lines of an earlier attempt's index whose flows' files are as the lines say (stampMatches),
 * by flow, checked ahead of the flows a resume starts. The stamps (two lstat calls a flow, kernel
 * time: about a quarter of the CPU of a resume over 100,000 finished flows) are taken on a thread
 * of their own beside the fingerprints the run's thread makes (vouches), so the two take turns on
 * no core. Taking a stamp ahead of its flow is no weaker than taking it when the flow is reached:
 * flows that resume runs meanwhile may still change it, as they could after it was reached, and
 * whenever something ran results.json reads every flow's result.json back (a flow vouched for that
 * is not a succeeded leaf then costs the index). Without the thread's module (the Action's
 * bundle, jest's sources) or when the thread fails, the checks are made here, a batch when asked.
 */
class CheckedLines {
    setup;
    batches = new Map();
    waiting;
    worker;
    lines;
    near;
    constructor(setup, file = threadModule()) {
        this.setup = setup;
        if (file === undefined)
            return;
        try {
            const worker = new Worker(file, { workerData: setup, name: 'resume checks' });
            worker.unref();
            worker.on('message', (batch) => this.take(batch));
            worker.on('error', () => this.inThisThread());
            worker.on('exit', () => this.inThisThread());
            this.worker = worker;
        }
        catch {
            this.worker = undefined;
        }
    }
    /** The line of the flow at `index` when its stamp held (after `ready(index)`); undefined when none did. */
    line(index) {
        const start = this.batchStart(index);
        const line = this.batches.get(start)?.[index - start];
        if (index + 1 === Math.min(start + BATCH, this.setup.to))
            this.batches.delete(start);
        return line === '' ? undefined : line;
    }
    /** Whether the flow at `index` was checked: else `ready` waits for it. */
    has(index) {
        const start = this.batchStart(index);
        if (this.batches.has(start))
            return true;
        if (this.worker !== undefined)
            return false;
        this.lines ??= parseIndex(this.setup.text, this.setup.steps, this.setup);
        this.near ??= { ...this.setup, runDir: fromHere(this.setup.runDir) };
        this.take(checkBatch(this.near, this.lines, start));
        return true;
    }
    ready(index) {
        if (this.has(index))
            return Promise.resolve();
        // the thread is unref'd, so that it never holds the process up: but for while it is waited for
        this.worker?.ref();
        return new Promise((wake) => (this.waiting = { from: this.batchStart(index), wake }));
    }
    /** Ends the thread (the run no longer asks). */
    close() {
        const worker = this.worker;
        this.worker = undefined;
        void worker?.terminate();
    }
    batchStart(index) {
        return index - ((index - this.setup.from) % BATCH);
    }
    take(batch) {
        this.batches.set(batch.from, batch.lines.split('\n'));
        if (this.waiting?.from === batch.from)
            this.wakeWaiting();
    }
    /** The thread ended or failed: the flows not checked yet are checked here. */
    inThisThread() {
        this.worker = undefined;
        if (this.waiting !== undefined && this.has(this.waiting.from))
            this.wakeWaiting();
    }
    wakeWaiting() {
        const { wake } = this.waiting;
        this.waiting = undefined;
        this.worker?.unref();
        wake();
    }
}
function threadModule() {
    const file = new URL(THREAD_MODULE, import.meta.url);
    return existsSync(fileURLToPath(file)) ? file : undefined;
}

;// CONCATENATED MODULE: ./build/action-js/engine/leaf-check-worker.js


/**
 * The thread that checks an earlier attempt's index of finished flows ahead of a resume
 * (leaf-checks.ts): its lines parsed, each listed flow's files stamped, the lines whose stamp holds
 * sent back in order, a batch at a time.
 */
const setup = external_node_worker_threads_namespaceObject.workerData;
checkLines(setup, (batch) => external_node_worker_threads_namespaceObject.parentPort.postMessage(batch));

