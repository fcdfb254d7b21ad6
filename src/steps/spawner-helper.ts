import { ownRunCgroupsAs, runCgroupDir } from './cgroup.js';
import { killAllProcessTrees, runProcess } from './process.js';
import type { ByteSink } from './process-output.js';
import type { FromHelper, RunMessage, ToHelper } from './spawner.js';
import { adoptRunTag } from './sweep.js';

/**
 * A spawner helper (spawner.ts): a small Node process, forked by its orchestrator with the
 * environment cmd steps get (no key, no token), its orchestrator's run tag and pid as arguments,
 * that runs cmd steps' programs through `runProcess` exactly as the orchestrator would (process
 * group, step cgroup, tag, timeout, pipe-holder watch) and sends back each one's pid, output and
 * result. When its orchestrator disconnects or dies, it ends everything it started and exits.
 */
const [tag, orchestrator] = process.argv.slice(2);
if (tag === undefined || orchestrator === undefined || process.send === undefined) {
  process.stderr.write('orchestrator: the spawner helper is started by orchestrator itself, with an IPC channel and its run tag\n');
  process.exit(2);
}
adoptRunTag(tag);
ownRunCgroupsAs(Number(orchestrator));

const aborts = new Map<number, AbortController>();
let toldCgroup: string | undefined;

function send(message: FromHelper, done: () => void = () => undefined): void {
  // the orchestrator may be gone already: then the disconnect below ends everything
  if (process.connected) process.send?.(message, undefined, undefined, done);
  else done();
}

/**
 * Output bytes sent but not yet taken by the channel: above this, the steps' pipes are not read
 * (process-output.ts) until it drains, so a step that floods its output waits instead of this
 * helper holding what the orchestrator has not read yet.
 */
const BACKLOG_BYTES = 1 << 20;
let inFlight = 0;
let waiting: (() => void)[] = [];
const backlog = {
  full: (): boolean => inFlight > BACKLOG_BYTES,
  drained: (): Promise<void> => (inFlight > BACKLOG_BYTES ? new Promise((resolve) => waiting.push(resolve)) : Promise.resolve()),
};

function sendOutput(message: FromHelper & { chunk: Uint8Array }): void {
  const bytes = message.chunk.byteLength;
  inFlight += bytes;
  send(message, () => {
    inFlight -= bytes;
    if (inFlight > BACKLOG_BYTES || waiting.length === 0) return;
    const resume = waiting;
    waiting = [];
    for (const go of resume) go();
  });
}

/** Nothing this helper started outlives it or its orchestrator. */
function end(code: number): never {
  killAllProcessTrees();
  process.exit(code);
}

process.on('message', (message: ToHelper) => {
  if (message.t === 'abort') aborts.get(message.id)?.abort();
  else void run(message);
});
process.on('disconnect', () => end(0));
// a terminal's Ctrl-C (and a runner's SIGTERM to the group) reaches the helpers too: the orchestrator
// decides what an interrupt ends (it aborts each step, which is then cancelled, not failed by a dead
// helper) and the helper exits on its disconnect, so these are not the helper's to act on
process.on('SIGINT', () => undefined).on('SIGTERM', () => undefined);
process.on('uncaughtException', (error) => {
  process.stderr.write(`orchestrator: the spawner helper failed: ${error.stack ?? error.message}\n`);
  end(70);
});
send({ t: 'ready' });

async function run({ id, input, ...request }: RunMessage): Promise<void> {
  const controller = new AbortController();
  aborts.set(id, controller);
  const sink = (t: 'out' | 'err'): ByteSink => ({
    write: (chunk) => {
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      sendOutput(t === 'out' ? { t, id, chunk: bytes } : { t, id, chunk: bytes });
    },
    end: () => Promise.resolve(),
    backlog,
  });
  try {
    const result = await runProcess({
      ...request,
      input: typeof input === 'string' ? input : Buffer.from(input.buffer, input.byteOffset, input.byteLength),
      signal: controller.signal,
      stdout: sink('out'),
      stderr: sink('err'),
      onSpawn: (pid) => {
        // made with the first step: the orchestrator ends it on a forced exit
        const cgroup = runCgroupDir();
        if (cgroup !== toldCgroup) send({ t: 'cgroup', dir: (toldCgroup = cgroup) });
        send({ t: 'pid', id, pid });
      },
    });
    send({ t: 'done', id, result });
  } finally {
    aborts.delete(id);
  }
}
