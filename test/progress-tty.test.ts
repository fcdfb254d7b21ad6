import { describe, expect, test } from '@jest/globals';
import { spawnSync } from 'node:child_process';
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
