/** What a command reads and writes instead of the process's own streams, environment and directory (a test passes its own). */
export interface Io {
  readonly stdout: NodeJS.WritableStream;
  /** `columns` and the `resize` event when it is a terminal. */
  readonly stderr: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
}
