/**
 * Pieces of a stand-in `codex`: a shell script given as --codex-path where the real binary cannot be
 * made to do what a test needs. Each test file writes its own script from these pieces.
 */
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * sh: answers `codex --version` (asked once per run, for run.json); then `$final` is the file after
 * --output-last-message (or -o), `$schema` the file after --output-schema.
 */
export const CODEX_OPTIONS = `if [ "$1" = "--version" ]; then echo 'codex-cli 0.0.0-stand-in'; exit 0; fi
final=""
schema=""
prev=""
for a in "$@"; do
  case "$prev" in
    --output-last-message|-o) final="$a";;
    --output-schema) schema="$a";;
  esac
  prev="$a"
done`;

/** sh: the JSON events codex prints as a turn starts. */
export const TURN_STARTED = `echo '{"type":"thread.started","thread_id":"stand-in"}'
echo '{"type":"turn.started"}'`;

/** sh: the turn.completed event, 7 input tokens (`cached` of them cached) and 3 output tokens. */
export const turnCompleted = (cached: number): string =>
  `echo '{"type":"turn.completed","usage":{"input_tokens":7,"cached_input_tokens":${cached},"output_tokens":3}}'`;

/** Writes `script` as an executable `codex` in dir; returns its path. */
export function writeStandInCodex(dir: string, script: string): string {
  const path = join(dir, 'codex');
  writeFileSync(path, script);
  chmodSync(path, 0o755);
  return path;
}
