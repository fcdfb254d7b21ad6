/** A step's prompt: its template, then a blank line and the previous output when there is one. */
export function assemblePrompt(template: string, previous: string | undefined): string {
  return previous ? `${template}\n\n${previous}` : template;
}

/**
 * What `{{{NAME}}}` becomes in a prompt: the file's contents, followed by its path with
 * `--append-filepath` (as the original script did: trailing newlines dropped, then a newline).
 */
export function promptValue(contents: string, path: string, appendFilepath: boolean): string {
  return appendFilepath ? `${contents.replace(/\n+$/, '')}\n${path}` : contents;
}
