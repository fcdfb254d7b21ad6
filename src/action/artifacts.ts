import type { ArtifactClient } from '@actions/artifact';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { recordFiles, type RunArtifactNames } from './records.js';

/**
 * The artifact service's client. @actions/artifact (with the Azure blob SDK and protobuf under it)
 * is most of what the Action's start would load, and only an upload or a download uses it: it is
 * imported here, when a mode is about to use the service, and never statically (the dist layer's
 * action-loads test fails on a static import).
 */
export async function artifactClient(): Promise<ArtifactClient> {
  const { DefaultArtifactClient } = await import('@actions/artifact');
  return new DefaultArtifactClient();
}

/** Whether the service said the artifact is not there (the package is loaded: a client threw `error`). */
async function notFound(error: unknown, message: RegExp): Promise<boolean> {
  const { ArtifactNotFoundError } = await import('@actions/artifact');
  return error instanceof ArtifactNotFoundError || message.test(String(error));
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

/** `12.3 kB`, `4.5 MB`: artifact sizes in the log. */
export function bytes(size: number | undefined): string {
  if (size === undefined) return 'size unknown';
  return size < 1e6 ? `${(size / 1e3).toFixed(1)} kB` : `${(size / 1e6).toFixed(1)} MB`;
}

/** What one upload sent. */
export interface Uploaded {
  readonly name: string;
  readonly files: number;
  readonly size: number | undefined;
}

/**
 * Uploads `files` as one artifact, paths relative to the output directory (so artifacts of several
 * shards unpacked into one folder form one run directory). Artifact names are unique per workflow run, so a
 * re-run of this job first deletes its own earlier artifact.
 */
async function upload(client: ArtifactClient, name: string, files: string[], outputDir: string): Promise<Uploaded> {
  await deleteIfPresent(client, name);
  const response = await client.uploadArtifact(name, files, outputDir, { retentionDays: undefined });
  return { name, files: files.length, size: response.size };
}

/**
 * Uploads a run directory as two artifacts: all of it, then its records (records.ts says which
 * files) for the report job. The records go last, so records present means the run directory was
 * uploaded whole before them.
 */
export async function uploadRun(
  client: ArtifactClient,
  names: RunArtifactNames,
  outputDir: string,
  runDir: string,
): Promise<{ runDir: Uploaded; records: Uploaded }> {
  const files = listFiles(runDir);
  // a re-run whose records upload fails must not leave the earlier attempt's records beside the new run directory
  await deleteIfPresent(client, names.records);
  const whole = await upload(client, names.runDir, files, outputDir);
  const records = await upload(client, names.records, recordFiles(runDir, files), outputDir);
  return { runDir: whole, records };
}

/** Uploads the merged output of `report` (results, records, report.html: no flow directories) as one artifact. */
export function uploadMerged(client: ArtifactClient, name: string, outputDir: string, mergedDir: string): Promise<Uploaded> {
  return upload(client, name, listFiles(mergedDir), outputDir);
}

export async function deleteIfPresent(client: ArtifactClient, name: string): Promise<boolean> {
  try {
    await client.deleteArtifact(name);
    return true;
  } catch (error) {
    if (await notFound(error, /not found|404/i)) return false;
    throw error;
  }
}

/** Downloads this job's artifact from an earlier attempt into the output directory; false when there is none. */
export async function downloadOwn(client: ArtifactClient, name: string, outputDir: string): Promise<boolean> {
  let id: number;
  try {
    id = (await client.getArtifact(name)).artifact.id;
  } catch (error) {
    if (await notFound(error, /not found/i)) return false;
    throw error;
  }
  await client.downloadArtifact(id, { path: outputDir });
  return true;
}
