import type { Step } from '../config/types.js';
import type { Flow } from '../flows/flows.js';
import type { Previous } from './fingerprint.js';
import type { CheckedLines } from './leaf-checks.js';
import { vouches } from './leaf-index.js';
import type { StepInputs } from './step-input.js';

/** Flows worked out ahead at a time (spare), between two looks at whether the stamps the feeder waits for are in. */
const SPARE_FLOWS = 256;

/** What working ahead needs of the run. */
export interface AheadContext {
  readonly steps: readonly Step[];
  readonly runDir: string;
  readonly range: { readonly from: number; readonly to: number };
  /** The flow at an index of the run. */
  readonly flowAt: (index: number) => Flow;
  readonly inputs: StepInputs;
  readonly checked: CheckedLines;
  /** The first step's fingerprint in each line holds (the run's inputs are those the index was written under: vouches). */
  readonly firstHolds: boolean;
}

/**
 * With --resume and the earlier attempt's index: whether each flow's line holds its steps'
 * fingerprints now (vouches), worked out ahead of the feeder while it waits for the stamps the
 * checking thread takes (CheckedLines.ready), so that the run's thread spends its waits on its own
 * part of a resume (the fingerprints) rather than on the thread's (the stamps), and ends with it
 * instead of after it. A flow that runs (one the index did not vouch for) may change what the flows
 * after it are made from, while it runs: from then on nothing is worked out ahead (`forget`), and
 * each flow after it is worked out when the feeder reaches it, as without working ahead.
 */
export class VouchAhead {
  /** By flow from `range.from`: 0 not worked out, 1 its fingerprints hold, 2 they do not. */
  private readonly known: Uint8Array;
  /** The first flow not worked out ahead. */
  private next: number;
  /** A flow ran: nothing more is worked out ahead. */
  private stopped = false;

  constructor(private readonly run: AheadContext) {
    this.known = new Uint8Array(run.range.to - run.range.from);
    this.next = run.range.from;
  }

  /** Works out the next few flows; false when every flow is. */
  spare = (): boolean => {
    const { to } = this.run.range;
    if (this.next >= to || this.stopped) return false;
    const end = Math.min(this.next + SPARE_FLOWS, to);
    for (; this.next < end; this.next++) {
      const k = this.next - this.run.range.from;
      if (this.known[k] === 0) this.known[k] = this.workOut(this.next) ? 1 : 2;
    }
    return true;
  };

  /** Whether the line of the flow at `index` holds its steps' fingerprints now: as worked out ahead, else worked out now. */
  holds(index: number): boolean {
    const known = this.known[index - this.run.range.from];
    if (known !== 0) return known === 1;
    this.next = Math.max(this.next, index + 1);
    return this.workOut(index);
  }

  /** A flow runs: what was worked out for the flows after it is worked out again when they are reached, and nothing more ahead. */
  forget(index: number): void {
    this.stopped = true;
    if (this.next > index + 1) this.known.fill(0, index + 1 - this.run.range.from, this.next - this.run.range.from);
    this.next = Math.min(this.next, index + 1);
  }

  private workOut(index: number): boolean {
    const { steps, runDir, inputs, checked, firstHolds } = this.run;
    const line = checked.listed(index);
    if (line === undefined) return false;
    // one step whose fingerprint holds: nothing to make (the line is one flow's as indexLine lays it out: parseIndex)
    if (firstHolds && steps.length === 1) return true;
    const flow = this.run.flowAt(index);
    const dir = `${runDir}/${flow.id}`;
    const contents = new Map<string, string>();
    const fingerprintOf = (step: Step, previous: Previous | undefined): string =>
      inputs.fingerprint({ flow, dir, started: 0, contents }, step, previous);
    return vouches(steps, runDir, flow.id, line, fingerprintOf, firstHolds) !== undefined;
  }
}
