import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';

/** The young generation V8 may grow to during a run: enough that short-lived garbage dies young. */
const YOUNG_MAX_BYTES = 32 * 1024 * 1024;

/**
 * The young generation of a process that starts programs (cmd and codex steps). `spawn` forks this
 * process: the kernel copies the page tables of all its memory, the child tears them down again in
 * `exec`, and the event loop waits for both. A young generation grown to 64 MB made each spawn cost
 * ~1.3 x what it cost at 8 MB (a 2,000-step cmd run: 126 against 92 MB resident), for no gain: what a
 * step keeps is a few buffers (issue 27.4).
 */
export const SPAWNING_YOUNG_MAX_BYTES = 8 * 1024 * 1024;

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
export function holdYoungGeneration(maxBytes = YOUNG_MAX_BYTES): void {
  if (held) return;
  const young = getHeapSpaceStatistics().find((space) => space.space_name === 'new_space');
  // a V8 without the space or the flag: nothing to do
  if (young === undefined || young.space_size * 2 <= maxBytes) return;
  held = true;
  setFlagsFromString('--semi-space-growth-factor=1');
}

let held = false;

/** How much V8 may raise its old generation's limit after a full collection, once held: 25 % above what it kept. */
const OLD_GROWING_PERCENT = 25;

/**
 * Keeps V8's old generation from growing far past what a run keeps, for the rest of the process.
 * After each full collection V8 sets the next one's limit at what survived times a factor it picks
 * from how fast it collects (up to 4 x): over a long run whose live data stays at ~15 MB, the heap
 * grew from ~50 to ~80 MB between collections, and a run's resident memory rose from ~140 MB at
 * 10,000 flows to ~180 MB by 50,000 (garbage, not data). A fixed factor of 1.25 keeps it near where
 * it was at 10,000 (~145 MB at 100,000 flows) for ~1 % of wall time (more, shorter full
 * collections). `--max-old-space-size` would be a hard cap given on Node's command line; the
 * growing factor is read at each collection, so it can be set from here.
 */
export function holdOldGeneration(): void {
  if (oldHeld) return;
  oldHeld = true;
  setFlagsFromString(`--heap-growing-percent=${OLD_GROWING_PERCENT}`);
}

let oldHeld = false;

/** Gives V8 back its own growing factor (holdOldGeneration), for what the process does after its run. */
export function releaseOldGeneration(): void {
  if (!oldHeld) return;
  oldHeld = false;
  setFlagsFromString('--heap-growing-percent=0');
}
