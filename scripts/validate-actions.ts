/**
 * Validates action.yml, every workflow under .github/workflows and the example workflows under
 * examples/workflows with action-validator (the
 * SchemaStore schemas). Its schema for action.yml predates `runs.using: node24`, so action.yml is
 * validated as a copy saying node20, after checking here that it says node24 and that `main` exists.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';

const failures: string[] = [];
function validate(file: string, shown = file): void {
  try {
    execFileSync('action-validator', [file], { stdio: ['ignore', 'pipe', 'pipe'] });
    console.log(`ok ${shown}`);
  } catch (error) {
    const e = error as { stdout?: Buffer; stderr?: Buffer };
    failures.push(`${shown}:\n${e.stdout?.toString() ?? ''}${e.stderr?.toString() ?? ''}`);
  }
}

const text = readFileSync('action.yml', 'utf8');
const action = parse(text) as { runs?: { using?: string; main?: string } };
if (action.runs?.using !== 'node24') failures.push(`action.yml: runs.using must be node24, got ${JSON.stringify(action.runs?.using)}`);
if (!action.runs?.main || !existsSync(action.runs.main))
  failures.push(`action.yml: runs.main ${JSON.stringify(action.runs?.main)} does not exist`);
const copy = join(mkdtempSync(join(tmpdir(), 'action-yml-')), 'action.yml');
writeFileSync(copy, text.replace(/using:\s*node24/, 'using: node20'));
validate(copy, 'action.yml');

for (const folder of ['.github/workflows', 'examples/workflows'])
  for (const name of readdirSync(folder).filter((n) => /\.ya?ml$/.test(n))) validate(join(folder, name));

// workflows in this repository run only this repository's code, and third-party actions are
// pinned by commit: a moved tag cannot change what CI runs
for (const name of readdirSync('.github/workflows').filter((n) => /\.ya?ml$/.test(n))) {
  const file = join('.github/workflows', name);
  for (const [, uses] of readFileSync(file, 'utf8').matchAll(/^\s*(?:-\s*)?uses:\s*(\S+)/gm)) {
    if (uses!.startsWith('./')) continue;
    if (/^[\w.-]+\/[\w./-]+@[0-9a-f]{40}$/.test(uses!) && !uses!.startsWith('org/orchestrator')) continue;
    failures.push(`${file}: \`uses: ${uses}\` must be this repository (./) or a third-party action pinned by a 40-character commit SHA`);
  }
}

if (failures.length > 0) {
  console.error(failures.join('\n'));
  process.exit(1);
}
