import { basename, relative, sep } from 'node:path';
import type { Shard } from '../model/results.js';
import { isResultLinesName } from '../results/lines.js';

/**
 * The artifacts of one run, by name. A job of shard I/N uploads two: its whole run directory (the
 * run-directory artifact) and, beside it, its records — what `report` merges (run.json,
 * results.json, the shard records) and the patches `apply` needs — so the report job downloads
 * megabytes, not the run directories.
 */
export interface RunArtifactNames {
  /** `<prefix>-<run_id>-shard-<I>-of-<N>`, or `-all` for an unsharded run. */
  readonly runDir: string;
  /** The run-directory artifact's name + `-records`. */
  readonly records: string;
}

export const RECORDS_SUFFIX = '-records';
const MERGED = 'merged';

/** `<prefix>-<run_id>-`: every artifact of the run starts so. */
export const runPrefix = (prefix: string, runId: string): string => `${prefix}-${runId}-`;

/** The merged artifact that `report` uploads: `<prefix>-<run_id>-merged`. */
export const mergedName = (prefix: string, runId: string): string => `${runPrefix(prefix, runId)}${MERGED}`;

/** No `/` in any of them, and unique per job of a workflow run. */
export function runArtifactNames(prefix: string, runId: string, shard: Shard | undefined): RunArtifactNames {
  const part = shard === undefined || shard.count === 1 ? 'all' : `shard-${shard.index}-of-${shard.count}`;
  const runDir = `${runPrefix(prefix, runId)}${part}`;
  return { runDir, records: `${runDir}${RECORDS_SUFFIX}` };
}

/** A run directory's own records: JSON files at its top (run.json, results.json) and everything under shards/. */
const isRecordPath = (parts: readonly string[]): boolean =>
  (parts.length === 1 && parts[0]!.endsWith('.json')) || (parts.length > 1 && parts[0] === 'shards');

/** The names a leaf directory holds that `report` reads when a run left no results.json. */
const LEAF_RECORDS = new Set(['result.json', 'not_started.json']);
const PATCH = 'changes.patch';

/**
 * Of a run directory's files (absolute paths, as listed for the run-directory artifact), those of the
 * records artifact: the records, every `changes.patch`, and — only when the run left no
 * results.json to merge (it stopped before writing one) — each leaf's `result.json` and
 * `not_started.json`, which `report` then reads one by one, and results.jsonl (the leaves whose
 * result.json could not be written).
 */
export function recordFiles(runDir: string, files: readonly string[]): string[] {
  const split = files.map((file) => ({ file, parts: relative(runDir, file).split(sep) }));
  const hasResults = split.some(({ parts }) => parts.length === 1 && parts[0] === 'results.json');
  return split
    .filter(({ file, parts }) => {
      if (parts[0] === '..') return false;
      if (isRecordPath(parts)) return true;
      const name = basename(file);
      if (!hasResults && parts.length === 1 && isResultLinesName(name)) return true;
      return name === PATCH || (!hasResults && LEAF_RECORDS.has(name));
    })
    .map(({ file }) => file);
}

/** One artifact of the listing, as the artifact client gives it. */
export interface ListedArtifact {
  readonly id: number;
  readonly name: string;
  readonly size: number;
}

/** What the report job downloads, and what it could not find. */
export interface ReportDownloads {
  /**
   * Per shard (or the unsharded run): its records artifact, else its run-directory artifact (from
   * an older orchestrator, or a leg that died between the two uploads); `folder` is the name of the
   * shard's run-directory artifact, the folder it is unpacked into, so the merged leaves name where
   * their files are.
   */
  readonly downloads: readonly { readonly artifact: ListedArtifact; readonly folder: string }[];
  /** Bytes of every run-directory and records artifact of the run: what a report over the run directories would have fetched, and more. */
  readonly allBytes: number;
  /** Bytes of `downloads`. */
  readonly downloadedBytes: number;
  /** Per shard part (`shard-2-of-3`, `all`): the name of the artifact holding its leaves' files, when one was listed. */
  readonly runDirArtifacts: ReadonlyMap<string, string>;
  /** One sentence each: shards whose records are missing (their run directory was downloaded) or whose run directory is gone. */
  readonly notes: readonly string[];
}

const PART = /^(all|shard-([1-9]\d*)-of-([1-9]\d*))$/;

/** `shard-2-of-3` -> `2/3`, `all` -> `all`. */
const shardLabel = (part: string): string => part.replace(/^shard-(\d+)-of-(\d+)$/, '$1/$2');

/**
 * Chooses the artifacts the report job downloads from the run's listing: the records artifact of
 * each shard, its run-directory artifact only when there is no records artifact. Names that are
 * neither (the merged artifact, anything else with the prefix) are left alone.
 */
export function chooseReportDownloads(prefix: string, runId: string, listed: readonly ListedArtifact[]): ReportDownloads {
  const start = runPrefix(prefix, runId);
  const runDirs = new Map<string, ListedArtifact>();
  const records = new Map<string, ListedArtifact>();
  for (const artifact of listed) {
    if (!artifact.name.startsWith(start)) continue;
    const rest = artifact.name.slice(start.length);
    const isRecords = rest.endsWith(RECORDS_SUFFIX);
    const part = isRecords ? rest.slice(0, -RECORDS_SUFFIX.length) : rest;
    if (!PART.test(part)) continue;
    (isRecords ? records : runDirs).set(part, artifact);
  }
  const parts = [...new Set([...runDirs.keys(), ...records.keys()])].sort(byShard);
  const downloads: { artifact: ListedArtifact; folder: string }[] = [];
  const notes: string[] = [];
  for (const part of parts) {
    const record = records.get(part);
    const runDir = runDirs.get(part);
    if (record !== undefined) downloads.push({ artifact: record, folder: `${start}${part}` });
    else if (runDir !== undefined) {
      downloads.push({ artifact: runDir, folder: runDir.name });
      notes.push(
        `shard ${shardLabel(part)} uploaded no ${runDir.name}${RECORDS_SUFFIX}: its whole tree ${runDir.name} was downloaded instead (${runDir.size} bytes)`,
      );
    }
    if (record !== undefined && runDir === undefined)
      notes.push(
        `shard ${shardLabel(part)}: its records ${record.name} are here but its tree ${record.name.slice(0, -RECORDS_SUFFIX.length)} is gone, so its leaves' files (prompts, outputs) cannot be downloaded`,
      );
  }
  const sum = (list: Iterable<ListedArtifact>): number => [...list].reduce((total, a) => total + a.size, 0);
  const runDirArtifacts = new Map(parts.flatMap((part) => (runDirs.has(part) ? [[part, runDirs.get(part)!.name] as const] : [])));
  return {
    downloads,
    allBytes: sum(runDirs.values()) + sum(records.values()),
    downloadedBytes: sum(downloads.map((d) => d.artifact)),
    runDirArtifacts,
    notes,
  };
}

/** `all` first, then shards by index. */
function byShard(a: string, b: string): number {
  const index = (part: string): number => Number(PART.exec(part)?.[2] ?? 0);
  return index(a) - index(b) || a.localeCompare(b);
}
