import { splitPlaceholders } from './placeholders.js';

/** A cmd step's shell script with each placeholder turned into a variable reference. */
export interface CompiledCommand {
  readonly script: string;
  /** Environment variable name for each key name used. */
  readonly variables: ReadonlyMap<string, string>;
}

type Quote = 'none' | 'double' | 'single';

/** The quoting context at the end of a piece of `sh` text, starting from `state`. */
function quoteAfter(text: string, state: Quote): Quote {
  let quote = state;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote === 'single') {
      if (c === "'") quote = 'none';
    } else if (c === '\\') {
      i++;
    } else if (c === '"') {
      quote = quote === 'double' ? 'none' : 'double';
    } else if (c === "'" && quote === 'none') {
      quote = 'single';
    }
  }
  return quote;
}

/**
 * Turns `{{{NAME}}}` in a shell command into a reference to an environment variable holding the
 * contents, quoted for the context it stands in, so the contents are always data: unquoted it is
 * one word (`"${V}"`), inside double quotes `${V}`, inside single quotes `'"${V}"'`. The shell never
 * parses the contents, so `$(...)`, backticks and quotes in them do nothing.
 */
export function compileCommand(cmd: string): CompiledCommand {
  const { literals, names } = splitPlaceholders(cmd);
  const variables = new Map<string, string>();
  let script = literals[0]!;
  let quote = quoteAfter(script, 'none');
  names.forEach((name, i) => {
    let variable = variables.get(name);
    if (variable === undefined) {
      variable = `ORCHESTRATOR_KEY_${variables.size + 1}`;
      variables.set(name, variable);
    }
    script += quote === 'double' ? `\${${variable}}` : quote === 'single' ? `'"\${${variable}}"'` : `"\${${variable}}"`;
    const literal = literals[i + 1]!;
    script += literal;
    quote = quoteAfter(literal, quote);
  });
  return { script, variables };
}
