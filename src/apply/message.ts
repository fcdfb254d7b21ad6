/**
 * The commit message of one applied leaf (`apply --commit` / `--branch`): the config's
 * `commit_message` template, or a default, filled with the prompt placeholder code, and a trailer
 * naming the run and the leaf, by which a later `apply` knows the leaf is already applied. Pure.
 */
import { fillPlaceholders } from '../prompt/placeholders.js';

/** The trailer's key: `Orchestrator-Run: <run id>/<leaf>`. */
export const TRAILER = 'Orchestrator-Run';
/** `{{{ORCHESTRATOR_LEAF}}}`: the leaf, e.g. `flow_0003 [2.1]`. */
export const LEAF_PLACEHOLDER = 'ORCHESTRATOR_LEAF';
/** `{{{ORCHESTRATOR_SUMMARY}}}`: the first line of the leaf's final message. */
export const SUMMARY_PLACEHOLDER = 'ORCHESTRATOR_SUMMARY';

/** The default template: the leaf and what it says it did. */
export const DEFAULT_COMMIT_MESSAGE = `{{{${LEAF_PLACEHOLDER}}}}: {{{${SUMMARY_PLACEHOLDER}}}}`;

const SUBJECT_MAX = 100;

export interface MessageLeaf {
  /** `flow_0003 [2.1]`. */
  readonly label: string;
  readonly runId: string;
  /** Key name -> the listed path. */
  readonly keys: Readonly<Record<string, string>>;
  /** The leaf's final message (or output), if any. */
  readonly output: string | null;
}

/** The trailer line of a leaf. */
export const trailer = (runId: string, label: string): string => `${TRAILER}: ${runId}/${label}`;

/** The first non-blank line of a text, trimmed and cut to `max` characters. */
export function firstLine(text: string | null, max = SUBJECT_MAX): string {
  const line =
    (text ?? '')
      .split(/\r\n|\r|\n/)
      .find((l) => l.trim() !== '')
      ?.trim() ?? '';
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

/**
 * The message: the template filled (keys' contents through `contents`, read only for the keys the
 * template names), NUL and any other trailer of ours removed, then a blank line and the trailer.
 */
export function commitMessage(template: string | undefined, leaf: MessageLeaf, contents: (name: string) => string): string {
  const summary = firstLine(leaf.output) || `changes for ${Object.values(leaf.keys).join(', ') || leaf.label}`;
  const body = fillPlaceholders(template ?? DEFAULT_COMMIT_MESSAGE, (name, field) => {
    if (name === LEAF_PLACEHOLDER) return leaf.label;
    if (name === SUMMARY_PLACEHOLDER) return summary;
    const path = leaf.keys[name];
    if (path === undefined) return undefined;
    return field === 'path' ? path : contents(name);
  })
    // git refuses a NUL in a message; a line that looks like our trailer would make another leaf "applied"
    .replace(/\0/g, '')
    .split('\n')
    .filter((line) => !line.startsWith(`${TRAILER}:`))
    .join('\n')
    .trim();
  return `${body || leaf.label}\n\n${trailer(leaf.runId, leaf.label)}\n`;
}
