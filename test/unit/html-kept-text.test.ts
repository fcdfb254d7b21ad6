/**
 * A step file's text kept as it was written (report/html-file.ts loadedText, what report.html shows
 * of a leaf taken as it ends) is what reading the file back shows (runTreeLoader), character for
 * character: short texts kept whole skip the round trip through UTF-8, which must not change them,
 * lone surrogates (written as U+FFFD) included; and the page's JSON blocks escape what would end them.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadedText, runTreeLoader } from '../../src/report/html-file.js';
import { scriptJson } from '../../src/report/html-texts.js';
import { scratch } from '../helpers/project.js';

const TEXTS = [
  '',
  'plain',
  'x'.repeat(50),
  'non-ASCII: é, 漢字, 😀',
  'lone halves: \ud800 and \udfff, then a pair \ud83d\ude00',
  'ends on a lone high half \ud83d',
  '\u2028 </script> & <b>',
];

test.each([
  [5, false],
  [50, false],
  [20_000, false],
  [4000, true],
  [3, true],
])('a kept text shows as the file read back does (at most %i characters, tail %s)', (chars, tail) => {
  const runDir = scratch();
  mkdirSync(join(runDir, 'step'));
  const name = tail ? 'stderr.txt' : 'output.txt';
  const disk = runTreeLoader(runDir);
  for (const [i, text] of TEXTS.entries()) {
    mkdirSync(join(runDir, `step${i}`));
    writeFileSync(join(runDir, `step${i}`, name), text);
    const kept = loadedText([text], chars, tail);
    expect(kept).toEqual(disk(`step${i}/${name}`, chars, tail));
    if (text.includes('\ud800') && text.length <= chars) expect(kept?.text).toContain('\ufffd');
  }
});

test('a JSON block escapes what would end it or the script, and leaves other texts as JSON.stringify makes them', () => {
  expect(scriptJson(['a', 'é 😀', 1, null])).toBe(JSON.stringify(['a', 'é 😀', 1, null]));
  expect(scriptJson(['</script>', 'a & b', '\u2028\u2029'])).toBe('["\\u003c/script\\u003e","a \\u0026 b","\\u2028\\u2029"]');
});
