/**
 * No debris after a full disk (issue 21.5): a temporary file whose write failed is removed, and
 * `--resume` removes what earlier attempts left of orchestrator's own temporary files (never
 * following a link, never another live process's).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { expectExit, orchestrate, readJson } from './helpers/cli.js';
import { docProject, scratch } from './helpers/project.js';
import { ResponseCache } from '../src/cache/store.js';

/** Every path under `dir` (links listed, not followed), relative. */
function entries(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const path = join(d, entry.name);
      out.push(relative(dir, path));
      if (entry.isDirectory()) walk(path);
    }
  };
  walk(dir);
  return out;
}

const temporaries = (dir: string): string[] => entries(dir).filter((path) => path.endsWith('.tmp'));

/** A pid no process has now: a child that has ended. */
function deadPid(): number {
  const child = spawnSync('true');
  return child.pid;
}

const isRoot = process.getuid?.() === 0;
const rootOnly = isRoot ? test : test.skip;
if (!isRoot) {
  console.warn('test/disk-full.test.ts: not root, so no tmpfs can be mounted: the real-ENOSPC test is skipped (the leftovers test runs)');
}

rootOnly(
  'a disk that fills mid-run (a real ENOSPC on a small tmpfs) leaves no *.tmp file; once there is room, --resume finishes every flow',
  async () => {
    const disk = scratch();
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=512k', 'tmpfs', disk]);
    try {
      const fill = join(disk, 'fill');
      const once = join(scratch(), 'filled');
      // flow_0002 fills the disk, once: what is written after it (its output, every leaf's result.json,
      // the run's records) finds no room
      const dir = docProject(
        [
          {
            type: 'fill',
            cmd: `if [ "$ORCHESTRATOR_FLOW_ID" = flow_0002 ] && [ ! -e '${once}' ]; then touch '${once}'; head -c 2M /dev/zero > '${fill}' 2>/dev/null; fi; echo ok`,
          },
        ],
        4,
      );
      const out = join(disk, 'out');
      const args = ['--key', 'DOC:docs.list', '--output', out, '--parallel', '1'];
      const full = await orchestrate(dir, args);
      expect(full.code).not.toBe(0);
      expect(existsSync(fill)).toBe(true);
      expect(`${full.stdout}${full.stderr}`).toMatch(/ENOSPC|no space/i);
      expect(temporaries(out)).toEqual([]);

      rmSync(fill);
      const resumed = await orchestrate(dir, [...args, '--resume']);
      expectExit(resumed, 0);
      const results = readJson(join(out, 'run_t', 'results.json'));
      expect(results.flows.map((f: any) => [f.id, f.status])).toEqual([
        ['flow_0001', 'succeeded'],
        ['flow_0002', 'succeeded'],
        ['flow_0003', 'succeeded'],
        ['flow_0004', 'succeeded'],
      ]);
      expect(temporaries(out)).toEqual([]);
    } finally {
      execFileSync('umount', [disk]);
    }
  },
);

rootOnly('the response cache on a full disk: the entry is not written and no temporary file is left', () => {
  const disk = scratch();
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=256k', 'tmpfs', disk]);
  try {
    const cache = new ResponseCache(join(disk, 'cache'));
    try {
      writeFileSync(join(disk, 'fill'), Buffer.alloc(1024 * 1024));
    } catch (error) {
      expect((error as NodeJS.ErrnoException).code).toBe('ENOSPC');
    }
    const key = 'ab'.repeat(32);
    expect(() => cache.write({ key, api: 'responses', response: { output_text: 'x'.repeat(64 * 1024) } })).toThrow(/ENOSPC/);
    expect(entries(join(disk, 'cache'))).toEqual(['v1', join('v1', 'ab')]);
  } finally {
    execFileSync('umount', [disk]);
  }
});

test("--resume removes the temporary files earlier attempts left, of orchestrator's naming only: not a link, not what a link leads to, not a live process's", async () => {
  const marker = join(scratch(), 'fail');
  writeFileSync(marker, '');
  const dir = docProject([{ type: 'edit', cmd: `[ "$ORCHESTRATOR_FLOW_ID" != flow_0002 ] || [ ! -e '${marker}' ] && echo ok` }], 3);
  const first = await orchestrate(dir, ['--key', 'DOC:docs.list']);
  expectExit(first, 1);
  const runDir = first.runDir;
  const dead = deadPid();
  const outside = scratch({ [`x.${dead}.tmp`]: 'outside', 'target.txt': 'outside' });
  const leftovers = [
    `run.json.${dead}.tmp`,
    `results.json.${dead}.tmp`,
    `results.json.${dead}.flows.tmp`,
    `report.html.${dead}.tmp`,
    `.lock-1-of-1.${dead}.tmp`,
    `flow_0002/result.json.${dead}.tmp`,
    `flow_0002/not_started.json.${dead}.tmp`,
  ];
  const stepDir = readdirSync(join(runDir, 'flow_0002'), { withFileTypes: true }).find((e) => e.isDirectory())!.name;
  leftovers.push(`flow_0002/${stepDir}/step.json.${dead}.tmp`);
  // not ours to remove: other names, a live process's (another shard writing now), links
  const kept = ['notes.tmp', 'results.json.tmp', `keep.${dead}.tmp.txt`, `run.json.${process.pid}.tmp`, `flow_0002/notes.${dead}.txt`];
  for (const path of [...leftovers, ...kept]) writeFileSync(join(runDir, path), '');
  symlinkSync(join(outside, 'target.txt'), join(runDir, `link.${dead}.tmp`));
  symlinkSync(outside, join(runDir, 'flow_0002', 'elsewhere'));
  mkdirSync(join(runDir, 'shards'), { recursive: true });
  writeFileSync(join(runDir, 'shards', `1-of-1.json.${dead}.tmp`), '');
  leftovers.push(`shards/1-of-1.json.${dead}.tmp`);

  rmSync(marker);
  const resumed = await orchestrate(dir, ['--key', 'DOC:docs.list', '--resume']);
  expectExit(resumed, 0);
  expect(resumed.results.flows.map((f: any) => f.status)).toEqual(['succeeded', 'succeeded', 'succeeded']);
  expect(leftovers.filter((path) => existsSync(join(runDir, path)))).toEqual([]);
  expect(kept.filter((path) => !existsSync(join(runDir, path)))).toEqual([]);
  expect(lstatSync(join(runDir, `link.${dead}.tmp`)).isSymbolicLink()).toBe(true);
  expect(readFileSync(join(outside, 'target.txt'), 'utf8')).toBe('outside');
  expect(readFileSync(join(outside, `x.${dead}.tmp`), 'utf8')).toBe('outside');
});
