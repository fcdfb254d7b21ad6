import { execFileSync, spawnSync } from 'node:child_process';
import { baseEnv } from './cli.js';

export const hasTmux = spawnSync('tmux', ['-V']).status === 0;

/** `env -i NAME="value" ...`: the test's environment for a command typed into a tmux shell. */
export function envPrefix(extra: Record<string, string | undefined> = {}): string {
  const env = Object.entries(baseEnv(extra))
    .map(([name, value]) => `${name}=${JSON.stringify(value).replace(/\$/g, '\\$')}`)
    .join(' ');
  return `env -i ${env}`;
}

/**
 * Types `command` into a real terminal of `columns` columns (a tmux session on its own server,
 * killed at the end) and returns the screen once it has printed its exit status (`EXIT:n`), with
 * the escape sequences tmux would draw when `escapes` (capture-pane -e: colours show as SGR).
 */
export function inTmux(dir: string, command: string, { columns = 80, escapes = false } = {}): string {
  const socket = `orchestrator-test-${process.pid}-${Date.now()}`;
  const tmux = (...args: string[]): string => execFileSync('tmux', ['-L', socket, ...args], { encoding: 'utf8', timeout: 10_000 });
  tmux('new-session', '-d', '-x', String(columns), '-y', '30', '-c', dir, 'bash --noprofile --norc');
  try {
    tmux('send-keys', '-t', '0', `${command}; echo "EXIT:$?"`, 'Enter');
    const deadline = Date.now() + 60_000;
    let screen = '';
    while (Date.now() < deadline) {
      screen = tmux('capture-pane', '-p', ...(escapes ? ['-e'] : []), '-t', '0', '-S', '-500');
      if (/^EXIT:\d+/m.test(screen)) return screen;
      spawnSync('sleep', ['0.2']);
    }
    throw new Error(`the command did not end within 60 s; the screen:\n${screen}`);
  } finally {
    tmux('kill-server');
  }
}
