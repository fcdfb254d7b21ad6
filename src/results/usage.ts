/** Tokens a model call (or a step, a leaf, a run) used, as the APIs report them. */
export interface Usage {
  input_tokens: number;
  output_tokens: number;
}

export const addUsage = (a: Usage, b: Usage | null | undefined): Usage =>
  b ? { input_tokens: a.input_tokens + b.input_tokens, output_tokens: a.output_tokens + b.output_tokens } : a;

export const NO_USAGE: Usage = Object.freeze({ input_tokens: 0, output_tokens: 0 });
