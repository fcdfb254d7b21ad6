/**
 * Masking holds for real secrets (issue 11.6): a multi-line PEM-like key and a value with quotes and
 * backslashes, printed by steps on stdout, on stderr, one line at a time, JSON-escaped, and carried
 * into an error message, never appear under generated/ or in what is printed: neither whole, nor
 * JSON-escaped, nor any line of it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { annotations, runAction, stdoutWithoutMasks } from './helpers/action.js';
import { expectExit, orchestrate } from './helpers/cli.js';
import { project, scratch, tree } from './helpers/project.js';

const PEM = [
  '-----BEGIN PRIVATE KEY-----',
  'MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7VJTUt9Us8cKj',
  'MzEfYyjiWA4R4/M2bS1GB4t7NXp98C3SC6dVMvDuictGeurT8jNbvJZHtCSuYEvu',
  'NMoSfm76oqFvAp8Gy0iz5sxjZmSnXyCdPEovGhLa0VzMaQ8s+CLOyS56YyCFGeJZ',
  '-----END PRIVATE KEY-----',
].join('\n');
const QUOTED = `pa"ss\\wo'rd"with\\"quotes`;

/** Every form of the secrets that must not appear: whole, JSON-escaped, and each line of 8+ characters. */
const FORBIDDEN = [
  PEM,
  JSON.stringify(PEM).slice(1, -1),
  ...PEM.split('\n').filter((line) => line.length >= 8),
  QUOTED,
  JSON.stringify(QUOTED).slice(1, -1),
];

function leaksIn(text: string): string[] {
  return FORBIDDEN.filter((form) => text.includes(form)).map((form) => form.slice(0, 20));
}

const CONFIG = [
  {
    type: 'print',
    cmd:
      'printf "%s\\n" "$MY_PRIVATE_KEY"; printf "%s\\n" "$MY_PRIVATE_KEY" >&2; printf "%s\\n" "$MY_PRIVATE_KEY" | sed -n 3p; ' +
      'printf "q=%s\\n" "$MY_QUOTED_SECRET"; ' +
      'node -e "console.log(JSON.stringify({ key: process.env.MY_PRIVATE_KEY, q: process.env.MY_QUOTED_SECRET }))"',
  },
  { type: 'fail', cmd: 'cat >/dev/null; printf "%s\\n" "$MY_PRIVATE_KEY" "$MY_QUOTED_SECRET" >&2; exit 3' },
];

test('CLI: a PEM key and a quoted secret printed every way reach no file under generated/ and nothing printed', async () => {
  const dir = project(CONFIG);
  const o = await orchestrate(dir, [], { MY_PRIVATE_KEY: PEM, MY_QUOTED_SECRET: QUOTED });
  expectExit(o, 1);
  // the second step failed with the secrets in its stderr, which its error message quotes
  expect(o.results.flows[0].error).toMatch(/step 2 \("fail"\): the command exited with code 3: \*\*\*/);
  const files = tree(join(dir, 'generated'));
  expect(files.length).toBeGreaterThan(6);
  for (const file of files)
    expect({ file, leaks: leaksIn(readFileSync(join(dir, 'generated', file), 'utf8')) }).toEqual({ file, leaks: [] });
  expect(leaksIn(o.stdout + o.stderr)).toEqual([]);
  // what was masked is still there as ***, once per line of output
  const output = readFileSync(join(o.runDir, 'flow_0001', '01_print', 'output.txt'), 'utf8');
  expect(output.split('\n').slice(0, 3)).toEqual(['***', '***', 'q=***']);
}, 30_000);

test('Action: each line of a multi-line secret is registered with the runner, and no output, summary or annotation holds one', async () => {
  const workspace = scratch({ 'config.json': JSON.stringify(CONFIG) });
  const result = await runAction(
    { config: 'config.json', upload: 'false', 'fail-on-error': 'true' },
    { workspace, env: { MY_PRIVATE_KEY: PEM, MY_QUOTED_SECRET: QUOTED } },
  );
  expect(result.code).toBe(1);
  const masks = result.stdout.split('\n').filter((line) => line.startsWith('::add-mask::'));
  for (const line of PEM.split('\n')) expect(masks).toContain(`::add-mask::${line}`);
  expect(leaksIn([stdoutWithoutMasks(result), result.stderr, result.summary, result.outputFile].join('\n'))).toEqual([]);
  expect(annotations(result, 'error').join('\n')).toContain('failed');
  const generated = join(workspace, 'generated');
  for (const file of tree(generated))
    expect({ file, leaks: leaksIn(readFileSync(join(generated, file), 'utf8')) }).toEqual({ file, leaks: [] });
}, 30_000);
