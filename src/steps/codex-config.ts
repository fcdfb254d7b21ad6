import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * The `model_provider` set at the top of codex's own config.toml (`$CODEX_HOME`, else `~/.codex`),
 * if any. A provider of the user's own (Azure, a local server) reads its own key variable and URL:
 * orchestrator leaves it alone; only OpenAI's (the default) is replaced by the proxy.
 */
export function configuredProvider(env: Readonly<Record<string, string | undefined>>): string | undefined {
  const home = env.CODEX_HOME || join(env.HOME || homedir(), '.codex');
  let text: string;
  try {
    text = readFileSync(join(home, 'config.toml'), 'utf8');
  } catch {
    return undefined;
  }
  for (const line of text.split('\n')) {
    if (/^\s*\[/.test(line)) break; // top-level keys come before the first table
    const match = /^\s*model_provider\s*=\s*(?:"([^"]*)"|'([^']*)')/.exec(line);
    if (match) return match[1] ?? match[2];
  }
  return undefined;
}
