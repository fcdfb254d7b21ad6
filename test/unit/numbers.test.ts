import { formatCount } from '../../src/model/numbers.js';

test('formatCount writes counts as toLocaleString("en-US") does, without ICU', () => {
  const samples = [0, -0, 1, 12, 123, 999, 1000, 1234, 12345, 123456, 1234567, 1000000, -1, -1234, -123456, Number.MAX_SAFE_INTEGER];
  for (const n of [...samples, 1.5, -2.25, NaN, Infinity, 1e21]) expect([n, formatCount(n)]).toEqual([n, n.toLocaleString('en-US')]);
});
