/** A throwaway CODEX_HOME that makes the real Codex CLI talk only to a loopback fake server. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

/** absolute path of node_modules/.bin/codex */
export const CODEX_BIN: string = path.resolve(here, '..', '..', 'node_modules', '.bin', 'codex');

/** TOML basic string */
function tomlString(s: string): string {
  return JSON.stringify(s);
}

/**
 * Creates a temp CODEX_HOME dir whose config.toml points codex at baseUrl (provider "fake", env_key
 * FAKE_KEY, request retries 0, stream retries `streamMaxRetries` (default 0), analytics and plugins
 * off), returns its path
 */
export function makeCodexHome(baseUrl: string, { streamMaxRetries = 0 }: { streamMaxRetries?: number } = {}): string {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'codex-home-'));
  const config = [
    'model_provider = "fake"',
    'model = "gpt-5.5"',
    '',
    '[model_providers.fake]',
    'name = "fake"',
    `base_url = ${tomlString(baseUrl)}`,
    'env_key = "FAKE_KEY"',
    'wire_api = "responses"',
    'request_max_retries = 0',
    `stream_max_retries = ${streamMaxRetries}`,
    '',
    '[analytics]',
    'enabled = false',
    '',
    '[features]',
    'plugins = false',
    '',
  ].join('\n');
  fs.writeFileSync(path.join(home, 'config.toml'), config);
  return home;
}

/**
 * env vars to add when running codex against it: CODEX_HOME, FAKE_KEY, and HOME = that directory.
 * codex runs its tool commands in a login shell, which sources the machine's profile: on a machine
 * whose ~/.bashrc runs `pyenv init`, a shell killed mid-way (a test's timeout) leaves pyenv's rehash
 * lock behind and every later login shell waits 60 s for it. Tests do not depend on the profile.
 */
export function codexEnv(home: string): Record<string, string> {
  return { CODEX_HOME: home, FAKE_KEY: 'fake-key', HOME: home };
}
