/** Windows is refused at start with a message that says where orchestrator runs (README: Platforms). */
import { afterEach, describe, expect, jest, test } from '@jest/globals';
import { PassThrough } from 'node:stream';
import { main } from '../../src/cli/main.js';

const real = Object.getOwnPropertyDescriptor(process, 'platform')!;
afterEach(() => {
  Object.defineProperty(process, 'platform', real);
  // main() sets process.exitCode before it exits: in jest's own process (--runInBand) that code
  // would become jest's, failing a run whose tests all passed
  process.exitCode = undefined;
});

describe('the CLI on Windows', () => {
  test('refuses at start, exit 2, naming the platform and the way out; runs nothing', async () => {
    Object.defineProperty(process, 'platform', { value: 'win32' });
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    let err = '';
    stderr.on('data', (c: Buffer) => (err += c.toString()));
    let code: number | undefined;
    const exit = jest.spyOn(process, 'exit').mockImplementation(((c?: number) => {
      code = c;
    }) as typeof process.exit);
    await main(['config-that-does-not-exist.json', '--offline'], { stdout, stderr, env: {}, cwd: '/nonexistent' });
    await waitForExit(() => code);
    exit.mockRestore();
    expect(code).toBe(2);
    expect(err).toMatch(/not on Windows \(platform "win32"\).*WSL 2.*ubuntu-\* or macos-\* runner/);
    expect(err).not.toMatch(/config-that-does-not-exist/);
  });
});

/** main() calls process.exit once stdout has drained. */
async function waitForExit(code: () => number | undefined): Promise<void> {
  for (let i = 0; i < 100 && code() === undefined; i++) await new Promise((resolve) => setTimeout(resolve, 10));
}
