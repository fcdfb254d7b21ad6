import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { TreeBatches, type WriteOp } from './tree-batch.js';
import { DONE, GONE } from './tree-queue.js';

/**
 * The thread that writes a run's tree for it (tree-queue.ts), in a run that writes by path
 * (safe-tree.ts `byPath`): batches of directories to make and whole files to create afresh
 * (TreeBatches), in the order sent. What failed goes back on the port, with the batch's number; the
 * batch's number is then stored in `done` and the run's thread woken.
 */
const { done, port } = workerData as { done: SharedArrayBuffer; port: MessagePort };
const counter = new Int32Array(done);
const batches = new TreeBatches();

// exiting (process.exit, an uncaught error): marked for the run's thread, which may be blocked in
// drainSync's Atomics.wait and so not hear of the worker's exit event until it stops waiting
process.on('exit', (code) => {
  Atomics.store(counter, GONE, code + 1);
  Atomics.notify(counter, DONE);
});

parentPort!.on('message', ({ seq, ops }: { seq: number; ops: WriteOp[] }) => {
  port.postMessage({ seq, failed: batches.apply(ops) });
  Atomics.store(counter, DONE, seq);
  Atomics.notify(counter, DONE);
});
