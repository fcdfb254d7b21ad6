/**
 * Checks a release before it is made and prints what the release workflow needs:
 *
 *   node scripts/release.ts check v1.2.3   version matches package.json, CHANGELOG.md has its section,
 *                                          dist/ exists; prints `tag=`, `major=` and `notes=` lines
 *                                          for $GITHUB_OUTPUT and writes the notes to release-notes.md
 *
 * The logic is in pure functions (tested in test/unit/release.test.ts); this file's tail is the CLI.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export interface Version {
  readonly major: number;
  readonly minor: number;
  readonly patch: number;
  /** `v1.2.3` */
  readonly tag: string;
  /** `v1`: the tag users put in `uses: org/orchestrator@v1`, moved to every release of that major. */
  readonly majorTag: string;
  /** A pre-release (`1.2.3-rc.1`) is published under npm's `next` tag and does not move the major tag. */
  readonly prerelease: string | undefined;
}

const SEMVER = /^v?(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?$/;

/** Parses `v1.2.3` or `1.2.3` (or `refs/tags/v1.2.3`); throws with what was expected. */
export function parseVersion(input: string): Version {
  const text = input.trim().replace(/^refs\/tags\//, '');
  const match = SEMVER.exec(text);
  if (!match) throw new Error(`${JSON.stringify(input)} is not a release version: expected vMAJOR.MINOR.PATCH, e.g. v1.2.3`);
  const [major, minor, patch] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const prerelease = match[4];
  const plain = `${major}.${minor}.${patch}${prerelease ? `-${prerelease}` : ''}`;
  return { major, minor, patch, prerelease, tag: `v${plain}`, majorTag: `v${major}` };
}

/**
 * The body of `## [X.Y.Z]` in a Keep a Changelog file, without its heading, trimmed; throws when
 * the section is missing or empty (a release without notes is a mistake, not a default).
 */
export function changelogSection(changelog: string, version: Version): string {
  const plain = version.tag.slice(1);
  const lines = changelog.split(/\r?\n/);
  const heading = new RegExp(`^## \\[?v?${plain.replace(/[.+-]/g, '\\$&')}\\]?(\\s|$)`);
  const start = lines.findIndex((line) => heading.test(line));
  if (start < 0) throw new Error(`CHANGELOG.md has no section "## [${plain}]": move the Unreleased notes under it`);
  let end = lines.findIndex((line, i) => i > start && /^## /.test(line));
  if (end < 0) end = lines.length;
  // link references ([1.2.3]: https://...) at the end belong to the whole file, not to a section
  const body = lines
    .slice(start + 1, end)
    .filter((line) => !/^\[[^\]]+\]:\s/.test(line))
    .join('\n')
    .trim();
  if (body === '') throw new Error(`CHANGELOG.md's section "## [${plain}]" is empty: say what changed`);
  return body;
}

/** Problems that stop a release, each with its fix; empty when it can go ahead. */
export function releaseProblems(version: Version, packageVersion: string): string[] {
  const problems: string[] = [];
  if (packageVersion !== version.tag.slice(1))
    problems.push(
      `package.json says version ${JSON.stringify(packageVersion)} but the release is ${version.tag}: run \`npm version ${version.tag.slice(1)} --no-git-tag-version\` and commit`,
    );
  return problems;
}

function main(argv: string[]): number {
  const [command, tag] = argv;
  if (command !== 'check' || tag === undefined) {
    console.error('usage: node scripts/release.ts check vX.Y.Z');
    return 2;
  }
  try {
    const version = parseVersion(tag);
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
    const problems = releaseProblems(version, pkg.version);
    if (!existsSync('dist/index.js')) problems.push('dist/index.js is missing: run `npm run build` and commit dist/');
    let notes = '';
    try {
      notes = changelogSection(readFileSync('CHANGELOG.md', 'utf8'), version);
    } catch (error) {
      problems.push((error as Error).message);
    }
    if (problems.length > 0) {
      for (const problem of problems) console.error(`release: ${problem}`);
      return 1;
    }
    writeFileSync('release-notes.md', notes + '\n');
    console.log(`tag=${version.tag}`);
    console.log(`major=${version.majorTag}`);
    console.log(`prerelease=${version.prerelease === undefined ? 'false' : 'true'}`);
    console.log('notes=release-notes.md');
    return 0;
  } catch (error) {
    console.error(`release: ${(error as Error).message}`);
    return 1;
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) process.exitCode = main(process.argv.slice(2));
