/**
 * The sandbox probe's message (README "Codex in CI"): when `codex sandbox -- true` fails without a
 * word on stderr, the error still says what failed: its exit code or the signal that ended it.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { expectExit } from './helpers/cli.js';
import { orchestrateInProcess } from './helpers/cli-inprocess.js';
import { scratch } from './helpers/project.js';
import { CODEX_OPTIONS, writeStandInCodex } from './helpers/stand-in-codex.js';

/** A codex whose sandbox probe fails as $PROBE says, printing nothing. */
const SILENT_PROBE = `#!/bin/sh
${CODEX_OPTIONS}
if [ "$1" = "sandbox" ]; then
  case "$PROBE" in
    exit) exit 1;;
    signal) kill -9 $$;;
  esac
fi
exit 0
`;

test.each([
  ['exit', /`codex sandbox -- true` exited with code 1 and printed nothing on stderr\)/],
  ['signal', /`codex sandbox -- true` was killed by SIGKILL and printed nothing on stderr\)/],
])(
  'a probe that fails silently (%s) is still described: how it ended, and that it said nothing',
  async (probe, expected) => {
    const dir = scratch({ 'config.json': JSON.stringify([{ type: 'codex', prompt: 'x' }]) });
    const codex = writeStandInCodex(scratch(), SILENT_PROBE);
    const o = await orchestrateInProcess(dir, ['--codex-path', codex], { OPENAI_API_KEY: 'sk-test-probe-0123456789', PROBE: probe });
    expectExit(o, 2);
    expect(o.stderr).toMatch(/codex's sandbox does not work on this machine/);
    expect(o.stderr).toMatch(expected);
    expect(o.stderr).toContain('danger-full-access');
    expect(existsSync(join(dir, 'generated'))).toBe(false);
  },
  30_000,
);
