/** The options of the CLI's `report` and `apply` commands alone. Part of the one table of options (../table.ts). */
import { flag, option, optional, type AnySpec } from '../spec.js';
import * as v from '../values.js';

export const COMMANDS = {
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
  reportFormat: optional({
    parse: v.reportFormat,
    cli: {
      flag: '--format <format>',
      help: 'what to print: text (an aligned table, for a terminal), markdown (the GitHub job summary) or json (the merged results, as results.json holds them)',
      shownDefault: '`text` on a terminal, else `markdown`',
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
  commit: flag({
    cli: {
      flag: '--commit',
      help: "commit each leaf's patch on HEAD, one commit per leaf in leaf order (config commit_message, trailer Orchestrator-Run: <run id>/<leaf>); refuses when the files they change have uncommitted changes",
      commands: { apply: {} },
    },
  }),
  prBody: optional({
    parse: v.text,
    cli: {
      flag: '--pr-body <file>',
      help: 'write a pull-request body (Markdown) there: each applied and skipped leaf, its keys, the files it changed, the start of its final message',
      commands: { apply: {} },
    },
  }),
  redo: optional({
    parse: v.text,
    cli: {
      flag: '--redo <dir>',
      help: 'write there, per key, the list of the files of the leaves that conflicted (<dir>/<KEY>.txt), to run them again on the new HEAD with --key KEY:<dir>/<KEY>.txt',
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
