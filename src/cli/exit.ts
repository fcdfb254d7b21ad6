/** The CLI's exit codes (README "Exit codes"). */
export const EXIT = { ok: 0, failed: 1, usage: 2, sigint: 130, sigterm: 143 } as const;
