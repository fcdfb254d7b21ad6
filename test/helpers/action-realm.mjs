// Loaded with the jest worker's own `require` (test/helpers/action-in-worker.ts), never by jest's
// module loader: it runs in the realm the Action bundle's modules run in there, and lives as long
// as the worker (across suites).
import { createServer, request } from 'node:http';

// The realm is marked sheltered, as the bundle's entry leaves a re-executed process
// (src/util/shelter.ts): a step run there then never re-executes, which would replace the jest
// worker with the Action.
const SHELTERED = Symbol.for('orchestrator.sheltered');
globalThis[SHELTERED] = true;

export const sheltered = () => globalThis[SHELTERED] === true;

/** Where the GitHub API front forwards to: the API of the step running now. */
let target = new URL('http://127.0.0.1:9');
let front;

/**
 * A loopback front for the GitHub API of the step running now (`api`), started once a worker: the
 * bundle's @actions/github fixes the API's URL when it loads (octokit's defaults), so the steps of
 * every suite in this worker name this one, and it passes each request on as it came (method, path,
 * headers but Host, body) and the answer back. A request it cannot pass on loses its connection.
 */
export async function githubApiFront(api) {
  target = new URL(api);
  if (front === undefined) {
    front = new Promise((resolve) => {
      const server = createServer((req, res) => {
        const path = target.pathname.replace(/\/$/, '') + req.url;
        const headers = { ...req.headers, host: target.host };
        const out = request({ host: target.hostname, port: target.port, method: req.method, path, headers }, (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        });
        out.on('error', () => req.socket.destroy());
        req.pipe(out);
      });
      // neither it nor its connections keep the worker alive
      server.on('connection', (socket) => socket.unref());
      server.listen(0, '127.0.0.1', () => {
        server.unref();
        resolve(`http://127.0.0.1:${server.address().port}`);
      });
    });
  }
  return front;
}
