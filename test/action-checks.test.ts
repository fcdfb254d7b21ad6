/**
 * Checks on outputs through the Action bundle of the current source: the job summary shows each
 * check's pass rate and the failing results, and a failed check fails its leaf and the step.
 */
import { realpathSync } from 'node:fs';
import { runAction } from './helpers/action.js';
import { readJson } from './helpers/cli.js';
import { scratch } from './helpers/project.js';

test("checks through the Action: the job summary shows each check's pass rate and the failing result; a failed check fails the step", async () => {
  const config = JSON.stringify({
    steps: [
      {
        name: 'tag',
        cmd: 'printf "%s" {{{id}}}',
        checks: [
          { type: 'contains', value: '-' },
          { type: 'regex', value: '^[A-Z]' },
        ],
      },
    ],
  });
  const ws = realpathSync(scratch({ 'config.json': config, 'ids.txt': 'A-1\nB 2\n' }));
  const result = await runAction(
    { config: 'config.json', values: 'id:ids.txt', offline: 'true', upload: 'false' },
    { workspace: ws, env: { GITHUB_RUN_ID: '34' } },
  );
  // flow_0002 ("B 2") has no "-": its leaf fails, and so does the step
  expect(result.code).not.toBe(0);
  const results = readJson(result.outputs.results!);
  expect(results.flows.map((f: { status: string }) => f.status)).toEqual(['succeeded', 'failed']);
  expect(result.summary).toContain('### Checks');
  expect(result.summary).toMatch(/\| tag › contains &quot;-&quot; \| 1\/2 [^|]*\| 1 \|/);
  expect(result.summary).toMatch(/\| tag › regex &quot;\^&#91;A-Z&#93;&quot; \| 2\/2 [^|]*\| 0 \|/);
  expect(result.summary).toMatch(/\*\*1 results failed a check\*\*/);
  expect(result.summary).toMatch(/- flow&#95;0002 [^\n]*tag › contains/);
});
