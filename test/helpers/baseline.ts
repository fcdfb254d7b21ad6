/**
 * One check run over two versions of a checkout (mode.txt v1, then v2), for the baseline tests:
 * a unchanged, b changed, c fixed, f newly failing; a doc listed in only one version is gone or new.
 */
export const BASELINE_CHECK = [
  'm=$(cat mode.txt); d={{{DOC}}}',
  'case "$d" in',
  '  a) echo same;;',
  '  b) echo "b in $m";;',
  '  c) [ "$m" = v2 ] || exit 4; echo fixed now;;',
  '  f) [ "$m" = v1 ] || exit 5; echo was fine;;',
  '  *) echo "$d";;',
  'esac',
].join('\n');
