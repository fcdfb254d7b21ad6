import * as github from '@actions/github';

export type CommentOutcome =
  { kind: 'created' | 'updated'; url: string } | { kind: 'skipped'; reason: string } | { kind: 'forbidden'; reason: string };

/** The pull request this run belongs to, if any. */
export function pullRequestNumber(): number | undefined {
  const payload = github.context.payload;
  return payload.pull_request?.number ?? (payload.issue?.pull_request ? payload.issue.number : undefined);
}

/**
 * Creates or updates our one comment on the pull request: found by its hidden marker, so a re-run
 * edits it instead of adding another. A token that may not write (a fork PR, or no
 * `pull-requests: write`) is reported, not thrown.
 */
export async function upsertComment(token: string, marker: string, body: string): Promise<CommentOutcome> {
  const issue_number = pullRequestNumber();
  if (issue_number === undefined) return { kind: 'skipped', reason: 'this run is not for a pull request' };
  const octokit = github.getOctokit(token);
  const { owner, repo } = github.context.repo;
  try {
    const comments = await octokit.paginate(octokit.rest.issues.listComments, { owner, repo, issue_number, per_page: 100 });
    // ours starts with the marker; a comment that merely quotes it (someone else's) is not ours
    const ours = comments.find((c) => c.body?.trimStart().startsWith(marker));
    if (ours) {
      const { data } = await octokit.rest.issues.updateComment({ owner, repo, comment_id: ours.id, body });
      return { kind: 'updated', url: data.html_url };
    }
    const { data } = await octokit.rest.issues.createComment({ owner, repo, issue_number, body });
    return { kind: 'created', url: data.html_url };
  } catch (error) {
    const status = (error as { status?: number }).status;
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
