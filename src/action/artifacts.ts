import { ArtifactNotFoundError, type ArtifactClient } from '@actions/artifact';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Shard } from '../results/types.js';

/** `<prefix>-<run_id>-shard-<I>-of-<N>`, or `-all` for an unsharded run: no `/`, unique per job. */
export function artifactName(prefix: string, runId: string, shard: Shard | undefined): string {
  return shard === undefined || shard.count === 1 ? `${prefix}-${runId}-all` : `${prefix}-${runId}-shard-${shard.index}-of-${shard.count}`;
}

/** Every file under a directory, recursively (the artifact client needs an explicit list). */
export function listFiles(dir: string): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) files.push(...listFiles(path));
    else if (entry.isFile()) files.push(path);
  }
  return files;
}

/**
 * Uploads the run directory, paths relative to the output directory (so artifacts of several shards
 * unpacked into one folder form one tree). Artifact names are unique per workflow run, so a re-run
 * of this job first deletes its own earlier artifact.
 */
export async function uploadRun(
  client: ArtifactClient,
  name: string,
  outputDir: string,
  runDir: string,
): Promise<{ id: number | undefined; files: number; size: number | undefined }> {
  const files = listFiles(runDir);
  await deleteIfPresent(client, name);
  const response = await client.uploadArtifact(name, files, outputDir, { retentionDays: undefined });
  return { id: response.id, files: files.length, size: response.size };
}

export async function deleteIfPresent(client: ArtifactClient, name: string): Promise<boolean> {
  try {
    await client.deleteArtifact(name);
    return true;
  } catch (error) {
    if (error instanceof ArtifactNotFoundError || /not found|404/i.test(String(error))) return false;
    throw error;
  }
}

/** Downloads this job's artifact from an earlier attempt into the output directory; false when there is none. */
export async function downloadOwn(client: ArtifactClient, name: string, outputDir: string): Promise<boolean> {
  let id: number;
  try {
    id = (await client.getArtifact(name)).artifact.id;
  } catch (error) {
    if (error instanceof ArtifactNotFoundError || /not found/i.test(String(error))) return false;
    throw error;
  }
  await client.downloadArtifact(id, { path: outputDir });
  return true;
}
