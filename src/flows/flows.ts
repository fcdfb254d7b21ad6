/**
 * How a key's file is read: `paths` (`--key`) lists files whose contents `{{{NAME}}}` stands for;
 * `values` (`--values`) lists the values themselves, each line being what `{{{NAME}}}` stands for.
 */
export type KeyKind = 'paths' | 'values';

/** One key: its name and the paths its file lists, in order (for `--values`, the values themselves). */
export interface KeyList {
  readonly name: string;
  /** The key file as given on the command line. */
  readonly file: string;
  readonly paths: readonly string[];
  /** `values`: each line is the value `{{{NAME}}}` stands for, not a file's path (absent: paths). */
  readonly kind?: KeyKind;
}

/** One combination of key files; `index` is 0-based, `id` is `flow_0001` for index 0. */
export interface Flow {
  readonly index: number;
  readonly id: string;
  /** Key name -> path from that key's file (for a `--values` key, the value). */
  readonly keys: Readonly<Record<string, string>>;
}

/** `flow_0001` for index 0: at least 4 digits, as many as the largest id of `total` flows needs. */
export function flowId(index: number, total: number): string {
  return `flow_${String(index + 1).padStart(Math.max(4, String(total).length), '0')}`;
}

/** The cartesian product of the key lists, addressed by index so it never needs to be materialised. */
export class FlowSpace {
  readonly total: number;

  constructor(readonly keys: readonly KeyList[]) {
    this.total = keys.reduce((product, key) => product * key.paths.length, 1);
  }

  id(index: number): string {
    return flowId(index, this.total);
  }

  /** The flow at a 0-based index: the first key varies slowest. */
  at(index: number): Flow {
    if (!Number.isInteger(index) || index < 0 || index >= this.total) {
      throw new RangeError(`flow index ${index} is outside 0..${this.total - 1}`);
    }
    const keys: Record<string, string> = {};
    let rest = index;
    for (let k = this.keys.length - 1; k >= 0; k--) {
      const key = this.keys[k]!;
      keys[key.name] = key.paths[rest % key.paths.length]!;
      rest = Math.floor(rest / key.paths.length);
    }
    const ordered: Record<string, string> = {};
    for (const key of this.keys) ordered[key.name] = keys[key.name]!;
    return { index, id: this.id(index), keys: ordered };
  }

  /** Flows lazily, in order, for the given indexes (default: all). */
  *flows(indexes: Iterable<number> = range(0, this.total)): Generator<Flow> {
    for (const index of indexes) yield this.at(index);
  }
}

export function* range(from: number, to: number): Generator<number> {
  for (let i = from; i < to; i++) yield i;
}
