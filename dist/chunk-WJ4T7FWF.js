import { createRequire as __orchestratorRequire } from 'node:module';
const require = __orchestratorRequire(import.meta.url);

// src/errors.ts
var UsageError = class extends Error {
  problems;
  constructor(problems, options) {
    const list = typeof problems === "string" ? [problems] : problems;
    super(list.join("\n"), options);
    this.name = "UsageError";
    this.problems = list;
  }
};
var StepError = class extends Error {
  /** Tokens the failed attempt still cost (a model reply cut short is paid for): counted like a success's. */
  usage;
  constructor(message, options) {
    super(message, options);
    this.name = "StepError";
    this.usage = options?.usage ?? null;
  }
};
var OutputError = class extends Error {
  constructor(message, options) {
    super(message, options);
    this.name = "OutputError";
  }
};
var CancelledError = class extends Error {
  constructor(reason) {
    super(reason);
    this.name = "CancelledError";
  }
};
function errorMessage(error) {
  return error instanceof Error ? error.message : String(error);
}

export {
  UsageError,
  StepError,
  OutputError,
  CancelledError,
  errorMessage
};
