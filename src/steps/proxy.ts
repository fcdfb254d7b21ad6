import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StepError } from '../errors.js';
import { publicEnv } from '../util/private-env.js';
import { trackProcessGroup } from './process.js';

/** How long the proxy may take to say which port it listens on. */
const START_TIMEOUT_MS = 15_000;

/**
 * `codex responses-api-proxy` (part of the codex binary, as openai/codex-action uses it): a
 * loopback server that forwards `POST /v1/responses` upstream with the key, which it reads from
 * its stdin. Codex is pointed at it, so neither codex nor any command codex runs ever holds the
 * key: not in its environment, its arguments, or an ancestor's `/proc/<pid>/environ`.
 */
export class ResponsesProxy {
  private constructor(
    /** The base URL codex's provider uses: `http://127.0.0.1:<port>/v1`. */
    readonly baseUrl: string,
    private readonly end: () => void,
  ) {}

  /** Starts the proxy; `upstream` is the full Responses URL (`<base-url>/responses`), or OpenAI's when undefined. */
  static async start(
    codexPath: string,
    apiKey: string,
    upstream: string | undefined,
    env: Readonly<Record<string, string | undefined>>,
  ): Promise<ResponsesProxy> {
    const dir = mkdtempSync(join(tmpdir(), 'orchestrator-proxy-'));
    const info = join(dir, 'server-info.json');
    const args = ['responses-api-proxy', '--server-info', info];
    if (upstream !== undefined) args.push('--upstream-url', upstream);
    const child = spawn(codexPath, args, { env: publicEnv(env), stdio: ['pipe', 'ignore', 'pipe'], detached: true });
    const end = child.pid === undefined ? () => undefined : trackProcessGroup(child.pid);
    let stderr = '';
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr = (stderr + chunk).slice(-2000)));
    child.stdin?.on('error', () => undefined);
    child.stdin?.end(`${apiKey}\n`);
    let exited: string | undefined;
    child.once('error', (error) => (exited ??= error.message));
    child.once('exit', (code, signal) => (exited ??= signal ? `killed by ${signal}` : `exited with code ${code}`));
    try {
      const started = Date.now();
      for (;;) {
        const port = readPort(info);
        if (port !== undefined) {
          // it lives until the run ends, but must not keep this process alive on its own
          child.unref();
          child.stderr?.removeAllListeners('data').resume();
          (child.stderr as { unref?: () => void } | null)?.unref?.();
          process.once('exit', end);
          return new ResponsesProxy(`http://127.0.0.1:${port}/v1`, () => {
            process.off('exit', end);
            end();
          });
        }
        if (exited !== undefined || Date.now() - started > START_TIMEOUT_MS) {
          end();
          const why = exited ?? `gave no port within ${START_TIMEOUT_MS / 1000} s`;
          throw new StepError(
            `codex responses-api-proxy (${codexPath}), which gives codex the model without handing it the key, ${why}` +
              `${stderr.trim() ? `: ${stderr.trim().split('\n').slice(-3).join(' ')}` : ''}. Run \`${codexPath} responses-api-proxy --help\` to check that this codex has the command`,
          );
        }
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  stop(): void {
    this.end();
  }
}

function readPort(file: string): number | undefined {
  try {
    const port = (JSON.parse(readFileSync(file, 'utf8')) as { port?: unknown }).port;
    return typeof port === 'number' && Number.isInteger(port) && port > 0 ? port : undefined;
  } catch {
    return undefined; // not written yet, or half written
  }
}
