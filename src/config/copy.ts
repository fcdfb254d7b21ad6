/**
 * The config a run directory keeps (`config.json`), so that `orchestrator report` can run the after
 * steps over the merged leaves with nothing else at hand: the config file's text as it is, or, when
 * after steps read prompt files, the config with each of those replaced by the prompt it read.
 */
export function configCopy(text: string, json: unknown, afterTemplates: ReadonlyMap<number, string>): string {
  if (afterTemplates.size === 0 || typeof json !== 'object' || json === null || Array.isArray(json)) return text;
  const config = json as { after?: unknown };
  if (!Array.isArray(config.after)) return text;
  const after = config.after.map((raw: unknown, i) => {
    const template = afterTemplates.get(i + 1);
    if (template === undefined || typeof raw !== 'object' || raw === null) return raw;
    const { prompt_file: _file, prmpt_file: _seed, ...rest } = raw as Record<string, unknown>;
    return { ...rest, prompt: template };
  });
  try {
    return JSON.stringify({ ...config, after }, null, 2) + '\n';
  } catch {
    // a comment (`_…`) nested deeper than the stack: the text as it is (report then needs the prompt files)
    return text;
  }
}
