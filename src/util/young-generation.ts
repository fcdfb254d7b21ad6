import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';

/** The young generation V8 may grow to during a run: enough that short-lived garbage dies young. */
const YOUNG_MAX_BYTES = 32 * 1024 * 1024;

/**
 * Keeps V8's young generation (new space) from growing past YOUNG_MAX_BYTES for the rest of the
 * process. V8 doubles it, up to 128 MB on 64-bit, each time as many bytes have survived scavenges
 * since the last doubling as it holds: in a long run that always happens, so the resident memory
 * of a run grew with its number of flows though nothing was kept (new space 16 -> 128 MB over
 * 100,000 offline flows, old space flat at about 15 MB). `--max-semi-space-size` would have to be
 * given on Node's command line; the growth factor is read each time the space grows, so it can be
 * set to 1 (no growth) from here once the space is as large as allowed. Called now and then (each
 * progress report is enough: a doubling needs megabytes to survive first).
 */
export function holdYoungGeneration(): void {
  if (held) return;
  const young = getHeapSpaceStatistics().find((space) => space.space_name === 'new_space');
  // a V8 without the space or the flag: nothing to do
  if (young === undefined || young.space_size * 2 <= YOUNG_MAX_BYTES) return;
  held = true;
  setFlagsFromString('--semi-space-growth-factor=1');
}

let held = false;
