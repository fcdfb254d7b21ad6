import { UsageError } from '../errors.js';

/**
 * Refuses Windows at start, before anything runs: steps run under `sh -c`, are ended by process
 * group (a negative pid) and are found through /proc or `ps`, none of which Windows has. Linux is
 * what is tested; macOS works without the Linux-only guards (see the README's Platforms).
 */
export function refuseUnsupportedPlatform(platform: NodeJS.Platform = process.platform): void {
  if (platform !== 'win32') return;
  throw new UsageError(
    'orchestrator runs on Linux and macOS, not on Windows (platform "win32"): its steps run under `sh -c` and are stopped by process group, which Windows has not. Run it in WSL 2 or a Linux container; in GitHub Actions, use an ubuntu-* or macos-* runner (runs-on).',
  );
}
