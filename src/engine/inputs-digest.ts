import { createHash } from 'node:crypto';
import { statSync, type Stats } from 'node:fs';
import { resolve } from 'node:path';
import { readListedFile } from '../flows/keys.js';
import type { PreparedRun } from './prepare.js';
import type { StepInputs } from './step-input.js';

/**
 * What every flow's first step is made from, but for which files its keys name: one digest, kept
 * in the index of finished flows (leaf-index.ts), so that a resume over a run whose inputs did not
 * change takes each line's first fingerprint as it is instead of making it again (filling the
 * prompt and hashing it, for each of 100,000 flows: the largest part of a resume's own work
 * after the stamps).
 *
 * A first step's fingerprint (fingerprint.ts) is made from the step, the run's settings, the
 * template and the contents and paths of the flow's files, every secret masked. The digest covers:
 * - the first step's fingerprint for a flow whose every key stands for a marker of its own
 *   (StepInputs.probeFingerprint): the step, its settings, model and template, where each key's
 *   contents and path go, `--append-filepath`, the secrets masked in the template;
 * - each listed file of each key, by name and path in list order, and a digest of its contents as
 *   fingerprints see them (secrets masked).
 * The flows' paths and values are fixed already: a resume refuses changed key lists (run.json).
 * Not covered: a secret that starts in the template and ends in a file's contents (masked only
 * in the filled prompt). Only made when the run's files are few next to its flows (MANY_FILES): a
 * run whose every flow has a file of its own would read each file once more for nothing, since
 * each flow's fingerprint reads that file anyway; and when they hold at most MANY_BYTES. The files
 * are read here once more than the run reads them: a flow still reads its files when it runs, with
 * the checks of that moment (a file swapped for a link since is refused then).
 *
 * Files may change while a run runs, and its flows' fingerprints are made from the files as they
 * are read then: the digest is kept in the index only when every file is as it was when the digest
 * was made, when the index is written (stillSame: size, modification and change times, inode; a
 * file changed within RACY_MS before the digest read again, as git does with a racily clean
 * index), so that a file edited and put back in between, read by a flow meanwhile, is not vouched for.
 */
export interface InputsDigest {
  readonly digest: string;
  /** Whether every file the digest read is as it was then (a `stat` each). */
  stillSame(): boolean;
}

/** The most files a digest reads: beyond this many, only when there are at least 4 flows a file. */
const MANY_FILES = 1000;
const FLOWS_A_FILE = 4;
/** The most bytes of files a digest reads and hashes (a first run pays it too): beyond it, no digest. */
const MANY_BYTES = 32 * 1024 * 1024;
/** How close to the digest a file's change makes it read again at the end (stillSame). */
const RACY_MS = 3_000;

/** The digest of a run's inputs (see InputsDigest); undefined when there is none to make. */
export function takeInputsDigest(prepared: PreparedRun, inputs: StepInputs): InputsDigest | undefined {
  const first = prepared.config.steps[0];
  if (first === undefined) return undefined;
  const { baseDir, confineTo } = prepared.options;
  const fileKeys = prepared.space.keys.filter((key) => key.kind !== 'values');
  const files = fileKeys.reduce((n, key) => n + key.paths.length, 0);
  const flows = prepared.range.to - prepared.range.from;
  if (files > MANY_FILES && files * FLOWS_A_FILE > flows) return undefined;
  let bytes = 0;
  // a file changed within a tick of its stamp (timestamps move in steps of a few ms, or of seconds
  // on some file systems) keeps its stamp: one changed this close to now is read again at the end
  const racyAfter = Date.now() - RACY_MS;
  const seen = new Map<string, Seen>();
  const all = createHash('sha256');
  const contentsOf = (path: string, key: string): string =>
    createHash('sha256')
      .update(inputs.masked(readListedFile(baseDir, path, key, { confineTo })))
      .digest('hex');
  try {
    const probe = inputs.probeFingerprint(first);
    if (probe === undefined) return undefined;
    all.update(`v1\0${probe}\0`);
    for (const key of fileKeys) {
      all.update(`${key.name}\0${key.paths.length}\0`);
      for (const path of key.paths) {
        let file = seen.get(path);
        if (file === undefined) {
          // taken before the read: a change after it shows in stillSame
          const full = resolve(baseDir, path);
          const stats = statSync(full);
          bytes += stats.size;
          if (bytes > MANY_BYTES) return undefined;
          const racy = stats.mtimeMs > racyAfter || stats.ctimeMs > racyAfter;
          file = { full, key: key.name, stamp: stampOf(stats), racy, contents: contentsOf(path, key.name) };
          seen.set(path, file);
        }
        all.update(`${path}\0${file.contents}\0`);
      }
    }
  } catch {
    return undefined; // a file that cannot be read: the flows that list it say so when they run
  }
  return {
    digest: all.digest('hex'),
    stillSame: () => {
      try {
        for (const [path, file] of seen) {
          if (stampOf(statSync(file.full)) !== file.stamp) return false;
          if (file.racy && contentsOf(path, file.key) !== file.contents) return false;
        }
        return true;
      } catch {
        return false;
      }
    },
  };
}

/** A listed file as the digest read it. */
interface Seen {
  readonly full: string;
  readonly key: string;
  readonly stamp: string;
  /** Changed within RACY_MS of the digest: its stamp alone may not show a change made since. */
  readonly racy: boolean;
  /** Its contents' digest, as fingerprints see them. */
  readonly contents: string;
}

const stampOf = (s: Stats): string => `${s.ino}:${s.size}:${s.mtimeMs}:${s.ctimeMs}`;
