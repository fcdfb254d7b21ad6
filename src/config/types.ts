import type { Prices } from '../model/cost.js';

export const SANDBOXES = ['read-only', 'workspace-write', 'danger-full-access'] as const;
export type Sandbox = (typeof SANDBOXES)[number];

/** Most elements an `array: true` step may give unless it sets `max_items`: the elements come from a model. */
export const DEFAULT_MAX_ITEMS = 10_000;

export const APIS = ['responses', 'chat'] as const;

/**
 * Longest timeout of one step attempt, in seconds (7 days). A timer holds at most 2^31-1 ms (about
 * 24.8 days); Node turns a longer one into 1 ms, which would fail every step at once.
 */
export const MAX_TIMEOUT_S = 7 * 24 * 3600;
export type Api = (typeof APIS)[number];

/** What a step does; `type` is only a label for cmd steps. */
export type StepKind = 'openai' | 'codex' | 'cmd';

/** Where a model step's prompt template comes from. */
export type PromptSource = { kind: 'inline'; text: string } | { kind: 'file'; path: string };

export { CHECK_TYPES, type Check, type CheckType } from '../model/checks.js';
import type { Check } from '../model/checks.js';

/** What every step has, whatever its kind. */
interface StepBase {
  /** 1-based position in the config. */
  readonly index: number;
  /** The `type` field as written ("openai", "codex", or any label for a cmd step). */
  readonly type: string;
  readonly name: string | undefined;
  /** `name` when set, else `type`: what progress output and reports show. */
  readonly label: string;
  readonly array: boolean;
  /** `array: true` steps: most elements accepted (`max_items`, default DEFAULT_MAX_ITEMS); undefined otherwise. */
  readonly maxItems: number | undefined;
  /** Step model, else the config default; CLI and environment fallbacks are applied later. Model steps only. */
  readonly model: string | undefined;
  /** openai steps only. */
  readonly api: Api | undefined;
  /** Seconds for one attempt; undefined means the run's `--timeout`. */
  readonly timeout: number | undefined;
  /** Codex steps only. */
  readonly sandbox: Sandbox | undefined;
  /** `"checks"` of the step's output; absent when it has none (the config hash of a config without checks stays as it was). */
  readonly checks?: readonly Check[];
}

/** A shell command step: it has a `cmd` and no prompt. */
export interface CmdStep extends StepBase {
  readonly kind: 'cmd';
  readonly cmd: string;
  readonly prompt?: undefined;
}

/** An OpenAI API or Codex CLI step: it has a prompt and no `cmd`. */
export interface ModelStep extends StepBase {
  readonly kind: 'openai' | 'codex';
  readonly prompt: PromptSource;
  readonly cmd?: undefined;
}

/** One validated step of the config, defaults applied: the kind says which fields it has. */
export type Step = CmdStep | ModelStep;

export interface Config {
  /** The path as the user gave it, for messages. */
  readonly file: string;
  readonly steps: readonly Step[];
  /**
   * `"after"`: steps run once after every flow ended, over all leaves (engine/after.ts); empty when
   * the config has none. Their `index` counts within this list. Not in `hash` (in `fullHash`): changing
   * them does not change what the flows are, so `--resume` runs only the after steps again.
   */
  readonly after: readonly Step[];
  /**
   * Shell command run once in each new worktree (`--isolate worktree`) before its first step, e.g.
   * `npm ci`; what it changes is left out of the patches.
   */
  readonly setup: string | undefined;
  /**
   * `"commit_message"`: the template of the commit `orchestrator apply --commit`/`--branch` makes per
   * leaf (placeholders as in prompts, apply/message.ts); undefined: the default message.
   */
  readonly commitMessage?: string | undefined;
  /** `"checks_fail"` (default true): a failed check fails its leaf; false records the checks' results only. */
  readonly checksFail?: boolean;
  /** The config's `"prices"`: per model, over the built-in ones (model/cost.ts). */
  readonly prices: Prices | undefined;
  /** sha256 of the canonical steps (and `setup`): what the flows are; `--resume` refuses when it changes. */
  readonly hash: string;
  /**
   * sha256 of everything the config runs or gates: steps, `setup`, after steps and prices. run.json
   * records it; `report` refuses a config (or a run directory's copy) whose whole hash differs.
   */
  readonly fullHash: string;
}
