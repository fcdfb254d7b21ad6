import type { RunOptions } from '../../src/engine/options.js';

/** The engine's options for a project of docProject's (key DOC from docs.list), as the CLI would make them; `more` replaces any. */
export function engineOptions(dir: string, more: Partial<RunOptions> = {}): RunOptions {
  return {
    configFile: 'config.json',
    baseDir: dir,
    workdir: '.',
    keys: [{ name: 'DOC', file: 'docs.list' }],
    parallel: 1,
    timeoutS: 60,
    appendFilepath: false,
    outputDir: 'generated',
    runId: 't',
    model: undefined,
    api: undefined,
    baseUrl: undefined,
    offline: false,
    retries: 0,
    codexPath: undefined,
    tokenBudget: undefined,
    resume: false,
    shard: undefined,
    env: { OPENAI_API_KEY: 'sk-test-inprocess-0123456789abcdef', PATH: process.env.PATH },
    ...more,
  };
}
