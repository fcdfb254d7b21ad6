import { createRequire as __orchestratorRequire } from 'node:module';
const require = __orchestratorRequire(import.meta.url);

// src/util/private-env.ts
var PRIVATE = [
  /^ACTIONS_/,
  /^INPUT_/,
  /^GITHUB_TOKEN$/,
  /^GH_TOKEN$/,
  /^OPENAI_API_KEY$/,
  /^CODEX_API_KEY$/,
  // the runner's file commands: a step writing to them would change the job's later steps
  /^GITHUB_(ENV|PATH|OUTPUT|STATE|STEP_SUMMARY)$/
];
var PRIVATE_ENV_FILE = "ORCHESTRATOR_PRIVATE_ENV";
function isPrivateVariable(name) {
  return name === PRIVATE_ENV_FILE || PRIVATE.some((pattern) => pattern.test(name));
}
function publicEnv(env) {
  const result = {};
  for (const [name, value] of Object.entries(env)) if (value !== void 0 && !isPrivateVariable(name)) result[name] = value;
  return result;
}

export {
  PRIVATE_ENV_FILE,
  isPrivateVariable,
  publicEnv
};
