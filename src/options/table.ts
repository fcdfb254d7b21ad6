/**
 * The one table of options. Each entry is declared once: its parser and default, its CLI flag (which
 * commands take it, help text, README text) and its Action input (action.yml's description and
 * default, which modes read it). The CLI's commander options (options/commander.ts), the Action's
 * inputs (options/inputs.ts), action.yml's `inputs:` and the README's CLI table (`npm run docs`) are
 * derived from it; test/unit/options.test.ts checks that they agree.
 *
 * Adding an option: one entry here, the code that uses the value, and its test (CONTRIBUTING.md).
 */
import { MAX_SHARDS } from '../flows/shards.js';
import { DEFAULT_OUTPUT, DEFAULT_PARALLEL, DEFAULT_RETRIES, DEFAULT_SANDBOX, DEFAULT_TIMEOUT_S } from '../engine/options.js';
import { flag, list, option, optional, MODES, type AnySpec } from './spec.js';
import * as v from './values.js';

/** `report`'s after steps: unset unless given, then a run's default (never the run's run.json: records are data, not settings). */
const afterSteps = { default: undefined } as const;

export const OPTIONS = {
  mode: option({
    parse: v.oneOf(MODES),
    default: 'run',
    input: {
      name: 'mode',
      modes: MODES,
      description: "What to do: `run` the flows, `plan` the shards for a matrix job, or `report` (merge the shards' results).",
    },
  }),
  config: optional({
    parse: v.text,
    cli: {
      flag: '--config <file>',
      help: "the config the shards ran: its after steps run (never the run directory's copy, which must agree with it); without it none run",
      commands: { report: {} },
    },
    input: {
      name: 'config',
      modes: MODES,
      description:
        "Path of the config file (JSON), relative to the workspace. Needed by `run` and `plan`; in `report`, the only source of the after steps (a file of the report job's checkout, which must be the config the shards ran): without it none run, and a run whose records list some fails the step.",
    },
  }),
  keys: list({
    parse: v.keySpec,
    cli: {
      flag: '--key <name:file>',
      help: 'FILE lists one path per line; {{{NAME}}} stands for the contents of each (repeatable)',
      readme: 'repeatable; see Keys',
      commands: { run: {}, plan: { help: 'as for run (repeatable)' } },
    },
    input: {
      name: 'keys',
      modes: ['run', 'plan'],
      description:
        "Key lists, one `NAME:FILE` per line; FILE lists one path per line and `{{{NAME}}}` stands for each file's contents, `{{{NAME:path}}}` for its path.",
    },
  }),
  parallel: option({
    parse: v.positiveInt,
    default: DEFAULT_PARALLEL,
    cli: {
      flag: '--parallel <n>',
      help: 'most flows and branches in progress at once',
      readme: 'most flows and branches in progress (steps executing) at once',
      commands: { run: {} },
    },
    input: { name: 'parallel', modes: ['run'], description: 'Most flows and branches in progress (steps executing) at once.' },
  }),
  timeoutS: option({
    parse: v.timeoutSeconds,
    default: DEFAULT_TIMEOUT_S,
    cli: {
      flag: '--timeout <s>',
      help: 'seconds for one attempt of any step (a step may set its own "timeout")',
      readme:
        'seconds for one attempt of any step, at most 604800 (7 days); a step may set its own `timeout`; with `--batch` the longest wait for one batch (default 86400)',
      commands: { run: {}, report: { help: `after steps: seconds for one attempt (default ${DEFAULT_TIMEOUT_S})`, ...afterSteps } },
    },
    input: {
      name: 'timeout',
      modes: ['run', 'report'],
      // empty, so that `batch: true` can tell "not given" (then 24 h per batch)
      yml: '',
      description:
        "Seconds for one attempt of any step (at most 604800, 7 days; default 1800); a step may set its own `timeout`. With `batch: true` it bounds the wait for one batch instead (default 86400, 24 h): mind the job's 6 h limit (README: Batch API).",
    },
  }),
  workdir: option({
    parse: v.text,
    default: '.',
    cli: {
      flag: '--workdir <dir>',
      help: 'working directory of codex and cmd steps (default: the current directory)',
      readme: 'working directory of codex and cmd steps',
      shownDefault: '`.`',
      default: undefined,
      commands: {
        run: {},
        report: { help: 'after steps: working directory of codex and cmd steps (default: the current directory)', ...afterSteps },
      },
    },
    input: {
      name: 'workdir',
      modes: MODES,
      description: 'Working directory of codex and cmd steps, relative to the workspace.',
    },
  }),
  appendFilepath: flag({
    cli: { flag: '--append-filepath', help: "in prompts, follow each file's contents with its path", commands: { run: {} } },
    input: { name: 'append-filepath', modes: ['run'], description: "In prompts, follow each interpolated file's contents with its path." },
  }),
  outputDir: option({
    parse: v.text,
    default: DEFAULT_OUTPUT,
    cli: { flag: '--output <dir>', help: 'where run directories go', commands: { run: {} } },
  }),
  shard: optional({
    parse: v.shard,
    cli: {
      flag: '--shard <i/n>',
      help: 'run only shard I of N of the flows',
      readme: 'run only shard I of N (contiguous ranges of flows, sizes within one); needs `--run-id`, shared by the shards',
      commands: { run: {} },
    },
    input: {
      name: 'shard',
      modes: ['run'],
      description: 'Run only this shard, `I/N` (e.g. `${{ matrix.shard }}` from a `plan` job).',
    },
  }),
  shards: optional({
    parse: v.positiveInt,
    cli: {
      flag: '--shards <n>',
      help: `number of shards wanted (capped at ${MAX_SHARDS} and at the number of flows)`,
      required: true,
      commands: { plan: {} },
    },
    input: {
      name: 'shards',
      modes: ['plan'],
      parse: v.matrixShards,
      description: `\`plan\`: number of shards wanted (capped at ${MAX_SHARDS} and at the number of flows).`,
    },
  }),
  runId: optional({
    parse: v.text,
    cli: {
      flag: '--run-id <id>',
      help: 'the run directory name (run_ is added when missing; default: unique, sortable by time)',
      readme: 'run directory name: letters, digits, `.`, `_`, `-`, at most 100 characters with `run_` (added when missing)',
      shownDefault: 'unique, sortable by time',
      commands: { run: {}, plan: { help: 'the run id the shards share (default: unique, sortable by time)' } },
    },
    input: {
      name: 'run-id',
      modes: MODES,
      description:
        'Run id shared by the shards of one run: letters, digits, `.`, `_`, `-`, at most 100 characters (`run_` is added when missing). Default: `run_gh<GITHUB_RUN_ID>`.',
    },
  }),
  model: optional({
    parse: v.text,
    cli: {
      flag: '--model <model>',
      help: 'model for steps that name none (after the config defaults, before OPENAI_MODEL)',
      readme: 'model for steps that name none',
      commands: { run: {}, report: { help: 'after steps: model for steps that name none', ...afterSteps } },
    },
    input: {
      name: 'model',
      modes: ['run', 'report'],
      description: "Model for steps that name none (after the config's defaults, before OPENAI_MODEL).",
    },
  }),
  api: optional({
    parse: v.api,
    cli: {
      flag: '--api <api>',
      help: 'API of openai steps that name none: responses (default) or chat',
      readme: 'API of openai steps that name none',
      shownDefault: '`responses`',
      commands: { run: {}, report: { help: 'after steps: API of openai steps that name none (default responses)', ...afterSteps } },
    },
    input: { name: 'api', modes: ['run', 'report'], description: 'API of openai steps that name none: `responses` or `chat`.' },
  }),
  baseUrl: optional({
    parse: v.baseUrl,
    cli: {
      flag: '--base-url <url>',
      help: 'an OpenAI-compatible server (http:// or https://), for openai and codex steps (default: OPENAI_BASE_URL)',
      readme:
        'an OpenAI-compatible server (`http://` or `https://`; anything else is refused, exit 2), for openai and codex steps (openai steps otherwise use `OPENAI_BASE_URL`; codex ignores that variable and uses its own configuration)',
      commands: {
        run: {},
        report: { help: 'after steps: an OpenAI-compatible server (default: OPENAI_BASE_URL, else OpenAI)', ...afterSteps },
      },
    },
    input: {
      name: 'base-url',
      modes: ['run', 'report'],
      description:
        'An OpenAI-compatible server (an http:// or https:// URL) for openai and codex steps (default OPENAI_BASE_URL, then api.openai.com).',
    },
  }),
  apiKey: optional({
    parse: v.text,
    input: {
      name: 'openai-api-key',
      modes: ['run', 'report'],
      description:
        'The API key, e.g. `${{ secrets.OPENAI_API_KEY }}`; falls back to the OPENAI_API_KEY environment variable. Masked; held in memory by the SDK and by the loopback proxy codex reaches the model through; no step, codex included, can read it.',
    },
  }),
  offline: flag({
    cli: {
      flag: '--offline',
      help: 'model and codex steps answer with their own prompt instead of calling out',
      readme:
        'model and codex steps echo their prompt (an `array: true` one answers `["<its prompt>"]`: one branch, so the rest of the chain runs); cmd steps still run',
      commands: {
        run: {},
        report: { help: 'after steps: model and codex steps answer with their own prompt', ...afterSteps },
      },
    },
    input: {
      name: 'offline',
      modes: ['run', 'report'],
      description: 'Model and codex steps answer with their own prompt instead of calling out (cmd steps still run); needs no key.',
    },
  }),
  retries: option({
    parse: v.nonNegativeInt,
    default: DEFAULT_RETRIES,
    cli: {
      flag: '--retries <n>',
      help: 'retries of a model call after 429, 5xx, connection errors and timeouts',
      readme: 'retries of a model call (codex steps too, with `--base-url`)',
      commands: { run: {}, report: { help: `after steps: retries of a model call (default ${DEFAULT_RETRIES})`, ...afterSteps } },
    },
    input: {
      name: 'retries',
      modes: ['run', 'report'],
      description: 'Retries of a model call after 429, 5xx, connection errors and timeouts.',
    },
  }),
  codexPath: optional({
    parse: v.text,
    cli: {
      flag: '--codex-path <path>',
      help: 'the codex binary (default: codex on PATH)',
      readme: 'the codex binary',
      shownDefault: '`codex` on PATH',
      commands: { run: {}, report: { help: 'after steps: the codex binary (default: codex on PATH)', ...afterSteps } },
    },
  }),
  tokenBudget: optional({
    parse: v.positiveInt,
    cli: {
      flag: '--token-budget <n>',
      help: 'start no new step once input+output tokens reach N',
      readme:
        'start no new step once this process\'s input+output tokens reach N; unfinished flows end `cancelled` ("token budget reached")',
      commands: { run: {}, report: { help: 'after steps: start none once their input+output tokens reach N', ...afterSteps } },
    },
    input: {
      name: 'token-budget',
      modes: ['run', 'report'],
      description: "Start no new step once this job's input+output tokens reach this number (per shard in a matrix).",
    },
  }),
  maxCost: optional({
    parse: v.dollars,
    cli: {
      flag: '--max-cost <usd>',
      help: 'start no new step once this run\'s model calls cost USD dollars (prices: README "Spend")',
      readme:
        'start no new step once this process\'s model calls cost USD dollars (`5`, `0.50`); unfinished flows end `cancelled` ("cost limit reached"); refused (exit 2) when a step\'s model has no price (see Spend)',
      commands: {
        run: {},
        report: { help: "after steps: start none once their model calls cost USD dollars (the config's prices)", ...afterSteps },
      },
    },
    input: {
      name: 'max-cost',
      modes: ['run', 'report'],
      description:
        "Start no new step once this job's model calls cost this many US dollars, e.g. `5` or `0.50` (per shard in a matrix; prices: the built-in OpenAI list prices and the config's `prices`, see README: Spend). Refused when a step's model has no price.",
    },
  }),
  cacheDir: optional({
    parse: v.text,
    cli: {
      flag: '--cache <dir>',
      help: 'answer openai calls already answered (same model, API, settings and prompt) from DIR, and keep new replies there; codex steps are never cached',
      readme:
        'answer openai calls already answered (same model, API, settings and full prompt, same server) from DIR at no cost, and keep new replies there (see Caching replies); codex steps are never cached',
      commands: { run: {} },
    },
  }),
  cache: flag({
    input: {
      name: 'cache',
      modes: ['run'],
      description:
        'Keep openai replies in the Actions cache and answer a call identical to one already answered (same model, API, settings, full prompt) from it, at no cost; restored before the run, saved after under `<artifact-name>-cache-v1-<config>-<shard>-<run id>-<attempt>` (see README: Caching replies). Codex steps are never cached.',
    },
  }),
  batch: flag({
    cli: {
      flag: '--batch',
      help: 'send openai steps through the Batch API at half price: requests ready together go in one batch, polled until done (--timeout then bounds the wait for a batch, default 24 h)',
      readme:
        'send openai steps through the Batch API at half price, gathered into batches and polled; `--timeout` then bounds the wait for a batch, default 24 h (see Batch API)',
      commands: { run: {} },
    },
    input: {
      name: 'batch',
      modes: ['run'],
      description:
        'Send openai steps through the OpenAI Batch API at half price: requests ready together go in one batch, polled until done; batch ids are saved in the run directory, so a re-run (with `resume`) collects the same batches instead of paying again (README: Batch API).',
    },
  }),
  batchCancelOnExit: flag({
    cli: {
      flag: '--batch-cancel-on-exit',
      help: 'with --batch: cancel unfinished batches when the run stops (by default they are left running for --resume)',
      readme: 'with `--batch`: cancel unfinished batches when the run stops (by default they are left running for `--resume`)',
      commands: { run: {} },
    },
    input: {
      name: 'batch-cancel-on-exit',
      modes: ['run'],
      description:
        'With `batch: true`: cancel batches still running when the job stops (by default they are left running for a re-run to collect).',
    },
  }),
  resume: flag({
    cli: {
      flag: '--resume',
      help: 'with the same --output and --run-id: run only flows that did not succeed',
      readme:
        'with the same `--output` and `--run-id`: run only flows that did not succeed, and steps whose inputs changed (see Resuming a run); refused (exit 2) when the config or key lists changed',
      commands: { run: {} },
    },
    input: {
      name: 'resume',
      modes: ['run'],
      default: true,
      description: 'On a re-run of a job, download its own artifact from the earlier attempt and run only the flows that did not succeed.',
    },
  }),
  sandbox: optional({
    parse: v.sandbox,
    cli: {
      flag: '--sandbox <mode>',
      help: `sandbox of codex steps that set none (nor the config): read-only, workspace-write or danger-full-access (default: ${DEFAULT_SANDBOX})`,
      readme: "sandbox of codex steps that set none (the step's `sandbox`, then the config's, win); the Action's `sandbox` input",
      shownDefault: `\`${DEFAULT_SANDBOX}\``,
      commands: {
        run: {},
        report: { help: `after steps: sandbox of codex steps that set none (default ${DEFAULT_SANDBOX})`, ...afterSteps },
      },
    },
    input: {
      name: 'sandbox',
      modes: ['run', 'report'],
      description:
        "Sandbox of codex steps that set none (nor the config): `read-only`, `workspace-write` (when empty) or `danger-full-access`; the CLI's `--sandbox`.",
    },
  }),
  isolate: option({
    parse: v.isolate,
    default: 'none',
    cli: {
      flag: '--isolate <mode>',
      help: 'codex working tree: none (one shared workdir) or worktree (a git worktree per flow, changes saved as changes.patch)',
      readme:
        '`none`: one shared workdir for codex steps; `worktree`: a git worktree per flow and branch, changes saved as `changes.patch` (see Codex in CI)',
      commands: { run: {}, report: { help: 'after steps: codex working tree, none or worktree (default none)', ...afterSteps } },
    },
    input: {
      name: 'isolate',
      modes: ['run', 'report'],
      description:
        'Working tree of codex steps: `none` (one shared workdir) or `worktree` (a git worktree per flow at HEAD; its changes are saved as `changes.patch` in the step directory).',
    },
  }),
  apply: flag({
    input: {
      name: 'apply',
      modes: ['run', 'report'],
      description:
        "`run` or `report`: after the flows, apply the patches of the run's succeeded leaves (`isolate: worktree`) to the workspace, as `orchestrator apply` does: each once, in leaf order, with a 3-way merge; a leaf whose patch conflicts, or cannot be applied (not a patch, a directory turned into a file), is skipped whole and fails the step (with `fail-on-error`). Outputs `applied` and `conflicts` list the leaves.",
    },
  }),
  artifactName: option({
    parse: v.artifactName,
    default: 'orchestrator',
    input: {
      name: 'artifact-name',
      modes: ['run', 'report'],
      description: 'Prefix of artifact names: `<artifact-name>-<run_id>-shard-<I>-of-<N>` (`-all` when unsharded).',
    },
  }),
  upload: option({
    parse: v.boolean,
    default: true,
    input: { name: 'upload', modes: ['run', 'report'], description: 'Upload the run directory as an artifact.' },
  }),
  summary: option({
    parse: v.boolean,
    default: true,
    input: { name: 'summary', modes: ['run', 'report'], description: 'Write the job summary table.' },
  }),
  comment: flag({
    input: {
      name: 'comment',
      modes: ['report'],
      description: '`report`: create or update one pull-request comment with the results (needs `pull-requests: write`).',
    },
  }),
  baselineRunId: optional({
    parse: v.positiveInt,
    input: {
      name: 'baseline-run-id',
      modes: ['report'],
      description:
        "`report`: the id of another workflow run (e.g. the last run on `main`) whose merged artifact (`<artifact-name>-<run id>-merged`, or `-all` for an unsharded run) is the baseline: each leaf, matched by its keys, is marked new, changed, unchanged, newly failing or fixed in the job summary, the comment and report.html. Needs `github-token` with `actions: read`. A run of a fork's code (its head repository is not this repository) is refused.",
    },
  }),
  failOnError: option({
    parse: v.boolean,
    default: true,
    input: { name: 'fail-on-error', modes: MODES, description: 'Fail the step when any flow failed or was cancelled.' },
  }),
  githubToken: optional({
    parse: v.text,
    input: {
      name: 'github-token',
      modes: ['report'],
      yml: '${{ github.token }}',
      description: 'Token for the GitHub API (PR comments, artifacts of other runs). Masked like the key; no step can read it.',
    },
  }),
  codexVersion: optional({
    parse: v.text,
    input: {
      name: 'codex-version',
      modes: ['run'],
      description: 'Version of `@openai/codex` to install from npm when the config has codex steps and `codex` is not on PATH.',
    },
  }),
  mergedOutput: optional({
    parse: v.text,
    cli: {
      flag: '--output <dir>',
      help: "write the merged run there (<dir>/<run_id>/): merged results.json (each leaf names its shard's folder), run and shard records, report.html",
      commands: { report: {} },
    },
  }),
  copyTrees: flag({
    cli: {
      flag: '--copy-trees',
      help: "with --output: also copy the shards' flow directories there (symbolic links are left out)",
      commands: { report: {} },
    },
  }),
  open: flag({
    cli: {
      flag: '--open',
      help: 'print the path of the merged report.html (open it in a browser: it needs nothing else)',
      commands: { report: {} },
    },
  }),
  baseline: optional({
    parse: v.text,
    cli: {
      flag: '--baseline <dir>',
      help: 'another run (its directory, or a folder of its shards) to compare with: each leaf, matched by its keys, is new, changed, unchanged, newly failing or fixed',
      commands: { report: {} },
    },
  }),
  checkout: optional({
    parse: v.text,
    cli: {
      flag: '--workdir <dir>',
      help: 'the git checkout to apply to (default: the current directory)',
      commands: { apply: {} },
    },
  }),
  statuses: option({
    parse: v.statuses,
    default: ['succeeded'],
    cli: {
      flag: '--status <list>',
      help: 'apply leaves with these statuses (comma-separated: succeeded, failed, cancelled)',
      commands: { apply: {} },
    },
  }),
  check: flag({
    cli: {
      flag: '--check',
      help: 'report what would apply and what would conflict, changing nothing',
      commands: { apply: {} },
    },
  }),
} satisfies Record<string, AnySpec>;

export type OptionName = keyof typeof OPTIONS;
type ValueOf<S> = S extends { readonly default: infer T } ? T : never;
/** Every option's value, as the CLI or the Action gives it (the default when not given). */
export type OptionValues = { -readonly [K in OptionName]: ValueOf<(typeof OPTIONS)[K]> };

/** The table's entries, in its order. */
export const optionEntries = (): [OptionName, AnySpec][] => Object.entries(OPTIONS) as [OptionName, AnySpec][];

/** Every option's default: what a command or mode that does not take an option gets. */
export function defaultValues(): OptionValues {
  return Object.fromEntries(optionEntries().map(([name, spec]) => [name, spec.default])) as OptionValues;
}
