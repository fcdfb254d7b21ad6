/** The Action's inputs are checked by the same rules as the CLI's options (timeout range, base URL). */
import { parseSettings } from '../../src/action/settings.js';
import { baseUrlProblem } from '../../src/engine/options.js';
import { MAX_RUN_ID_LENGTH, normalizeRunId } from '../../src/results/paths.js';

const reader =
  (inputs: Record<string, string>) =>
  (name: string): string =>
    ({ config: 'config.json', ...inputs })[name] ?? '';

describe('Action settings', () => {
  test('timeout: up to 7 days; above it (a timer would fire at once) the input is named', () => {
    expect(parseSettings(reader({ timeout: '604800' }), {}).timeoutS).toBe(604800);
    for (const bad of ['604801', '2147484', '1e999', '0', '-1']) {
      expect(() => parseSettings(reader({ timeout: bad }), {})).toThrow(`input 'timeout' is ${JSON.stringify(bad)}`);
    }
    expect(() => parseSettings(reader({ timeout: '604801' }), {})).toThrow('at most 604800');
  });

  test('base-url: an http(s) URL, or the input is named with the fix', () => {
    expect(parseSettings(reader({ 'base-url': 'http://127.0.0.1:8080/v1' }), {}).baseUrl).toBe('http://127.0.0.1:8080/v1');
    expect(() => parseSettings(reader({ 'base-url': 'localhost:8080' }), {})).toThrow(
      /input 'base-url' is "localhost:8080", but it has no scheme: write it with http:\/\/ or https:\/\//,
    );
    expect(() => parseSettings(reader({ 'base-url': 'ftp://example.com/v1' }), {})).toThrow(/not ftp:\/\//);
  });
});

describe('baseUrlProblem', () => {
  test.each(['http://localhost:8080/v1', 'https://api.openai.com/v1', 'HTTP://127.0.0.1:1', 'http://user:pw@host/v1'])(
    '%s is fine',
    (url) => expect(baseUrlProblem(url)).toBeUndefined(),
  );
  test.each([
    ['localhost:8080', 'no scheme'],
    ['127.0.0.1:8080/v1', 'no scheme'],
    ['ftp://example.com', 'not ftp://'],
    ['file:///etc/passwd', 'not file://'],
    ['http://', 'not a valid URL'],
    ['http://exa mple.com', 'not a valid URL'],
    ['', 'no scheme'],
  ])('%s is refused: %s', (url, why) => expect(baseUrlProblem(url)).toContain(why));
});

describe('run ids', () => {
  test(`at most ${MAX_RUN_ID_LENGTH} characters, run_ included`, () => {
    const longest = 'x'.repeat(MAX_RUN_ID_LENGTH - 4);
    expect(normalizeRunId(longest)).toBe(`run_${longest}`);
    expect(normalizeRunId(`run_${longest}`)).toBe(`run_${longest}`);
    expect(normalizeRunId(longest + 'x')).toBeUndefined();
    expect(normalizeRunId('x'.repeat(5000))).toBeUndefined();
  });
});
