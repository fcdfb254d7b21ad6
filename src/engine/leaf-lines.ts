import { lstatSync } from 'node:fs';
import { flowId } from '../flows/flows.js';

/**
 * The lines of the index of finished flows (leaf-index.ts) and the stamps they hold: what both the
 * run's thread and the thread that checks stamps ahead of a resume (leaf-checks.ts) need, and
 * nothing else (that thread loads this module alone).
 *
 * A line is `{"id":"flow_0001","fp":["<step 1's fingerprint>", ...],"st":[<size>, <mtime ms>, ...]}`
 * as JSON.stringify writes those three fields (indexLine). A resume compares a flow's line with
 * the one it would write now as text: its stamp (the line's end, stampMatches) and each step's
 * fingerprint (fingerprintAt): a line kept is then written again as it was read, not parsed and
 * made anew.
 */
export type IndexLine = string;

/** The index's name in a run directory, for shard `index` of `count`. */
export const leafIndexName = (shard: { index: number; count: number }): string => `leaves-${shard.index}-of-${shard.count}.jsonl`;

/** A flow's line: its id, its steps' fingerprints and the stamp of its files (stampOf). */
export const indexLine = (id: string, prints: readonly string[], stamp: readonly number[]): IndexLine =>
  JSON.stringify({ id, fp: prints, st: stamp });

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
export function stampOf(runDir: string, flowId: string): number[] | undefined {
  const flowDir = `${runDir}/${flowId}`;
  const dir = lstatSync(flowDir, { throwIfNoEntry: false });
  if (dir?.isDirectory() !== true) return undefined;
  const leaf = lstatSync(`${flowDir}/result.json`, { throwIfNoEntry: false });
  if (leaf?.isFile() !== true) return undefined;
  return [dir.size, dir.mtimeMs, leaf.size, leaf.mtimeMs];
}

/** Where each flow's line is in an index: the flows of `range` in order (0-based, `to` excluded), and how many the run has in all (for their ids). */
export interface IndexRange {
  readonly from: number;
  readonly to: number;
  readonly total: number;
}

/**
 * The lines of an index's text by flow, in the flows' order (the first at `range.from`); lines that
 * are not a line of one of these flows, of `steps` steps, are left out (a flow listed twice: the
 * last line counts). With `spans`, where each flow's line is in `text` (start, end), 0 and 0 for a
 * flow without one, -1 and -1 for a line laid out otherwise (not `text`'s own: indexLine made it).
 */
export function parseIndex(text: string, steps: number, range: IndexRange, spans?: Int32Array): (IndexLine | undefined)[] {
  const lines = new Array<IndexLine | undefined>(range.to - range.from).fill(undefined);
  // an id as flowId writes it (its digits are checked already): as many digits as the run's ids have
  const idLength = flowId(0, range.total).length;
  const place = (id: string, line: IndexLine, start: number, end: number): void => {
    const index = Number(id.slice('flow_'.length)) - 1;
    if (index < range.from || index >= range.to || id.length !== idLength) return;
    lines[index - range.from] = line;
    if (spans === undefined) return;
    spans[2 * (index - range.from)] = start;
    spans[2 * (index - range.from) + 1] = end;
  };
  for (let at = 0; at < text.length;) {
    let end = text.indexOf('\n', at);
    if (end < 0) end = text.length;
    const line = text.slice(at, end);
    const start = at;
    at = end + 1;
    if (line === '') continue;
    const id = canonicalId(line, steps);
    if (id !== undefined) place(id, line, start, end);
    else {
      const parsed = parseLine(line, steps);
      if (parsed !== undefined) place(parsed.id, indexLine(parsed.id, parsed.fp, parsed.st), -1, -1);
    }
  }
  return lines;
}

/** Whether a flow's files are as its line says (their stamp now is the line's), taken now. */
export function stampMatches(runDir: string, flowId: string, line: IndexLine, steps: number): boolean {
  const stamp = stampOf(runDir, flowId);
  if (stamp === undefined) return false;
  const end = `${STAMP_START}${stamp.join(',')}]}`;
  return line.length === printAt(flowId, steps) - 1 + end.length && line.endsWith(end);
}

/** Whether step `i`'s fingerprint in a flow's line (one parseIndex kept) is `fingerprint`. */
export const fingerprintAt = (line: IndexLine, flowId: string, i: number, fingerprint: string): boolean =>
  line.startsWith(`"${fingerprint}"`, printAt(flowId, i));

/** Step `i`'s fingerprint in a flow's line (one parseIndex kept), when it is one (64 hex digits). */
export function printIn(line: IndexLine, flowId: string, i: number): string | undefined {
  const at = printAt(flowId, i) + 1;
  const print = line.slice(at, at + 64);
  return FINGERPRINT.test(print) ? print : undefined;
}

/**
 * The index's last line, when the run's inputs did not change while it ran: the digest of what
 * every flow's first step is made from (inputs-digest.ts), `{"inputs":"<sha256>"}`. parseIndex
 * leaves it out (it is no flow's line).
 */
export const inputsLine = (digest: string): string => JSON.stringify({ inputs: digest });

const INPUTS_LINE = /^\{"inputs":"([0-9a-f]{64})"\}$/;

/** The inputs digest an index's text ends with (inputsLine); undefined when it has none. */
export function inputsOf(text: string): string | undefined {
  const end = text.endsWith('\n') ? text.length - 1 : text.length;
  const last = text.slice(text.lastIndexOf('\n', end - 1) + 1, end);
  return INPUTS_LINE.exec(last)?.[1];
}

/**
 * What an index's lines say of the run they were written by, found without that run (the checking
 * thread started before the run was prepared: leaf-checks.ts): the steps a line lists fingerprints
 * of and the length of its flow ids (`flow_0001`: 9), from its first line laid out as indexLine
 * does, and the largest flow number any such line names. Undefined when no line is laid out so.
 */
export function indexLayout(text: string): { steps: number; width: number; flows: number } | undefined {
  let layout: { steps: number; width: number } | undefined;
  let flows = 0;
  for (let at = 0; at < text.length;) {
    let end = text.indexOf('\n', at);
    if (end < 0) end = text.length;
    const idEnd = text.startsWith(LINE_START, at) ? text.indexOf('"', at + LINE_START.length) : -1;
    if (idEnd > 0 && idEnd < end) {
      const id = text.slice(at + LINE_START.length, idEnd);
      if (layout === undefined && FLOW_ID.test(id)) {
        const steps = printCount(text.slice(at, end), id);
        if (steps !== undefined) layout = { steps, width: id.length };
      }
      // only ids as wide as the first line's: a line of another width is no line of this run's
      if (layout !== undefined && id.length === layout.width && FLOW_ID.test(id)) flows = Math.max(flows, Number(id.slice('flow_'.length)));
    }
    at = end + 1;
  }
  return layout === undefined || flows === 0 ? undefined : { ...layout, flows };
}

/** How many fingerprints a line laid out as indexLine does lists (canonicalId then holds for it); undefined for another line. */
function printCount(line: string, id: string): number | undefined {
  for (let steps = 1; printAt(id, steps) <= line.length; steps++) if (canonicalId(line, steps) === id) return steps;
  return undefined;
}

/** Where step `i`'s fingerprint starts in a flow's line. */
const printAt = (flowId: string, i: number): number => LINE_START.length + flowId.length + PRINTS_START.length + i * PRINT_CHARS;

/**
 * The id of a line laid out as indexLine writes it, found without parsing it as JSON; undefined
 * for any other line. A fingerprint that is not one (not 64 hex digits) is left for the
 * comparison to refuse: no step is made under it.
 */
function canonicalId(line: string, steps: number): string | undefined {
  if (!line.startsWith(LINE_START)) return undefined;
  const idEnd = line.indexOf('"', LINE_START.length);
  if (idEnd < 0) return undefined;
  const id = line.slice(LINE_START.length, idEnd);
  if (!FLOW_ID.test(id) || !line.startsWith(PRINTS_START, idEnd)) return undefined;
  for (let i = 0; i < steps; i++) {
    const at = printAt(id, i);
    if (line[at] !== '"' || line[at + 65] !== '"' || line[at + 66] !== (i + 1 < steps ? ',' : ']')) return undefined;
  }
  return line.startsWith(STAMP_START, printAt(id, steps) - 1) && line.endsWith(']}') ? id : undefined;
}

/** A line in any other layout JSON allows: its fields, when they are what a line holds. */
function parseLine(line: string, steps: number): { id: string; fp: string[]; st: number[] } | undefined {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return undefined;
  }
  const { id, fp, st } = (value ?? {}) as { id?: unknown; fp?: unknown; st?: unknown };
  if (typeof id !== 'string' || !FLOW_ID.test(id)) return undefined;
  if (!Array.isArray(fp) || fp.length !== steps || !fp.every((f) => typeof f === 'string' && FINGERPRINT.test(f))) return undefined;
  // a line without a stamp (an index written before stamps) vouches for nothing
  if (!Array.isArray(st) || st.length !== STAMP_LENGTH || !st.every((n) => typeof n === 'number')) return undefined;
  return { id, fp: fp as string[], st };
}

/** The flow id of a line parseIndex kept. */
export const lineId = (line: IndexLine): string => line.slice(LINE_START.length, line.indexOf('"', LINE_START.length));
