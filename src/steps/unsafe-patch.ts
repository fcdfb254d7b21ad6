/**
 * Why a step's changes.patch was not saved: it holds the value of a variable that is masked in
 * everything orchestrator writes. Names the variables, never their values.
 */
export function unsafePatchMessage(names: readonly string[]): string {
  const list = names.join(', ');
  return (
    `the changes hold the value of ${list}, which orchestrator masks as *** in everything it writes; a masked ` +
    `changes.patch would apply and ship *** instead, so no patch was saved. If that value is not a secret, rename ` +
    `the variable (names ending in _KEY, _TOKEN, _SECRET or PASSWORD are masked) or unset it for this run`
  );
}
