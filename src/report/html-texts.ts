/** The texts report.html shows and how they reach it: shared by the page (html.ts) and its rows (html-rows.ts). */

/** A text read from the run tree for the report: possibly cut to its first (or, for stderr, last) characters. */
export interface LoadedText {
  readonly text: string;
  /** Set when `text` is not all of the file: its size in bytes. */
  readonly truncatedFrom?: number;
}

/**
 * Reads one file of a step directory, `path` relative to the run directory; undefined when it is
 * missing or is not a regular file. `chars` caps the text returned; `tail` keeps its end instead.
 */
export type TextLoader = (path: string, chars: number, tail: boolean) => LoadedText | undefined;

/** The files of a step directory the report shows, in order (a cmd step's command first); stderr is shown by its tail. */
export const STEP_FILES = [
  'command.txt',
  'prompt.txt',
  'output.txt',
  'final_message.txt',
  'error.txt',
  'stderr.txt',
  'changes.patch',
] as const;
export const STDERR_TAIL = 4000;
/** Most characters of one text shown, unless the input says otherwise. */
export const TEXT_LIMIT = 20_000;

/**
 * JSON for a `<script type="application/json">` block: `<`, `>`, `&` and the two line separators
 * JavaScript once rejected are escaped, so no text (a model output saying `</script>`) ends the block.
 */
export function scriptJson(value: unknown): string {
  const json = JSON.stringify(value);
  // most blocks hold none: a search is cheaper than a replace by a function that finds nothing
  return UNSAFE_IN_SCRIPT.test(json)
    ? json.replace(UNSAFE_IN_SCRIPT_ALL, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
    : json;
}

const UNSAFE_IN_SCRIPT = /[<>&\u2028\u2029]/;
const UNSAFE_IN_SCRIPT_ALL = /[<>&\u2028\u2029]/g;
