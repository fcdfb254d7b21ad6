/** Batches waiting at the server, for the progress line: how many, their requests, how many of those are done. */
export interface BatchCounts {
  readonly pending: number;
  readonly requests: number;
  readonly done: number;
}

/** Where the run's batches stand; listeners hear each change (a batch sent, polled or finished). */
export class BatchBoard {
  private readonly batches = new Map<string, { total: number; done: number }>();
  private readonly listeners: (() => void)[] = [];

  /** A batch is pending with `total` requests, `done` of them answered so far. */
  set(id: string, total: number, done: number): void {
    const known = this.batches.get(id);
    if (known?.total === total && known.done === done) return;
    this.batches.set(id, { total, done });
    this.changed();
  }

  /** The batch finished, or is no longer waited for. */
  remove(id: string): void {
    if (this.batches.delete(id)) this.changed();
  }

  /** Ids of the batches still pending. */
  pendingIds(): string[] {
    return [...this.batches.keys()];
  }

  counts(): BatchCounts {
    let requests = 0;
    let done = 0;
    for (const batch of this.batches.values()) {
      requests += batch.total;
      done += batch.done;
    }
    return { pending: this.batches.size, requests, done };
  }

  onChange(listener: () => void): void {
    this.listeners.push(listener);
  }

  private changed(): void {
    for (const listener of this.listeners) listener();
  }
}
