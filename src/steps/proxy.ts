import http from 'node:http';
import https from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { StepError } from '../errors.js';
import { childrenOf, commandLine, connectedSocket, holdsSocket } from './peer.js';

const OPENAI_RESPONSES = 'https://api.openai.com/v1/responses';

/** Headers that describe one hop, not the request: never passed on. */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);

/**
 * The loopback server codex's provider points at: it forwards `POST /v1/responses` upstream
 * (OpenAI's Responses API, or `--base-url`'s) with the key added, so neither codex nor any command
 * codex runs holds the key: not in its environment, its arguments, or an ancestor's
 * `/proc/<pid>/environ`.
 *
 * It answers only the codex processes of this run's codex steps. A loopback port is open to every
 * process of the machine and a step runs as the same user as codex, so nothing codex could be given
 * (a token in its environment, its arguments or its config) is hidden from a step: it reads
 * `/proc/<codex pid>/environ` like codex's own. What a step cannot fake is which process it is. For
 * each connection the socket's inode (/proc/net/tcp) must be open in a codex process this runner
 * started and has not seen end (/proc/<pid>/fd): the pid the step spawned, or, when that pid runs
 * codex through an interpreter (npm's `codex` is `node codex.js`, which starts the native binary as
 * its child with the same arguments), that child. A command codex runs is a child of the native
 * binary and is refused; so is any other process, and a connection whose owner cannot be found.
 * Elsewhere than Linux there is no /proc to ask, and every local caller is served (the README says so).
 * In process rather than `codex responses-api-proxy`: that proxy takes no credential from its
 * callers, and any process that can read its port (/proc/net/tcp) can call it.
 */
export class ResponsesProxy {
  /** Running codex steps: the pid spawned, and the arguments it was given. */
  private readonly codex = new Map<number, readonly string[]>();
  /** The verdict on each connection, made on its first request. */
  private readonly callers = new WeakMap<Socket, boolean>();
  private readonly server = http.createServer((request, response) => this.serve(request, response));
  private port = 0;

  private constructor(private readonly upstream: Upstream) {}

  /** Starts the proxy; `upstream` is the full Responses URL (`<base-url>/responses`), or OpenAI's when undefined. */
  static async start(apiKey: string, upstream: string = OPENAI_RESPONSES): Promise<ResponsesProxy> {
    const target = new URL(upstream);
    const client = target.protocol === 'http:' ? http : https;
    const proxy = new ResponsesProxy({ target, client, agent: new client.Agent({ keepAlive: true }), authorization: `Bearer ${apiKey}` });
    proxy.port = await new Promise<number>((resolve, reject) => {
      proxy.server.once('error', (error) =>
        reject(
          new StepError(`the loopback proxy that gives codex the model without the key could not listen on 127.0.0.1: ${error.message}`),
        ),
      );
      proxy.server.listen(0, '127.0.0.1', () => resolve((proxy.server.address() as AddressInfo).port));
    });
    // it lives until the run ends, but must not keep this process alive on its own
    proxy.server.unref();
    return proxy;
  }

  /** The base URL codex's provider uses: `http://127.0.0.1:<port>/v1`. */
  get baseUrl(): string {
    return `http://127.0.0.1:${this.port}/v1`;
  }

  /**
   * Lets the codex process `pid`, started with `args`, call the proxy until the function returned
   * is called (when the step's process has ended: its pid may then be reused).
   */
  admit(pid: number, args: readonly string[]): () => void {
    this.codex.set(pid, args);
    return () => this.codex.delete(pid);
  }

  stop(): void {
    this.server.close();
    this.server.closeAllConnections();
    this.upstream.agent.destroy();
  }

  private serve(request: http.IncomingMessage, response: http.ServerResponse): void {
    if (!this.admitted(request.socket)) {
      refuse(response, `it serves only the codex processes of this run's codex steps; ${describe(request.socket)} is not one`);
    } else if (request.method !== 'POST' || request.url !== '/v1/responses') {
      refuse(response, `it forwards only POST /v1/responses, not ${request.method} ${request.url}`);
    } else {
      forward(request, response, this.upstream);
    }
  }

  private admitted(socket: Socket): boolean {
    // no /proc to tell processes apart (macOS): every local caller, as the README says
    if (process.platform !== 'linux') return true;
    let verdict = this.callers.get(socket);
    if (verdict === undefined) {
      verdict = this.caller(socket) !== undefined;
      this.callers.set(socket, verdict);
    }
    return verdict;
  }

  /** The codex process at the other end of `socket`, if it is one. */
  private caller(socket: Socket): number | undefined {
    const inode = socket.remotePort === undefined ? undefined : connectedSocket(socket.remotePort, this.port);
    if (inode === undefined) return undefined;
    for (const [pid, args] of this.codex) {
      if (holdsSocket(pid, inode)) return pid;
      // `node codex.js <args>`: more words than the program and its arguments
      if (commandLine(pid).length <= args.length + 1) continue;
      for (const child of childrenOf(pid)) {
        if (sameWords(commandLine(child).slice(1), args) && holdsSocket(child, inode)) return child;
      }
    }
    return undefined;
  }
}

interface Upstream {
  readonly target: URL;
  readonly client: typeof http | typeof https;
  readonly agent: http.Agent;
  readonly authorization: string;
}

/** Passes the request on with the key, and the answer back as it streams (codex reads server-sent events). */
function forward(request: http.IncomingMessage, response: http.ServerResponse, upstream: Upstream): void {
  const headers: http.OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (!HOP_BY_HOP.has(name) && name !== 'host' && name !== 'authorization') headers[name] = value;
  }
  headers.authorization = upstream.authorization;
  const outgoing = upstream.client.request(upstream.target, { method: 'POST', headers, agent: upstream.agent }, (answer) => {
    const back: http.OutgoingHttpHeaders = {};
    for (const [name, value] of Object.entries(answer.headers)) if (!HOP_BY_HOP.has(name)) back[name] = value;
    response.writeHead(answer.statusCode ?? 502, back);
    answer.pipe(response);
    answer.once('error', () => response.destroy());
  });
  outgoing.once('error', (error) => {
    if (response.headersSent) response.destroy();
    else refuse(response, `the upstream ${upstream.target.origin} could not be reached: ${error.message}`, 502);
  });
  // codex gave up (its step timed out or ended): so does the request upstream
  response.once('close', () => {
    if (!response.writableFinished) outgoing.destroy();
  });
  request.pipe(outgoing);
}

/** An error in the Responses API's shape, which codex shows in its error event. */
function refuse(response: http.ServerResponse, why: string, status = 403): void {
  response.writeHead(status, { 'content-type': 'application/json', connection: 'close' });
  response.end(
    JSON.stringify({ error: { message: `orchestrator's codex proxy refused the request: ${why}`, type: 'orchestrator_proxy' } }),
  );
}

function describe(socket: Socket): string {
  return socket.remotePort === undefined ? 'the caller' : `the process connected from port ${socket.remotePort}`;
}

function sameWords(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((word, i) => word === b[i]);
}
