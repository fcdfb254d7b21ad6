/**
 * Reading results.json back without holding it: a first pass checks its shape and reads everything
 * but the leaf entries (header, never-started ranges, where `flows` starts); a second pass parses
 * the entries one at a time. The file is data (an artifact anybody could have uploaded): every entry
 * is checked like a leaf's result.json, the entries must be in order and within the expected flows,
 * and their counts must add up to the header's totals.
 */
import { flowId } from '../flows/flows.js';
import { JsonByteReader } from './json-stream.js';
import { TotalsCounter, compareLeaves } from './results.js';
import { isNotStarted, type LeafAddress, type NotStarted, type ResultItem, type Totals } from '../model/results.js';
import { DataError } from './fields.js';
import { parseLeafEntry, parseResultsHeader, parseResultsRange, type ResultsHeaderFields } from './validate.js';

export interface ResultsFile {
  readonly path: string;
  /** How errors name the file. */
  readonly file: string;
  readonly header: ResultsHeaderFields;
  readonly notStarted: readonly NotStarted[];
  /** Byte offset of the `flows` array. */
  readonly flowsAt: number;
  /** Bytes read at a time (tests make it tiny). */
  readonly chunk?: number;
}

/** The flows an entry may belong to: indexes [from, to) of a run of `total` flows. */
export interface FlowBounds {
  readonly total: number;
  readonly from: number;
  readonly to: number;
}

/** The first pass: throws DataError (naming the file and what is wrong) for a file cut short or not shaped like results.json. */
export function openResultsFile(path: string, file = path, chunk?: number): ResultsFile {
  const reader = JsonByteReader.open(path, file, 0, { chunk });
  try {
    const rest: Record<string, unknown> = {};
    let flowsAt: number | undefined;
    let notStarted: unknown[] | undefined;
    reader.members((key) => {
      if (key in rest || (key === 'flows' && flowsAt !== undefined) || (key === 'not_started' && notStarted !== undefined))
        reader.fail(`field "${key}" twice`);
      if (key === 'flows') {
        reader.skipSpace();
        flowsAt = reader.offset;
        reader.skipElements();
      } else if (key === 'not_started') {
        notStarted = [...reader.elements()];
      } else rest[key] = reader.value();
    });
    reader.end();
    if (flowsAt === undefined) throw new DataError(`${file}: field "flows" is missing`);
    const header = parseResultsHeader(rest, file);
    const ranges = (notStarted ?? []).map((value, i) => parseResultsRange(value, `${file}: not_started[${i}]`));
    return { path, file, header, notStarted: ranges, flowsAt, chunk };
  } finally {
    reader.close();
  }
}

/** Ends a results file whose flows were all run: the `flows` array, then `"not_started": []`. */
const ALL_STARTED_END = /\]\s*,\s*"not_started"\s*:\s*\[\s*\]\s*\}\s*$/;
const TAIL_BYTES = 256;
/** Thrown to leave `members` at `flows`: the entries are not read. */
class FlowsReached extends Error {}

/**
 * Only the header of a results file in which every flow started, for a resume that keeps the file
 * as it is: the fields before `flows` (the order orchestrator writes them in), checked as the first
 * pass checks them, and the file's end, which must close `flows` and an empty `not_started` (a file
 * cut short does not). The entries are not stepped over, which at 100,000 flows is most of the read.
 * Throws DataError as openResultsFile does.
 */
export function readAllStartedHeader(path: string, file = path): ResultsHeaderFields {
  const reader = JsonByteReader.open(path, file, 0);
  try {
    const rest: Record<string, unknown> = {};
    try {
      reader.members((key) => {
        if (key in rest) reader.fail(`field "${key}" twice`);
        if (key === 'flows') throw new FlowsReached();
        rest[key] = reader.value();
      });
      reader.fail('field "flows" is missing');
    } catch (error) {
      if (!(error instanceof FlowsReached)) throw error;
    }
    if (!ALL_STARTED_END.test(reader.tail(TAIL_BYTES))) reader.fail('an end other than an empty "not_started"');
    return parseResultsHeader(rest, file);
  } finally {
    reader.close();
  }
}

const startOf = (item: ResultItem): LeafAddress => (isNotStarted(item) ? item.from : item);
const endOf = (item: ResultItem): LeafAddress => (isNotStarted(item) ? item.to : item);

/**
 * The second pass: every item of the file in results order (entries and never-started ranges
 * interleaved), each checked. With `bounds`, every flow must lie in them. Throws DataError at the
 * first problem; at the end, when the items do not add up to the header's totals.
 */
export function* readResultsItems(results: ResultsFile, bounds?: FlowBounds): Generator<ResultItem> {
  const { file, header } = results;
  const reader = JsonByteReader.open(results.path, file, results.flowsAt, { chunk: results.chunk });
  const counter = new TotalsCounter();
  const ranges = results.notStarted;
  let nextRange = 0;
  let previous: ResultItem | undefined;
  let label = '';
  const check = (item: ResultItem): ResultItem => {
    for (const at of isNotStarted(item) ? [item.from, item.to] : [item]) {
      if (bounds === undefined) continue;
      const index = Number(at.id.slice(5)) - 1;
      if (!(index >= bounds.from && index < bounds.to && flowId(index, bounds.total) === at.id))
        throw new DataError(
          `${label}: ${at.id} is not one of this file's flows (${flowId(bounds.from, bounds.total)} to ${flowId(bounds.to - 1, bounds.total)})`,
        );
    }
    if (previous !== undefined && compareLeaves(endOf(previous), startOf(item)) >= 0)
      throw new DataError(`${label}: out of order: results are sorted by flow id and branch, each leaf once`);
    previous = item;
    counter.add(item);
    return item;
  };
  try {
    let i = 0;
    for (const value of reader.elements()) {
      const raw = (typeof value === 'object' && value !== null ? value : {}) as { id?: unknown; branch?: unknown };
      label = `${file}: flows[${i}]`;
      const entry = parseLeafEntry(value, label, {
        id: typeof raw.id === 'string' ? raw.id : '',
        branch: Array.isArray(raw.branch) ? (raw.branch as number[]) : [],
      });
      while (nextRange < ranges.length && compareLeaves(ranges[nextRange]!.from, entry) < 0) {
        label = `${file}: not_started[${nextRange}]`;
        yield check(ranges[nextRange++]!);
      }
      label = `${file}: flows[${i++}]`;
      yield check(entry);
    }
    while (nextRange < ranges.length) {
      label = `${file}: not_started[${nextRange}]`;
      yield check(ranges[nextRange++]!);
    }
  } finally {
    reader.close();
  }
  const counted = counter.totals();
  const differ = (['flows_total', 'total', 'succeeded', 'failed', 'cancelled'] as const).filter((k) => counted[k] !== header[k]);
  if (counted.usage.input_tokens !== header.usage.input_tokens || counted.usage.output_tokens !== header.usage.output_tokens)
    differ.push('usage' as never);
  if (differ.length > 0)
    throw new DataError(
      `${file}: the entries do not add up to the totals at its top (${differ.map((k) => `"${k}"`).join(', ')}): the file was changed after orchestrator wrote it`,
    );
}

/** Whether the header's totals are `totals` (those of the shard's record). */
export function sameTotals(a: Totals, b: Totals): boolean {
  return (
    a.flows_total === b.flows_total &&
    a.total === b.total &&
    a.succeeded === b.succeeded &&
    a.failed === b.failed &&
    a.cancelled === b.cancelled &&
    a.usage.input_tokens === b.usage.input_tokens &&
    a.usage.output_tokens === b.usage.output_tokens
  );
}
