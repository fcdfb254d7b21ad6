/**
 * The config a run directory keeps (`config.json`), so that `orchestrator report` can run the after
 * steps over the merged leaves with nothing else at hand: the config as parsed, with each after
 * step's prompt file replaced by the prompt it read.
 */
export function configCopy(json: unknown, afterTemplates: ReadonlyMap<number, string>): string {
  if (typeof json !== 'object' || json === null || Array.isArray(json) || !Array.isArray((json as { after?: unknown }).after)) {
    return JSON.stringify(json, null, 2) + '\n';
  }
  const config = json as { after: unknown[] };
  const after = config.after.map((raw, i) => {
    const template = afterTemplates.get(i + 1);
    if (template === undefined || typeof raw !== 'object' || raw === null) return raw;
    const { prompt_file: _file, prmpt_file: _seed, ...rest } = raw as Record<string, unknown>;
    return { ...rest, prompt: template };
  });
  return JSON.stringify({ ...config, after }, null, 2) + '\n';
}
