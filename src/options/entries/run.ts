/** The options of what runs and where: the config, its keys, shards, the run directory, codex's working tree. Part of the one table of options (../table.ts). */
import { MAX_SHARDS } from '../../flows/shards.js';
import { DEFAULT_OUTPUT, DEFAULT_PARALLEL, DEFAULT_SANDBOX, DEFAULT_TIMEOUT_S } from '../../engine/options.js';
import { afterSteps, flag, list, option, optional, MODES, type AnySpec } from '../spec.js';
import * as v from '../values.js';

export const RUN = {
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
  values: list({
    parse: v.valuesSpec,
    joins: 'keys',
    cli: {
      flag: '--values <name:file>',
      help: 'FILE lists one value per line; {{{NAME}}} stands for each line itself (ids, URLs, short texts); mixes with --key in the order given (repeatable)',
      readme: 'repeatable; each line of FILE is a value, not a path; with `--key`, in the order given (see Keys)',
      commands: { run: {}, plan: { help: 'as for run (repeatable)' } },
    },
    input: {
      name: 'values',
      modes: ['run', 'plan'],
      description:
        'Lists of values, one `NAME:FILE` per line; each line of FILE is a value that `{{{NAME}}}` stands for (ids, URLs, short texts), not a path. They multiply the flows after the `keys` lists.',
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
      modes: ['run', 'report'],
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
  dryRun: optional({
    parse: v.dryRun,
    cli: {
      flag: '--dry-run [n]',
      help: `check the config and keys as a run would, then print the flow count, the first flows' steps with their prompts and commands (${v.DRY_RUN_SHOWN}; --dry-run=N or --dry-run=all for more) and what the calls may cost; runs and writes nothing`,
      readme:
        "check the config and keys as a run would (same errors, exit 2), then print the flow count, the first flows' steps with their resolved prompts and commands (`--dry-run=N`, `--dry-run=all`) and the calls' prices; calls no model, runs no command, writes nothing (see Dry run)",
      shownDefault: `off; ${v.DRY_RUN_SHOWN} flows shown`,
      commands: { run: {} },
    },
  }),
  failFast: optional({
    parse: v.failFast,
    cli: {
      flag: '--fail-fast [n]',
      help: 'stop at the first failed leaf (or the Nth): no new step starts, running ones are ended, the rest is cancelled (exit 1; --resume carries on)',
      readme:
        "stop at the first failed leaf (`--fail-fast N`: the Nth): no new step starts, running steps are ended as on Ctrl-C, unfinished flows end `cancelled` (exit 1); `--resume` carries on (GNU parallel's `--halt now,fail=1`)",
      shownDefault: 'off',
      commands: { run: {} },
    },
    input: {
      name: 'fail-fast',
      modes: ['run'],
      parse: v.failFastInput,
      yml: 'false',
      description:
        '`true`: stop at the first failed leaf (a number N: at the Nth); no new step starts, running steps are ended, unfinished flows end `cancelled`. `false` (default): every flow runs.',
    },
  }),
  resume: flag({
    cli: {
      flag: '--resume',
      help: 'with the same --output and --run-id: run only flows that did not succeed',
      readme:
        'with the same `--output` and `--run-id`: run only flows that did not succeed, and steps whose inputs changed (see Resuming a run); refused (exit 2) when the config or key lists changed, or when there is no such run (a mistyped `--run-id` or `--output` would otherwise pay for the whole run again)',
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
} satisfies Record<string, AnySpec>;
