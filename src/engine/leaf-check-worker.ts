import { parentPort, workerData } from 'node:worker_threads';
import { checkEarly, type EarlySetup } from './early-checks.js';
import { checkLines, type CheckSetup } from './leaf-checks.js';

/**
 * The thread that checks an earlier attempt's index of finished flows ahead of a resume
 * (leaf-checks.ts): each listed flow's files stamped, batch by batch, each batch told done. Started
 * by the run with the index's text (checkLines), or by the command line before the run is prepared
 * with the index's path (checkEarly).
 */
const setup = workerData as CheckSetup | EarlySetup;
const done = (from: number): void => parentPort!.postMessage(from);
if ('path' in setup) checkEarly(setup, done);
else checkLines(setup, done);
