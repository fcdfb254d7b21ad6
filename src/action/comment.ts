import type * as GitHub from '@actions/github';

export type CommentOutcome =
  { kind: 'created' | 'updated'; url: string } | { kind: 'skipped'; reason: string } | { kind: 'forbidden'; reason: string };

type Octokit = ReturnType<typeof GitHub.getOctokit>;

/** The account GitHub writes as for the workflow's own `GITHUB_TOKEN`. */
export const ACTIONS_BOT = 'github-actions[bot]';

/** The pull request this run belongs to, if any. */
export function pullRequestNumber({ payload }: typeof GitHub.context): number | undefined {
  return payload.pull_request?.number ?? (payload.issue?.pull_request ? payload.issue.number : undefined);
}

const httpStatus = (error: unknown): number | undefined => (error as { status?: number }).status;

/**
 * The login of the account behind the token, which is the author of the comments it writes.
 * `GET /user` answers for a personal access token; an installation token (the job's `GITHUB_TOKEN`,
 * a GitHub App's) is refused there, but GraphQL's `viewer` names its bot (`github-actions[bot]`).
 * When neither answers, the job token's bot is assumed: only GitHub can write as it.
 */
export async function tokenLogin(octokit: Octokit): Promise<string> {
  try {
    const { data } = await octokit.rest.users.getAuthenticated();
    if (typeof data.login === 'string' && data.login !== '') return data.login;
  } catch (error) {
    const status = httpStatus(error);
    if (status !== 401 && status !== 403 && status !== 404) throw error;
  }
  try {
    const data = await octokit.graphql<{ viewer?: { login?: unknown } }>('query { viewer { login } }');
    const login = data.viewer?.login;
    if (typeof login === 'string' && login !== '') return login;
  } catch {
    // an endpoint without GraphQL, or a token it refuses: fall back to the job token's bot
  }
  return ACTIONS_BOT;
}

/**
 * Whether a comment was written by `login`. GraphQL names a bot without its `[bot]` suffix, so
 * `name[bot]` matches `name` too, but only for an account of type Bot: `[bot]` logins belong to
 * GitHub Apps, and no user can take one.
 */
export function writtenBy(user: { login?: string; type?: string } | null | undefined, login: string): boolean {
  if (!user || typeof user.login !== 'string') return false;
  const author = user.login.toLowerCase();
  const wanted = login.toLowerCase();
  if (author === wanted) return true;
  return user.type === 'Bot' && !wanted.endsWith('[bot]') && author === `${wanted}[bot]`;
}

/**
 * Creates or updates our one comment on the pull request: found by its hidden marker and its
 * author, so a re-run edits it instead of adding another, and a comment someone else wrote with
 * our marker is never touched. A token that may not write (a fork PR, or no
 * `pull-requests: write`) is reported, not thrown.
 */
export async function upsertComment(token: string, marker: string, body: string): Promise<CommentOutcome> {
  // @actions/github (octokit) is loaded when a comment is written, not by every start of the Action
  const github = await import('@actions/github');
  const issue_number = pullRequestNumber(github.context);
  if (issue_number === undefined) return { kind: 'skipped', reason: 'this run is not for a pull request' };
  const octokit = github.getOctokit(token);
  const { owner, repo } = github.context.repo;
  try {
    const login = await tokenLogin(octokit);
    const comments = await octokit.paginate(octokit.rest.issues.listComments, { owner, repo, issue_number, per_page: 100 });
    // ours starts with the marker and was written by this token's account; a comment that quotes
    // the marker, or one anybody else wrote starting with it, is not ours
    const ours = comments.find((c) => writtenBy(c.user, login) && c.body?.trimStart().startsWith(marker));
    if (ours) {
      const { data } = await octokit.rest.issues.updateComment({ owner, repo, comment_id: ours.id, body });
      return { kind: 'updated', url: data.html_url };
    }
    const { data } = await octokit.rest.issues.createComment({ owner, repo, issue_number, body });
    return { kind: 'created', url: data.html_url };
  } catch (error) {
    const status = httpStatus(error);
    if (status === 403 || status === 401 || status === 404) {
      return {
        kind: 'forbidden',
        reason:
          `the token cannot comment on pull request #${issue_number} (HTTP ${status}): give the job \`permissions: pull-requests: write\`; ` +
          'on a pull request from a fork the token is read-only, so the results are only in the job summary',
      };
    }
    throw error;
  }
}
