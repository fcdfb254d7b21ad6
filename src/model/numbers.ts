/**
 * A count for people, `1,234,567`: what `toLocaleString('en-US')` gives, without loading ICU's
 * number formatting, whose first use costs a CLI run about 25 ms of start-up (the progress line
 * prints counts in every run). Anything but a safe integer goes to toLocaleString.
 */
export function formatCount(n: number): string {
  if (!Number.isSafeInteger(n) || Object.is(n, -0)) return n.toLocaleString('en-US');
  const digits = String(Math.abs(n));
  let out = digits.slice(0, ((digits.length - 1) % 3) + 1);
  for (let i = out.length; i < digits.length; i += 3) out += `,${digits.slice(i, i + 3)}`;
  return n < 0 ? `-${out}` : out;
}
