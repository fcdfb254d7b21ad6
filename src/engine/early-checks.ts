import type { Stats } from 'node:fs';
import { join, resolve } from 'node:path';
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import { readRegular } from '../util/safe-read.js';
import { checkLines, fromHere, sharedChecks, threadModule, type AdoptedChecks, type SharedChecks } from './leaf-checks.js';
import { indexLayout, leafIndexName, parseIndex } from './leaf-lines.js';
import type { Shard } from '../model/results.js';
import { normalizeRunId } from '../results/paths.js';

/**
 * A resume's checks of the earlier attempt's index (leaf-checks.ts), started by the command line
 * before the run is prepared: loading the engine and reading the key files take ~0.2 s on one core,
 * while the index is read, parsed and its stamps taken on the other. The run takes the thread over
 * (takeEarlyChecks) when the index it reads is the file the thread read, unchanged, and laid out
 * for the run (its steps, the width of its flow ids); else the thread ends and the run checks the
 * index as without it.
 */

/** The largest index read: about 100 bytes a flow, so a few million flows; a larger file is not ours. */
const MAX_INDEX_BYTES = 512 * 1024 * 1024;

/** An index file's text, and what tells this file from another or from itself rewritten (readIndexFile). */
export interface IndexFile {
  readonly text: string;
  readonly stamp: string;
}

/** Reads an index (a regular file, not a link: util/safe-read.ts); undefined when there is none, or it is too large to be ours. */
export function readIndexFile(path: string): IndexFile | undefined {
  try {
    const { bytes, size, stats } = readRegular(path, { maxBytes: MAX_INDEX_BYTES });
    return bytes.length < size ? undefined : { text: bytes.toString('utf8'), stamp: fileStamp(stats) };
  } catch {
    return undefined;
  }
}

/** Device, inode, size, modification and change times: another file at the path, or this one written since, has another. */
const fileStamp = (s: Stats): string => `${s.dev}:${s.ino}:${s.size}:${s.mtimeMs}:${s.ctimeMs}`;

/**
 * What the checking thread is given when it starts before the run is prepared (startEarlyChecks):
 * where the index is, the run directory, and where to tell what it found (EarlyFound) once it read
 * the index, `told` set then.
 */
export interface EarlySetup {
  readonly path: string;
  readonly runDir: string;
  readonly port: MessagePort;
  readonly told: Int32Array;
}

/** What an early thread found in the index: its layout, the arrays it checks them into, the file's stamp; or nothing to check. */
type EarlyFound =
  | { readonly steps: number; readonly width: number; readonly flows: number; readonly stamp: string; readonly shared: SharedChecks }
  | { readonly none: true };

/** The most flows an early thread makes arrays for (9 bytes a flow); a larger index is checked by the run, for its own flows. */
const MAX_EARLY_FLOWS = 10_000_000;
/** How long the run waits for an early thread to have read the index before it checks the index itself. */
const TELL_WAIT_MS = 2_000;

/**
 * On a checking thread started before the run was prepared: reads the index, tells the run's
 * thread its layout and the arrays (indexLayout: its flows from the first, as many as the largest
 * id it lists), then parses it and checks each listed flow's stamp (checkLines), batch by batch.
 */
export function checkEarly(setup: EarlySetup, done: (from: number) => void): void {
  const tell = (found: EarlyFound): void => {
    setup.port.postMessage(found);
    Atomics.store(setup.told, 0, 1);
    Atomics.notify(setup.told, 0);
  };
  let file: IndexFile | undefined;
  let layout: ReturnType<typeof indexLayout>;
  let shared: SharedChecks;
  try {
    file = readIndexFile(setup.path);
    layout = file === undefined ? undefined : indexLayout(file.text);
    // arrays as large as the largest flow: a line naming a flow past what a run could have is not a run's
    if (file === undefined || layout === undefined || layout.flows > MAX_EARLY_FLOWS) return tell({ none: true });
    shared = sharedChecks(layout.flows);
  } catch {
    // whatever happens, the run's thread is told (it waits for it)
    return tell({ none: true });
  }
  tell({ ...layout, stamp: file.stamp, shared });
  // a total whose ids are as wide as the index's (`flow_` and at least 4 digits): parseIndex keeps only those
  const digits = layout.width - 'flow_'.length;
  const range = { from: 0, to: layout.flows, total: digits > 4 ? 10 ** (digits - 1) : 1 };
  try {
    parseIndex(file.text, layout.steps, range, shared.spans);
  } finally {
    Atomics.store(shared.parsed, 0, 1);
  }
  checkLines({ text: file.text, steps: layout.steps, runDir: setup.runDir, ...range, shared }, done);
}

/**
 * The checking thread of a resume started by the command line before the run is prepared (that
 * takes ~0.2 s: loading the engine, reading the key files), so that the stamps start on the second
 * core meanwhile; earlierLeafIndex takes it over when the run's index is the file it read (takeEarlyChecks).
 */
let early: EarlyChecks | undefined;

class EarlyChecks {
  readonly told = new Int32Array(new SharedArrayBuffer(4));
  private readonly channel = new MessageChannel();
  readonly worker: Worker;
  /** The thread ended (or failed): what it did not check is checked by the run's thread. */
  ended = false;

  constructor(
    readonly path: string,
    runDir: string,
    file: URL,
  ) {
    const setup: EarlySetup = { path, runDir, port: this.channel.port2, told: this.told };
    this.worker = new Worker(file, { workerData: setup, transferList: [this.channel.port2], name: 'resume checks' });
    this.worker.unref();
    const end = (): void => {
      this.ended = true;
      Atomics.store(this.told, 0, 1); // what it told, if anything, is on the port
    };
    this.worker.on('error', end);
    this.worker.on('exit', end);
  }

  /**
   * What the thread found, waiting for it to read the index (undefined: it found nothing, ended
   * first, or took longer than TELL_WAIT_MS: a thread that died is heard on the event loop, which
   * this wait holds up).
   */
  found(): EarlyFound | undefined {
    if (Atomics.wait(this.told, 0, 0, TELL_WAIT_MS) === 'timed-out') return undefined;
    const message = receiveMessageOnPort(this.channel.port1)?.message as EarlyFound | undefined;
    this.channel.port1.close();
    return message;
  }

  close(): void {
    this.channel.port1.close();
    void this.worker.terminate();
  }
}

/**
 * Where a run's index is, from what the command line names (as prepare finds the run directory:
 * run-checks.ts checkRunDir, leaf-index.ts leafIndexPath): undefined for a run id that is not one.
 */
export function earlyIndexPath(place: {
  readonly baseDir: string;
  readonly outputDir: string;
  readonly runId: string;
  readonly shard: Shard | undefined;
}): { path: string; runDir: string } | undefined {
  const runId = normalizeRunId(place.runId);
  if (runId === undefined) return undefined;
  const runDir = resolve(place.baseDir, place.outputDir, runId);
  return { path: join(runDir, leafIndexName(place.shard ?? { index: 1, count: 1 })), runDir };
}

/**
 * Starts checking the stamps of the index at `path` (the run directory's, as the command line names
 * it) on a thread of its own, before the run is prepared; nothing when the thread's module is not
 * there (jest's sources) or the thread cannot start. Ends one started before.
 */
export function startEarlyChecks(path: string, runDir: string, file = threadModule()): void {
  early?.close();
  early = undefined;
  if (file === undefined) return;
  try {
    early = new EarlyChecks(path, fromHere(runDir), file);
  } catch {
    early = undefined;
  }
}

/**
 * The early thread (startEarlyChecks) when it read `index` (the same file, unchanged: `stamp`) and
 * found the run's layout in it (`steps`, flow ids of `width` digits), with the arrays it checks into;
 * else undefined, and the thread ended.
 */
export function takeEarlyChecks(path: string, index: IndexFile, steps: number, width: number): AdoptedChecks | undefined {
  const started = early;
  early = undefined;
  if (started === undefined) return undefined;
  const found = started.path === path ? started.found() : undefined;
  if (found === undefined || 'none' in found || found.stamp !== index.stamp || found.steps !== steps || found.width !== width) {
    started.close();
    return undefined;
  }
  return { shared: found.shared, flows: found.flows, worker: started.ended ? undefined : started.worker, close: () => started.close() };
}

/** Whether the command line started checking an index (startEarlyChecks) that no run took over yet. */
export const hasEarlyChecks = (): boolean => early !== undefined;

/** Ends the early thread, if any (the run has no index it could check). */
export function endEarlyChecks(): undefined {
  early?.close();
  early = undefined;
  return undefined;
}
