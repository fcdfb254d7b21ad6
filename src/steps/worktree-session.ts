import { join, relative } from 'node:path';
import type { Step } from '../config/types.js';
import { unsafePatchMessage } from './unsafe-patch.js';
import { StepError } from '../errors.js';
import type { TreeWriter } from '../util/files.js';
import { runSetup } from './setup.js';
import { Worktrees, worktreesRoot } from './worktree.js';

/** The files a cmd step in a worktree finds the leaf's changed files in (its step directory). */
export const CHANGED_FILES = 'changed_files.txt';
export const CHANGED_FILES_NUL = 'changed_files.nul';

/** The working tree of one flow or branch with `--isolate worktree`. */
export interface LeafWorktree {
  /** Its git worktree, once a step needed one. */
  path?: string;
  /** The patch of the last step that ran in the parent's worktree (an unmasked copy of its changes.patch): a branch starts from it. */
  inherited?: string;
  /** The same for the last step that ran in this one. */
  patch?: string;
}

export interface WorktreeSessionOptions {
  readonly workdir: string;
  /** `worktree`: codex and cmd steps run in a git worktree of the workdir, one per flow or branch. */
  readonly isolate: 'none' | 'worktree' | undefined;
  readonly runId: string;
  /** --parallel: most worktrees kept for reuse (1 when not given: after steps run alone). */
  readonly parallel?: number;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The config's `setup` command, run in each new worktree. */
  readonly setup: string | undefined;
  readonly timeoutMs: number;
  /** Aborted when the run is interrupted: a running setup command ends. */
  readonly signal: AbortSignal;
  readonly files: TreeWriter;
}

/** Where each step of a run runs: the workdir, or with `--isolate worktree` its leaf's own worktree, whose changes each step saves. */
export class WorktreeSession {
  private readonly worktrees: Worktrees | undefined;

  constructor(private readonly options: WorktreeSessionOptions) {
    this.worktrees =
      options.isolate === 'worktree'
        ? new Worktrees(options.workdir, worktreesRoot(options.env, options.runId), options.parallel)
        : undefined;
  }

  /**
   * Runs `run` in the cwd a codex or cmd step gets in this leaf (`tmpdir`: the worktree's own temp
   * directory), then saves what the worktree holds changed as the step's changes.patch.
   * `name` names the worktree; `stepEnv` and `stepDir` are the step's, for the setup command.
   */
  async runIn<T>(
    step: Step,
    worktree: LeafWorktree,
    at: { name: string; stepDir: string; stepEnv: Readonly<Record<string, string>> },
    run: (cwd: string, tmpdir: string | undefined, changedEnv: Readonly<Record<string, string>>) => Promise<T>,
  ): Promise<T> {
    // without --isolate worktree every step runs in the workdir: no worktree, no patch to save
    if (this.worktrees === undefined) return run(this.options.workdir, undefined, {});
    const cwd = await this.cwdFor(step, worktree, at.name, (dir) => this.setup(dir, at.stepDir, at.stepEnv));
    const isolated = cwd !== this.options.workdir;
    const tmpdir = isolated && worktree.path !== undefined ? this.worktrees?.tmpFor(worktree.path) : undefined;
    let ran = false;
    try {
      const changed = isolated && step.kind === 'cmd' ? await this.changedFiles(worktree, cwd, at.stepDir) : {};
      const result = await run(cwd, tmpdir, changed);
      ran = true;
      return result;
    } finally {
      // the step's own failure, when it failed, says more than a patch that could not be saved
      if (isolated)
        await this.savePatch(worktree, at.stepDir).catch((error: unknown) => {
          if (ran) throw error;
        });
    }
  }

  /** Gives the leaf's worktree back to the pool (reset for the next leaf): it has no step left to run. */
  async close(worktree: LeafWorktree): Promise<void> {
    if (worktree.path !== undefined) await this.worktrees?.release(worktree.path);
    worktree.path = undefined;
  }

  /** Removes every worktree of the run. */
  async removeAll(): Promise<void> {
    await this.worktrees?.removeAll();
  }

  /** The cwd of a codex or cmd step: the workdir, or with `--isolate worktree` this leaf's worktree. */
  private async cwdFor(step: Step, worktree: LeafWorktree, name: string, setup: (dir: string) => Promise<void>): Promise<string> {
    if (this.worktrees === undefined || step.kind === 'openai') return this.options.workdir;
    if (worktree.path === undefined && (step.kind === 'codex' || worktree.inherited !== undefined)) {
      worktree.path = await this.worktrees.create(name, worktree.inherited, this.options.setup === undefined ? undefined : setup);
    }
    return worktree.path === undefined ? this.options.workdir : this.worktrees.workdirIn(worktree.path);
  }

  /**
   * What a cmd step in a leaf's worktree is told of the leaf's changes so far (those of the codex
   * steps before it; not what `setup` left): `ORCHESTRATOR_CHANGED_FILES` names a file in the step
   * directory listing them one per line, `ORCHESTRATOR_CHANGED_FILES_NUL` the same list
   * NUL-separated (a name may hold a newline); paths relative to the step's working directory.
   */
  private async changedFiles(worktree: LeafWorktree, cwd: string, stepDir: string): Promise<Record<string, string>> {
    if (this.worktrees === undefined || worktree.path === undefined) return {};
    const root = worktree.path;
    const names = (await this.worktrees.changed(root)).map((name) => relative(cwd, join(root, name)));
    const lines = join(stepDir, CHANGED_FILES);
    const nul = join(stepDir, CHANGED_FILES_NUL);
    this.options.files.write(lines, names.map((name) => `${name}\n`).join(''));
    this.options.files.write(nul, names.map((name) => `${name}\0`).join(''));
    return { ORCHESTRATOR_CHANGED_FILES: lines, ORCHESTRATOR_CHANGED_FILES_NUL: nul };
  }

  /** Saves what the leaf's worktree holds changed since HEAD as the step's changes.patch. */
  private async savePatch(worktree: LeafWorktree, stepDir: string): Promise<void> {
    if (this.worktrees === undefined || worktree.path === undefined) return;
    const diff = await this.worktrees.diff(worktree.path);
    // a patch is code to apply: a masked one would apply and ship `***`, so none is saved at all
    const secrets = this.options.files.redactor.namesIn(diff);
    if (secrets.length > 0) throw new StepError(unsafePatchMessage(secrets));
    this.options.files.write(join(stepDir, 'changes.patch'), diff);
    worktree.patch = this.worktrees.keep(worktree.path, diff);
  }

  /** The config's `setup` command in a new worktree; `dir` stands for the workdir there. */
  private setup(dir: string, stepDir: string, env: Readonly<Record<string, string>>): Promise<void> {
    const { options } = this;
    return runSetup({
      command: options.setup!,
      cwd: dir,
      workdir: options.workdir,
      env: options.env,
      stepEnv: env,
      dir: stepDir,
      timeoutMs: options.timeoutMs,
      signal: options.signal,
      files: options.files,
    });
  }
}
