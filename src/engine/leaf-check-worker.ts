import { parentPort, workerData } from 'node:worker_threads';
import { checkLines, PARSED, type CheckSetup } from './leaf-checks.js';

/**
 * The thread that checks an earlier attempt's index of finished flows ahead of a resume
 * (leaf-checks.ts): its lines parsed, each listed flow's files stamped, the lines whose stamp holds
 * sent back in order, a batch at a time.
 */
const setup = workerData as CheckSetup;
checkLines(
  setup,
  (batch) => parentPort!.postMessage(batch),
  () => parentPort!.postMessage(PARSED),
);
