/** The options of model and codex calls: which model and server, the key, retries, spend limits, the reply cache, the Batch API. Part of the one table of options (../table.ts). */
import { DEFAULT_RETRIES } from '../../engine/options.js';
import { afterSteps, flag, option, optional, type AnySpec } from '../spec.js';
import * as v from '../values.js';

export const MODELS = {
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
      help: "start no new step once this run's model calls cost USD dollars (prices: docs/spend.md)",
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
} satisfies Record<string, AnySpec>;
