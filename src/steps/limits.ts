/**
 * Most bytes of one step's output held in memory and passed on to the next step: 64 MiB. An
 * output is copied several times on its way (the next prompt, result.json, results.json), and a
 * JavaScript string holds at most about 512 MiB (2^29 characters): an output near that would end
 * the whole run with a RangeError instead of failing its step. A cmd step's stdout still reaches
 * its output.txt in full; past the cap the step fails and says so.
 */
export const DEFAULT_MAX_OUTPUT_BYTES = 64 * 1024 * 1024;

/** The cap in force. ORCHESTRATOR_MAX_OUTPUT_BYTES lowers it, for tests only. */
export function maxOutputBytes(env: Readonly<Record<string, string | undefined>> = process.env): number {
  const fromEnv = Number(env.ORCHESTRATOR_MAX_OUTPUT_BYTES);
  return env.ORCHESTRATOR_MAX_OUTPUT_BYTES && Number.isSafeInteger(fromEnv) && fromEnv > 0 ? fromEnv : DEFAULT_MAX_OUTPUT_BYTES;
}

/** `64 MiB`, `2 KiB`, or exactly `2000 bytes` when no unit divides it. */
export function formatBytes(bytes: number): string {
  for (const [unit, size] of [
    ['GiB', 2 ** 30],
    ['MiB', 2 ** 20],
    ['KiB', 2 ** 10],
  ] as const) {
    if (bytes >= size && bytes % size === 0) return `${bytes / size} ${unit}`;
  }
  return `${bytes} bytes`;
}
