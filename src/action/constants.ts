/** Names of the Action's inputs, as in action.yml. */
export const Inputs = {
  Mode: 'mode',
  Config: 'config',
  Keys: 'keys',
  Parallel: 'parallel',
  Timeout: 'timeout',
  Workdir: 'workdir',
  AppendFilepath: 'append-filepath',
  Shard: 'shard',
  Shards: 'shards',
  RunId: 'run-id',
  Model: 'model',
  Api: 'api',
  BaseUrl: 'base-url',
  OpenaiApiKey: 'openai-api-key',
  Offline: 'offline',
  Retries: 'retries',
  TokenBudget: 'token-budget',
  Cache: 'cache',
  Resume: 'resume',
  Sandbox: 'sandbox',
  Isolate: 'isolate',
  Apply: 'apply',
  ArtifactName: 'artifact-name',
  Upload: 'upload',
  Summary: 'summary',
  Comment: 'comment',
  FailOnError: 'fail-on-error',
  GithubToken: 'github-token',
  CodexVersion: 'codex-version',
} as const;

/** Names of the Action's outputs, as in action.yml. */
export const Outputs = {
  RunDir: 'run-dir',
  Results: 'results',
  Succeeded: 'succeeded',
  Failed: 'failed',
  InputTokens: 'input-tokens',
  OutputTokens: 'output-tokens',
  Matrix: 'matrix',
  RunId: 'run-id',
  FinalMessage: 'final-message',
  Applied: 'applied',
  Conflicts: 'conflicts',
} as const;

export type OutputName = (typeof Outputs)[keyof typeof Outputs];
