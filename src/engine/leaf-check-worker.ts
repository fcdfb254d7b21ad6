import { parentPort, workerData } from 'node:worker_threads';
import { checkLines, type CheckSetup } from './leaf-checks.js';

/**
 * The thread that checks an earlier attempt's index of finished flows ahead of a resume
 * (leaf-checks.ts): each listed flow's files stamped, batch by batch, each batch told done.
 */
checkLines(workerData as CheckSetup, (from) => parentPort!.postMessage(from));
