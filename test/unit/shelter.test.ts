import { existsSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PRIVATE_ENV_FILE, isPrivateVariable, publicEnv } from '../../src/util/private-env.js';
import { shelterPrivateEnv } from '../../src/util/shelter.js';

describe('private variables', () => {
  test('keys, tokens, inputs, runtime variables and file commands are private; the rest is not', () => {
    for (const name of [
      'OPENAI_API_KEY',
      'CODEX_API_KEY',
      'GITHUB_TOKEN',
      'GH_TOKEN',
      'ACTIONS_RUNTIME_TOKEN',
      'ACTIONS_RESULTS_URL',
      'INPUT_GITHUB-TOKEN',
    ])
      expect([name, isPrivateVariable(name)]).toEqual([name, true]);
    for (const name of ['GITHUB_ENV', 'GITHUB_PATH', 'GITHUB_OUTPUT', 'GITHUB_STATE', 'GITHUB_STEP_SUMMARY', PRIVATE_ENV_FILE])
      expect([name, isPrivateVariable(name)]).toEqual([name, true]);
    for (const name of ['PATH', 'HOME', 'GITHUB_WORKSPACE', 'GITHUB_RUN_ID', 'MY_SERVICE_TOKEN', 'OPENAI_BASE_URL'])
      expect([name, isPrivateVariable(name)]).toEqual([name, false]);
    expect(publicEnv({ PATH: '/bin', OPENAI_API_KEY: 'sk-x', GITHUB_OUTPUT: '/o', UNSET: undefined })).toEqual({ PATH: '/bin' });
  });

  test('the re-executed process takes the handed-over variables back into memory and deletes the file and its directory', () => {
    const dir = mkdtempSync(join(tmpdir(), 'orchestrator-env-'));
    const file = join(dir, 'env.json');
    writeFileSync(file, JSON.stringify({ OPENAI_API_KEY: 'sk-handed-over', PATH: '/evil', 'INPUT_GITHUB-TOKEN': 'ghs_x' }), {
      mode: 0o600,
    });
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    const env: NodeJS.ProcessEnv = { PATH: '/bin', [PRIVATE_ENV_FILE]: file };
    shelterPrivateEnv(env);
    // only private names are taken back: the file cannot rewrite PATH
    expect(env).toEqual({ PATH: '/bin', OPENAI_API_KEY: 'sk-handed-over', 'INPUT_GITHUB-TOKEN': 'ghs_x' });
    expect(existsSync(file)).toBe(false);
    expect(existsSync(dir)).toBe(false);
  });

  test('a hand-over variable naming no file: nothing taken back, nothing fails', () => {
    const env: NodeJS.ProcessEnv = { PATH: '/bin', [PRIVATE_ENV_FILE]: '/nonexistent/env.json' };
    shelterPrivateEnv(env);
    expect(env).toEqual({ PATH: '/bin' });
  });
});
