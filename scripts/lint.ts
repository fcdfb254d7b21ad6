/**
 * The type-check and eslint over one TypeScript program (`npm run lint` runs it, then prettier and
 * the import check).
 *
 * eslint's type-aware rules (no-floating-promises, no-misused-promises, the no-unsafe-* family, ...)
 * need the types of the whole of src/, test/ and scripts/: given only its parser's `projectService`,
 * eslint builds that program a second time after `tsc --noEmit` has built and checked it, and its
 * rules then pay for the checker's work again (they are most of eslint's time). Here the program is
 * built once from tsconfig.json, type-checked first (what `tsc -p tsconfig.json --noEmit` reports,
 * in its format), and handed to eslint's parser (`parserOptions.programs`), whose rules then find
 * the types already computed. The rules and files are eslint.config.js's, unchanged: the program is
 * the one the project service would open for these files (tsconfig.json is the only one), and a
 * file outside it fails as it would there.
 *
 *   node scripts/lint.ts       (exit 1 on a type error or an eslint error)
 */
import { ESLint } from 'eslint';
import ts from 'typescript';

const ROOT = process.cwd();

const host: ts.FormatDiagnosticsHost = {
  getCanonicalFileName: (file) => file,
  getCurrentDirectory: () => ROOT,
  getNewLine: () => '\n',
};

/** The program of tsconfig.json as `tsc -p tsconfig.json --noEmit` builds it. */
function program(): ts.Program {
  const parsed = ts.getParsedCommandLineOfConfigFile(
    'tsconfig.json',
    { noEmit: true },
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
        throw new Error(`tsconfig.json: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')}`);
      },
    },
  );
  if (parsed === undefined) throw new Error('tsconfig.json: not found in the current directory (run from the repository root)');
  return ts.createProgram({
    rootNames: parsed.fileNames,
    options: parsed.options,
    projectReferences: parsed.projectReferences,
    configFileParsingDiagnostics: ts.getConfigFileParsingDiagnostics(parsed),
  });
}

/** Prints the program's type errors as tsc does; whether there were any. */
function typeErrors(checked: ts.Program): boolean {
  const diagnostics = ts.sortAndDeduplicateDiagnostics(ts.getPreEmitDiagnostics(checked));
  if (diagnostics.length === 0) return false;
  const format = process.stdout.isTTY ? ts.formatDiagnosticsWithColorAndContext : ts.formatDiagnostics;
  process.stdout.write(format(diagnostics, host));
  const errors = diagnostics.filter((diagnostic) => diagnostic.category === ts.DiagnosticCategory.Error).length;
  console.log(`\ntype-check (tsconfig.json): ${errors} error(s); \`npx tsc -p tsconfig.json --noEmit\` shows the same`);
  return errors > 0;
}

/** Runs eslint over the repository as `eslint .` does, its typed rules on the given program; whether it found an error. */
async function lintErrors(checked: ts.Program): Promise<boolean> {
  const eslint = new ESLint({
    cwd: ROOT,
    overrideConfig: { files: ['**/*.ts'], languageOptions: { parserOptions: { projectService: false, programs: [checked] } } },
  });
  const results = await eslint.lintFiles(['.']);
  const formatter = await eslint.loadFormatter('stylish');
  const text = await formatter.format(results);
  if (text !== '') console.log(text);
  return results.some((result) => result.errorCount > 0 || result.fatalErrorCount > 0);
}

const checked = program();
const typesFailed = typeErrors(checked);
const lintFailed = await lintErrors(checked);
process.exitCode = typesFailed || lintFailed ? 1 : 0;
