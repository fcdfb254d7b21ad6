/** What a command reads and writes instead of the process's own streams, environment and directory (a test passes its own). */
export interface Io {
  /** `isTTY` and `columns` when it is a terminal (`report` prints text there, Markdown to a pipe). */
  readonly stdout: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  /** `columns` and the `resize` event when it is a terminal. */
  readonly stderr: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
}
