/**
 * Fixtures of a test file that clean up after themselves: temporary directories (projects, workspaces,
 * scratch space) and loopback servers. Each is registered when it is made and removed or closed once
 * the file's tests are done, even when a test fails half way: importing this module adds an afterAll
 * that closes the servers first, then removes the directories.
 */
import { readdirSync, rmSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { tempDir } from './cli.js';
import { startFakeOpenAI, type FakeOpenAI, type Handler } from './fake-openai.js';

const dirs: string[] = [];
const servers: { close(): Promise<void> }[] = [];

afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** Registers a directory to be removed after the file's tests; returns it. */
export function track(dir: string): string {
  dirs.push(dir);
  return dir;
}

/** Registers a server to be closed after the file's tests; returns it. */
export function closeAfterAll<T extends { close(): Promise<void> }>(server: T): T {
  servers.push(server);
  return server;
}

/** A fake OpenAI server (see fake-openai.ts), closed after the file's tests. */
export async function fakeOpenAI(handler?: Handler): Promise<FakeOpenAI> {
  return closeAfterAll(await startFakeOpenAI(handler));
}

/** A fresh temporary directory holding `files` (path -> contents), removed after the file's tests. */
export function scratch(files: Record<string, string> = {}): string {
  return track(tempDir(files));
}

/** A project directory: config.json (JSON-encoded unless a string) plus the given files. */
export function project(config: unknown, files: Record<string, string> = {}): string {
  const text = typeof config === 'string' ? config : JSON.stringify(config, null, 2);
  return scratch({ 'config.json': text, ...files });
}

/** `files` plus a key file `listName` listing them, one per line, in the order given. */
export function keyFiles(listName: string, files: Record<string, string>): Record<string, string> {
  return { ...files, [listName]: Object.keys(files).join('\n') + '\n' };
}

/** A project of `flows` flows over the key DOC: key files docs/N.txt holding `doc-N`, listed in docs.list. */
export function docProject(config: unknown, flows: number): string {
  const docs: Record<string, string> = {};
  for (let i = 1; i <= flows; i++) docs[`docs/${i}.txt`] = `doc-${i}`;
  return project(config, keyFiles('docs.list', docs));
}

/** Every file under dir, relative with `/`, sorted. */
export function tree(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const name of readdirSync(d)) {
      const path = join(d, name);
      if (statSync(path).isDirectory()) walk(path);
      else out.push(relative(dir, path).split(sep).join('/'));
    }
  };
  walk(dir);
  return out.sort();
}
