import { UsageError } from '../errors.js';
import { findPlaceholders } from './placeholders.js';
import { placePlaceholders } from './shell-scan.js';

/** A cmd step's shell script with each placeholder turned into a variable reference. */
export interface CompiledCommand {
  readonly script: string;
  /** Environment variable name for each placeholder used, by its text inside the braces (`doc`, `doc:path`). */
  readonly variables: ReadonlyMap<string, string>;
}

/** Line and column (1-based) of a position in a text. */
function lineColumn(text: string, position: number): string {
  const before = text.slice(0, position);
  const line = before.split('\n').length;
  return `line ${line}, column ${position - before.lastIndexOf('\n')}`;
}

/**
 * Turns each placeholder of a shell command into a reference to an environment variable holding
 * its value (the file's contents, or its path), quoted for where it stands, so the value is always
 * one word of data: unquoted it is `"${V}"`, inside double quotes or an unquoted here-document
 * `${V}`, inside single quotes `'"${V}"'`. The shell never parses the value, so `$(...)`,
 * backticks, quotes, spaces and globs in it do nothing. A placeholder anywhere else (arithmetic,
 * `${...}`, backticks, `[[ ]]`, a quoted here-document, after a backslash, or after anything the
 * check cannot read with certainty) is refused with every such place listed: never an unquoted
 * expansion. So is one where bash would read the word as a variable name and evaluate `a[$(cmd)]`
 * in it (`read`, `printf -v`, `test -v`...: command-words.ts), or as the command to run.
 */
export function compileCommand(cmd: string): CompiledCommand {
  const placeholders = findPlaceholders(cmd);
  if (placeholders.length === 0) return { script: cmd, variables: new Map() };
  let placements;
  try {
    placements = placePlaceholders(cmd, placeholders);
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    throw new UsageError('the command nests $(...), quotes or parentheses too deeply to check its placeholders', { cause: error });
  }
  const variables = new Map<string, string>();
  const problems: string[] = [];
  let script = '';
  let last = 0;
  placeholders.forEach((placeholder, n) => {
    const ref = placeholder.text.slice(3, -3);
    let variable = variables.get(ref);
    if (variable === undefined) {
      variable = `ORCHESTRATOR_KEY_${variables.size + 1}`;
      variables.set(ref, variable);
    }
    const placement = placements[n]!;
    script += cmd.slice(last, placeholder.start);
    last = placeholder.end;
    if (placement.kind === 'refused') {
      const fix = placement.fix.replaceAll('{{{NAME}}}', placeholder.text);
      problems.push(`${placeholder.text} at ${lineColumn(cmd, placeholder.start)} stands ${placement.why}: ${fix}`);
      return;
    }
    script += placement.kind === 'double' ? `\${${variable}}` : placement.kind === 'single' ? `'"\${${variable}}"'` : `"\${${variable}}"`;
  });
  if (problems.length > 0) throw new UsageError(problems);
  return { script: script + cmd.slice(last), variables };
}
