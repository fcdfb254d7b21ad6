/** Lexicographic priority: [flow index, ...branch path]; smaller runs first. */
export type Priority = readonly number[];

export function comparePriority(a: Priority, b: Priority): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

interface Waiter {
  readonly priority: Priority;
  readonly grant: () => void;
}

/**
 * At most `limit` holders at once; a freed slot goes to the waiter with the smallest priority, so
 * the steps of flows already started run before new flows start (depth first).
 */
export class Slots {
  private held = 0;
  private readonly waiters: Waiter[] = [];
  /** Most holders seen at once. */
  peak = 0;

  constructor(readonly limit: number) {}

  acquire(priority: Priority): Promise<void> {
    return new Promise((grant) => {
      this.waiters.push({ priority, grant });
      this.dispatch();
    });
  }

  release(): void {
    this.held--;
    this.dispatch();
  }

  /** Gives up a held slot and waits for one again, atomically: the best waiter, maybe this one, goes next. */
  reacquire(priority: Priority): Promise<void> {
    this.held--;
    return this.acquire(priority);
  }

  private dispatch(): void {
    while (this.held < this.limit && this.waiters.length > 0) {
      let best = 0;
      for (let i = 1; i < this.waiters.length; i++) {
        if (comparePriority(this.waiters[i]!.priority, this.waiters[best]!.priority) < 0) best = i;
      }
      const [waiter] = this.waiters.splice(best, 1);
      this.held++;
      this.peak = Math.max(this.peak, this.held);
      waiter!.grant();
    }
  }
}
