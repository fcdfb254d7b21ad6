// The Action's entry. Keys and tokens leave /proc/<pid>/environ first (a re-exec, only when there
// are some), and only then is the Action itself loaded: the bundle (scripts/bundle-if-stale.ts)
// puts what this file imports lazily in chunks of its own (dist/main-*.js and the chunks it
// imports), so a re-exec does not compile the whole bundle twice, and a mode loads only what it
// uses. run() calls the shelter again; a second call does nothing.
import { shelterPrivateEnv } from './util/shelter.js';
import { failIfUnsettled } from './util/unsettled.js';

shelterPrivateEnv();
const { run } = await import('./action/main.js');
// a run that never settled fails the step (as an error annotation), not passes it
void failIfUnsettled(run(), (message) => process.stdout.write(`::error::${message}\n`));
