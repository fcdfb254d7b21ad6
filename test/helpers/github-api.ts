/**
 * A loopback stand-in for the parts of the GitHub REST API the Action uses:
 *
 * - `GET  /repos/:owner/:repo/issues/:n/comments` (per_page default 30, max 100; page; Link header)
 * - `POST /repos/:owner/:repo/issues/:n/comments` (422 when the body is missing or over 65,536 chars)
 * - `PATCH /repos/:owner/:repo/issues/comments/:id` (404 for an unknown id, 422 as above)
 * - `GET  /repos/:owner/:repo/actions/runs/:run_id`: from `runs` (404 for a run not there)
 * - `GET  /repos/:owner/:repo/actions/runs/:run_id/artifacts`: from `artifacts` (empty without it)
 * - `GET  /repos/:owner/:repo/actions/artifacts/:id/zip`: 302 to the artifact's signed zip URL (`artifacts`)
 * - `GET  /user`: the token's account; 403 "Resource not accessible by integration" for a Bot's
 *   token (an installation token such as the job's GITHUB_TOKEN), as GitHub answers
 * - `POST /graphql` with a query for `viewer { login }`: the token's account (bots with `[bot]`)
 * - anything else: 404 `{"message":"Not Found"}`
 *
 * With `readOnly` set, POST/PATCH/PUT/DELETE answer 403 "Resource not accessible by integration", as
 * GitHub does for the token of a pull request from a fork. Comments are kept per issue number for all
 * repositories alike; tests may push their own comments into `comments` (e.g. from other users).
 * Each request acts as the account `tokens` maps its token to (default: `user`); a comment created
 * through the API carries that account as its `user`.
 */
import http from 'node:http';
import type { Socket } from 'node:net';
import type { RestArtifacts } from './artifact-service.js';
import { closeServer, listenOnLoopback } from './loopback.js';

export interface Comment {
  id: number;
  body: string;
  user: { login: string; type: string };
  created_at: string;
  updated_at: string;
}

export interface RecordedGitHubRequest {
  method: string;
  /** the path without the query string, e.g. /repos/o/r/issues/1/comments */
  path: string;
  /** parsed query string */
  query: Record<string, string>;
  /** parsed JSON body (undefined when there was none) */
  body: any;
  /** the Authorization header as sent (octokit: "token <t>") */
  auth: string | undefined;
}

export interface GitHubApi {
  /** for GITHUB_API_URL, no trailing slash */
  url: string;
  comments: Map<number /* issue number */, Comment[]>;
  requests: RecordedGitHubRequest[];
  /** make writes fail with 403 "Resource not accessible by integration" (fork PR token) */
  readOnly: boolean;
  /** the account of a token not in `tokens` (default github-actions[bot] / Bot) */
  user: { login: string; type: string };
  /** token -> its account (type "User" for a personal access token, "Bot" for an installation token) */
  tokens: Map<string, { login: string; type: string }>;
  /** other workflow runs' artifacts (the artifact service stand-in's `restArtifacts()`) */
  artifacts: RestArtifacts | undefined;
  /** other workflow runs by id: the repository (owner/name) whose code each ran, null when it was deleted */
  runs: Map<number, { headRepository: string | null }>;
  close(): Promise<void>;
}

export const MAX_COMMENT_LENGTH = 65536;
const DOCS = 'https://docs.github.com/rest';

export function startGitHubApi(): Promise<GitHubApi> {
  const sockets = new Set<Socket>();
  const server = http.createServer();

  const api: GitHubApi = {
    url: '',
    comments: new Map(),
    requests: [],
    readOnly: false,
    user: { login: 'github-actions[bot]', type: 'Bot' },
    tokens: new Map(),
    artifacts: undefined,
    runs: new Map(),
    close() {
      return closeServer(server, sockets);
    },
  };

  const send = (res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    const text = body === undefined ? '' : JSON.stringify(body);
    res.writeHead(status, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': String(Buffer.byteLength(text)),
      'x-github-request-id': `FAKE:${api.requests.length}`,
      'x-ratelimit-limit': '5000',
      'x-ratelimit-remaining': '4999',
      ...headers,
    });
    res.end(text);
  };

  const notFound = (res: http.ServerResponse) => send(res, 404, { message: 'Not Found', documentation_url: DOCS, status: '404' });

  const commentJson = (owner: string, repo: string, issue: number, c: Comment) => ({
    ...c,
    url: `${api.url}/repos/${owner}/${repo}/issues/comments/${c.id}`,
    html_url: `https://github.com/${owner}/${repo}/issues/${issue}#issuecomment-${c.id}`,
    issue_url: `${api.url}/repos/${owner}/${repo}/issues/${issue}`,
    author_association: 'NONE',
  });

  const findComment = (id: number): { issue: number; comment: Comment } | undefined => {
    for (const [issue, list] of api.comments) {
      const comment = list.find((c) => c.id === id);
      if (comment) return { issue, comment };
    }
    return undefined;
  };

  const nextCommentId = () => {
    let max = 1000;
    for (const list of api.comments.values()) for (const c of list) max = Math.max(max, c.id);
    return max + 1;
  };

  /** 422 for a missing or too long body, else undefined */
  const validateBody = (res: http.ServerResponse, body: any, docs: string): boolean => {
    const text = body?.body;
    if (typeof text !== 'string') {
      send(res, 422, {
        message: 'Invalid request.\n\n"body" wasn\'t supplied.',
        documentation_url: docs,
        status: '422',
      });
      return false;
    }
    if (text.length > MAX_COMMENT_LENGTH) {
      send(res, 422, {
        message: 'Validation Failed',
        errors: [
          {
            resource: 'IssueComment',
            code: 'custom',
            field: 'body',
            message: `body is too long (maximum is ${MAX_COMMENT_LENGTH} characters)`,
          },
        ],
        documentation_url: docs,
        status: '422',
      });
      return false;
    }
    return true;
  };

  server.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const parsedUrl = new URL(req.url ?? '/', 'http://127.0.0.1');
      const path = parsedUrl.pathname;
      const query = Object.fromEntries(parsedUrl.searchParams);
      const method = req.method ?? 'GET';
      const raw = Buffer.concat(chunks).toString('utf8');
      let body: any;
      if (raw.length > 0) {
        try {
          body = JSON.parse(raw);
        } catch {
          api.requests.push({ method, path, query, body: raw, auth: req.headers.authorization });
          return send(res, 400, { message: 'Problems parsing JSON', documentation_url: DOCS, status: '400' });
        }
      }
      api.requests.push({ method, path, query, body, auth: req.headers.authorization });
      const token = /^(?:token|bearer)\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1];
      const identity = (token !== undefined ? api.tokens.get(token) : undefined) ?? api.user;

      if (path === '/user' && method === 'GET') {
        if (identity.type === 'Bot') {
          return send(res, 403, {
            message: 'Resource not accessible by integration',
            documentation_url: `${DOCS}/users/users#get-the-authenticated-user`,
            status: '403',
          });
        }
        return send(res, 200, { login: identity.login, id: 1, type: identity.type });
      }
      if (path === '/graphql' && method === 'POST') {
        if (typeof body?.query === 'string' && /\bviewer\s*\{\s*login\s*\}/.test(body.query)) {
          return send(res, 200, { data: { viewer: { login: identity.login } } });
        }
        return send(res, 200, { errors: [{ message: 'the stand-in answers only viewer { login }' }] });
      }

      if (api.readOnly && method !== 'GET' && method !== 'HEAD') {
        return send(res, 403, {
          message: 'Resource not accessible by integration',
          documentation_url: `${DOCS}/issues/comments`,
          status: '403',
        });
      }

      let m = /^\/repos\/([^/]+)\/([^/]+)\/issues\/(\d+)\/comments$/.exec(path);
      if (m) {
        const [, owner, repo] = m as unknown as [string, string, string];
        const issue = Number(m[3]);
        const list = api.comments.get(issue) ?? [];
        if (method === 'GET') {
          const perPage = Math.min(100, Math.max(1, Number(query.per_page) || 30));
          const page = Math.max(1, Number(query.page) || 1);
          const sorted = [...list].sort((a, b) => a.id - b.id);
          const pageItems = sorted.slice((page - 1) * perPage, page * perPage);
          const lastPage = Math.max(1, Math.ceil(sorted.length / perPage));
          const link = (p: number, rel: string) => {
            const u = new URL(`${api.url}${path}`);
            u.searchParams.set('per_page', String(perPage));
            u.searchParams.set('page', String(p));
            return `<${u.href}>; rel="${rel}"`;
          };
          const links: string[] = [];
          if (page > 1) links.push(link(page - 1, 'prev'), link(1, 'first'));
          if (page < lastPage) links.push(link(page + 1, 'next'), link(lastPage, 'last'));
          return send(
            res,
            200,
            pageItems.map((c) => commentJson(owner, repo, issue, c)),
            links.length ? { link: links.join(', ') } : {},
          );
        }
        if (method === 'POST') {
          if (!validateBody(res, body, `${DOCS}/issues/comments#create-an-issue-comment`)) return;
          const now = new Date().toISOString();
          const comment: Comment = {
            id: nextCommentId(),
            body: body.body,
            user: { ...identity },
            created_at: now,
            updated_at: now,
          };
          list.push(comment);
          api.comments.set(issue, list);
          return send(res, 201, commentJson(owner, repo, issue, comment), {
            location: `${api.url}/repos/${owner}/${repo}/issues/comments/${comment.id}`,
          });
        }
        return notFound(res);
      }

      m = /^\/repos\/([^/]+)\/([^/]+)\/issues\/comments\/(\d+)$/.exec(path);
      if (m) {
        const [, owner, repo] = m as unknown as [string, string, string];
        const found = findComment(Number(m[3]));
        if (!found) return notFound(res);
        if (method === 'GET') return send(res, 200, commentJson(owner, repo, found.issue, found.comment));
        if (method === 'PATCH') {
          if (!validateBody(res, body, `${DOCS}/issues/comments#update-an-issue-comment`)) return;
          found.comment.body = body.body;
          found.comment.updated_at = new Date().toISOString();
          return send(res, 200, commentJson(owner, repo, found.issue, found.comment));
        }
        return notFound(res);
      }

      m = /^\/repos\/([^/]+)\/([^/]+)\/actions\/runs\/(\d+)$/.exec(path);
      if (m && method === 'GET') {
        const run = api.runs.get(Number(m[3]));
        if (run === undefined) return notFound(res);
        const repository = (fullName: string) => ({
          full_name: fullName,
          name: fullName.split('/')[1],
          owner: { login: fullName.split('/')[0] },
        });
        return send(res, 200, {
          id: Number(m[3]),
          event: run.headRepository === `${m[1]}/${m[2]}` ? 'push' : 'pull_request',
          status: 'completed',
          repository: repository(`${m[1]}/${m[2]}`),
          head_repository: run.headRepository === null ? null : repository(run.headRepository),
        });
      }
      m = /^\/repos\/([^/]+)\/([^/]+)\/actions\/runs\/(\d+)\/artifacts$/.exec(path);
      if (m && method === 'GET') {
        const list = api.artifacts?.list(Number(m[3])) ?? [];
        const perPage = Math.min(100, Math.max(1, Number(query.per_page) || 30));
        const page = Math.max(1, Number(query.page) || 1);
        const artifacts = list.slice((page - 1) * perPage, page * perPage).map((a) => ({
          id: a.id,
          node_id: `MDg6QXJ0aWZhY3Q${a.id}`,
          name: a.name,
          size_in_bytes: a.size,
          url: `${api.url}/repos/${m![1]}/${m![2]}/actions/artifacts/${a.id}`,
          archive_download_url: `${api.url}/repos/${m![1]}/${m![2]}/actions/artifacts/${a.id}/zip`,
          expired: false,
          created_at: a.createdAt.toISOString(),
          updated_at: a.createdAt.toISOString(),
          workflow_run: { id: Number(m![3]) },
        }));
        return send(res, 200, { total_count: list.length, artifacts });
      }
      m = /^\/repos\/([^/]+)\/([^/]+)\/actions\/artifacts\/(\d+)\/zip$/.exec(path);
      if (m && method === 'GET') {
        const location = api.artifacts?.zipUrl(Number(m[3]));
        return location === undefined ? notFound(res) : send(res, 302, undefined, { location });
      }

      return notFound(res);
    });
  });

  return listenOnLoopback(server, sockets).then((port) => {
    api.url = `http://127.0.0.1:${port}`;
    return api;
  });
}
