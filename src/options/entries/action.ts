/** The Action's own inputs: what it does with a run's results (artifacts, summary, comment, baseline, apply) and its setup. Part of the one table of options (../table.ts). */
import { flag, option, optional, type AnySpec } from '../spec.js';
import * as v from '../values.js';

export const ACTION = {
  apply: option({
    parse: v.applyMode,
    default: 'off',
    input: {
      name: 'apply',
      modes: ['run', 'report'],
      yml: 'false',
      description:
        "`run` or `report`: after the flows, apply the patches of the run's succeeded leaves (`isolate: worktree`), as `orchestrator apply` does: each once, in leaf order, with a 3-way merge. `true`: to the workspace, as uncommitted edits; `commit`: one commit per leaf on the checked-out branch (`orchestrator apply --commit`); `branch`: one commit per leaf from HEAD on a branch of its own, `<branch-prefix><leaf>`, the checkout left as it was (`--branch`). A leaf whose patch conflicts, or cannot be applied (not a patch, a directory turned into a file), is skipped whole and fails the step (with `fail-on-error`); a leaf already applied (a commit of HEAD or its branch names it, or its changes are there) is skipped and not counted as a problem. Outputs `applied`, `conflicts`, `branches` and `pr-body`.",
    },
  }),
  branchPrefix: option({
    parse: v.branchPrefix,
    default: 'orchestrator/',
    cli: {
      flag: '--branch <prefix>',
      help: 'put each leaf on a branch of its own, <prefix><leaf> (e.g. codex/flow_0003), one commit from HEAD; HEAD, the index and the working tree are left as they are',
      default: undefined,
      commands: { apply: {} },
    },
    input: {
      name: 'branch-prefix',
      modes: ['run', 'report'],
      description:
        "With `apply: branch`: each leaf's branch is this prefix and the leaf (`orchestrator/flow_0003`, `orchestrator/flow_0003-2.1` for a branch of an array step).",
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
    input: { name: 'fail-on-error', modes: ['run', 'report'], description: 'Fail the step when any flow failed or was cancelled.' },
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
} satisfies Record<string, AnySpec>;
