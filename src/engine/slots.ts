/** Lexicographic priority: [flow index, ...branch path]; smaller runs first. */
export type Priority = readonly number[];

export function comparePriority(a: Priority, b: Priority): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

interface Waiter {
  readonly priority: Priority;
  /** Order of arrival: equal priorities are served first come, first served. */
  readonly seq: number;
  readonly grant: () => void;
}

const before = (a: Waiter, b: Waiter): boolean => {
  const order = comparePriority(a.priority, b.priority);
  return order < 0 || (order === 0 && a.seq < b.seq);
};

/**
 * Waiters in a binary heap ordered by priority: adding one and taking the best are O(log n), so
 * 200,000 branches waiting for a slot cost a few million comparisons, not 10^10.
 */
class WaiterHeap {
  private readonly items: Waiter[] = [];

  get size(): number {
    return this.items.length;
  }

  push(waiter: Waiter): void {
    const items = this.items;
    let i = items.push(waiter) - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(waiter, items[parent]!)) break;
      items[i] = items[parent]!;
      i = parent;
    }
    items[i] = waiter;
  }

  pop(): Waiter | undefined {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (items.length === 0 || last === undefined) return top;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= items.length) break;
      const right = left + 1;
      const child = right < items.length && before(items[right]!, items[left]!) ? right : left;
      if (!before(items[child]!, last)) break;
      items[i] = items[child]!;
      i = child;
    }
    items[i] = last;
    return top;
  }
}

/**
 * At most `limit` holders at once; a freed slot goes to the waiter with the smallest priority, so
 * the steps of flows already started run before new flows start (depth first). p-limit serves in
 * arrival order only, hence this small class.
 */
export class Slots {
  private held = 0;
  private seq = 0;
  private readonly waiters = new WaiterHeap();
  /** Most holders seen at once. */
  peak = 0;

  constructor(readonly limit: number) {}

  /** Waiting for a slot now. */
  get waiting(): number {
    return this.waiters.size;
  }

  acquire(priority: Priority): Promise<void> {
    return new Promise((grant) => {
      this.waiters.push({ priority, seq: this.seq++, grant });
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
    while (this.held < this.limit) {
      const waiter = this.waiters.pop();
      if (waiter === undefined) return;
      this.held++;
      this.peak = Math.max(this.peak, this.held);
      waiter.grant();
    }
  }
}
