/** Most requests in one batch file (the Batch API's limit). */
export const BATCH_MAX_REQUESTS = 50_000;
/** Most bytes in one batch file: the API allows 200 MB; kept a little under, in decimal megabytes. */
export const BATCH_MAX_BYTES = 199_000_000;

export interface GatherOptions {
  /** A group is sent once no request joined it for this long... */
  readonly quietMs: number;
  /** ...or once its first request has waited this long. */
  readonly maxWaitMs: number;
  readonly maxRequests: number;
  readonly maxBytes: number;
}

interface Group<T> {
  items: T[];
  bytes: number;
  first: number;
  timer: NodeJS.Timeout | undefined;
}

/**
 * Gathers requests that become ready together into groups (one per model and endpoint), each sent
 * as one batch: when no request joined it for `quietMs`, when its first has waited `maxWaitMs`, or
 * at once when the next request would not fit in a batch file (requests or bytes).
 */
export class Gatherer<T extends { readonly bytes: number }> {
  private readonly groups = new Map<string, Group<T>>();

  constructor(
    private readonly options: GatherOptions,
    private readonly send: (key: string, items: T[]) => void,
    private readonly now: () => number = Date.now,
  ) {}

  /** Requests gathered and not sent yet. */
  get pending(): number {
    let n = 0;
    for (const group of this.groups.values()) n += group.items.length;
    return n;
  }

  add(key: string, item: T): void {
    const { options } = this;
    let group = this.groups.get(key);
    if (group !== undefined && (group.items.length + 1 > options.maxRequests || group.bytes + item.bytes > options.maxBytes)) {
      this.flush(key);
      group = undefined;
    }
    if (group === undefined) {
      group = { items: [], bytes: 0, first: this.now(), timer: undefined };
      this.groups.set(key, group);
    }
    group.items.push(item);
    group.bytes += item.bytes;
    clearTimeout(group.timer);
    const wait = Math.min(options.quietMs, group.first + options.maxWaitMs - this.now());
    if (wait <= 0 || group.items.length >= options.maxRequests) {
      this.flush(key);
      return;
    }
    group.timer = setTimeout(() => this.flush(key), wait);
  }

  /** Drops what was not sent (the run stops); returns it. */
  clear(): T[] {
    const dropped: T[] = [];
    for (const group of this.groups.values()) {
      clearTimeout(group.timer);
      dropped.push(...group.items);
    }
    this.groups.clear();
    return dropped;
  }

  private flush(key: string): void {
    const group = this.groups.get(key);
    if (group === undefined) return;
    clearTimeout(group.timer);
    this.groups.delete(key);
    this.send(key, group.items);
  }
}
