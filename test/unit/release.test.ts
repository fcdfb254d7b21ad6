/** The release script's checks (scripts/release.ts): version and tag names, changelog sections. */
import { changelogSection, parseVersion, releaseProblems } from '../../scripts/release.js';

const CHANGELOG = `# Changelog

## [Unreleased]

### Added
- something new

## [1.2.0] - 2026-12-01

### Fixed
- a bug

## [1.1.0] - 2026-11-01
- older

[1.2.0]: https://example.invalid/compare/v1.1.0...v1.2.0
`;

describe('parseVersion', () => {
  test.each([
    ['v1.2.3', 'v1.2.3', 'v1'],
    ['1.2.3', 'v1.2.3', 'v1'],
    ['refs/tags/v10.0.1', 'v10.0.1', 'v10'],
    ['v2.0.0-rc.1', 'v2.0.0-rc.1', 'v2'],
  ])('%s gives tag %s and major tag %s', (input, tag, major) => {
    const version = parseVersion(input);
    expect(version.tag).toBe(tag);
    expect(version.majorTag).toBe(major);
  });

  test('a pre-release is marked so it does not move the major tag', () => {
    expect(parseVersion('v2.0.0-rc.1').prerelease).toBe('rc.1');
    expect(parseVersion('v2.0.0').prerelease).toBeUndefined();
  });

  test.each(['v1', 'v1.2', '1.2.3.4', 'v01.2.3', 'latest', '', 'v1.2.3 ; rm -rf /'])('%j is refused with the expected form', (input) => {
    expect(() => parseVersion(input)).toThrow(/expected vMAJOR\.MINOR\.PATCH/);
  });
});

describe('changelogSection', () => {
  test('the body of the version section, up to the next heading, without link references', () => {
    expect(changelogSection(CHANGELOG, parseVersion('v1.2.0'))).toBe('### Fixed\n- a bug');
    expect(changelogSection(CHANGELOG, parseVersion('v1.1.0'))).toBe('- older');
  });

  test('a missing section names the heading to add', () => {
    expect(() => changelogSection(CHANGELOG, parseVersion('v1.3.0'))).toThrow('no section "## [1.3.0]"');
  });

  test('1.2.0 does not match 1.2.01 or 11.2.0', () => {
    expect(() => changelogSection('## [11.2.0]\n- x\n## [1.2.01]\n- y\n', parseVersion('v1.2.0'))).toThrow('no section');
  });

  test('an empty section is refused', () => {
    expect(() => changelogSection('## [1.0.0]\n\n## [0.9.0]\n- x\n', parseVersion('v1.0.0'))).toThrow('is empty');
  });
});

describe('releaseProblems', () => {
  test('package.json must carry the released version', () => {
    expect(releaseProblems(parseVersion('v1.2.0'), '1.2.0')).toEqual([]);
    expect(releaseProblems(parseVersion('v1.2.0'), '1.1.0')[0]).toMatch(/npm version 1\.2\.0/);
  });
});
