import { createRequire as __orchestratorRequire } from 'node:module';
const require = __orchestratorRequire(import.meta.url);
import {
  require_node_https
} from "./chunk-ANBMBDJK.js";
import {
  StepError
} from "./chunk-WJ4T7FWF.js";
import {
  require_node_http
} from "./chunk-2UVPHNR5.js";
import {
  __toESM
} from "./chunk-BNGJJZ4L.js";

// src/steps/proxy.ts
var import_node_http = __toESM(require_node_http(), 1);
var import_node_https = __toESM(require_node_https(), 1);

// src/steps/peer.ts
import { readFileSync, readdirSync, readlinkSync } from "node:fs";
function connectedSocket(from, to, table = "/proc/net/tcp") {
  let text;
  try {
    text = readFileSync(table, "utf8");
  } catch {
    return void 0;
  }
  const port = (n) => n.toString(16).toUpperCase().padStart(4, "0");
  for (const line of text.split("\n").slice(1)) {
    const fields = line.trim().split(/\s+/);
    if (fields.length < 10) continue;
    if (fields[1]?.endsWith(`:${port(from)}`) && fields[2]?.endsWith(`:${port(to)}`) && fields[9] !== "0") return fields[9];
  }
  return void 0;
}
function holdsSocket(pid, inode) {
  const wanted = `socket:[${inode}]`;
  let fds;
  try {
    fds = readdirSync(`/proc/${pid}/fd`);
  } catch {
    return false;
  }
  return fds.some((fd) => {
    try {
      return readlinkSync(`/proc/${pid}/fd/${fd}`) === wanted;
    } catch {
      return false;
    }
  });
}
function commandLine(pid) {
  try {
    const words = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0");
    if (words.at(-1) === "") words.pop();
    return words;
  } catch {
    return [];
  }
}
function childrenOf(pid) {
  try {
    return readdirSync(`/proc/${pid}/task`).flatMap(
      (thread) => readFileSync(`/proc/${pid}/task/${thread}/children`, "utf8").split(" ").filter((child) => /^\d+$/.test(child)).map(Number)
    );
  } catch {
  }
  const children = [];
  let pids;
  try {
    pids = readdirSync("/proc").filter((entry) => /^\d+$/.test(entry));
  } catch {
    return [];
  }
  for (const name of pids) {
    try {
      const stat = readFileSync(`/proc/${name}/stat`, "utf8");
      if (Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]) === pid) children.push(Number(name));
    } catch {
    }
  }
  return children;
}

// src/steps/proxy.ts
var OPENAI_RESPONSES = "https://api.openai.com/v1/responses";
var HOP_BY_HOP = /* @__PURE__ */ new Set([
  "connection",
  "keep-alive",
  "proxy-connection",
  "proxy-authorization",
  "te",
  "trailer",
  "transfer-encoding",
  "upgrade"
]);
var ResponsesProxy = class _ResponsesProxy {
  constructor(upstream) {
    this.upstream = upstream;
  }
  upstream;
  /** Running codex steps: the pid spawned, and the arguments it was given. */
  codex = /* @__PURE__ */ new Map();
  /** The verdict on each connection, made on its first request. */
  callers = /* @__PURE__ */ new WeakMap();
  server = import_node_http.default.createServer((request, response) => this.serve(request, response));
  port = 0;
  /** Starts the proxy; `upstream` is the full Responses URL (`<base-url>/responses`), or OpenAI's when undefined. */
  static async start(apiKey, upstream = OPENAI_RESPONSES) {
    const target = new URL(upstream);
    const client = target.protocol === "http:" ? import_node_http.default : import_node_https.default;
    const proxy = new _ResponsesProxy({ target, client, agent: new client.Agent({ keepAlive: true }), authorization: `Bearer ${apiKey}` });
    proxy.port = await new Promise((resolve, reject) => {
      proxy.server.once(
        "error",
        (error) => reject(
          new StepError(`the loopback proxy that gives codex the model without the key could not listen on 127.0.0.1: ${error.message}`)
        )
      );
      proxy.server.listen(0, "127.0.0.1", () => resolve(proxy.server.address().port));
    });
    proxy.server.unref();
    return proxy;
  }
  /** The base URL codex's provider uses: `http://127.0.0.1:<port>/v1`. */
  get baseUrl() {
    return `http://127.0.0.1:${this.port}/v1`;
  }
  /**
   * Lets the codex process `pid`, started with `args`, call the proxy until the function returned
   * is called (when the step's process has ended: its pid may then be reused).
   */
  admit(pid, args) {
    this.codex.set(pid, args);
    return () => this.codex.delete(pid);
  }
  stop() {
    this.server.close();
    this.server.closeAllConnections();
    this.upstream.agent.destroy();
  }
  serve(request, response) {
    if (!this.admitted(request.socket)) {
      refuse(response, `it serves only the codex processes of this run's codex steps; ${describe(request.socket)} is not one`);
    } else if (request.method !== "POST" || request.url !== "/v1/responses") {
      refuse(response, `it forwards only POST /v1/responses, not ${request.method} ${request.url}`);
    } else {
      forward(request, response, this.upstream);
    }
  }
  admitted(socket) {
    if (process.platform !== "linux") return true;
    let verdict = this.callers.get(socket);
    if (verdict === void 0) {
      verdict = this.caller(socket) !== void 0;
      this.callers.set(socket, verdict);
    }
    return verdict;
  }
  /** The codex process at the other end of `socket`, if it is one. */
  caller(socket) {
    const inode = socket.remotePort === void 0 ? void 0 : connectedSocket(socket.remotePort, this.port);
    if (inode === void 0) return void 0;
    for (const [pid, args] of this.codex) {
      if (holdsSocket(pid, inode)) return pid;
      if (commandLine(pid).length <= args.length + 1) continue;
      for (const child of childrenOf(pid)) {
        if (sameWords(commandLine(child).slice(1), args) && holdsSocket(child, inode)) return child;
      }
    }
    return void 0;
  }
};
function forward(request, response, upstream) {
  const headers = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (!HOP_BY_HOP.has(name) && name !== "host" && name !== "authorization") headers[name] = value;
  }
  headers.authorization = upstream.authorization;
  const outgoing = upstream.client.request(upstream.target, { method: "POST", headers, agent: upstream.agent }, (answer) => {
    const back = {};
    for (const [name, value] of Object.entries(answer.headers)) if (!HOP_BY_HOP.has(name)) back[name] = value;
    response.writeHead(answer.statusCode ?? 502, back);
    answer.pipe(response);
    answer.once("error", () => response.destroy());
  });
  outgoing.once("error", (error) => {
    if (response.headersSent) response.destroy();
    else refuse(response, `the upstream ${upstream.target.origin} could not be reached: ${error.message}`, 502);
  });
  response.once("close", () => {
    if (!response.writableFinished) outgoing.destroy();
  });
  request.pipe(outgoing);
}
function refuse(response, why, status = 403) {
  response.writeHead(status, { "content-type": "application/json", connection: "close" });
  response.end(
    JSON.stringify({ error: { message: `orchestrator's codex proxy refused the request: ${why}`, type: "orchestrator_proxy" } })
  );
}
function describe(socket) {
  return socket.remotePort === void 0 ? "the caller" : `the process connected from port ${socket.remotePort}`;
}
function sameWords(a, b) {
  return a.length === b.length && a.every((word, i) => word === b[i]);
}
export {
  ResponsesProxy
};
