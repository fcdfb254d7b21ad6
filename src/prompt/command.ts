import { UsageError } from '../errors.js';
import { splitPlaceholders } from './placeholders.js';

/** A cmd step's shell script with each placeholder turned into a variable reference. */
export interface CompiledCommand {
  readonly script: string;
  /** Environment variable name for each key name used. */
  readonly variables: ReadonlyMap<string, string>;
}

/**
 * Where the shell is, for what a placeholder must become there:
 * - `plain`: unquoted, at top level or inside `$(...)`, `(...)` or backticks: needs `"${V}"`;
 * - `double`: inside "..." or an unquoted here-document body, where `${V}` is expanded whole;
 * - `single`: inside '...', which must be closed and reopened around `"${V}"`;
 * - `literal`: a quoted here-document body, where nothing is expanded at all.
 */
type Context = 'plain' | 'double' | 'single' | 'literal';

interface Frame {
  readonly context: Context;
  /** What ends this frame: `)` of a `$(`/`(`, a backtick, a quote, or a here-document delimiter line. */
  readonly closer: ')' | '`' | '"' | "'" | 'heredoc' | 'top';
  readonly delimiter?: string;
  readonly stripTabs?: boolean;
}

/**
 * Follows the shell's quoting through a script, so each placeholder's context is known. It knows
 * quotes, backslashes, `$(...)`, backticks, comments and here-documents: enough for the commands
 * people write in a config, erring towards treating text as unquoted.
 */
class QuoteTracker {
  private readonly stack: Frame[] = [{ context: 'plain', closer: 'top' }];
  private pendingHeredocs: Array<{ delimiter: string; quoted: boolean; stripTabs: boolean }> = [];
  private line = '';
  private previous = '\n';
  private comment = false;

  get context(): Context {
    return this.stack[this.stack.length - 1]!.context;
  }

  private get top(): Frame {
    return this.stack[this.stack.length - 1]!;
  }

  feed(text: string): void {
    for (let i = 0; i < text.length; i++) {
      const c = text[i]!;
      const next = text[i + 1];
      const frame = this.top;
      if (c === '\n') {
        this.endLine();
        this.previous = c;
        continue;
      }
      this.line += c;
      if (this.comment || frame.closer === 'heredoc') {
        if (frame.context === 'double' && c === '$' && next === '(') {
          this.stack.push({ context: 'plain', closer: ')' });
          this.line += next;
          i++;
        }
        this.previous = c;
        continue;
      }
      if (frame.context === 'single') {
        if (c === "'") this.stack.pop();
      } else if (c === '\\') {
        if (next !== undefined && next !== '\n') this.line += next;
        i++;
      } else if (frame.context === 'double') {
        if (c === '"') this.stack.pop();
        else if (c === '$' && next === '(') {
          this.stack.push({ context: 'plain', closer: ')' });
          this.line += next;
          i++;
        } else if (c === '`') this.stack.push({ context: 'plain', closer: '`' });
      } else {
        // plain
        if (c === "'") this.stack.push({ context: 'single', closer: "'" });
        else if (c === '"') this.stack.push({ context: 'double', closer: '"' });
        else if (c === '`') {
          if (frame.closer === '`') this.stack.pop();
          else this.stack.push({ context: 'plain', closer: '`' });
        } else if (c === '(') this.stack.push({ context: 'plain', closer: ')' });
        else if (c === ')') {
          if (frame.closer === ')') this.stack.pop();
        } else if (c === '#' && /[\s;&|()]/.test(this.previous)) this.comment = true;
        else if (c === '<' && next === '<' && text[i + 2] !== '<') {
          const match = /^<<(-?)[ \t]*(?:'([^']*)'|"([^"]*)"|\\?([A-Za-z0-9_.-]+))/.exec(text.slice(i));
          if (match) {
            const delimiter = match[2] ?? match[3] ?? match[4]!;
            this.pendingHeredocs.push({
              delimiter,
              quoted: match[4] === undefined || match[0].includes('\\'),
              stripTabs: match[1] === '-',
            });
            this.line += match[0].slice(1);
            i += match[0].length - 1;
          }
        }
      }
      this.previous = c;
    }
  }

  private endLine(): void {
    const frame = this.top;
    this.comment = false;
    if (frame.closer === 'heredoc') {
      const line = frame.stripTabs ? this.line.replace(/^\t+/, '') : this.line;
      if (line === frame.delimiter) this.stack.pop();
    }
    this.line = '';
    if (this.top.closer !== 'heredoc' && this.pendingHeredocs.length > 0) {
      // bodies follow in order; push the last first so the first is on top
      for (const doc of this.pendingHeredocs.reverse()) {
        this.stack.push({
          context: doc.quoted ? 'literal' : 'double',
          closer: 'heredoc',
          delimiter: doc.delimiter,
          stripTabs: doc.stripTabs,
        });
      }
      this.pendingHeredocs = [];
    }
  }
}

/**
 * Turns `{{{NAME}}}` in a shell command into a reference to an environment variable holding the
 * contents, quoted for the context it stands in, so the contents are always data: unquoted (also
 * inside `$(...)` and backticks) it is one word, `"${V}"`; inside double quotes or a here-document,
 * `${V}`; inside single quotes, `'"${V}"'`. The shell never parses the contents, so `$(...)`,
 * backticks, quotes, spaces and globs in them do nothing. A placeholder in a quoted here-document,
 * where nothing is expanded, is refused.
 */
export function compileCommand(cmd: string): CompiledCommand {
  const { literals, names } = splitPlaceholders(cmd);
  const variables = new Map<string, string>();
  const tracker = new QuoteTracker();
  let script = literals[0]!;
  tracker.feed(script);
  names.forEach((name, i) => {
    let variable = variables.get(name);
    if (variable === undefined) {
      variable = `ORCHESTRATOR_KEY_${variables.size + 1}`;
      variables.set(name, variable);
    }
    const context = tracker.context;
    if (context === 'literal') {
      throw new UsageError(
        `{{{${name}}}} stands in a quoted here-document, where the shell expands nothing: unquote its delimiter (<<EOF, not <<'EOF')`,
      );
    }
    const reference = context === 'double' ? `\${${variable}}` : context === 'single' ? `'"\${${variable}}"'` : `"\${${variable}}"`;
    script += reference;
    tracker.feed('x');
    const literal = literals[i + 1]!;
    script += literal;
    tracker.feed(literal);
  });
  return { script, variables };
}
