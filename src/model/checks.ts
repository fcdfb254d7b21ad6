/** The checks a step may carry on its output (config `"checks"`), and what each recorded. */

export const CHECK_TYPES = ['contains', 'not_contains', 'regex', 'json_schema', 'equals', 'cmd', 'rubric'] as const;
export type CheckType = (typeof CHECK_TYPES)[number];

/** One check of a step's output (`"checks": [...]`); `name` is what reports show (its own `name`, else a description). */
export type Check = { readonly name: string } & (
  | { readonly type: 'contains' | 'not_contains'; readonly value: string }
  | { readonly type: 'regex'; readonly value: string; readonly flags: string }
  /** `value`: a JSON Schema of the subset checks/schema.ts knows. */
  | { readonly type: 'json_schema'; readonly value: unknown }
  /** A string: the output with surrounding whitespace trimmed equals it; any other JSON value: the output parsed as JSON equals it. */
  | { readonly type: 'equals'; readonly value: unknown }
  /** A shell command, the output on stdin: exit status 0 passes. */
  | { readonly type: 'cmd'; readonly value: string }
  /** A model-graded rubric: an openai call answering pass or fail and a reason. */
  | { readonly type: 'rubric'; readonly value: string; readonly model: string | undefined; readonly api: 'responses' | 'chat' | undefined }
);

/** What a check found for one leaf (results' `steps[].checks`). */
export interface CheckResult {
  /** The check's name (its `name`, else a description such as `contains "LGTM"`). */
  readonly name: string;
  readonly type: CheckType;
  readonly passed: boolean;
  readonly reason: string;
  /** Not evaluated (a rubric under --offline): counts neither as passed nor as failed. */
  readonly skipped?: true;
}

/** Whether a check failed: it was evaluated (not skipped, as an ungraded rubric is) and did not pass. */
export const checkFailed = (check: Pick<CheckResult, 'passed' | 'skipped'>): boolean => !check.passed && check.skipped !== true;
