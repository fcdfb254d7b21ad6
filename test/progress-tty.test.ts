import { describe, expect, test } from '@jest/globals';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { BIN, baseEnv, runCli } from './helpers/cli.js';
import { scratch } from './helpers/project.js';

const CONFIG = JSON.stringify([
  { type: 'shout', name: 'draft', cmd: 'sleep 0.3; cat' },
  { type: 'openai', name: 'summary', prompt: 'sum' },
]);

describe('progress line', () => {
  // `script` gives the CLI a terminal, as a developer's shell would
  const hasScript = existsSync('/usr/bin/script');
  (hasScript ? test : test.skip)('on a terminal it is redrawn in place on stderr', () => {
    const dir = scratch({ 'config.json': CONFIG, 'a.txt': 'a', 'b.txt': 'b', 'keys.txt': 'a.txt\nb.txt\n' });
    const command = `${process.execPath} ${BIN} config.json --key k:keys.txt --offline --parallel 1 2>&1 >/dev/null`;
    const result = spawnSync('/usr/bin/script', ['-qec', command, '/dev/null'], {
      cwd: dir,
      env: baseEnv({ ORCHESTRATOR_PROGRESS_INTERVAL_MS: undefined }),
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(result.status).toBe(0);
    const redraws = result.stdout.split('\r\x1b[2K').length - 1;
    expect(redraws).toBeGreaterThanOrEqual(2);
    expect(result.stdout).toContain('draft: 0 -> summary: 0   2/2');
    expect(result.stdout).toMatch(/done: 2 succeeded, 0 failed; tokens 0 in \/ 0 out; cost \$0; [\d.]+ s/);
  });

  test('in a CI log it prints plain lines, throttled, and a closing line', async () => {
    const dir = scratch({ 'config.json': CONFIG, 'a.txt': 'a', 'b.txt': 'b', 'c.txt': 'c', 'keys.txt': 'a.txt\nb.txt\nc.txt\n' });
    // a 60 s interval: only the first state and the last get printed
    const result = await runCli(['config.json', '--key', 'k:keys.txt', '--offline', '--parallel', '1'], {
      cwd: dir,
      env: baseEnv({ ORCHESTRATOR_PROGRESS_INTERVAL_MS: '60000' }),
    });
    expect(result.code).toBe(0);
    expect(result.stderr).not.toContain('\r');
    const lines = result.stderr.split('\n').filter((l) => / -> /.test(l));
    expect(lines.length).toBeLessThanOrEqual(2);
    expect(lines[lines.length - 1]).toBe('draft: 0 -> summary: 0   3/3');
    expect(result.stderr).toContain('done: 3 succeeded, 0 failed');
  });
});

/** 40 flows of three steps whose names are far wider than 80 columns together. */
const LONG_NAMES = JSON.stringify([
  { name: 'first-very-long-step-name-for-drafting', cmd: 'sleep 0.2; cat' },
  { name: 'second-very-long-step-name-for-reviewing', cmd: 'sleep 0.1; cat' },
  { name: 'third-very-long-step-name-for-summarising', cmd: 'cat' },
]);
const FORTY = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`f${i}.txt`, `${i}`]));
const FORTY_KEYS = Object.keys(FORTY).join('\n') + '\n';

/** A real terminal of 80 columns: a tmux session on its own server, killed at the end. */
function inTmux(dir: string, command: string): string {
  const socket = `orchestrator-test-${process.pid}-${Date.now()}`;
  const tmux = (...args: string[]): string => execFileSync('tmux', ['-L', socket, ...args], { encoding: 'utf8', timeout: 10_000 });
  tmux('new-session', '-d', '-x', '80', '-y', '30', '-c', dir, 'bash --noprofile --norc');
  try {
    tmux('send-keys', '-t', '0', `${command}; echo "EXIT:$?"`, 'Enter');
    const deadline = Date.now() + 60_000;
    let screen = '';
    while (Date.now() < deadline) {
      screen = tmux('capture-pane', '-p', '-t', '0', '-S', '-500');
      if (/^EXIT:\d+/m.test(screen)) return screen;
      spawnSync('sleep', ['0.2']);
    }
    throw new Error(`the run did not end within 60 s; the screen:\n${screen}`);
  } finally {
    tmux('kill-server');
  }
}

describe('progress line at 80 columns', () => {
  const hasTmux = spawnSync('tmux', ['-V']).status === 0;
  (hasTmux ? test : test.skip)('a 40-flow run with long step names leaves one progress line on screen, cut to the width', () => {
    const dir = scratch({ 'config.json': LONG_NAMES, ...FORTY, 'keys.txt': FORTY_KEYS });
    const env = Object.entries(baseEnv({ ORCHESTRATOR_PROGRESS_INTERVAL_MS: undefined }))
      .map(([name, value]) => `${name}=${JSON.stringify(value).replace(/\$/g, '\\$')}`)
      .join(' ');
    const screen = inTmux(dir, `env -i ${env} ${process.execPath} ${BIN} config.json --key k:keys.txt --parallel 6 >/dev/null`);
    expect(screen).toMatch(/^EXIT:0$/m);
    const lines = screen.split('\n');
    const progress = lines.filter((line) => /\d+\/40\b/.test(line));
    expect(progress).toEqual([expect.stringMatching(/^first.* -> .*: 0 +40\/40$/)]);
    expect(progress[0]!.length).toBeLessThan(80);
    const at = lines.indexOf(progress[0]!);
    expect(lines[at + 1]).toMatch(/^done: 40 succeeded, 0 failed; /);
  });
});

describe('progress line in a pipe', () => {
  test('one line per interval, never two within one; the first counts every step already running', async () => {
    const dir = scratch({ 'config.json': LONG_NAMES, ...FORTY, 'keys.txt': FORTY_KEYS });
    const interval = 400;
    const started = Date.now();
    const stamps: { at: number; line: string }[] = [];
    const result = await runCli(['config.json', '--key', 'k:keys.txt', '--parallel', '6'], {
      cwd: dir,
      env: baseEnv({ ORCHESTRATOR_PROGRESS_INTERVAL_MS: String(interval) }),
      timeoutMs: 60_000,
      onStart: (_pid, output) => {
        let seen = 0;
        const poll = setInterval(() => {
          const lines = output.stderr().split('\n').slice(0, -1);
          for (const line of lines.slice(seen)) stamps.push({ at: Date.now() - started, line });
          seen = lines.length;
          if (output.stderr().includes('results:')) clearInterval(poll);
        }, 5);
        setTimeout(() => clearInterval(poll), 60_000).unref();
      },
    });
    expect(result.code).toBe(0);
    const lines = result.stderr.split('\n').filter((line) => / -> /.test(line));
    // the flows all start before the first line is drawn: 6 at the first step, none finished
    expect(lines[0]).toMatch(/^first-very-long-step-name-for-drafting: 6 -> .*: 0 -> .*: 0 +0\/40$/);
    // no pairs: at most one line an interval (but the closing one, printed at the end). Counted
    // against the whole run's time as this side saw it, not between two lines' arrivals: a loaded
    // machine delivers two lines written 400 ms apart within a few milliseconds of each other
    const elapsed = Date.now() - started;
    const seen = stamps.filter(({ line }) => / -> /.test(line)).slice(0, -1);
    expect(seen.length).toBeGreaterThan(3);
    expect(seen.length).toBeLessThanOrEqual(Math.floor(elapsed / interval) + 1);
  });
});
