import { createRequire as __orchestratorRequire } from 'node:module';
const require = __orchestratorRequire(import.meta.url);
import {
  shelterPrivateEnv
} from "./chunk-QAVFOD36.js";
import {
  BATCHES_DIR,
  OpenDir,
  SafeTree,
  UnsafePathError,
  closeQuietly,
  makeDir,
  makeDirectories,
  openRegular,
  quietly,
  readRegular,
  readTreeFile,
  readUnder,
  refuseForeign,
  temporaryOwner,
  temporaryPath,
  under,
  writeAfresh
} from "./chunk-ZAPD2Q3Y.js";
import {
  ARRAY_OUTPUT_SCHEMA,
  CmdRunner,
  NO_USAGE,
  addUsage,
  childEnv,
  defaultRetryPolicy,
  endRunCgroup,
  formatBytes,
  holdOldGeneration,
  holdYoungGeneration,
  isObject,
  killAllProcessTrees,
  killTagged,
  maxOutputBytes,
  modelRequest,
  processFailure,
  readChatReply,
  readResponsesReply,
  releaseOldGeneration,
  roundUsd,
  runProcess,
  sleep,
  stepEnv,
  tokenCount,
  usageFrom
} from "./chunk-ZNNWXPSJ.js";
import {
  publicEnv
} from "./chunk-5BV6RGVG.js";
import {
  CancelledError,
  OutputError,
  StepError,
  UsageError,
  errorMessage
} from "./chunk-WJ4T7FWF.js";
import {
  addPath,
  getInput,
  group,
  info,
  setFailed,
  setOutput,
  setSecret,
  summary,
  warning
} from "./chunk-IBJ7MDKI.js";
import "./chunk-KXFJ6XOO.js";
import "./chunk-2UVPHNR5.js";
import "./chunk-BNGJJZ4L.js";

// src/action/main.ts
import { existsSync as existsSync11, readFileSync as readFileSync6 } from "node:fs";
import { tmpdir as tmpdir4 } from "node:os";
import { delimiter as delimiter2, join as join48, resolve as resolve16 } from "node:path";

// src/config/parse.ts
import { createHash } from "node:crypto";

// src/util/suggest.ts
function editDistance(a, b) {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost);
    }
    previous = current;
  }
  return previous[b.length];
}
function closest(word, candidates) {
  let best;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const distance = editDistance(word.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return bestDistance <= Math.max(2, Math.floor(word.length / 3)) ? best : void 0;
}
function didYouMean(word, candidates) {
  const hint = closest(word, candidates);
  return hint === void 0 ? "" : ` (did you mean "${hint}"?)`;
}

// src/config/json.ts
function lineColumn(text2, offset) {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text2.length; i++) {
    if (text2[i] === "\n") {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}
function parseJson(text2, file) {
  const body = text2.startsWith("\uFEFF") ? text2.slice(1) : text2;
  try {
    return JSON.parse(body);
  } catch (error) {
    if (error instanceof RangeError) {
      throw new UsageError(`${file}: the JSON is nested too deeply to read`, { cause: error });
    }
    const message2 = error instanceof Error ? error.message : String(error);
    const position = /at position (\d+)/.exec(message2);
    const offset = position ? Number(position[1]) : unexpectedTokenOffset(message2, body) ?? body.length;
    const { line, column } = lineColumn(body, offset);
    const reason = message2.replace(/\s*(in JSON )?at position \d+.*$/s, "").replace(/, (\.\.\.)?".*"(\.\.\.)? is not valid JSON$/s, "").replace(/^JSON\.parse: /, "");
    throw new UsageError(`${file}:${line}:${column}: invalid JSON: ${reason}`, { cause: error });
  }
}
function unexpectedTokenOffset(message2, text2) {
  const match = /^Unexpected token '([\s\S])', (\.\.\.)?"([\s\S]*)"(\.\.\.)? is not valid JSON$/.exec(message2);
  if (!match) return void 0;
  const [, token, before2, quoted2, after] = match;
  if (!before2 && !after) return occurrence(text2, token, 0) ?? 0;
  if (!before2) return quoted2.length - 10;
  if (!after) return text2.length - quoted2.length + 10;
  return occurrence(text2, quoted2, 10);
}
function occurrence(text2, needle, shift) {
  const tokenError = (prefix) => {
    try {
      JSON.parse(prefix);
      return false;
    } catch (error) {
      return /^Unexpected token/.test(error instanceof Error ? error.message : "");
    }
  };
  for (let at = text2.indexOf(needle); at >= 0; at = text2.indexOf(needle, at + 1)) {
    const offset = at + shift;
    if (tokenError(text2.slice(0, offset + 1)) && !tokenError(text2.slice(0, offset))) return offset;
  }
  return void 0;
}

// src/config/prices.ts
var PRICE_FIELDS = ["input", "cached_input", "output"];
var EXAMPLE = '{"input": 1.25, "cached_input": 0.125, "output": 10}';
var MAX_PRICE = 1e4;
function parsePrices(value, file, problems) {
  if (value === void 0) return void 0;
  if (!isObject(value)) {
    problems.push(`${file}: field "prices" must be an object of model names to prices, like {"gpt-5-mini": ${EXAMPLE}}`);
    return void 0;
  }
  const prices = {};
  for (const [model, raw] of Object.entries(value)) {
    if (model.startsWith("_")) continue;
    const where2 = `${file}: prices[${JSON.stringify(model)}]`;
    if (model.trim() === "") {
      problems.push(`${file}: field "prices" has an empty model name: name the model as steps do ("gpt-5-mini")`);
      continue;
    }
    if (!isObject(raw)) {
      problems.push(`${where2} must be an object like ${EXAMPLE} (US dollars per 1M tokens)`);
      continue;
    }
    let ok = true;
    for (const key of Object.keys(raw)) {
      if (!PRICE_FIELDS.includes(key)) {
        problems.push(`${where2}: unknown field "${key}" (a price has "input", "cached_input" and "output", in US dollars per 1M tokens)`);
        ok = false;
      }
    }
    for (const field of PRICE_FIELDS) {
      const price = raw[field];
      if (price === void 0 && field === "cached_input") continue;
      if (typeof price !== "number" || !Number.isFinite(price) || price < 0 || price > MAX_PRICE) {
        const got = price === void 0 ? "it is missing" : `got ${JSON.stringify(price)}`;
        problems.push(`${where2}: field "${field}" must be a number of US dollars per 1M tokens, from 0 to ${MAX_PRICE}; ${got}`);
        ok = false;
      }
    }
    if (!ok) continue;
    const { input, cached_input, output } = raw;
    prices[model] = cached_input === void 0 ? { input, output } : { input, cached_input, output };
  }
  return prices;
}

// src/model/checks.ts
var CHECK_TYPES = ["contains", "not_contains", "regex", "json_schema", "equals", "cmd", "rubric"];
var checkFailed = (check) => !check.passed && check.skipped !== true;

// src/config/types.ts
var SANDBOXES = ["read-only", "workspace-write", "danger-full-access"];
var DEFAULT_MAX_ITEMS = 1e4;
var APIS = ["responses", "chat"];
var MAX_TIMEOUT_S = 7 * 24 * 3600;

// src/config/fields.ts
var CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
var isIgnoredKey = (key) => key === "$schema" || key.startsWith("_");
function describe(value) {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "string") return `the string ${JSON.stringify(value.length > 40 ? value.slice(0, 40) + "\u2026" : value)}`;
  if (typeof value === "object") return "an object";
  return `${typeof value} ${JSON.stringify(value)}`;
}
var fieldChecks = {
  string: (value) => {
    return typeof value === "string" && value.length > 0 ? void 0 : `must be a non-empty string, got ${describe(value)}`;
  },
  /** A step's name or type: shown on the progress line, where a newline or an escape sequence would break or recolour the terminal. */
  label: (value) => {
    const problem = fieldChecks.string(value);
    if (problem !== void 0) return problem;
    return CONTROL.test(value) ? `must not hold a newline, an escape sequence or another control character, got ${describe(value)}` : void 0;
  },
  text: (value) => {
    return typeof value === "string" ? void 0 : `must be a string, got ${describe(value)}`;
  },
  boolean: (value) => {
    return typeof value === "boolean" ? void 0 : `must be true or false, got ${describe(value)}`;
  },
  timeout: (value) => {
    return typeof value === "number" && Number.isFinite(value) && value > 0 && value <= MAX_TIMEOUT_S ? void 0 : `must be a positive number of seconds, at most ${MAX_TIMEOUT_S} (7 days), got ${describe(value)}`;
  },
  count: (value) => {
    return typeof value === "number" && Number.isSafeInteger(value) && value > 0 ? void 0 : `must be a positive whole number, got ${describe(value)}`;
  },
  api: (value) => {
    return typeof value === "string" && APIS.includes(value) ? void 0 : `must be "responses" or "chat", got ${describe(value)}`;
  },
  sandbox: (value) => {
    return typeof value === "string" && SANDBOXES.includes(value) ? void 0 : `must be one of ${SANDBOXES.map((s) => `"${s}"`).join(", ")}, got ${describe(value)}`;
  }
};
var STEP_FIELDS = [
  "type",
  "name",
  "prompt",
  "prmpt_file",
  "prompt_file",
  "cmd",
  "array",
  "max_items",
  "model",
  "api",
  "timeout",
  "sandbox",
  "checks"
];
var DEFAULT_FIELDS = ["model", "api", "timeout", "sandbox"];
var TOP_FIELDS = ["steps", "after", "setup", "prices", "commit_message", "checks_fail", ...DEFAULT_FIELDS];
var FIELD_CHECK = {
  type: fieldChecks.label,
  name: fieldChecks.label,
  prompt: fieldChecks.text,
  prmpt_file: fieldChecks.string,
  prompt_file: fieldChecks.string,
  cmd: fieldChecks.string,
  array: fieldChecks.boolean,
  max_items: fieldChecks.count,
  model: fieldChecks.string,
  api: fieldChecks.api,
  timeout: fieldChecks.timeout,
  sandbox: fieldChecks.sandbox,
  checks: (value) => Array.isArray(value) ? void 0 : `must be an array of checks like [{"type": "contains", "value": "LGTM"}], got ${describe(value)}`,
  setup: fieldChecks.string,
  checks_fail: fieldChecks.boolean,
  commit_message: fieldChecks.string,
  after: (value) => Array.isArray(value) ? void 0 : `must be an array of steps, got ${describe(value)}`
};
function stepWhere(file, index, label, list2 = "steps") {
  return `${file}: ${list2 === "after" ? "after step" : "step"} ${index}${label === void 0 ? "" : ` (${JSON.stringify(label)})`}`;
}
function optionHint(key, hints) {
  const spellings = (o) => {
    const bare = o.flag.replace(/^--/, "");
    return [bare, bare.replaceAll("-", "_"), ...o.input === void 0 ? [] : [o.input]];
  };
  const options = hints.options ?? [];
  const word = closest(key, options.flatMap(spellings));
  const option2 = word === void 0 ? void 0 : options.find((o) => spellings(o).includes(word));
  if (option2 === void 0) return "";
  const where2 = option2.input === void 0 ? "on the command line" : `on the command line, or as the Action's input "${option2.input}"`;
  return ` (did you mean the option ${option2.flag}? It is given ${where2}, not in the config)`;
}
function checkFields(raw, allowed, where2, problems, hints = {}) {
  let ok = true;
  for (const [key, value] of Object.entries(raw)) {
    if (isIgnoredKey(key)) continue;
    if (!allowed.includes(key)) {
      const near = didYouMean(key, allowed);
      const hint = key === "setup" || key === "after" ? ` (${key} is a field of the config, next to "steps": {"${key}": ${key === "setup" ? '"..."' : "[...]"}, "steps": [...]})` : near !== "" ? near : optionHint(key, hints);
      problems.push(`${where2}: unknown field "${key}"${hint}`);
      ok = false;
      continue;
    }
    const problem = FIELD_CHECK[key]?.(value);
    if (problem !== void 0) {
      problems.push(`${where2}: field "${key}" ${problem}`);
      ok = false;
    }
  }
  return ok;
}

// src/checks/schema.ts
var TYPES = ["object", "array", "string", "number", "integer", "boolean", "null"];
var ANNOTATIONS = ["title", "description", "$schema", "$comment"];
var COUNTS = ["minItems", "maxItems", "minLength", "maxLength"];
var KEYWORDS = [
  "type",
  "properties",
  "required",
  "additionalProperties",
  "items",
  "enum",
  "const",
  "minimum",
  "maximum",
  "pattern",
  ...COUNTS,
  ...ANNOTATIONS
];
function schemaProblems(schema, at = "") {
  if (typeof schema === "boolean") return [];
  if (!isObject(schema)) return [`${at || "/"}: a schema must be an object (or true/false)`];
  const problems = [];
  for (const [key, value] of Object.entries(schema)) {
    const here = `${at}/${key}`;
    if (!KEYWORDS.includes(key))
      problems.push(`${here}: keyword "${key}" is not supported (supported: ${KEYWORDS.slice(0, -4).join(", ")})`);
    else if (key === "type") {
      const types = Array.isArray(value) ? value : [value];
      if (types.length === 0 || !types.every((t) => TYPES.includes(t)))
        problems.push(`${here}: must be one of ${TYPES.join(", ")} (or a list of them)`);
    } else if (key === "properties") {
      if (!isObject(value)) problems.push(`${here}: must be an object of property schemas`);
      else for (const [name, sub] of Object.entries(value)) problems.push(...schemaProblems(sub, `${here}/${name}`));
    } else if (key === "items" || key === "additionalProperties") problems.push(...schemaProblems(value, here));
    else if (key === "required" && !(Array.isArray(value) && value.every((v) => typeof v === "string")))
      problems.push(`${here}: must be a list of property names`);
    else if (key === "enum" && !Array.isArray(value)) problems.push(`${here}: must be a list of values`);
    else if (COUNTS.includes(key) && !(Number.isSafeInteger(value) && value >= 0))
      problems.push(`${here}: must be a whole number, 0 or more`);
    else if ((key === "minimum" || key === "maximum") && typeof value !== "number") problems.push(`${here}: must be a number`);
    else if (key === "pattern") {
      if (typeof value !== "string") problems.push(`${here}: must be a regular expression as a string`);
      else {
        try {
          new RegExp(value, "u");
        } catch (error) {
          problems.push(`${here}: not a regular expression: ${error.message}`);
        }
      }
    }
  }
  return problems;
}
var typeOf = (value) => value === null ? "null" : Array.isArray(value) ? "array" : typeof value === "number" ? "number" : typeof value;
function jsonEqual(a, b) {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((item, i) => jsonEqual(item, b[i]));
  }
  if (!isObject(a) || !isObject(b)) return false;
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((key) => Object.hasOwn(b, key) && jsonEqual(a[key], b[key]));
}
var short = (value) => {
  const text2 = JSON.stringify(value) ?? String(value);
  return text2.length > 60 ? `${text2.slice(0, 60)}\u2026` : text2;
};
function matchesType(value, type) {
  if (type === "integer") return Number.isInteger(value);
  return typeOf(value) === type;
}
function schemaViolation(schema, value, at = "") {
  if (schema === true) return void 0;
  if (schema === false) return `${at || "/"}: no value is allowed here`;
  const s = schema;
  const where2 = at || "/";
  if (s.type !== void 0) {
    const types = Array.isArray(s.type) ? s.type : [s.type];
    if (!types.some((t) => matchesType(value, t))) return `${where2}: expected ${types.join(" or ")}, got ${typeOf(value)}`;
  }
  if (s.const !== void 0 && !jsonEqual(value, s.const)) return `${where2}: expected ${short(s.const)}, got ${short(value)}`;
  if (Array.isArray(s.enum) && !s.enum.some((v) => jsonEqual(v, value)))
    return `${where2}: expected one of ${short(s.enum)}, got ${short(value)}`;
  if (typeof value === "string") return stringViolation(s, value, where2);
  if (typeof value === "number") return numberViolation(s, value, where2);
  if (Array.isArray(value)) return arrayViolation(s, value, at);
  if (isObject(value)) return objectViolation(s, value, at);
  return void 0;
}
function stringViolation(s, value, where2) {
  const length2 = [...value].length;
  if (typeof s.minLength === "number" && length2 < s.minLength) return `${where2}: shorter than ${s.minLength} characters`;
  if (typeof s.maxLength === "number" && length2 > s.maxLength) return `${where2}: longer than ${s.maxLength} characters`;
  if (typeof s.pattern === "string" && !new RegExp(s.pattern, "u").test(value)) return `${where2}: does not match ${s.pattern}`;
  return void 0;
}
function numberViolation(s, value, where2) {
  if (typeof s.minimum === "number" && value < s.minimum) return `${where2}: ${value} is less than ${s.minimum}`;
  if (typeof s.maximum === "number" && value > s.maximum) return `${where2}: ${value} is more than ${s.maximum}`;
  return void 0;
}
function arrayViolation(s, value, at) {
  const where2 = at || "/";
  if (typeof s.minItems === "number" && value.length < s.minItems) return `${where2}: fewer than ${s.minItems} items`;
  if (typeof s.maxItems === "number" && value.length > s.maxItems) return `${where2}: more than ${s.maxItems} items`;
  if (s.items === void 0) return void 0;
  for (const [i, item] of value.entries()) {
    const problem = schemaViolation(s.items, item, `${at}/${i}`);
    if (problem !== void 0) return problem;
  }
  return void 0;
}
function objectViolation(s, value, at) {
  const missing = (s.required ?? []).find((name) => !Object.hasOwn(value, name));
  if (missing !== void 0) return `${at || "/"}: missing property ${JSON.stringify(missing)}`;
  const properties = s.properties ?? {};
  for (const [name, item] of Object.entries(value)) {
    const sub = Object.hasOwn(properties, name) ? properties[name] : s.additionalProperties;
    if (sub === void 0) continue;
    if (sub === false && !Object.hasOwn(properties, name)) return `${at || "/"}: property ${JSON.stringify(name)} is not allowed`;
    const problem = schemaViolation(sub, item, `${at}/${name}`);
    if (problem !== void 0) return problem;
  }
  return void 0;
}

// src/checks/evaluate.ts
var isPureCheck = (check) => check.type !== "cmd" && check.type !== "rubric";
function parseJsonOutput(output) {
  const text2 = output.trim();
  const fenced = /^```(?:json)?[ \t]*\n([\s\S]*?)\n?```$/i.exec(text2);
  try {
    return { value: JSON.parse(fenced ? fenced[1] : text2) };
  } catch {
    return void 0;
  }
}
var quote = (text2) => JSON.stringify(text2.length > 60 ? `${text2.slice(0, 60)}\u2026` : text2);
function describeCheck(check) {
  switch (check.type) {
    case "contains":
    case "not_contains":
    case "cmd":
    case "rubric":
      return `${check.type} ${quote(check.value)}`;
    case "regex":
      return `regex ${quote(check.value)}`;
    case "json_schema":
      return "json_schema";
    case "equals":
      return `equals ${quote(typeof check.value === "string" ? check.value : JSON.stringify(check.value))}`;
  }
}
function evaluateCheck(check, output) {
  switch (check.type) {
    case "contains":
      return output.includes(check.value) ? { passed: true, reason: `the output contains ${quote(check.value)}` } : { passed: false, reason: `the output does not contain ${quote(check.value)}` };
    case "not_contains":
      return output.includes(check.value) ? { passed: false, reason: `the output contains ${quote(check.value)}` } : { passed: true, reason: `the output does not contain ${quote(check.value)}` };
    case "regex": {
      const match = new RegExp(check.value, check.flags).exec(output);
      return match ? { passed: true, reason: `matched ${quote(match[0])}` } : { passed: false, reason: `no match for /${check.value}/${check.flags}` };
    }
    case "json_schema": {
      const parsed = parseJsonOutput(output);
      if (parsed === void 0) return { passed: false, reason: "the output is not JSON (nor one ```json block holding JSON)" };
      const problem = schemaViolation(check.value, parsed.value);
      return problem === void 0 ? { passed: true, reason: "the output conforms to the schema" } : { passed: false, reason: problem };
    }
    case "equals":
      return equals(check.value, output);
  }
}
function equals(expected2, output) {
  if (typeof expected2 === "string") {
    return output.trim() === expected2.trim() ? { passed: true, reason: "the output equals the expected text" } : { passed: false, reason: `the output ${quote(output.trim())} is not ${quote(expected2.trim())}` };
  }
  const parsed = parseJsonOutput(output);
  if (parsed === void 0) return { passed: false, reason: "the output is not JSON, so it cannot equal the expected JSON value" };
  return jsonEqual(parsed.value, expected2) ? { passed: true, reason: "the output equals the expected JSON value" } : { passed: false, reason: `the output ${quote(JSON.stringify(parsed.value))} is not ${quote(JSON.stringify(expected2))}` };
}

// src/config/checks.ts
var COMMON = ["type", "value", "name"];
var EXTRA = {
  contains: [],
  not_contains: [],
  regex: ["flags"],
  json_schema: [],
  equals: [],
  cmd: [],
  rubric: ["model", "api"]
};
var EXAMPLE2 = '{"type": "contains", "value": "LGTM"}';
var REGEX_FLAGS = /^[imsu]*$/;
function valueProblem(type, value) {
  if (value === void 0) return 'missing field "value"';
  if (type === "json_schema") {
    const problems = schemaProblems(value);
    return problems.length === 0 ? void 0 : `field "value" is not a JSON Schema this check takes: ${problems.join("; ")}`;
  }
  if (type === "equals") return typeof value === "string" || value !== null ? void 0 : 'field "value" must not be null';
  const problem = fieldChecks.string(value);
  if (problem !== void 0) return `field "value" ${problem}`;
  if ((type === "cmd" || type === "rubric") && value.includes("{{{"))
    return `field "value" holds a placeholder ({{{...}}}): checks get the step's output only (on stdin for cmd, after the rubric for rubric), placeholders are not filled in`;
  if (type === "regex") {
    try {
      new RegExp(value);
    } catch (error) {
      return `field "value" is not a regular expression: ${error.message}`;
    }
  }
  return void 0;
}
function extraProblems(type, raw) {
  const problems = [];
  if (raw.name !== void 0 && fieldChecks.label(raw.name) !== void 0) problems.push(`field "name" ${fieldChecks.label(raw.name)}`);
  if (raw.flags !== void 0 && !(typeof raw.flags === "string" && REGEX_FLAGS.test(raw.flags)))
    problems.push(`field "flags" must be some of the regular expression flags "imsu", got ${describe(raw.flags)}`);
  if (raw.model !== void 0 && fieldChecks.string(raw.model) !== void 0)
    problems.push(`field "model" ${fieldChecks.string(raw.model)}`);
  if (raw.api !== void 0 && fieldChecks.api(raw.api) !== void 0) problems.push(`field "api" ${fieldChecks.api(raw.api)}`);
  for (const key of Object.keys(raw)) {
    if (isIgnoredKey(key) || COMMON.includes(key) || EXTRA[type].includes(key)) continue;
    const owners = CHECK_TYPES.filter((t) => EXTRA[t].includes(key));
    problems.push(
      owners.length > 0 ? `field "${key}" applies to ${owners.join(", ")} checks only (remove it)` : `unknown field "${key}"${didYouMean(key, [...COMMON, ...new Set(Object.values(EXTRA).flat())])}`
    );
  }
  return problems;
}
function parseCheck(raw, defaults) {
  if (!isObject(raw)) return [`must be an object like ${EXAMPLE2}, got ${describe(raw)}`];
  const type = raw.type;
  if (typeof type !== "string" || !CHECK_TYPES.includes(type)) {
    const near = typeof type === "string" ? didYouMean(type, CHECK_TYPES) : "";
    return [
      type === void 0 ? `missing field "type" (one of ${CHECK_TYPES.join(", ")})` : `field "type" must be one of ${CHECK_TYPES.join(", ")}, got ${describe(type)}${near}`
    ];
  }
  const kind2 = type;
  const value = valueProblem(kind2, raw.value);
  const problems = [...value === void 0 ? [] : [value], ...extraProblems(kind2, raw)];
  if (problems.length > 0) return problems;
  const body = {
    type: kind2,
    value: raw.value,
    ...kind2 === "regex" ? { flags: raw.flags ?? "" } : {},
    ...kind2 === "rubric" ? { model: raw.model ?? defaults.model, api: raw.api ?? defaults.api } : {}
  };
  return { name: raw.name ?? describeCheck(body), ...body };
}
function parseChecks(raw, where2, defaults, problems) {
  const checks = [];
  let ok = true;
  for (const [i, item] of raw.entries()) {
    const parsed = parseCheck(item, defaults);
    if (Array.isArray(parsed)) {
      const type = isObject(item) && typeof item.type === "string" ? ` (${JSON.stringify(item.type)})` : "";
      for (const problem of parsed) problems.push(`${where2}: check ${i + 1}${type}: ${problem}`);
      ok = false;
    } else checks.push(parsed);
  }
  return ok ? checks : void 0;
}
var callsModel = (step2) => step2.kind === "openai" || (step2.checks ?? []).some((c) => c.type === "rubric");
function rubricStep(step2, check, prompt) {
  return {
    index: step2.index,
    kind: "openai",
    type: "openai",
    name: check.name,
    label: check.name,
    prompt: { kind: "inline", text: prompt },
    array: false,
    maxItems: void 0,
    model: check.model,
    api: check.api,
    timeout: step2.timeout,
    sandbox: void 0
  };
}
function checkCmdStep(step2, check) {
  return {
    index: step2.index,
    kind: "cmd",
    type: "check",
    name: check.name,
    label: check.name,
    cmd: check.value,
    array: false,
    maxItems: void 0,
    model: void 0,
    api: void 0,
    timeout: step2.timeout,
    sandbox: void 0
  };
}

// src/config/step.ts
var MODEL_TYPES = ["openai", "codex"];
var PROMPT_FIELDS = ["prompt", "prmpt_file", "prompt_file"];
var rawLabel = (raw) => typeof raw.name === "string" ? raw.name : typeof raw.type === "string" ? raw.type : void 0;
function misplacedField(raw, list2) {
  if (list2 === "after") {
    const perLeaf = ["array", "max_items"].find((f) => raw[f] !== void 0);
    if (perLeaf !== void 0)
      return `field "${perLeaf}" does not apply to after steps: they run once over all leaves, and cannot split into branches (remove it)`;
  }
  if (list2 === "after" && raw.checks !== void 0)
    return `field "checks" does not apply to after steps: checks judge each leaf's output (put them on a step of "steps")`;
  if (raw.max_items !== void 0 && raw.array !== true)
    return 'field "max_items" caps the elements of an "array": true step; this step has no "array": true (add it, or remove "max_items")';
  return void 0;
}
function cmdProblem(raw, promptFields) {
  if (promptFields.length > 0)
    return `a cmd step takes no prompt, but it sets "${promptFields.join('" and "')}" (remove it, or remove "cmd")`;
  const field = ["model", "api", "sandbox"].find((f) => raw[f] !== void 0);
  return field === void 0 ? void 0 : `field "${field}" does not apply to a cmd step (remove it)`;
}
function modelProblem(raw, kind2, promptFields) {
  if (promptFields.length === 0) return 'missing prompt: set one of "prompt", "prompt_file" or "prmpt_file"';
  if (promptFields.length > 1) return `set only one of "prompt", "prompt_file" and "prmpt_file", not "${promptFields.join('" and "')}"`;
  if (kind2 === "openai" && raw.sandbox !== void 0) return 'field "sandbox" applies to codex steps only (remove it)';
  if (kind2 === "codex" && raw.api !== void 0) return 'field "api" applies to openai steps only (remove it)';
  return void 0;
}
function stepKind(raw, type, promptFields) {
  if (raw.cmd !== void 0) {
    const problem = cmdProblem(raw, promptFields);
    return problem === void 0 ? { kind: "cmd" } : { problem };
  }
  if (type === void 0) return { problem: 'missing field "type" (one of "openai", "codex"), or a "cmd" to run' };
  if (type === "openai" || type === "codex") {
    const problem = modelProblem(raw, type, promptFields);
    return problem === void 0 ? { kind: type } : { problem };
  }
  return {
    problem: `unknown type ${JSON.stringify(type)}${didYouMean(type, MODEL_TYPES)}: use "openai" or "codex", or add a "cmd" to run a shell command`
  };
}
function buildStep(raw, index, kind2, type, promptFields, defaults, checks) {
  const name = raw.name;
  const head = { type, name, label: name ?? type };
  const rest = {
    array: raw.array === true,
    maxItems: raw.array === true ? raw.max_items ?? DEFAULT_MAX_ITEMS : void 0,
    model: kind2 === "cmd" ? void 0 : raw.model ?? defaults.model,
    api: kind2 === "openai" ? raw.api ?? defaults.api : void 0,
    timeout: raw.timeout ?? defaults.timeout,
    sandbox: kind2 === "codex" ? raw.sandbox ?? defaults.sandbox : void 0,
    // last, and only when set: a config without checks keeps the hash it had
    ...checks === void 0 ? {} : { checks }
  };
  if (kind2 === "cmd") return { index, kind: kind2, ...head, cmd: raw.cmd, ...rest };
  const promptField = promptFields[0];
  const prompt = promptField === "prompt" ? { kind: "inline", text: raw.prompt } : { kind: "file", path: raw[promptField] };
  return { index, kind: kind2, ...head, prompt, ...rest };
}
function parseStep(raw, index, file, defaults, problems, list2) {
  if (!isObject(raw)) {
    problems.push(
      `${stepWhere(file, index, void 0, list2)}: must be an object like {"type": "openai", "prompt": "..."}, got ${describe(raw)}`
    );
    return void 0;
  }
  const where2 = stepWhere(file, index, rawLabel(raw), list2);
  if (!checkFields(raw, STEP_FIELDS, where2, problems)) return void 0;
  const misplaced = misplacedField(raw, list2);
  if (misplaced !== void 0) {
    problems.push(`${where2}: ${misplaced}`);
    return void 0;
  }
  const promptFields = PROMPT_FIELDS.filter((f) => raw[f] !== void 0);
  const type = raw.type ?? (raw.cmd !== void 0 ? "cmd" : void 0);
  const decided = stepKind(raw, type, promptFields);
  if ("problem" in decided) problems.push(`${where2}: ${decided.problem}`);
  const checks = raw.checks === void 0 ? void 0 : parseChecks(raw.checks, where2, defaults, problems);
  if ("problem" in decided || raw.checks !== void 0 && checks === void 0) return void 0;
  return buildStep(raw, index, decided.kind, type, promptFields, defaults, checks);
}

// src/config/parse.ts
function hashSteps(steps, setup) {
  return createHash("sha256").update(JSON.stringify(setup === void 0 ? steps : { steps, setup })).digest("hex");
}
function hashWhole(config) {
  const { steps, setup, after, prices } = config;
  return createHash("sha256").update(JSON.stringify({ steps, setup: setup ?? null, after, prices: prices ?? null })).digest("hex");
}
function parseConfigLenient(text2, file, hints = {}) {
  const json = parseJson(text2, file);
  const problems = [];
  let rawSteps;
  let defaults = {};
  let setup;
  let rawAfter = [];
  let prices;
  let commitMessage2;
  let checksFail = true;
  if (Array.isArray(json)) {
    rawSteps = json;
  } else if (isObject(json)) {
    checkFields(json, TOP_FIELDS, file, problems, hints);
    const valid = (field) => json[field] !== void 0 && FIELD_CHECK[field](json[field]) === void 0;
    rawSteps = json.steps;
    defaults = Object.fromEntries(DEFAULT_FIELDS.filter(valid).map((field) => [field, json[field]]));
    setup = valid("setup") ? json.setup : void 0;
    rawAfter = valid("after") ? json.after : [];
    prices = parsePrices(json.prices, file, problems);
    commitMessage2 = valid("commit_message") ? json.commit_message : void 0;
    checksFail = json.checks_fail !== false;
    if (rawSteps === void 0) {
      const misspelt = Object.keys(json).some((key) => !TOP_FIELDS.some((field) => field === key) && closest(key, ["steps"]) !== void 0);
      throw new UsageError(misspelt ? problems : [...problems, `${file}: missing field "steps" (the list of steps to run)`]);
    }
    if (!Array.isArray(rawSteps))
      throw new UsageError([...problems, `${file}: field "steps" must be an array of steps, got ${describe(rawSteps)}`]);
  } else {
    throw new UsageError(`${file}: the config must be a JSON array of steps or an object with "steps", got ${describe(json)}`);
  }
  if (rawSteps.length === 0) throw new UsageError([...problems, `${file}: the config has no steps; add at least one`]);
  const parseList = (list2, name) => list2.map((raw, i) => parseStep(raw, i + 1, file, defaults, problems, name)).filter((step2) => step2 !== void 0);
  const steps = parseList(rawSteps, "steps");
  const after = parseList(rawAfter, "after");
  const parts = { steps, after, setup, prices };
  return {
    config: { file, ...parts, commitMessage: commitMessage2, checksFail, hash: hashSteps(steps, setup), fullHash: hashWhole(parts) },
    problems,
    json
  };
}
function parseConfig(text2, file) {
  const { config, problems } = parseConfigLenient(text2, file);
  if (problems.length > 0) throw new UsageError(problems);
  return config;
}

// src/flows/flows.ts
function flowId(index, total) {
  return `flow_${String(index + 1).padStart(Math.max(4, String(total).length), "0")}`;
}
var FlowSpace = class {
  constructor(keys) {
    this.keys = keys;
    this.total = keys.reduce((product, key) => product * key.paths.length, 1);
  }
  keys;
  total;
  id(index) {
    return flowId(index, this.total);
  }
  /** The flow at a 0-based index: the first key varies slowest. */
  at(index) {
    if (!Number.isInteger(index) || index < 0 || index >= this.total) {
      throw new RangeError(`flow index ${index} is outside 0..${this.total - 1}`);
    }
    const keys = {};
    let rest = index;
    for (let k = this.keys.length - 1; k >= 0; k--) {
      const key = this.keys[k];
      keys[key.name] = key.paths[rest % key.paths.length];
      rest = Math.floor(rest / key.paths.length);
    }
    const ordered = {};
    for (const key of this.keys) ordered[key.name] = keys[key.name];
    return { index, id: this.id(index), keys: ordered };
  }
  /** Flows lazily, in order, for the given indexes (default: all). */
  *flows(indexes = range(0, this.total)) {
    for (const index of indexes) yield this.at(index);
  }
};
function* range(from, to) {
  for (let i = from; i < to; i++) yield i;
}

// src/engine/prepare.ts
import { join as join6, resolve as resolve6 } from "node:path";

// src/flows/keys.ts
import { createHash as createHash2 } from "node:crypto";
import { dirname, isAbsolute as isAbsolute2, join, resolve } from "node:path";

// src/prompt/placeholders.ts
var KEY_NAME = /^[A-Za-z0-9_.-]+$/;
var PLACEHOLDER = /\{\{\{([A-Za-z0-9_.-]+)(:path)?\}\}\}/g;
var NEAR_PLACEHOLDER = /\{\{\{?\s*([A-Za-z0-9_.-]+)(:path)?\s*\}\}?\}/g;
var EXACT_PLACEHOLDER = /^\{\{\{[A-Za-z0-9_.-]+(:path)?\}\}\}$/;
var UNKNOWN_FIELD = /\{\{\{([A-Za-z0-9_.-]+):([^{}]*)\}\}\}/g;
function findPlaceholders(text2) {
  return Array.from(text2.matchAll(PLACEHOLDER), (m) => ({
    name: m[1],
    field: m[2] === void 0 ? "contents" : "path",
    text: m[0],
    start: m.index,
    end: m.index + m[0].length
  }));
}
function placeholderNames(text2) {
  return [...new Set(findPlaceholders(text2).map((p) => p.name))];
}
function unknownPlaceholderFields(text2) {
  return [...new Set(Array.from(text2.matchAll(UNKNOWN_FIELD), (m) => m[0]).filter((whole) => !whole.endsWith(":path}}}")))];
}
function nearPlaceholders(text2, names) {
  const found = /* @__PURE__ */ new Map();
  for (const m of text2.matchAll(NEAR_PLACEHOLDER)) {
    if (EXACT_PLACEHOLDER.test(m[0]) || !names.has(m[1])) continue;
    found.set(m[0], `{{{${m[1]}${m[2] ?? ""}}}}`);
  }
  return [...found].map(([written, meant]) => ({ written, meant }));
}
function fillPlaceholders(text2, value) {
  const parts = compiled(text2);
  let filled = parts[0];
  for (let i = 1; i < parts.length; i += 2) {
    const placeholder = parts[i];
    filled += (value(placeholder.name, placeholder.field) ?? placeholder.text) + parts[i + 1];
  }
  return filled;
}
var COMPILED = /* @__PURE__ */ new Map();
var COMPILED_KEPT = 64;
var COMPILED_CHARS = 64 * 1024;
function compiled(text2) {
  const parts = COMPILED.get(text2);
  if (parts !== void 0) return parts;
  const split = [];
  let at = 0;
  for (const placeholder of findPlaceholders(text2)) {
    split.push(text2.slice(at, placeholder.start), placeholder);
    at = placeholder.end;
  }
  split.push(text2.slice(at));
  if (text2.length > COMPILED_CHARS) return split;
  if (COMPILED.size >= COMPILED_KEPT) COMPILED.clear();
  COMPILED.set(text2, split);
  return split;
}
function parseRef(ref) {
  return ref.endsWith(":path") ? { name: ref.slice(0, -":path".length), field: "path" } : { name: ref, field: "contents" };
}

// src/util/input-file.ts
import {
  accessSync,
  closeSync,
  constants,
  fstatSync,
  openSync,
  readFileSync,
  readlinkSync,
  readSync,
  realpathSync,
  statSync
} from "node:fs";
import { isAbsolute, relative } from "node:path";
var InputFileError = class extends Error {
  constructor(path, problem, options) {
    super(`${JSON.stringify(path)} ${problem}`, options);
    this.path = path;
    this.problem = problem;
    this.name = "InputFileError";
  }
  path;
  problem;
};
var MAX_PIPE_BYTES = 256 * 1024 * 1024;
var PIPE_PATH = /^\/(dev\/fd\/\d+|proc\/self\/fd\/\d+|dev\/stdin)$/;
var KERNEL_FS = /^\/(proc|sys)(\/|$)/;
function kind(stats) {
  if (stats.isFile()) return void 0;
  if (stats.isDirectory()) return "is a directory, not a file";
  if (stats.isFIFO()) return "is a named pipe (FIFO), not a regular file: reading it would wait for a writer";
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return "is a device (like /dev/zero), not a regular file";
  if (stats.isSocket()) return "is a socket, not a regular file";
  return "is not a regular file";
}
function errnoProblem(error) {
  const code = error.code;
  if (code === "ENOENT") return "does not exist";
  if (code === "EACCES" || code === "EPERM") return "is not readable (permission denied)";
  if (code === "ELOOP") return "is a symbolic link that loops";
  if (code === "ENOTDIR") return "does not exist (a part of its path is a file, not a directory)";
  if (code === "ENAMETOOLONG") return "has a name too long for the file system";
  return `cannot be read (${code ?? String(error)})`;
}
var realRoots = /* @__PURE__ */ new Map();
function placeProblem(real, rules) {
  if (KERNEL_FS.test(real)) return `is (or links to) ${real}, a file of the kernel's ${real.split("/")[1]} file system, not a regular file`;
  if (rules.confineTo === void 0) return void 0;
  let root = realRoots.get(rules.confineTo);
  if (root === void 0) {
    root = realpathSync.native(rules.confineTo);
    realRoots.set(rules.confineTo, root);
  }
  const inside = relative(root, real);
  if (inside === "" || inside.startsWith("..") || isAbsolute(inside)) {
    return `is (or links to) ${real}, outside the workspace ${root}: only files of the workspace are read`;
  }
  return void 0;
}
function isPipePath(path, stats, rules) {
  return rules.pipes === true && PIPE_PATH.test(path) && (stats.isFIFO() || stats.isSocket());
}
function inputFileProblem(path, rules = {}) {
  try {
    const stats = statSync(path);
    if (isPipePath(path, stats, rules)) return void 0;
    const problem = kind(stats) ?? placeProblem(realpathSync.native(path), rules);
    if (problem === void 0) accessSync(path, constants.R_OK);
    return problem;
  } catch (error) {
    return errnoProblem(error);
  }
}
function readPipe(fd, path) {
  const chunks = [];
  let total = 0;
  for (; ; ) {
    const chunk = Buffer.allocUnsafe(1 << 16);
    const n = readSync(fd, chunk, 0, chunk.length, null);
    if (n === 0) return Buffer.concat(chunks, total);
    total += n;
    if (total > MAX_PIPE_BYTES) throw new InputFileError(path, `gave more than ${MAX_PIPE_BYTES / 1024 / 1024} MiB; write it to a file`);
    chunks.push(chunk.subarray(0, n));
  }
}
var INPUT_FLAGS = constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY;
function readInputFile(path, rules = {}) {
  let fd;
  try {
    fd = openSync(path, INPUT_FLAGS);
  } catch (error) {
    throw new InputFileError(path, errnoProblem(error), { cause: error });
  }
  try {
    const stats = fstatSync(fd);
    if (isPipePath(path, stats, rules)) {
      closeSync(fd);
      fd = -1;
      fd = openSync(path, constants.O_RDONLY);
      return readPipe(fd, path);
    }
    const problem = kind(stats) ?? placeProblem(openedPath(fd, path), rules);
    if (problem !== void 0) throw new InputFileError(path, problem);
    return readFileSync(fd);
  } catch (error) {
    if (error instanceof InputFileError) throw error;
    throw new InputFileError(path, errnoProblem(error), { cause: error });
  } finally {
    if (fd >= 0) closeSync(fd);
  }
}
function openedPath(fd, path) {
  try {
    return readlinkSync(`/proc/self/fd/${fd}`);
  } catch {
    return realpathSync.native(path);
  }
}
var inputFileMessage = (what, path, problem) => `${what} ${JSON.stringify(path)} ${problem}`;
function tryReadInputFile(path, rules = {}) {
  try {
    return { bytes: readInputFile(path, rules) };
  } catch (error) {
    if (!(error instanceof InputFileError)) throw error;
    return { problem: error.problem };
  }
}

// src/flows/keys.ts
var keyFlag = (key) => key.kind === "values" ? "--values" : "--key";
var listed = (kind2) => kind2 === "values" ? "one value per line" : "one path per line";
var MAX_LISTED = 10;
function parseKeySpec(argument, source = "--key", kind2 = "paths") {
  const colon = argument.indexOf(":");
  if (colon < 0) {
    const example = kind2 === "values" ? "id:ids.txt" : "doc:docs.txt";
    throw new UsageError(`${source} ${JSON.stringify(argument)}: expected NAME:FILE, e.g. ${example} (the file lists ${listed(kind2)})`);
  }
  const name = argument.slice(0, colon).trim();
  const file = argument.slice(colon + 1).trim();
  if (!KEY_NAME.test(name)) {
    throw new UsageError(
      `${source} ${JSON.stringify(argument)}: key name ${JSON.stringify(name)} may only contain letters, digits, "_", "." and "-" (it is used as {{{${name || "NAME"}}}})`
    );
  }
  if (file === "") throw new UsageError(`${source} ${JSON.stringify(argument)}: the FILE after the colon is empty`);
  return kind2 === "values" ? { name, file, kind: kind2 } : { name, file };
}
function keyFileLines(text2) {
  const body = text2.startsWith("\uFEFF") ? text2.slice(1) : text2;
  return body.split("\n").map((line) => line.trim()).filter((line) => line !== "");
}
function fileLine(text2, n) {
  const lines = text2.split("\n");
  for (let line = 0, seen = -1; line < lines.length; line++) if (lines[line].trim() !== "" && ++seen === n) return line + 1;
  return n + 1;
}
var gitQuoted = (path) => path.length > 1 && path.startsWith('"') && path.endsWith('"');
var GIT_QUOTED_HINT = "it looks like a file name quoted by git (core.quotePath): list names with `git -c core.quotePath=false diff --name-only`, or with `-z`";
function readListedFile(baseDir, path, key, rules = {}) {
  try {
    return readInputFile(resolve(baseDir, path), rules).toString("utf8");
  } catch (error) {
    const problem = error instanceof InputFileError ? error.problem : String(error);
    const quoted2 = gitQuoted(path) && problem === "does not exist";
    const shown = quoted2 ? path : JSON.stringify(path);
    throw new StepError(`cannot read ${shown} (key "${key}"): it ${problem}${quoted2 ? `; ${GIT_QUOTED_HINT}` : ""}`, { cause: error });
  }
}
function readKeyLists(specs, baseDir, options = {}) {
  const problems = [];
  const seen = /* @__PURE__ */ new Map();
  const lists = [];
  for (const spec of specs) {
    const { name, file, kind: kind2 } = spec;
    const where2 = `${keyFlag(spec)} ${name}:${file}`;
    const earlier = seen.get(name);
    if (earlier !== void 0) {
      problems.push(
        (earlier.kind ?? "paths") === (kind2 ?? "paths") ? `${where2}: key "${name}" is given twice; each key name may be used once` : `${where2}: key "${name}" is also given by ${keyFlag(earlier)} ${earlier.name}:${earlier.file}; each key name may be used once: rename one`
      );
      continue;
    }
    seen.set(name, spec);
    const what = kind2 === "values" ? "values file" : "key file";
    const read = tryReadInputFile(resolve(baseDir, file), { confineTo: options.confineTo, pipes: true });
    if ("problem" in read) {
      problems.push(`${where2}: ${inputFileMessage(what, file, read.problem)}`);
      continue;
    }
    const bytes2 = read.bytes;
    if (bytes2.includes(0)) {
      problems.push(`${where2}: ${inputFileMessage(what, file, `is not a text file (it holds NUL bytes); it should list ${listed(kind2)}`)}`);
      continue;
    }
    const text2 = bytes2.toString("utf8");
    const paths = keyFileLines(text2);
    if (paths.length === 0) {
      problems.push(`${where2}: ${inputFileMessage(what, file, `is empty; it should list ${listed(kind2)}`)}`);
      continue;
    }
    if (kind2 === "values") {
      lists.push({ name, file, paths, kind: kind2 });
      continue;
    }
    const bad = [];
    let badCount = 0;
    const missing = [];
    const quoted2 = [];
    let quotedCount = 0;
    const checked = /* @__PURE__ */ new Map();
    for (const [i, listed2] of paths.entries()) {
      const path = resolve(baseDir, listed2);
      const listedProblem = checked.has(path) ? checked.get(path) : inputFileProblem(path, { confineTo: options.confineTo });
      checked.set(path, listedProblem);
      if (listedProblem === void 0) continue;
      if (listedProblem === "does not exist" && gitQuoted(listed2)) {
        if (quotedCount++ < MAX_LISTED) quoted2.push(`line ${fileLine(text2, i)}: ${listed2}`);
        continue;
      }
      badCount++;
      if (listedProblem === "does not exist" && !isAbsolute2(listed2)) missing.push(listed2);
      if (bad.length < MAX_LISTED) bad.push(`${where2}: ${inputFileMessage(`line ${fileLine(text2, i)}:`, listed2, listedProblem)}`);
    }
    problems.push(...bad);
    if (quotedCount > 0) {
      options.warnings?.push(
        `${where2}: ${quoted2.join(", ")}${quotedCount > quoted2.length ? ` and ${quotedCount - quoted2.length} more` : ""}: no such file, and ${GIT_QUOTED_HINT}; the flows of these lines will fail`
      );
    }
    if (badCount > bad.length) problems.push(`${where2}: ... and ${badCount - bad.length} more listed files that cannot be read`);
    if (missing.length > 0) problems.push(`${where2}: ${relativeHint(file, missing, baseDir, options)}`);
    lists.push({ name, file, paths });
  }
  if (problems.length > 0) throw new UsageError(problems);
  return lists;
}
function relativeHint(file, missing, baseDir, rules) {
  const folder = dirname(file);
  const there = folder === "." ? [] : missing.filter((path) => inputFileProblem(resolve(baseDir, folder, path), { confineTo: rules.confineTo }) === void 0);
  const found = there.length === 0 ? "" : `; ${there.length} of ${missing.length} exist relative to the key file's folder ${JSON.stringify(folder)}: list them from the current directory (e.g. ${JSON.stringify(join(folder, there[0]))}), or run from ${JSON.stringify(folder)}`;
  return `listed paths are read relative to the current directory, ${baseDir}, not to the key file${found}`;
}
function hashKeyLists(lists) {
  const hash2 = createHash2("sha256");
  for (const list2 of lists)
    hash2.update(JSON.stringify(list2.kind === "values" ? [list2.name, list2.paths, "values"] : [list2.name, list2.paths]));
  return hash2.digest("hex");
}

// src/flows/shards.ts
var MAX_SHARDS = 256;
function shardRange(total, { index, count }) {
  const base = Math.floor(total / count);
  const extra = total % count;
  const from = (index - 1) * base + Math.min(index - 1, extra);
  return { from, to: from + base + (index <= extra ? 1 : 0) };
}
function parseShard(text2) {
  const match = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text2);
  if (!match) return `expected I/N such as 1/4, got ${JSON.stringify(text2)}`;
  const index = Number(match[1]);
  const count = Number(match[2]);
  if (count < 1 || count > MAX_SHARDS) return `N must be between 1 and ${MAX_SHARDS}, got ${JSON.stringify(text2)}`;
  if (index < 1 || index > count) return `I must be between 1 and N (${count}), got ${JSON.stringify(text2)}`;
  return { index, count };
}

// src/model/price-table.ts
var PRICE_TABLE = {
  date: "2026-09-05",
  source: "https://developers.openai.com/api/docs/pricing (OpenAI's pricing page, standard tier), as transcribed on 2026-09-05 in https://github.com/kannandreams/agent-top/blob/main/crates/agent-top-core/prices.toml; the gpt-5.4 and gpt-5.5 rows agree with https://benchlm.ai/blog/posts/openai-api-pricing (April 2026) and https://www.morphllm.com/openai-api-pricing (June 2026)",
  /** The Batch API bills input and output at half these prices (OpenAI's pricing page). */
  batch_discount: 0.5,
  /** `cached_input` is absent where the model offers no cached-input price: its cached tokens are billed as input. */
  models: {
    "gpt-5.6-sol": { input: 4, cached_input: 0.4, output: 20 },
    "gpt-5.6-terra": { input: 2, cached_input: 0.2, output: 12 },
    "gpt-5.6-luna": { input: 0.2, cached_input: 0.02, output: 1.2 },
    "gpt-5.5-pro": { input: 30, output: 180 },
    "gpt-5.5": { input: 5, cached_input: 0.5, output: 30 },
    "gpt-5.4-pro": { input: 30, output: 180 },
    "gpt-5.4": { input: 2.5, cached_input: 0.25, output: 15 },
    "gpt-5.4-mini": { input: 0.75, cached_input: 0.075, output: 4.5 },
    "gpt-5.4-nano": { input: 0.2, cached_input: 0.02, output: 1.25 },
    "gpt-5.2-pro": { input: 21, output: 168 },
    "gpt-5.2": { input: 1.75, cached_input: 0.175, output: 14 },
    "gpt-5.1": { input: 1.25, cached_input: 0.125, output: 10 },
    "gpt-5-pro": { input: 15, output: 120 },
    "gpt-5": { input: 1.25, cached_input: 0.125, output: 10 },
    "gpt-5-mini": { input: 0.25, cached_input: 0.025, output: 2 },
    "gpt-5-nano": { input: 0.05, cached_input: 5e-3, output: 0.4 }
  }
};

// src/model/cost.ts
var BUILT_IN_PRICES = PRICE_TABLE.models;
var withOverrides = (overrides) => overrides === void 0 ? BUILT_IN_PRICES : { ...BUILT_IN_PRICES, ...overrides };
var SNAPSHOT = /^(.+)-\d{4}-\d{2}-\d{2}$/;
function priceOf(model, prices) {
  if (model === void 0) return void 0;
  if (Object.hasOwn(prices, model)) return prices[model];
  const base = SNAPSHOT.exec(model)?.[1];
  return base !== void 0 && Object.hasOwn(prices, base) ? prices[base] : void 0;
}
function costOf(model, usage2, prices, options = {}) {
  const cached2 = Math.min(usage2.cached_input_tokens ?? 0, usage2.input_tokens);
  if (usage2.input_tokens === 0 && usage2.output_tokens === 0) return 0;
  const price = priceOf(model, prices);
  if (price === void 0) return null;
  const perMillion = (usage2.input_tokens - cached2) * price.input + cached2 * (price.cached_input ?? price.input) + usage2.output_tokens * price.output;
  const discount = options.batch === true ? PRICE_TABLE.batch_discount : 1;
  return roundUsd(perMillion / 1e6 * discount);
}
var priced = (model, usage2, prices, options = {}) => ({
  ...usage2,
  cached_input_tokens: usage2.cached_input_tokens ?? 0,
  cost_usd: costOf(model, usage2, prices, options)
});
function parseUsd(text2) {
  const match = /^\s*\$?\s*(\d+(?:\.\d*)?|\.\d+)\s*$/.exec(text2);
  const usd = match === null ? NaN : Number(match[1]);
  return Number.isFinite(usd) && usd > 0 ? usd : void 0;
}
function usdDecimal(usd) {
  if (usd === null || usd === void 0) return "";
  return usd.toFixed(12).replace(/\.?0+$/, "");
}
function formatUsd(usd) {
  if (usd === null || usd === void 0) return "unknown";
  if (usd === 0) return "$0";
  if (usd < 1) return `$${usd.toFixed(4)}`;
  return `$${usd.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}

// src/engine/options.ts
var DEFAULT_MODEL = "gpt-5-mini";
var DEFAULT_PARALLEL = 4;
var DEFAULT_TIMEOUT_S = 1800;
var DEFAULT_BATCH_TIMEOUT_S = 24 * 60 * 60;
var DEFAULT_RETRIES = 3;
var DEFAULT_OUTPUT = "generated";
var DEFAULT_SANDBOX = "workspace-write";
function batchMaxPending(env) {
  const value = Number(env.ORCHESTRATOR_BATCH_MAX_PENDING);
  return env.ORCHESTRATOR_BATCH_MAX_PENDING && Number.isSafeInteger(value) && value > 0 ? value : 5e4;
}
function sandboxOf(step2, options) {
  return step2.sandbox ?? options.sandbox ?? DEFAULT_SANDBOX;
}
function modelOf(step2, options) {
  if (step2.kind === "cmd") return void 0;
  if (step2.kind === "codex") return step2.model ?? options.model;
  return step2.model ?? options.model ?? (options.env.OPENAI_MODEL || void 0) ?? DEFAULT_MODEL;
}
function baseUrlProblem(url) {
  const example = "e.g. http://localhost:8080/v1 or https://api.openai.com/v1";
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//.exec(url)?.[1];
  if (scheme === void 0) return `it has no scheme: write it with http:// or https:// in front, ${example}`;
  if (!/^https?$/i.test(scheme)) return `the scheme must be http:// or https://, not ${scheme}:// (${example})`;
  return URL.canParse(url) ? void 0 : `not a valid URL (${example})`;
}

// src/engine/spend.ts
function stepUsage(step2, usage2, prices, options, batch = false) {
  return usage2 === null ? null : priced(stepModel(step2, options), usage2, prices, { batch });
}
var models = /* @__PURE__ */ new WeakMap();
function stepModel(step2, options) {
  let known = models.get(options);
  if (known === void 0) models.set(options, known = /* @__PURE__ */ new Map());
  if (!known.has(step2)) known.set(step2, modelOf(step2, options));
  return known.get(step2);
}
function pricedResult(step2, result, how, prices, options) {
  if (how.reused)
    return result.usage?.cost_usd === void 0 ? { ...result, usage: stepUsage(step2, result.usage, prices, options) } : result;
  const fresh = { ...result, usage: stepUsage(step2, result.usage, prices, options, result.batch) };
  if (result.cached === void 0) return fresh;
  return { ...fresh, cached: stepUsage(step2, result.cached, prices, options, how.batching) };
}
function answerMarks(result) {
  return {
    ...result?.cached !== void 0 ? { cached: true, saved: result.cached } : {},
    ...result?.batchId !== void 0 ? { batch: result.batchId } : {}
  };
}
function spendChecks(file, lists, options, prices) {
  const unpriced = /* @__PURE__ */ new Map();
  const unnamed = [];
  for (const list2 of ["steps", "after"]) {
    if (options.offline) break;
    for (const step2 of lists[list2]) {
      const at = stepWhere(file, step2.index, step2.label, list2);
      for (const check of step2.checks ?? []) {
        if (check.type !== "rubric") continue;
        const model2 = modelOf(rubricStep(step2, check, ""), options);
        if (priceOf(model2, prices) === void 0)
          unpriced.set(model2, [...unpriced.get(model2) ?? [], `${at}: check ${JSON.stringify(check.name)}`]);
      }
      if (step2.kind === "cmd") continue;
      const model = modelOf(step2, options);
      if (model === void 0) unnamed.push(at);
      else if (priceOf(model, prices) === void 0) unpriced.set(model, [...unpriced.get(model) ?? [], at]);
    }
  }
  const where2 = (list2) => list2.join(", ");
  const lines = [...unpriced].map(
    ([model, list2]) => `${where2(list2)}: model ${JSON.stringify(model)} has no price, so its cost is unknown: add "prices": {${JSON.stringify(model)}: {"input": \u2026, "cached_input": \u2026, "output": \u2026}} (US dollars per 1M tokens) to the config`
  );
  const codexDefault = `${where2(unnamed)}: a codex step without "model" runs the model codex's own configuration picks, so its cost is unknown: set "model" on the step (or pass --model)`;
  if (options.maxCost === void 0) return { warnings: lines, problems: [] };
  return {
    warnings: [],
    problems: [...lines, ...unnamed.length > 0 ? [codexDefault] : []].map(
      (line) => `--max-cost ${formatUsd(options.maxCost)} cannot count every call: ${line}`
    )
  };
}
function spendLimit(options, used) {
  if (options.tokenBudget !== void 0 && used.input_tokens + used.output_tokens >= options.tokenBudget) return "token budget reached";
  if (options.maxCost !== void 0 && (used.cost_usd ?? 0) >= options.maxCost) return "cost limit reached";
  return void 0;
}

// src/engine/run-checks.ts
import { execFileSync as execFileSync2 } from "node:child_process";
import { accessSync as accessSync2, constants as constants2, existsSync as existsSync3, lstatSync as lstatSync2, readdirSync, readlinkSync as readlinkSync2, realpathSync as realpathSync2, statSync as statSync4 } from "node:fs";
import { delimiter, dirname as dirname2, join as join5, resolve as resolve4 } from "node:path";

// src/results/paths.ts
var safeName = (name) => name.replace(/[^A-Za-z0-9._-]/g, "_");
var MAX_NAME_IN_PATH = 64;
function stepDirName(step2) {
  if (step2.kind === "codex") return `codex_exec_${step2.index}`;
  return `${String(step2.index).padStart(2, "0")}_${safeName(step2.label).slice(0, MAX_NAME_IN_PATH)}`;
}
var branchDirName = (element) => `branch_${element}`;
var CONFIG_COPY = "config.json";
var shardRecordPath = (shard2) => `shards/${shard2.index}-of-${shard2.count}.json`;
var RUN_ID = /^run_[A-Za-z0-9._-]+$/;
var MAX_RUN_ID_LENGTH = 100;
var RUN_ID_RULE = `use letters, digits, ".", "_" and "-" only, at most ${MAX_RUN_ID_LENGTH} characters (with the run_ prefix)`;
function normalizeRunId(id) {
  const full = id.startsWith("run_") ? id : `run_${id}`;
  return RUN_ID.test(full) && !full.includes("..") && full.length <= MAX_RUN_ID_LENGTH ? full : void 0;
}
var runIdProblem = (where2, id) => `${where2} ${JSON.stringify(id)}: ${RUN_ID_RULE}`;
function checkedRunId(where2, id) {
  const full = normalizeRunId(id);
  if (full === void 0) throw new UsageError(runIdProblem(where2, id));
  return full;
}
function newRunId(now, random = Math.random) {
  const stamp = now.toISOString().replace(/[-:]/g, "").replace(/\.\d+Z$/, "Z");
  const suffix = Math.floor(random() * 65536).toString(16).padStart(4, "0");
  return `run_${stamp}_${suffix}`;
}

// src/steps/worktree.ts
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, rmSync as rmSync2, statSync as statSync3 } from "node:fs";
import { rm } from "node:fs/promises";
import { homedir } from "node:os";
import { isAbsolute as isAbsolute3, join as join3, resolve as resolve3 } from "node:path";

// src/steps/repo-lock.ts
import { closeSync as closeSync2, openSync as openSync2, readFileSync as readFileSync2, rmSync, statSync as statSync2, writeSync } from "node:fs";

// src/util/alive.ts
function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === "EPERM";
  }
}

// src/steps/repo-lock.ts
var WAIT_MS = 10 * 60 * 1e3;
var UNWRITTEN_STALE_MS = 1e4;
var sleep2 = (ms) => new Promise((resolve17) => setTimeout(resolve17, ms));
function stale(path) {
  try {
    const pid = Number(readFileSync2(path, "utf8").trim());
    if (Number.isSafeInteger(pid) && pid > 0) return !isAlive(pid);
    return Date.now() - statSync2(path).mtimeMs > UNWRITTEN_STALE_MS;
  } catch {
    return false;
  }
}
async function withLockFile(path, work) {
  const started = Date.now();
  for (let attempt = 0; ; attempt++) {
    let fd;
    try {
      fd = openSync2(path, "wx");
    } catch (error) {
      if (error.code !== "EEXIST") throw error;
    }
    if (fd !== void 0) {
      try {
        writeSync(fd, String(process.pid));
      } finally {
        closeSync2(fd);
      }
      try {
        return await work();
      } finally {
        rmSync(path, { force: true });
      }
    }
    if (stale(path)) {
      rmSync(path, { force: true });
      continue;
    }
    if (Date.now() - started > WAIT_MS) {
      throw new Error(
        `waited ${WAIT_MS / 6e4} minutes for ${path} (another orchestrator adding or removing git worktrees): if no orchestrator is running on this repository, remove that file`
      );
    }
    await sleep2(Math.min(200, 5 * 2 ** Math.min(attempt, 6)) * (0.5 + Math.random()));
  }
}

// src/steps/worktree-git.ts
import { execFile } from "node:child_process";
import { lstatSync, readFileSync as readFileSync3 } from "node:fs";
import { join as join2, resolve as resolve2 } from "node:path";
import { promisify } from "node:util";
var run = promisify(execFile);
var gitEnv = () => ({ ...publicEnv(process.env), GIT_TERMINAL_PROMPT: "0" });
async function git(cwd, args) {
  const { stdout } = await run("git", args, { cwd, maxBuffer: 1024 * 1024 * 1024, env: gitEnv() });
  return stdout;
}
function openWorktree(path) {
  const gitFile = readFileSync3(join2(path, ".git"), "utf8");
  return { path, gitDir: resolve2(path, gitFile.replace(/^gitdir: /, "").trim()), gitFile };
}
function gitIn(tree, args) {
  return git(tree.path, ["--git-dir", tree.gitDir, "--work-tree", tree.path, ...args]);
}
async function resetWorktree(tree, head) {
  try {
    const gitFile = join2(tree.path, ".git");
    if (!lstatSync(gitFile).isFile() || readFileSync3(gitFile, "utf8") !== tree.gitFile) return false;
    await gitIn(tree, ["reset", "--hard", "--quiet", head]);
    await gitIn(tree, ["clean", "-ffdxq"]);
    return true;
  } catch {
    return false;
  }
}
async function snapshot(tree) {
  await gitIn(tree, ["add", "--all"]);
  return (await gitIn(tree, ["write-tree"])).trim();
}

// src/steps/worktree.ts
function uncommittedFiles(dir) {
  try {
    const out = execFileSync("git", ["status", "--porcelain", "-z", "--untracked-files=no", "--", "."], {
      cwd: dir,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
      env: gitEnv()
    });
    return out.split("\0").filter((entry2) => /^[ MADRCTU?!]{2} /.test(entry2)).map((entry2) => entry2.slice(3));
  } catch {
    return [];
  }
}
function worktreesRoot(env, runId) {
  const cache = env.XDG_CACHE_HOME && isAbsolute3(env.XDG_CACHE_HOME) ? env.XDG_CACHE_HOME : join3(env.HOME || homedir(), ".cache");
  return join3(cache, "orchestrator", "worktrees", `${runId}-${process.pid}-${randomBytes(3).toString("hex")}`);
}
var Worktrees = class {
  constructor(repo, root, size = 1) {
    this.repo = repo;
    this.root = root;
    this.size = size;
  }
  repo;
  root;
  size;
  /** Every worktree of the pool that exists (or is being made), by path: what removeAll removes. */
  live = /* @__PURE__ */ new Set();
  trees = /* @__PURE__ */ new Map();
  /** Reset, waiting for a leaf. */
  idle = [];
  /** The leaf each worktree in use serves (its name): the patch it keeps is named after it. */
  leaves = /* @__PURE__ */ new Map();
  /** Worktrees being reset after their leaf ended; a leaf that finds the pool full waits for them. */
  returning = /* @__PURE__ */ new Set();
  waiters = [];
  repository;
  /** The repository's prefix, once info() has read it (workdirIn is synchronous). */
  prefix = "";
  /**
   * git's worktree bookkeeping (.git/worktrees) is not safe for concurrent adds and removes: one at a
   * time in this process, and across processes under a lock file.
   */
  queue = Promise.resolve();
  /** Makes this run's worktree names unique: git names its records after the directory's name. */
  suffix = randomBytes(4).toString("hex");
  /** Worktrees whose setup left something: the tree their patches are taken against instead of HEAD. */
  baselines = /* @__PURE__ */ new Map();
  /**
   * A worktree at HEAD for the leaf `name` (flow_0001, flow_0001-2...), as a new one would be: a
   * reset one from the pool, or a new one. `setup` runs first, in the directory that stands for
   * the workdir; what it leaves is recorded as the worktree's baseline, which patches are taken
   * against. Then `patch` is applied when given. `release` gives it back.
   */
  async create(name, patch, setup) {
    const tree = await this.take(name);
    this.leaves.set(tree.path, name);
    try {
      if (setup !== void 0) {
        await setup(this.workdirIn(tree.path));
        this.baselines.set(tree.path, await snapshot(tree));
      }
      if (patch !== void 0 && existsSync(patch) && statSync3(patch).size > 0)
        await gitIn(tree, ["apply", "--binary", "--whitespace=nowarn", patch]);
    } catch (error) {
      await this.release(tree.path);
      throw error;
    }
    return tree.path;
  }
  /**
   * A temp directory of the worktree's own, beside it (not in it, so nothing there lands in a patch):
   * codex's sandbox is told to let it write there and in its worktree only, not in /tmp.
   */
  tmpFor(path) {
    return `${path}.tmp`;
  }
  /**
   * The directory in a worktree that stands for the workdir: the same subdirectory when the workdir
   * is below the repository's root (created when HEAD does not hold it).
   */
  workdirIn(path) {
    const dir = this.prefix ? join3(path, this.prefix) : path;
    mkdirSync(dir, { recursive: true });
    return dir;
  }
  /** Everything changed in the worktree since HEAD (or since setup), new files included, as a patch `git apply` takes. */
  async diff(path) {
    const tree = this.tree(path);
    await gitIn(tree, ["add", "--all"]);
    return gitIn(tree, ["diff", "--cached", "--binary", this.baselines.get(path) ?? (await this.info()).head]);
  }
  /**
   * The files changed in the worktree since HEAD (or since setup: what setup left is not the leaf's),
   * new and deleted ones included, relative to the worktree's root.
   */
  async changed(path) {
    const tree = this.tree(path);
    await gitIn(tree, ["add", "--all"]);
    const out = await gitIn(tree, [
      "diff",
      "--cached",
      "--name-only",
      "-z",
      "--no-renames",
      this.baselines.get(path) ?? (await this.info()).head
    ]);
    return out.split("\0").filter(Boolean);
  }
  /**
   * Keeps the patch of the leaf in the worktree at `path` beside the worktrees, outside generated/
   * and unmasked (the copy in the step directory has secrets masked), for the branches that start
   * from it; returns its path. Named after the leaf, not the worktree: the worktree goes on to serve
   * another leaf while the branches still start from this file.
   */
  keep(path, patch) {
    const copy = join3(this.root, `${this.leaves.get(path) ?? "leaf"}.${this.suffix}.patch`);
    new SafeTree(this.root).write(copy, patch);
    return copy;
  }
  /**
   * Gives a leaf's worktree back: reset to HEAD for the next leaf, or removed when it cannot be
   * (a failed reset, a rewritten `.git` file) or the pool is full.
   */
  async release(path) {
    const tree = this.trees.get(path);
    if (tree === void 0 || !this.leaves.delete(path)) return;
    this.baselines.delete(path);
    const back = this.reset(tree).then(async (clean) => {
      if (clean && this.live.size <= this.size) this.idle.push(tree);
      else await this.discard(tree);
    });
    this.returning.add(back);
    try {
      await back;
    } finally {
      this.returning.delete(back);
      const waiters = this.waiters;
      this.waiters = [];
      for (const wake of waiters) wake();
    }
  }
  /** Removes every worktree of the run (an interrupted run's too) and prunes git's records of them. */
  async removeAll() {
    await Promise.allSettled([...this.returning]);
    const paths = [...this.live];
    this.live.clear();
    this.trees.clear();
    this.idle.length = 0;
    this.leaves.clear();
    await Promise.all(paths.flatMap((path) => [path, this.tmpFor(path)].map((dir) => rm(dir, { recursive: true, force: true }))));
    if (this.repository !== void 0) await this.bookkeeping(["worktree", "prune"]).catch(() => void 0);
    rmSync2(this.root, { recursive: true, force: true });
    leftOnExit.delete(this);
  }
  /** removeAll, synchronously: for a process that exits at once (a second Ctrl-C). */
  removeAllNow() {
    for (const path of this.live) {
      rmSync2(path, { recursive: true, force: true });
      rmSync2(this.tmpFor(path), { recursive: true, force: true });
    }
    this.live.clear();
    rmSync2(this.root, { recursive: true, force: true });
    try {
      execFileSync("git", ["worktree", "prune"], { cwd: this.repo, stdio: "ignore", env: gitEnv() });
    } catch {
    }
    leftOnExit.delete(this);
  }
  /**
   * A worktree for a leaf: a new one while the pool is below its size, else an idle one, else one
   * coming back (waited for), else a new one beyond the size (removed when given back): a leaf
   * never waits for a worktree a leaf waiting for a slot holds.
   */
  async take(name) {
    const repository = await this.info();
    for (; ; ) {
      if (this.live.size >= this.size) {
        const idle = this.idle.pop();
        if (idle !== void 0) return idle;
        if (this.returning.size > 0) {
          await new Promise((resolve17) => this.waiters.push(resolve17));
          continue;
        }
      }
      return this.add(name, repository);
    }
  }
  /** A new worktree at the run's HEAD: git's record made under the lock, its files checked out outside it. */
  async add(name, repository) {
    try {
      mkdirSync(this.root, { recursive: true });
    } catch (error) {
      throw new StepError(
        `cannot create the worktree directory ${this.root} (${error.code ?? errorMessage(error)}): set XDG_CACHE_HOME to a writable directory outside the temp directory`,
        { cause: error }
      );
    }
    let path = join3(this.root, `${name}.${this.suffix}`);
    for (let n = 2; this.live.has(path); n++) path = join3(this.root, `${name}-${n}.${this.suffix}`);
    rmSync2(path, { recursive: true, force: true });
    this.live.add(path);
    leftOnExit.add(this);
    try {
      await this.bookkeeping(["worktree", "add", "--no-checkout", "--detach", "--force", path, repository.head]);
      const tree = openWorktree(path);
      this.trees.set(path, tree);
      await gitIn(tree, ["reset", "--hard", "--quiet", repository.head]);
      mkdirSync(this.tmpFor(path), { recursive: true });
      return tree;
    } catch (error) {
      await this.discard({ path, gitDir: "", gitFile: "" });
      throw error;
    }
  }
  /** Brings a worktree back to the run's HEAD (resetWorktree) and empties its temp directory; false when that failed. */
  async reset(tree) {
    if (!await resetWorktree(tree, (await this.info()).head)) return false;
    try {
      await rm(this.tmpFor(tree.path), { recursive: true, force: true });
      mkdirSync(this.tmpFor(tree.path));
      return true;
    } catch {
      return false;
    }
  }
  /** Removes a worktree: its directories outside the lock, then git's record of it under the lock. */
  async discard(tree) {
    this.trees.delete(tree.path);
    this.leaves.delete(tree.path);
    this.baselines.delete(tree.path);
    await Promise.all([tree.path, this.tmpFor(tree.path)].map((dir) => rm(dir, { recursive: true, force: true }).catch(() => void 0)));
    this.live.delete(tree.path);
    await this.bookkeeping(["worktree", "prune"]).catch(() => void 0);
  }
  tree(path) {
    const tree = this.trees.get(path);
    if (tree === void 0) throw new Error(`internal error: ${path} is not a worktree of this run`);
    return tree;
  }
  /** The workdir's place in its repository, the lock and HEAD, read once. */
  info() {
    this.repository ??= (async () => {
      const [prefix, common, head] = await Promise.all([
        git(this.repo, ["rev-parse", "--show-prefix"]),
        git(this.repo, ["rev-parse", "--git-common-dir"]),
        git(this.repo, ["rev-parse", "--verify", "HEAD^{commit}"])
      ]);
      const repository = {
        prefix: prefix.trim(),
        lock: join3(resolve3(this.repo, common.trim()), "orchestrator-worktrees.lock"),
        head: head.trim()
      };
      this.prefix = repository.prefix;
      return repository;
    })();
    return this.repository;
  }
  /** Runs a git command on the main repository after those queued before it, holding the repository's lock. */
  async bookkeeping(args) {
    const { lock } = await this.info();
    const next = this.queue.then(() => withLockFile(lock, () => git(this.repo, args)));
    this.queue = next.catch(() => void 0);
    return next;
  }
};
var leftOnExit = /* @__PURE__ */ new Set();
process.on("exit", () => {
  for (const worktrees of [...leftOnExit]) worktrees.removeAllNow();
});

// src/engine/lock.ts
import { existsSync as existsSync2, linkSync, renameSync, rmSync as rmSync3, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { join as join4 } from "node:path";
var HOLDER_MAX_BYTES = 4096;
var lockFileName = (shard2) => `.lock-${shard2.index}-of-${shard2.count}`;
function existingRun(runDir, shard2, shown) {
  if (shard2.count === 1) {
    return existsSync2(join4(runDir, "run.json")) ? `${shown} already holds a run: pass --resume to finish it, or another --run-id` : void 0;
  }
  return existsSync2(join4(runDir, shardRecordPath(shard2))) ? `${shown} already holds shard ${shard2.index}/${shard2.count} of a run (${shardRecordPath(shard2)}): pass --resume to finish it, or another --run-id` : void 0;
}
function readHolder(path) {
  try {
    const value = JSON.parse(readRegular(path, { maxBytes: HOLDER_MAX_BYTES }).bytes.toString("utf8"));
    return Number.isSafeInteger(value.pid) && typeof value.host === "string" && typeof value.started_at === "string" ? value : void 0;
  } catch {
    return void 0;
  }
}
var isStale = (holder) => holder.host === hostname() && holder.pid !== process.pid && !isAlive(holder.pid);
function create(path, holder) {
  const temporary = `${path}.${process.pid}.tmp`;
  rmSync3(temporary, { force: true });
  try {
    writeFileSync(temporary, JSON.stringify(holder) + "\n", { flag: "wx" });
    linkSync(temporary, path);
    return true;
  } catch (error) {
    if (error.code === "EEXIST") return false;
    throw error;
  } finally {
    rmSync3(temporary, { force: true });
  }
}
function takeOver(path, stale2) {
  const aside = `${path}.stale-${process.pid}`;
  try {
    renameSync(path, aside);
  } catch {
    return;
  }
  const moved = readHolder(aside);
  if (moved?.pid !== stale2.pid || moved.started_at !== stale2.started_at) {
    try {
      linkSync(aside, path);
    } catch {
    }
  }
  rmSync3(aside, { force: true });
}
function lockRun(runDir, shard2, shown, resume) {
  const name = lockFileName(shard2);
  const path = join4(runDir, name);
  const me = { pid: process.pid, host: hostname(), started_at: (/* @__PURE__ */ new Date()).toISOString() };
  let taken = false;
  for (let tries = 0; !taken && tries < 5; tries++) {
    try {
      taken = create(path, me);
    } catch (error) {
      throw new UsageError(`cannot create the lock ${join4(shown, name)}: ${errorMessage(error)}`, { cause: error });
    }
    if (taken) break;
    const holder = readHolder(path);
    if (holder !== void 0 && isStale(holder)) {
      takeOver(path, holder);
      continue;
    }
    const who = holder === void 0 ? "by a process whose lock file cannot be read" : `by pid ${holder.pid} on ${holder.host} since ${holder.started_at}`;
    throw new UsageError(
      `${shown}${shard2.count > 1 ? ` (shard ${shard2.index}/${shard2.count})` : ""} is being written by another orchestrator: its lock ${join4(shown, name)} is held ${who}. Wait for that run to end, or use another --run-id; if no such run is alive (e.g. it ran on another machine and was killed), delete the lock file`
    );
  }
  if (!taken) throw new UsageError(`cannot take the lock ${join4(shown, name)}: other runs keep taking it; try again`);
  const release = () => {
    process.off("exit", release);
    const holder = readHolder(path);
    if (holder?.pid === me.pid && holder.started_at === me.started_at) rmSync3(path, { force: true });
  };
  process.on("exit", release);
  const problem = resume ? void 0 : existingRun(runDir, shard2, shown);
  if (problem !== void 0) {
    release();
    throw new UsageError(problem);
  }
  return { path, release };
}

// src/engine/run-checks.ts
function checkWorkdir(options, config, ranSteps, { problems, warnings }) {
  const workdir = resolve4(options.baseDir, options.workdir);
  const workdirOk = existsSync3(workdir) && statSync4(workdir).isDirectory();
  if (!workdirOk) problems.push(`--workdir ${JSON.stringify(options.workdir)}: not a directory`);
  const codexSteps = ranSteps.filter((s) => s.kind === "codex");
  if (options.isolate === "worktree" && workdirOk && codexSteps.length > 0) {
    if (!hasCommit(workdir)) {
      problems.push(
        `--isolate worktree: the workdir ${JSON.stringify(options.workdir)} is not a git repository with a commit, so there is no HEAD to give each flow a worktree of: run in a checkout, or use --isolate none`
      );
    } else {
      const changed = uncommittedFiles(workdir);
      if (changed.length > 0) {
        const shown = changed.slice(0, 3).join(", ") + (changed.length > 3 ? ` and ${changed.length - 3} more` : "");
        warnings.push(
          `--isolate worktree: the checkout has uncommitted changes (${shown}); worktrees start from HEAD, so codex sees and edits HEAD's version of those files, while prompts read the edited ones: commit or stash them first`
        );
      }
    }
  }
  if (config.setup !== void 0 && options.isolate !== "worktree") {
    warnings.push(
      `${config.file}: "setup" runs in each new worktree, and without --isolate worktree there is none: it is not run (prepare the workdir yourself)`
    );
  }
  const writable = codexSteps.some((s) => sandboxOf(s, options) !== "read-only");
  if (options.isolate !== "worktree" && writable && options.parallel > 1 && !options.offline) {
    warnings.push(
      `codex steps that may write run up to ${options.parallel} at a time in one shared workdir (${options.workdir}): parallel flows can edit the same files. Use --isolate worktree to give each flow a git worktree of its own, with its changes saved as changes.patch`
    );
  }
  return workdir;
}
function findCredentials(options, ranSteps, found) {
  const problems = options.dryRun === true ? found.warnings : found.problems;
  const needsModel = !options.offline && ranSteps.some(callsModel);
  const needsCodex = !options.offline && ranSteps.some((s) => s.kind === "codex");
  const apiKey = options.env.OPENAI_API_KEY || options.env.CODEX_API_KEY || void 0;
  const keyUsers = needsModel ? "openai" : needsCodex && options.codexNeedsKey ? "codex" : void 0;
  if (keyUsers !== void 0 && apiKey === void 0) {
    problems.push(
      options.missingKeyHint ?? `OPENAI_API_KEY is not set, and the config has ${keyUsers} steps: set it, or pass --offline to try the config without calling a model`
    );
  }
  let codexPath;
  if (needsCodex) {
    codexPath = findExecutable(options.codexPath ?? "codex", options.env, options.baseDir);
    if (codexPath === void 0) {
      problems.push(
        options.codexPath !== void 0 ? `--codex-path ${JSON.stringify(options.codexPath)}: no executable file there` : "the config has codex steps but no `codex` is on PATH: install it (npm install -g @openai/codex), pass --codex-path, or use --offline"
      );
    }
  }
  return { apiKey, codexPath };
}
function checkShard(options, space, problems) {
  if (space.total > Number.MAX_SAFE_INTEGER) problems.push(`the key files make ${space.total} flows, too many to number`);
  const shard2 = options.shard ?? { index: 1, count: 1 };
  if (shard2.count > space.total) {
    problems.push(`--shard ${shard2.index}/${shard2.count}: there are only ${space.total} flows, so at most ${space.total} shards`);
  }
  if (options.runId === void 0 && shard2.count > 1) {
    problems.push(
      `--shard ${shard2.index}/${shard2.count} needs --run-id, so that the shards write one run: use the run_id \`orchestrator plan\` printed`
    );
  }
  return shard2;
}
function checkRunDir(options, shard2, outputOk, now, problems) {
  const runId = options.runId === void 0 ? newRunId(now) : normalizeRunId(options.runId);
  if (runId === void 0 && options.runId !== void 0) problems.push(runIdProblem("--run-id", options.runId));
  const runDir = resolve4(options.baseDir, options.outputDir, runId ?? "run_");
  const runDirKind = outputOk ? lstatSync2(runDir, { throwIfNoEntry: false }) : void 0;
  if (runId !== void 0 && runDirKind !== void 0 && !runDirKind.isDirectory()) {
    problems.push(
      `${join5(options.outputDir, runId)} is ${runDirKind.isSymbolicLink() ? `a symbolic link (to ${JSON.stringify(readlinkSync2(runDir))})` : "a file"}, not a run directory: orchestrator does not write through it; remove it, or use another --run-id`
    );
  }
  if (options.resume && outputOk && runId !== void 0 && (options.runId === void 0 || runDirKind === void 0))
    problems.push(noRunToResume(options, runId));
  const existing = runId === void 0 || options.resume || runDirKind?.isDirectory() === false ? void 0 : existingRun(runDir, shard2, join5(options.outputDir, runId));
  if (existing !== void 0) problems.push(existing);
  return { runId, runDir };
}
function noRunToResume(options, runId) {
  const output = resolve4(options.baseDir, options.outputDir);
  let runs = [];
  try {
    runs = readdirSync(output, { withFileTypes: true }).filter((entry2) => entry2.isDirectory() && entry2.name.startsWith("run_")).map((entry2) => entry2.name).sort();
  } catch {
  }
  const there = runs.length === 0 ? `${options.outputDir} holds no run` : `runs in ${options.outputDir}: ${runs.slice(-5).join(", ")}${runs.length > 5 ? ` (and ${runs.length - 5} more)` : ""}`;
  const which = options.runId === void 0 ? "without --run-id there is no run to resume" : `there is no run ${join5(options.outputDir, runId)}`;
  return `--resume: ${which} (${there}); pass the --run-id (and --output) of the run to finish, or leave out --resume to start a new run`;
}
function outputDirProblem(output) {
  let existing = output;
  for (; ; ) {
    let stats;
    try {
      stats = lstatSync2(existing);
    } catch {
    }
    if (stats?.isSymbolicLink() && !existsSync3(existing)) {
      return `${JSON.stringify(existing)} is a symbolic link to ${JSON.stringify(readlinkSync2(existing))}, which does not exist: create that directory, or point --output elsewhere`;
    }
    if (stats !== void 0) break;
    if (dirname2(existing) === existing) return "no part of the path exists";
    existing = dirname2(existing);
  }
  let real;
  try {
    if (!statSync4(existing).isDirectory()) return `${JSON.stringify(existing)} is a file, not a directory`;
    real = realpathSync2.native(existing);
    accessSync2(existing, constants2.W_OK);
  } catch (error) {
    return `${JSON.stringify(existing)} is not writable (${error.code ?? String(error)})`;
  }
  if (/^\/(proc|sys)(\/|$)/.test(real))
    return `${JSON.stringify(real)} is in the kernel's ${real.split("/")[1]} file system, where no run can be written`;
  return void 0;
}
function hasCommit(dir) {
  try {
    execFileSync2("git", ["rev-parse", "--verify", "--quiet", "HEAD"], { cwd: dir, stdio: "ignore", env: publicEnv(process.env) });
    return true;
  } catch {
    return false;
  }
}
function findExecutable(name, env, cwd) {
  const candidates = name.includes("/") ? [resolve4(cwd, name)] : (env.PATH ?? "").split(delimiter).filter(Boolean).map((dir) => join5(dir, name));
  for (const candidate of candidates) {
    try {
      if (statSync4(candidate).isFile()) {
        accessSync2(candidate, constants2.X_OK);
        return candidate;
      }
    } catch {
    }
  }
  return void 0;
}
function checkSameRun(runJson, configHash, keys, shown, what) {
  if (!existsSync3(runJson)) return;
  let previous;
  try {
    previous = JSON.parse(readRegular(runJson).bytes.toString("utf8"));
  } catch {
    throw new UsageError(`${shown}/run.json cannot be read, so ${what} cannot continue that run: start a new run with another --run-id`);
  }
  const keysChanged = previous.keys_hash !== keys.hash;
  const changed = [previous.config?.hash !== configHash ? "the config" : void 0, keysChanged ? "the key lists" : void 0].filter(
    Boolean
  );
  if (changed.length > 0) {
    throw new UsageError(
      `${what}: ${changed.join(" and ")} changed since ${shown} started${keysChanged ? keysChange(previous.keys, keys.lists) : ""}; flow ids are positions, so its results would not match. Restore them, or start a new run with another --run-id`
    );
  }
}
function keysChange(recorded, lists) {
  if (!Array.isArray(recorded)) return "";
  const show = (values, name, file, lines) => `${values === true ? "--values" : "--key"} ${String(name)}:${String(file)} (${typeof lines === "number" ? lines.toLocaleString("en-US") : "?"} lines)`;
  const before2 = recorded.map((k) => show(k.values, k.name, k.file, k.lines));
  const now = lists.map((k) => show(k.kind === "values", k.name, k.file, k.paths.length));
  if (before2.join("\n") === now.join("\n")) return " (the same keys and files: lines in a key file changed)";
  if ([...before2].sort().join("\n") === [...now].sort().join("\n"))
    return ` (the keys are given in another order: it started with ${before2.join(", ")})`;
  return ` (it started with ${before2.join(", ") || "no key"}; this command gives ${now.join(", ") || "no key"})`;
}

// src/engine/step-sources.ts
import { resolve as resolve5 } from "node:path";

// src/prompt/shell-rules.ts
var VARIABLE_FIRST = 'assign it to a variable at the start of the command (v={{{NAME}}}) and use "$v" there';
var REFUSE = {
  arithmetic: {
    why: "inside arithmetic ($((...)), ((...)) or $[...]), where bash evaluates the contents as an expression (a[$(cmd)] runs cmd)",
    fix: "assign it to a variable first (v={{{NAME}}}), check that it is a number (case $v in ''|*[!0-9]*) exit 1;; esac), then use $((v ...)); or pass the contents on stdin"
  },
  parameter: {
    why: "inside a ${...} parameter expansion, whose patterns, offsets and subscripts are not data",
    fix: VARIABLE_FIRST
  },
  backtick: {
    why: "inside `...` backticks, whose quoting this check does not follow",
    fix: "write $(...) instead of backticks"
  },
  doubleBracket: {
    why: "inside [[ ... ]], where bash evaluates the operands of -eq, -lt, ... as arithmetic",
    fix: "use [ ... ] (test) instead, or " + VARIABLE_FIRST
  },
  subscript: {
    why: 'after an unquoted "[" in the same word, where bash reads an array subscript (evaluated as arithmetic)',
    fix: "quote the word, or " + VARIABLE_FIRST
  },
  backslash: { why: "right after a backslash, which would escape the quoting around it", fix: "remove the backslash" },
  dollar: { why: 'right after "$"', fix: 'remove the "$": the placeholder already stands for the contents' },
  quotedHereDoc: {
    why: "in a quoted here-document, where the shell expands nothing",
    fix: "unquote its delimiter (<<EOF, not <<'EOF'), or pass the contents on stdin"
  },
  commandName: {
    why: "in the name of the command, so the contents would choose what runs (`read`, for one, evaluates a[$(cmd)] in a variable name)",
    fix: "name the command as a plain word and pass the contents as its argument or on stdin"
  },
  unknownCommand: {
    why: "in a command whose name (or a word before it, after `command`, `builtin`, `exec` or `env`) this check cannot read: a variable, a substitution or a glob may name a builtin such as `read`, which evaluates a[$(cmd)] in a variable name",
    fix: 'write the command name as a plain word (not "$cmd", $(...) or a glob) or a quoted path ("$HOME"/bin/tool), or pass the contents on stdin'
  },
  ampersandRedirect: {
    why: 'after "&>", which bash reads as a redirection but dash as "&" (run in the background) followed by a new command holding this placeholder',
    fix: "write >FILE 2>&1 instead of &>FILE"
  },
  testOperand: {
    why: "in a `test` or `[` command next to a word this check cannot read: bash reads `[ -v NAME ]` as a test of the variable NAME and evaluates a[$(cmd)] in it, so one word may be the -v and the other the name",
    fix: 'put an operator between the two words ([ "$a" = {{{NAME}}} ]), or pass the contents on stdin'
  }
};
var DOUBT = {
  carriageReturn: "after a carriage return (a CRLF line ending), which the shell reads as part of a word",
  ansiQuote: "after $'...' quoting, whose backslash escapes differ between shells",
  caseInParens: "after a `case` inside $(...) or (...), whose `pattern)` this check would read as the closing parenthesis",
  hereDocWord: "after a here-document delimiter this check cannot read (write it as <<EOF, <<-EOF or <<'EOF')",
  ambiguousArithmetic: 'after a "((" that bash reads as arithmetic and dash as two subshells (write "( (" for subshells, "$((...))" for arithmetic)',
  quoteInParameter: 'after a single quote inside "${...}", which dash and bash read differently',
  attributes: "after a `declare -i`-like command (bash evaluates later assignments to an integer variable as arithmetic)",
  reshaping: (builtin) => `after a \`${builtin}\` command, which may change how bash reads the commands after it (aliases, shell options, builtins)`,
  unterminated: (what) => `after ${what} that is never closed`,
  hereDocEnd: (delimiter3) => `after a here-document with no closing line ${JSON.stringify(delimiter3)}`,
  hereDocNested: "after a here-document whose body starts inside or outside the parentheses it was opened in"
};
var METACHAR = /[ \t\n;&|<>()]/;

// src/prompt/here-doc.ts
function readHereDocWord(t, i, end, isPlaceholder) {
  const stripTabs = t[i] === "-";
  if (stripTabs) i++;
  while (t[i] === " " || t[i] === "	") i++;
  let delimiter3 = "";
  let quoted2 = false;
  while (i < end && !METACHAR.test(t[i])) {
    const c = t[i];
    if (isPlaceholder(i) || c === "$" || c === "`") return { next: i };
    if (c === "\\") {
      if (isPlaceholder(i + 1) || i + 1 >= end || t[i + 1] === "\n") return { next: i };
      quoted2 = true;
      delimiter3 += t[i + 1];
      i += 2;
    } else if (c === "'" || c === '"') {
      const close = t.indexOf(c, i + 1);
      const part = close < 0 || close >= end ? void 0 : t.slice(i + 1, close);
      if (part === void 0 || /[$`\\{]/.test(part)) return { next: i };
      quoted2 = true;
      delimiter3 += part;
      i = close + 1;
    } else {
      delimiter3 += c;
      i++;
    }
  }
  return delimiter3 === "" ? { next: i } : { word: { delimiter: delimiter3, quoted: quoted2, stripTabs }, next: i };
}
function findHereDocEnd(t, start2, end, doc) {
  for (let pos = start2; pos < end; ) {
    let lineEnd = t.indexOf("\n", pos);
    if (lineEnd < 0 || lineEnd > end) lineEnd = end;
    const line = t.slice(pos, lineEnd);
    if ((doc.stripTabs ? line.replace(/^\t+/, "") : line) === doc.delimiter)
      return { bodyEnd: pos, next: Math.min(lineEnd + 1, end), found: true };
    pos = lineEnd + 1;
  }
  return { bodyEnd: end, next: end, found: false };
}

// src/prompt/shell-word.ts
function readWord(raw, placeholderEnd) {
  let text2 = "";
  let lead;
  let split = false;
  let slash = false;
  let quote2 = "";
  const lastBracket = raw.lastIndexOf("]");
  const lastBrace = raw.lastIndexOf("}");
  const unsure = (splits) => {
    lead ??= text2;
    split ||= splits;
  };
  const add = (c) => {
    text2 += c;
    if (c === "/") slash = true;
  };
  const giveUp = () => ({ value: void 0, lead: lead ?? text2, slash: false, single: false });
  for (let i = 0; i < raw.length; ) {
    const end = placeholderEnd(i);
    if (end !== void 0) {
      unsure(false);
      i = end;
      continue;
    }
    const c = raw[i];
    if (quote2 === "'") {
      if (c === "'") quote2 = "";
      else add(c);
      i++;
    } else if (c === "\\") {
      const next = raw[i + 1];
      if (next === void 0) return giveUp();
      if (quote2 === '"' && !'$`"\\\n'.includes(next)) {
        add(c);
        i++;
      } else {
        if (next !== "\n") add(next);
        i += 2;
      }
    } else if (c === '"') {
      quote2 = quote2 === '"' ? "" : '"';
      i++;
    } else if (c === "'" && quote2 === "") {
      quote2 = "'";
      i++;
    } else if (c === "$") {
      const skip = parameterLength(raw, i);
      if (skip === void 0) return giveUp();
      unsure(quote2 === "" || raw[i + 1] === "@");
      i += skip;
    } else if (c === "`") {
      return giveUp();
    } else if (quote2 === "" && (c === "*" || c === "?" || c === "[" && lastBracket > i)) {
      unsure(false);
      add(c);
      i++;
    } else if (quote2 === "" && c === "{" && lastBrace > i) {
      unsure(true);
      add(c);
      i++;
    } else if (quote2 === "" && c === "~" && i === 0) {
      unsure(false);
      i++;
    } else {
      add(c);
      i++;
    }
  }
  if (quote2 !== "") return giveUp();
  return { value: lead === void 0 ? text2 : void 0, lead: lead ?? text2, slash: slash && !split, single: !split };
}
var NAME = /[A-Za-z_][A-Za-z0-9_]*/y;
function parameterLength(raw, i) {
  const next = raw[i + 1];
  if (next === void 0) return void 0;
  if (/[0-9@*#?$!-]/.test(next)) return 2;
  NAME.lastIndex = i + 1;
  const name = NAME.exec(raw);
  if (name) return 1 + name[0].length;
  if (next !== "{") return void 0;
  let depth = 0;
  for (let j = i + 1; j < raw.length; j++) {
    const c = raw[j];
    if ("'\"`$\\".includes(c)) return void 0;
    if (c === "{") depth++;
    else if (c === "}" && --depth === 0) return j + 1 - i;
  }
  return void 0;
}

// src/prompt/command-words.ts
var EVALUATING = /* @__PURE__ */ new Set(["let", "eval", "trap", "read", "mapfile", "readarray", "unset", "getopts", "compgen", "complete"]);
var RESHAPING = /* @__PURE__ */ new Set(["alias", "shopt", "enable"]);
var NAME_OPTION = /* @__PURE__ */ new Map([
  ["printf", "v"],
  ["wait", "p"]
]);
var TESTS = /* @__PURE__ */ new Set(["test", "["]);
var DECLARING = /* @__PURE__ */ new Set(["declare", "typeset", "local", "readonly", "export"]);
var ATTRIBUTE = /^[-+][A-Za-z]*[aAinI]/;
var ATTRIBUTING = /* @__PURE__ */ new Set(["declare", "typeset", "local"]);
var PREFIXES = /* @__PURE__ */ new Map([
  ["command", /^$/],
  ["builtin", /^$/],
  ["time", /^-[A-Za-z]*[fo]$/],
  // /usr/bin/time -f FORMAT -o FILE, where time is no keyword
  ["exec", /^-[cl]*a$/],
  ["env", /^(-[A-Za-z0-9]*[uCSaP]|--(unset|chdir|argv0))$/]
]);
var ENV_SPLIT = /^(-[A-Za-z0-9]*S|--s)/;
var RESERVED = /* @__PURE__ */ new Set(["!", "{", "if", "then", "else", "elif", "do", "while", "until", "coproc", "function"]);
var ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*(\[[^\]]*\])?\+?=/;
function builtinRefusal(builtin) {
  return {
    why: `in a \`${builtin}\` command, which bash may read as a variable name, an expression or code (a[$(cmd)] runs cmd)`,
    fix: "pass it as a plain value (v={{{NAME}}}) and check it before such a use, or pass the contents on stdin"
  };
}
function optionRefusal(builtin, letter) {
  return {
    why: `where \`${builtin}\` reads its options (contents starting with -${letter} would name a variable, and bash evaluates a[$(cmd)] in it)`,
    fix: builtin === "printf" ? "give the format first (printf '%s' {{{NAME}}}), or end the options with --" : "end the options with -- before it"
  };
}
var CommandWords = class {
  /** `list` words are values, not a command (the words of `a=(...)`). */
  constructor(text2, placeholders, events, list2 = false) {
    this.text = text2;
    this.placeholders = placeholders;
    this.events = events;
    this.list = list2;
    this.stage = list2 ? "args" : "start";
  }
  text;
  placeholders;
  events;
  list;
  begin = -1;
  stage;
  prefix = "";
  skipNext = false;
  target = false;
  /** Why every later placeholder of this command is refused. */
  taint;
  rules = [];
  start(pos) {
    if (this.begin < 0) this.begin = pos;
  }
  inWord() {
    return this.begin >= 0;
  }
  end(pos) {
    if (this.begin < 0) return;
    const start2 = this.begin;
    this.begin = -1;
    const holds = this.placeholders.within(start2, pos);
    if (this.target) {
      this.target = false;
      if (this.taint !== void 0) this.refuse(holds, this.taint);
      return;
    }
    const raw = this.text.slice(start2, pos);
    const text2 = readWord(raw, (offset) => {
      const end = this.placeholders.endAt(start2 + offset);
      return end === void 0 ? void 0 : end - start2;
    });
    this.read({ ...text2, raw, holds });
  }
  /** At a command separator: a new simple command starts. */
  reset(pos) {
    this.end(pos);
    this.stage = this.list ? "args" : "start";
    this.prefix = "";
    this.skipNext = false;
    this.target = false;
    this.taint = void 0;
    this.rules = [];
  }
  /**
   * At a redirection operator's character (`<`, `>`, and the `&` or `|` of `>&`, `<&`, `>|`): a
   * file descriptor number just before it is no word, and the next word is its target (unless
   * `target` is false: a here-document's delimiter, which the scanner reads itself).
   */
  redirect(pos, target2 = true) {
    if (this.begin >= 0 && /^([0-9]+|\{[A-Za-z_][A-Za-z0-9_]*\})$/.test(this.text.slice(this.begin, pos))) this.begin = -1;
    else this.end(pos);
    this.target = target2;
  }
  /** At `&>`: a redirection in bash, `&` and a new command in dash. */
  ampersandRedirect(pos) {
    this.redirect(pos);
    this.taint ??= REFUSE.ampersandRedirect;
  }
  refuse(placeholders, refusal) {
    if (placeholders.length > 0) this.events.refuse(placeholders, refusal);
  }
  read(word) {
    if (this.taint !== void 0) this.refuse(word.holds, this.taint);
    for (const rule of this.rules) rule(word);
    if (!this.list) this.place(word);
    this.recognise(word);
  }
  /** Follows the words before the command's name: assignments, reserved words, `command`/`env`/... and their options. */
  place(word) {
    const value = word.value;
    switch (this.stage) {
      case "args":
        return;
      case "function":
        this.stage = "start";
        return;
      case "start":
        if (ASSIGNMENT.test(word.raw)) return;
        if (RESERVED.has(word.raw)) {
          if (word.raw === "function") this.stage = "function";
          return;
        }
        return this.commandName(word);
      case "prefix":
        if (this.skipNext) {
          this.skipNext = false;
          return;
        }
        if (value !== void 0 && value.startsWith("-") && (value.length > 1 || this.prefix === "env")) {
          if (this.prefix === "env" && ENV_SPLIT.test(value)) this.taint ??= REFUSE.unknownCommand;
          else if (PREFIXES.get(this.prefix).test(value)) this.skipNext = true;
          return;
        }
        if (this.prefix === "env" && (value !== void 0 ? value.includes("=") : ASSIGNMENT.test(word.raw) && word.single)) return;
        return this.commandName(word);
    }
  }
  commandName(word) {
    this.stage = "args";
    this.refuse(word.holds, REFUSE.commandName);
    if (word.value === void 0) {
      if (!word.slash) this.taint ??= REFUSE.unknownCommand;
    } else if (PREFIXES.has(word.value)) {
      this.stage = "prefix";
      this.prefix = word.value;
    }
  }
  /** A word naming a builtin, wherever it stands (`timeout 5 read` reaches bash's read on macOS too): its rule for the words after it. */
  recognise(word) {
    const name = word.value;
    if (name === void 0) return;
    if (EVALUATING.has(name) || RESHAPING.has(name)) this.taint ??= builtinRefusal(name);
    if (RESHAPING.has(name)) this.events.doubt(DOUBT.reshaping(name));
    const letter = NAME_OPTION.get(name);
    if (letter !== void 0) this.rules.push(this.getoptRule(name, letter));
    if (TESTS.has(name)) this.rules.push(this.testRule(name));
    if (DECLARING.has(name)) this.rules.push(this.declaringRule(name));
  }
  /** `printf -v NAME`, `wait -p NAME`: no placeholder after the option, nor where the contents could be it. */
  getoptRule(builtin, letter) {
    const option2 = new RegExp(`^-[A-Za-z]*${letter}`);
    const named = builtinRefusal(`${builtin} -${letter}`);
    let options = true;
    return (word) => {
      if (word.value !== void 0) {
        if (option2.test(word.value)) this.taint ??= named;
        else if (word.value === "--" || word.value === "-" || !word.value.startsWith("-")) options = false;
      } else if (options) {
        if (word.lead !== "" && !word.lead.startsWith("-")) options = false;
        else {
          this.refuse(word.holds, optionRefusal(builtin, letter));
          this.taint ??= named;
        }
      }
    };
  }
  /** `test -v NAME`, `[ -R NAME ]`: no placeholder after those, nor next to a word that may be one. */
  testRule(builtin) {
    const named = builtinRefusal(`${builtin} -v`);
    let previous;
    return (word) => {
      if (word.value === "-v" || word.value === "-R") this.taint ??= named;
      if (previous !== void 0 && previous.value === void 0) this.refuse(word.holds, REFUSE.testOperand);
      if (previous !== void 0 && word.value === void 0) this.refuse(previous.holds, REFUSE.testOperand);
      previous = word;
    };
  }
  /** `declare`, `local`, `export`...: placeholders only as the value of a literal `NAME=`, and never with -i, -n, -a. */
  declaringRule(builtin) {
    const refusal = builtinRefusal(builtin);
    return (word) => {
      const assignment = ASSIGNMENT.test(word.raw);
      if (word.value !== void 0 ? ATTRIBUTE.test(word.value) : !assignment && ATTRIBUTING.has(builtin)) {
        this.events.doubt(DOUBT.attributes);
        this.taint ??= refusal;
      }
      if (!assignment) this.refuse(word.holds, refusal);
    };
  }
};

// src/prompt/scan-cursor.ts
var ScanCursor = class {
  constructor(text2, spans) {
    this.text = text2;
    this.spans = spans;
    this.end = text2.length;
    spans.forEach((span, n) => this.byStart.set(span.start, n));
    this.placements = spans.map(() => ({ kind: "refused", why: "where this check does not reach", fix: VARIABLE_FIRST }));
  }
  text;
  spans;
  /** The position read up to. */
  i = 0;
  /** Where reading stops: the text's end, or a here-document body's. */
  end;
  byStart = /* @__PURE__ */ new Map();
  placements;
  doubt;
  at(pos) {
    return this.byStart.has(pos);
  }
  endAt(pos) {
    const n = this.byStart.get(pos);
    return n === void 0 ? void 0 : this.spans[n].end;
  }
  within(start2, end) {
    let low = 0;
    let high = this.spans.length;
    while (low < high) {
      const middle = low + high >> 1;
      if (this.spans[middle].start < start2) low = middle + 1;
      else high = middle;
    }
    const found = [];
    for (let n = low; n < this.spans.length && this.spans[n].start < end; n++) found.push(n);
    return found;
  }
  /** Refuses placeholders already classified, found later to stand where bash evaluates them; a first refusal stands. */
  refuseLater(placeholders, refusal) {
    for (const n of placeholders) if (this.placements[n].kind !== "refused") this.placements[n] = { kind: "refused", ...refusal };
  }
  unsure(why) {
    this.doubt ??= why;
  }
  /** Classifies the placeholder at `this.i` and moves past it. */
  placeholder(kind2, refusal) {
    const n = this.byStart.get(this.i);
    const firstCr = this.text.indexOf("\r");
    if (firstCr >= 0 && firstCr < this.i) this.unsure(DOUBT.carriageReturn);
    this.placements[n] = this.doubt !== void 0 ? {
      kind: "refused",
      why: this.doubt,
      fix: 'assign it to a variable before that point (v={{{NAME}}} at the start of the command) and use "$v"'
    } : refusal !== void 0 ? { kind: "refused", ...refusal } : { kind: kind2 };
    this.i = this.spans[n].end;
  }
  /** A backslash at `this.i`: escapes the next character, and may not stand before a placeholder. */
  backslash(kind2) {
    if (this.at(this.i + 1)) {
      this.i++;
      this.placeholder(kind2, REFUSE.backslash);
    } else this.i += 2;
  }
  wordIs(word) {
    const after = this.i + word.length;
    return this.text.startsWith(word, this.i) && (after >= this.end || METACHAR.test(this.text[after]) && !this.at(after));
  }
};

// src/prompt/shell-scan.ts
var Scanner = class extends ScanCursor {
  pending = [];
  /** Counts plain() calls, naming the one a here-document operator is read in. */
  calls = 0;
  current = 0;
  /** Unquoted text up to `closer`: commands, or the values of an array assignment (`list`). */
  plain(closer, taint, list2 = false) {
    const outer = this.current;
    this.current = ++this.calls;
    this.plainBody(closer, taint, list2);
    this.current = outer;
  }
  plainBody(closer, taint, list2) {
    const t = this.text;
    const events = { refuse: this.refuseLater.bind(this), doubt: this.unsure.bind(this) };
    const words = new CommandWords(t, this, events, list2);
    const state = { wordStart: true, bracket: false, redirectEnd: -1 };
    const here = () => taint ?? (state.bracket ? REFUSE.subscript : void 0);
    while (this.i < this.end) {
      const c = t[this.i];
      if (c === "\n" || c === " " || c === "	") {
        if (c === "\n") words.reset(this.i);
        else words.end(this.i);
        this.i++;
        if (c === "\n") this.hereDocs(taint);
        state.wordStart = true;
        state.bracket = false;
        continue;
      }
      if (state.wordStart && !this.at(this.i)) {
        const read = this.commandStart(closer, taint, words);
        if (read === "closed") return;
        if (read === "compound") state.wordStart = false;
        if (read !== void 0) continue;
      }
      if (!METACHAR.test(c)) words.start(this.i);
      state.wordStart = false;
      if (this.at(this.i)) this.placeholder("plain", here());
      else if (c === "\\") this.backslash("plain");
      else if (c === "'") {
        const refusal = here();
        this.i++;
        this.single(refusal);
      } else if (c === '"') {
        const refusal = here();
        this.i++;
        this.double(refusal);
      } else if (c === "`") this.backtick();
      else if (c === "$") this.dollar(here(), "plain");
      else if (c === "(" && words.inWord() && t[this.i - 1] === "=") {
        this.i++;
        this.plain(")", taint, true);
      } else if ((c === "<" || c === ">") && t[this.i + 1] === "(") {
        words.start(this.i);
        this.i += 2;
        this.plain(")", taint);
      } else if (c === "(") {
        words.reset(this.i);
        this.i++;
        this.plain(")", taint);
        state.wordStart = true;
      } else if (c === ")") {
        words.reset(this.i);
        this.i++;
        if (closer === ")") return;
        state.wordStart = true;
      } else this.operator(c, closer, words, state);
    }
    words.reset(this.i);
    if (closer !== "top") this.unsure(DOUBT.unterminated(closer === ")" ? 'a "("' : 'a "[["'));
  }
  /**
   * Where a command word may start: a comment, `]]` closing a `[[`, a `[[` or `((` compound read
   * whole; undefined when none of those is at `this.i` (nothing is read then).
   */
  commandStart(closer, taint, words) {
    const t = this.text;
    if (t[this.i] === "#") {
      while (this.i < this.end && t[this.i] !== "\n") {
        if (this.at(this.i)) this.placeholder("plain", void 0);
        else this.i++;
      }
      return "comment";
    }
    if (closer !== "top" && this.wordIs("case")) this.unsure(DOUBT.caseInParens);
    if (closer === "]]" && this.wordIs("]]")) {
      words.reset(this.i);
      this.i += 2;
      return "closed";
    }
    if (this.wordIs("[[")) {
      this.i += 2;
      this.plain("]]", taint ?? REFUSE.doubleBracket);
      return "compound";
    }
    if (t.startsWith("((", this.i)) {
      this.i += 2;
      this.arithmetic("))");
      this.unsure(DOUBT.ambiguousArithmetic);
      return "compound";
    }
    return void 0;
  }
  /** An operator or any other character of unquoted text: redirections, here-documents, `;`, `&`, `|`, `[`. */
  operator(c, closer, words, state) {
    const t = this.text;
    if (c === "<" && t.startsWith("<<<", this.i)) {
      words.redirect(this.i);
      this.i += 3;
      state.wordStart = true;
      state.bracket = false;
      return;
    }
    if (c === "<" && t.startsWith("<<", this.i) && closer !== "]]") {
      words.redirect(this.i, false);
      this.i += 2;
      this.hereDocOperator();
      state.wordStart = true;
      return;
    }
    if (c === "[") state.bracket = true;
    if (c === "<" || c === ">" || (c === "&" || c === "|") && state.redirectEnd === this.i) {
      words.redirect(this.i);
      state.redirectEnd = this.i + 1;
    } else if (c === "&" && t[this.i + 1] === ">") words.ampersandRedirect(this.i);
    else if (c === ";" || c === "&" || c === "|") words.reset(this.i);
    else if (METACHAR.test(c)) words.end(this.i);
    this.i++;
    if (METACHAR.test(c)) {
      state.wordStart = true;
      state.bracket = false;
    }
  }
  single(taint) {
    while (this.i < this.end) {
      if (this.at(this.i)) this.placeholder("single", taint);
      else if (this.text[this.i++] === "'") return;
    }
    this.unsure(DOUBT.unterminated("a single quote"));
  }
  double(taint) {
    if (!this.doubleQuoted(taint, '"')) this.unsure(DOUBT.unterminated("a double quote"));
  }
  /**
   * Text read as inside double quotes, up to `closing` (consumed; true when found) or the end: in
   * a here-document's body there is no closing character, and `"` is an ordinary one.
   */
  doubleQuoted(taint, closing) {
    while (this.i < this.end) {
      if (this.at(this.i)) {
        this.placeholder("double", taint);
        continue;
      }
      const c = this.text[this.i];
      if (c === "\\") this.backslash("double");
      else if (c === "`") this.backtick();
      else if (c === "$") this.dollar(taint, "double");
      else {
        this.i++;
        if (c === closing) return true;
      }
    }
    return false;
  }
  /** A backtick substitution: read to its end, every placeholder in it refused. */
  backtick() {
    this.i++;
    while (this.i < this.end) {
      if (this.at(this.i)) this.placeholder("plain", REFUSE.backtick);
      else if (this.text[this.i] === "\\") this.i += 2;
      else if (this.text[this.i++] === "`") return;
    }
    this.unsure(DOUBT.unterminated("a backtick"));
  }
  /** `$` at `this.i`, in unquoted text or in double quotes (here-document bodies count as those). */
  dollar(taint, mode) {
    const t = this.text;
    const next = this.i + 1;
    if (this.at(next)) {
      this.i = next;
      this.placeholder(mode, REFUSE.dollar);
    } else if (t.startsWith("((", next)) {
      this.i += 3;
      this.arithmetic("))");
    } else if (t[next] === "(") {
      this.i += 2;
      this.plain(")", taint);
    } else if (t[next] === "{") {
      this.i += 2;
      this.parameter(mode);
    } else if (t[next] === "[") {
      this.i += 2;
      this.arithmetic("]");
    } else {
      if (mode === "plain" && t[next] === "'") this.unsure(DOUBT.ansiQuote);
      this.i++;
    }
  }
  /** `$((...))`, `((...))` or `$[...]`: read to the end, every placeholder in it refused. */
  arithmetic(closer) {
    const open = closer === "]" ? "[" : "(";
    let depth = 0;
    while (this.i < this.end) {
      if (this.at(this.i)) {
        this.placeholder("plain", REFUSE.arithmetic);
        continue;
      }
      const c = this.text[this.i];
      if (c === "\\") this.backslash("plain");
      else if (c === "'") {
        this.i++;
        this.single(REFUSE.arithmetic);
      } else if (c === '"') {
        this.i++;
        this.double(REFUSE.arithmetic);
      } else if (c === "`") this.backtick();
      else if (c === "$") this.dollar(REFUSE.arithmetic, "plain");
      else {
        this.i++;
        if (c === open) depth++;
        else if (c === closer[0]) {
          if (depth > 0) depth--;
          else if (closer === "]") return;
          else if (this.text[this.i] === ")") {
            this.i++;
            return;
          } else {
            this.unsure(DOUBT.ambiguousArithmetic);
            return;
          }
        }
      }
    }
    this.unsure(DOUBT.unterminated("an arithmetic expression"));
  }
  /** `${...}`: read to its closing brace, every placeholder in it refused. */
  parameter(mode) {
    while (this.i < this.end) {
      if (this.at(this.i)) {
        this.placeholder("plain", REFUSE.parameter);
        continue;
      }
      const c = this.text[this.i];
      if (c === "\\") this.backslash("plain");
      else if (c === "'") {
        if (mode === "double") this.unsure(DOUBT.quoteInParameter);
        this.i++;
        this.single(REFUSE.parameter);
      } else if (c === '"') {
        this.i++;
        this.double(REFUSE.parameter);
      } else if (c === "`") this.backtick();
      else if (c === "$") this.dollar(REFUSE.parameter, "plain");
      else if (this.text[this.i++] === "}") return;
    }
    this.unsure(DOUBT.unterminated('a "${"'));
  }
  /** After `<<`: the delimiter word, whose body starts after the next newline. */
  hereDocOperator() {
    const read = readHereDocWord(this.text, this.i, this.end, (pos) => this.at(pos));
    this.i = read.next;
    if (read.word === void 0) return this.unsure(DOUBT.hereDocWord);
    this.pending.push({ ...read.word, owner: this.current });
  }
  /** At the start of a line: the bodies of the here-documents opened on the line before. */
  hereDocs(taint) {
    const docs = this.pending;
    this.pending = [];
    if (docs.some((doc) => doc.owner !== this.current)) this.unsure(DOUBT.hereDocNested);
    for (const doc of docs) {
      const { bodyEnd, next, found } = findHereDocEnd(this.text, this.i, this.end, doc);
      if (!found) this.unsure(DOUBT.hereDocEnd(doc.delimiter));
      const outerEnd = this.end;
      this.end = bodyEnd;
      if (doc.quoted) {
        while (this.i < this.end) {
          if (this.at(this.i)) this.placeholder("double", REFUSE.quotedHereDoc);
          else this.i++;
        }
      } else this.doubleQuoted(taint, void 0);
      this.end = outerEnd;
      this.i = next;
    }
  }
};
function placePlaceholders(text2, spans) {
  const scanner = new Scanner(text2, spans);
  scanner.plain("top", void 0);
  return scanner.placements;
}

// src/prompt/command.ts
function lineColumn2(text2, position) {
  const before2 = text2.slice(0, position);
  const line = before2.split("\n").length;
  return `line ${line}, column ${position - before2.lastIndexOf("\n")}`;
}
function compileCommand(cmd) {
  const placeholders = findPlaceholders(cmd);
  if (placeholders.length === 0) return { script: cmd, variables: /* @__PURE__ */ new Map() };
  let placements;
  try {
    placements = placePlaceholders(cmd, placeholders);
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    throw new UsageError("the command nests $(...), quotes or parentheses too deeply to check its placeholders", { cause: error });
  }
  const variables = /* @__PURE__ */ new Map();
  const problems = [];
  let script = "";
  let last = 0;
  placeholders.forEach((placeholder, n) => {
    const ref = placeholder.text.slice(3, -3);
    let variable = variables.get(ref);
    if (variable === void 0) {
      variable = `ORCHESTRATOR_KEY_${variables.size + 1}`;
      variables.set(ref, variable);
    }
    const placement = placements[n];
    script += cmd.slice(last, placeholder.start);
    last = placeholder.end;
    if (placement.kind === "refused") {
      const fix = placement.fix.replaceAll("{{{NAME}}}", placeholder.text);
      problems.push(`${placeholder.text} at ${lineColumn2(cmd, placeholder.start)} stands ${placement.why}: ${fix}`);
      return;
    }
    script += placement.kind === "double" ? `\${${variable}}` : placement.kind === "single" ? `'"\${${variable}}"'` : `"\${${variable}}"`;
  });
  if (problems.length > 0) throw new UsageError(problems);
  return { script: script + cmd.slice(last), variables };
}

// src/engine/step-sources.ts
function loadStepSources(config, steps, list2, at, check, problems) {
  const templates = /* @__PURE__ */ new Map();
  const commands = /* @__PURE__ */ new Map();
  for (const step2 of steps) {
    const where2 = stepWhere(config.file, step2.index, step2.label, list2);
    if (step2.cmd !== void 0) {
      check(step2.cmd, where2, '"cmd"');
      try {
        commands.set(step2.index, compileCommand(step2.cmd));
      } catch (error) {
        if (!(error instanceof UsageError)) throw error;
        problems.push(...error.problems.map((problem) => `${where2}: field "cmd": ${problem}`));
      }
    } else if (step2.prompt?.kind === "inline") {
      check(step2.prompt.text, where2, '"prompt"');
    } else if (step2.prompt?.kind === "file") {
      check(step2.prompt.path, where2, "the prompt file path");
      if (placeholderNames(step2.prompt.path).length === 0) {
        const file = tryReadInputFile(resolve5(at.base, step2.prompt.path), at.rules);
        if ("problem" in file) problems.push(`${where2}: ${inputFileMessage("prompt file", step2.prompt.path, file.problem)}`);
        else {
          const text2 = file.bytes.toString("utf8");
          templates.set(step2.index, text2);
          check(text2, where2, `prompt file ${JSON.stringify(step2.prompt.path)}`);
        }
      }
    }
  }
  return { templates, commands };
}
var noPlaceholders = (problems) => (text2, where2, what) => {
  const written = [.../* @__PURE__ */ new Set([...findPlaceholders(text2).map((p) => p.text), ...unknownPlaceholderFields(text2)])];
  for (const placeholder of written) {
    problems.push(
      `${where2}: ${placeholder} in ${what}: after steps run once over all leaves, not per flow, so no key file fills it (remove it: the leaves, with their keys and outputs, come as the previous output)`
    );
  }
};
function loadAfterSources(config, at) {
  const problems = [];
  const sources = loadStepSources(config, config.after, "after", at, noPlaceholders(problems), problems);
  return { sources, problems };
}

// src/engine/prepare.ts
function loadDefinition(configFile, keys, base, rules = {}, hints = {}) {
  const configRead = tryReadInputFile(resolve6(base, configFile), { ...rules, pipes: true });
  if ("problem" in configRead) throw new UsageError(inputFileMessage("the config file", configFile, configRead.problem));
  const configText = configRead.bytes.toString("utf8");
  let config;
  let keyLists = [];
  const early2 = [];
  const problems = [];
  const warnings = [];
  for (const load of [
    () => {
      const parsed = parseConfigLenient(configText, configFile, hints);
      config = parsed.config;
      problems.push(...parsed.problems);
    },
    () => keyLists = readKeyLists(keys, base, { ...rules, warnings })
  ]) {
    try {
      load();
    } catch (error) {
      if (!(error instanceof UsageError)) throw error;
      early2.push(...error.problems);
    }
  }
  if (config === void 0) throw new UsageError([...problems, ...early2]);
  problems.push(...early2);
  const keyNames = new Set(keys.map((k) => k.name));
  const valueNames = new Set(keys.filter((k) => k.kind === "values").map((k) => k.name));
  const used = /* @__PURE__ */ new Set();
  const requireKeys = (text2, where3, what) => {
    const reported = /* @__PURE__ */ new Set();
    for (const { name, field, text: written } of findPlaceholders(text2)) {
      used.add(name);
      if (reported.has(written)) continue;
      if (!keyNames.has(name)) {
        reported.add(written);
        problems.push(`${where3}: ${written} in ${what} has no key: add --key ${name}:FILE (or --values ${name}:FILE)`);
      } else if (field === "path" && valueNames.has(name)) {
        reported.add(written);
        problems.push(
          `${where3}: ${written} in ${what}: --values ${name} lists values, not files, so there is no path: write {{{${name}}}}`
        );
      }
    }
    for (const written of unknownPlaceholderFields(text2)) {
      problems.push(
        `${where3}: ${written} in ${what} is not a placeholder: write {{{NAME}}} for the contents or {{{NAME:path}}} for the path`
      );
    }
    for (const { written, meant } of nearPlaceholders(text2, keyNames)) {
      problems.push(`${where3}: ${written} in ${what} is not a placeholder (they take three braces, no spaces): write ${meant}`);
    }
  };
  const where2 = { base, rules };
  const main = loadStepSources(config, config.steps, "steps", where2, requireKeys, problems);
  const after = loadStepSources(config, config.after, "after", where2, noPlaceholders(problems), problems);
  for (const name of keyNames) {
    if (!used.has(name)) {
      const flag2 = valueNames.has(name) ? "--values" : "--key";
      warnings.push(`${flag2} ${name}: neither {{{${name}}}} nor {{{${name}:path}}} is used by any step (it still multiplies the flows)`);
    }
  }
  if (early2.length > 0) throw new UsageError(problems);
  const { templates, commands } = main;
  return { config, keyLists, templates, commands, after, copy: configText, problems, warnings };
}
function prepare(options, now = /* @__PURE__ */ new Date()) {
  const base = options.baseDir;
  const definition = loadDefinition(
    options.configFile,
    options.keys,
    base,
    { confineTo: options.confineTo },
    { options: options.optionNames }
  );
  const { config, keyLists, problems, warnings } = definition;
  const found = { problems, warnings };
  const runsAfter = (options.shard?.count ?? 1) === 1;
  const ranSteps = runsAfter ? [...config.steps, ...config.after] : config.steps;
  const workdir = checkWorkdir(options, config, ranSteps, found);
  const outputProblem = outputDirProblem(resolve6(base, options.outputDir));
  if (outputProblem !== void 0) problems.push(`--output ${JSON.stringify(options.outputDir)}: ${outputProblem}`);
  const prices = withOverrides(config.prices);
  const spend = spendChecks(options.configFile, { steps: config.steps, after: runsAfter ? config.after : [] }, options, prices);
  problems.push(...spend.problems);
  warnings.push(...spend.warnings);
  const { apiKey, codexPath } = findCredentials(options, ranSteps, found);
  const space = new FlowSpace(keyLists);
  const shard2 = checkShard(options, space, problems);
  const { runId, runDir } = checkRunDir(options, shard2, outputProblem === void 0, now, problems);
  if (problems.length > 0) throw new UsageError(problems);
  const keysHash = hashKeyLists(keyLists);
  if (options.resume || shard2.count > 1) {
    const what = options.resume ? "--resume" : `--shard ${shard2.index}/${shard2.count}`;
    checkSameRun(join6(runDir, "run.json"), config.hash, { hash: keysHash, lists: keyLists }, join6(options.outputDir, runId), what);
  }
  const { templates, commands, after, copy: configCopy } = definition;
  const range2 = shardRange(space.total, shard2);
  return {
    options,
    config,
    space,
    keysHash,
    runId,
    runDir,
    workdir,
    shard: shard2,
    range: range2,
    templates,
    commands,
    after,
    configCopy,
    apiKey,
    codexPath,
    prices,
    warnings
  };
}

// src/engine/flow-space.ts
function loadFlowSpace(configFile, keys, base, confineTo) {
  const definition = loadDefinition(configFile, keys, base, { confineTo });
  if (definition.problems.length > 0) throw new UsageError(definition.problems);
  return new FlowSpace(definition.keyLists);
}

// src/engine/run.ts
import { setMaxListeners } from "node:events";
import { join as join28 } from "node:path";

// src/model/results.ts
var STATUSES = ["succeeded", "failed", "cancelled"];
var isNotStarted = (item) => "count" in item && "from" in item;
var COMPACT_FROM = 100;

// src/results/results.ts
function leafLabel(leaf, part = (text2) => text2) {
  if (leaf.branch.length === 0) return part(leaf.id);
  return `${part(leaf.id)} [${leaf.branch.map((n) => Number.isSafeInteger(n) ? String(n) : part(String(n))).join(".")}]`;
}
function compareLeaves(a, b) {
  if (a.id !== b.id) return a.id < b.id ? -1 : 1;
  for (let i = 0; i < Math.min(a.branch.length, b.branch.length); i++) {
    if (a.branch[i] !== b.branch[i]) return a.branch[i] - b.branch[i];
  }
  return a.branch.length - b.branch.length;
}
var TotalsCounter = class {
  flowsSeen = 0;
  lastFlow;
  flowDirs = /* @__PURE__ */ new Set();
  counts = { succeeded: 0, failed: 0, cancelled: 0 };
  usage = NO_USAGE;
  cache = { steps: 0, saved: NO_USAGE };
  leaves = 0;
  /** Adds one leaf, or a range of never-started leaves (each a cancelled leaf). */
  add(item) {
    const first = isNotStarted(item) ? item.from : item;
    if (first.id !== this.lastFlow) {
      this.flowDirs = /* @__PURE__ */ new Set();
      this.flowsSeen++;
    }
    if (isNotStarted(item)) {
      if (item.from.branch.length === 0) this.flowsSeen += item.count - 1;
      this.lastFlow = item.to.id;
      this.leaves += item.count;
      this.counts.cancelled += item.count;
    } else {
      this.lastFlow = item.id;
      this.leaves++;
      this.counts[item.status]++;
    }
    for (const step2 of item.steps) {
      if (this.flowDirs.has(step2.dir)) continue;
      this.flowDirs.add(step2.dir);
      this.usage = addUsage(this.usage, step2.usage);
      if (step2.cached === true) this.cache = { steps: this.cache.steps + 1, saved: addUsage(this.cache.saved, step2.saved) };
    }
  }
  totals(flowsTotal = this.flowsSeen) {
    const cache = this.cache.steps > 0 ? { cache: this.cache } : {};
    return { flows_total: flowsTotal, total: this.leaves, ...this.counts, usage: this.usage, ...cache };
  }
};
function countLeaves(leaves, flowsTotal) {
  const counter = new TotalsCounter();
  for (const leaf of leaves) counter.add(leaf);
  return counter.totals(flowsTotal);
}
function leafUsage(steps) {
  return steps.reduce((sum, step2) => addUsage(sum, step2.usage), NO_USAGE);
}
function unstartedEntry(id, keys, reason) {
  return {
    id,
    branch: [],
    keys,
    status: "cancelled",
    output: null,
    final_message: null,
    error: reason,
    duration_ms: 0,
    usage: NO_USAGE,
    steps: []
  };
}
function* unstartedFlows(from, to, idOf, keysOf, reason) {
  if (to <= from) return;
  if (to - from >= COMPACT_FROM) {
    const range2 = {
      from: { id: idOf(from), branch: [] },
      to: { id: idOf(to - 1), branch: [] },
      count: to - from,
      reason,
      steps: []
    };
    yield range2;
    return;
  }
  for (let index = from; index < to; index++) yield unstartedEntry(idOf(index), keysOf(index), reason);
}

// src/report/html-file.ts
import { closeSync as closeSync4, readSync as readSync3, renameSync as renameSync2, writeSync as writeSync3 } from "node:fs";
import { join as join7 } from "node:path";

// src/report/baseline-compare.ts
import { createHash as createHash3 } from "node:crypto";

// src/report/checks.ts
var checkKey = (step2, nth, check) => {
  const name = quoted(step2, /^"| › | #\d+$/);
  return `${nth === 1 ? name : `${name} #${nth}`} \u203A ${quoted(check.name, /^"| › /)}`;
};
var quoted = (name, ambiguous) => ambiguous.test(name) ? JSON.stringify(name) : name;
function* leafChecks(leaf) {
  const named = /* @__PURE__ */ new Map();
  for (const step2 of leaf.steps) {
    const nth = (named.get(step2.name) ?? 0) + 1;
    named.set(step2.name, nth);
    for (const check of step2.checks ?? []) yield { key: checkKey(step2.name, nth, check), check };
  }
}
var FAILURES_KEPT = 200;
var CheckTally = class {
  rates = /* @__PURE__ */ new Map();
  failures = [];
  /** Leaves that failed at least one check. */
  failingLeaves = 0;
  add(item) {
    if (isNotStarted(item)) return;
    let failing = false;
    for (const { key, check } of leafChecks(item)) {
      let rate = this.rates.get(key);
      if (rate === void 0) this.rates.set(key, rate = { key, passed: 0, failed: 0, skipped: 0 });
      if (checkFailed(check)) {
        rate.failed++;
        failing = true;
        if (this.failures.length < FAILURES_KEPT)
          this.failures.push({ leaf: leafLabel(item, (s) => s), id: item.id, branch: item.branch, key, reason: check.reason });
      } else if (check.skipped === true) rate.skipped++;
      else rate.passed++;
    }
    if (failing) this.failingLeaves++;
  }
  /** Whether any leaf recorded a check. */
  get any() {
    return this.rates.size > 0;
  }
  /** Each check's counts, in the order first seen (config order). */
  checks() {
    return [...this.rates.values()];
  }
  /** The first failures (at most `max`), in results order. */
  failed(max = FAILURES_KEPT) {
    return this.failures.slice(0, max);
  }
  /** All failures, also those not kept. */
  get failuresTotal() {
    return this.checks().reduce((sum, rate) => sum + rate.failed, 0);
  }
};
function rateText(rate) {
  const ran = rate.passed + rate.failed;
  const percent = ran === 0 ? "\u2013" : `${Math.round(100 * rate.passed / ran)} %`;
  return `${rate.passed}/${ran} (${percent})${rate.skipped > 0 ? `, ${rate.skipped} not graded` : ""}`;
}
function tallyChecks(leaves) {
  const tally = new CheckTally();
  for (const leaf of leaves) tally.add(leaf);
  return tally;
}

// src/report/baseline-compare.ts
var MARKS = ["new", "changed", "unchanged", "newly failing", "fixed"];
var NOT_COMPARED = 255;
var TEXT_LIMIT = 2e4;
var TEXTS_LIMIT = 8 * 1024 * 1024;
function matchKey(leaf) {
  const keys = Object.entries(leaf.keys).sort(([a], [b]) => a < b ? -1 : a > b ? 1 : 0);
  return JSON.stringify([keys, leaf.branch]);
}
var digest = (text2) => text2 === null ? "" : createHash3("sha256").update(text2).digest("base64");
var BaselineComparison = class {
  constructor(baselineRunId, baseline, current, outputOf = {}) {
    this.baselineRunId = baselineRunId;
    const before2 = outputOf.baseline ?? ((leaf) => leaf.output);
    const now = outputOf.current ?? ((leaf) => leaf.output);
    const index = /* @__PURE__ */ new Map();
    let baselineLeaves = 0;
    for (const item of baseline()) {
      if (isNotStarted(item)) continue;
      const key = matchKey(item);
      const list2 = index.get(key) ?? [];
      list2.push({ succeeded: item.status === "succeeded", output: digest(before2(item)), ordinal: baselineLeaves, ...verdicts(item) });
      index.set(key, list2);
      baselineLeaves++;
    }
    let marks = new Uint8Array(1024);
    let n = 0;
    let matched = 0;
    let notCompared = 0;
    const changed = /* @__PURE__ */ new Map();
    for (const item of current) {
      if (n === marks.length) {
        const grown = new Uint8Array(marks.length * 2);
        grown.set(marks);
        marks = grown;
      }
      if (isNotStarted(item)) {
        marks[n++] = NOT_COMPARED;
        notCompared += item.count;
        continue;
      }
      const match = index.get(matchKey(item))?.shift();
      if (match !== void 0) matched++;
      const mark = markOf(item, match, now);
      if (match?.checks !== void 0) this.checks.compare(item, match.checks);
      if (mark === "changed") changed.set(match.ordinal, n);
      this.counts[mark]++;
      marks[n++] = MARKS.indexOf(mark);
    }
    this.marks = marks.subarray(0, n);
    this.gone = baselineLeaves - matched;
    this.notCompared = notCompared;
    if (changed.size > 0) this.keepTexts(baseline(), changed, before2);
  }
  baselineRunId;
  counts = { new: 0, changed: 0, unchanged: 0, "newly failing": 0, fixed: 0 };
  /** Baseline leaves no leaf of this run matched (their keys are gone from the key lists). */
  gone;
  /** Leaves of this run never started: not compared. */
  notCompared;
  marks;
  /** Checks that failed in the baseline and pass now, or the other way round, leaf by leaf. */
  checks = new CheckChanges();
  /** Result item index -> the baseline's output of a changed leaf (cut: [text, full length]). */
  before = /* @__PURE__ */ new Map();
  keepTexts(baseline, changed, outputOf) {
    let budget = TEXTS_LIMIT;
    let ordinal = 0;
    for (const item of baseline) {
      if (isNotStarted(item)) continue;
      const at = changed.get(ordinal++);
      if (at === void 0 || budget <= 0) continue;
      const output = outputOf(item);
      if (output === null) continue;
      const max = Math.min(TEXT_LIMIT, budget);
      budget -= Math.min(max, output.length);
      this.before.set(at, output.length > max ? [output.slice(0, max), output.length] : output);
    }
  }
  /** The baseline's output of the i-th result item when it changed (cut: [text, full length]). */
  beforeAt(i) {
    return this.before.get(i);
  }
  /** The mark of the i-th result item (in results order); undefined for a never-started range. */
  markAt(i) {
    const code = this.marks[i];
    return code === void 0 || code === NOT_COMPARED ? void 0 : MARKS[code];
  }
  /** The index in MARKS of the i-th result item, or -1: for the HTML report. */
  codeAt(i) {
    const code = this.marks[i];
    return code === void 0 || code === NOT_COMPARED ? -1 : code;
  }
};
function verdicts(leaf) {
  const checks = /* @__PURE__ */ new Map();
  for (const { key, check } of leafChecks(leaf)) if (!check.skipped) checks.set(key, check.passed);
  return checks.size === 0 ? {} : { checks };
}
var CHANGES_KEPT = 200;
var CheckChanges = class {
  newlyFailing = [];
  newlyPassing = [];
  failing = 0;
  passing = 0;
  compare(leaf, before2) {
    for (const { key, check } of leafChecks(leaf)) {
      const was = before2.get(key);
      if (was === void 0 || check.skipped || was === check.passed) continue;
      const change = { leaf: leafLabel(leaf, (s) => s), key, reason: check.reason };
      if (check.passed) {
        this.passing++;
        if (this.newlyPassing.length < CHANGES_KEPT) this.newlyPassing.push(change);
      } else {
        this.failing++;
        if (this.newlyFailing.length < CHANGES_KEPT) this.newlyFailing.push(change);
      }
    }
  }
};
function markOf(leaf, before2, outputOf) {
  if (before2 === void 0) return "new";
  const succeeded = leaf.status === "succeeded";
  if (succeeded && before2.succeeded) return digest(outputOf(leaf)) === before2.output ? "unchanged" : "changed";
  if (succeeded) return "fixed";
  return before2.succeeded ? "newly failing" : "unchanged";
}

// src/report/html-texts.ts
var STEP_FILES = [
  "command.txt",
  "prompt.txt",
  "output.txt",
  "final_message.txt",
  "error.txt",
  "stderr.txt",
  "changes.patch"
];
var STDERR_TAIL = 4e3;
var TEXT_LIMIT2 = 2e4;
function scriptJson(value) {
  const json = JSON.stringify(value);
  return UNSAFE_IN_SCRIPT.test(json) ? json.replace(UNSAFE_IN_SCRIPT_ALL, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`) : json;
}
var UNSAFE_IN_SCRIPT = /[<>&\u2028\u2029]/;
var UNSAFE_IN_SCRIPT_ALL = /[<>&\u2028\u2029]/g;

// src/report/html-rows.ts
var STATUS_CODE = { succeeded: 0, failed: 1, cancelled: 2 };
var AFTER_TEXT = 2e5;
var firstLine = (text2) => {
  if (text2 === null) return "";
  const line = text2.trimStart().split("\n", 1)[0] ?? "";
  return line.length > 200 ? `${line.slice(0, 200)}\u2026` : line;
};
var address = (a) => a.branch.length > 0 ? `${a.id} [${a.branch.join(".")}]` : a.id;
function keyPairs(keys) {
  const pairs = [];
  for (const name in keys) if (Object.hasOwn(keys, name)) pairs.push(name, keys[name]);
  return pairs;
}
var HtmlRows = class {
  constructor(input, push) {
    this.input = input;
    this.push = push;
    this.blocks = new TextBlocks(input);
  }
  input;
  push;
  checks = new CheckTally();
  blocks;
  item = 0;
  get textLimit() {
    return this.blocks.textLimit;
  }
  /** The blocks kept, without `input.emit`. */
  get kept() {
    return this.blocks.kept;
  }
  /** results.json `after` for the page: [status, output, error, tokens, steps]; before any leaf. */
  after(a) {
    const { blocks } = this;
    return [
      STATUS_CODE[a.status],
      blocks.afterText(a.output),
      blocks.afterText(a.error),
      a.usage.input_tokens + a.usage.output_tokens,
      a.steps.map((s) => blocks.stepRow(s))
    ];
  }
  /** The row of one leaf, or of a run of never-started ones. */
  add(leaf) {
    const { blocks, input } = this;
    this.checks.add(leaf);
    blocks.flow(isNotStarted(leaf) ? leaf.from.id : leaf.id);
    const mark = input.baseline?.codeAt(this.item++) ?? -1;
    if (isNotStarted(leaf)) {
      const name = `${address(leaf.from)} \u2026 ${address(leaf.to)}`;
      const steps = leaf.steps.map((s) => blocks.stepRow(s, leaf.tree));
      this.push([name, "", [], STATUS_CODE.cancelled, 0, 0, `${leaf.count} leaves not started: ${leaf.reason}`, 0, steps, mark]);
      return;
    }
    const inTree = (path) => leaf.tree ? `${leaf.tree}/${path}` : path;
    const changes2 = leaf.changes ? [leaf.changes.files.length, leaf.changes.added, leaf.changes.removed, inTree(leaf.changes.patch)] : 0;
    this.push([
      leaf.id,
      leaf.branch.join("."),
      keyPairs(leaf.keys),
      STATUS_CODE[leaf.status],
      leaf.duration_ms,
      leaf.usage.input_tokens + leaf.usage.output_tokens,
      firstLine(leaf.status === "succeeded" ? leaf.output : leaf.error ?? leaf.output),
      changes2,
      leaf.steps.map((s) => blocks.stepRow(s, leaf.tree)),
      mark,
      blocks.before(input.baseline?.beforeAt(this.item - 1))
    ]);
  }
};
var TextBlocks = class {
  constructor(input) {
    this.input = input;
    this.textLimit = input.textLimit ?? TEXT_LIMIT2;
    this.budget = input.totalLimit ?? 32 * 1024 * 1024;
  }
  input;
  textLimit;
  budget;
  kept = [];
  stepIndex = /* @__PURE__ */ new Map();
  blockCount = 0;
  flowId;
  beforeCount = 0;
  /** A step as a table row; merged results: a leaf's files are in its shard's directory (`tree`, relative to the report's). */
  stepRow(s, tree) {
    const dir = tree ? `${tree}/${s.dir}` : s.dir;
    return [s.name, s.type, STATUS_CODE[s.status], s.duration_ms, dir, this.step(dir)];
  }
  /** The baseline's output of a changed leaf, in its own block (parsed when the leaf is opened); -1 for none. */
  before(text2) {
    if (text2 === void 0 || this.budget <= 0) return -1;
    this.budget -= typeof text2 === "string" ? text2.length : text2[0].length;
    this.emit(`<script type="application/json" id="b${this.beforeCount}">${scriptJson(text2)}</script>`);
    return this.beforeCount++;
  }
  /** An after step's text: cut to what the budget and AFTER_TEXT allow, as [text, length] when cut. */
  afterText(t) {
    if (t === null) return null;
    const max = Math.max(0, Math.min(AFTER_TEXT, this.budget));
    this.budget -= Math.min(t.length, max);
    return t.length > max ? [t.slice(0, max), t.length] : t;
  }
  step(dir) {
    const known = this.stepIndex.get(dir);
    if (known !== void 0) return known;
    const texts = [];
    for (const file of STEP_FILES) {
      const tail = file === "stderr.txt";
      const loaded = this.input.load(`${dir}/${file}`, Math.max(0, Math.min(tail ? STDERR_TAIL : this.textLimit, this.budget)), tail);
      if (loaded === void 0) {
        texts.push(null);
        continue;
      }
      this.budget -= loaded.text.length;
      if (loaded.truncatedFrom === void 0) texts.push(loaded.text);
      else texts.push([loaded.text === "" ? null : loaded.text, loaded.truncatedFrom]);
    }
    while (texts.length > 0 && texts[texts.length - 1] === null) texts.pop();
    const index = this.blockCount;
    this.stepIndex.set(dir, index);
    this.emit(`<script type="application/json" id="s${index}">${scriptJson(texts)}</script>`);
    return index;
  }
  /** Steps are shared only by the leaves of one flow: the blocks of earlier flows' steps are not looked up again (nor kept). */
  flow(id) {
    if (id === this.flowId) return;
    this.stepIndex.clear();
    this.flowId = id;
  }
  emit(block2) {
    this.blockCount++;
    if (this.input.emit) this.input.emit(`${block2}
`);
    else this.kept.push(block2);
  }
};

// src/report/html-script-checks.ts
var CHECKS_SCRIPT = String.raw`
  function checksBox(c) {
    var box = el('section', 'checks');
    box.appendChild(el('h2', '', 'Checks'));
    var t = el('table', 'checks-table');
    var head = el('tr');
    ['check', 'passed', 'failed', 'pass rate'].forEach(function (h) { head.appendChild(el('th', '', h)); });
    t.appendChild(head);
    c.rates.forEach(function (r) {
      var tr = el('tr');
      var ran = r[1] + r[2];
      tr.appendChild(el('td', '', r[0]));
      tr.appendChild(el('td', 'num', num(r[1])));
      tr.appendChild(el('td', 'num' + (r[2] ? ' bad' : ''), num(r[2])));
      tr.appendChild(el('td', 'num', (ran ? Math.round(100 * r[1] / ran) + ' %' : '\u2014') + (r[3] ? ' (' + num(r[3]) + ' not graded)' : '')));
      t.appendChild(tr);
    });
    box.appendChild(t);
    if (c.failures.length) {
      box.appendChild(el('p', '', num(c.failing_leaves) + ' results failed a check:'));
      var ul = el('ul', 'check-failures');
      c.failures.forEach(function (f) {
        var li = el('li');
        var a = el('a', '', f[0]);
        a.href = '#' + encodeURIComponent(f[1]);
        li.appendChild(a);
        li.appendChild(document.createTextNode(' \u00b7 ' + f[2] + ': ' + f[3]));
        ul.appendChild(li);
      });
      box.appendChild(ul);
    }
    if (c.changes && (c.changes.failing || c.changes.passing)) {
      box.appendChild(el('p', '', 'Compared with the baseline: ' + num(c.changes.failing) + ' newly failing \u00b7 ' + num(c.changes.passing) + ' newly passing'));
      var changes = el('ul', 'check-changes');
      [['newly failing', c.changes.newly_failing], ['newly passing', c.changes.newly_passing]].forEach(function (kind) {
        kind[1].forEach(function (x) { changes.appendChild(el('li', '', kind[0] + ': ' + x[0] + ' \u00b7 ' + x[1] + ': ' + x[2])); });
      });
      box.appendChild(changes);
    }
    return box;
  }
  if (summary.checks) app.insertBefore(checksBox(summary.checks), controls);
`;

// src/report/html-script-steps.ts
var STEPS_SCRIPT = String.raw`
  // the order of STEP_FILES in html.ts
  var FILES = ['command.txt', 'prompt.txt', 'output.txt', 'final_message.txt', 'error.txt', 'stderr.txt', 'changes.patch'];
  var LABELS = { 'command.txt': 'command', 'prompt.txt': 'prompt', 'output.txt': 'output', 'final_message.txt': 'final message', 'error.txt': 'error', 'stderr.txt': 'stderr (last lines)', 'changes.patch': 'changes.patch' };
  var OPEN = { 'command.txt': true, 'output.txt': true, 'final_message.txt': true, 'error.txt': true, 'changes.patch': true };
  var steps = {};
  function stepTexts(index) {
    if (!(index in steps)) steps[index] = JSON.parse(document.getElementById('s' + index).textContent);
    return steps[index];
  }
  function detail(l, td) {
    if (l[7]) {
      var files = el('div', 'files', num(l[7][0]) + ' file(s) changed, +' + num(l[7][1]) + ' -' + num(l[7][2]) + ' (' + l[7][3] + ')');
      td.appendChild(files);
    }
    if (base && l[10] >= 0) td.appendChild(beforeBox(l[10], currentOutput(l[8])));
    stepBoxes(l[8], td);
  }
  // a changed leaf: the baseline run's output, to read beside this run's (its last step's output below)
  function beforeBox(n, now) {
    var t = JSON.parse(document.getElementById('b' + n).textContent);
    if (typeof t === 'string') t = [t];
    var box = el('section', 'step before');
    var h = el('div', 'head');
    h.appendChild(el('span', 'name', 'output compared with ' + base.run_id));
    h.appendChild(el('span', 'meta', '- lines only in the baseline, + lines only in this run'));
    box.appendChild(h);
    if (t.length > 1 || (now && now.length > 1)) box.appendChild(el('div', 'note', 'The texts are cut (baseline: ' + num(t[0].length) + ' characters shown' + (t.length > 1 ? ' of ' + num(t[1]) : '') + '): lines past the cut are not compared.'));
    var lines = now === null ? null : lineDiff(t[0], now[0]);
    if (lines === null) {
      // no output of this run to compare with, or texts too long to compare line by line
      box.appendChild(el('div', 'note', now === null ? 'This run\u2019s output is not in this report: the baseline\u2019s is below.' : 'Too long to compare line by line: the baseline\u2019s output is below, this run\u2019s in its last step.'));
      box.appendChild(el('pre', 'baseline', t[0]));
      return box;
    }
    var pre = el('pre', 'diff output-diff');
    lines.forEach(function (x) { pre.appendChild(el('span', x[0] === '+' ? 'add' : x[0] === '-' ? 'del' : '', x[0] + ' ' + x[1])); });
    box.appendChild(pre);
    var d = el('details');
    d.appendChild(el('summary', '', 'the baseline\u2019s output as it was'));
    d.appendChild(el('pre', 'baseline', t[0]));
    box.appendChild(d);
    return box;
  }
  // this run's output of a leaf: its last step's final message, else its output ([text] or [text, bytes] when cut)
  function currentOutput(list) {
    if (!list.length) return null;
    var texts = stepTexts(list[list.length - 1][5]);
    var t = texts[FILES.indexOf('final_message.txt')];
    if (t === null || t === undefined) t = texts[FILES.indexOf('output.txt')];
    if (t === null || t === undefined) return null;
    if (typeof t === 'string') t = [t];
    return t[0] === null ? null : t;
  }
  // a line diff by longest common subsequence: [[' ' | '-' | '+', line], ...]; null when too long to compute here
  function lineDiff(a, b) {
    var x = a.split('\n'), y = b.split('\n');
    if (x[x.length - 1] === '' && y[y.length - 1] === '') { x.pop(); y.pop(); }
    var start = 0;
    while (start < x.length && start < y.length && x[start] === y[start]) start++;
    var ex = x.length, ey = y.length;
    while (ex > start && ey > start && x[ex - 1] === y[ey - 1]) { ex--; ey--; }
    var n = ex - start, m = ey - start;
    if (n * m > 4000000) return null;
    var out = [];
    var i, j;
    for (i = 0; i < start; i++) out.push([' ', x[i]]);
    // lengths of the common subsequences of the suffixes, one row per line of x
    var w = m + 1, len = new Uint32Array((n + 1) * w);
    for (i = n - 1; i >= 0; i--)
      for (j = m - 1; j >= 0; j--)
        len[i * w + j] = x[start + i] === y[start + j] ? len[(i + 1) * w + j + 1] + 1 : Math.max(len[(i + 1) * w + j], len[i * w + j + 1]);
    i = 0; j = 0;
    while (i < n || j < m) {
      if (i < n && j < m && x[start + i] === y[start + j]) { out.push([' ', x[start + i]]); i++; j++; }
      // a removed line before the line that replaces it
      else if (i < n && (j === m || len[(i + 1) * w + j] >= len[i * w + j + 1])) { out.push(['-', x[start + i]]); i++; }
      else { out.push(['+', y[start + j]]); j++; }
    }
    for (i = ex; i < x.length; i++) out.push([' ', x[i]]);
    return out;
  }
  // the after steps, over all results: [status, output, error, tokens, steps]; a text cut short is [text, length]
  function afterBox(a) {
    var box = el('section', 'after');
    box.id = 'after';
    var h = el('div', 'head');
    h.appendChild(el('span', 'name', a[4].map(function (s) { return s[0]; }).join(' \u2192 ') || 'after'));
    h.appendChild(el('span', 'badge ' + STATUS[a[0]], STATUS[a[0]]));
    h.appendChild(el('span', 'meta', 'after steps, over all results' + (a[3] ? ' \u00b7 ' + num(a[3]) + ' tokens' : '')));
    box.appendChild(h);
    var last = a[4].length ? a[4][a[4].length - 1][4] + '/output.txt' : 'after/';
    [[a[2], 'text error'], [a[1], 'text output']].forEach(function (t) {
      if (t[0] === null) return;
      var text = typeof t[0] === 'string' ? [t[0]] : t[0];
      if (text.length > 1) box.appendChild(el('div', 'note', 'Showing the first ' + num(text[0].length) + ' characters of ' + num(text[1]) + ': the full text is ' + last + ' in the run directory.'));
      box.appendChild(el('div', t[1], text[0]));
    });
    if (a[4].length) {
      var d = el('details');
      d.appendChild(el('summary', '', 'after steps (' + num(a[4].length) + '): prompts, outputs, errors'));
      stepBoxes(a[4], d);
      box.appendChild(d);
    }
    return box;
  }
  function stepBoxes(list, into) {
    list.forEach(function (s) {
      var box = el('section', 'step');
      var h = el('div', 'head');
      h.appendChild(el('span', 'name', s[0]));
      h.appendChild(el('span', 'badge ' + STATUS[s[2]], STATUS[s[2]]));
      h.appendChild(el('span', 'meta', s[1] + ' \u00b7 ' + ms(s[3]) + ' \u00b7 ' + s[4]));
      box.appendChild(h);
      var texts = stepTexts(s[5]);
      var command = texts[0];
      if (command !== null && command !== undefined) {
        var line = (typeof command === 'string' ? command : command[0] || '').split('\n')[0];
        var c = el('code', 'cmd', '$ ' + line);
        c.title = typeof command === 'string' ? command : line;
        h.appendChild(c);
      }
      FILES.forEach(function (file, n) {
        var t = texts[n];
        if (t === null || t === undefined) return;
        if (typeof t === 'string') t = [t];
        if (t[0] === '' && t.length === 1 && file !== 'changes.patch') return;
        var d = el('details');
        d.dataset.file = file;
        d.open = !!OPEN[file] || (file === 'stderr.txt' && s[2] !== 0);
        d.appendChild(el('summary', '', LABELS[file]));
        var where = s[4] + '/' + file;
        if (t[0] === null) {
          d.appendChild(el('div', 'note', 'Left out to keep this report small (' + num(t[1]) + ' bytes): the full text is ' + where + ' in the run directory.'));
        } else {
          if (t.length > 1) {
            var which = file === 'stderr.txt' ? 'last ' : 'first ';
            d.appendChild(el('div', 'note', 'Showing the ' + which + num(t[0].length) + ' characters of ' + num(t[1]) + ' bytes: the full text is ' + where + ' in the run directory.'));
          }
          d.appendChild(file === 'changes.patch' ? diff(t[0]) : el('pre', '', t[0]));
        }
        box.appendChild(d);
      });
      into.appendChild(box);
    });
  }
  function diff(text) {
    var pre = el('pre', 'diff');
    if (text === '') { pre.textContent = '(no changes)'; return pre; }
    var lines = text.split('\n');
    if (lines[lines.length - 1] === '') lines.pop();
    lines.forEach(function (line) {
      var cls = '';
      if (line.startsWith('+++') || line.startsWith('---') || line.startsWith('diff ') || line.startsWith('index ')) cls = 'meta';
      else if (line.startsWith('+')) cls = 'add';
      else if (line.startsWith('-')) cls = 'del';
      else if (line.startsWith('@@')) cls = 'hunk';
      pre.appendChild(el('span', cls, line === '' ? ' ' : line));
    });
    return pre;
  }
`;

// src/report/html-script.ts
var TABLE_SCRIPT = String.raw`
(function () {
  'use strict';
  var STATUS = ['succeeded', 'failed', 'cancelled'];
  var PAGE = 200;
  var summary = JSON.parse(document.getElementById('summary').textContent);
  var leaves = JSON.parse(document.getElementById('leaves').textContent);
  var app = document.getElementById('app');
  var state = { status: -1, mark: -1, query: '', sort: -1, dir: 1, shown: 0, view: [] };
  var base = summary.baseline;
  var hay = [];
  // per key name, the directory every row's path starts with: the keys column shows what follows it
  var shared = {};
  leaves.forEach(function (l) {
    for (var k = 0; k + 1 < l[2].length; k += 2) {
      var name = l[2][k], path = l[2][k + 1];
      if (!(name in shared)) { shared[name] = path; continue; }
      var p = shared[name], n = 0;
      while (n < p.length && n < path.length && p.charCodeAt(n) === path.charCodeAt(n)) n++;
      shared[name] = p.slice(0, n);
    }
  });
  Object.keys(shared).forEach(function (name) { shared[name] = shared[name].slice(0, shared[name].lastIndexOf('/') + 1); });
  var keyNames = Object.keys(shared);
  function keyCell(l) {
    var parts = [];
    for (var k = 0; k + 1 < l[2].length; k += 2) {
      var name = l[2][k], path = l[2][k + 1], cut = shared[name] || '';
      var rest = middle(cut && path.indexOf(cut) === 0 ? '\u2026/' + path.slice(cut.length) : path, 48);
      parts.push(keyNames.length > 1 ? name + ': ' + rest : rest);
    }
    return parts.join('  ');
  }

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }
  function num(n) { return Number(n).toLocaleString('en-US'); }
  function ms(n) {
    if (n === null || n === undefined) return '';
    if (n < 1000) return n + ' ms';
    var s = n / 1000;
    if (s < 60) return s.toFixed(1) + ' s';
    var m = Math.floor(s / 60);
    if (m < 60) return m + ' min ' + Math.round(s - m * 60) + ' s';
    return Math.floor(m / 60) + ' h ' + (m % 60) + ' min';
  }
  function leafName(l) { return l[1] ? l[0] + ' [' + l[1] + ']' : l[0]; }
  // the leaf's address in the URL: #flow_0003, #flow_0004.2 for a branch
  function anchor(l) { return l[1] ? l[0] + '.' + l[1] : l[0]; }
  // l[2] is [name, path, name, path, ...]
  function keyText(l) {
    var parts = [];
    for (var k = 0; k + 1 < l[2].length; k += 2) parts.push(l[2][k] + '=' + l[2][k + 1]);
    return parts.join(' ');
  }
  function money(usd) {
    return '$' + Number(usd).toLocaleString('en-US', usd < 1 ? { minimumFractionDigits: 4, maximumFractionDigits: 4 } : { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  }
  // at most max characters: the start and the end, an ellipsis between (a path's end tells rows apart)
  function middle(text, max) {
    var chars = Array.from(text);
    if (chars.length <= max) return text;
    var tail = Math.ceil((max - 1) * 0.6);
    return chars.slice(0, max - 1 - tail).join('') + '\u2026' + chars.slice(chars.length - tail).join('');
  }

  document.title = summary.title;
  app.appendChild(el('h1', '', summary.title));
  // filled once the step renderers below are defined
  var afterSlot = el('div');
  app.appendChild(afterSlot);
  var totals = el('div', 'totals');
  function card(label, value, cls) {
    var c = el('div', 'card' + (cls ? ' ' + cls : ''));
    c.appendChild(el('div', 'n', value));
    c.appendChild(el('div', 'l', label));
    totals.appendChild(c);
  }
  card('flows', num(summary.flows));
  if (summary.leaves !== summary.flows) card('results', num(summary.leaves));
  card('succeeded', num(summary.succeeded), 'ok');
  card('failed', num(summary.failed), summary.failed ? 'bad' : '');
  card('cancelled', num(summary.cancelled), summary.cancelled ? 'warn' : '');
  card('tokens (in / out)', num(summary.tokens) + ' (' + num(summary.input_tokens) + ' / ' + num(summary.output_tokens) + ')');
  if (summary.duration_ms !== null) card('duration', ms(summary.duration_ms));
  // nothing priced (no model step, or a model without a price): a dash, not $0
  var priced = summary.cost_usd !== null && (summary.cost_usd > 0 || summary.tokens > 0);
  card('cost', priced ? money(summary.cost_usd) : '\u2014');
  app.appendChild(totals);

  // a group of toggle buttons, one pressed: option o shows o.text, sets state[key] to o.code when
  // picked and carries o.value as data-<key> (what the reset below looks for)
  function segGroup(label, key, options) {
    var group = el('div', 'seg');
    group.setAttribute('role', 'group');
    group.setAttribute('aria-label', label);
    var buttons = [];
    options.forEach(function (o) {
      var b = el('button', '', o.text);
      b.type = 'button';
      b.dataset[key] = o.value;
      b.setAttribute('aria-pressed', String(o.code === state[key]));
      b.addEventListener('click', function () {
        state[key] = o.code;
        buttons.forEach(function (x) { x.setAttribute('aria-pressed', String(x === b)); });
        update();
      });
      buttons.push(b);
      group.appendChild(b);
    });
    return { group: group, buttons: buttons };
  }

  var controls = el('div', 'controls');
  var statuses = segGroup('status', 'status', [-1, 0, 1, 2].map(function (code) {
    var count = code < 0 ? summary.leaves : [summary.succeeded, summary.failed, summary.cancelled][code];
    var name = code < 0 ? 'all' : STATUS[code];
    return { text: name + ' ' + num(count), value: name, code: code };
  }));
  var segButtons = statuses.buttons;
  controls.appendChild(statuses.group);
  if (base) {
    // each leaf compared with the baseline run's leaf of the same keys: l[9] indexes base.marks
    var total = 0;
    base.counts.forEach(function (n) { total += n; });
    var compared = segGroup('compared with ' + base.run_id, 'mark', [-1].concat(base.marks.map(function (m, k) { return k; })).map(function (code) {
      var name = code < 0 ? 'all' : base.marks[code];
      return { text: (code < 0 ? 'vs baseline' : name) + ' ' + num(code < 0 ? total : base.counts[code]), value: name, code: code };
    }));
    var markButtons = compared.buttons;
    compared.group.title = 'compared with ' + base.run_id;
    controls.appendChild(compared.group);
    var extra = [];
    if (base.gone) extra.push(num(base.gone) + ' baseline results not in this run');
    if (base.not_compared) extra.push(num(base.not_compared) + ' not started (not compared)');
    var against = el('span', 'count', 'compared with ' + base.run_id + (extra.length ? ' \u00b7 ' + extra.join(' \u00b7 ') : ''));
    against.id = 'baseline';
    controls.appendChild(against);
  }
  var search = el('input');
  search.type = 'search';
  search.placeholder = 'Filter by id, keys or output';
  search.setAttribute('aria-label', 'filter');
  var timer = 0;
  search.addEventListener('input', function () {
    clearTimeout(timer);
    timer = setTimeout(function () { state.query = search.value.trim().toLowerCase(); update(); }, 120);
  });
  controls.appendChild(search);
  var count = el('span', 'count');
  controls.appendChild(count);
  app.appendChild(controls);

  var COLS = [
    ['leaf', 0, '16%'], [keyNames.length === 1 ? keyNames[0] : 'keys', 2, '26%'], ['status', 3, '112px'], ['duration', 4, '84px', 'num'],
    ['tokens', 5, '84px', 'num'], ['changes', 7, '96px', 'num'], ['output or error', 6, '']
  ];
  if (base) COLS.splice(3, 0, ['vs baseline', 9, '116px']);
  var table = el('table');
  var colgroup = el('colgroup');
  var head = el('tr');
  var ths = [];
  COLS.forEach(function (c, i) {
    var col = el('col');
    if (c[2]) col.style.width = c[2];
    colgroup.appendChild(col);
    var th = el('th', c[3] || '', c[0]);
    th.addEventListener('click', function () {
      state.dir = state.sort === i ? -state.dir : 1;
      state.sort = i;
      ths.forEach(function (t) { t.removeAttribute('aria-sort'); });
      th.setAttribute('aria-sort', state.dir > 0 ? 'ascending' : 'descending');
      update();
    });
    ths.push(th);
    head.appendChild(th);
  });
  var thead = el('thead');
  thead.appendChild(head);
  table.appendChild(colgroup);
  table.appendChild(thead);
  var tbody = el('tbody');
  table.appendChild(tbody);
  app.appendChild(table);
  var more = el('button', 'more', 'Show more');
  more.type = 'button';
  more.addEventListener('click', function () { page(); });
  app.appendChild(more);

  var collator = new Intl.Collator('en', { numeric: true });
  function sortValue(l, field) {
    if (field === 7) return l[7] ? l[7][1] + l[7][2] : -1;
    if (field === 0) return leafName(l);
    if (field === 2) return keyText(l);
    return l[field];
  }
  function update() {
    var view = [];
    for (var i = 0; i < leaves.length; i++) {
      var l = leaves[i];
      if (state.status >= 0 && l[3] !== state.status) continue;
      if (state.mark >= 0 && l[9] !== state.mark) continue;
      if (state.query) {
        if (hay[i] === undefined) hay[i] = (leafName(l) + '\n' + keyText(l) + '\n' + l[6] + '\n' + STATUS[l[3]] + (base && l[9] >= 0 ? '\n' + base.marks[l[9]] : '')).toLowerCase();
        if (hay[i].indexOf(state.query) < 0) continue;
      }
      view.push(i);
    }
    if (state.sort >= 0) {
      var field = COLS[state.sort][1];
      view.sort(function (a, b) {
        var x = sortValue(leaves[a], field), y = sortValue(leaves[b], field);
        var d = typeof x === 'string' ? collator.compare(x, y) : x - y;
        return d !== 0 ? d * state.dir : a - b;
      });
    }
    state.view = view;
    state.shown = 0;
    tbody.textContent = '';
    if (view.length === 0) {
      var tr = el('tr');
      var td = el('td', 'empty', 'No leaf matches.');
      td.colSpan = COLS.length;
      tr.appendChild(td);
      tbody.appendChild(tr);
    }
    page();
  }
  function page() {
    var end = Math.min(state.view.length, state.shown + PAGE);
    var fragment = document.createDocumentFragment();
    for (var i = state.shown; i < end; i++) fragment.appendChild(row(state.view[i]));
    tbody.appendChild(fragment);
    state.shown = end;
    count.textContent = 'showing ' + num(end) + ' of ' + num(state.view.length) + (state.view.length !== leaves.length ? ' (' + num(leaves.length) + ' in all)' : '');
    more.hidden = end >= state.view.length;
    more.textContent = 'Show ' + num(Math.min(PAGE, state.view.length - end)) + ' more';
  }
  function row(i) {
    var l = leaves[i];
    var tr = el('tr', 'leaf');
    tr.dataset.id = leafName(l);
    tr.dataset.status = STATUS[l[3]];
    tr.id = anchor(l);
    tr.tabIndex = 0;
    var idCell = el('td', 'id');
    var link = el('a', '', leafName(l));
    link.href = '#' + anchor(l);
    link.title = 'link to this leaf';
    // the row's click opens it and sets the URL; the link is there to copy
    link.addEventListener('click', function (e) { e.preventDefault(); });
    idCell.appendChild(link);
    tr.appendChild(idCell);
    var keys = el('td', 'keys', keyCell(l));
    keys.title = keyText(l);
    tr.appendChild(keys);
    var st = el('td');
    st.appendChild(el('span', 'badge ' + STATUS[l[3]], STATUS[l[3]]));
    tr.appendChild(st);
    if (base) {
      var mk = el('td');
      if (l[9] >= 0) {
        tr.dataset.mark = base.marks[l[9]];
        mk.appendChild(el('span', 'mark m' + l[9], base.marks[l[9]]));
      }
      tr.appendChild(mk);
    }
    tr.appendChild(el('td', 'num', ms(l[4])));
    tr.appendChild(el('td', 'num', num(l[5])));
    var ch = el('td', 'num');
    if (l[7]) {
      ch.title = num(l[7][0]) + ' files';
      ch.appendChild(el('span', 'add', '+' + num(l[7][1])));
      ch.appendChild(document.createTextNode(' '));
      ch.appendChild(el('span', 'del', '-' + num(l[7][2])));
    }
    tr.appendChild(ch);
    var first = el('td', 'first', l[6]);
    first.title = l[6];
    tr.appendChild(first);
    function toggle() {
      var next = tr.nextSibling;
      if (next && next.classList.contains('detail-row')) {
        next.remove();
        tr.classList.remove('open');
        return;
      }
      tr.classList.add('open');
      if (location.hash !== '#' + anchor(l)) history.replaceState(null, '', '#' + anchor(l));
      var d = el('tr', 'detail-row');
      var td = el('td', 'detail');
      td.colSpan = COLS.length;
      detail(l, td);
      d.appendChild(td);
      tr.after(d);
    }
    tr.addEventListener('click', toggle);
    tr.addEventListener('keydown', function (e) { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); toggle(); } });
    return tr;
  }
`;
var START_SCRIPT = String.raw`
  // #flow_0003 opens that leaf (shown whatever the filters, the pages before it rendered)
  function openAnchor() {
    var name = decodeURIComponent(location.hash.slice(1));
    if (!name) return;
    var at = -1;
    for (var i = 0; i < leaves.length; i++) if (anchor(leaves[i]) === name) { at = i; break; }
    if (at < 0) return;
    var pos = state.view.indexOf(at);
    if (pos < 0) {
      state.status = -1; state.mark = -1; state.query = ''; search.value = '';
      segButtons.forEach(function (x) { x.setAttribute('aria-pressed', String(x.dataset.status === 'all')); });
      if (base) markButtons.forEach(function (x) { x.setAttribute('aria-pressed', String(x.dataset.mark === 'all')); });
      update();
      pos = state.view.indexOf(at);
    }
    while (state.shown <= pos) page();
    var tr = document.getElementById(name);
    if (!tr) return;
    if (!tr.classList.contains('open')) tr.click();
    tr.scrollIntoView({ block: 'start' });
  }

  if (summary.after) afterSlot.appendChild(afterBox(summary.after));
  update();
  openAnchor();
  window.addEventListener('hashchange', openAnchor);
})();
`;
var PAGE_SCRIPT = TABLE_SCRIPT + STEPS_SCRIPT + CHECKS_SCRIPT + START_SCRIPT;

// src/report/html-style.ts
var PAGE_CSS = `
:root { color-scheme: light dark; --fg: #1f2328; --muted: #59636e; --bg: #ffffff; --subtle: #f6f8fa; --border: #d1d9e0;
  --accent: #0969da; --ok: #1a7f37; --ok-bg: #dafbe1; --bad: #d1242f; --bad-bg: #ffebe9; --warn: #9a6700; --warn-bg: #fff8c5;
  --add-bg: #dafbe1; --del-bg: #ffebe9; --hunk-bg: #ddf4ff; --row-hover: #f6f8fa; }
@media (prefers-color-scheme: dark) { :root { --fg: #f0f6fc; --muted: #9198a1; --bg: #0d1117; --subtle: #151b23; --border: #3d444d;
  --accent: #4493f8; --ok: #3fb950; --ok-bg: #12261e; --bad: #f85149; --bad-bg: #25171c; --warn: #d29922; --warn-bg: #272115;
  --add-bg: #12261e; --del-bg: #25171c; --hunk-bg: #121d2f; --row-hover: #151b23; } }
* { box-sizing: border-box; }
[hidden] { display: none !important; }
body { margin: 0; background: var(--bg); color: var(--fg); font: 14px/1.5 -apple-system, BlinkMacSystemFont, "Segoe UI", "Noto Sans", Helvetica, Arial, sans-serif; }
main { max-width: 1280px; margin: 0 auto; padding: 24px 16px 48px; }
h1 { font-size: 20px; font-weight: 600; margin: 0 0 16px; word-break: break-all; }
.totals { display: flex; flex-wrap: wrap; gap: 8px; margin-bottom: 16px; }
.card { border: 1px solid var(--border); border-radius: 6px; padding: 8px 14px; min-width: 104px; background: var(--subtle); }
.card .n { font-size: 18px; font-weight: 600; }
.card .l { color: var(--muted); font-size: 12px; }
.card.ok .n { color: var(--ok); } .card.bad .n { color: var(--bad); } .card.warn .n { color: var(--warn); }
.controls { display: flex; flex-wrap: wrap; gap: 8px; align-items: center; margin-bottom: 8px; }
.seg { display: inline-flex; border: 1px solid var(--border); border-radius: 6px; overflow: hidden; }
.seg button { border: 0; border-right: 1px solid var(--border); background: var(--bg); color: var(--fg); padding: 5px 12px; font: inherit; cursor: pointer; }
.seg button:last-child { border-right: 0; }
.seg button[aria-pressed="true"] { background: var(--accent); color: #fff; }
input[type="search"] { flex: 1; min-width: 200px; padding: 5px 10px; border: 1px solid var(--border); border-radius: 6px; background: var(--bg); color: var(--fg); font: inherit; }
.count { color: var(--muted); font-size: 12px; }
table { width: 100%; border-collapse: separate; border-spacing: 0; border: 1px solid var(--border); border-radius: 6px; table-layout: fixed; }
th, td { text-align: left; padding: 6px 10px; border-bottom: 1px solid var(--border); vertical-align: top; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
th { background: var(--subtle); font-weight: 600; font-size: 12px; cursor: pointer; user-select: none; }
th[aria-sort="ascending"]::after { content: " \\25B2"; } th[aria-sort="descending"]::after { content: " \\25BC"; }
tr.leaf { cursor: pointer; } tr.leaf:hover td { background: var(--row-hover); }
tr.leaf.open td { background: var(--subtle); }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
td.id { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12px; }
td.first { color: var(--muted); }
td.id a { color: inherit; text-decoration: none; } td.id a:hover { color: var(--accent); text-decoration: underline; }
td.keys { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12px; }
.step > .head code.cmd { font: 12px ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; background: var(--bg); border: 1px solid var(--border); border-radius: 4px; padding: 0 6px; max-width: 100%; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.badge { display: inline-block; padding: 0 8px; border-radius: 2em; font-size: 12px; font-weight: 500; border: 1px solid transparent; }
.badge.succeeded { color: var(--ok); background: var(--ok-bg); } .badge.failed { color: var(--bad); background: var(--bad-bg); }
.badge.cancelled { color: var(--warn); background: var(--warn-bg); }
.add { color: var(--ok); } .del { color: var(--bad); }
.mark { font-size: 12px; } .mark.m0 { color: var(--accent); } .mark.m1 { color: var(--warn); } .mark.m2 { color: var(--muted); }
.mark.m3 { color: var(--bad); font-weight: 600; } .mark.m4 { color: var(--ok); font-weight: 600; }
.checks { margin: 16px 0; } .checks table { border-collapse: collapse; } .checks th, .checks td { padding: 2px 10px; text-align: left; }
.checks td.num { text-align: right; } .checks td.bad { color: var(--bad); font-weight: 600; } .checks ul { margin: 6px 0; padding-left: 20px; }
td.detail { white-space: normal; padding: 12px 16px 16px; background: var(--bg); }
.step { border: 1px solid var(--border); border-radius: 6px; margin-bottom: 12px; }
.step > .head { background: var(--subtle); padding: 6px 12px; border-bottom: 1px solid var(--border); border-radius: 6px 6px 0 0; display: flex; gap: 12px; flex-wrap: wrap; align-items: center; }
.step > .head .name { font-weight: 600; } .step > .head .meta { color: var(--muted); font-size: 12px; }
details { border-top: 1px solid var(--border); } .step > details:first-of-type { border-top: 0; }
summary { padding: 4px 12px; cursor: pointer; font-size: 12px; font-weight: 600; color: var(--muted); }
pre { margin: 0; padding: 8px 12px; max-height: 480px; overflow: auto; font: 12px/1.45 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; white-space: pre-wrap; word-break: break-word; }
pre.diff { white-space: pre; } pre.diff span { display: block; padding: 0 4px; }
pre.diff .add { background: var(--add-bg); } pre.diff .del { background: var(--del-bg); }
pre.diff .hunk { background: var(--hunk-bg); color: var(--muted); } pre.diff .meta { font-weight: 600; }
.note { margin: 0 12px 6px; padding: 4px 8px; font-size: 12px; color: var(--warn); background: var(--warn-bg); border-radius: 4px; }
.files { padding: 4px 12px; font-size: 12px; color: var(--muted); }
.more { margin: 12px auto; display: block; padding: 5px 16px; border: 1px solid var(--border); border-radius: 6px; background: var(--subtle); color: var(--fg); font: inherit; cursor: pointer; }
.empty { color: var(--muted); padding: 16px; text-align: center; }
.after { border: 1px solid var(--border); border-radius: 6px; margin-bottom: 16px; }
.after > .head { background: var(--subtle); padding: 8px 14px; border-bottom: 1px solid var(--border); border-radius: 6px 6px 0 0; display: flex; gap: 12px; flex-wrap: wrap; align-items: center; }
.after > .head .name { font-weight: 600; } .after > .head .meta { color: var(--muted); font-size: 12px; }
.after .text { padding: 12px 16px; white-space: pre-wrap; word-break: break-word; max-height: 640px; overflow: auto; }
.after .text.error { color: var(--bad); font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12px; }
.after > details > .step { margin: 8px 12px; }
`;

// src/report/html.ts
function renderHtml(input) {
  const { write, spool } = input;
  const rows = [];
  let count = 0;
  const push = write && spool ? (row) => write(`${count++ === 0 ? "" : ","}${scriptJson(row)}`) : (row) => rows.push(row);
  const emit = spool ? (block2) => spool.write(block2) : write;
  if (!spool) write?.(`${pageHead(input.title).join("\n")}
`);
  const table = new HtmlRows({ ...input, emit }, push);
  const after = input.after ? table.after(input.after) : null;
  const page = pageAround(input, after, table);
  if (write && spool) {
    write(page.head);
    for (const leaf of input.leaves) table.add(leaf);
    write(page.middle);
    spool.drain();
    write(page.end);
    return "";
  }
  for (const leaf of input.leaves) table.add(leaf);
  const summary2 = `<script type="application/json" id="summary">${scriptJson(pageSummary(input, after, table))}</script>`;
  const tail = [summary2, `<script type="application/json" id="leaves">${scriptJson(rows)}</script>`, page.end];
  if (write) {
    write(tail.join("\n"));
    return "";
  }
  return [...pageHead(input.title), ...tail.slice(0, 2), ...table.kept, page.end].join("\n");
}
function pageAround(meta, after, rows) {
  return {
    head: `${pageHead(meta.title).join("\n")}
<script type="application/json" id="leaves">[`,
    get middle() {
      return `]</script>
<script type="application/json" id="summary">${scriptJson(pageSummary(meta, after, rows))}</script>
`;
    },
    end: [`<script>${PAGE_SCRIPT}</script>`, "</body></html>", ""].join("\n")
  };
}
function pageHead(title) {
  return [
    "<!doctype html>",
    '<html lang="en"><head><meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    // nothing may be fetched: the page works from file:// and from an unzipped artifact
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">`,
    `<title>${escapeHtml(title)}</title>`,
    `<style>${PAGE_CSS}</style></head><body>`,
    "<noscript>This report needs JavaScript to show its table; results.json next to it holds the same data.</noscript>",
    '<main id="app"></main>'
  ];
}
function pageSummary(input, after, rows) {
  const { totals: totals2, baseline } = input;
  const { checks, textLimit } = rows;
  return {
    after,
    checks: checksSummary(checks, baseline),
    baseline: baseline ? {
      run_id: baseline.baselineRunId,
      marks: MARKS,
      counts: MARKS.map((m) => baseline.counts[m]),
      gone: baseline.gone,
      not_compared: baseline.notCompared
    } : null,
    title: input.title,
    flows: totals2.flows_total,
    leaves: totals2.total,
    succeeded: totals2.succeeded,
    failed: totals2.failed,
    cancelled: totals2.cancelled,
    tokens: totals2.usage.input_tokens + totals2.usage.output_tokens,
    input_tokens: totals2.usage.input_tokens,
    output_tokens: totals2.usage.output_tokens,
    duration_ms: input.durationMs ?? null,
    // the run's (steps shared by branches counted once); null when unknown (a model without a price)
    cost_usd: totals2.usage.cost_usd ?? null,
    text_limit: textLimit
  };
}
var CHECKS_LISTED = 200;
function checksSummary(checks, baseline) {
  if (!checks.any) return null;
  const change = (c) => [c.leaf, c.key, c.reason];
  return {
    rates: checks.checks().map((r) => [r.key, r.passed, r.failed, r.skipped]),
    failing_leaves: checks.failingLeaves,
    failures: checks.failed(CHECKS_LISTED).map((f) => [f.leaf, f.branch.length > 0 ? `${f.id}.${f.branch.join(".")}` : f.id, f.key, f.reason]),
    changes: baseline ? {
      failing: baseline.checks.failing,
      passing: baseline.checks.passing,
      newly_failing: baseline.checks.newlyFailing.slice(0, CHECKS_LISTED).map(change),
      newly_passing: baseline.checks.newlyPassing.slice(0, CHECKS_LISTED).map(change)
    } : null
  };
}
function escapeHtml(text2) {
  return text2.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

// src/util/gathered.ts
import { writeSync as writeSync2 } from "node:fs";
var GATHER_CHARS = 64 * 1024;
var GatheredWrites = class {
  constructor(fd) {
    this.fd = fd;
  }
  fd;
  parts = [];
  chars = 0;
  write(text2) {
    this.parts.push(text2);
    this.chars += text2.length;
    if (this.chars >= GATHER_CHARS) this.flush();
  }
  flush() {
    if (this.parts.length === 0) return;
    const text2 = this.parts.length === 1 ? this.parts[0] : this.parts.join("");
    this.parts = [];
    this.chars = 0;
    writeText(this.fd, text2);
  }
};
function writeText(fd, text2) {
  const bytes2 = Buffer.byteLength(text2, "utf8");
  const done = writeSync2(fd, text2, null, "utf8");
  if (done < bytes2) writeAll(fd, Buffer.from(text2, "utf8").subarray(done));
}
function writeAll(fd, data) {
  for (let done = 0; done < data.length; ) done += writeSync2(fd, data, done, data.length - done);
}

// src/results/json-stream.ts
import { closeSync as closeSync3, fstatSync as fstatSync2, readSync as readSync2 } from "node:fs";

// src/results/fields.ts
var DataError = class extends Error {
  constructor(message2) {
    super(message2);
    this.name = "DataError";
  }
};
var Fields = class _Fields {
  constructor(file, at, value) {
    this.file = file;
    this.at = at;
    this.value = value;
  }
  file;
  at;
  value;
  static of(file, value, at = "") {
    if (typeof value !== "object" || value === null || Array.isArray(value))
      throw new DataError(`${file}: ${at === "" ? "the file" : `field "${at}"`} must be a JSON object`);
    return new _Fields(file, at, value);
  }
  name(field) {
    return this.at === "" ? field : `${this.at}.${field}`;
  }
  fail(field, what) {
    const shown = JSON.stringify(this.value[field]) ?? "nothing";
    throw new DataError(
      `${this.file}: field "${this.name(field)}" must be ${what}, not ${shown.length > 80 ? `${shown.slice(0, 80)}\u2026` : shown}`
    );
  }
  has(field) {
    return this.value[field] !== void 0;
  }
  string(field, pattern, what = "a string") {
    const v = this.value[field];
    if (typeof v !== "string" || pattern !== void 0 && !pattern.test(v)) this.fail(field, what);
    return v;
  }
  nullableString(field) {
    return this.value[field] === null ? null : this.string(field, void 0, "a string or null");
  }
  /** A finite number of 0 or more (`whole`: an integer). */
  count(field, whole = false, min = 0) {
    const v = this.value[field];
    if (typeof v !== "number" || !Number.isFinite(v) || v < min || whole && !Number.isSafeInteger(v))
      this.fail(field, `a finite ${whole ? "whole " : ""}number of ${min} or more`);
    return v;
  }
  oneOf(field, allowed) {
    const v = this.value[field];
    if (typeof v !== "string" || !allowed.includes(v)) this.fail(field, `one of ${allowed.join(", ")}`);
    return v;
  }
  object(field) {
    return _Fields.of(this.file, this.value[field], this.name(field));
  }
  array(field) {
    const v = this.value[field];
    if (!Array.isArray(v)) this.fail(field, "an array");
    return { values: v, name: this.name(field), fields: (i) => _Fields.of(this.file, v[i], `${this.name(field)}[${i}]`) };
  }
  /** An object whose values are all strings. */
  strings(field) {
    const object = this.object(field);
    const out = {};
    for (const key of Object.keys(object.value)) out[key] = object.string(key);
    return out;
  }
  all() {
    return this.value;
  }
  raw(field) {
    return this.value[field];
  }
};

// src/results/json-stream.ts
var CHUNK = 1 << 20;
var MAX_VALUE = 64 << 20;
var QUOTE = 34;
var BACKSLASH = 92;
var isSpace = (c) => c === 32 || c === 10 || c === 13 || c === 9;
var JsonByteReader = class _JsonByteReader {
  constructor(fd, file, start2, maxValueBytes, chunk) {
    this.fd = fd;
    this.file = file;
    this.maxValueBytes = maxValueBytes;
    this.base = start2;
    this.buffer = Buffer.allocUnsafe(chunk);
  }
  fd;
  file;
  maxValueBytes;
  buffer;
  length = 0;
  pos = 0;
  /** File offset of buffer[0]. */
  base;
  /** While capturing: the pieces of the value before the current buffer, and where it starts in it. */
  pieces;
  captureFrom = 0;
  captured = 0;
  /** Opens `path` at byte `start`; `file` names it in errors. Close it with close(). `chunk`: bytes read at a time. */
  static open(path, file, start2 = 0, options = {}) {
    return new _JsonByteReader(openRegular(path).fd, file, start2, options.maxValueBytes ?? MAX_VALUE, options.chunk ?? CHUNK);
  }
  close() {
    closeSync3(this.fd);
  }
  /** The last `bytes` bytes of the file (fewer in a smaller one), as text. */
  tail(bytes2) {
    const size = fstatSync2(this.fd).size;
    const from = Math.max(0, size - bytes2);
    const buffer = Buffer.alloc(size - from);
    const read = readSync2(this.fd, buffer, 0, buffer.length, from);
    return buffer.subarray(0, read).toString("utf8");
  }
  /** The file offset of the next byte. */
  get offset() {
    return this.base + this.pos;
  }
  fail(what) {
    throw new DataError(`${this.file}: not a results file orchestrator wrote: ${what} at byte ${this.offset}`);
  }
  /** Refills the buffer; false at the end of the file. */
  fill() {
    if (this.pieces !== void 0) {
      this.captured += this.length - this.captureFrom;
      if (this.captured > this.maxValueBytes) this.fail(`a value larger than ${this.maxValueBytes} bytes`);
      this.pieces.push(Buffer.from(this.buffer.subarray(this.captureFrom, this.length)));
      this.captureFrom = 0;
    }
    this.base += this.length;
    this.pos = 0;
    this.length = readSync2(this.fd, this.buffer, 0, this.buffer.length, this.base);
    return this.length > 0;
  }
  /** The next byte without taking it; -1 at the end. */
  peek() {
    if (this.pos >= this.length && !this.fill()) return -1;
    return this.buffer[this.pos];
  }
  next() {
    const c = this.peek();
    if (c >= 0) this.pos++;
    return c;
  }
  skipSpace() {
    for (; ; ) {
      const c = this.peek();
      if (!isSpace(c)) return c;
      this.pos++;
    }
  }
  expect(char) {
    if (this.skipSpace() !== char.charCodeAt(0)) this.fail(`expected "${char}"`);
    this.pos++;
  }
  /** Steps over one value (the reader is at its first byte), making nothing of it. */
  skipValue() {
    const first = this.skipSpace();
    if (first === -1) this.fail("the file ends early");
    if (first === QUOTE || first === 123 || first === 91) {
      let depth = 0;
      let inString = false;
      let escaped = false;
      for (; ; ) {
        if (this.pos >= this.length && !this.fill()) this.fail("the file ends early");
        const buffer = this.buffer;
        const end = this.length;
        for (let i = this.pos; i < end; i++) {
          const c = buffer[i];
          if (inString) {
            if (escaped) escaped = false;
            else if (c === BACKSLASH) escaped = true;
            else if (c === QUOTE) {
              inString = false;
              if (depth === 0) {
                this.pos = i + 1;
                return;
              }
            }
          } else if (c === QUOTE) inString = true;
          else if (c === 123 || c === 91) depth++;
          else if (c === 125 || c === 93) {
            depth--;
            if (depth === 0) {
              this.pos = i + 1;
              return;
            }
          }
        }
        this.pos = end;
      }
    }
    for (; ; ) {
      const c = this.peek();
      if (c === -1 || c === 44 || c === 125 || c === 93 || isSpace(c)) return;
      this.pos++;
    }
  }
  /** The next value, parsed on its own. */
  value() {
    this.skipSpace();
    this.pieces = [];
    this.captureFrom = this.pos;
    this.captured = 0;
    let bytes2;
    try {
      this.skipValue();
      const last = this.buffer.subarray(this.captureFrom, this.pos);
      bytes2 = this.pieces.length === 0 ? last : Buffer.concat([...this.pieces, last]);
      if (bytes2.length > this.maxValueBytes) this.fail(`a value larger than ${this.maxValueBytes} bytes`);
    } finally {
      this.pieces = void 0;
    }
    try {
      return JSON.parse(bytes2.toString("utf8"));
    } catch (error) {
      return this.fail(`a value that is not JSON (${error instanceof Error ? error.message : String(error)})`);
    }
  }
  /**
   * The members of the object the reader is at, one at a time: `onMember(key)` must take the value
   * (value() or skipValue(), or read an array with elements()).
   */
  members(onMember) {
    this.expect("{");
    if (this.skipSpace() === 125) {
      this.pos++;
      return;
    }
    for (; ; ) {
      const key = this.value();
      if (typeof key !== "string") this.fail("expected a field name");
      this.expect(":");
      onMember(key);
      const c = this.skipSpace();
      this.pos++;
      if (c === 125) return;
      if (c !== 44) this.fail('expected "," or "}"');
    }
  }
  /** The elements of the array the reader is at, parsed one at a time. */
  *elements() {
    this.expect("[");
    if (this.skipSpace() === 93) {
      this.pos++;
      return;
    }
    for (; ; ) {
      yield this.value();
      const c = this.skipSpace();
      this.pos++;
      if (c === 93) return;
      if (c !== 44) this.fail('expected "," or "]"');
    }
  }
  /** Steps over the array the reader is at; returns its number of elements. */
  skipElements() {
    this.expect("[");
    if (this.skipSpace() === 93) {
      this.pos++;
      return 0;
    }
    for (let n = 1; ; n++) {
      this.skipValue();
      const c = this.skipSpace();
      this.pos++;
      if (c === 93) return n;
      if (c !== 44) this.fail('expected "," or "]"');
    }
  }
  /** Only white space may follow. */
  end() {
    if (this.skipSpace() !== -1) this.fail("more after the end of the document");
  }
};

// src/results/validate.ts
var FLOW_ID = /^flow_\d{4,}$/;
var STEP_DIR = /^(?:codex_exec_\d+|\d{2,}_[A-Za-z0-9._-]+)$/;
function usage(fields) {
  const read = { input_tokens: fields.count("input_tokens"), output_tokens: fields.count("output_tokens") };
  if (fields.has("cached_input_tokens")) read.cached_input_tokens = fields.count("cached_input_tokens");
  if (fields.raw("cost_usd") === null) read.cost_usd = null;
  else if (fields.has("cost_usd")) read.cost_usd = fields.count("cost_usd");
  return read;
}
function stepDir(fields, field, id, branch) {
  const dir = fields.string(field);
  const parts = dir.split("/");
  const last = parts.pop();
  const chain2 = parts.slice(1);
  const ok = parts[0] === id && STEP_DIR.test(last) && chain2.length <= branch.length && chain2.every((part, i) => part === `branch_${branch[i]}`);
  if (!ok) fields.fail(field, `a step directory of this leaf (e.g. "${id}/01_draft")`);
  return dir;
}
function step(fields, id, branch) {
  return stepEntry(fields, () => stepDir(fields, "dir", id, branch));
}
function stepEntry(fields, dir) {
  return {
    ...fields.all(),
    name: fields.string("name"),
    type: fields.string("type"),
    status: fields.oneOf("status", STATUSES),
    duration_ms: fields.count("duration_ms"),
    usage: fields.raw("usage") === null ? null : usage(fields.object("usage")),
    dir: dir(),
    ...cached(fields),
    ...fields.has("batch") ? { batch: fields.string("batch", /^[A-Za-z0-9_-]{1,200}$/, "a batch id") } : {},
    ...fields.has("checks") ? { checks: checkResults(fields) } : {}
  };
}
function checkResults(fields) {
  const list2 = fields.array("checks");
  return list2.values.map((_, i) => {
    const f = list2.fields(i);
    const flag2 = (field) => {
      const value = f.raw(field);
      return typeof value === "boolean" ? value : f.fail(field, "true or false");
    };
    if (f.has("skipped") && f.raw("skipped") !== true) f.fail("skipped", "true (it is left out for a check that ran)");
    return {
      name: f.string("name"),
      type: f.oneOf("type", CHECK_TYPES),
      passed: flag2("passed"),
      reason: f.string("reason"),
      ...f.has("skipped") ? { skipped: true } : {}
    };
  });
}
function cached(fields) {
  if (!fields.has("cached") && !fields.has("saved")) return {};
  if (fields.raw("cached") !== true) fields.fail("cached", "true (it is left out for a step that was not cached)");
  return { cached: true, saved: usage(fields.object("saved")) };
}
function changes(fields, id, branch) {
  const list2 = fields.array("files");
  const files = list2.values.map((_, i) => {
    const f = list2.fields(i);
    return {
      path: f.string("path"),
      ...f.has("old_path") ? { old_path: f.string("old_path") } : {},
      status: f.oneOf("status", ["added", "deleted", "modified", "renamed", "copied"]),
      binary: f.raw("binary") === true,
      added: f.count("added", true),
      removed: f.count("removed", true)
    };
  });
  const patch = fields.string("patch");
  if (!/\/changes\.patch$/.test(patch)) fields.fail("patch", "the path of a changes.patch");
  stepDir(Fields.of(fields.file, { dir: patch.replace(/\/changes\.patch$/, "") }, "changes"), "dir", id, branch);
  return { patch, files, added: fields.count("added", true), removed: fields.count("removed", true) };
}
function parseLeafEntry(value, file, expected2) {
  const fields = Fields.of(file, value);
  const id = fields.string("id", FLOW_ID, "a flow id (flow_ and 4 or more digits)");
  if (id !== expected2.id) fields.fail("id", `"${expected2.id}", the directory it is in`);
  const branchList = fields.array("branch");
  const branch = branchList.values.map((v) => v);
  if (!branch.every((n) => Number.isSafeInteger(n) && n >= 1) || branch.join(".") !== expected2.branch.join("."))
    fields.fail("branch", `[${expected2.branch.join(", ")}], the branch directories it is in`);
  const steps = fields.array("steps");
  const entry2 = {
    ...fields.all(),
    id,
    branch,
    keys: fields.strings("keys"),
    status: fields.oneOf("status", STATUSES),
    output: fields.nullableString("output"),
    final_message: fields.nullableString("final_message"),
    error: fields.nullableString("error"),
    duration_ms: fields.count("duration_ms"),
    usage: usage(fields.object("usage")),
    steps: steps.values.map((_, i) => step(steps.fields(i), id, branch)),
    ...fields.has("changes") ? { changes: fields.raw("changes") === null ? null : changes(fields.object("changes"), id, branch) } : {}
  };
  if (entry2.final_message !== null) {
    const f = Fields.of(file, { final_message: entry2.final_message.replace(/\/[^/]*$/, "") });
    stepDir(f, "final_message", id, branch);
  }
  if (fields.has("output_cut")) return { ...entry2, output_cut: outputCut(fields.object("output_cut"), entry2, id, branch) };
  return entry2;
}
function outputCut(fields, entry2, id, branch) {
  const chars = fields.count("chars", true, (entry2.output ?? "").length);
  const file = fields.string("file", /\/(?:output|final_message)\.txt$/, "the path of an output.txt or final_message.txt");
  stepDir(Fields.of(fields.file, { file: file.replace(/\/[^/]*$/, "") }, "output_cut"), "file", id, branch);
  return { chars, file };
}
function parseNotStarted(value, file, expected2) {
  const ranges = Fields.of(file, value).array("ranges");
  return ranges.values.map((_, i) => {
    const fields = ranges.fields(i);
    const end = (field) => {
      const at = fields.object(field);
      if (at.string("id") !== expected2.id) at.fail("id", `"${expected2.id}", the directory it is in`);
      const branch = at.array("branch").values;
      const last2 = branch[branch.length - 1];
      if (branch.length !== expected2.parent.length + 1 || expected2.parent.some((n, k) => branch[k] !== n) || !(typeof last2 === "number" && Number.isSafeInteger(last2) && last2 >= 1))
        at.fail("branch", `[${[...expected2.parent, "N"].join(", ")}], a branch beside the file`);
      return last2;
    };
    const first = end("from");
    const last = end("to");
    const count = fields.count("count", true, 1);
    if (count !== last - first + 1) fields.fail("count", `${last - first + 1}, the branches from "from" to "to"`);
    const steps = fields.array("steps");
    return {
      from: { id: expected2.id, branch: [...expected2.parent, first] },
      to: { id: expected2.id, branch: [...expected2.parent, last] },
      count,
      reason: fields.string("reason"),
      steps: steps.values.map((_2, k) => step(steps.fields(k), expected2.id, expected2.parent))
    };
  });
}
var AFTER_STEP_DIR = new RegExp(`^after/${STEP_DIR.source.slice(1, -1)}$`);
function runAndShard(fields) {
  const runId = fields.string("run_id");
  if (normalizeRunId(runId) !== runId) fields.fail("run_id", `a run id starting with run_ (${RUN_ID_RULE})`);
  const shard2 = fields.object("shard");
  const index = shard2.count("index", true, 1);
  const count = shard2.count("count", true, 1);
  if (index > count) shard2.fail("index", `at most shard.count (${count})`);
  return { runId, index, count };
}
function parseRunRecord(value, file) {
  const fields = Fields.of(file, value);
  const { runId, index, count } = runAndShard(fields);
  const flows = fields.object("flows");
  const config = fields.object("config");
  return {
    run_id: runId,
    shard: { index, count },
    flows: { total: flows.count("total", true), from: flows.count("from", true), to: flows.count("to", true) },
    config: {
      file: config.string("file"),
      hash: config.string("hash"),
      ...config.has("full_hash") ? { full_hash: config.string("full_hash", /^[0-9a-f]{64}$/, "a sha256 (64 hex digits)") } : {}
    },
    keys_hash: fields.string("keys_hash"),
    started_at: fields.string("started_at"),
    ended_at: fields.nullableString("ended_at"),
    ...fields.has("stopped") ? { stopped: fields.nullableString("stopped") } : {},
    ...fields.has("totals") ? { totals: fields.raw("totals") === null ? null : totals(fields.object("totals")) } : {}
  };
}
function totals(fields) {
  return {
    flows_total: fields.count("flows_total", true),
    total: fields.count("total", true),
    succeeded: fields.count("succeeded", true),
    failed: fields.count("failed", true),
    cancelled: fields.count("cancelled", true),
    usage: usage(fields.object("usage"))
  };
}
function parseResultsHeader(value, file) {
  const fields = Fields.of(file, value);
  const { runId, index, count } = runAndShard(fields);
  return { ...fields.all(), run_id: runId, shard: { index, count }, ...totals(fields) };
}
function address2(fields) {
  const id = fields.string("id", FLOW_ID, "a flow id (flow_ and 4 or more digits)");
  const branch = fields.array("branch").values;
  if (!branch.every((n) => typeof n === "number" && Number.isSafeInteger(n) && n >= 1))
    fields.fail("branch", "a list of element indexes (whole numbers of 1 or more)");
  return { id, branch };
}
function parseResultsRange(value, file) {
  const fields = Fields.of(file, value);
  const from = address2(fields.object("from"));
  const to = address2(fields.object("to"));
  const count = fields.count("count", true, 1);
  const steps = fields.array("steps");
  const reason = fields.string("reason");
  if (from.branch.length === 0) {
    if (to.branch.length !== 0 || to.id.length !== from.id.length) fields.fail("to", `a flow id as long as "from"'s, with branch []`);
    const span2 = Number(to.id.slice(5)) - Number(from.id.slice(5)) + 1;
    if (count !== span2) fields.fail("count", `${span2}, the flows from "from" to "to"`);
    if (steps.values.length > 0) fields.fail("steps", "empty for a range of flows");
    return { from, to, count, reason, steps: [] };
  }
  const parent = from.branch.slice(0, -1);
  if (to.id !== from.id || to.branch.length !== from.branch.length || parent.some((n, k) => to.branch[k] !== n))
    fields.fail("to", `a branch of the same array step as "from" (${from.id} [${from.branch.join(".")}])`);
  const span = to.branch.at(-1) - from.branch.at(-1) + 1;
  if (count !== span) fields.fail("count", `${span}, the branches from "from" to "to"`);
  return { from, to, count, reason, steps: steps.values.map((_, k) => step(steps.fields(k), from.id, parent)) };
}

// src/results/results-file.ts
function openResultsFile(path, file = path, chunk) {
  const reader = JsonByteReader.open(path, file, 0, { chunk });
  try {
    const rest = {};
    let flowsAt;
    let notStarted;
    reader.members((key) => {
      if (key in rest || key === "flows" && flowsAt !== void 0 || key === "not_started" && notStarted !== void 0)
        reader.fail(`field "${key}" twice`);
      if (key === "flows") {
        reader.skipSpace();
        flowsAt = reader.offset;
        reader.skipElements();
      } else if (key === "not_started") {
        notStarted = [...reader.elements()];
      } else rest[key] = reader.value();
    });
    reader.end();
    if (flowsAt === void 0) throw new DataError(`${file}: field "flows" is missing`);
    const header2 = parseResultsHeader(rest, file);
    const ranges = (notStarted ?? []).map((value, i) => parseResultsRange(value, `${file}: not_started[${i}]`));
    return { path, file, header: header2, notStarted: ranges, flowsAt, chunk };
  } finally {
    reader.close();
  }
}
var ALL_STARTED_END = /\]\s*,\s*"not_started"\s*:\s*\[\s*\]\s*\}\s*$/;
var TAIL_BYTES = 256;
var FlowsReached = class extends Error {
};
function readAllStartedHeader(path, file = path) {
  const reader = JsonByteReader.open(path, file, 0);
  try {
    const rest = {};
    try {
      reader.members((key) => {
        if (key in rest) reader.fail(`field "${key}" twice`);
        if (key === "flows") throw new FlowsReached();
        rest[key] = reader.value();
      });
      reader.fail('field "flows" is missing');
    } catch (error) {
      if (!(error instanceof FlowsReached)) throw error;
    }
    if (!ALL_STARTED_END.test(reader.tail(TAIL_BYTES))) reader.fail('an end other than an empty "not_started"');
    return parseResultsHeader(rest, file);
  } finally {
    reader.close();
  }
}
var startOf = (item) => isNotStarted(item) ? item.from : item;
var endOf = (item) => isNotStarted(item) ? item.to : item;
function* readResultsItems(results, bounds) {
  const { file, header: header2 } = results;
  const reader = JsonByteReader.open(results.path, file, results.flowsAt, { chunk: results.chunk });
  const counter = new TotalsCounter();
  const ranges = results.notStarted;
  let nextRange = 0;
  let previous;
  let label = "";
  const check = (item) => {
    for (const at of isNotStarted(item) ? [item.from, item.to] : [item]) {
      if (bounds === void 0) continue;
      const index = Number(at.id.slice(5)) - 1;
      if (!(index >= bounds.from && index < bounds.to && flowId(index, bounds.total) === at.id))
        throw new DataError(
          `${label}: ${at.id} is not one of this file's flows (${flowId(bounds.from, bounds.total)} to ${flowId(bounds.to - 1, bounds.total)})`
        );
    }
    if (previous !== void 0 && compareLeaves(endOf(previous), startOf(item)) >= 0)
      throw new DataError(`${label}: out of order: results are sorted by flow id and branch, each leaf once`);
    previous = item;
    counter.add(item);
    return item;
  };
  try {
    let i = 0;
    for (const value of reader.elements()) {
      const raw = typeof value === "object" && value !== null ? value : {};
      label = `${file}: flows[${i}]`;
      const entry2 = parseLeafEntry(value, label, {
        id: typeof raw.id === "string" ? raw.id : "",
        branch: Array.isArray(raw.branch) ? raw.branch : []
      });
      while (nextRange < ranges.length && compareLeaves(ranges[nextRange].from, entry2) < 0) {
        label = `${file}: not_started[${nextRange}]`;
        yield check(ranges[nextRange++]);
      }
      label = `${file}: flows[${i++}]`;
      yield check(entry2);
    }
    while (nextRange < ranges.length) {
      label = `${file}: not_started[${nextRange}]`;
      yield check(ranges[nextRange++]);
    }
  } finally {
    reader.close();
  }
  const counted = counter.totals();
  const differ = ["flows_total", "total", "succeeded", "failed", "cancelled"].filter((k) => counted[k] !== header2[k]);
  if (counted.usage.input_tokens !== header2.usage.input_tokens || counted.usage.output_tokens !== header2.usage.output_tokens)
    differ.push("usage");
  if (differ.length > 0)
    throw new DataError(
      `${file}: the entries do not add up to the totals at its top (${differ.map((k) => `"${k}"`).join(", ")}): the file was changed after orchestrator wrote it`
    );
}
function sameTotals(a, b) {
  return a.flows_total === b.flows_total && a.total === b.total && a.succeeded === b.succeeded && a.failed === b.failed && a.cancelled === b.cancelled && a.usage.input_tokens === b.usage.input_tokens && a.usage.output_tokens === b.usage.output_tokens;
}

// src/report/html-file.ts
var REPORT_HTML = "report.html";
var BYTES_PER_CHAR = 4;
var SHOWN_BYTES = Object.fromEntries(
  STEP_FILES.map((name) => {
    const tail = name === "stderr.txt";
    return [name, { bytes: (tail ? STDERR_TAIL : TEXT_LIMIT2) * BYTES_PER_CHAR, tail }];
  })
);
function cutText(bytes2, size, chars, tail) {
  let text2 = bytes2.toString("utf8");
  let truncated = bytes2.length < size;
  if (text2.length > chars) {
    text2 = tail ? text2.slice(text2.length - chars) : text2.slice(0, chars);
    truncated = true;
  }
  return truncated ? { text: text2, truncatedFrom: size } : { text: text2 };
}
var LONE_SURROGATE = /[\uD800-\uDFFF]/u;
function loadedText(file, chars, tail) {
  if (file.length === 1 && file[0].length <= chars && !LONE_SURROGATE.test(file[0])) return { text: file[0] };
  const bytes2 = file.length === 1 ? Buffer.from(file[0]) : Buffer.from(file[0], "latin1");
  const size = file.length === 1 ? bytes2.length : file[1];
  const want = Math.min(size, chars * BYTES_PER_CHAR);
  return cutText(tail ? bytes2.subarray(Math.max(0, bytes2.length - want)) : bytes2.subarray(0, want), size, chars, tail);
}
function readShown(runDir, dir) {
  const files = /* @__PURE__ */ new Map();
  let open;
  try {
    open = OpenDir.under(runDir, dir);
    for (const entry2 of open?.entries() ?? []) {
      if (!entry2.isFile() || !Object.hasOwn(SHOWN_BYTES, entry2.name)) continue;
      const keep = SHOWN_BYTES[entry2.name];
      try {
        files.set(entry2.name, readRegular(open.entry(entry2.name), { maxBytes: keep.bytes, tail: keep.tail }));
      } catch {
      }
    }
  } catch {
  } finally {
    open?.close();
  }
  return files;
}
function runTreeLoader(runDir) {
  let listed2;
  return (path, chars, tail) => {
    const cut3 = path.lastIndexOf("/");
    const dir = cut3 < 0 ? "" : path.slice(0, cut3);
    const name = path.slice(cut3 + 1);
    const want = chars * BYTES_PER_CHAR;
    const keep = Object.hasOwn(SHOWN_BYTES, name) ? SHOWN_BYTES[name] : void 0;
    if (keep === void 0 || keep.tail !== tail || want > keep.bytes) {
      const read = readUnder(runDir, path, { maxBytes: want, tail });
      return read === void 0 ? void 0 : cutText(read.bytes, read.size, chars, tail);
    }
    if (listed2?.dir !== dir) listed2 = { dir, files: readShown(runDir, dir) };
    const file = listed2.files.get(name);
    if (file === void 0) return void 0;
    const { bytes: bytes2 } = file;
    return cutText(tail ? bytes2.subarray(Math.max(0, bytes2.length - want)) : bytes2.subarray(0, want), file.size, chars, tail);
  };
}
function wholeOutput(leaf, runDir) {
  const cut3 = leaf.output_cut;
  if (cut3 === void 0) return leaf.output;
  const read = readUnder(leaf.tree ? join7(runDir, leaf.tree) : runDir, cut3.file, { maxBytes: cut3.chars * BYTES_PER_CHAR });
  return read === void 0 ? leaf.output : cutText(read.bytes, read.size, cut3.chars, false).text;
}
function treesLoader(runDir, trees) {
  const own = runTreeLoader(runDir);
  const loaders = [...trees].map(([tree, dir]) => ({ prefix: `${tree}/`, load: runTreeLoader(dir) }));
  return (path, chars, tail) => {
    for (const { prefix, load } of loaders) if (path.startsWith(prefix)) return load(path.slice(prefix.length), chars, tail);
    return own(path, chars, tail);
  };
}
function writeReportHtml(runDir, meta, trees = /* @__PURE__ */ new Map()) {
  const path = join7(runDir, REPORT_HTML);
  const temporary = `${path}.${process.pid}.tmp`;
  const blocks = `${path}.${process.pid}.blocks.tmp`;
  const tree = new SafeTree(runDir);
  tree.removeFile(temporary);
  tree.removeFile(blocks);
  const fd = tree.create(temporary);
  let side;
  try {
    side = tree.create(blocks);
    const out = side;
    const page = new GatheredWrites(fd);
    const sideFile = new GatheredWrites(out);
    const spool = {
      write: (text2) => sideFile.write(text2),
      drain: () => {
        sideFile.flush();
        page.flush();
        copyInto(blocks, fd);
      }
    };
    renderHtml({ ...meta, load: meta.load ?? treesLoader(runDir, trees), write: (text2) => page.write(text2), spool });
    page.flush();
  } catch (error) {
    closeSync4(fd);
    if (side !== void 0) closeSync4(side);
    tree.removeFile(temporary);
    tree.removeFile(blocks);
    throw error;
  }
  closeSync4(fd);
  closeSync4(side);
  tree.removeFile(blocks);
  renameSync2(temporary, path);
  return path;
}
function copyInto(path, fd) {
  const { fd: input } = openRegular(path);
  try {
    const buffer = Buffer.allocUnsafe(1 << 20);
    for (let n; (n = readSync3(input, buffer, 0, buffer.length, null)) > 0; ) writeSync3(fd, buffer, 0, n);
  } finally {
    closeSync4(input);
  }
}
function reportNotWritten(runDir, error) {
  process.stderr.write(
    `orchestrator: warning: ${join7(runDir, REPORT_HTML)} was not written: ${error instanceof Error ? error.message : String(error)}
`
  );
}

// src/steps/codex-version.ts
import { execFile as execFile2 } from "node:child_process";
function codexVersion(codexPath, cwd, env) {
  return new Promise((resolve17) => {
    const child = execFile2(codexPath, ["--version"], { cwd, env: childEnv(env), timeout: 3e4 }, (error, stdout) => {
      const version = String(stdout).trim().split("\n")[0]?.trim().slice(0, 200);
      resolve17(error || !version ? null : version);
    });
    child.stdin?.end();
  });
}

// src/steps/sandbox.ts
import { execFile as execFile3 } from "node:child_process";
var SANDBOX_FIXES = 'Fix it in one of two ways: allow unprivileged user namespaces on the runner (GitHub\'s Ubuntu 24.04 images block them: `sudo sysctl -w kernel.apparmor_restrict_unprivileged_userns=0` in a step before this one), or set "sandbox": "danger-full-access" on the codex steps (Action input `sandbox: danger-full-access`) on a runner that is itself the sandbox, such as a GitHub-hosted VM.';
function probeFailure(error) {
  const e = error;
  let how;
  if (e.killed && e.signal) how = `did not finish in 60 s (ended with ${e.signal})`;
  else if (e.signal) how = `was killed by ${e.signal}`;
  else if (typeof e.code === "number") how = `exited with code ${e.code}`;
  else if (typeof e.code === "string") how = `could not be started (${e.code}${e.message ? `: ${e.message}` : ""})`;
  else how = `failed${e.message ? ` (${e.message})` : ""}`;
  const said = (e.stderr ?? "").trim().split("\n").slice(-3).join(" ").slice(0, 400);
  return said === "" ? `${how} and printed nothing on stderr` : `${how}: ${said}`;
}
async function probeSandbox(codexPath, cwd, env) {
  try {
    await new Promise((resolve17, reject) => {
      const child = execFile3(
        codexPath,
        ["sandbox", "--", "true"],
        { cwd, env: childEnv(env), timeout: 6e4 },
        (error, _stdout, stderr) => error ? reject(Object.assign(error, { stderr })) : resolve17()
      );
      child.stdin?.end();
    });
  } catch (error) {
    throw new UsageError(
      `codex's sandbox does not work on this machine (\`codex sandbox -- true\` ${probeFailure(error)}). ${SANDBOX_FIXES}`
    );
  }
}
function isolationOverrides(tmpdir5) {
  return [
    "-c",
    "sandbox_workspace_write.exclude_slash_tmp=true",
    "-c",
    "sandbox_workspace_write.exclude_tmpdir_env_var=true",
    "-c",
    `sandbox_workspace_write.writable_roots=${JSON.stringify([tmpdir5])}`
  ];
}

// src/steps/worktree-session.ts
import { join as join9, relative as relative2 } from "node:path";

// src/steps/unsafe-patch.ts
function unsafePatchMessage(names) {
  const list2 = names.join(", ");
  return `the changes hold the value of ${list2}, which orchestrator masks as *** in everything it writes; a masked changes.patch would apply and ship *** instead, so no patch was saved. If that value is not a secret, rename the variable (names ending in _KEY, _TOKEN, _SECRET or PASSWORD are masked) or unset it for this run`;
}

// src/steps/setup.ts
import { join as join8 } from "node:path";
async function runSetup(request) {
  const result = await runProcess({
    file: "sh",
    args: ["-c", request.command],
    cwd: request.cwd,
    env: { ...childEnv(request.env), ...request.stepEnv, ORCHESTRATOR_WORKDIR: request.workdir },
    input: "",
    stdout: request.files.stream(join8(request.dir, "setup_stdout.txt")),
    stderr: request.files.stream(join8(request.dir, "setup_stderr.txt")),
    captureStdout: false,
    timeoutMs: request.timeoutMs,
    signal: request.signal
  });
  const failure = processFailure(`the config's "setup" command (${JSON.stringify(request.command)})`, result, request.timeoutMs);
  if (failure instanceof StepError) {
    throw new StepError(`${failure.message} (in this leaf's new worktree, before its first step; output in setup_stderr.txt)`, {
      cause: failure
    });
  }
  if (failure) throw failure;
}

// src/steps/worktree-session.ts
var CHANGED_FILES = "changed_files.txt";
var CHANGED_FILES_NUL = "changed_files.nul";
var WorktreeSession = class {
  constructor(options) {
    this.options = options;
    this.worktrees = options.isolate === "worktree" ? new Worktrees(options.workdir, worktreesRoot(options.env, options.runId), options.parallel) : void 0;
  }
  options;
  worktrees;
  /**
   * Runs `run` in the cwd a codex or cmd step gets in this leaf (`tmpdir`: the worktree's own temp
   * directory), then saves what the worktree holds changed as the step's changes.patch.
   * `name` names the worktree; `stepEnv` and `stepDir` are the step's, for the setup command.
   */
  async runIn(step2, worktree, at, run3) {
    if (this.worktrees === void 0) return run3(this.options.workdir, void 0, {});
    const cwd = await this.cwdFor(step2, worktree, at.name, (dir) => this.setup(dir, at.stepDir, at.stepEnv));
    const isolated = cwd !== this.options.workdir;
    const tmpdir5 = isolated && worktree.path !== void 0 ? this.worktrees?.tmpFor(worktree.path) : void 0;
    let ran = false;
    try {
      const changed = isolated && step2.kind === "cmd" ? await this.changedFiles(worktree, cwd, at.stepDir) : {};
      const result = await run3(cwd, tmpdir5, changed);
      ran = true;
      return result;
    } finally {
      if (isolated)
        await this.savePatch(worktree, at.stepDir).catch((error) => {
          if (ran) throw error;
        });
    }
  }
  /** Gives the leaf's worktree back to the pool (reset for the next leaf): it has no step left to run. */
  async close(worktree) {
    if (worktree.path !== void 0) await this.worktrees?.release(worktree.path);
    worktree.path = void 0;
  }
  /** Removes every worktree of the run. */
  async removeAll() {
    await this.worktrees?.removeAll();
  }
  /** The cwd of a codex or cmd step: the workdir, or with `--isolate worktree` this leaf's worktree. */
  async cwdFor(step2, worktree, name, setup) {
    if (this.worktrees === void 0 || step2.kind === "openai") return this.options.workdir;
    if (worktree.path === void 0 && (step2.kind === "codex" || worktree.inherited !== void 0)) {
      worktree.path = await this.worktrees.create(name, worktree.inherited, this.options.setup === void 0 ? void 0 : setup);
    }
    return worktree.path === void 0 ? this.options.workdir : this.worktrees.workdirIn(worktree.path);
  }
  /**
   * What a cmd step in a leaf's worktree is told of the leaf's changes so far (those of the codex
   * steps before it; not what `setup` left): `ORCHESTRATOR_CHANGED_FILES` names a file in the step
   * directory listing them one per line, `ORCHESTRATOR_CHANGED_FILES_NUL` the same list
   * NUL-separated (a name may hold a newline); paths relative to the step's working directory.
   */
  async changedFiles(worktree, cwd, stepDir2) {
    if (this.worktrees === void 0 || worktree.path === void 0) return {};
    const root = worktree.path;
    const names = (await this.worktrees.changed(root)).map((name) => relative2(cwd, join9(root, name)));
    const lines = join9(stepDir2, CHANGED_FILES);
    const nul = join9(stepDir2, CHANGED_FILES_NUL);
    this.options.files.write(lines, names.map((name) => `${name}
`).join(""));
    this.options.files.write(nul, names.map((name) => `${name}\0`).join(""));
    return { ORCHESTRATOR_CHANGED_FILES: lines, ORCHESTRATOR_CHANGED_FILES_NUL: nul };
  }
  /** Saves what the leaf's worktree holds changed since HEAD as the step's changes.patch. */
  async savePatch(worktree, stepDir2) {
    if (this.worktrees === void 0 || worktree.path === void 0) return;
    const diff = await this.worktrees.diff(worktree.path);
    const secrets = this.options.files.redactor.namesIn(diff);
    if (secrets.length > 0) throw new StepError(unsafePatchMessage(secrets));
    this.options.files.write(join9(stepDir2, "changes.patch"), diff);
    worktree.patch = this.worktrees.keep(worktree.path, diff);
  }
  /** The config's `setup` command in a new worktree; `dir` stands for the workdir there. */
  setup(dir, stepDir2, env) {
    const { options } = this;
    return runSetup({
      command: options.setup,
      cwd: dir,
      workdir: options.workdir,
      env: options.env,
      stepEnv: env,
      dir: stepDir2,
      timeoutMs: options.timeoutMs,
      signal: options.signal,
      files: options.files
    });
  }
};

// src/util/files.ts
import { createWriteStream } from "node:fs";
import { dirname as dirname3 } from "node:path";
var TreeWriter = class {
  /**
   * `byPath`: no process but ours writes into the tree while the run does (no step of the run starts
   * one): directories are made or checked once and files written by path (safe-tree.ts).
   */
  constructor(redactor, root, { byPath = false } = {}) {
    this.redactor = redactor;
    this.tree = new SafeTree(root, byPath ? { byPath } : { keepOpen: true });
  }
  redactor;
  tree;
  /** Told of every file written (engine/leaf-spool.ts keeps what report.html shows of step files). */
  observer;
  /** Where the tree's writes go meanwhile (defer): a thread of their own. */
  queue;
  /**
   * A tree written by path sends its directories and whole files to `queue`'s thread from now on
   * (safe-tree.ts deferTo): a write returns before it is made, and its failure is told by `written`
   * and by the observer (`unknown`). Until `settle`.
   */
  defer(queue) {
    this.tree.deferTo(queue);
    this.queue = queue;
    queue.onFailure = (path, _error, directory) => {
      if (directory) this.tree.forget(path);
      else this.observer?.unknown(path);
    };
  }
  /**
   * With the writes deferred: a promise, once every write made so far is done, of the first that
   * failed at `dir` or below it (undefined when none did). Undefined when writes are made at once.
   */
  written(dir) {
    return this.queue?.written(dir);
  }
  /** With the writes deferred: when the thread is that far behind, a promise of room for more; else undefined. */
  room() {
    return this.queue?.room();
  }
  /** The queue, to run code once the writes made so far are done (after) and ask whether one failed (failure). */
  get deferred() {
    return this.queue;
  }
  /** Waits for the deferred writes to be done, then makes writes here again; throws when the writer thread died. */
  async settle() {
    const queue = this.queue;
    if (queue === void 0) return;
    await queue.drain();
    this.queue = void 0;
    this.tree.deferTo(void 0);
    if (queue.dead !== void 0) throw queue.dead;
  }
  write(path, text2) {
    this.observed(path, this.redactor.redact(text2), (data) => this.tree.write(path, data));
  }
  /** Writes bytes as they are, but for the bytes of secrets. */
  writeBytes(path, data) {
    this.observed(path, this.redactor.redactBytes(data), (redacted) => this.tree.write(path, redacted));
  }
  /** Writes through a temporary file and a rename, so a reader never sees half a file; returns the text written. */
  writeAtomic(path, text2) {
    const redacted = this.redactor.redact(text2);
    this.observed(path, redacted, (data) => this.tree.writeAtomic(path, data));
    return redacted;
  }
  observed(path, data, write) {
    try {
      write(data);
    } catch (error) {
      this.observer?.unknown(path);
      throw error;
    }
    this.observer?.wrote(path, data);
  }
  /**
   * Writes a JSON file, through a temporary file and a rename unless `atomic` is false: for a file
   * only read back as a whole (step.json, result.json), whose torn copy after a crash is not JSON
   * and so is taken as missing, the rename and the check before it are two system calls saved.
   */
  writeJson(path, value, { atomic = true } = {}) {
    const text2 = JSON.stringify(this.redactor.redactValue(value), null, 2) + "\n";
    if (atomic) return this.writeAtomic(path, text2);
    const redacted = this.redactor.redact(text2);
    this.observed(path, redacted, (data) => this.tree.write(path, data));
    return redacted;
  }
  /** A file written as data arrives, byte for byte but for secrets. */
  stream(path) {
    this.observer?.unknown(path);
    this.tree.dir(dirname3(path));
    return new RedactingStream(path, this.redactor, this.tree);
  }
};
var LIVE_AFTER_MS = 1e3;
var HOLD_BYTES = 64 * 1024;
var RedactingStream = class {
  constructor(path, redactor, tree) {
    this.path = path;
    this.redactor = redactor;
    this.tree = tree;
    this.timer = setTimeout(() => this.open(), LIVE_AFTER_MS);
    this.timer.unref();
  }
  path;
  redactor;
  tree;
  pending = Buffer.alloc(0);
  out;
  held = [];
  heldBytes = 0;
  timer;
  /** Opening or writing the file failed (a planted link, a full disk): the rest is dropped, end() rejects. */
  failure;
  write(chunk) {
    const data = Buffer.concat([this.pending, typeof chunk === "string" ? Buffer.from(chunk) : chunk]);
    const keep = Math.max(0, this.redactor.longestBytes - 1);
    if (data.length <= keep) {
      this.pending = data;
      return;
    }
    const redacted = this.redactor.redactBytes(data);
    const cut3 = redacted.length - keep;
    this.emit(redacted.subarray(0, cut3));
    this.pending = Buffer.from(redacted.subarray(cut3));
  }
  end() {
    clearTimeout(this.timer);
    const tail = this.redactor.redactBytes(this.pending);
    this.pending = Buffer.alloc(0);
    const out = this.out;
    if (this.failure !== void 0) {
      out?.destroy();
      return Promise.reject(this.failure);
    }
    if (out === void 0) {
      try {
        this.tree.write(this.path, Buffer.concat([...this.held, tail]));
      } catch (error) {
        return Promise.reject(error instanceof Error ? error : new Error(String(error)));
      } finally {
        this.held = [];
        this.heldBytes = 0;
      }
      return Promise.resolve();
    }
    return new Promise((resolve17, reject) => {
      out.once("error", reject);
      out.end(tail, () => this.failure === void 0 ? resolve17() : reject(this.failure));
    });
  }
  emit(data) {
    if (data.length === 0 || this.failure !== void 0) return;
    if (this.out !== void 0) {
      this.out.write(data);
      return;
    }
    this.held.push(data);
    this.heldBytes += data.length;
    if (this.heldBytes > HOLD_BYTES) this.open();
  }
  open() {
    clearTimeout(this.timer);
    if (this.out !== void 0 || this.failure !== void 0) return;
    let fd;
    try {
      fd = this.tree.create(this.path);
    } catch (error) {
      this.failure = error;
      this.held = [];
      this.heldBytes = 0;
      return;
    }
    this.out = createWriteStream(this.path, { fd });
    this.out.on("error", (error) => this.failure ??= error);
    for (const data of this.held) this.out.write(data);
    this.held = [];
    this.heldBytes = 0;
  }
};

// src/util/redact.ts
var SECRET_NAME = /([_-]KEY|[_-]TOKEN|[_-]SECRET|PASSWORD)$/i;
var MIN_SECRET_LENGTH = 8;
var MASK = "***";
function secretsFromEnv(env) {
  return Object.entries(env).filter(([name, value]) => SECRET_NAME.test(name) && value !== void 0 && value.length >= MIN_SECRET_LENGTH).map(([name, value]) => ({ name, value }));
}
function secretForms(value) {
  const lines = value.includes("\n") || value.includes("\r") ? value.split(/\r?\n|\r/).map((line) => line.trim()) : [];
  const plain = [value, ...lines];
  return [...plain, ...plain.map((form) => JSON.stringify(form).slice(1, -1))];
}
var Redactor = class {
  secrets;
  names = /* @__PURE__ */ new Map();
  bytes;
  /** Plain strings are named `the API key` in messages; prefer named secrets. */
  constructor(secrets) {
    for (const secret of secrets) {
      if (secret === void 0) continue;
      const { name, value } = typeof secret === "string" ? { name: "the API key", value: secret } : secret;
      if (value.length < MIN_SECRET_LENGTH) continue;
      for (const form of secretForms(value)) if (form.length >= MIN_SECRET_LENGTH && !this.names.has(form)) this.names.set(form, name);
    }
    this.secrets = [...this.names.keys()].sort((a, b) => b.length - a.length);
  }
  /**
   * A JSON-able value with every string (and key) redacted: redact before serialising. A copy when
   * something in it held a secret, else the value itself: looking costs no allocation, and a
   * step's record (step.json, its line of results.jsonl) rarely holds one.
   */
  redactValue(value) {
    if (this.secrets.length === 0 || !this.anywhereIn(value)) return value;
    const walk = (item) => {
      if (typeof item === "string") return this.redact(item);
      if (Array.isArray(item)) return item.map(walk);
      if (item !== null && typeof item === "object" && !(item instanceof Date)) {
        return Object.fromEntries(Object.entries(item).map(([key, inner]) => [this.redact(key), walk(inner)]));
      }
      return item;
    };
    return walk(value);
  }
  /** Whether a string of `item`, or a key, holds a secret (the walk redactValue makes, reading only). */
  anywhereIn(item) {
    if (typeof item === "string") return this.secrets.some((secret) => item.includes(secret));
    if (Array.isArray(item)) return item.some((inner) => this.anywhereIn(inner));
    if (item === null || typeof item !== "object" || item instanceof Date) return false;
    const proto = Object.getPrototypeOf(item);
    if (proto !== Object.prototype && proto !== null) return true;
    for (const key in item) {
      if (!Object.hasOwn(item, key)) continue;
      if (this.anywhereIn(key) || this.anywhereIn(item[key])) return true;
    }
    return false;
  }
  /** Every form masked (value, lines, escaped forms): for masking a log line by line (`::add-mask::`). */
  get forms() {
    return this.secrets;
  }
  redact(text2) {
    let result = text2;
    for (const secret of this.secrets) if (result.includes(secret)) result = result.split(secret).join(MASK);
    return result;
  }
  /** The names of the secrets whose values occur in `text` (never the values). */
  namesIn(text2) {
    return [...new Set(this.secrets.filter((secret) => text2.includes(secret)).map((secret) => this.names.get(secret)))].sort();
  }
  /** Longest secret, so a stream redactor knows how much text to hold back between chunks. */
  get longest() {
    return this.secrets[0]?.length ?? 0;
  }
  /** The secrets as UTF-8 bytes, longest first. */
  get secretBytes() {
    return this.bytes ??= this.secrets.map((secret) => Buffer.from(secret, "utf8")).sort((a, b) => b.length - a.length);
  }
  /**
   * `redact` on bytes: the UTF-8 bytes of each secret replaced by those of `***`, every other byte
   * kept as it is (a command's output need not be UTF-8, and passes on unchanged but for secrets).
   */
  redactBytes(data) {
    let result = data;
    for (const secret of this.secretBytes) {
      let at = result.indexOf(secret);
      if (at < 0) continue;
      const parts = [];
      let from = 0;
      for (; at >= 0; at = result.indexOf(secret, from)) {
        parts.push(result.subarray(from, at), MASK_BYTES);
        from = at + secret.length;
      }
      parts.push(result.subarray(from));
      result = Buffer.concat(parts);
    }
    return result;
  }
  /** Longest secret in UTF-8 bytes, so a byte stream knows how much to hold back between chunks. */
  get longestBytes() {
    return this.secretBytes[0]?.length ?? 0;
  }
};
var MASK_BYTES = Buffer.from(MASK);
function urlWithoutCredentials(text2, use = "record") {
  let url;
  try {
    url = new URL(text2);
  } catch {
    return use === "record" ? MASK : text2;
  }
  if (use === "identity") {
    url.username = "";
    url.password = "";
    return url.toString();
  }
  if (url.username) url.username = MASK;
  if (url.password) url.password = MASK;
  for (const name of new Set(url.searchParams.keys())) url.searchParams.set(name, MASK);
  return url.toString().replaceAll(encodeURIComponent(MASK), MASK);
}
function secretsFromUrl(text2, name) {
  if (text2 === void 0) return [];
  let url;
  try {
    url = new URL(text2);
  } catch {
    return [];
  }
  const values = [url.username, url.password, ...url.searchParams.values()];
  for (const value of [url.username, url.password]) {
    try {
      values.push(decodeURIComponent(value));
    } catch {
    }
  }
  return values.filter((value) => value.length >= MIN_SECRET_LENGTH).map((value) => ({ name, value }));
}
function redactorFor(env, secrets = {}) {
  return new Redactor([
    ...secretsFromEnv(env),
    secrets.apiKey,
    ...secretsFromUrl(secrets.baseUrl?.value, secrets.baseUrl?.name ?? "--base-url"),
    ...secrets.others ?? []
  ]);
}

// src/engine/after.ts
import { join as join12 } from "node:path";

// src/prompt/assemble.ts
function assemblePrompt(template, previous) {
  return previous ? `${template}

${previous}` : template;
}
function promptValue(contents, path, appendFilepath) {
  return appendFilepath ? `${contents.replace(/\n+$/, "")}
${path}` : contents;
}

// src/engine/fingerprint.ts
import { hash } from "node:crypto";
function fingerprintSettings(o) {
  return {
    offline: o.offline,
    openaiBaseUrl: o.baseUrl ?? (o.env.OPENAI_BASE_URL || void 0),
    codexBaseUrl: o.baseUrl,
    workdir: o.workdir,
    isolate: o.isolate ?? "none"
  };
}
function withoutCredentials(url) {
  if (url === void 0 || url === "") return null;
  if (url !== lastUrl.given) lastUrl = { given: url, identity: urlWithoutCredentials(url, "identity") };
  return lastUrl.identity;
}
var lastUrl = { given: "", identity: "" };
function maskedInput(input, redactor) {
  return {
    ...input,
    prompt: redactor.redact(input.prompt),
    input: input.input === void 0 ? void 0 : redactor.redactBytes(input.input),
    command: input.command === void 0 ? void 0 : {
      script: redactor.redact(input.command.script),
      variables: input.command.variables.map((v) => ({ ...v, value: redactor.redact(v.value) }))
    }
  };
}
function stepFingerprint(step2, input, previous, settings) {
  if (step2.kind !== "cmd") {
    const head = `{"v":1,"previous":${JSON.stringify(previous ?? null)},"kind":"${step2.kind}","prompt":${JSON.stringify(input.prompt)},`;
    return hash("sha256", head + modelFields(step2, input, settings), "hex");
  }
  const stdin = input.input ?? Buffer.from(input.prompt, "utf8");
  const parts = {
    v: 1,
    previous: previous ?? null,
    kind: step2.kind,
    stdin: hash("sha256", stdin, "hex"),
    script: input.command?.script ?? step2.cmd,
    variables: (input.command?.variables ?? []).map((v) => [v.key, v.variable, v.value]),
    workdir: settings.workdir,
    isolate: settings.isolate
  };
  return hash("sha256", JSON.stringify(parts), "hex");
}
function modelFields(step2, input, settings) {
  const last = lastFields;
  if (last.step === step2 && last.settings === settings && last.model === input.model && last.api === input.api && last.sandbox === input.sandbox)
    return last.json;
  let fields;
  if (settings.offline) fields = { mode: "offline", array: step2.array };
  else if (step2.kind === "openai")
    fields = {
      mode: "online",
      array: step2.array,
      model: input.model ?? null,
      api: input.api,
      base_url: withoutCredentials(settings.openaiBaseUrl)
    };
  else
    fields = {
      mode: "online",
      array: step2.array,
      model: input.model ?? null,
      sandbox: input.sandbox,
      base_url: withoutCredentials(settings.codexBaseUrl),
      workdir: settings.workdir,
      isolate: settings.isolate
    };
  const json = JSON.stringify(fields).slice(1);
  lastFields = { step: step2, settings, model: input.model, api: input.api, sandbox: input.sandbox, json };
  return json;
}
var lastFields = { json: "" };

// src/engine/resume.ts
import { existsSync as existsSync4 } from "node:fs";
import { dirname as dirname4, join as join11 } from "node:path";

// src/results/store.ts
import { lstatSync as lstatSync3, readdirSync as readdirSync2 } from "node:fs";
import { basename, join as join10 } from "node:path";
var RESULT = "result.json";
var NOT_STARTED = "not_started.json";
function lstatKind(path) {
  try {
    const stats = lstatSync3(path);
    return stats.isDirectory() ? "dir" : stats.isFile() ? "file" : "other";
  } catch {
    return void 0;
  }
}
var isRealDirectory = (path) => lstatKind(path) === "dir";
var isRegularFile = (path) => lstatKind(path) === "file";
function readLeafEntries(flowDir) {
  return [...readLeafItems(flowDir)].filter((item) => !isNotStarted(item));
}
var MAX_DEPTH = 64;
function checkedEntry(value, file, id, branch) {
  try {
    return parseLeafEntry(value, file, { id, branch });
  } catch (error) {
    if (!(error instanceof DataError)) throw error;
    return { ...unstartedEntry(id, {}, `${error.message} (the file was changed after orchestrator wrote it)`), branch, status: "failed" };
  }
}
function readLeafItems(flowDir, branches = true) {
  return visitLeaves(flowDir, basename(flowDir), [], branches);
}
function* visitLeaves(dir, id, branch, branches) {
  if (!isRealDirectory(dir)) return;
  const relative9 = (name) => join10(id, ...branch.map((b) => `branch_${b}`), name);
  const file = join10(dir, RESULT);
  let value;
  let readable = true;
  try {
    value = JSON.parse(quietly(() => readRegular(file)).bytes.toString("utf8"));
  } catch {
    readable = false;
  }
  if (readable) yield checkedEntry(value, relative9(RESULT), id, branch);
  if (!branches) return;
  let names;
  try {
    names = readdirSync2(dir);
  } catch {
    return;
  }
  const children = [];
  for (const name of names) {
    const match = /^branch_([1-9]\d*)$/.exec(name);
    if (match && branch.length < MAX_DEPTH) children.push({ index: Number(match[1]) });
  }
  if (names.includes(NOT_STARTED) && isRegularFile(join10(dir, NOT_STARTED))) {
    for (const range2 of readNotStarted(join10(dir, NOT_STARTED), relative9(NOT_STARTED), id, branch))
      children.push({ index: range2.from.branch.at(-1), range: range2 });
  }
  children.sort((a, b) => a.index - b.index);
  for (const child of children) {
    if (child.range !== void 0) yield child.range;
    else yield* visitLeaves(join10(dir, `branch_${child.index}`), id, [...branch, child.index], true);
  }
}
function readNotStarted(path, file, id, parent) {
  try {
    return parseNotStarted(JSON.parse(readRegular(path).bytes.toString("utf8")), file, { id, parent });
  } catch {
    return [];
  }
}
function flowsWithDirectories(runDir, total, from, to) {
  let names;
  try {
    names = readdirSync2(runDir);
  } catch {
    return [];
  }
  const found = [];
  for (const name of names) {
    if (!name.startsWith("flow_")) continue;
    const index = Number(name.slice(5)) - 1;
    if (Number.isSafeInteger(index) && index >= from && index < to && flowId(index, total) === name) found.push(index);
  }
  return found.sort((a, b) => a - b);
}
function* leavesAcross(runDirs, total, range2, keysOf, reasonOf, branches = true, known) {
  const idOf = (index) => flowId(index, total);
  const gap = function* (from, to) {
    for (let start2 = from; start2 < to; ) {
      const { reason, until } = reasonOf(start2);
      const end = Math.min(to, Math.max(until, start2 + 1));
      yield* unstartedFlows(start2, end, idOf, keysOf, reason);
      start2 = end;
    }
  };
  let next = range2.from;
  for (const index of presentFlows(runDirs, total, range2, known)) {
    const spooled = known?.entry(index, idOf(index));
    if (spooled !== void 0) {
      yield* gap(next, index);
      yield spooled;
      next = index + 1;
      continue;
    }
    for (const dir of runDirs) {
      let found = false;
      for (const item of readLeafItems(join10(dir, idOf(index)), branches)) {
        if (!found) yield* gap(next, index);
        found = true;
        yield item;
      }
      if (!found) continue;
      next = index + 1;
      break;
    }
  }
  yield* gap(next, range2.to);
}
function presentFlows(runDirs, total, range2, known) {
  const all = range2.to - range2.from;
  if (known !== void 0 && known.count === all) return { [Symbol.iterator]: () => countUp(range2.from, range2.to) };
  const present = new Set(runDirs.flatMap((dir) => flowsWithDirectories(dir, total, range2.from, range2.to)));
  if (known !== void 0 && known.count > 0) {
    for (let index = range2.from; index < range2.to; index++) if (known.has(index)) present.add(index);
  }
  return [...present].sort((a, b) => a - b);
}
function* countUp(from, to) {
  for (let index = from; index < to; index++) yield index;
}
function readLeaves(runDir, space, range2, reason = "not run", branches = true, known) {
  return leavesAcross(
    [runDir],
    space.total,
    range2,
    (index) => ({ ...space.at(index).keys }),
    () => ({ reason, until: Infinity }),
    branches,
    known
  );
}
function* withUnwritten(items, unwritten) {
  if (unwritten.size === 0) {
    yield* items;
    return;
  }
  const ids = [...unwritten.keys()].sort();
  const at = (item) => isNotStarted(item) ? item.from : item;
  let flow;
  let group2 = [];
  const flush = function* () {
    const kept = flow === void 0 ? void 0 : unwritten.get(flow);
    if (kept === void 0) yield* group2;
    else {
      const onDisk = group2.filter((e) => isNotStarted(e) || e.steps.length > 0 && !kept.some((k) => compareLeaves(k, e) === 0));
      yield* [...onDisk, ...kept].sort((a, b) => compareLeaves(at(a), at(b)));
    }
    group2 = [];
  };
  for (const item of items) {
    if (isNotStarted(item) && item.from.branch.length === 0) {
      const inside = ids.filter((id2) => id2 >= item.from.id && id2 <= item.to.id);
      if (inside.length > 0) {
        yield* flush();
        flow = void 0;
        yield* cutAround(item, inside, unwritten);
        continue;
      }
    }
    const id = at(item).id;
    if (id !== flow) {
      yield* flush();
      flow = id;
    }
    group2.push(item);
  }
  yield* flush();
}
function* cutAround(range2, inside, unwritten) {
  const width = range2.from.id.length - "flow_".length;
  const idOf = (index) => `flow_${String(index + 1).padStart(width, "0")}`;
  const indexOf = (id) => Number(id.slice("flow_".length)) - 1;
  const piece = (from, to) => ({
    ...range2,
    from: { id: idOf(from), branch: [] },
    to: { id: idOf(to), branch: [] },
    count: to - from + 1
  });
  let next = indexOf(range2.from.id);
  for (const id of inside) {
    const index = indexOf(id);
    if (index > next) yield piece(next, index - 1);
    yield* [...unwritten.get(id)].sort(compareLeaves);
    next = index + 1;
  }
  const last = indexOf(range2.to.id);
  if (next <= last) yield piece(next, last);
}

// src/engine/array.ts
function parseArrayOutput(output, maxItems = Infinity) {
  let value = parseJsonOutput(output)?.value;
  if (typeof value === "object" && value !== null && !Array.isArray(value)) {
    const fields = Object.keys(value);
    if (fields.length === 1 && fields[0] === "items" && Array.isArray(value.items))
      value = value.items;
  }
  if (!Array.isArray(value)) {
    const shown = output.length > 200 ? `${output.slice(0, 200)}\u2026` : output;
    return {
      error: `"array": true needs the output to be a JSON array (or one \`\`\`json block holding one), got: ${JSON.stringify(shown)}`
    };
  }
  if (value.length > maxItems) {
    return {
      error: `the array has ${value.length} elements, more than max_items ${maxItems}; raise "max_items" on this step if that many branches are intended, or ask for fewer elements`
    };
  }
  return { elements: value.map((element) => typeof element === "string" ? element : JSON.stringify(element)) };
}

// src/engine/resume.ts
var outputFile = (step2) => step2.kind === "codex" ? "final_message.txt" : "output.txt";
function readElements(runDir, stepDir2, step2) {
  const cap = maxOutputBytes();
  const read = readUnder(runDir, `${stepDir2}/${outputFile(step2)}`, { maxBytes: cap + 1 });
  if (read === void 0 || read.size > cap) return void 0;
  try {
    const parsed = parseArrayOutput(read.bytes.toString("utf8"));
    return "error" in parsed ? void 0 : parsed.elements;
  } catch {
    return void 0;
  }
}
var STEP_RECORD = "step.json";
function writeStepRecord(files, stepDir2, step2, result, durationMs, fingerprint) {
  const record = {
    schema: 1,
    status: "succeeded",
    output: outputFile(step2),
    usage: result.usage,
    duration_ms: durationMs,
    fingerprint,
    ...result.cached !== void 0 ? { cached: true, saved: result.cached } : {},
    ...result.batchId !== void 0 ? { batch: result.batchId } : {}
  };
  files.writeJson(under(stepDir2, STEP_RECORD), record, { atomic: false });
}
function readStepRecord(stepDir2) {
  try {
    const record = JSON.parse(readTreeFile(join11(stepDir2, STEP_RECORD)).toString("utf8"));
    if (record.status !== "succeeded" || record.output !== "output.txt" && record.output !== "final_message.txt") return void 0;
    const bytes2 = readTreeFile(join11(stepDir2, record.output));
    const patch = join11(stepDir2, "changes.patch");
    return {
      output: bytes2.toString("utf8"),
      bytes: bytes2,
      usage: usageFrom(record.usage),
      finalMessage: record.output === "final_message.txt" ? join11(stepDir2, record.output) : void 0,
      duration_ms: record.duration_ms ?? 0,
      patch: existsSync4(patch) ? patch : void 0,
      fingerprint: typeof record.fingerprint === "string" ? record.fingerprint : void 0,
      cached: record.cached === true ? usageFrom(record.saved) ?? NO_USAGE : void 0,
      batchId: typeof record.batch === "string" && /^[A-Za-z0-9_-]{1,200}$/.test(record.batch) ? record.batch : void 0
    };
  } catch {
    return void 0;
  }
}
var RECORD_DIRS = ["", dirname4(shardRecordPath({ index: 1, count: 1 })), BATCHES_DIR];
function removeLeftovers(runDir) {
  for (const name of RECORD_DIRS) {
    const dir = OpenDir.under(runDir, name);
    if (dir === void 0) continue;
    try {
      for (const name2 of dir.names()) {
        const pid = name2.endsWith(".tmp") ? temporaryOwner(name2) : void 0;
        if (pid !== void 0 && (pid === process.pid || !isAlive(pid)) && dir.isFile(name2)) dir.remove(name2);
      }
    } finally {
      dir.close();
    }
  }
}
var CurrentSteps = class {
  constructor(steps, runDir, fingerprintOf) {
    this.steps = steps;
    this.runDir = runDir;
    this.fingerprintOf = fingerprintOf;
  }
  steps;
  runDir;
  fingerprintOf;
  known = /* @__PURE__ */ new Map();
  /** The saved output and fingerprint of a leaf's step `i` when it and every step before it are current. */
  step(leaf, i) {
    const entry2 = leaf.steps[i];
    if (entry2 === void 0 || entry2.status !== "succeeded") return void 0;
    let known = this.known.get(entry2.dir);
    if (known === void 0) {
      known = this.check(leaf, i, entry2.dir);
      this.known.set(entry2.dir, known);
    }
    return known ?? void 0;
  }
  /** Whether every step a leaf ran is current. */
  leaf(leaf) {
    return leaf.steps.length > 0 && this.step(leaf, leaf.steps.length - 1) !== void 0;
  }
  check(leaf, i, dir) {
    let previous;
    if (i > 0) {
      previous = this.step(leaf, i - 1);
      if (previous === void 0) return null;
      if (this.steps[i - 1].array) {
        const depth = this.steps.slice(0, i - 1).filter((s) => s.array).length;
        const parsed = parseArrayOutput(previous.output);
        const element = "error" in parsed ? void 0 : parsed.elements[(leaf.branch[depth] ?? 0) - 1];
        if (element === void 0) return null;
        previous = { output: element, fingerprint: previous.fingerprint };
      }
    }
    const record = readStepRecord(join11(this.runDir, dir));
    if (record?.fingerprint === void 0) return null;
    let fingerprint;
    try {
      fingerprint = this.fingerprintOf(this.steps[i], previous);
    } catch {
      return null;
    }
    return record.fingerprint === fingerprint ? { output: record.output, bytes: record.bytes, fingerprint } : null;
  }
};
function unfinishedBranches(steps, runDir, earlier, current) {
  const array = steps.findIndex((s) => s.array);
  if (array < 0 || array === steps.length - 1 || earlier.some((e) => e.branch.length === 0)) return void 0;
  const shared = earlier[0].steps.slice(0, array + 1);
  if (shared.length !== array + 1 || shared.some((s) => s.status !== "succeeded")) return void 0;
  const split = current.step(earlier[0], array);
  if (split === void 0) return void 0;
  const elements = readElements(runDir, shared[array].dir, steps[array]);
  if (elements === void 0) return void 0;
  const patches = shared.map((s) => join11(runDir, s.dir, "changes.patch")).filter((p) => existsSync4(p));
  const unfinished = elements.map((element, i) => ({
    previous: { output: element, fingerprint: split.fingerprint },
    index: i + 1,
    from: array + 1,
    steps: shared,
    patch: patches[patches.length - 1]
  })).filter(({ index }) => {
    const leaves = earlier.filter((e) => e.branch[0] === index);
    return leaves.length === 0 || leaves.some((e) => e.status !== "succeeded" || !current.leaf(e)) || !allLeavesPresent(steps, runDir, leaves, 1);
  });
  return unfinished;
}
function resumeAt(steps, runDir, flowDir, fingerprintOf) {
  const earlier = readLeafEntries(flowDir);
  if (earlier.length === 0) return void 0;
  const current = new CurrentSteps(steps, runDir, fingerprintOf);
  if (earlier.every((e) => e.status === "succeeded") && allLeavesPresent(steps, runDir, earlier, 0) && earlier.every((e) => current.leaf(e))) {
    return "done";
  }
  return unfinishedBranches(steps, runDir, earlier, current);
}
function allLeavesPresent(steps, runDir, group2, depth) {
  if (group2.some((e) => e.branch.length === depth)) return group2.length === 1;
  const k = steps.map((s, i) => s.array ? i : -1).filter((i) => i >= 0)[depth];
  const entry2 = k === void 0 ? void 0 : group2[0].steps[k];
  if (entry2 === void 0) return false;
  const elements = readElements(runDir, entry2.dir, steps[k]);
  if (elements === void 0) return false;
  return elements.every((_, e) => {
    const below = group2.filter((l) => l.branch[depth] === e + 1);
    return below.length > 0 && allLeavesPresent(steps, runDir, below, depth + 1);
  });
}
function asAttempt(value) {
  if (!isObject(value) || typeof value.started_at !== "string") return void 0;
  return {
    started_at: value.started_at,
    ended_at: typeof value.ended_at === "string" ? value.ended_at : null,
    options: isObject(value.options) ? value.options : {}
  };
}
function earlierAttempts(runDir, shard2) {
  const read = (path) => {
    try {
      return JSON.parse(readTreeFile(path).toString("utf8"));
    } catch {
      return void 0;
    }
  };
  const record = read(join11(runDir, shardRecordPath(shard2))) ?? (shard2.count === 1 ? read(join11(runDir, "run.json")) : void 0);
  if (!isObject(record)) return { attempts: [] };
  const listed2 = Array.isArray(record.attempts) ? record.attempts.map(asAttempt) : [asAttempt(record)];
  const attempts = listed2.filter((a) => a !== void 0);
  return { startedAt: typeof record.started_at === "string" ? record.started_at : attempts[0]?.started_at, attempts };
}

// src/engine/after.ts
var AFTER_DIR = "after";
function header(label, keys, status) {
  const listed2 = Object.entries(keys).map(([name, path]) => `${name}=${path}`);
  return `### ${[label, ...listed2.length > 0 ? [listed2.join(", ")] : [], status].join(" \xB7 ")}`;
}
function listLeaves(items, outputOf = (leaf) => leaf.output) {
  const parts = [];
  for (const item of items) {
    if (isNotStarted(item)) {
      const span = `${leafLabel(item.from)} \u2026 ${leafLabel(item.to)} (${item.count} ${item.from.branch.length === 0 ? "flows" : "branches"})`;
      parts.push(`${header(span, {}, `cancelled: never started (${item.reason})`)}
`);
    } else if (item.status === "succeeded") {
      parts.push(`${header(leafLabel(item), item.keys, "succeeded")}
${outputOf(item) ?? ""}
`);
    } else if (item.status === "failed") {
      parts.push(`${header(leafLabel(item), item.keys, "failed")}
error: ${item.error ?? "unknown"}
`);
    } else {
      parts.push(`${header(leafLabel(item), item.keys, `cancelled (${item.error ?? "not run"})`)}
`);
    }
  }
  return parts.join("\n");
}
var afterNotRun = (reason, status = "cancelled") => ({
  status,
  output: null,
  error: reason,
  usage: NO_USAGE,
  steps: []
});
async function runAfter(setup, leaves) {
  const { options } = setup;
  const stoppedBefore = setup.stopReason();
  if (stoppedBefore !== void 0) return { result: afterNotRun(stoppedBefore), spent: NO_USAGE };
  const settings = fingerprintSettings(options);
  const prices = setup.prices ?? BUILT_IN_PRICES;
  const entries = [];
  let usage2 = NO_USAGE;
  let spent = NO_USAGE;
  const ended = (status, output, error) => ({
    result: { status, output: status === "succeeded" ? output : null, error, usage: usage2, steps: entries },
    spent
  });
  const worktree = {};
  let previous = {
    output: listLeaves(leaves, setup.outputOf),
    fingerprint: void 0
  };
  try {
    for (const step2 of setup.steps) {
      const where2 = `after step ${step2.index} (${JSON.stringify(step2.label)})`;
      const batching = setup.runners[step2.kind].batches !== void 0;
      const stopped = setup.stopReason() ?? spendLimit(options, addUsage(setup.used, spent));
      if (stopped !== void 0) return ended("cancelled", null, stopped);
      const stepDir2 = join12(setup.runDir, AFTER_DIR, stepDirName(step2));
      const started = Date.now();
      const input = stepInput(setup, step2, previous.output, previous.bytes);
      const fingerprint = stepFingerprint(step2, maskedInput(input, setup.files.redactor), previous.fingerprint, settings);
      const earlier = readStepRecord(stepDir2);
      let result;
      let reused = false;
      let stepUsage2 = null;
      try {
        if (earlier !== void 0 && earlier.fingerprint === fingerprint) {
          result = pricedResult(step2, earlier, { reused: true, batching }, prices, options);
          reused = true;
          if (earlier.patch !== void 0) worktree.inherited = earlier.patch;
        } else {
          result = pricedResult(step2, await runStep(setup, step2, input, stepDir2, worktree), { reused: false, batching }, prices, options);
          writeStepRecord(setup.files, stepDir2, step2, result, Date.now() - started, fingerprint);
        }
        stepUsage2 = result.usage;
      } catch (caught) {
        const cancelled = caught instanceof CancelledError;
        stepUsage2 = caught instanceof StepError ? stepUsage(step2, caught.usage, prices, options) : null;
        usage2 = addUsage(usage2, stepUsage2);
        spent = addUsage(spent, stepUsage2);
        const message2 = cancelled ? setup.stopReason() ?? caught.message : `${where2}: ${errorMessage(caught)}`;
        entries.push(entry(step2, cancelled ? "cancelled" : "failed", Date.now() - started, stepUsage2));
        if (!cancelled) note(setup, join12(stepDir2, "error.txt"), message2 + "\n");
        return ended(cancelled ? "cancelled" : "failed", null, message2);
      }
      usage2 = addUsage(usage2, stepUsage2);
      if (!reused) spent = addUsage(spent, stepUsage2);
      entries.push({
        ...entry(step2, "succeeded", reused ? earlier.duration_ms : Date.now() - started, stepUsage2),
        ...answerMarks(result)
      });
      previous = { output: result.output, bytes: result.bytes, fingerprint };
    }
    return ended("succeeded", previous.output, null);
  } catch (error) {
    return ended("failed", null, `after steps: ${errorMessage(error)}`);
  } finally {
    await setup.worktrees.close(worktree);
  }
}
function entry(step2, status, durationMs, usage2) {
  return {
    name: step2.label,
    type: step2.type,
    status,
    duration_ms: durationMs,
    usage: usage2,
    dir: `${AFTER_DIR}/${stepDirName(step2)}`
  };
}
function stepInput(setup, step2, previous, bytes2) {
  const { options } = setup;
  const model = modelOf(step2, options);
  const api2 = step2.api ?? options.api ?? "responses";
  const sandbox2 = sandboxOf(step2, options);
  if (step2.kind === "cmd") {
    const script = setup.sources.commands.get(step2.index)?.script ?? step2.cmd;
    return { prompt: previous, input: bytes2, command: { script, variables: [] }, model, api: api2, sandbox: sandbox2 };
  }
  const source = step2.prompt;
  const template = source.kind === "inline" ? source.text : setup.sources.templates.get(step2.index);
  if (template === void 0)
    throw new StepError(`the prompt file ${JSON.stringify(source.kind === "file" ? source.path : "")} was not read`);
  return { prompt: assemblePrompt(template, previous), input: void 0, command: void 0, model, api: api2, sandbox: sandbox2 };
}
async function runStep(setup, step2, input, stepDir2, worktree) {
  const { files } = setup;
  files.tree.removeDir(stepDir2);
  files.tree.dir(stepDir2);
  if (input.input !== void 0) files.writeBytes(join12(stepDir2, "prompt.txt"), input.input);
  else files.write(join12(stepDir2, "prompt.txt"), input.prompt);
  const env = { ORCHESTRATOR_FLOW_ID: AFTER_DIR, ORCHESTRATOR_BRANCH: "", ORCHESTRATOR_RUN_DIR: setup.runDir };
  return setup.worktrees.runIn(
    step2,
    worktree,
    { name: AFTER_DIR, stepDir: stepDir2, stepEnv: env },
    (cwd, tmpdir5) => setup.runners[step2.kind].run({
      ...input,
      step: step2,
      cwd,
      dir: stepDir2,
      tmpdir: tmpdir5,
      timeoutMs: (step2.timeout ?? setup.options.timeoutS) * 1e3,
      signal: setup.signal,
      files,
      env
    })
  );
}
function note(setup, path, text2) {
  try {
    setup.files.write(path, text2);
  } catch {
  }
}

// src/engine/feed.ts
import { join as join14 } from "node:path";

// src/engine/fanout.ts
var breathe = () => new Promise((resolve17) => setImmediate(resolve17));
var BREATHE_EVERY = 256;
async function fanOut(prefix, branches, hooks) {
  const running = /* @__PURE__ */ new Set();
  for (let k = 0; k < branches.length; k++) {
    if (k % BREATHE_EVERY === BREATHE_EVERY - 1) await breathe();
    const branch = branches[k];
    await hooks.acquire([...prefix, branch.index]);
    const reason = hooks.stopReason();
    if (reason !== void 0) {
      hooks.release();
      hooks.notStarted(branches.slice(k), reason);
      break;
    }
    const walk = hooks.start(branch).finally(() => running.delete(walk));
    running.add(walk);
  }
  await Promise.all(running);
}
function splitNotStarted(id, parent, branches, reason, steps) {
  const ranges = [];
  const single = [];
  for (let k = 0; k < branches.length; ) {
    let end = k + 1;
    while (end < branches.length && branches[end].index === branches[end - 1].index + 1) end++;
    if (end - k >= COMPACT_FROM) {
      ranges.push({
        from: { id, branch: [...parent, branches[k].index] },
        to: { id, branch: [...parent, branches[end - 1].index] },
        count: end - k,
        reason,
        steps
      });
    } else {
      single.push(...branches.slice(k, end));
    }
    k = end;
  }
  return { ranges, single };
}

// src/engine/resume-clear.ts
import { relative as relative3, sep } from "node:path";
function removeLeafResults(runDir, dir) {
  const opened = OpenDir.under(runDir, relative3(runDir, dir).split(sep).join("/"));
  if (opened !== void 0) removeIn(opened);
}
function removeNotStarted(runDir, dir) {
  const opened = OpenDir.under(runDir, relative3(runDir, dir).split(sep).join("/"));
  try {
    opened?.remove(NOT_STARTED);
  } finally {
    opened?.close();
  }
}
function removeIn(dir) {
  try {
    for (const entry2 of dir.entries()) {
      const { name } = entry2;
      if (entry2.isDirectory()) {
        const below = dir.dir(name);
        if (below !== void 0) removeIn(below);
      } else if (name === "result.json" || name === NOT_STARTED || entry2.isFile() && temporaryOwner(name) !== void 0) dir.remove(name);
    }
  } finally {
    dir.close();
  }
}

// src/engine/leaf-index.ts
import { lstatSync as lstatSync5, writeSync as writeSync4 } from "node:fs";
import { join as join13 } from "node:path";

// src/engine/leaf-checks.ts
import { existsSync as existsSync5 } from "node:fs";
import { isAbsolute as isAbsolute4, relative as relative4 } from "node:path";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";

// src/engine/leaf-lines.ts
import { lstatSync as lstatSync4 } from "node:fs";
var leafIndexName = (shard2) => `leaves-${shard2.index}-of-${shard2.count}.jsonl`;
var indexLine = (id, prints, stamp) => JSON.stringify({ id, fp: prints, st: stamp });
var FINGERPRINT = /^[0-9a-f]{64}$/;
var FLOW_ID2 = /^flow_\d{1,12}$/;
var STAMP_LENGTH = 4;
var LINE_START = '{"id":"';
var PRINTS_START = '","fp":[';
var STAMP_START = '],"st":[';
var PRINT_CHARS = 64 + 3;
function stampOf(runDir, flowId2) {
  const flowDir = `${runDir}/${flowId2}`;
  const dir = lstatSync4(flowDir, { throwIfNoEntry: false });
  if (dir?.isDirectory() !== true) return void 0;
  const leaf = lstatSync4(`${flowDir}/result.json`, { throwIfNoEntry: false });
  if (leaf?.isFile() !== true) return void 0;
  return [dir.size, dir.mtimeMs, leaf.size, leaf.mtimeMs];
}
function parseIndex(text2, steps, range2, spans) {
  const lines = new Array(range2.to - range2.from).fill(void 0);
  const idLength = flowId(0, range2.total).length;
  const place = (id, line, start2, end) => {
    const index = Number(id.slice("flow_".length)) - 1;
    if (index < range2.from || index >= range2.to || id.length !== idLength) return;
    lines[index - range2.from] = line;
    if (spans === void 0) return;
    spans[2 * (index - range2.from)] = start2;
    spans[2 * (index - range2.from) + 1] = end;
  };
  for (let at = 0; at < text2.length; ) {
    let end = text2.indexOf("\n", at);
    if (end < 0) end = text2.length;
    const line = text2.slice(at, end);
    const start2 = at;
    at = end + 1;
    if (line === "") continue;
    const id = canonicalId(line, steps);
    if (id !== void 0) place(id, line, start2, end);
    else {
      const parsed = parseLine(line, steps);
      if (parsed !== void 0) place(parsed.id, indexLine(parsed.id, parsed.fp, parsed.st), -1, -1);
    }
  }
  return lines;
}
function stampMatches(runDir, flowId2, line, steps) {
  const stamp = stampOf(runDir, flowId2);
  if (stamp === void 0) return false;
  const end = `${STAMP_START}${stamp.join(",")}]}`;
  return line.length === printAt(flowId2, steps) - 1 + end.length && line.endsWith(end);
}
var fingerprintAt = (line, flowId2, i, fingerprint) => line.startsWith(`"${fingerprint}"`, printAt(flowId2, i));
function printIn(line, flowId2, i) {
  const at = printAt(flowId2, i) + 1;
  const print = line.slice(at, at + 64);
  return FINGERPRINT.test(print) ? print : void 0;
}
var inputsLine = (digest2) => JSON.stringify({ inputs: digest2 });
var INPUTS_LINE = /^\{"inputs":"([0-9a-f]{64})"\}$/;
function inputsOf(text2) {
  const end = text2.endsWith("\n") ? text2.length - 1 : text2.length;
  const last = text2.slice(text2.lastIndexOf("\n", end - 1) + 1, end);
  return INPUTS_LINE.exec(last)?.[1];
}
var printAt = (flowId2, i) => LINE_START.length + flowId2.length + PRINTS_START.length + i * PRINT_CHARS;
function canonicalId(line, steps) {
  if (!line.startsWith(LINE_START)) return void 0;
  const idEnd = line.indexOf('"', LINE_START.length);
  if (idEnd < 0) return void 0;
  const id = line.slice(LINE_START.length, idEnd);
  if (!FLOW_ID2.test(id) || !line.startsWith(PRINTS_START, idEnd)) return void 0;
  for (let i = 0; i < steps; i++) {
    const at = printAt(id, i);
    if (line[at] !== '"' || line[at + 65] !== '"' || line[at + 66] !== (i + 1 < steps ? "," : "]")) return void 0;
  }
  return line.startsWith(STAMP_START, printAt(id, steps) - 1) && line.endsWith("]}") ? id : void 0;
}
function parseLine(line, steps) {
  let value;
  try {
    value = JSON.parse(line);
  } catch {
    return void 0;
  }
  const { id, fp, st } = value ?? {};
  if (typeof id !== "string" || !FLOW_ID2.test(id)) return void 0;
  if (!Array.isArray(fp) || fp.length !== steps || !fp.every((f) => typeof f === "string" && FINGERPRINT.test(f))) return void 0;
  if (!Array.isArray(st) || st.length !== STAMP_LENGTH || !st.every((n) => typeof n === "number")) return void 0;
  return { id, fp, st };
}
var lineId = (line) => line.slice(LINE_START.length, line.indexOf('"', LINE_START.length));

// src/engine/leaf-checks.ts
var FREE = 0;
var TAKEN = 1;
var DONE = 2;
var BATCH = 2048;
var THREAD_MODULE = "./leaf-check-worker.js";
function sharedChecks(flows) {
  const batches = Math.max(Math.ceil(flows / BATCH), 1);
  return {
    taken: new Int32Array(new SharedArrayBuffer(4 * batches)),
    spans: new Int32Array(new SharedArrayBuffer(8 * flows)),
    held: new Uint8Array(new SharedArrayBuffer(flows)),
    parsed: new Int32Array(new SharedArrayBuffer(4))
  };
}
function fromHere(path) {
  const near = relative4(process.cwd(), path);
  return near !== "" && !near.startsWith("..") && !isAbsolute4(near) ? near : path;
}
function checkBatch(setup, lineOf, from) {
  const { held, taken } = setup.shared;
  const to = Math.min(from + BATCH, setup.to);
  for (let k = from - setup.from; k < to - setup.from; k++) {
    const line = lineOf(k);
    held[k] = line !== void 0 && stampMatches(setup.runDir, lineId(line), line, setup.steps) ? 1 : 0;
  }
  Atomics.store(taken, (from - setup.from) / BATCH, DONE);
}
var CheckedLines = class {
  waiting;
  worker;
  /**
   * Each flow's line, by position from `setup.from`: parsed here before the thread starts, or, with
   * an early thread (which parsed the index itself), made from its spans as asked (lineAt).
   */
  lines;
  setup;
  /** The first of the batches this thread took from the end (lastFree). */
  back;
  /** The digest of the inputs the index was written under, when it kept one (leaf-lines.ts inputsOf). */
  inputs;
  /**
   * `adopted`: the checking thread the command line started before the run was prepared
   * (takeEarlyChecks), whose arrays cover the flows from the first to the largest the index lists;
   * else a thread is started for the run's flows (`file`: its module).
   */
  constructor(index, file = threadModule(), adopted) {
    this.inputs = inputsOf(index.text);
    if (adopted !== void 0) {
      this.setup = { ...index, runDir: fromHere(index.runDir), from: 0, to: adopted.flows, shared: adopted.shared };
      this.back = Math.ceil(adopted.flows / BATCH);
      if (adopted.worker !== void 0) this.listen(adopted.worker);
      return;
    }
    this.back = Math.ceil((index.to - index.from) / BATCH);
    const shared = sharedChecks(index.to - index.from);
    this.setup = { ...index, runDir: fromHere(index.runDir), shared };
    if (file !== void 0) this.start(file);
    try {
      this.lines = parseIndex(index.text, index.steps, index, shared.spans);
    } catch (error) {
      this.close();
      throw error;
    } finally {
      Atomics.store(shared.parsed, 0, 1);
      Atomics.notify(shared.parsed, 0);
    }
  }
  start(file) {
    try {
      this.listen(new Worker(file, { workerData: this.setup, name: "resume checks" }));
    } catch {
      this.worker = void 0;
    }
  }
  listen(worker) {
    worker.unref();
    worker.on("message", (from) => this.wake(from));
    worker.on("error", () => this.inThisThread());
    worker.on("exit", () => this.inThisThread());
    this.worker = worker;
  }
  /** The line of the flow at `index` when its stamp held (after `ready(index)`); undefined when none did. */
  line(index) {
    const k = index - this.setup.from;
    return index < this.setup.to && this.setup.shared.held[k] === 1 ? this.lineAt(k) : void 0;
  }
  /** The line the index lists for the flow at `index`, whether its stamp holds or not (undefined: none). */
  listed(index) {
    return index < this.setup.to ? this.lineAt(index - this.setup.from) : void 0;
  }
  /**
   * The line of the flow at `k` from `setup.from`: by its span once the thread parsed the index
   * (an early thread does), else (a line laid out otherwise, or not parsed yet) from the index parsed here.
   */
  lineAt(k) {
    if (this.lines !== void 0) return this.lines[k];
    const { spans, parsed } = this.setup.shared;
    const start2 = spans[2 * k];
    const end = spans[2 * k + 1];
    if (Atomics.load(parsed, 0) === 1 && start2 >= 0) return start2 === end ? void 0 : this.setup.text.slice(start2, end);
    this.lines = parseIndex(this.setup.text, this.setup.steps, this.setup);
    return this.lines[k];
  }
  /**
   * Whether the flow at `index` was checked: else `ready` waits for it. Without the thread (none,
   * or it ended), its batch is checked here, at once.
   */
  has(index) {
    if (index >= this.setup.to) return true;
    const start2 = this.batchStart(index);
    if (Atomics.load(this.setup.shared.taken, this.batchOf(start2)) === DONE) return true;
    if (this.worker !== void 0) return false;
    this.checkHere(start2);
    return true;
  }
  /**
   * Waits until the flow at `index` is checked. Meanwhile this thread does its own work ahead
   * (`spare`, a little at a time, while it has some), then checks the last batch nobody has taken,
   * one at a time, when there is one: the stamps (the thread's part, from the first batch on) are
   * the longer half of a resume, so the two threads share them from both ends, this one only when
   * it has nothing else to do (had it taken the next batch instead, both would go from the front,
   * and at the end this thread alone would make the fingerprints of the thread's last batches).
   */
  async ready(index, spare) {
    for (let spared = 0; !this.has(index); ) {
      if (spare?.() === true) {
        if (++spared % 16 === 0) await new Promise((turn) => setImmediate(turn));
        continue;
      }
      const last = this.lastFree();
      if (last !== void 0) {
        this.checkHere(last);
        await new Promise((turn) => setImmediate(turn));
        continue;
      }
      this.worker?.ref();
      await new Promise((wake) => this.waiting = { from: this.batchStart(index), wake });
    }
  }
  /** Ends the thread (the run no longer asks). */
  close() {
    const worker = this.worker;
    this.worker = void 0;
    void worker?.terminate();
  }
  /** The start of the last batch nobody had taken, now taken for this thread; undefined when none is left. */
  lastFree() {
    if (this.worker === void 0 || this.back === 0) return void 0;
    if (Atomics.compareExchange(this.setup.shared.taken, this.back - 1, FREE, TAKEN) !== FREE) return void 0;
    this.back--;
    return this.setup.from + this.back * BATCH;
  }
  /** Checks the batch at `start` on this thread. */
  checkHere(start2) {
    checkBatch(this.setup, (k) => this.lineAt(k), start2);
    this.wake(start2);
  }
  batchStart(index) {
    return index - (index - this.setup.from) % BATCH;
  }
  batchOf(start2) {
    return (start2 - this.setup.from) / BATCH;
  }
  /** The batch at `from` is done: the wait for it ends. */
  wake(from) {
    if (this.waiting?.from !== from) return;
    const { wake } = this.waiting;
    this.waiting = void 0;
    this.worker?.unref();
    wake();
  }
  /**
   * The thread ended or failed: the flows not checked yet are checked here. The batch waited for is
   * checked now (has), or was done already (the thread marked it done, then died before its message
   * came): either way the wait ends.
   */
  inThisThread() {
    this.worker = void 0;
    const waiting = this.waiting;
    if (waiting !== void 0 && this.has(waiting.from)) this.wake(waiting.from);
  }
};
function threadModule() {
  const file = new URL(THREAD_MODULE, import.meta.url);
  return existsSync5(fileURLToPath(file)) ? file : void 0;
}

// src/engine/early-checks.ts
var MAX_INDEX_BYTES = 512 * 1024 * 1024;
function readIndexFile(path) {
  try {
    const { bytes: bytes2, size, stats } = readRegular(path, { maxBytes: MAX_INDEX_BYTES });
    return bytes2.length < size ? void 0 : { text: bytes2.toString("utf8"), stamp: fileStamp(stats) };
  } catch {
    return void 0;
  }
}
var fileStamp = (s) => `${s.dev}:${s.ino}:${s.size}:${s.mtimeMs}:${s.ctimeMs}`;
var early;
function takeEarlyChecks(path, index, steps, width) {
  const started = early;
  early = void 0;
  if (started === void 0) return void 0;
  const found = started.path === path ? started.found() : void 0;
  if (found === void 0 || "none" in found || found.stamp !== index.stamp || found.steps !== steps || found.width !== width) {
    started.close();
    return void 0;
  }
  return { shared: found.shared, flows: found.flows, worker: started.ended ? void 0 : started.worker, close: () => started.close() };
}
var hasEarlyChecks = () => early !== void 0;
function endEarlyChecks() {
  early?.close();
  early = void 0;
  return void 0;
}

// src/engine/inputs-digest.ts
import { createHash as createHash4 } from "node:crypto";
import { statSync as statSync5 } from "node:fs";
import { resolve as resolve7 } from "node:path";
var MANY_FILES = 1e3;
var FLOWS_A_FILE = 4;
var MANY_BYTES = 32 * 1024 * 1024;
var RACY_MS = 3e3;
function takeInputsDigest(prepared, inputs) {
  const first = prepared.config.steps[0];
  if (first === void 0) return void 0;
  const { baseDir, confineTo } = prepared.options;
  const fileKeys = prepared.space.keys.filter((key) => key.kind !== "values");
  const files = fileKeys.reduce((n, key) => n + key.paths.length, 0);
  const flows = prepared.range.to - prepared.range.from;
  if (files > MANY_FILES && files * FLOWS_A_FILE > flows) return void 0;
  let bytes2 = 0;
  const racyAfter = Date.now() - RACY_MS;
  const seen = /* @__PURE__ */ new Map();
  const all = createHash4("sha256");
  const contentsOf = (path, key) => createHash4("sha256").update(inputs.masked(readListedFile(baseDir, path, key, { confineTo }))).digest("hex");
  try {
    const probe = inputs.probeFingerprint(first);
    if (probe === void 0) return void 0;
    all.update(`v1\0${probe}\0`);
    for (const key of fileKeys) {
      all.update(`${key.name}\0${key.paths.length}\0`);
      for (const path of key.paths) {
        let file = seen.get(path);
        if (file === void 0) {
          const full = resolve7(baseDir, path);
          const stats = statSync5(full);
          bytes2 += stats.size;
          if (bytes2 > MANY_BYTES) return void 0;
          const racy = stats.mtimeMs > racyAfter || stats.ctimeMs > racyAfter;
          file = { full, key: key.name, stamp: stampOf2(stats), racy, contents: contentsOf(path, key.name) };
          seen.set(path, file);
        }
        all.update(`${path}\0${file.contents}\0`);
      }
    }
  } catch {
    return void 0;
  }
  return {
    digest: all.digest("hex"),
    stillSame: () => {
      try {
        for (const [path, file] of seen) {
          if (stampOf2(statSync5(file.full)) !== file.stamp) return false;
          if (file.racy && contentsOf(path, file.key) !== file.contents) return false;
        }
        return true;
      } catch {
        return false;
      }
    }
  };
}
var stampOf2 = (s) => `${s.ino}:${s.size}:${s.mtimeMs}:${s.ctimeMs}`;

// src/engine/leaf-index.ts
var FLUSH_BYTES = 64 * 1024;
function vouches(steps, runDir, flowId2, line, fingerprintOf, firstHolds = false) {
  let previous;
  for (let i = 0; i < steps.length; i++) {
    const step2 = steps[i];
    let fingerprint;
    if (i === 0 && firstHolds) {
      fingerprint = printIn(line, flowId2, 0);
      if (fingerprint === void 0) return void 0;
    } else {
      try {
        fingerprint = fingerprintOf(step2, previous);
      } catch {
        return void 0;
      }
      if (!fingerprintAt(line, flowId2, i, fingerprint)) return void 0;
    }
    if (i + 1 === steps.length) return { output: "", fingerprint };
    const read = readUnder(runDir, `${flowId2}/${stepDirName(step2)}/${outputFile(step2)}`);
    if (read === void 0 || read.bytes.length < read.size) return void 0;
    previous = { output: read.bytes.toString("utf8"), bytes: read.bytes, fingerprint };
  }
  return void 0;
}
var LeafIndexWriter = class {
  constructor(tree, path, first, count, runDir, inputs) {
    this.tree = tree;
    this.path = path;
    this.first = first;
    this.runDir = runDir;
    this.inputs = inputs;
    this.listed = new Uint8Array(count);
    this.found = new Uint8Array(count);
    this.temporary = temporaryPath(path);
    try {
      this.fd = tree.create(this.temporary);
    } catch {
      this.fd = void 0;
    }
  }
  tree;
  path;
  first;
  runDir;
  inputs;
  fd;
  pending = [];
  pendingBytes = 0;
  /** Flow indexes (from the first of the range) listed, and those found succeeded on disk. */
  listed;
  found;
  temporary;
  /** A write failed: this attempt leaves no index. */
  failed = false;
  /**
   * A flow (its index in the run, its id) that succeeded, with its steps' fingerprints and the
   * stamp of its files: `stamp` when just checked (a flow vouched for), else taken now. A flow
   * whose files cannot be stamped is not listed.
   */
  add(index, id, prints, stamp) {
    if (this.fd === void 0) return;
    const st = stamp ?? stampOf(this.runDir, id);
    if (st === void 0) return;
    this.keep(index, indexLine(id, prints, st));
  }
  /** A flow the earlier attempt's line vouched for (vouches): that line again, as it was. */
  keep(index, line) {
    if (this.fd === void 0) return;
    this.listed[index - this.first] = 1;
    this.pending.push(line, "\n");
    this.pendingBytes += line.length + 1;
    if (this.pendingBytes >= FLUSH_BYTES) this.flush();
  }
  /** Notes a result read back from disk for results.json: a succeeded flow of one leaf is what a line may vouch for. */
  saw(item, indexOf) {
    if (isNotStarted(item) || item.status !== "succeeded" || item.branch.length > 0) return;
    const i = indexOf(item.id) - this.first;
    if (i >= 0 && i < this.found.length) this.found[i] = 1;
  }
  /**
   * Makes the index the run's when every flow it lists was read back as succeeded (or, `trusted`,
   * when it lists only flows the earlier index vouched for and nothing was read back); else leaves
   * none. It ends with the digest of the run's inputs when every file it read is as it was then.
   */
  finish(trusted = false) {
    if (this.fd === void 0) return;
    let agrees = true;
    for (let i = 0; agrees && !trusted && i < this.listed.length; i++) if (this.listed[i] === 1 && this.found[i] !== 1) agrees = false;
    if (agrees && this.inputs?.stillSame() === true) this.pending.push(inputsLine(this.inputs.digest), "\n");
    try {
      this.flush();
    } finally {
      this.close();
    }
    try {
      if (agrees && !this.failed) this.tree.rename(this.temporary, this.path);
      else this.tree.removeFile(this.temporary);
    } catch {
    }
  }
  /** Drops the index of this attempt (the run stopped before its results were written). */
  abandon() {
    this.failed = true;
    this.close();
    try {
      this.tree.removeFile(this.temporary);
    } catch {
    }
  }
  flush() {
    if (this.fd === void 0 || this.pending.length === 0) return;
    try {
      writeSync4(this.fd, this.pending.join(""));
    } catch {
      this.abandon();
    }
    this.pending = [];
    this.pendingBytes = 0;
  }
  close() {
    if (this.fd === void 0) return;
    closeQuietly(this.fd);
    this.fd = void 0;
  }
};
var leafIndexPath = (runDir, shard2) => join13(runDir, leafIndexName(shard2));
function earlierLeafIndex(prepared, tree) {
  const { steps } = prepared.config;
  if (!prepared.options.resume || steps.some((s) => s.array)) return endEarlyChecks();
  const path = leafIndexPath(prepared.runDir, prepared.shard);
  const file = readIndexFile(path);
  const { runDir, range: range2, space } = prepared;
  const early2 = file === void 0 ? endEarlyChecks() : takeEarlyChecks(path, file, steps.length, flowId(0, space.total).length);
  try {
    tree.removeFile(path);
  } catch {
    early2?.close();
    return void 0;
  }
  if (file === void 0) return void 0;
  const index = { text: file.text, steps: steps.length, runDir, from: range2.from, to: range2.to, total: space.total };
  return new CheckedLines(index, void 0, early2);
}
function startLeafIndex(prepared, tree, inputs) {
  if (prepared.config.steps.some((s) => s.array)) return void 0;
  const { runDir, range: range2 } = prepared;
  const digest2 = takeInputsDigest(prepared, inputs);
  return new LeafIndexWriter(tree, leafIndexPath(runDir, prepared.shard), range2.from, range2.to - range2.from, runDir, digest2);
}
function unchangedTotals(prepared, resultsPath, total) {
  if (total < 2 || prepared.config.steps.some((s) => s.kind === "codex")) return void 0;
  try {
    const header2 = readAllStartedHeader(resultsPath);
    const same = header2.run_id === prepared.runId && header2.shard.index === prepared.shard.index && header2.shard.count === prepared.shard.count && header2.flows_total === total && header2.succeeded === total && lstatSync5(join13(prepared.runDir, REPORT_HTML)).isFile();
    return same ? header2 : void 0;
  } catch {
    return void 0;
  }
}

// src/engine/vouch-ahead.ts
var SPARE_FLOWS = 256;
var VouchAhead = class {
  constructor(run3) {
    this.run = run3;
    this.known = new Uint8Array(run3.range.to - run3.range.from);
    this.next = run3.range.from;
  }
  run;
  /** By flow from `range.from`: 0 not worked out, 1 its fingerprints hold, 2 they do not. */
  known;
  /** The first flow not worked out ahead. */
  next;
  /** A flow ran: nothing more is worked out ahead. */
  stopped = false;
  /** Works out the next few flows; false when every flow is. */
  spare = () => {
    const { to } = this.run.range;
    if (this.next >= to || this.stopped) return false;
    const end = Math.min(this.next + SPARE_FLOWS, to);
    for (; this.next < end; this.next++) {
      const k = this.next - this.run.range.from;
      if (this.known[k] === 0) this.known[k] = this.workOut(this.next) ? 1 : 2;
    }
    return true;
  };
  /** Whether the line of the flow at `index` holds its steps' fingerprints now: as worked out ahead, else worked out now. */
  holds(index) {
    const known = this.known[index - this.run.range.from];
    if (known !== 0) return known === 1;
    this.next = Math.max(this.next, index + 1);
    return this.workOut(index);
  }
  /** A flow runs: what was worked out for the flows after it is worked out again when they are reached, and nothing more ahead. */
  forget(index) {
    this.stopped = true;
    if (this.next > index + 1) this.known.fill(0, index + 1 - this.run.range.from, this.next - this.run.range.from);
    this.next = Math.min(this.next, index + 1);
  }
  workOut(index) {
    const { steps, runDir, inputs, checked, firstHolds } = this.run;
    const line = checked.listed(index);
    if (line === void 0) return false;
    if (firstHolds && steps.length === 1) return true;
    const flow = this.run.flowAt(index);
    const dir = `${runDir}/${flow.id}`;
    const contents = /* @__PURE__ */ new Map();
    const fingerprintOf = (step2, previous) => inputs.fingerprint({ flow, dir, started: 0, contents }, step2, previous);
    return vouches(steps, runDir, flow.id, line, fingerprintOf, firstHolds) !== void 0;
  }
};

// src/engine/feed.ts
var HOLD_YOUNG_AFTER = 1e4;
function holdGenerations() {
  holdYoungGeneration();
  holdOldGeneration();
}
async function feed(run3) {
  const { prepared, progress } = run3;
  const running = /* @__PURE__ */ new Set();
  let vouched = 0;
  const checked = run3.vouched;
  const ahead = checked === void 0 ? void 0 : new VouchAhead({
    steps: prepared.config.steps,
    runDir: prepared.runDir,
    range: prepared.range,
    flowAt: (index) => prepared.space.at(index),
    inputs: run3.inputs,
    checked,
    firstHolds: checked.inputs !== void 0 && checked.inputs === run3.leafRecords.index?.inputs?.digest
  });
  for (const index of range(prepared.range.from, prepared.range.to)) {
    if ((index - prepared.range.from) % BREATHE_EVERY === BREATHE_EVERY - 1) {
      if (index - prepared.range.from >= HOLD_YOUNG_AFTER) holdGenerations();
      await breathe();
    }
    if (checked !== void 0 && ahead !== void 0) {
      if (!checked.has(index)) await checked.ready(index, ahead.spare);
      if (vouchedNow(run3, ahead, index)) {
        vouched++;
        progress.finished++;
        progress.kept++;
        if (vouched % BREATHE_EVERY === 0 || index + 1 === prepared.range.to) progress.report();
        continue;
      }
    }
    const flow = prepared.space.at(index);
    const contents = /* @__PURE__ */ new Map();
    const dir = join14(prepared.runDir, flow.id);
    const resumed = prepared.options.resume ? resumeAt(prepared.config.steps, prepared.runDir, dir, fingerprinter(run3, flow, dir, contents)) : void 0;
    if (resumed === "done") {
      progress.finished++;
      progress.kept++;
      progress.report();
      continue;
    }
    const room = run3.files.room();
    if (room !== void 0) await room;
    await run3.slots.acquire([Infinity]);
    if (run3.stopReason() !== void 0) {
      run3.slots.release();
      break;
    }
    ahead?.forget(index);
    const fresh = !prepared.options.resume;
    const done = start(run3, { flow, dir, started: Date.now(), contents, fresh }, resumed).finally(() => {
      running.delete(done);
      progress.finished++;
      progress.report();
    });
    running.add(done);
  }
  await Promise.all(running);
  if (prepared.range.to - prepared.range.from >= HOLD_YOUNG_AFTER) holdGenerations();
  return vouched;
}
function vouchedNow(run3, ahead, index) {
  const line = run3.vouched?.line(index);
  if (line === void 0 || !ahead.holds(index)) return false;
  run3.leafRecords.index?.keep(index, line);
  return true;
}
var fingerprinter = (run3, flow, dir, contents) => (step2, previous) => run3.inputs.fingerprint({ flow, dir, started: 0, contents }, step2, previous);
function start(run3, state, resumed) {
  const { flow, dir } = state;
  let work;
  if (resumed !== void 0) {
    removeNotStarted(run3.prepared.runDir, dir);
    for (const { index: e } of resumed) removeLeafResults(run3.prepared.runDir, join14(dir, branchDirName(e)));
    run3.slots.release();
    const { from, steps, patch } = resumed[0] ?? { from: 0, steps: [], patch: void 0 };
    const branches = resumed;
    work = run3.walker.runBranches({ flow: state, parent: [], dir, branches, from, shared: steps, start: patch });
  } else {
    if (state.fresh !== true) removeLeafResults(run3.prepared.runDir, dir);
    work = run3.walker.walk({ flow: state, branch: [], dir, from: 0, previous: void 0, inherited: [], worktree: {}, holding: true });
  }
  return work.catch(
    (error) => run3.leafRecords.keepUnwritten({
      ...unstartedEntry(flow.id, { ...flow.keys }, `this flow stopped: ${errorMessage(error)}`),
      status: "failed"
    })
  );
}

// src/engine/leaf-records.ts
import { join as join21 } from "node:path";

// src/patches/changes.ts
import { lstatSync as lstatSync6 } from "node:fs";
import { join as join15 } from "node:path";

// src/patches/diffstat.ts
function unquotePath(text2) {
  if (!text2.startsWith('"')) return text2;
  const bytes2 = [];
  const simple = { n: 10, t: 9, a: 7, b: 8, f: 12, r: 13, v: 11, '"': 34, "\\": 92 };
  for (let i = 1; i < text2.length; i++) {
    const c = text2[i];
    if (c === '"') break;
    if (c !== "\\") {
      bytes2.push(...Buffer.from(c, "utf8"));
      continue;
    }
    const next = text2[++i] ?? "";
    if (/[0-7]/.test(next)) {
      const octal = text2.slice(i, i + 3);
      bytes2.push(parseInt(octal, 8));
      i += octal.length - 1;
    } else bytes2.push(simple[next] ?? next.charCodeAt(0));
  }
  return Buffer.from(bytes2).toString("utf8");
}
function sidePath(rest) {
  const name = rest.includes("	") ? rest.slice(0, rest.indexOf("	")) : rest;
  if (name === "/dev/null") return null;
  return unquotePath(name).replace(/^[ab]\//, "");
}
function headerPaths(rest) {
  if (rest.startsWith('"')) {
    const end = /^"(?:[^"\\]|\\.)*"/.exec(rest)?.[0];
    if (end === void 0) return void 0;
    return { a: unquotePath(end).replace(/^a\//, ""), b: unquotePath(rest.slice(end.length + 1)).replace(/^b\//, "") };
  }
  if (rest.endsWith('"')) {
    const start2 = rest.lastIndexOf(' "');
    return { a: rest.slice(0, start2).replace(/^a\//, ""), b: unquotePath(rest.slice(start2 + 1)).replace(/^b\//, "") };
  }
  const half = (rest.length - 1) / 2;
  if (Number.isInteger(half) && rest.slice(2, half) === rest.slice(half + 3)) {
    const path = rest.slice(2, half);
    return { a: path, b: path };
  }
  const [a = "", b = ""] = rest.split(" b/");
  return { a: a.replace(/^a\//, ""), b };
}
function parseDiffstat(patch) {
  const files = [];
  let file;
  let oldLeft = 0;
  let newLeft = 0;
  const finish = () => {
    if (file === void 0) return;
    const { named: _named, old_path, ...rest } = file;
    files.push(old_path !== void 0 && old_path !== file.path ? { ...rest, old_path } : rest);
    file = void 0;
  };
  const lines = patch.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].replace(/\r$/, "");
    if (file !== void 0 && (oldLeft > 0 || newLeft > 0)) {
      if (line.startsWith("+")) {
        file.added++;
        newLeft--;
      } else if (line.startsWith("-")) {
        file.removed++;
        oldLeft--;
      } else if (line.startsWith("\\")) {
      } else {
        oldLeft--;
        newLeft--;
      }
      continue;
    }
    if (line.startsWith("diff --git ")) {
      finish();
      const paths = headerPaths(line.slice("diff --git ".length));
      file = { path: paths?.b ?? "", status: "modified", binary: false, added: 0, removed: 0, named: false };
      if (paths && paths.a !== paths.b) file.old_path = paths.a;
      continue;
    }
    if (file === void 0) continue;
    const hunk = /^@@ -\d+(?:,(\d+))? \+\d+(?:,(\d+))? @@/.exec(line);
    if (hunk) {
      oldLeft = hunk[1] === void 0 ? 1 : Number(hunk[1]);
      newLeft = hunk[2] === void 0 ? 1 : Number(hunk[2]);
    } else if (line.startsWith("new file mode")) file.status = "added";
    else if (line.startsWith("deleted file mode")) file.status = "deleted";
    else if (line.startsWith("rename from ") || line.startsWith("copy from ")) {
      file.status = line.startsWith("rename") ? "renamed" : "copied";
      file.old_path = unquotePath(line.slice(line.indexOf(" from ") + 6));
    } else if (line.startsWith("rename to ") || line.startsWith("copy to ")) {
      file.path = unquotePath(line.slice(line.indexOf(" to ") + 4));
      file.named = true;
    } else if (line.startsWith("--- ")) {
      const path = sidePath(line.slice(4));
      if (path !== null && !file.named) file.old_path = path;
    } else if (line.startsWith("+++ ")) {
      const path = sidePath(line.slice(4));
      if (path !== null && !file.named) {
        file.path = path;
        file.named = true;
      } else if (path === null && file.old_path !== void 0 && !file.named) {
        file.path = file.old_path;
      }
    } else if (line === "GIT binary patch" || line.startsWith("Binary files ") && line.endsWith(" differ")) {
      file.binary = true;
    }
  }
  finish();
  return {
    files,
    added: files.reduce((sum, f) => sum + f.added, 0),
    removed: files.reduce((sum, f) => sum + f.removed, 0)
  };
}

// src/patches/changes.ts
var PATCH_FILE = "changes.patch";
function lastPatch(runDir, steps) {
  for (let i = steps.length - 1; i >= 0; i--) {
    const path = `${steps[i].dir}/${PATCH_FILE}`;
    if (lstatSync6(join15(runDir, path), { throwIfNoEntry: false })?.isFile() !== true) continue;
    const read = readUnder(runDir, path);
    if (read !== void 0) return { path, text: read.bytes.toString("utf8") };
  }
  return void 0;
}
function leafChanges(runDir, steps) {
  const patch = lastPatch(runDir, steps);
  return patch === void 0 ? null : { patch: patch.path, ...parseDiffstat(patch.text) };
}

// src/engine/leaf-spool.ts
import { readSync as readSync4, writeSync as writeSync5 } from "node:fs";
import { dirname as dirname5, join as join16 } from "node:path";
var SPOOL_BUFFER = 64 * 1024;
var MAX_OPEN_DIRS = 1e4;
var StepTexts = class {
  dirs = /* @__PURE__ */ new Map();
  /** The run directory with its separator: what a path below it starts with. */
  prefix;
  constructor(runDir) {
    this.prefix = `${runDir}/`;
  }
  /** `dir` (absolute) was just cleared for its step to run: what is written there from now on is all it holds. */
  begin(dir) {
    const rel = this.relative(dir);
    if (rel !== void 0) this.dirs.set(rel, {});
  }
  wrote(path, data) {
    const cut3 = path.lastIndexOf("/");
    const name = path.slice(cut3 + 1);
    const keep = Object.hasOwn(SHOWN_BYTES, name) ? SHOWN_BYTES[name] : void 0;
    if (keep === void 0) return;
    const texts = this.texts(path.slice(0, cut3));
    if (texts === void 0) return;
    if (typeof data === "string" && data.length * 3 <= keep.bytes) {
      texts[name] = [data];
      return;
    }
    const bytes2 = typeof data === "string" ? Buffer.from(data) : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
    const shown = keep.tail ? bytes2.subarray(Math.max(0, bytes2.length - keep.bytes)) : bytes2.subarray(0, keep.bytes);
    texts[name] = [shown.toString("latin1"), bytes2.length];
  }
  /** `path` was written some other way, or its write failed: its directory is read from disk. */
  unknown(path) {
    const rel = this.relative(dirname5(path));
    if (rel !== void 0 && this.dirs.has(rel)) this.dirs.set(rel, null);
  }
  /** The texts of the leaf's step directories vouched for, taken out (and forgotten). */
  take(entry2) {
    const taken = [];
    for (const step2 of entry2.steps) {
      const texts = this.dirs.get(step2.dir);
      if (texts) taken.push([step2.dir, texts]);
      this.dirs.delete(step2.dir);
    }
    if (this.dirs.size > MAX_OPEN_DIRS) this.dirs.clear();
    return taken;
  }
  /** The texts kept of directory `dir` (absolute), when it was begun. */
  texts(dir) {
    const rel = this.relative(dir);
    return rel === void 0 ? void 0 : this.dirs.get(rel) ?? void 0;
  }
  relative(dir) {
    return dir.startsWith(this.prefix) ? dir.slice(this.prefix.length) : void 0;
  }
};
function textsLoader(texts, disk) {
  return (path, chars, tail) => textOf(texts, disk, path, chars, tail);
}
function textOf(texts, disk, path, chars, tail) {
  const cut3 = path.lastIndexOf("/");
  const dir = path.slice(0, cut3);
  const kept = texts?.find((pair) => pair[0] === dir)?.[1];
  if (kept === void 0) return disk(path, chars, tail);
  const file = kept[path.slice(cut3 + 1)];
  return file === void 0 ? void 0 : loadedText(file, chars, tail);
}
var LeafSpool = class {
  constructor(from) {
    this.from = from;
  }
  from;
  fd;
  /** Bytes spooled, those still in `pending` included. */
  size = 0;
  /** Records not yet written, from `written` on: one write a few dozen leaves, not one a leaf. */
  pending = Buffer.allocUnsafe(SPOOL_BUFFER);
  pendingBytes = 0;
  /** Bytes in the file. */
  written = 0;
  /** The bytes of the file from `windowStart` on, read last (entry()). */
  window = Buffer.allocUnsafe(SPOOL_BUFFER);
  windowStart = 0;
  windowBytes = 0;
  offsets = new Float64Array(1024);
  lengths = new Uint32Array(1024);
  spooled = 0;
  /** The record read last: the texts report.html's loader asks for belong to it. */
  last;
  open(tree, runDir) {
    const path = join16(runDir, `.leaves.${process.pid}.spool`);
    try {
      tree.removeFile(path);
      this.fd = tree.create(path, { read: true });
      tree.removeFile(path);
    } catch {
      this.close();
    }
  }
  get usable() {
    return this.fd !== void 0;
  }
  /** Flows spooled; a flow of the range without a record is read from disk as before. */
  get count() {
    return this.fd === void 0 ? 0 : this.spooled;
  }
  /** Spools flow `index`'s one leaf: `json` is its result.json as written. */
  add(index, json, texts) {
    if (this.fd === void 0) return;
    const record = `{"entry":${json},"texts":${JSON.stringify(texts)}}`;
    const at = index - this.from;
    if (this.pendingBytes + record.length * 3 > SPOOL_BUFFER) this.flush();
    let length2;
    if (record.length * 3 <= SPOOL_BUFFER) {
      length2 = this.pending.write(record, this.pendingBytes, "utf8");
      this.pendingBytes += length2;
    } else {
      length2 = this.writeOut(Buffer.from(record, "utf8"));
    }
    if (this.fd === void 0) return;
    this.grow(at + 1);
    if (this.lengths[at] === 0) this.spooled++;
    this.offsets[at] = this.size;
    this.lengths[at] = length2;
    this.size += length2;
  }
  has(index) {
    const at = index - this.from;
    return this.fd !== void 0 && at >= 0 && at < this.lengths.length && this.lengths[at] > 0;
  }
  /** Flow `index`'s leaf as spooled, checked as a result.json read from disk is; undefined when it has none. */
  entry(index, id) {
    if (this.fd === void 0 || !this.has(index)) return void 0;
    if (this.pendingBytes > 0) this.flush();
    if (this.fd === void 0) return void 0;
    const at = index - this.from;
    const text2 = this.read(this.offsets[at], this.lengths[at], id);
    let record;
    try {
      record = JSON.parse(text2);
    } catch {
      this.last = void 0;
      return void 0;
    }
    this.last = { entry: checkedEntry(record.entry, join16(id, "result.json"), id, []), texts: record.texts };
    return this.last.entry;
  }
  /**
   * The record at `offset`: from the window read last when it holds it, else from a new window read
   * there. Flows are asked for in order and were spooled nearly in order, so one read serves dozens.
   */
  read(offset, length2, id) {
    const { window } = this;
    const inWindow = offset >= this.windowStart && offset + length2 <= this.windowStart + this.windowBytes;
    if (!inWindow && length2 <= window.length) {
      this.windowStart = offset;
      this.windowBytes = 0;
      for (let n; this.windowBytes < length2; this.windowBytes += n) {
        n = readSync4(this.fd, window, this.windowBytes, window.length - this.windowBytes, offset + this.windowBytes);
        if (n === 0) throw new Error(`the spool of finished leaves ended early at ${id}`);
      }
    }
    if (inWindow || length2 <= window.length) {
      const start2 = offset - this.windowStart;
      return window.toString("utf8", start2, start2 + length2);
    }
    const bytes2 = Buffer.allocUnsafe(length2);
    for (let got = 0; got < length2; ) {
      const n = readSync4(this.fd, bytes2, got, length2 - got, offset + got);
      if (n === 0) throw new Error(`the spool of finished leaves ended early at ${id}`);
      got += n;
    }
    return bytes2.toString("utf8");
  }
  /** A loader of step texts: the spooled ones of the leaf read last, else `disk`'s. */
  loader(disk) {
    return (path, chars, tail) => textOf(this.last?.texts, disk, path, chars, tail);
  }
  /** Forgets flow `index`'s record (passed on already): the flows it still holds are those left for the end. */
  drop(index) {
    if (!this.has(index)) return;
    this.lengths[index - this.from] = 0;
    this.spooled--;
  }
  close() {
    if (this.fd === void 0) return;
    closeQuietly(this.fd);
    this.fd = void 0;
  }
  /** Writes the pending records. */
  flush() {
    const bytes2 = this.pendingBytes;
    this.pendingBytes = 0;
    if (bytes2 > 0) this.writeOut(this.pending.subarray(0, bytes2));
  }
  /** Writes `data` at the end of the file; its length. On failure (a full disk) the spool is given up: results.json is made from the leaves on disk, as without one. */
  writeOut(data) {
    if (this.fd === void 0) return 0;
    try {
      for (let done = 0; done < data.length; ) done += writeSync5(this.fd, data, done, data.length - done, this.written + done);
    } catch {
      this.close();
      return 0;
    }
    this.written += data.length;
    return data.length;
  }
  grow(length2) {
    if (length2 <= this.lengths.length) return;
    let size = this.lengths.length;
    while (size < length2) size *= 2;
    const offsets = new Float64Array(size);
    offsets.set(this.offsets);
    const lengths = new Uint32Array(size);
    lengths.set(this.lengths);
    this.offsets = offsets;
    this.lengths = lengths;
  }
};

// src/engine/results-stream.ts
import { join as join18 } from "node:path";

// src/results/lines.ts
import { lstatSync as lstatSync7 } from "node:fs";
import { join as join17 } from "node:path";
var RESULTS_LINES = "results.jsonl";
var resultLinesName = (shard2) => shard2.count === 1 ? RESULTS_LINES : `results-${shard2.index}-of-${shard2.count}.jsonl`;
var isResultLinesName = (name) => /^results(?:-\d+-of-\d+)?\.jsonl$/.test(name);
var FIRST_LINE_MAX = 1e3;
var MAX_LINES_BYTES = 1024 * 1024 * 1024;
function resultLine(entry2) {
  return {
    id: entry2.id,
    branch: entry2.branch,
    keys: entry2.keys,
    status: entry2.status,
    duration_ms: entry2.duration_ms,
    usage: entry2.usage,
    error: entry2.error,
    first_line: firstLine2(entry2.output)
  };
}
function firstLine2(output) {
  if (output === null) return null;
  const start2 = output.search(/\S/);
  if (start2 < 0) return "";
  const end = output.slice(start2, start2 + FIRST_LINE_MAX + 2).search(/\r?\n|\r/);
  return output.slice(start2, start2 + (end < 0 ? FIRST_LINE_MAX : Math.min(end, FIRST_LINE_MAX))).trimEnd();
}
function readResultLines(runDir, shard2) {
  let text2;
  try {
    const { bytes: bytes2, size } = readRegular(join17(runDir, resultLinesName(shard2)), { maxBytes: MAX_LINES_BYTES });
    if (bytes2.length < size) return void 0;
    text2 = bytes2.toString("utf8");
  } catch {
    return void 0;
  }
  const byLeaf = /* @__PURE__ */ new Map();
  for (const [n, line] of text2.split("\n").entries()) {
    const entry2 = lineEntry(line, `${resultLinesName(shard2)}: line ${n + 1}`);
    if (entry2 !== void 0) byLeaf.set(`${entry2.id}/${entry2.branch.join("/")}`, entry2);
  }
  const byFlow = /* @__PURE__ */ new Map();
  for (const entry2 of [...byLeaf.values()].sort(compareLeaves)) byFlow.set(entry2.id, [...byFlow.get(entry2.id) ?? [], entry2]);
  return byFlow;
}
function leavesOnlyInLines(runDir, shard2) {
  const missing = /* @__PURE__ */ new Map();
  for (const [id, entries] of readResultLines(runDir, shard2) ?? []) {
    const absent = entries.filter((entry2) => !resultOnDisk(runDir, entry2));
    if (absent.length > 0) missing.set(id, absent);
  }
  return missing;
}
function resultOnDisk(runDir, entry2) {
  let path = join17(runDir, entry2.id);
  for (const index of [void 0, ...entry2.branch]) {
    if (index !== void 0) path = join17(path, `branch_${index}`);
    if (lstatSync7(path, { throwIfNoEntry: false })?.isDirectory() !== true) return false;
  }
  return lstatSync7(join17(path, "result.json"), { throwIfNoEntry: false })?.isFile() === true;
}
function lineEntry(line, where2) {
  if (line.trim() === "") return void 0;
  let value;
  try {
    value = JSON.parse(line);
  } catch {
    return void 0;
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) return void 0;
  const { first_line: first, id, branch, ...rest } = value;
  if (typeof id !== "string" || !Array.isArray(branch)) return void 0;
  try {
    const entry2 = { ...rest, id, branch, output: first ?? null, final_message: null, steps: [], changes: null };
    return parseLeafEntry(entry2, where2, { id, branch });
  } catch (error) {
    if (error instanceof DataError) return void 0;
    throw error;
  }
}

// src/engine/results-stream.ts
var ResultsStream = class {
  constructor(files) {
    this.files = files;
  }
  files;
  fd;
  path = "";
  warn = () => {
  };
  /** The lines not written yet (those of this turn; written at once past 64 Ki characters). */
  lines;
  scheduled = false;
  /** The lines of a process that exits before its turn ends (a second Ctrl-C) are written on its way out. */
  onExit = () => this.flush();
  /** Opens the shard's stream in the run directory (appending, so a resumed run adds to it). */
  open(runDir, shard2, warn = () => {
  }) {
    this.path = join18(runDir, resultLinesName(shard2));
    this.warn = warn;
    try {
      this.fd = this.files.tree.append(this.path);
      this.lines = new GatheredWrites(this.fd);
      process.once("exit", this.onExit);
    } catch (error) {
      this.fd = void 0;
      this.given(`cannot be opened (${errorMessage(error)})`);
    }
  }
  add(entry2) {
    if (this.fd === void 0) return;
    const line = JSON.stringify(this.files.redactor.redactValue(resultLine(entry2))) + "\n";
    this.written(() => this.lines?.write(line));
    if (this.scheduled || this.fd === void 0) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.flush();
    });
  }
  /** Writes the lines gathered so far. */
  flush() {
    this.written(() => this.lines?.flush());
  }
  /** Runs a write of the lines; one that fails gives the stream up (closed, said once). */
  written(write) {
    try {
      write();
    } catch (error) {
      this.close();
      this.given(`could not be written (${errorMessage(error)})`);
    }
  }
  close() {
    this.flush();
    this.lines = void 0;
    process.off("exit", this.onExit);
    if (this.fd === void 0) return;
    closeQuietly(this.fd);
    this.fd = void 0;
  }
  /** Says once that the stream was given up; the stream is not opened again, so this is the only time. */
  given(why) {
    this.warn(
      `${this.path} ${why}: the run goes on without it; each leaf's result.json and the results.json written at the end hold the same results`
    );
  }
};

// src/report/html-run.ts
import { closeSync as closeSync5, readSync as readSync5, renameSync as renameSync3, writeSync as writeSync6 } from "node:fs";
import { join as join19 } from "node:path";
var RunReportRows = class _RunReportRows {
  constructor(runDir, fds) {
    this.runDir = runDir;
    this.fds = fds;
    this.rowsOut = new GatheredWrites(fds[0]);
    this.blocksOut = new GatheredWrites(fds[1]);
  }
  runDir;
  fds;
  rows;
  after = null;
  count = 0;
  rowsOut;
  blocksOut;
  static open(tree, runDir) {
    const fds = [];
    try {
      for (const part of ["rows", "blocks"]) {
        const path = join19(runDir, `${REPORT_HTML}.${process.pid}.${part}.tmp`);
        tree.removeFile(path);
        fds.push(tree.create(path, { read: true }));
        tree.removeFile(path);
      }
    } catch (error) {
      for (const fd of fds) closeSync5(fd);
      throw error;
    }
    return new _RunReportRows(runDir, [fds[0], fds[1]]);
  }
  /** Before the first leaf: the after steps' row (its texts come out of the budget first), and where step texts come from. */
  start(after, load) {
    const emit = (block2) => this.blocksOut.write(block2);
    this.rows = new HtmlRows({ load, emit }, (row) => this.rowsOut.write(`${this.count++ === 0 ? "" : ","}${scriptJson(row)}`));
    this.after = after ? this.rows.after(after) : null;
  }
  get started() {
    return this.rows !== void 0;
  }
  add(leaf) {
    this.rows.add(leaf);
  }
  /** Writes report.html (through a temporary file and a rename); returns its path. */
  write(meta) {
    this.rowsOut.flush();
    this.blocksOut.flush();
    const path = join19(this.runDir, REPORT_HTML);
    const temporary = `${path}.${process.pid}.tmp`;
    const tree = new SafeTree(this.runDir);
    tree.removeFile(temporary);
    const fd = tree.create(temporary);
    try {
      const page = pageAround(meta, this.after, this.rows);
      writeSync6(fd, page.head);
      copyFrom(this.fds[0], fd);
      writeSync6(fd, page.middle);
      copyFrom(this.fds[1], fd);
      writeSync6(fd, page.end);
    } catch (error) {
      closeSync5(fd);
      tree.removeFile(temporary);
      throw error;
    }
    closeSync5(fd);
    renameSync3(temporary, path);
    return path;
  }
  close() {
    for (const fd of this.fds) closeQuietly(fd);
  }
};
function copyFrom(input, fd) {
  const buffer = Buffer.allocUnsafe(1 << 20);
  for (let at = 0, n; (n = readSync5(input, buffer, 0, buffer.length, at)) > 0; at += n) writeSync6(fd, buffer, 0, n);
}

// src/results/write.ts
import { closeSync as closeSync6, readSync as readSync6, rmSync as rmSync4, writeSync as writeSync7 } from "node:fs";
import { dirname as dirname6, join as join20 } from "node:path";
var COPY_BUFFER = 1 << 20;
var breathe2 = () => new Promise((resolve17) => setImmediate(resolve17));
var BREATHE_EVERY2 = 256;
async function writeResults(path, header2, items) {
  const body = ResultsBody.open(dirname6(path));
  try {
    let count = 0;
    for (const item of items) {
      if (++count % BREATHE_EVERY2 === 0) await breathe2();
      body.add(item);
    }
    return await body.writeTo(path, header2);
  } finally {
    body.close();
  }
}
var ResultsBody = class _ResultsBody {
  constructor(dir, fd) {
    this.dir = dir;
    this.fd = fd;
    this.entries = new GatheredWrites(fd ?? -1);
  }
  dir;
  fd;
  counter = new TotalsCounter();
  notStarted = [];
  entries;
  first = true;
  maxOutput = resultsOutputChars();
  /** A write that failed (a full disk): writeTo throws it. */
  failure;
  /** In `dir` (results.json's); created with O_EXCL | O_NOFOLLOW in a directory checked with lstat: a link planted at its name is refused. */
  static open(dir) {
    const tree = new SafeTree(dir);
    const path = join20(dir, `results.json.${process.pid}.flows.tmp`);
    tree.removeFile(path);
    const fd = tree.create(path, { read: true });
    try {
      tree.removeFile(path);
    } catch (error) {
      closeSync6(fd);
      throw error;
    }
    return new _ResultsBody(dir, fd);
  }
  /**
   * Adds the next item; `text`: a leaf's entry as entryText makes it, when the caller has it
   * (a leaf's result.json as written, indented: run-results.ts).
   */
  add(item, text2) {
    this.counter.add(item);
    if (isNotStarted(item)) {
      this.notStarted.push(item);
      return;
    }
    if (this.failure !== void 0) return;
    try {
      this.entries.write(`${this.first ? "" : ",\n"}    ${text2 ?? entryText(item, this.maxOutput)}`);
    } catch (error) {
      this.failure = error instanceof Error ? error : new Error(String(error));
    }
    this.first = false;
  }
  /** Writes results.json at `path` (in the body's directory): the header the entries make, then them; their totals. */
  async writeTo(path, header2) {
    if (this.failure === void 0) this.entries.flush();
    if (this.failure !== void 0) throw this.failure;
    const totals2 = this.counter.totals(header2.flows_total);
    const head = JSON.stringify(
      { schema: 1, run_id: header2.run_id, shard: header2.shard, ...totals2, after: header2.after ?? null, flows: [] },
      null,
      2
    );
    const [before2] = head.split('"flows": []');
    const ranges = this.notStarted.map((r) => `    ${JSON.stringify(r)}`).join(",\n");
    const temporary = `${path}.${process.pid}.tmp`;
    const tree = new SafeTree(this.dir);
    const cleanUp = () => {
      try {
        rmSync4(temporary, { force: true });
      } catch {
      }
    };
    process.once("exit", cleanUp);
    try {
      const out = tree.create(temporary);
      try {
        writeSync7(out, `${before2}"flows": [${this.first ? "" : "\n"}`);
        await this.copyInto(out);
        writeSync7(out, `${this.first ? "" : "\n  "}],
  "not_started": [${ranges ? `
${ranges}
  ` : ""}]
}
`);
      } finally {
        closeSync6(out);
      }
      tree.rename(temporary, path);
    } finally {
      process.off("exit", cleanUp);
      cleanUp();
    }
    return totals2;
  }
  close() {
    if (this.fd !== void 0) closeSync6(this.fd);
    this.fd = void 0;
  }
  /**
   * The entries copied through one buffer: piping streams leaves each chunk read as garbage for the
   * collector, which for 100,000 leaves was 60 MB of the run's peak memory.
   */
  async copyInto(out) {
    const buffer = Buffer.allocUnsafe(COPY_BUFFER);
    for (let at = 0, n; (n = readSync6(this.fd, buffer, 0, COPY_BUFFER, at)) > 0; at += n) {
      writeSync7(out, buffer, 0, n);
      await breathe2();
    }
  }
};
function entryText(entry2, max = resultsOutputChars()) {
  return JSON.stringify(cutOutput(entry2, max), null, 2).replaceAll("\n", "\n    ");
}
var resultsOutputChars = () => {
  const set = Number(process.env.ORCHESTRATOR_RESULTS_OUTPUT_CHARS);
  return Number.isSafeInteger(set) && set > 0 ? set : 8192;
};
function cutOutput(entry2, max = resultsOutputChars()) {
  if (entry2.output === null || entry2.output.length <= max || entry2.output_cut !== void 0) return entry2;
  const last = [...entry2.steps].reverse().find((s) => s.status === "succeeded");
  if (last === void 0) return entry2;
  const file = `${last.dir}/${/(^|\/)codex_exec_\d+$/.test(last.dir) ? "final_message.txt" : "output.txt"}`;
  const end = /[\ud800-\udbff]/.test(entry2.output.charAt(max - 1)) ? max - 1 : max;
  return { ...entry2, output: entry2.output.slice(0, end), output_cut: { chars: entry2.output.length, file } };
}

// src/engine/run-results.ts
var breathe3 = () => new Promise((resolve17) => setImmediate(resolve17));
var BREATHE_EVERY3 = 256;
var RunResults = class {
  constructor(runDir, files, spool, range2, early2) {
    this.runDir = runDir;
    this.files = files;
    this.spool = spool;
    this.early = early2;
    this.next = range2.from;
    this.idOf = range2.idOf;
    this.disk = runTreeLoader(runDir);
    const spooled = spool === void 0 ? this.disk : spool.loader(this.disk);
    this.load = (path, chars, tail) => (this.current ?? spooled)(path, chars, tail);
  }
  runDir;
  files;
  spool;
  early;
  seen = { finalMessages: [], onlyOutput: void 0 };
  /** Hears of every leaf as it is passed on (the index of finished flows, the caller's onResult). */
  onItem = () => {
  };
  /** The flow whose leaf comes next, while leaves are passed on as they end. */
  next;
  body;
  bodyFailure;
  page;
  pageFailure;
  leaves = 0;
  /** The texts of the leaf being passed on as it ended; else the spool's, else the disk's. */
  current;
  load;
  disk;
  maxOutput = resultsOutputChars();
  idOf;
  /** Opens the files the entries and rows wait in; a failure is told when results.json or report.html is written. */
  open() {
    try {
      this.body = ResultsBody.open(this.runDir);
    } catch (error) {
      this.bodyFailure = error instanceof Error ? error : new Error(String(error));
      this.early = false;
    }
    try {
      this.page = RunReportRows.open(this.files.tree, this.runDir);
      if (this.early) this.page.start(null, this.load);
    } catch (error) {
      this.pageFailure = error;
    }
  }
  /**
   * Flow `index`'s one leaf ended and was written (`written`: its result.json as written, `texts`:
   * its step directories' texts as kept, one pair a step). Passed on at once, with the spooled
   * ones after it, when it is the next in order; else false (the caller spools it).
   */
  ended(index, entry2, written, texts) {
    if (!this.early || index !== this.next || texts.length !== entry2.steps.length) return false;
    const plain = this.files.redactor.forms.length === 0;
    const item = plain ? entry2 : JSON.parse(written);
    const cut3 = item.output !== null && item.output.length > this.maxOutput;
    this.current = textsLoader(texts, this.disk);
    this.pass(item, plain && !cut3 ? written.slice(0, -1).replaceAll("\n", "\n    ") : void 0);
    this.current = void 0;
    this.next++;
    while (this.spool?.has(this.next) === true) {
      const spooled = this.spool.entry(this.next, this.idOf(this.next));
      if (spooled === void 0) break;
      this.spool.drop(this.next);
      this.pass(spooled);
      this.next++;
    }
    return true;
  }
  /** The first flow not passed on yet: the leaves from there on are read at the end. */
  get from() {
    return this.next;
  }
  /** Passes on the rest of the leaves, in order, once every flow ended (and the after steps ran). */
  async rest(items, after) {
    if (this.page?.started === false) this.safely(() => this.page.start(after, this.load));
    let count = 0;
    for (const item of items) {
      if (++count % BREATHE_EVERY3 === 0) await breathe3();
      this.pass(item);
    }
  }
  /** Writes results.json from the entries passed on; their totals. */
  async writeResults(path, header2) {
    if (this.body === void 0) throw this.bodyFailure ?? new Error("the entries of results.json were not kept");
    return await this.body.writeTo(path, header2);
  }
  /** Writes report.html; a failure is said on stderr (the report is a view: the run's outcome stands). */
  writeReport(runId, shard2, totals2, durationMs) {
    const title = `orchestrator: ${runId}${shard2.count > 1 ? ` (shard ${shard2.index}/${shard2.count})` : ""}`;
    if (this.page !== void 0 && this.pageFailure === void 0) this.safely(() => this.page.write({ title, totals: totals2, durationMs }));
    if (this.pageFailure !== void 0) reportNotWritten(this.runDir, this.pageFailure);
  }
  close() {
    this.body?.close();
    this.page?.close();
  }
  /** One leaf (or a range of never-started ones) to both files; `text`: its entry as results.json holds it, when known. */
  pass(item, text2) {
    this.onItem(item);
    this.note(item);
    this.body?.add(item, text2);
    if (this.page !== void 0 && this.pageFailure === void 0)
      this.safely(() => this.page.add(isNotStarted(item) ? item : cutOutput(item, this.maxOutput)));
  }
  /** The final messages of succeeded leaves, and the output when there is one leaf only. */
  note(item) {
    if (isNotStarted(item)) {
      this.leaves += item.count;
      this.seen.onlyOutput = void 0;
      return;
    }
    this.leaves++;
    this.seen.onlyOutput = this.leaves === 1 ? item.output ?? void 0 : void 0;
    if (item.status === "succeeded" && item.final_message) this.seen.finalMessages.push(item.final_message);
  }
  safely(write) {
    try {
      write();
    } catch (error) {
      this.pageFailure ??= error;
    }
  }
};

// src/engine/leaf-records.ts
var LeafRecords = class {
  /**
   * `writeFailed` says why a write failed, and stops the run when the run directory itself is
   * unusable; `ended` hears of each leaf as it ends (written or kept in memory), a failed one as
   * soon as its failure is known when the writes are deferred (failing).
   */
  constructor(prepared, files, writeFailed, ended = () => {
  }) {
    this.prepared = prepared;
    this.files = files;
    this.writeFailed = writeFailed;
    this.ended = ended;
    this.stream = new ResultsStream(files);
    if (!prepared.config.steps.some((step2) => step2.array)) {
      this.spool = new LeafSpool(prepared.range.from);
      if (prepared.options.isolate !== "worktree") {
        this.texts = new StepTexts(prepared.runDir);
        files.observer = this.texts;
      }
    }
    const afterHere = prepared.config.after.length > 0 && prepared.shard.count === 1;
    const early2 = this.texts !== void 0 && files.tree.byPath && !afterHere;
    const { range: range2, space } = prepared;
    this.results = new RunResults(prepared.runDir, files, this.spool, { from: range2.from, idOf: (i) => flowId(i, space.total) }, early2);
  }
  prepared;
  files;
  writeFailed;
  ended;
  counts = { succeeded: 0, failed: 0, cancelled: 0 };
  /** Failed leaves told before their files were written (failing), by label: not told again as they end. */
  toldFailed = /* @__PURE__ */ new Set();
  /** Leaves whose result.json could not be written (a full disk, a planted link), by flow id: results.json still lists them. */
  unwritten = /* @__PURE__ */ new Map();
  /** The index of finished flows this attempt writes (leaf-index.ts); undefined when it keeps none. */
  index;
  /** results.jsonl: each leaf's line as it ends (the run opens and closes it). */
  stream;
  /**
   * A config without array steps (one leaf a flow): each leaf spooled as it ends, results.json and
   * report.html made from the spool (the run opens and closes it); undefined with array steps.
   */
  spool;
  /** What report.html shows of the step files, kept as they are written (with the spool; not in worktrees, whose patches come later). */
  texts;
  /** results.json and report.html, a leaf at a time in results order (run-results.ts). */
  results;
  /** Opens results.jsonl and the spool in the run directory; `warn` hears once when results.jsonl cannot be written. */
  open(warn) {
    this.stream.open(this.prepared.runDir, this.prepared.shard, warn);
    this.spool?.open(this.files.tree, this.prepared.runDir);
    this.results.open();
  }
  close() {
    this.stream.close();
    this.spool?.close();
    this.results.close();
  }
  write(flow, branch, dir, leaf) {
    const entry2 = {
      id: flow.flow.id,
      branch: [...branch],
      keys: flow.flow.keys,
      status: leaf.status,
      output: leaf.output,
      final_message: leaf.status === "succeeded" ? leaf.finalMessage : null,
      error: leaf.error,
      duration_ms: Date.now() - flow.started,
      usage: leafUsage(leaf.steps),
      steps: leaf.steps,
      // only steps run in a worktree leave a patch: without one, no step directory is looked into
      changes: this.prepared.options.isolate === "worktree" ? leafChanges(this.prepared.runDir, leaf.steps) : null
    };
    let written;
    const path = under(dir, "result.json");
    try {
      written = this.files.writeJson(path, entry2, { atomic: false });
    } catch (error) {
      this.unwritable(entry2, error);
      return;
    }
    const queue = this.files.deferred;
    if (queue === void 0) this.written(flow, branch, entry2, written, leaf.fingerprints);
    else {
      if (entry2.status === "failed") this.failing(entry2);
      queue.after(() => this.written(flow, branch, entry2, written, leaf.fingerprints, queue.failure(path)));
    }
  }
  /**
   * With the writes deferred (a writer thread), a leaf known to fail before its files are written:
   * the caller hears of it now, once (--fail-fast stops the run before the leaf's slot goes to
   * another flow, as it does when the files are written at once); it still counts once written.
   */
  failing(leaf) {
    if (this.files.deferred === void 0) return;
    const label = leafLabel(leaf);
    if (this.toldFailed.has(label)) return;
    this.toldFailed.add(label);
    this.ended({ id: leaf.id, branch: leaf.branch, status: "failed" });
  }
  /** The leaf's result.json is written (or its write failed: `lost`): the leaf is counted, spooled, indexed and ended. */
  written(flow, branch, entry2, written, prints, lost) {
    try {
      if (lost !== void 0) throw lost;
      if (branch.length === 0) {
        const texts = this.texts?.take(entry2) ?? [];
        if (!this.results.ended(flow.flow.index, entry2, written, texts)) this.spool?.add(flow.flow.index, written, texts);
      }
      this.counts[entry2.status]++;
      if (entry2.status === "succeeded" && branch.length === 0 && prints?.length === this.prepared.config.steps.length) {
        this.index?.add(flow.flow.index, entry2.id, prints);
      }
    } catch (error) {
      this.unwritable(entry2, error);
      return;
    }
    this.end(entry2);
  }
  unwritable(entry2, error) {
    this.texts?.take(entry2);
    this.keepUnwritten({ ...entry2, status: "failed", error: this.writeFailed(error) });
  }
  /** A leaf ended: its line in results.jsonl, then the caller hears of it. */
  end(entry2) {
    this.stream.add(entry2);
    if (this.toldFailed.size > 0 && this.toldFailed.delete(leafLabel(entry2))) return;
    this.ended(entry2);
  }
  /** Keeps in memory a leaf whose result.json could not be written; results.json lists it. */
  keepUnwritten(entry2) {
    this.counts.failed++;
    const kept = this.unwritten.get(entry2.id) ?? [];
    this.unwritten.set(entry2.id, [...kept.filter((e) => compareLeaves(e, entry2) !== 0), entry2]);
    this.end(entry2);
  }
  /** Branches that never started: a few as cancelled leaves, long runs of them as `not_started` ranges. */
  writeNotStarted(flow, parent, dir, branches, reason, shared) {
    const { ranges, single } = splitNotStarted(flow.flow.id, parent, branches, reason, shared);
    for (const { previous, index } of single) {
      this.write(flow, [...parent, index], join21(dir, branchDirName(index)), {
        status: "cancelled",
        error: reason,
        output: previous.output,
        finalMessage: null,
        steps: shared
      });
    }
    if (ranges.length === 0) return;
    this.files.writeJson(join21(dir, NOT_STARTED), { schema: 1, ranges });
    for (const range2 of ranges) this.counts.cancelled += range2.count;
  }
  /**
   * Every leaf of this process's flows from flow `from` on, in order: from the spool those that ended in this process,
   * the others (an earlier attempt's) from disk; flows that never ran are cancelled for `reason`.
   */
  leaves(reason, from = this.prepared.range.from) {
    const branches = this.prepared.config.steps.some((step2) => step2.array);
    const { runDir, space, range: range2 } = this.prepared;
    const known = this.spool?.usable === true ? this.spool : void 0;
    return withUnwritten(readLeaves(runDir, space, { from, to: range2.to }, reason, branches, known), this.unwritten);
  }
};

// src/engine/output.ts
import { lstatSync as lstatSync8 } from "node:fs";
import { join as join22 } from "node:path";

// src/util/tree-queue.ts
import { existsSync as existsSync6 } from "node:fs";
import { fileURLToPath as fileURLToPath2 } from "node:url";
import { MessageChannel, receiveMessageOnPort, Worker as Worker2 } from "node:worker_threads";

// src/util/tree-batch.ts
import { renameSync as renameSync4, rmSync as rmSync5 } from "node:fs";
var TreeBatches = class {
  /** Directories that could not be made, with why: what is below them is not written. */
  broken = /* @__PURE__ */ new Map();
  /** Makes a batch's writes; returns those that failed. */
  apply(ops) {
    const failed = [];
    for (let i = 0; i < ops.length; i += 3) {
      const kind2 = ops[i];
      const path = ops[i + 1];
      try {
        this.one(kind2, path, ops[i + 2]);
      } catch (error) {
        if (kind2 === "d") this.broken.set(path, error);
        const { message: message2, code } = error;
        const unsafe = error instanceof UnsafePathError ? { path: error.path, problem: error.problem } : void 0;
        failed.push({ kind: kind2, path, message: String(message2), code, ...unsafe === void 0 ? {} : { unsafe } });
      }
    }
    return failed;
  }
  one(kind2, path, data) {
    if (this.broken.size > 0) this.refuseBelowBroken(path);
    if (kind2 === "d") {
      makeDir(path);
      this.broken.delete(path);
    } else if (kind2 === "w") {
      writeAfresh(path, data);
    } else {
      writeAtomic(path, data);
    }
  }
  /** A path below a directory that could not be made fails with that directory's error. */
  refuseBelowBroken(path) {
    for (let cut3 = path.lastIndexOf("/"); cut3 > 0; cut3 = path.lastIndexOf("/", cut3 - 1)) {
      const error = this.broken.get(path.slice(0, cut3));
      if (error !== void 0) throw error;
    }
  }
};
function writeAtomic(path, data) {
  const temporary = temporaryPath(path);
  try {
    writeAfresh(temporary, data);
    refuseForeign(path, path);
    renameSync4(temporary, path);
  } catch (error) {
    rmSync5(temporary, { force: true });
    throw error;
  }
}

// src/util/tree-queue.ts
var DONE2 = 0;
var GONE = 1;
var THREAD_MODULE2 = "./tree-thread.js";
var SEND_AT = 3 * 512;
var MAX_PENDING = 2048;
var MAX_PENDING_BYTES = 16 * 1024 * 1024;
var STALLED_MS = 12e4;
var YOUNG_MAX_BYTES = 16 * 1024 * 1024;
var WriteQueue = class _WriteQueue {
  constructor(file) {
    this.file = file;
    this.counter = new Int32Array(this.done);
  }
  file;
  ops = [];
  /** Batches sent, and finished (their failures taken in). */
  sent = 0;
  finished = 0;
  /** Operations pushed and not done, and how many each batch sent holds. */
  pendingOps = 0;
  pendingBytes = 0;
  /** Each batch sent: its operations and its bytes of data. */
  batchOps = /* @__PURE__ */ new Map();
  opsBytes = 0;
  scheduled = false;
  waiting = /* @__PURE__ */ new Map();
  roomWaiters = [];
  failures = /* @__PURE__ */ new Map();
  counter;
  /** Set when the thread died: every write not known done fails with it. */
  dead;
  /** Hears of each write that failed (a directory's: MadeDirs forgets it). */
  onFailure = () => {
  };
  /** Hears once that the thread died (the run stops). */
  onDeath = () => {
  };
  /** The thread, started with the first batch sent (spawn): a resume whose flows were all finished writes nothing and starts none. */
  worker;
  /** When the thread could not start: the batches, made on this thread as they are sent. */
  inline;
  port;
  done = new SharedArrayBuffer(8);
  /** A queue whose thread starts with its first write; undefined when the thread's module is not there (jest runs the sources). */
  static start(file = threadModule2()) {
    return file === void 0 ? void 0 : new _WriteQueue(file);
  }
  /** Starts the thread; false when it cannot start (the batches are then made here: `inline`). */
  spawn() {
    try {
      const { port1, port2 } = new MessageChannel();
      const worker = new Worker2(this.file, {
        workerData: { done: this.done, port: port2 },
        transferList: [port2],
        name: "run tree writes",
        // what it holds is a batch or two of small files: a young generation grown to V8's 64 MB is memory for nothing
        resourceLimits: { maxYoungGenerationSizeMb: 8 }
      });
      port1.on("message", (message2) => this.take(message2));
      worker.on("error", (error) => this.died(error));
      worker.on("exit", (code) => this.died(new Error(`it exited with code ${code}`)));
      [this.worker, this.port] = [worker, port1];
      return true;
    } catch {
      this.inline = new TreeBatches();
      return false;
    }
  }
  push(kind2, path, data) {
    this.ops.push(kind2, path, data);
    this.pendingOps++;
    const bytes2 = data === void 0 ? 0 : data.length;
    this.pendingBytes += bytes2;
    this.opsBytes += bytes2;
    if (this.ops.length >= SEND_AT || this.opsBytes >= MAX_PENDING_BYTES / 4) this.send();
    else if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.send());
    }
  }
  /** Undefined when fewer operations and bytes wait than MAX_PENDING and MAX_PENDING_BYTES; else a promise of room for more (half of them done). */
  room() {
    if (this.pendingOps < MAX_PENDING && this.pendingBytes < MAX_PENDING_BYTES || this.dead !== void 0) return void 0;
    return new Promise((resolve17) => this.roomWaiters.push(resolve17));
  }
  /** Runs `call` once every write pushed so far is done (or failed). */
  after(call) {
    const target2 = this.ops.length > 0 ? this.sent + 1 : this.sent;
    if (target2 <= this.finished || this.dead !== void 0) {
      call();
      return;
    }
    const list2 = this.waiting.get(target2);
    if (list2 === void 0) this.waiting.set(target2, [call]);
    else list2.push(call);
  }
  /** Once every write pushed so far is done: the first failure of `path` or a path below it, taken (not told again); undefined when none. */
  written(path) {
    return new Promise((resolve17) => this.after(() => resolve17(this.takeBelow(path))));
  }
  /** Whether the write of `path` failed (once it is done: after): its error, taken. */
  failure(path) {
    const error = this.failures.get(path);
    if (error !== void 0) this.failures.delete(path);
    return error ?? this.dead;
  }
  takeBelow(path) {
    let first;
    if (this.failures.size > 0) {
      for (const [failed, error] of this.failures) {
        if (failed !== path && !failed.startsWith(`${path}/`)) continue;
        first ??= error;
        this.failures.delete(failed);
      }
    }
    return first ?? this.dead;
  }
  /** Every write pushed so far, done. */
  drain() {
    return new Promise((resolve17) => this.after(resolve17));
  }
  /** Waits, blocking this thread, until every write pushed so far is done; throws when the thread is dead or stalls. */
  drainSync() {
    if (this.dead !== void 0) throw this.dead;
    if (this.ops.length > 0) this.send();
    let last = Atomics.load(this.counter, DONE2);
    let since = Date.now();
    while (Atomics.load(this.counter, DONE2) < this.sent) {
      Atomics.wait(this.counter, DONE2, last, 1e3);
      const now = Atomics.load(this.counter, DONE2);
      const gone = Atomics.load(this.counter, GONE);
      if (gone !== 0) throw this.died(new Error(`it exited with code ${gone - 1}`));
      if (now !== last) [last, since] = [now, Date.now()];
      else if (Date.now() - since > STALLED_MS) throw this.died(new Error(`it finished nothing for ${STALLED_MS / 1e3} s`));
    }
    for (let message2; this.port !== void 0 && (message2 = receiveMessageOnPort(this.port)) !== void 0; )
      this.take(message2.message);
  }
  /** Ends the thread, once everything pushed is done (`drain` first). */
  async close() {
    this.dead ??= new Error("the run is over");
    await this.worker?.terminate();
  }
  send() {
    this.scheduled = false;
    if (this.ops.length === 0 || this.dead !== void 0) return;
    if (this.worker === void 0 && this.inline === void 0) this.spawn();
    this.sent++;
    this.batchOps.set(this.sent, { ops: this.ops.length / 3, bytes: this.opsBytes });
    this.opsBytes = 0;
    if (this.inline !== void 0) {
      const ops = this.ops;
      this.ops = [];
      const failed = this.inline.apply(ops);
      Atomics.store(this.counter, DONE2, this.sent);
      this.take({ seq: this.sent, failed });
      return;
    }
    this.worker.ref();
    this.port.ref();
    this.worker.postMessage({ seq: this.sent, ops: this.ops });
    this.ops = [];
  }
  take({ seq, failed }) {
    if (seq <= this.finished) return;
    for (const failure of failed) {
      const error = failure.unsafe !== void 0 ? new UnsafePathError(failure.unsafe.path, failure.unsafe.problem) : new Error(failure.message);
      if (failure.code !== void 0) Object.assign(error, { code: failure.code });
      this.failures.set(failure.path, error);
      this.onFailure(failure.path, error, failure.kind === "d");
    }
    const from = this.finished + 1;
    this.finished = seq;
    for (let s = from; s <= seq; s++) {
      const batch = this.batchOps.get(s);
      this.pendingOps -= batch?.ops ?? 0;
      this.pendingBytes -= batch?.bytes ?? 0;
      this.batchOps.delete(s);
    }
    if (this.finished === this.sent && this.ops.length === 0) {
      this.worker?.unref();
      this.port?.unref();
    }
    for (let s = from; s <= seq; s++) {
      const calls = this.waiting.get(s);
      this.waiting.delete(s);
      for (const call of calls ?? []) call();
    }
    if (this.pendingOps < MAX_PENDING / 2 && this.pendingBytes < MAX_PENDING_BYTES / 2) this.wakeRoom();
    holdYoungGeneration(YOUNG_MAX_BYTES);
  }
  wakeRoom() {
    const waiters = this.roomWaiters;
    this.roomWaiters = [];
    for (const wake of waiters) wake();
  }
  /** The thread died: the writes not known done fail with why, everything waiting goes on, the run hears of it; returns the error. */
  died(cause) {
    if (this.dead !== void 0) return this.dead;
    this.dead = new OutputError(
      `the thread writing the run's files stopped (${cause.message}): the files of the flows still running are not written; run again with --resume`
    );
    for (const calls of this.waiting.values()) for (const call of calls) call();
    this.waiting.clear();
    this.wakeRoom();
    this.onDeath(this.dead);
    return this.dead;
  }
};
function threadModule2() {
  const file = new URL(THREAD_MODULE2, import.meta.url);
  return existsSync6(fileURLToPath2(file)) ? file : void 0;
}

// src/engine/output.ts
var where = (prepared) => `the output directory ${JSON.stringify(prepared.options.outputDir)} (--output)`;
function startsNoProcess(prepared) {
  const { config, options } = prepared;
  const quiet = (step2) => step2.kind === "openai" && (step2.checks ?? []).every((check) => check.type !== "cmd");
  return options.isolate !== "worktree" && config.steps.every(quiet) && config.after.every(quiet);
}
function makeRunDir(prepared) {
  try {
    makeDirectories(prepared.runDir);
  } catch (error) {
    throw new UsageError(`${where(prepared)}: cannot create the run directory ${prepared.runDir}: ${errorMessage(error)}`, {
      cause: error
    });
  }
  if (!lstatSync8(prepared.runDir).isDirectory()) {
    throw new UsageError(
      `${where(prepared)}: ${prepared.runDir} is a symbolic link or a file, not a directory of its own: remove it, or use another --run-id`
    );
  }
}
function startRunDir(prepared, writeRunJson) {
  try {
    writeRunJson();
  } catch (error) {
    throw new UsageError(`${where(prepared)}: cannot write ${join22(prepared.runDir, "run.json")}: ${errorMessage(error)}`, { cause: error });
  }
}
async function finishRunDir(prepared, write) {
  try {
    return await write();
  } catch (error) {
    throw new OutputError(`cannot write the results of the run (results.json, run.json) in ${prepared.runDir}: ${errorMessage(error)}`, {
      cause: error
    });
  }
}
function unusableRunDir(tree) {
  try {
    tree.verify(tree.root);
    return void 0;
  } catch (error) {
    return `the run directory became unusable: ${errorMessage(error)}`;
  }
}
async function withWriterThread(files, count, stop, flows) {
  const queue = files.tree.byPath && count >= writerThreadFlows() ? WriteQueue.start() : void 0;
  if (queue === void 0) return flows();
  queue.onDeath = stop;
  files.defer(queue);
  try {
    const ran = await flows();
    await files.settle();
    return ran;
  } finally {
    await files.settle().catch(() => void 0);
    await queue.close();
  }
}
var WRITER_THREAD_FLOWS = 64;
function writerThreadFlows(env = process.env) {
  const fromEnv = Number(env.ORCHESTRATOR_WRITER_THREAD_FLOWS);
  return env.ORCHESTRATOR_WRITER_THREAD_FLOWS && Number.isSafeInteger(fromEnv) && fromEnv > 0 ? fromEnv : WRITER_THREAD_FLOWS;
}

// src/engine/run-record.ts
import { join as join23 } from "node:path";
function runRecord(prepared, state) {
  const o = prepared.options;
  const options = {
    parallel: o.parallel,
    timeout: o.timeoutS,
    workdir: o.workdir,
    append_filepath: o.appendFilepath,
    model: o.model ?? null,
    api: o.api ?? null,
    base_url: o.baseUrl === void 0 ? null : urlWithoutCredentials(o.baseUrl),
    offline: o.offline,
    retries: o.retries,
    token_budget: o.tokenBudget ?? null,
    max_cost_usd: o.maxCost ?? null,
    resume: o.resume,
    isolate: o.isolate ?? "none",
    sandbox: o.sandbox ?? DEFAULT_SANDBOX,
    batch: o.batch === void 0 ? null : { timeout: o.batch.timeoutS, cancel_on_exit: o.batch.cancelOnExit }
  };
  const started = state.started.toISOString();
  const ended = state.ended?.toISOString() ?? null;
  const attempts = [...state.earlier.attempts, { started_at: started, ended_at: ended, options }];
  return {
    schema: 1,
    run_id: prepared.runId,
    config: { file: o.configFile, hash: prepared.config.hash, full_hash: prepared.config.fullHash },
    keys: prepared.space.keys.map((k) => ({
      name: k.name,
      file: k.file,
      lines: k.paths.length,
      ...k.kind === "values" ? { values: true } : {}
    })),
    keys_hash: prepared.keysHash,
    shard: prepared.shard,
    flows: { total: prepared.space.total, from: prepared.range.from + 1, to: prepared.range.to },
    options,
    codex_version: state.codexVersion,
    // a resumed run keeps when the first attempt started; `attempts` lists each one's options
    started_at: state.earlier.startedAt ?? started,
    ended_at: ended,
    attempts,
    totals: state.totals ?? null,
    stopped: state.stopped ?? null,
    peak_concurrency: state.peakConcurrency
  };
}
function writeRunRecord(files, prepared, state) {
  const record = runRecord(prepared, state);
  files.writeJson(join23(prepared.runDir, "run.json"), record);
  files.writeJson(join23(prepared.runDir, shardRecordPath(prepared.shard)), record);
}

// src/engine/run-progress.ts
var RunProgress = class {
  constructor(labels, total, counts2, onProgress, batches) {
    this.labels = labels;
    this.total = total;
    this.counts = counts2;
    this.onProgress = onProgress;
    this.batches = batches;
    this.atStep = labels.map(() => 0);
    batches?.onChange(() => this.report());
  }
  labels;
  total;
  counts;
  onProgress;
  batches;
  atStep;
  finished = 0;
  /** With --resume: flows an earlier attempt finished (counted in `finished` too). */
  kept = 0;
  usage = NO_USAGE;
  cached = { steps: 0, saved: NO_USAGE };
  /** A step answered from the response cache: `saved` is what its answer first cost. */
  cacheHit(saved) {
    this.cached = { steps: this.cached.steps + 1, saved: addUsage(this.cached.saved, saved) };
  }
  report() {
    this.onProgress?.({
      labels: this.labels,
      atStep: this.atStep,
      finished: this.finished,
      total: this.total,
      ...this.counts,
      usage: this.usage,
      ...this.cached.steps > 0 ? { cached: this.cached } : {},
      ...this.batches !== void 0 ? { batches: this.batches.counts() } : {},
      ...this.kept > 0 ? { kept: this.kept } : {}
    });
  }
};

// src/engine/slots.ts
function comparePriority(a, b) {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i] - b[i];
  return a.length - b.length;
}
var before = (a, b) => {
  const order = comparePriority(a.priority, b.priority);
  return order < 0 || order === 0 && a.seq < b.seq;
};
var WaiterHeap = class {
  items = [];
  get size() {
    return this.items.length;
  }
  push(waiter) {
    const items = this.items;
    let i = items.push(waiter) - 1;
    while (i > 0) {
      const parent = i - 1 >> 1;
      if (!before(waiter, items[parent])) break;
      items[i] = items[parent];
      i = parent;
    }
    items[i] = waiter;
  }
  pop() {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (items.length === 0 || last === void 0) return top;
    let i = 0;
    for (; ; ) {
      const left = 2 * i + 1;
      if (left >= items.length) break;
      const right = left + 1;
      const child = right < items.length && before(items[right], items[left]) ? right : left;
      if (!before(items[child], last)) break;
      items[i] = items[child];
      i = child;
    }
    items[i] = last;
    return top;
  }
};
var Slots = class {
  constructor(limit) {
    this.limit = limit;
  }
  limit;
  held = 0;
  seq = 0;
  waiters = new WaiterHeap();
  /** Most holders seen at once. */
  peak = 0;
  /** Waiting for a slot now. */
  get waiting() {
    return this.waiters.size;
  }
  acquire(priority) {
    return new Promise((grant) => {
      this.waiters.push({ priority, seq: this.seq++, grant });
      this.dispatch();
    });
  }
  release() {
    this.held--;
    this.dispatch();
  }
  /** Gives up a held slot and waits for one again, atomically: the best waiter, maybe this one, goes next. */
  reacquire(priority) {
    this.held--;
    return this.acquire(priority);
  }
  dispatch() {
    while (this.held < this.limit) {
      const waiter = this.waiters.pop();
      if (waiter === void 0) return;
      this.held++;
      this.peak = Math.max(this.peak, this.held);
      waiter.grant();
    }
  }
};

// src/engine/step-input.ts
import { resolve as resolve8 } from "node:path";
var KEPT_CHARS = 16 * 1024 * 1024;
var StepInputs = class {
  /** `redactor`: the run's, whose masking its files show (fingerprints are taken of the masked input). */
  constructor(prepared, redactor) {
    this.prepared = prepared;
    this.redactor = redactor;
    this.fingerprints = fingerprintSettings(prepared.options);
    this.valueKeys = new Set(prepared.space.keys.filter((key) => key.kind === "values").map((key) => key.name));
  }
  prepared;
  redactor;
  fingerprints;
  /** Per key, the file read last and its text (see contents). */
  lastRead = /* @__PURE__ */ new Map();
  /** Key files' texts by path, the most recently used last (see contents). */
  kept = /* @__PURE__ */ new Map();
  /** The characters `kept` holds. */
  keptChars = 0;
  /** Each step's model, found once (modelOf reads the environment: slow, once a flow). */
  models = /* @__PURE__ */ new Map();
  /** The `--values` keys: a flow's entry is the value itself, not a file to read. */
  valueKeys;
  /** The fingerprint of a step made from `input` after the step whose fingerprint is `chain`. */
  fingerprintOf(step2, input, chain2) {
    return stepFingerprint(step2, maskedInput(input, this.redactor), chain2, this.fingerprints);
  }
  /** The fingerprint a step of this flow would be made under now, after `previous` (resume.ts asks). */
  fingerprint(flow, step2, previous) {
    return this.fingerprintOf(step2, this.stepInput(flow, step2, previous?.output, previous?.bytes), previous?.fingerprint);
  }
  /**
   * The fingerprint of a first step for a flow whose every key stands for a marker of its own, as
   * its contents and as its path: what the first steps of all flows share (inputs-digest.ts).
   * Undefined for a prompt file whose path has placeholders (a template a flow).
   */
  probeFingerprint(step2) {
    if (step2.kind !== "cmd" && step2.prompt.kind !== "inline" && !this.prepared.templates.has(step2.index)) return void 0;
    const keys = {};
    const contents = /* @__PURE__ */ new Map();
    for (const key of this.prepared.space.keys) {
      keys[key.name] = `\0path of ${key.name}\0`;
      if (key.kind !== "values") contents.set(key.name, `\0contents of ${key.name}\0`);
    }
    return this.fingerprint({ flow: { index: -1, id: "flow_probe", keys }, dir: "", started: 0, contents }, step2, void 0);
  }
  /** Text as fingerprints see it: every secret masked. */
  masked(text2) {
    return this.redactor.redact(text2);
  }
  /**
   * What a step is given: its prompt or command filled in for this flow, and its model settings;
   * a cmd step gets the previous output's bytes on stdin when there are any.
   */
  stepInput(flow, step2, previous, bytes2) {
    const { options } = this.prepared;
    let prompt;
    let command;
    if (step2.kind === "cmd") {
      prompt = previous ?? "";
      const compiled2 = this.prepared.commands.get(step2.index);
      command = {
        script: compiled2.script,
        variables: [...compiled2.variables].map(([ref, variable]) => {
          const { name, field } = parseRef(ref);
          return { key: ref, variable, file: flow.flow.keys[name], value: this.value(flow, name, field) };
        })
      };
    } else {
      const template = this.template(flow, step2);
      const filled = fillPlaceholders(
        template,
        (name, field) => flow.flow.keys[name] === void 0 ? void 0 : field === "path" ? flow.flow.keys[name] : this.valueKeys.has(name) ? flow.flow.keys[name] : promptValue(this.contents(flow, name), flow.flow.keys[name], options.appendFilepath)
      );
      prompt = assemblePrompt(filled, previous);
    }
    let model = this.models.get(step2);
    if (model === void 0) this.models.set(step2, model = { value: modelOf(step2, options) });
    const api2 = step2.api ?? options.api ?? "responses";
    return { prompt, input: step2.kind === "cmd" ? bytes2 : void 0, command, model: model.value, api: api2, sandbox: sandboxOf(step2, options) };
  }
  /** A model step's template: inline, a prompt file read once, or a file whose path has placeholders. */
  template(flow, step2) {
    const source = step2.prompt;
    if (source.kind === "inline") return source.text;
    const fixed = this.prepared.templates.get(step2.index);
    if (fixed !== void 0) return fixed;
    const path = fillPlaceholders(
      source.path,
      (name, field) => flow.flow.keys[name] === void 0 ? void 0 : this.value(flow, name, field).trim()
    );
    try {
      return readInputFile(resolve8(this.prepared.options.baseDir, path), { confineTo: this.prepared.options.confineTo }).toString("utf8");
    } catch (error) {
      const why = error instanceof InputFileError ? `it ${error.problem}` : errorMessage(error);
      throw new StepError(`cannot read prompt file ${JSON.stringify(path)}: ${why}`, { cause: error });
    }
  }
  /** What a placeholder stands for in this flow: its file's contents, or its listed path. */
  value(flow, name, field) {
    return field === "path" ? flow.flow.keys[name] : this.contents(flow, name);
  }
  /**
   * The contents of this flow's file for a key, read once per flow. The file read last for each key
   * is kept, and the small files read recently (up to KEPT_CHARS), so the flows that follow do not read them again: the first key changes slowest and the
   * last one cycles through its list once per value of the others, so a list of a few thousand small
   * files is read once per run, not once a flow. The checks readListedFile makes when it reads a
   * file hold for the text kept.
   */
  contents(flow, name) {
    if (this.valueKeys.has(name)) return flow.flow.keys[name];
    let text2 = flow.contents.get(name);
    if (text2 === void 0) {
      const path = flow.flow.keys[name];
      const last = this.lastRead.get(name);
      text2 = last?.path === path ? last.text : this.recent(path);
      if (text2 === void 0) {
        text2 = readListedFile(this.prepared.options.baseDir, path, name, { confineTo: this.prepared.options.confineTo });
        this.keep(path, text2);
      }
      this.lastRead.set(name, { path, text: text2 });
      flow.contents.set(name, text2);
    }
    return text2;
  }
  /** A small file's text read recently. */
  recent(path) {
    return this.kept.get(path);
  }
  /** Keeps a small file's text; past KEPT_CHARS the first kept go first (the lists are read in cycles, where least recently used would do no better). */
  keep(path, text2) {
    if (text2.length > KEPT_CHARS / 64) return;
    this.kept.set(path, text2);
    this.keptChars += text2.length;
    for (const [oldest, kept] of this.kept) {
      if (this.keptChars <= KEPT_CHARS) break;
      this.kept.delete(oldest);
      this.keptChars -= kept.length;
    }
  }
};

// src/engine/walk.ts
import { join as join27, relative as relative5, sep as sep2 } from "node:path";

// src/engine/step-checks.ts
import { join as join25 } from "node:path";

// src/steps/check-cmd.ts
async function runCmdCheck(runner, step2, check, output, request) {
  try {
    const result = await runner.run({
      ...request,
      step: checkCmdStep(step2, check),
      prompt: output.text,
      input: output.bytes,
      command: { script: check.value, variables: [] },
      model: void 0,
      api: "responses",
      sandbox: "read-only"
    });
    const said = result.output.trim().split("\n")[0] ?? "";
    return { passed: true, reason: said === "" ? "the command exited with code 0" : said.slice(0, 200) };
  } catch (error) {
    if (error instanceof CancelledError) throw error;
    return { passed: false, reason: errorMessage(error) };
  }
}

// src/steps/check-rubric.ts
import { join as join24 } from "node:path";
function rubricPrompt(rubric, output) {
  return `You grade an output against a rubric. Answer with one JSON object and nothing else: {"pass": true or false, "reason": "one sentence saying why"}.

Rubric:
${rubric}

Output to grade:
${output}`;
}
function readRubricAnswer(answer) {
  const parsed = parseJsonOutput(answer)?.value;
  if (isObject(parsed) && typeof parsed.pass === "boolean") {
    const reason = typeof parsed.reason === "string" && parsed.reason.trim() !== "" ? parsed.reason.trim() : "(the grader gave no reason)";
    return { passed: parsed.pass, reason: reason.length > 500 ? `${reason.slice(0, 500)}\u2026` : reason };
  }
  const shown = answer.length > 200 ? `${answer.slice(0, 200)}\u2026` : answer;
  return { passed: false, reason: `the grader's answer is not {"pass": true|false, "reason": "..."}: ${JSON.stringify(shown)}` };
}
async function runRubricCheck(runner, step2, check, output, request) {
  const { modelOf: modelOf2, ...rest } = request;
  const grader = rubricStep(step2, check, check.value);
  const prompt = rubricPrompt(check.value, output);
  request.files.write(join24(request.dir, "prompt.txt"), prompt);
  const result = await runner.run({ ...rest, step: grader, prompt, model: modelOf2(grader), command: void 0, sandbox: "read-only" });
  return { verdict: readRubricAnswer(result.output), result, grader };
}

// src/engine/step-checks.ts
var checkDirName = (n) => `check_${n}`;
async function runStepChecks(run3, leaf, step2, output) {
  if (step2.checks === void 0 || step2.checks.length === 0) return void 0;
  const results = [];
  let usage2 = null;
  for (const [i, check] of step2.checks.entries()) {
    const record = (verdict, skipped = false) => {
      results.push({ name: check.name, type: check.type, passed: verdict.passed, reason: verdict.reason, ...skipped ? { skipped } : {} });
    };
    if (isPureCheck(check)) {
      record(evaluateCheck(check, output.text));
      continue;
    }
    const dir = join25(leaf.stepDir, checkDirName(i + 1));
    run3.files.tree.dir(dir);
    const env = stepEnv(leaf.flowId, leaf.branch, run3.prepared.runDir);
    const timeoutMs = (step2.timeout ?? run3.prepared.options.timeoutS) * 1e3;
    const base = { dir, timeoutMs, signal: run3.signal, files: run3.files };
    if (check.type === "cmd") {
      if (output.bytes !== void 0) run3.files.writeBytes(join25(dir, "prompt.txt"), output.bytes);
      else run3.files.write(join25(dir, "prompt.txt"), output.text);
      const name = [leaf.flowId, ...leaf.branch].join("-");
      const verdict = await run3.worktrees.runIn(
        step2,
        leaf.worktree,
        { name, stepDir: dir, stepEnv: env },
        (cwd, tmpdir5, changed) => runCmdCheck(run3.runners.cmd, step2, check, output, { ...base, cwd, tmpdir: tmpdir5, env: { ...env, ...changed } })
      );
      record(verdict);
    } else if (run3.prepared.options.offline) {
      record({ passed: true, reason: "not graded: --offline calls no model" }, true);
    } else {
      const { options } = run3.prepared;
      const graded = await runRubricCheck(run3.runners.openai, step2, check, output.text, {
        ...base,
        cwd: options.workdir,
        env,
        api: check.api ?? options.api ?? "responses",
        modelOf: (grader) => modelOf(grader, options)
      });
      const priced2 = pricedResult(
        graded.grader,
        graded.result,
        { reused: false, batching: run3.runners.openai.batches !== void 0 },
        run3.prepared.prices,
        options
      );
      usage2 = usage2 === null ? priced2.usage : addUsage(usage2, priced2.usage);
      record(graded.verdict);
    }
  }
  return { results, usage: usage2 };
}
var NOTHING = { checks: void 0, failure: void 0 };
function checksFailure(step2, results) {
  const failed = results.filter(checkFailed);
  if (failed.length === 0) return void 0;
  const what = failed.length === 1 ? "a check failed" : `${failed.length} of ${results.length} checks failed`;
  return `step ${step2.index} (${JSON.stringify(step2.label)}): ${what}: ${failed.map((r) => `${r.name}: ${r.reason}`).join("; ")}`;
}
async function checkStep(run3, leaf, step2, tried) {
  if (tried.failure !== void 0 || tried.result === void 0 || step2.checks === void 0) return NOTHING;
  let checks;
  try {
    checks = await runStepChecks(run3, leaf, step2, { text: tried.result.output, bytes: tried.result.bytes });
  } catch (caught) {
    const failure = caught instanceof CancelledError ? { status: "cancelled", message: run3.stopReason() ?? caught.message } : {
      status: "failed",
      message: `step ${step2.index} (${JSON.stringify(step2.label)}): a check could not run: ${errorMessage(caught)}`
    };
    return { checks: void 0, failure };
  }
  if (checks === void 0) return NOTHING;
  run3.progress.usage = addUsage(run3.progress.usage, checks.usage);
  const message2 = run3.prepared.config.checksFail === false ? void 0 : checksFailure(step2, checks.results);
  return { checks, failure: message2 === void 0 ? void 0 : { status: "failed", message: message2 } };
}
var withChecksUsage = (usage2, checked) => checked.checks?.usage == null ? usage2 : addUsage(usage2 ?? { input_tokens: 0, output_tokens: 0 }, checked.checks.usage);

// src/engine/walk-step.ts
import { join as join26 } from "node:path";
async function attemptStep(run3, w, step2, stepDir2, started) {
  let result;
  let earlier;
  try {
    const input = run3.inputs.stepInput(w.leaf.flow, step2, w.output, w.bytes);
    const fingerprint = run3.inputs.fingerprintOf(step2, input, w.chain);
    earlier = w.reusing ? readStepRecord(stepDir2) : void 0;
    if (earlier?.fingerprint !== fingerprint) earlier = void 0;
    if (earlier !== void 0) {
      result = priceResult(run3, step2, earlier, true);
      if (earlier.patch !== void 0) w.leaf.worktree.inherited = earlier.patch;
    } else {
      if (w.leaf.flow.fresh !== true || w.leaf.branch.length > 0) run3.files.tree.removeDir(stepDir2);
      run3.leafRecords.texts?.begin(stepDir2);
      result = priceResult(run3, step2, await executeStep(run3, w, step2, input, stepDir2), false);
      writeStepRecord(run3.files, stepDir2, step2, result, Date.now() - started, fingerprint);
    }
    w.chain = fingerprint;
    w.prints.push(fingerprint);
    return { result, failure: void 0, error: void 0, earlier };
  } catch (caught) {
    const failure = caught instanceof CancelledError ? { status: "cancelled", message: run3.stopReason() ?? caught.message } : { status: "failed", message: `step ${step2.index} (${JSON.stringify(step2.label)}): ${errorMessage(caught)}` };
    return { result, failure, error: caught, earlier };
  }
}
async function executeStep(run3, w, step2, input, stepDir2) {
  if (run3.runners[step2.kind].batches === void 0) return runStep2(run3, w.leaf, step2, input, stepDir2);
  await run3.batchSeats.acquire(w.priority);
  run3.slots.release();
  w.held = false;
  try {
    const stopping = run3.stopReason();
    if (stopping !== void 0) throw new CancelledError(stopping);
    return await runStep2(run3, w.leaf, step2, input, stepDir2);
  } finally {
    run3.batchSeats.release();
  }
}
function runStep2(run3, leaf, step2, input, stepDir2) {
  const { flow, branch } = leaf;
  run3.files.tree.dir(stepDir2);
  if (input.input !== void 0) run3.files.writeBytes(join26(stepDir2, "prompt.txt"), input.input);
  else run3.files.write(under(stepDir2, "prompt.txt"), input.prompt);
  const env = stepEnv(flow.flow.id, branch, run3.prepared.runDir);
  const name = [flow.flow.id, ...branch].join("-");
  return run3.worktrees.runIn(
    step2,
    leaf.worktree,
    { name, stepDir: stepDir2, stepEnv: env },
    (cwd, tmpdir5, changed) => run3.runners[step2.kind].run({
      ...input,
      step: step2,
      cwd,
      dir: stepDir2,
      tmpdir: tmpdir5,
      timeoutMs: (step2.timeout ?? run3.prepared.options.timeoutS) * 1e3,
      signal: run3.signal,
      files: run3.files,
      env: { ...env, ...changed }
    })
  );
}
function priceResult(run3, step2, result, reused) {
  const batching = run3.runners[step2.kind].batches !== void 0;
  return pricedResult(step2, result, { reused, batching }, run3.prepared.prices, run3.prepared.options);
}
function pricedUsage(run3, step2, usage2) {
  return stepUsage(step2, usage2, run3.prepared.prices, run3.prepared.options);
}

// src/engine/walk.ts
var Walker = class {
  constructor(run3) {
    this.run = run3;
  }
  run;
  /** Each step's directory name (stepDirName), made once. */
  dirNames = /* @__PURE__ */ new Map();
  /** Runs the steps of `leaf` from its step `from` on, and writes its result.json (or its branches'). */
  async walk(leaf) {
    const { previous } = leaf;
    const w = {
      leaf,
      priority: [leaf.flow.flow.index, ...leaf.branch],
      done: [...leaf.inherited],
      output: previous?.output,
      bytes: void 0,
      chain: previous?.fingerprint,
      finalMessage: null,
      held: leaf.holding,
      reusing: this.run.prepared.options.resume,
      prints: []
    };
    const steps = this.run.prepared.config.steps;
    for (let i = leaf.from; i < steps.length; i++) {
      if (await this.step(w, i) === "ended") return;
    }
    return this.end(w, "succeeded", null);
  }
  /**
   * Runs the branches of an array step below `parent` from step `from`, sharing the steps before,
   * each from the patch `start`; started lazily, so a huge array costs one waiter (see fanOut).
   */
  runBranches(at) {
    const { run: run3 } = this;
    const { flow, parent, dir, from, shared } = at;
    return fanOut([flow.flow.index, ...parent], at.branches, {
      acquire: (priority) => run3.slots.acquire(priority),
      release: () => run3.slots.release(),
      stopReason: () => run3.stopReason(),
      start: ({ previous, index }) => this.walk({
        flow,
        branch: [...parent, index],
        dir: join27(dir, branchDirName(index)),
        from,
        previous,
        inherited: shared,
        worktree: { inherited: at.start },
        holding: true
      }),
      notStarted: (rest, reason) => run3.leafRecords.writeNotStarted(flow, parent, dir, rest, reason, shared)
    });
  }
  /** Step `i` of the walk, once a slot is held: `ended` when the leaf ended with it (or fanned out below it). */
  async step(w, i) {
    const { run: run3 } = this;
    const step2 = run3.prepared.config.steps[i];
    run3.progress.atStep[i]++;
    run3.progress.report();
    const room = w.held ? void 0 : run3.files.room();
    if (room !== void 0) await room;
    if (!w.held) await run3.slots.acquire(w.priority);
    else if (i > w.leaf.from) await run3.slots.reacquire(w.priority);
    w.held = true;
    const stopped = run3.stopReason();
    if (stopped !== void 0) {
      run3.progress.atStep[i]--;
      await this.end(w, "cancelled", stopped);
      return "ended";
    }
    const stepDir2 = under(w.leaf.dir, this.dirName(step2));
    const started = Date.now();
    const tried = await attemptStep(run3, w, step2, stepDir2, started);
    const { flow, branch, worktree } = w.leaf;
    const checked = await checkStep(run3, { flowId: flow.flow.id, branch, worktree, stepDir: stepDir2 }, step2, tried);
    const { result, earlier } = tried;
    const usage2 = withChecksUsage(this.count(step2, tried), checked);
    if ((tried.failure ?? checked.failure)?.status === "failed")
      run3.leafRecords.failing({ id: w.leaf.flow.flow.id, branch: w.leaf.branch });
    const writing = this.written(w, step2, stepDir2);
    const lost = writing === void 0 ? void 0 : await writing;
    const failure = tried.failure ?? checked.failure ?? lost;
    w.reusing = earlier !== void 0;
    run3.progress.atStep[i]--;
    w.done.push({
      name: step2.label,
      type: step2.type,
      status: failure?.status ?? "succeeded",
      duration_ms: earlier?.duration_ms ?? Date.now() - started,
      usage: usage2,
      dir: this.relative(stepDir2),
      ...answerMarks(result),
      ...checked.checks === void 0 ? {} : { checks: checked.checks.results }
    });
    if (checked.failure !== void 0) w.output = result.output;
    if (failure !== void 0)
      this.note(join27(stepDir2, "error.txt"), `${failure.status === "cancelled" ? "cancelled: " : ""}${failure.message}
`);
    run3.files.tree.close(stepDir2);
    if (failure) {
      await this.end(w, failure.status, failure.message);
      return "ended";
    }
    w.output = result.output;
    w.bytes = result.bytes;
    w.finalMessage = result.finalMessage ? this.relative(result.finalMessage) : null;
    if (!step2.array) return "next";
    await this.fanOutAt(w, i, stepDir2);
    return "ended";
  }
  /**
   * With the run's writes deferred (a writer thread: util/tree-queue.ts): a promise of this step's
   * files written, its slot given back meanwhile; a write that failed fails the step as it would
   * have failed it here (and its step.json goes: a resumed run runs it again). Undefined when the
   * writes are made at once.
   */
  written(w, step2, stepDir2) {
    const { run: run3 } = this;
    const pending = run3.files.written(stepDir2);
    if (pending === void 0) return void 0;
    if (w.held) run3.slots.release();
    w.held = false;
    return pending.then((error) => {
      if (error === void 0) return void 0;
      this.forget(stepDir2);
      return { status: "failed", message: `step ${step2.index} (${JSON.stringify(step2.label)}): ${errorMessage(error)}` };
    });
  }
  dirName(step2) {
    let name = this.dirNames.get(step2);
    if (name === void 0) this.dirNames.set(step2, name = stepDirName(step2));
    return name;
  }
  /** Adds what a step used (unless reused from an earlier attempt) to the run's spend; stops the run at a limit. */
  count(step2, { result, error, earlier }) {
    const { run: run3 } = this;
    const usage2 = result?.usage ?? (error instanceof StepError ? pricedUsage(run3, step2, error.usage) : null);
    if (earlier === void 0) run3.progress.usage = addUsage(run3.progress.usage, usage2);
    if (earlier === void 0 && result?.cached !== void 0) run3.progress.cacheHit(result.cached);
    const limit = spendLimit(run3.prepared.options, run3.progress.usage);
    if (limit !== void 0) run3.stop(limit);
    return usage2;
  }
  /** Step `i` is an array step that succeeded: its elements become branches (or, as the last step, leaves). */
  async fanOutAt(w, i, stepDir2) {
    const { run: run3 } = this;
    const step2 = run3.prepared.config.steps[i];
    const parsed = parseArrayOutput(w.output, step2.maxItems);
    if ("error" in parsed) {
      const message2 = `step ${step2.index} (${JSON.stringify(step2.label)}): ${parsed.error}`;
      w.done[w.done.length - 1] = { ...w.done[w.done.length - 1], status: "failed" };
      this.forget(stepDir2);
      this.note(join27(stepDir2, "error.txt"), message2 + "\n");
      return this.end(w, "failed", message2);
    }
    if (parsed.elements.length === 0) {
      w.output = "[]";
      w.finalMessage = null;
      return this.end(w, "succeeded", null);
    }
    if (w.held) run3.slots.release();
    w.held = false;
    const { worktree } = w.leaf;
    const start2 = worktree.patch ?? worktree.inherited;
    await run3.worktrees.close(worktree);
    const elements = parsed.elements.map((element, e) => ({ previous: { output: element, fingerprint: w.chain }, index: e + 1 }));
    if (i + 1 === run3.prepared.config.steps.length) return this.elementLeaves(w, elements);
    const { flow, branch, dir } = w.leaf;
    return this.runBranches({ flow, parent: branch, dir, branches: elements, from: i + 1, shared: w.done, start: start2 });
  }
  /** The last step fanned out: each element is a leaf of its own, succeeded with the element as its output. */
  async elementLeaves(w, elements) {
    const { run: run3 } = this;
    const { flow, branch, dir } = w.leaf;
    for (const [e, { previous, index }] of elements.entries()) {
      if (e % BREATHE_EVERY === BREATHE_EVERY - 1) await breathe();
      const reason = run3.stopReason();
      if (reason !== void 0) {
        run3.leafRecords.writeNotStarted(flow, branch, dir, elements.slice(e), reason, w.done);
        return;
      }
      run3.leafRecords.write(flow, [...branch, index], join27(dir, branchDirName(index)), {
        status: "succeeded",
        error: null,
        output: previous.output,
        finalMessage: null,
        steps: w.done
      });
    }
  }
  /** The leaf ended: gives its slot back, writes its result.json, closes its worktree. */
  async end(w, status, error) {
    const { run: run3 } = this;
    if (w.held) run3.slots.release();
    w.held = false;
    const { flow, branch, dir, worktree } = w.leaf;
    run3.leafRecords.write(flow, branch, dir, {
      status,
      error,
      output: status === "succeeded" ? w.output ?? "" : w.output ?? null,
      finalMessage: w.finalMessage,
      steps: w.done,
      fingerprints: w.prints
    });
    await run3.worktrees.close(worktree);
  }
  /** A path relative to the run directory, with forward slashes. */
  relative(path) {
    const { runDir } = this.run.prepared;
    if (sep2 === "/" && path.startsWith(runDir) && path[runDir.length] === "/") return path.slice(runDir.length + 1);
    return relative5(runDir, path).split("\\").join("/");
  }
  /** Removes a step's step.json, once the directories down to it are checked: a failed write leaves it to the fingerprint. */
  forget(stepDir2) {
    try {
      this.run.files.tree.removeFile(join27(stepDir2, STEP_RECORD));
    } catch {
    }
  }
  /** A note for the reader (error.txt) that the results do not depend on: its own write failing changes nothing. */
  note(path, text2) {
    try {
      this.run.files.write(path, text2);
    } catch {
    }
  }
};

// src/engine/run.ts
var Run = class {
  constructor(prepared, control, runners) {
    this.prepared = prepared;
    this.control = control;
    this.runners = runners;
    const o = prepared.options;
    setMaxListeners(0, this.steps.signal);
    this.slots = new Slots(o.parallel);
    this.batchSeats = new Slots(batchMaxPending(o.env));
    this.files = new TreeWriter(
      redactorFor(o.env, { apiKey: prepared.apiKey, baseUrl: { value: o.baseUrl, name: "--base-url" } }),
      prepared.runDir,
      { byPath: startsNoProcess(prepared) }
    );
    this.total = prepared.range.to - prepared.range.from;
    this.leafRecords = new LeafRecords(
      prepared,
      this.files,
      (error) => this.writeFailed(error),
      (leaf) => this.leafEnded(leaf)
    );
    const labels = prepared.config.steps.map((s) => s.label);
    const board = Object.values(runners).find((runner) => runner.batches !== void 0)?.batches;
    this.progress = new RunProgress(labels, this.total, this.leafRecords.counts, control.onProgress, board);
    this.inputs = new StepInputs(prepared, this.files.redactor);
    this.worktrees = new WorktreeSession({
      workdir: prepared.workdir,
      isolate: o.isolate,
      runId: prepared.runId,
      parallel: o.parallel,
      env: o.env,
      setup: prepared.config.setup,
      timeoutMs: o.timeoutS * 1e3,
      signal: control.signal,
      files: this.files
    });
    this.walker = new Walker({
      prepared,
      slots: this.slots,
      batchSeats: this.batchSeats,
      files: this.files,
      leafRecords: this.leafRecords,
      inputs: this.inputs,
      worktrees: this.worktrees,
      runners,
      progress: this.progress,
      signal: this.steps.signal,
      stopReason: () => this.stopReason,
      stop: (reason) => this.stop(reason)
    });
  }
  prepared;
  control;
  runners;
  slots;
  /** Steps waiting in a batch hold one of these, not a slot: how many requests may wait in batches at once. */
  batchSeats;
  files;
  total;
  leafRecords;
  progress;
  inputs;
  worktrees;
  walker;
  stopReason;
  /** `codex --version`, when the run calls codex. */
  codexVersion = null;
  /** With `--resume`: the flows the earlier attempt's index vouches for (leaf-index.ts), by id. */
  vouched;
  /** How many flows it vouched for that are current: when that is every flow, nothing ran. */
  vouchedCount = 0;
  /** With `--resume`: the attempts run.json listed before this one. */
  earlier = { attempts: [] };
  /** Aborted to end every running step: on an interrupt, or when the output tree became unusable. */
  steps = new AbortController();
  /** Largest number of steps that executed at once. */
  get peakConcurrency() {
    return this.slots.peak;
  }
  async execute() {
    const { prepared } = this;
    const ran = prepared.shard.count > 1 ? prepared.config.steps : [...prepared.config.steps, ...prepared.config.after];
    const sandboxed = ran.some((s) => s.kind === "codex" && sandboxOf(s, prepared.options) !== "danger-full-access");
    if (prepared.codexPath !== void 0 && sandboxed) await probeSandbox(prepared.codexPath, prepared.workdir, prepared.options.env);
    if (prepared.codexPath !== void 0)
      this.codexVersion = await codexVersion(prepared.codexPath, prepared.workdir, prepared.options.env);
    makeRunDir(prepared);
    const lock = lockRun(prepared.runDir, prepared.shard, join28(prepared.options.outputDir, prepared.runId), prepared.options.resume);
    try {
      const early2 = hasEarlyChecks();
      if (!early2) this.vouched = earlierLeafIndex(prepared, this.files.tree);
      if (prepared.options.resume) {
        this.earlier = earlierAttempts(prepared.runDir, prepared.shard);
        removeLeftovers(prepared.runDir);
      }
      if (early2) this.vouched = earlierLeafIndex(prepared, this.files.tree);
      this.leafRecords.index = startLeafIndex(prepared, this.files.tree, this.inputs);
      const { index } = this.leafRecords;
      const indexOf = (id) => Number(id.slice("flow_".length)) - 1;
      this.leafRecords.results.onItem = (item) => {
        index?.saw(item, indexOf);
        this.control.onResult?.(item);
      };
      this.leafRecords.open(this.control.onWarning);
      return await this.executeLocked();
    } finally {
      this.vouched?.close();
      this.leafRecords.close();
      lock.release();
      this.files.tree.close();
      releaseOldGeneration();
    }
  }
  async executeLocked() {
    const { prepared } = this;
    const started = /* @__PURE__ */ new Date();
    startRunDir(prepared, () => {
      this.writeRunJson(started, void 0, void 0);
      this.files.write(join28(prepared.runDir, CONFIG_COPY), prepared.configCopy);
    });
    const stop = (error) => {
      this.stop(error.message);
      this.steps.abort(error);
    };
    const after = await withWriterThread(this.files, this.total, stop, () => this.runFlows()).catch((error) => {
      this.leafRecords.index?.abandon();
      throw error;
    });
    const resultsPath = join28(prepared.runDir, "results.json");
    const kept = this.keptResults(started, resultsPath, after);
    if (kept !== void 0) return kept;
    const { index, results } = this.leafRecords;
    const reason = this.stopReason ?? "not run";
    const totals2 = await finishRunDir(prepared, async () => {
      await results.rest(this.leafRecords.leaves(reason, results.from), after);
      const header2 = { run_id: prepared.runId, shard: prepared.shard, flows_total: this.total, after };
      const totals3 = await results.writeResults(resultsPath, header2);
      this.writeRunJson(started, /* @__PURE__ */ new Date(), totals3);
      return totals3;
    }).catch((error) => {
      index?.abandon();
      throw error;
    });
    index?.finish();
    const { finalMessages, onlyOutput } = results.seen;
    results.writeReport(prepared.runId, prepared.shard, totals2, Date.now() - started.getTime());
    Object.assign(this.leafRecords.counts, { succeeded: totals2.succeeded, failed: totals2.failed, cancelled: totals2.cancelled });
    this.progress.report();
    const { stopReason: stopped, progress } = this;
    return {
      runId: prepared.runId,
      runDir: prepared.runDir,
      resultsPath,
      totals: totals2,
      finalMessages,
      onlyOutput,
      after,
      stopped,
      spent: progress.usage
    };
  }
  /** Runs the flows, then the after steps; ends whatever they left running. */
  async runFlows() {
    const { signal } = this.control;
    const onAbort = () => {
      this.stop("interrupted");
      this.steps.abort(signal.reason);
    };
    signal.addEventListener("abort", onAbort, { once: true });
    if (signal.aborted) onAbort();
    try {
      this.vouchedCount = await feed({ ...this.walker.run, walker: this.walker, vouched: this.vouched });
      await this.files.settle();
      return await this.after();
    } finally {
      this.vouched?.close();
      signal.removeEventListener("abort", onAbort);
      await Promise.all([this.worktrees.removeAll(), ...Object.values(this.runners).map((runner) => runner.close?.())]);
      endRunCgroup();
      killTagged();
    }
  }
  /** A resume that ran nothing, every flow vouched for by the index: results.json and report.html stand (leaf-index.ts, unchangedTotals). */
  keptResults(started, resultsPath, after) {
    const { prepared, control } = this;
    const ranNothing = prepared.options.resume && this.vouchedCount === this.total;
    const needsLeaves = control.onResult !== void 0 && control.onlyFailures !== true;
    const kept = ranNothing && !needsLeaves && after === null ? unchangedTotals(prepared, resultsPath, this.total) : void 0;
    if (kept === void 0) return void 0;
    this.writeRunJson(started, /* @__PURE__ */ new Date(), kept);
    this.leafRecords.index?.finish(true);
    Object.assign(this.leafRecords.counts, { succeeded: kept.succeeded, failed: kept.failed, cancelled: kept.cancelled });
    this.progress.report();
    const { runId, runDir } = prepared;
    return {
      runId,
      runDir,
      resultsPath,
      totals: kept,
      finalMessages: [],
      onlyOutput: void 0,
      after,
      stopped: this.stopReason,
      spent: this.progress.usage
    };
  }
  /**
   * The config's after steps, once every flow ended, over all the run's leaves; null when it has
   * none, and in one shard of several (`report` runs them over the merged leaves).
   */
  async after() {
    const { prepared } = this;
    if (prepared.config.after.length === 0 || prepared.shard.count > 1) return null;
    const { result, spent } = await runAfter(
      {
        steps: prepared.config.after,
        sources: prepared.after,
        runDir: prepared.runDir,
        options: prepared.options,
        prices: prepared.prices,
        runners: this.runners,
        files: this.files,
        worktrees: this.worktrees,
        signal: this.steps.signal,
        stopReason: () => this.stopReason,
        used: this.progress.usage,
        outputOf: (leaf) => wholeOutput(leaf, prepared.runDir)
      },
      this.leafRecords.leaves(this.stopReason ?? "not run")
    );
    this.progress.usage = addUsage(this.progress.usage, spent);
    return result;
  }
  stop(reason) {
    this.stopReason ??= reason;
  }
  /** Failed leaves so far, for --fail-fast. */
  failedLeaves = 0;
  /**
   * A leaf ended. With `--fail-fast N`, the Nth failed one stops the run as an interrupt does: no
   * new step starts, running ones are ended (their leaves cancelled), the rest is cancelled.
   */
  leafEnded(leaf) {
    const { failFast: failFast2 } = this.prepared.options;
    if (failFast2 === void 0 || leaf.status !== "failed" || this.stopReason !== void 0) return;
    if (++this.failedLeaves < failFast2) return;
    const reason = `fail-fast: ${leafLabel(leaf)} failed`;
    this.stop(reason);
    this.steps.abort(new Error(reason));
  }
  /** A file of a flow could not be written: the flow fails; when the run directory itself is unusable, the run stops. */
  writeFailed(error) {
    const broken = unusableRunDir(this.files.tree);
    if (broken !== void 0) {
      this.stop(broken);
      this.steps.abort(new Error(broken));
    }
    return `cannot write the flow's files: ${errorMessage(error)}`;
  }
  writeRunJson(started, ended, totals2) {
    writeRunRecord(this.files, this.prepared, {
      started,
      ended,
      totals: totals2,
      codexVersion: this.codexVersion,
      earlier: this.earlier,
      stopped: this.stopReason,
      peakConcurrency: this.slots.peak
    });
  }
};

// src/engine/signals.ts
var signalExitCode = (signal) => signal === "SIGTERM" ? 143 : 130;
function stopOnSignals(onFirst) {
  const controller = new AbortController();
  let first;
  const onSignal = (signal) => {
    if (first !== void 0) {
      killAllProcessTrees();
      process.exit(signalExitCode(signal));
    }
    first = signal;
    onFirst(signal);
    controller.abort(new Error(signal));
  };
  process.on("SIGINT", onSignal).on("SIGTERM", onSignal);
  return {
    signal: controller.signal,
    received: () => first,
    dispose: () => void process.off("SIGINT", onSignal).off("SIGTERM", onSignal)
  };
}

// src/steps/batch/board.ts
var BatchBoard = class {
  batches = /* @__PURE__ */ new Map();
  listeners = [];
  /** A batch is pending with `total` requests, `done` of them answered so far. */
  set(id, total, done) {
    const known = this.batches.get(id);
    if (known?.total === total && known.done === done) return;
    this.batches.set(id, { total, done });
    this.changed();
  }
  /** The batch finished, or is no longer waited for. */
  remove(id) {
    if (this.batches.delete(id)) this.changed();
  }
  /** Ids of the batches still pending. */
  pendingIds() {
    return [...this.batches.keys()];
  }
  counts() {
    let requests = 0;
    let done = 0;
    for (const batch of this.batches.values()) {
      requests += batch.total;
      done += batch.done;
    }
    return { pending: this.batches.size, requests, done };
  }
  onChange(listener) {
    this.listeners.push(listener);
  }
  changed() {
    for (const listener of this.listeners) listener();
  }
};

// src/steps/ratelimit.ts
function parseResetDuration(text2) {
  if (text2 == null || text2.trim() === "") return void 0;
  const value = text2.trim();
  if (/^\d+(\.\d+)?$/.test(value)) return Number(value) * 1e3;
  const unit = { h: 36e5, m: 6e4, s: 1e3, ms: 1 };
  let total = 0;
  let matched = "";
  for (const part of value.matchAll(/(\d+(?:\.\d+)?)(ms|h|m|s)/g)) {
    total += Number(part[1]) * unit[part[2]];
    matched += part[0];
  }
  return matched === value ? total : void 0;
}
var SECOND = 1e3;
var RateLimiter = class {
  constructor(now = Date.now) {
    this.now = now;
  }
  now;
  /** Call starts per second; Infinity until the server pushes back. */
  rate = Infinity;
  nextStart = 0;
  pausedUntil = 0;
  lastRejection = -Infinity;
  lastRaise = 0;
  /** Start times, in order, of calls within the last two seconds that were not rejected, and of calls given a later start. */
  starts = [];
  /** Times of rejections within the last second that named no start. */
  rejections = [];
  /** Times of successes within the last second. */
  successes = [];
  /** Calls rejected with 429 so far. */
  rejected = 0;
  /** Current pace in calls per second (Infinity: none). */
  get callsPerSecond() {
    return this.rate;
  }
  /**
   * Waits until this call may start: after any pause, its place in the pace, and room in the last
   * second. Resolves to the call's start time, to be given to `rateLimited` when it is rejected.
   */
  async acquire(signal) {
    const now = this.now();
    this.forget(now);
    let start2 = Math.max(now, this.pausedUntil);
    if (Number.isFinite(this.rate)) {
      start2 = Math.max(start2, this.nextStart);
      const perSecond = Math.max(1, Math.floor(this.rate));
      if (this.starts.length >= perSecond) start2 = Math.max(start2, this.starts[this.starts.length - perSecond] + SECOND);
      this.nextStart = start2 + SECOND / this.rate;
    }
    let at = this.starts.length;
    while (at > 0 && this.starts[at - 1] > start2) at--;
    this.starts.splice(at, 0, start2);
    if (start2 > now) {
      try {
        await sleep(start2 - now, signal);
      } catch (error) {
        this.drop(start2);
        throw error;
      }
    }
    return start2;
  }
  /** A call succeeded: probe for a higher pace, and pause when the server says the quota is used up. */
  succeeded(headers) {
    const now = this.now();
    this.successes.push(now);
    if (Number.isFinite(this.rate) && now - this.lastRejection > SECOND && now - this.lastRaise > SECOND) {
      this.rate *= 1.05;
      this.lastRaise = now;
    }
    const remaining = headers?.get("x-ratelimit-remaining-requests");
    if (remaining != null && remaining.trim() !== "" && Number(remaining) <= 0) {
      const reset = parseResetDuration(headers?.get("x-ratelimit-reset-requests"));
      if (reset !== void 0) this.pause(reset);
    }
  }
  /**
   * A call was rejected with 429: slow the pace (once per burst) and wait what the server asked.
   * `startedAt` is what `acquire` returned for the call.
   */
  rateLimited(retryAfterMs, startedAt) {
    this.rejected++;
    const now = this.now();
    if (startedAt === void 0) this.rejections.push(now);
    else this.drop(startedAt);
    this.forget(now);
    const end = startedAt !== void 0 && now - startedAt <= SECOND ? startedAt : now;
    let started = 0;
    for (const start2 of this.starts) if (start2 > end - SECOND && start2 <= end) started++;
    const accepted = Math.max(1, started - this.rejections.length, this.successes.length);
    const pace = Math.max(0.5, accepted * 0.95);
    this.rate = now - this.lastRejection <= SECOND ? Math.min(this.rate, pace) : pace;
    this.nextStart = Math.max(this.nextStart, now);
    this.lastRejection = now;
    if (retryAfterMs !== void 0) this.pause(retryAfterMs);
  }
  /** Removes one start (a rejected or abandoned call) from those counted. */
  drop(start2) {
    const index = this.starts.lastIndexOf(start2);
    if (index >= 0) this.starts.splice(index, 1);
  }
  /** Drops starts more than two seconds old, and rejections and successes more than one. */
  forget(now) {
    while (this.starts.length > 0 && now - this.starts[0] > 2 * SECOND) this.starts.shift();
    for (const times of [this.rejections, this.successes]) while (times.length > 0 && now - times[0] > SECOND) times.shift();
  }
  pause(ms) {
    this.pausedUntil = Math.max(this.pausedUntil, this.now() + Math.min(ms, 12e4));
    this.nextStart = Math.max(this.nextStart, this.pausedUntil);
  }
};

// src/steps/codex.ts
import { existsSync as existsSync7 } from "node:fs";
import { join as join30 } from "node:path";

// src/steps/codex-config.ts
import { readFileSync as readFileSync4 } from "node:fs";
import { homedir as homedir2 } from "node:os";
import { join as join29 } from "node:path";
function configuredProvider(env) {
  const home = env.CODEX_HOME || join29(env.HOME || homedir2(), ".codex");
  let text2;
  try {
    text2 = readFileSync4(join29(home, "config.toml"), "utf8");
  } catch {
    return void 0;
  }
  for (const line of text2.split("\n")) {
    if (/^\s*\[/.test(line)) break;
    const match = /^\s*model_provider\s*=\s*(?:"([^"]*)"|'([^']*)')/.exec(line);
    if (match) return match[1] ?? match[2];
  }
  return void 0;
}

// src/steps/codex.ts
var PROVIDER = "orchestrator";
function providerOverrides(baseUrl2, retries) {
  const settings = {
    model_provider: PROVIDER,
    [`model_providers.${PROVIDER}.name`]: PROVIDER,
    [`model_providers.${PROVIDER}.base_url`]: baseUrl2,
    [`model_providers.${PROVIDER}.wire_api`]: "responses",
    [`model_providers.${PROVIDER}.request_max_retries`]: 0,
    [`model_providers.${PROVIDER}.stream_max_retries`]: retries
  };
  return Object.entries(settings).flatMap(([key, value]) => ["-c", `${key}=${JSON.stringify(value)}`]);
}
function codexArgs(request, options) {
  const args = [
    "exec",
    "--sandbox",
    request.sandbox,
    "--skip-git-repo-check",
    "--ephemeral",
    "--json",
    "--output-last-message",
    join30(request.dir, "final_message.txt")
  ];
  if (request.model !== void 0) args.push("-m", request.model);
  if (request.step.array) args.push("--output-schema", join30(request.dir, "output-schema.json"));
  if (options.baseUrl !== void 0) args.push(...providerOverrides(options.baseUrl, options.retries));
  if (request.tmpdir !== void 0) args.push(...isolationOverrides(request.tmpdir));
  args.push("-");
  return args;
}
var SANDBOX_REFUSAL = /\bbwrap\b|user namespace|uid[ _]map|landlock|seccomp|sandbox (?:error|denied|setup)/i;
var CodexEvents = class {
  usage = NO_USAGE;
  error;
  /** turn.failed is final; an `error` event may not be: codex also sends one per stream retry ("Reconnecting... 1/5"). */
  turnFailed = false;
  /** Commands codex ran, and those its sandbox refused to start. */
  commands = 0;
  refused = [];
  line(text2) {
    let event;
    try {
      event = JSON.parse(text2);
    } catch {
      return;
    }
    if (event.type === "item.completed" && event.item?.type === "command_execution") {
      this.commands++;
      const output = event.item.aggregated_output ?? event.item.output ?? "";
      if (event.item.exit_code !== 0 && SANDBOX_REFUSAL.test(output)) this.refused.push(output.trim().split("\n").slice(-1)[0] ?? "");
    }
    if (event.type === "turn.completed" && !this.turnFailed) this.error = void 0;
    if (event.type === "turn.completed" && event.usage) {
      const input = tokenCount(event.usage.input_tokens);
      this.usage = addUsage(this.usage, {
        input_tokens: input,
        output_tokens: tokenCount(event.usage.output_tokens),
        cached_input_tokens: Math.min(input, tokenCount(event.usage.cached_input_tokens))
      });
    } else if (event.type === "error" || event.type === "turn.failed" && !this.turnFailed) {
      if (event.type === "turn.failed") this.error = void 0;
      this.turnFailed ||= event.type === "turn.failed";
      this.error ??= event.message ?? event.error?.message ?? JSON.stringify(event);
    }
  }
};
var CodexRunner = class {
  constructor(options) {
    this.options = options;
  }
  options;
  proxy;
  /**
   * The proxy codex's provider points at, which holds the key (OpenAI, or --base-url upstream);
   * none without a key (codex is pointed at --base-url itself, if given), nor for a provider set in
   * codex's own config.toml, which is left alone.
   */
  async keyProxy() {
    const { apiKey, baseUrl: baseUrl2, env } = this.options;
    if (apiKey === void 0) return void 0;
    if (baseUrl2 === void 0 && (configuredProvider(env) ?? "openai") !== "openai") return void 0;
    const upstream = baseUrl2 === void 0 ? void 0 : `${baseUrl2.replace(/\/+$/, "")}/responses`;
    this.proxy ??= import("./proxy-KF64NFCR.js").then(({ ResponsesProxy }) => ResponsesProxy.start(apiKey, upstream));
    return this.proxy;
  }
  async close() {
    const proxy = this.proxy;
    this.proxy = void 0;
    (await proxy?.catch(() => void 0))?.stop();
  }
  async run(request) {
    const { prompt, dir, timeoutMs, signal, files } = request;
    const events = new CodexEvents();
    const finalMessage = join30(dir, "final_message.txt");
    const proxy = await this.keyProxy();
    const server = proxy?.baseUrl ?? (this.options.apiKey === void 0 ? this.options.baseUrl : void 0);
    const args = codexArgs(request, { baseUrl: server, retries: this.options.retries });
    let dismiss;
    if (request.step.array) files.write(join30(dir, "output-schema.json"), JSON.stringify(ARRAY_OUTPUT_SCHEMA, null, 2) + "\n");
    const result = await runProcess({
      file: this.options.path,
      args,
      cwd: request.cwd,
      env: {
        ...childEnv(this.options.env),
        ...request.env,
        ...request.tmpdir && { TMPDIR: request.tmpdir }
      },
      input: prompt,
      stdout: files.stream(join30(dir, "stdout.txt")),
      stderr: files.stream(join30(dir, "stderr.txt")),
      captureStdout: false,
      onStdoutLine: (line) => events.line(line),
      timeoutMs,
      signal,
      // codex starts its shells in sessions of their own: no group signal reaches them
      sweep: true,
      onSpawn: (pid) => dismiss = proxy?.admit(pid, args)
    }).finally(() => dismiss?.());
    const failure = processFailure("codex", result, timeoutMs);
    if (failure && (events.error === void 0 || result.timedOut || result.cancelled)) throw failure;
    if (events.error !== void 0) throw new StepError(`codex reported an error: ${events.error}`);
    if (events.commands > 0 && events.refused.length === events.commands) {
      throw new StepError(
        `codex's sandbox refused every command codex ran (${events.commands}), e.g. "${events.refused[0]}". ${SANDBOX_FIXES}`
      );
    }
    if (!existsSync7(finalMessage)) throw new StepError("codex exited without writing a final message");
    const { bytes: bytes2, size } = readRegular(finalMessage, { maxBytes: maxOutputBytes() + 1 });
    if (size > maxOutputBytes()) {
      throw new StepError(
        `codex wrote a final message of ${size} bytes, more than the ${formatBytes(maxOutputBytes())} a step may pass on: ask for a shorter answer, or have codex write its result to a file`
      );
    }
    const output = files.redactor.redact(bytes2.toString("utf8"));
    files.write(finalMessage, output);
    return { output, usage: events.usage, finalMessage };
  }
};

// src/steps/offline.ts
import { join as join31 } from "node:path";
var OfflineRunner = class {
  // async, so that a failed write rejects as any runner's failure does
  // eslint-disable-next-line @typescript-eslint/require-await
  async run({ step: step2, prompt: asked, dir, files }) {
    const prompt = step2.array ? JSON.stringify([asked]) : asked;
    if (step2.kind === "codex") {
      const finalMessage = join31(dir, "final_message.txt");
      const events = [
        { type: "thread.started", thread_id: "offline" },
        { type: "turn.started" },
        { type: "item.completed", item: { id: "item_0", type: "agent_message", text: prompt } },
        { type: "turn.completed", usage: { input_tokens: 0, cached_input_tokens: 0, output_tokens: 0 } }
      ];
      files.write(join31(dir, "stdout.txt"), events.map((e) => JSON.stringify(e)).join("\n") + "\n");
      files.write(join31(dir, "stderr.txt"), "");
      files.write(finalMessage, prompt);
      return { output: prompt, usage: { input_tokens: 0, output_tokens: 0, cached_input_tokens: 0 }, finalMessage };
    }
    files.write(under(dir, "output.txt"), prompt);
    files.write(under(dir, "response.json"), JSON.stringify({ offline: true, output_text: prompt }, null, 2) + "\n");
    return { output: prompt, usage: { input_tokens: 0, output_tokens: 0, cached_input_tokens: 0 } };
  }
};

// src/steps/factory.ts
function lazyRunner(load) {
  let runner;
  return { run: async (request) => (await (runner ??= load())).run(request) };
}
function envMs(env, name, fallback) {
  const value = Number(env[name]);
  return env[name] && Number.isSafeInteger(value) && value >= 0 ? value : fallback;
}
function batchRunner(setup, batch, notice) {
  const { options } = setup;
  const board = new BatchBoard();
  const quietMs = envMs(options.env, "ORCHESTRATOR_BATCH_GATHER_MS", 1e3);
  const pollMs = envMs(options.env, "ORCHESTRATOR_BATCH_POLL_MS", 0);
  let runner;
  const load = async () => {
    const { BatchRunner } = await import("./runner-BTDNGBNL.js");
    return new BatchRunner({
      apiKey: setup.apiKey,
      baseUrl: options.baseUrl,
      retry: defaultRetryPolicy(options.retries, options.env),
      runId: setup.runId,
      runDir: setup.runDir,
      resume: options.resume,
      timeoutS: batch.timeoutS,
      cancelOnExit: batch.cancelOnExit,
      board,
      notice,
      gather: { quietMs, maxWaitMs: Math.max(quietMs, 3e4) },
      poll: pollMs > 0 ? { firstMs: pollMs, maxMs: pollMs } : { firstMs: 5e3, maxMs: 6e4 }
    });
  };
  return {
    batches: board,
    run: async (request) => (await (runner ??= load())).run(request),
    close: async () => runner === void 0 ? void 0 : (await runner).close?.()
  };
}
function makeRunners(setup, notice = () => void 0) {
  const { options } = setup;
  const offline = new OfflineRunner();
  const cmd = new CmdRunner(options.env);
  if (options.offline) return { openai: offline, codex: offline, cmd };
  const needsModel = [...setup.config.steps, ...setup.config.after ?? []].some(callsModel);
  return {
    openai: !needsModel ? offline : options.batch !== void 0 ? batchRunner(setup, options.batch, notice) : lazyRunner(async () => {
      const { OpenAIRunner } = await import("./openai-6R5H7FCG.js");
      return new OpenAIRunner({
        apiKey: setup.apiKey,
        baseUrl: options.baseUrl,
        retry: defaultRetryPolicy(options.retries, options.env),
        limiter: new RateLimiter()
      });
    }),
    codex: setup.codexPath ? new CodexRunner({
      path: setup.codexPath,
      env: options.env,
      apiKey: setup.apiKey,
      baseUrl: options.baseUrl,
      retries: options.retries
    }) : offline,
    cmd
  };
}

// src/flows/plan.ts
function shardPlan(runId, total, shards) {
  const count = Math.min(shards, MAX_SHARDS, total);
  const include = Array.from({ length: count }, (_, i) => {
    const { from, to } = shardRange(total, { index: i + 1, count });
    return { shard: `${i + 1}/${count}`, flows: to - from };
  });
  return { run_id: runId, total, matrix: { include } };
}

// src/model/numbers.ts
function formatCount(n) {
  if (!Number.isSafeInteger(n) || Object.is(n, -0)) return n.toLocaleString("en-US");
  const digits = String(Math.abs(n));
  let out = digits.slice(0, (digits.length - 1) % 3 + 1);
  for (let i = out.length; i < digits.length; i += 3) out += `,${digits.slice(i, i + 3)}`;
  return n < 0 ? `-${out}` : out;
}

// src/progress/render.ts
var number = formatCount;
function progressLine(snapshot2) {
  const steps = snapshot2.labels.map((label, i) => `${label}: ${snapshot2.atStep[i] ?? 0}`).join(" -> ");
  return `${steps}   ${countText(snapshot2)}${batchesText(snapshot2.batches)}`;
}
var countText = (snapshot2) => `${snapshot2.finished}/${snapshot2.total}`;
function batchesText(batches) {
  return batches === void 0 || batches.pending === 0 ? "" : `   batches: ${number(batches.pending)} pending, ${number(batches.done)}/${number(batches.requests)} requests done`;
}
function usageText(usage2) {
  const cached2 = usage2.cached_input_tokens ? ` (${number(usage2.cached_input_tokens)} cached)` : "";
  return `${number(usage2.input_tokens)} in${cached2} / ${number(usage2.output_tokens)} out`;
}
var costText = (usage2) => `cost ${formatUsd(usage2.cost_usd === void 0 ? 0 : usage2.cost_usd)}`;
function finalLine(snapshot2, durationMs) {
  const leaves = snapshot2.succeeded + snapshot2.failed + snapshot2.cancelled;
  const results = leaves > snapshot2.total ? `${number(leaves)} results of ${number(snapshot2.total)} flows: ` : "";
  const parts = [`${snapshot2.succeeded} succeeded`, `${snapshot2.failed} failed`];
  if (snapshot2.cancelled > 0) parts.push(`${snapshot2.cancelled} cancelled`);
  if (snapshot2.kept)
    parts[parts.length - 1] += ` (${snapshot2.kept} ${snapshot2.kept === 1 ? "flow" : "flows"} finished before, not run again)`;
  const cached2 = snapshot2.cached ? `; ${cachedText(snapshot2.cached)}` : "";
  const tokens = `tokens ${usageText(snapshot2.usage)}; ${costText(snapshot2.usage)}`;
  return `done: ${results}${parts.join(", ")}; ${tokens}${cached2}; ${(durationMs / 1e3).toFixed(1)} s`;
}
function cachedText(cached2) {
  const dollars2 = cached2.saved.cost_usd === void 0 ? "" : `, ${formatUsd(cached2.saved.cost_usd)}`;
  return `${number(cached2.steps)} step${cached2.steps === 1 ? "" : "s"} from the cache (saved ${usageText(cached2.saved)}${dollars2})`;
}

// src/progress/fit.ts
var SHORTEST_LABEL = 4;
var ELLIPSIS = "\u2026";
function fitProgressLine(snapshot2, width) {
  const counts2 = snapshot2.labels.map((_, i) => snapshot2.atStep[i] ?? 0);
  const tail = `   ${countText(snapshot2)}`;
  const batches = batchesText(snapshot2.batches);
  for (const end of [tail + batches, tail]) {
    const room = width - length(end);
    const steps = fitSteps(snapshot2.labels, counts2, room);
    if (steps !== void 0) return steps + end;
  }
  const count = countText(snapshot2);
  return cut(count + batches, Math.max(width, length(count)));
}
function fitSteps(labels, counts2, room) {
  const fits = (text2) => length(text2) <= room;
  const longest = Math.max(SHORTEST_LABEL, ...labels.map(length));
  for (let most = longest; most >= SHORTEST_LABEL; most--) {
    const text2 = stepsText(labels, counts2, labels.length, most);
    if (fits(text2)) return text2;
  }
  for (let kept = labels.length - 1; kept >= 1; kept--) {
    const text2 = stepsText(labels, counts2, kept, SHORTEST_LABEL);
    if (fits(text2)) return text2;
  }
  return void 0;
}
function stepsText(labels, counts2, kept, most) {
  const parts = labels.map((label, i) => `${cut(label, most)}: ${counts2[i]}`);
  if (kept >= parts.length) return parts.join(" -> ");
  const head = Math.ceil(kept / 2);
  return [...parts.slice(0, head), ELLIPSIS, ...parts.slice(parts.length - (kept - head))].join(" -> ");
}
var length = (text2) => [...text2].length;
function cut(text2, most) {
  const points = [...text2];
  return points.length <= most ? text2 : points.slice(0, Math.max(0, most - 1)).join("") + ELLIPSIS;
}

// src/progress/printer.ts
var REDRAW_MS = 100;
var CLEAR_LINE = "\r\x1B[2K";
var unrefTimeout = (task, ms) => {
  const timer = setTimeout(task, ms);
  timer.unref();
  return () => clearTimeout(timer);
};
var ProgressPrinter = class {
  constructor(out, options) {
    this.out = out;
    this.options = options;
    this.schedule = options.schedule ?? unrefTimeout;
  }
  out;
  options;
  lastLine = "";
  lastPrinted = -Infinity;
  cancel;
  latest;
  started = Date.now();
  schedule;
  update = (snapshot2) => {
    this.latest = snapshot2;
    if (this.cancel !== void 0) return;
    const interval = this.options.tty ? REDRAW_MS : this.options.intervalMs;
    const wait = Math.max(0, this.lastPrinted + interval - Date.now());
    this.cancel = this.schedule(() => {
      this.cancel = void 0;
      this.draw();
    }, wait);
  };
  /** The terminal changed width: the line is drawn again to fit. */
  resize = () => {
    if (this.options.tty && this.lastLine !== "") this.draw(true);
  };
  /** Prints the last state and the closing line. */
  finish() {
    this.cancel?.();
    this.cancel = void 0;
    if (this.latest === void 0) return;
    const line = this.line(this.latest);
    if (this.options.tty) this.out.write(`${CLEAR_LINE}${line}
`);
    else if (line !== this.lastLine) this.out.write(`${line}
`);
    this.out.write(`${finalLine(this.latest, Date.now() - this.started)}
`);
  }
  /** Prints a message above the live line. */
  message(text2) {
    if (this.options.tty && this.lastLine !== "") this.out.write(`${CLEAR_LINE}${text2}
${this.lastLine}`);
    else this.out.write(`${text2}
`);
  }
  draw(again = false) {
    if (this.latest === void 0) return;
    const line = this.line(this.latest);
    if (line === this.lastLine && !again) return;
    this.lastLine = line;
    this.lastPrinted = Date.now();
    this.out.write(this.options.tty ? `${CLEAR_LINE}${line}` : `${line}
`);
  }
  /** On a terminal, one column short of its width: a line filling the last column wraps on some terminals. */
  line(snapshot2) {
    const columns = this.options.tty ? this.options.columns?.() : void 0;
    return columns === void 0 || columns < 2 ? progressLine(snapshot2) : fitProgressLine(snapshot2, columns - 1);
  }
};

// src/report/markdown.ts
var ENTITIES = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
  "|": "&#124;",
  "\\": "&#92;",
  "`": "&#96;",
  "*": "&#42;",
  _: "&#95;",
  "~": "&#126;",
  "[": "&#91;",
  "]": "&#93;",
  "(": "&#40;",
  ")": "&#41;",
  "!": "&#33;",
  "#": "&#35;&#8203;",
  // the zero-width space keeps #123 from becoming a link, as for @mentions
  // GitHub decodes entities before it looks for @mentions, so `&#64;` alone still notifies:
  // a zero-width space after the `@` keeps the text as written and links nobody
  "@": "&#64;&#8203;",
  ":": "&#58;"
};
var SPECIAL = /[&<>"'|\\`*_~[\]()!#@:]/g;
function visibleControls(text2, keep = "") {
  return text2.replace(/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/gu, (c) => {
    if (keep.includes(c)) return c;
    const code = c.codePointAt(0);
    if (code < 32) return String.fromCodePoint(9216 + code);
    return code === 127 ? "\u2421" : "\uFFFD";
  });
}
function escapeMarkdown(text2) {
  return visibleControls(text2.replace(/\r\n/g, "\n"), "\n	").replace(SPECIAL, (c) => ENTITIES[c]);
}
function escapeName(text2) {
  return text2.replace(/[^A-Za-z0-9._:/() -]/gu, (c) => ENTITIES[c] ?? `&#${c.codePointAt(0)};`);
}
function cell(text2, max = 120) {
  const line = (text2 ?? "").split(/\r\n|\r|\n/).find((l) => l.trim() !== "") ?? "";
  const trimmed = line.trim();
  const cut3 = trimmed.length > max ? `${trimmed.slice(0, max - 1)}\u2026` : trimmed;
  return escapeMarkdown(cut3);
}
function block(text2) {
  return escapeMarkdown(text2);
}
function formatDuration(ms) {
  if (ms < 1e3) return `${ms} ms`;
  const s = ms / 1e3;
  if (s < 60) return `${s.toFixed(1)} s`;
  const m = Math.floor(s / 60);
  return m < 60 ? `${m} min ${Math.round(s - m * 60)} s` : `${Math.floor(m / 60)} h ${m % 60} min`;
}
var formatNumber = formatCount;
function prose(text2) {
  const paragraphs = [[]];
  for (const raw of text2.split(/\r\n|\r|\n/)) {
    const line = raw.trimEnd();
    if (line.trim() === "") {
      if (paragraphs[paragraphs.length - 1].length > 0) paragraphs.push([]);
      continue;
    }
    const indent = /^[ \t]*/.exec(line)[0];
    const body = escapeMarkdown(line.slice(indent.length)).replace(/^[-+=]/, (c) => `&#${c.charCodeAt(0)};`).replace(/^(\d{1,9})\./, "$1&#46;");
    paragraphs[paragraphs.length - 1].push("&#160;".repeat(indent.replace(/\t/g, "    ").length) + body);
  }
  return paragraphs.filter((p) => p.length > 0).map((p) => p.join("<br>\n")).join("\n\n");
}

// src/report/after.ts
var STATUS = { succeeded: "\u2705 succeeded", failed: "\u274C failed", cancelled: "\u23F9\uFE0F cancelled" };
var chain = (after) => after.steps.map((s) => escapeName(s.name)).join(" \u2192 ") || "after";
function cut2(text2, max, where2) {
  if (text2.length <= max) return prose(text2);
  return `${prose(text2.slice(0, max))}

_\u2026${formatNumber(text2.length - max)} more characters: see ${escapeName(where2)} in the artifact._`;
}
function afterSection(after, limit, heading = "###") {
  const last = after.steps[after.steps.length - 1];
  const where2 = last ? `${last.dir}/output.txt` : "after/";
  const tokens = after.usage.input_tokens + after.usage.output_tokens;
  const head = `${heading} ${chain(after)} (over all results)

_${STATUS[after.status]}${tokens > 0 ? ` \xB7 ${formatNumber(tokens)} tokens` : ""}_

`;
  for (let max = 6e4; ; max = Math.floor(max / 2)) {
    const parts = [];
    if (after.status !== "succeeded") parts.push(`**Error:** ${cut2(after.error ?? after.status, Math.min(max, 2e3), where2)}`);
    if (after.output !== null && after.output.trim() !== "") parts.push(cut2(after.output, max, where2));
    const section = `${head}${parts.join("\n\n")}

---

`;
    if (Buffer.byteLength(section) <= limit || max < 200) return section;
  }
}

// src/report/baseline.ts
var ICON = { new: "\u{1F195}", changed: "\u270F\uFE0F", unchanged: "\u2796", "newly failing": "\u{1F4A5}", fixed: "\u{1FA79}" };
function baselineLines(comparison) {
  const counts2 = Object.keys(ICON).map((mark) => `${ICON[mark]} ${formatNumber(comparison.counts[mark])} ${mark}`);
  const extra = [
    ...comparison.gone > 0 ? [`${formatNumber(comparison.gone)} baseline results not in this run`] : [],
    ...comparison.notCompared > 0 ? [`${formatNumber(comparison.notCompared)} not started (not compared)`] : []
  ];
  return [
    `**Compared with ${escapeName(comparison.baselineRunId)}:** ${[...counts2, ...extra].join(" \xB7 ")}`,
    ...checkChangeLines(comparison)
  ];
}
var LISTED = 20;
function checkChangeLines({ checks }) {
  if (checks.failing + checks.passing === 0) return [];
  const lines = [
    "",
    `**Checks compared with the baseline:** \u{1F4A5} ${formatNumber(checks.failing)} newly failing \xB7 \u{1FA79} ${formatNumber(checks.passing)} newly passing`
  ];
  for (const [icon, list2] of [
    ["\u{1F4A5}", checks.newlyFailing],
    ["\u{1FA79}", checks.newlyPassing]
  ])
    for (const c of list2.slice(0, LISTED)) lines.push(`- ${icon} ${cell(c.leaf, 60)} \xB7 ${cell(c.key, 100)}: ${cell(c.reason, 200)}`);
  return lines;
}
var markCell = (mark) => mark === void 0 ? "" : `<br>${ICON[mark]} ${mark}`;

// src/report/changes.ts
function counts(change) {
  return change.binary ? "binary" : `+${formatNumber(change.added)} \u2212${formatNumber(change.removed)}`;
}
function changesTotal(changes2) {
  if (!changes2) return "";
  if (changes2.files.length === 0) return "no changes";
  const files = changes2.files.length === 1 ? "1 file" : `${formatNumber(changes2.files.length)} files`;
  return `${files} ${counts(changes2)}`;
}
var pathOf = (file) => file.old_path !== void 0 ? `${file.old_path} \u2192 ${file.path}` : file.path;
function changesCell(changes2, shown = 3) {
  if (!changes2 || changes2.files.length === 0) return changesTotal(changes2);
  const files = changes2.files.slice(0, shown).map((f) => `${cell(pathOf(f), 60)} ${counts(f)}`);
  const more = changes2.files.length > shown ? `<br>\u2026and ${formatNumber(changes2.files.length - shown)} more` : "";
  return `${changesTotal(changes2)}<br>${files.join("<br>")}${more}`;
}
function diffstatBlock(changes2, max) {
  const lines = changes2.files.slice(0, max).map((f) => `${escapeMarkdown(pathOf(f).replace(/[\r\n]/g, " "))} | ${counts(f)}`);
  if (changes2.files.length > max) lines.push(`\u2026and ${formatNumber(changes2.files.length - max)} more files`);
  return lines.join("\n");
}

// src/report/checks-render.ts
var LISTED2 = 20;
function checksMarkdown(tally, heading = "###", listed2 = LISTED2) {
  if (tally === void 0 || !tally.any) return "";
  const rows = tally.checks().map((rate) => `| ${cell(rate.key, 160)} | ${escapeMarkdown(rateText(rate))} | ${formatNumber(rate.failed)} |`);
  const lines = [`${heading} Checks`, "", "| check | passed | failed |", "| --- | --- | --- |", ...rows];
  const failed = tally.failed(listed2);
  if (failed.length > 0) {
    lines.push(
      "",
      `**${formatNumber(tally.failingLeaves)} results failed a check**${tally.failuresTotal > failed.length ? ` (first ${failed.length} failures)` : ""}:`,
      ""
    );
    for (const f of failed) lines.push(`- ${cell(f.leaf, 60)} \xB7 ${cell(f.key, 100)}: ${cell(f.reason, 200)}`);
  }
  return `${lines.join("\n")}
`;
}

// src/report/summary.ts
var SUMMARY_LIMIT = 1024 * 1024 - 16 * 1024;
var STATUS2 = {
  succeeded: "\u2705 succeeded",
  failed: "\u274C failed",
  cancelled: "\u23F9\uFE0F cancelled"
};
var AFTER_LIMIT = 256 * 1024;
var leafName = (leaf) => leafLabel(leaf, escapeName);
function keysCell(keys) {
  return Object.entries(keys).map(([name, path]) => `${escapeMarkdown(name)}: ${cell(path, 80)}`).join("<br>");
}
function notStartedCells(range2) {
  const what = range2.from.branch.length === 0 ? "flows" : "branches";
  const text2 = `${formatNumber(range2.count)} ${what} not started: ${range2.reason}`;
  return `| ${leafName(range2.from)} \u2026 ${leafName(range2.to)} |  | ${STATUS2.cancelled} |  |  | ${cell(text2, 160)} |`;
}
function outputCell(leaf) {
  if (leaf.status !== "succeeded") return cell(leaf.error ?? leaf.status, 160);
  return cell(leaf.output, 120);
}
function leafCells(leaf, mark) {
  const tokens = leaf.usage.input_tokens + leaf.usage.output_tokens;
  return `| ${leafName(leaf)} | ${keysCell(leaf.keys)} | ${STATUS2[leaf.status]}${markCell(mark)} | ${formatDuration(leaf.duration_ms)} | ${formatNumber(tokens)} | ${outputCell(leaf)} |`;
}
function totalsLine(totals2, durationMs, strong = (text2) => `**${text2}**`) {
  const parts = [
    `${strong(`${formatNumber(totals2.flows_total)} flows`)} (${formatNumber(totals2.total)} results)`,
    `${formatNumber(totals2.succeeded)} succeeded`,
    `${formatNumber(totals2.failed)} failed`,
    `${formatNumber(totals2.cancelled)} cancelled`,
    `tokens ${formatNumber(totals2.usage.input_tokens)} in / ${formatNumber(totals2.usage.output_tokens)} out`
  ];
  if (totals2.usage.cost_usd !== void 0) parts.push(`cost ${formatUsd(totals2.usage.cost_usd)}`);
  if (totals2.cache !== void 0)
    parts.push(`${formatNumber(totals2.cache.steps)} steps from the cache (saved ${formatUsd(totals2.cache.saved.cost_usd)})`);
  if (durationMs !== void 0) parts.push(formatDuration(durationMs));
  return parts.join(" \xB7 ");
}
var HEAD_RESERVE = 8 * 1024;
var SummaryRows = class {
  constructor(limit = SUMMARY_LIMIT - HEAD_RESERVE) {
    this.limit = limit;
  }
  limit;
  rows = [];
  size = 400;
  total = 0;
  anyChanges = false;
  /** The checks of every leaf added, shown or not. */
  checks = new CheckTally();
  /** `mark`: how the leaf compares with a baseline run (`report --baseline`). */
  add(leaf, mark) {
    const results = isNotStarted(leaf) ? leaf.count : 1;
    this.total += results;
    this.checks.add(leaf);
    if (this.size >= this.limit) return;
    const cells = isNotStarted(leaf) ? notStartedCells(leaf) : leafCells(leaf, mark);
    const changes2 = isNotStarted(leaf) ? changesCell(null) : changesCell(leaf.changes);
    this.anyChanges ||= !isNotStarted(leaf) && leaf.changes != null;
    const bytes2 = Buffer.byteLength(cells) + Buffer.byteLength(changes2) + 4;
    if (this.size + bytes2 >= this.limit) {
      this.size = this.limit;
      return;
    }
    this.size += bytes2;
    this.rows.push({ cells, changes: changes2, bytes: bytes2, results });
  }
  /**
   * The table, and a line saying how many results it left out. `limit` (at most the one the rows
   * were gathered under) leaves room for a head that turned out longer, e.g. the after output.
   */
  render(limit = this.limit) {
    const header2 = this.anyChanges ? ["| flow | keys | status | duration | tokens | output | changes |", "| --- | --- | --- | --- | --- | --- | --- |"] : ["| flow | keys | status | duration | tokens | output |", "| --- | --- | --- | --- | --- | --- |"];
    const table = [];
    let size = 400;
    let shown = 0;
    for (const row of this.rows) {
      if (size + row.bytes >= limit) break;
      size += row.bytes;
      shown += row.results;
      table.push(this.anyChanges ? `${row.cells} ${row.changes} |` : row.cells);
    }
    const omitted = this.total - shown;
    const tail = omitted > 0 ? `

_${formatNumber(omitted)} more results not shown (GitHub limits a summary to 1 MiB): see results.json in the artifact._` : "";
    return `${[...header2, ...table].join("\n")}${tail}`;
  }
};
function renderSummary(input) {
  const limit = input.limit ?? SUMMARY_LIMIT;
  const head = [
    `## ${escapeName(input.title)}`,
    "",
    ...input.after ? [afterSection(input.after, AFTER_LIMIT)] : [],
    totalsLine(input.totals, input.durationMs),
    "",
    ...input.baseline ? [...baselineLines(input.baseline), ""] : [],
    ...(input.notes ?? []).map((note2) => `> ${note2}`),
    ...input.notes?.length ? [""] : []
  ].join("\n");
  const budget = limit - Buffer.byteLength(head);
  let rows = input.rows;
  if (rows === void 0) {
    rows = new SummaryRows(budget);
    let i = 0;
    for (const leaf of input.leaves ?? []) rows.add(leaf, input.baseline?.markAt(i++));
  }
  const checks = checksMarkdown(rows.checks);
  return `${head}
${rows.render(budget - Buffer.byteLength(checks))}
${checks === "" ? "" : `
${checks}`}`;
}
function mergeNotes(run3) {
  const notes = [...run3.notes];
  if (run3.missingShards.length > 0) {
    notes.unshift(
      `\u26A0\uFE0F ${run3.missingShards.length} of ${run3.shardCount} shards left no results: ${run3.missingShards.map((i) => `${i}/${run3.shardCount}`).join(", ")}. Their flows are listed as cancelled.`
    );
  }
  return notes;
}
function reportHtmlLine(runId, artifact, runDir) {
  return artifact !== void 0 ? `
The HTML report: ${escapeName(`${runId}/report.html`)} in artifact ${escapeName(artifact)} (download it, unzip, open report.html in a browser).
` : `
The HTML report: ${escapeName(`${runDir}/report.html`)} on the runner (the run directory was not uploaded).
`;
}

// src/util/platform.ts
function refuseUnsupportedPlatform(platform = process.platform) {
  if (platform !== "win32") return;
  throw new UsageError(
    'orchestrator runs on Linux and macOS, not on Windows (platform "win32"): its steps run under `sh -c` and are stopped by process group, which Windows has not. Run it in WSL 2 or a Linux container; in GitHub Actions, use an ubuntu-* or macos-* runner (runs-on).'
  );
}

// src/options/values.ts
var BadValue = class extends Error {
  why;
  constructor(why) {
    super("expected" in why ? `expected ${why.expected}` : why.problem);
    this.name = "BadValue";
    this.why = why;
  }
};
var expected = (what) => new BadValue({ expected: what });
var boolean = (text2) => {
  if (/^(true|yes|on|1)$/i.test(text2.trim())) return true;
  if (/^(false|no|off|0)$/i.test(text2.trim())) return false;
  throw expected("true or false");
};
var text = (value) => value;
var positiveInt = (value) => {
  const n = Number(value);
  if (!/^\s*\d+\s*$/.test(value) || !Number.isSafeInteger(n) || n < 1) throw expected("a whole number of 1 or more");
  return n;
};
var nonNegativeInt = (value) => {
  const n = Number(value);
  if (!/^\s*\d+\s*$/.test(value) || !Number.isSafeInteger(n)) throw expected("a whole number of 0 or more");
  return n;
};
var dollars = (value) => {
  const usd = parseUsd(value);
  if (usd === void 0) throw expected("an amount of US dollars above 0, like 5 or 0.50");
  return usd;
};
var timeoutSeconds = (value) => {
  const n = Number(value);
  if (value.trim() === "" || !Number.isFinite(n) || n <= 0 || n > MAX_TIMEOUT_S)
    throw expected(`a positive number of seconds, at most ${MAX_TIMEOUT_S} (7 days)`);
  return n;
};
var baseUrl = (value) => {
  const problem = baseUrlProblem(value);
  if (problem !== void 0) throw new BadValue({ problem });
  return value;
};
function oneOf(choices) {
  const parse2 = (value) => {
    if (!choices.includes(value)) throw expected(`one of: ${choices.join(", ")}`);
    return value;
  };
  return Object.assign(parse2, { choices });
}
var api = oneOf(APIS);
var sandbox = oneOf(SANDBOXES);
var isolate = oneOf(["none", "worktree"]);
var reportFormat = oneOf(["text", "markdown", "json"]);
var shard = (value) => {
  const parsed = parseShard(value);
  if (typeof parsed !== "string") return parsed;
  const why = parsed.replace(/, got [\s\S]*$/, "");
  throw why.startsWith("expected ") ? expected(why.slice("expected ".length)) : new BadValue({ problem: why });
};
var matrixShards = (value) => {
  const n = positiveInt(value);
  if (n > MAX_SHARDS) throw new BadValue({ problem: `GitHub runs at most ${MAX_SHARDS} jobs per matrix` });
  return n;
};
var keySpecOf = (kind2) => (value) => {
  try {
    return parseKeySpec(value, "", kind2);
  } catch (error) {
    const message2 = error instanceof Error ? error.message : String(error);
    const prefix = ` ${JSON.stringify(value)}: `;
    const why = message2.startsWith(prefix) ? message2.slice(prefix.length) : message2;
    throw why.startsWith("expected ") ? expected(why.slice("expected ".length)) : new BadValue({ problem: why });
  }
};
var keySpec = keySpecOf("paths");
var valuesSpec = keySpecOf("values");
var artifactName = (value) => {
  if (/[/\\"<>:|*?\r\n]/.test(value)) throw new BadValue({ problem: 'artifact names may not contain / \\ " < > : | * ? or newlines' });
  return value;
};
var statuses = (value) => {
  const list2 = value.split(",").map((s) => s.trim()).filter(Boolean);
  const bad = list2.filter((s) => !STATUSES.includes(s));
  if (list2.length === 0 || bad.length > 0) throw expected(`a comma-separated list of ${STATUSES.join(", ")}`);
  return list2;
};
var applyMode = (value) => {
  const word = value.trim().toLowerCase();
  if (word === "commit" || word === "branch") return word;
  try {
    return boolean(word) ? "worktree" : "off";
  } catch {
    throw expected("true (the working tree), commit (a commit per leaf), branch (a branch per leaf) or false");
  }
};
var branchPrefix = (value) => {
  if (/[\s~^:?*[\\]|\.\.|@\{/.test(value) || value.startsWith("-") || value.startsWith("/"))
    throw new BadValue({ problem: "a branch name prefix may not start with - or /, nor hold spaces, ~ ^ : ? * [ \\ .. or @{" });
  return value;
};
var DRY_RUN_SHOWN = 3;
var dryRun = (value) => {
  if (value.trim() === "") return DRY_RUN_SHOWN;
  if (value.trim() === "all") return "all";
  try {
    return nonNegativeInt(value);
  } catch {
    throw expected("all, or the number of flows to show (e.g. --dry-run=10)");
  }
};
var failFast = (value) => {
  if (value.trim() === "") return 1;
  try {
    return positiveInt(value);
  } catch {
    throw expected("the number of failed leaves that stops the run, 1 or more (e.g. --fail-fast 3)");
  }
};
var failFastInput = (value) => {
  if (/^(true|yes|on)$/i.test(value.trim())) return 1;
  if (/^(false|no|off|0)$/i.test(value.trim())) return void 0;
  try {
    return positiveInt(value);
  } catch {
    throw expected("true, false, or the number of failed leaves that stops the run (e.g. 3)");
  }
};

// src/options/spec.ts
var MODES = ["run", "plan", "report"];
var afterSteps = { default: void 0 };
var option = (spec) => spec;
var optional = (spec) => ({
  ...spec,
  default: void 0
});
var flag = (spec) => ({
  ...spec,
  parse: boolean,
  switch: true,
  default: false
});
var list = (spec) => ({
  ...spec,
  list: true,
  default: []
});

// src/options/entries/action.ts
var ACTION = {
  apply: option({
    parse: applyMode,
    default: "off",
    input: {
      name: "apply",
      modes: ["run", "report"],
      yml: "false",
      description: "`run` or `report`: after the flows, apply the patches of the run's succeeded leaves (`isolate: worktree`), as `orchestrator apply` does: each once, in leaf order, with a 3-way merge. `true`: to the workspace, as uncommitted edits; `commit`: one commit per leaf on the checked-out branch (`orchestrator apply --commit`); `branch`: one commit per leaf from HEAD on a branch of its own, `<branch-prefix><leaf>`, the checkout left as it was (`--branch`). A leaf whose patch conflicts, or cannot be applied (not a patch, a directory turned into a file), is skipped whole and fails the step (with `fail-on-error`); a leaf already applied (a commit of HEAD or its branch names it, or its changes are there) is skipped and not counted as a problem. Outputs `applied`, `conflicts`, `branches` and `pr-body`."
    }
  }),
  branchPrefix: option({
    parse: branchPrefix,
    default: "orchestrator/",
    cli: {
      flag: "--branch <prefix>",
      help: "put each leaf on a branch of its own, <prefix><leaf> (e.g. codex/flow_0003), one commit from HEAD; HEAD, the index and the working tree are left as they are",
      default: void 0,
      commands: { apply: {} }
    },
    input: {
      name: "branch-prefix",
      modes: ["run", "report"],
      description: "With `apply: branch`: each leaf's branch is this prefix and the leaf (`orchestrator/flow_0003`, `orchestrator/flow_0003-2.1` for a branch of an array step)."
    }
  }),
  artifactName: option({
    parse: artifactName,
    default: "orchestrator",
    input: {
      name: "artifact-name",
      modes: ["run", "report"],
      description: "Prefix of artifact names: `<artifact-name>-<run_id>-shard-<I>-of-<N>` (`-all` when unsharded)."
    }
  }),
  upload: option({
    parse: boolean,
    default: true,
    input: { name: "upload", modes: ["run", "report"], description: "Upload the run directory as an artifact." }
  }),
  summary: option({
    parse: boolean,
    default: true,
    input: { name: "summary", modes: ["run", "report"], description: "Write the job summary table." }
  }),
  comment: flag({
    input: {
      name: "comment",
      modes: ["report"],
      description: "`report`: create or update one pull-request comment with the results (needs `pull-requests: write`)."
    }
  }),
  baselineRunId: optional({
    parse: positiveInt,
    input: {
      name: "baseline-run-id",
      modes: ["report"],
      description: "`report`: the id of another workflow run (e.g. the last run on `main`) whose merged artifact (`<artifact-name>-<run id>-merged`, or `-all` for an unsharded run) is the baseline: each leaf, matched by its keys, is marked new, changed, unchanged, newly failing or fixed in the job summary, the comment and report.html. Needs `github-token` with `actions: read`. A run of a fork's code (its head repository is not this repository) is refused."
    }
  }),
  failOnError: option({
    parse: boolean,
    default: true,
    input: { name: "fail-on-error", modes: ["run", "report"], description: "Fail the step when any flow failed or was cancelled." }
  }),
  githubToken: optional({
    parse: text,
    input: {
      name: "github-token",
      modes: ["report"],
      yml: "${{ github.token }}",
      description: "Token for the GitHub API (PR comments, artifacts of other runs). Masked like the key; no step can read it."
    }
  }),
  codexVersion: optional({
    parse: text,
    input: {
      name: "codex-version",
      modes: ["run"],
      description: "Version of `@openai/codex` to install from npm when the config has codex steps and `codex` is not on PATH."
    }
  })
};

// src/options/entries/commands.ts
var COMMANDS = {
  mergedOutput: optional({
    parse: text,
    cli: {
      flag: "--output <dir>",
      help: "write the merged run there (<dir>/<run_id>/): merged results.json (each leaf names its shard's folder), run and shard records, report.html",
      commands: { report: {} }
    }
  }),
  copyTrees: flag({
    cli: {
      flag: "--copy-trees",
      help: "with --output: also copy the shards' flow directories there (symbolic links are left out)",
      commands: { report: {} }
    }
  }),
  open: flag({
    cli: {
      flag: "--open",
      help: "print the path of the merged report.html (open it in a browser: it needs nothing else)",
      commands: { report: {} }
    }
  }),
  reportFormat: optional({
    parse: reportFormat,
    cli: {
      flag: "--format <format>",
      help: "what to print: text (an aligned table, for a terminal), markdown (the GitHub job summary) or json (the merged results, as results.json holds them)",
      shownDefault: "`text` on a terminal, else `markdown`",
      commands: { report: {} }
    }
  }),
  baseline: optional({
    parse: text,
    cli: {
      flag: "--baseline <dir>",
      help: "another run (its directory, or a folder of its shards) to compare with: each leaf, matched by its keys, is new, changed, unchanged, newly failing or fixed",
      commands: { report: {} }
    }
  }),
  checkout: optional({
    parse: text,
    cli: {
      flag: "--workdir <dir>",
      help: "the git checkout to apply to (default: the current directory)",
      commands: { apply: {} }
    }
  }),
  statuses: option({
    parse: statuses,
    default: ["succeeded"],
    cli: {
      flag: "--status <list>",
      help: "apply leaves with these statuses (comma-separated: succeeded, failed, cancelled)",
      commands: { apply: {} }
    }
  }),
  commit: flag({
    cli: {
      flag: "--commit",
      help: "commit each leaf's patch on HEAD, one commit per leaf in leaf order (config commit_message, trailer Orchestrator-Run: <run id>/<leaf>); refuses when the files they change have uncommitted changes",
      commands: { apply: {} }
    }
  }),
  prBody: optional({
    parse: text,
    cli: {
      flag: "--pr-body <file>",
      help: "write a pull-request body (Markdown) there: each applied and skipped leaf, its keys, the files it changed, the start of its final message",
      commands: { apply: {} }
    }
  }),
  redo: optional({
    parse: text,
    cli: {
      flag: "--redo <dir>",
      help: "write there, per key, the list of the files of the leaves that conflicted (<dir>/<KEY>.txt), to run them again on the new HEAD with --key KEY:<dir>/<KEY>.txt",
      commands: { apply: {} }
    }
  }),
  check: flag({
    cli: {
      flag: "--check",
      help: "report what would apply and what would conflict, changing nothing",
      commands: { apply: {} }
    }
  })
};

// src/options/entries/models.ts
var MODELS = {
  model: optional({
    parse: text,
    cli: {
      flag: "--model <model>",
      help: "model for steps that name none (after the config defaults, before OPENAI_MODEL)",
      readme: "model for steps that name none",
      commands: { run: {}, report: { help: "after steps: model for steps that name none", ...afterSteps } }
    },
    input: {
      name: "model",
      modes: ["run", "report"],
      description: "Model for steps that name none (after the config's defaults, before OPENAI_MODEL)."
    }
  }),
  api: optional({
    parse: api,
    cli: {
      flag: "--api <api>",
      help: "API of openai steps that name none: responses (default) or chat",
      readme: "API of openai steps that name none",
      shownDefault: "`responses`",
      commands: { run: {}, report: { help: "after steps: API of openai steps that name none (default responses)", ...afterSteps } }
    },
    input: { name: "api", modes: ["run", "report"], description: "API of openai steps that name none: `responses` or `chat`." }
  }),
  baseUrl: optional({
    parse: baseUrl,
    cli: {
      flag: "--base-url <url>",
      help: "an OpenAI-compatible server (http:// or https://), for openai and codex steps (default: OPENAI_BASE_URL)",
      readme: "an OpenAI-compatible server (`http://` or `https://`; anything else is refused, exit 2), for openai and codex steps (openai steps otherwise use `OPENAI_BASE_URL`; codex ignores that variable and uses its own configuration)",
      commands: {
        run: {},
        report: { help: "after steps: an OpenAI-compatible server (default: OPENAI_BASE_URL, else OpenAI)", ...afterSteps }
      }
    },
    input: {
      name: "base-url",
      modes: ["run", "report"],
      description: "An OpenAI-compatible server (an http:// or https:// URL) for openai and codex steps (default OPENAI_BASE_URL, then api.openai.com)."
    }
  }),
  apiKey: optional({
    parse: text,
    input: {
      name: "openai-api-key",
      modes: ["run", "report"],
      description: "The API key, e.g. `${{ secrets.OPENAI_API_KEY }}`; falls back to the OPENAI_API_KEY environment variable. Masked; held in memory by the SDK and by the loopback proxy codex reaches the model through; no step, codex included, can read it."
    }
  }),
  offline: flag({
    cli: {
      flag: "--offline",
      help: "model and codex steps answer with their own prompt instead of calling out",
      readme: 'model and codex steps echo their prompt (an `array: true` one answers `["<its prompt>"]`: one branch, so the rest of the chain runs); cmd steps still run',
      commands: {
        run: {},
        report: { help: "after steps: model and codex steps answer with their own prompt", ...afterSteps }
      }
    },
    input: {
      name: "offline",
      modes: ["run", "report"],
      description: "Model and codex steps answer with their own prompt instead of calling out (cmd steps still run); needs no key."
    }
  }),
  retries: option({
    parse: nonNegativeInt,
    default: DEFAULT_RETRIES,
    cli: {
      flag: "--retries <n>",
      help: "retries of a model call after 429, 5xx, connection errors and timeouts",
      readme: "retries of a model call (codex steps too, with `--base-url`)",
      commands: { run: {}, report: { help: `after steps: retries of a model call (default ${DEFAULT_RETRIES})`, ...afterSteps } }
    },
    input: {
      name: "retries",
      modes: ["run", "report"],
      description: "Retries of a model call after 429, 5xx, connection errors and timeouts."
    }
  }),
  codexPath: optional({
    parse: text,
    cli: {
      flag: "--codex-path <path>",
      help: "the codex binary (default: codex on PATH)",
      readme: "the codex binary",
      shownDefault: "`codex` on PATH",
      commands: { run: {}, report: { help: "after steps: the codex binary (default: codex on PATH)", ...afterSteps } }
    }
  }),
  tokenBudget: optional({
    parse: positiveInt,
    cli: {
      flag: "--token-budget <n>",
      help: "start no new step once input+output tokens reach N",
      readme: 'start no new step once this process\'s input+output tokens reach N; unfinished flows end `cancelled` ("token budget reached")',
      commands: { run: {}, report: { help: "after steps: start none once their input+output tokens reach N", ...afterSteps } }
    },
    input: {
      name: "token-budget",
      modes: ["run", "report"],
      description: "Start no new step once this job's input+output tokens reach this number (per shard in a matrix)."
    }
  }),
  maxCost: optional({
    parse: dollars,
    cli: {
      flag: "--max-cost <usd>",
      help: "start no new step once this run's model calls cost USD dollars (prices: docs/spend.md)",
      readme: "start no new step once this process's model calls cost USD dollars (`5`, `0.50`); unfinished flows end `cancelled` (\"cost limit reached\"); refused (exit 2) when a step's model has no price (see Spend)",
      commands: {
        run: {},
        report: { help: "after steps: start none once their model calls cost USD dollars (the config's prices)", ...afterSteps }
      }
    },
    input: {
      name: "max-cost",
      modes: ["run", "report"],
      description: "Start no new step once this job's model calls cost this many US dollars, e.g. `5` or `0.50` (per shard in a matrix; prices: the built-in OpenAI list prices and the config's `prices`, see README: Spend). Refused when a step's model has no price."
    }
  }),
  cacheDir: optional({
    parse: text,
    cli: {
      flag: "--cache <dir>",
      help: "answer openai calls already answered (same model, API, settings and prompt) from DIR, and keep new replies there; codex steps are never cached",
      readme: "answer openai calls already answered (same model, API, settings and full prompt, same server) from DIR at no cost, and keep new replies there (see Caching replies); codex steps are never cached",
      commands: { run: {} }
    }
  }),
  cache: flag({
    input: {
      name: "cache",
      modes: ["run"],
      description: "Keep openai replies in the Actions cache and answer a call identical to one already answered (same model, API, settings, full prompt) from it, at no cost; restored before the run, saved after under `<artifact-name>-cache-v1-<config>-<shard>-<run id>-<attempt>` (see README: Caching replies). Codex steps are never cached."
    }
  }),
  batch: flag({
    cli: {
      flag: "--batch",
      help: "send openai steps through the Batch API at half price: requests ready together go in one batch, polled until done (--timeout then bounds the wait for a batch, default 24 h)",
      readme: "send openai steps through the Batch API at half price, gathered into batches and polled; `--timeout` then bounds the wait for a batch, default 24 h (see Batch API)",
      commands: { run: {} }
    },
    input: {
      name: "batch",
      modes: ["run"],
      description: "Send openai steps through the OpenAI Batch API at half price: requests ready together go in one batch, polled until done; batch ids are saved in the run directory, so a re-run (with `resume`) collects the same batches instead of paying again (README: Batch API)."
    }
  }),
  batchCancelOnExit: flag({
    cli: {
      flag: "--batch-cancel-on-exit",
      help: "with --batch: cancel unfinished batches when the run stops (by default they are left running for --resume)",
      readme: "with `--batch`: cancel unfinished batches when the run stops (by default they are left running for `--resume`)",
      commands: { run: {} }
    },
    input: {
      name: "batch-cancel-on-exit",
      modes: ["run"],
      description: "With `batch: true`: cancel batches still running when the job stops (by default they are left running for a re-run to collect)."
    }
  })
};

// src/options/entries/run.ts
var RUN = {
  mode: option({
    parse: oneOf(MODES),
    default: "run",
    input: {
      name: "mode",
      modes: MODES,
      description: "What to do: `run` the flows, `plan` the shards for a matrix job, or `report` (merge the shards' results)."
    }
  }),
  config: optional({
    parse: text,
    cli: {
      flag: "--config <file>",
      help: "the config the shards ran: its after steps run (never the run directory's copy, which must agree with it); without it none run",
      commands: { report: {} }
    },
    input: {
      name: "config",
      modes: MODES,
      description: "Path of the config file (JSON), relative to the workspace. Needed by `run` and `plan`; in `report`, the only source of the after steps (a file of the report job's checkout, which must be the config the shards ran): without it none run, and a run whose records list some fails the step."
    }
  }),
  keys: list({
    parse: keySpec,
    cli: {
      flag: "--key <name:file>",
      help: "FILE lists one path per line; {{{NAME}}} stands for the contents of each (repeatable)",
      readme: "repeatable; see Keys",
      commands: { run: {}, plan: { help: "as for run (repeatable)" } }
    },
    input: {
      name: "keys",
      modes: ["run", "plan"],
      description: "Key lists, one `NAME:FILE` per line; FILE lists one path per line and `{{{NAME}}}` stands for each file's contents, `{{{NAME:path}}}` for its path."
    }
  }),
  values: list({
    parse: valuesSpec,
    joins: "keys",
    cli: {
      flag: "--values <name:file>",
      help: "FILE lists one value per line; {{{NAME}}} stands for each line itself (ids, URLs, short texts); mixes with --key in the order given (repeatable)",
      readme: "repeatable; each line of FILE is a value, not a path; with `--key`, in the order given (see Keys)",
      commands: { run: {}, plan: { help: "as for run (repeatable)" } }
    },
    input: {
      name: "values",
      modes: ["run", "plan"],
      description: "Lists of values, one `NAME:FILE` per line; each line of FILE is a value that `{{{NAME}}}` stands for (ids, URLs, short texts), not a path. They multiply the flows after the `keys` lists."
    }
  }),
  parallel: option({
    parse: positiveInt,
    default: DEFAULT_PARALLEL,
    cli: {
      flag: "--parallel <n>",
      help: "most flows and branches in progress at once",
      readme: "most flows and branches in progress (steps executing) at once",
      commands: { run: {} }
    },
    input: { name: "parallel", modes: ["run"], description: "Most flows and branches in progress (steps executing) at once." }
  }),
  timeoutS: option({
    parse: timeoutSeconds,
    default: DEFAULT_TIMEOUT_S,
    cli: {
      flag: "--timeout <s>",
      help: 'seconds for one attempt of any step (a step may set its own "timeout")',
      readme: "seconds for one attempt of any step, at most 604800 (7 days); a step may set its own `timeout`; with `--batch` the longest wait for one batch (default 86400)",
      commands: { run: {}, report: { help: `after steps: seconds for one attempt (default ${DEFAULT_TIMEOUT_S})`, ...afterSteps } }
    },
    input: {
      name: "timeout",
      modes: ["run", "report"],
      // empty, so that `batch: true` can tell "not given" (then 24 h per batch)
      yml: "",
      description: "Seconds for one attempt of any step (at most 604800, 7 days; default 1800); a step may set its own `timeout`. With `batch: true` it bounds the wait for one batch instead (default 86400, 24 h): mind the job's 6 h limit (README: Batch API)."
    }
  }),
  workdir: option({
    parse: text,
    default: ".",
    cli: {
      flag: "--workdir <dir>",
      help: "working directory of codex and cmd steps (default: the current directory)",
      readme: "working directory of codex and cmd steps",
      shownDefault: "`.`",
      default: void 0,
      commands: {
        run: {},
        report: { help: "after steps: working directory of codex and cmd steps (default: the current directory)", ...afterSteps }
      }
    },
    input: {
      name: "workdir",
      modes: ["run", "report"],
      description: "Working directory of codex and cmd steps, relative to the workspace."
    }
  }),
  appendFilepath: flag({
    cli: { flag: "--append-filepath", help: "in prompts, follow each file's contents with its path", commands: { run: {} } },
    input: { name: "append-filepath", modes: ["run"], description: "In prompts, follow each interpolated file's contents with its path." }
  }),
  outputDir: option({
    parse: text,
    default: DEFAULT_OUTPUT,
    cli: { flag: "--output <dir>", help: "where run directories go", commands: { run: {} } }
  }),
  shard: optional({
    parse: shard,
    cli: {
      flag: "--shard <i/n>",
      help: "run only shard I of N of the flows",
      readme: "run only shard I of N (contiguous ranges of flows, sizes within one); needs `--run-id`, shared by the shards",
      commands: { run: {} }
    },
    input: {
      name: "shard",
      modes: ["run"],
      description: "Run only this shard, `I/N` (e.g. `${{ matrix.shard }}` from a `plan` job)."
    }
  }),
  shards: optional({
    parse: positiveInt,
    cli: {
      flag: "--shards <n>",
      help: `number of shards wanted (capped at ${MAX_SHARDS} and at the number of flows)`,
      required: true,
      commands: { plan: {} }
    },
    input: {
      name: "shards",
      modes: ["plan"],
      parse: matrixShards,
      description: `\`plan\`: number of shards wanted (capped at ${MAX_SHARDS} and at the number of flows).`
    }
  }),
  runId: optional({
    parse: text,
    cli: {
      flag: "--run-id <id>",
      help: "the run directory name (run_ is added when missing; default: unique, sortable by time)",
      readme: "run directory name: letters, digits, `.`, `_`, `-`, at most 100 characters with `run_` (added when missing)",
      shownDefault: "unique, sortable by time",
      commands: { run: {}, plan: { help: "the run id the shards share (default: unique, sortable by time)" } }
    },
    input: {
      name: "run-id",
      modes: MODES,
      description: "Run id shared by the shards of one run: letters, digits, `.`, `_`, `-`, at most 100 characters (`run_` is added when missing). Default: `run_gh<GITHUB_RUN_ID>`."
    }
  }),
  dryRun: optional({
    parse: dryRun,
    cli: {
      flag: "--dry-run [n]",
      help: `check the config and keys as a run would, then print the flow count, the first flows' steps with their prompts and commands (${DRY_RUN_SHOWN}; --dry-run=N or --dry-run=all for more) and what the calls may cost; runs and writes nothing`,
      readme: "check the config and keys as a run would (same errors, exit 2), then print the flow count, the first flows' steps with their resolved prompts and commands (`--dry-run=N`, `--dry-run=all`) and the calls' prices; calls no model, runs no command, writes nothing (see Dry run)",
      shownDefault: `off; ${DRY_RUN_SHOWN} flows shown`,
      commands: { run: {} }
    }
  }),
  failFast: optional({
    parse: failFast,
    cli: {
      flag: "--fail-fast [n]",
      help: "stop at the first failed leaf (or the Nth): no new step starts, running ones are ended, the rest is cancelled (exit 1; --resume carries on)",
      readme: "stop at the first failed leaf (`--fail-fast N`: the Nth): no new step starts, running steps are ended as on Ctrl-C, unfinished flows end `cancelled` (exit 1); `--resume` carries on (GNU parallel's `--halt now,fail=1`)",
      shownDefault: "off",
      commands: { run: {} }
    },
    input: {
      name: "fail-fast",
      modes: ["run"],
      parse: failFastInput,
      yml: "false",
      description: "`true`: stop at the first failed leaf (a number N: at the Nth); no new step starts, running steps are ended, unfinished flows end `cancelled`. `false` (default): every flow runs."
    }
  }),
  resume: flag({
    cli: {
      flag: "--resume",
      help: "with the same --output and --run-id: run only flows that did not succeed",
      readme: "with the same `--output` and `--run-id`: run only flows that did not succeed, and steps whose inputs changed (see Resuming a run); refused (exit 2) when the config or key lists changed, or when there is no such run (a mistyped `--run-id` or `--output` would otherwise pay for the whole run again)",
      commands: { run: {} }
    },
    input: {
      name: "resume",
      modes: ["run"],
      default: true,
      description: "On a re-run of a job, download its own artifact from the earlier attempt and run only the flows that did not succeed."
    }
  }),
  sandbox: optional({
    parse: sandbox,
    cli: {
      flag: "--sandbox <mode>",
      help: `sandbox of codex steps that set none (nor the config): read-only, workspace-write or danger-full-access (default: ${DEFAULT_SANDBOX})`,
      readme: "sandbox of codex steps that set none (the step's `sandbox`, then the config's, win); the Action's `sandbox` input",
      shownDefault: `\`${DEFAULT_SANDBOX}\``,
      commands: {
        run: {},
        report: { help: `after steps: sandbox of codex steps that set none (default ${DEFAULT_SANDBOX})`, ...afterSteps }
      }
    },
    input: {
      name: "sandbox",
      modes: ["run", "report"],
      description: "Sandbox of codex steps that set none (nor the config): `read-only`, `workspace-write` (when empty) or `danger-full-access`; the CLI's `--sandbox`."
    }
  }),
  isolate: option({
    parse: isolate,
    default: "none",
    cli: {
      flag: "--isolate <mode>",
      help: "codex working tree: none (one shared workdir) or worktree (a git worktree per flow, changes saved as changes.patch)",
      readme: "`none`: one shared workdir for codex steps; `worktree`: a git worktree per flow and branch, changes saved as `changes.patch` (see Codex in CI)",
      commands: { run: {}, report: { help: "after steps: codex working tree, none or worktree (default none)", ...afterSteps } }
    },
    input: {
      name: "isolate",
      modes: ["run", "report"],
      description: "Working tree of codex steps: `none` (one shared workdir) or `worktree` (a git worktree per flow at HEAD; its changes are saved as `changes.patch` in the step directory)."
    }
  })
};

// src/options/table.ts
var OPTIONS = { ...RUN, ...MODELS, ...ACTION, ...COMMANDS };
var optionEntries = () => Object.entries(OPTIONS);
function defaultValues() {
  return Object.fromEntries(optionEntries().map(([name, spec]) => [name, spec.default]));
}

// src/options/run-options.ts
function runOptions(values, place) {
  return {
    workdir: values.workdir,
    keys: values.keys,
    parallel: values.parallel,
    timeoutS: values.timeoutS,
    appendFilepath: values.appendFilepath,
    runId: values.runId,
    model: values.model,
    api: values.api,
    baseUrl: values.baseUrl,
    offline: values.offline,
    retries: values.retries,
    codexPath: void 0,
    tokenBudget: values.tokenBudget,
    maxCost: values.maxCost,
    failFast: values.failFast,
    dryRun: values.dryRun !== void 0,
    resume: values.resume,
    shard: values.shard,
    isolate: values.isolate,
    sandbox: values.sandbox,
    batch: values.batch,
    optionNames: optionNames(),
    ...place
  };
}
function optionNames() {
  return optionEntries().flatMap(
    ([, spec]) => spec.cli === void 0 ? [] : [{ flag: spec.cli.flag.split(" ")[0], ...spec.input === void 0 ? {} : { input: spec.input.name } }]
  );
}
function batchSettings(values, given) {
  if (!values.batch) return void 0;
  return { timeoutS: given.has("timeoutS") ? values.timeoutS : DEFAULT_BATCH_TIMEOUT_S, cancelOnExit: values.batchCancelOnExit };
}

// src/cache/runner.ts
import { join as join33 } from "node:path";

// src/cache/key.ts
import { createHash as createHash5 } from "node:crypto";
var CACHE_FORMAT = 1;
function cacheKey(request, baseUrl2) {
  const parts = { v: CACHE_FORMAT, api: request.api, base_url: withoutCredentials(baseUrl2), body: request.body };
  return createHash5("sha256").update(JSON.stringify(parts)).digest("hex");
}

// src/cache/store.ts
import { randomBytes as randomBytes2 } from "node:crypto";
import { renameSync as renameSync5, rmSync as rmSync6, statSync as statSync6 } from "node:fs";
import { dirname as dirname7, join as join32 } from "node:path";
var CorruptEntry = class extends Error {
};
var HEX_KEY = /^[0-9a-f]{64}$/;
var ResponseCache = class {
  /** `dir`: the directory, absolute; `where`: what set it, for messages (`--cache "cache"`). */
  constructor(dir, where2 = `--cache ${JSON.stringify(dir)}`) {
    this.dir = dir;
    this.root = join32(dir, `v${CACHE_FORMAT}`);
    this.tree = new SafeTree(this.root);
    try {
      makeDirectories(this.root);
      if (!statSync6(this.root).isDirectory()) throw new Error("it is not a directory");
    } catch (error) {
      throw new UsageError(`${where2}: cannot use it as the response cache: ${errorMessage(error)}`, {
        cause: error
      });
    }
  }
  dir;
  /** Entries this process wrote: the Action saves the cache only when it gained some. */
  written = 0;
  root;
  tree;
  /** The file of an entry. */
  path(key) {
    if (!HEX_KEY.test(key)) throw new Error(`not a cache key: ${JSON.stringify(key)}`);
    return join32(this.root, key.slice(0, 2), `${key}.json`);
  }
  /**
   * The entry for `key`, or undefined when there is none. Throws CorruptEntry when a file is there
   * but is not an entry for this key (the caller warns and calls the model).
   */
  read(key) {
    const cap = 2 * maxOutputBytes() + 64 * 1024;
    const path = this.path(key);
    let text2;
    try {
      text2 = readTreeFile(path, { maxBytes: cap }).toString("utf8");
    } catch (error) {
      const code = error.code;
      if (code === "ENOENT" || code === "ENOTDIR") return void 0;
      throw new CorruptEntry(error instanceof UnsafePathError ? `it ${error.problem}` : errorMessage(error));
    }
    let parsed;
    try {
      parsed = JSON.parse(text2);
    } catch {
      throw new CorruptEntry("it is not JSON");
    }
    if (!isObject(parsed)) throw new CorruptEntry("it is not a JSON object");
    if (parsed.schema !== CACHE_FORMAT) throw new CorruptEntry(`its "schema" is ${JSON.stringify(parsed.schema)}, not ${CACHE_FORMAT}`);
    if (parsed.key !== key) throw new CorruptEntry('its "key" is not the key its file is named by');
    if (parsed.api !== "responses" && parsed.api !== "chat") throw new CorruptEntry('its "api" is neither "responses" nor "chat"');
    if (!isObject(parsed.response)) throw new CorruptEntry('its "response" is not a JSON object');
    return { schema: CACHE_FORMAT, key, api: parsed.api, response: parsed.response };
  }
  /** Stores the reply to the request `key`: a temporary file of this process, renamed into place. */
  write(entry2) {
    const path = this.path(entry2.key);
    const temporary = join32(dirname7(path), `.${entry2.key}.${process.pid}.${randomBytes2(6).toString("hex")}.tmp`);
    const text2 = JSON.stringify({ schema: CACHE_FORMAT, key: entry2.key, api: entry2.api, response: entry2.response });
    try {
      this.tree.write(temporary, text2);
    } catch (error) {
      rmSync6(temporary, { force: true });
      throw error;
    }
    try {
      renameSync5(temporary, path);
    } catch (error) {
      rmSync6(temporary, { force: true });
      throw error;
    }
    this.written++;
  }
};

// src/cache/runner.ts
var unusable = (step2, reply) => step2.array && "error" in parseArrayOutput(reply.output, step2.maxItems);
var CachedRunner = class {
  constructor(inner, cache, baseUrl2, warn) {
    this.inner = inner;
    this.cache = cache;
    this.baseUrl = baseUrl2;
    this.warn = warn;
  }
  inner;
  cache;
  baseUrl;
  warn;
  warned = /* @__PURE__ */ new Set();
  async run(request) {
    const call = modelRequest(request.step, request.model, request.api, request.prompt);
    const key = cacheKey(call, this.baseUrl);
    const hit = this.answer(key, request);
    if (hit !== void 0) return hit;
    const result = await this.inner.run(request);
    const reply = result.response === void 0 ? void 0 : { output: result.output, usage: result.usage };
    if (reply !== void 0 && !request.signal.aborted && !unusable(request.step, reply)) {
      try {
        this.cache.write({ key, api: call.api, response: request.files.redactor.redactValue(result.response) });
      } catch (error) {
        this.warnOnce("write", `cannot write to the response cache (${errorMessage(error)}): replies are not kept for later runs`);
      }
    }
    return result;
  }
  close() {
    return this.inner.close?.() ?? Promise.resolve();
  }
  /** With --batch, the misses go in batches: a step waiting for one holds no slot (walk.ts). */
  get batches() {
    return this.inner.batches;
  }
  /** The cached answer to the request `key`, its files written as a call's would be; undefined on a miss. */
  answer(key, request) {
    let reply;
    let response;
    try {
      const entry2 = this.cache.read(key);
      if (entry2 === void 0) return void 0;
      if (entry2.api !== request.api) throw new CorruptEntry(`its "api" is "${entry2.api}", not "${request.api}"`);
      response = entry2.response;
      try {
        reply = entry2.api === "chat" ? readChatReply(response) : readResponsesReply(response);
      } catch (error) {
        throw new CorruptEntry(`its reply is not usable: ${errorMessage(error)}`);
      }
      if (unusable(request.step, reply)) throw new CorruptEntry("its reply is not the JSON array an array step needs");
      const max = maxOutputBytes();
      if (Buffer.byteLength(reply.output) > max)
        throw new CorruptEntry(`its reply is larger than the ${formatBytes(max)} a step's output may be`);
    } catch (error) {
      const why = error instanceof CorruptEntry ? error.message : `it cannot be read: ${errorMessage(error)}`;
      this.warnOnce(key, `the response cache entry ${this.cache.path(key)} is not used (${why}): the model is called instead`);
      return void 0;
    }
    const { files, dir } = request;
    files.write(join33(dir, "response.json"), JSON.stringify(response, null, 2) + "\n");
    files.write(join33(dir, "output.txt"), reply.output);
    return { output: files.redactor.redact(reply.output), usage: NO_USAGE, cached: reply.usage ?? NO_USAGE, response };
  }
  warnOnce(what, message2) {
    if (this.warned.has(what)) return;
    this.warned.add(what);
    this.warn(message2);
  }
};
function withCache(runners, setup, cache, warn) {
  const { options } = setup;
  if (options.offline) return runners;
  const baseUrl2 = options.baseUrl ?? (options.env.OPENAI_BASE_URL || void 0);
  return { ...runners, openai: new CachedRunner(runners.openai, cache, baseUrl2, warn) };
}

// src/action/apply.ts
import { writeFileSync as writeFileSync3 } from "node:fs";
import { tmpdir as tmpdir3 } from "node:os";
import { join as join40, resolve as resolve12 } from "node:path";

// src/apply/apply.ts
import { join as join39, resolve as resolve11 } from "node:path";

// src/report/merge.ts
import { existsSync as existsSync8, lstatSync as lstatSync10, statSync as statSync7 } from "node:fs";
import { join as join35, relative as relative6, sep as sep3 } from "node:path";

// src/report/merged-source.ts
import { lstatSync as lstatSync9 } from "node:fs";
import { isAbsolute as isAbsolute5, join as join34, resolve as resolve9 } from "node:path";
function readRecord(path, at = path) {
  let value;
  try {
    value = JSON.parse(readRegular(at).bytes.toString("utf8"));
  } catch (error) {
    throw new UsageError(`${path}: not a readable JSON file (${errorMessage(error).split(at).join(path)})`);
  }
  try {
    return parseRunRecord(value, path);
  } catch (error) {
    if (error instanceof DataError) throw new UsageError(error.message);
    throw error;
  }
}
function mergedSource(run3, hasOwnResults) {
  const dirs = new Set(run3.shardRecordDirs);
  if (run3.shardCount === 1 || dirs.size !== 1 || hasOwnResults) return void 0;
  const dir = [...dirs][0];
  const path = join34(dir, "results.json");
  try {
    if (!lstatSync9(path).isFile()) return void 0;
    const results = openResultsFile(path);
    const { header: header2 } = results;
    if (header2.run_id !== run3.runId || header2.shard.count !== 1 || header2.flows_total !== run3.total) return void 0;
    if (run3.shardRecords.every((r) => r.totals)) {
      const sum = (k) => run3.shardRecords.reduce((n, r) => n + r.totals[k], 0);
      if (sum("succeeded") !== header2.succeeded || sum("failed") !== header2.failed) return void 0;
    }
    return { dir, results };
  } catch {
    return void 0;
  }
}
function* mergedSourceItems(source, run3, treesFrom, rebase, trees) {
  const checked = /* @__PURE__ */ new Map();
  const config = run3.shardRecords[0]?.config.hash;
  const treeDir = (tree, index2) => {
    const known = checked.get(tree);
    if (known !== void 0) return known;
    const where2 = `${source.results.file}: flows[${index2}]: field "tree"`;
    if (tree === "" || isAbsolute5(tree) || tree.includes("\\") || tree.split("/").some((part) => part === "" || part === "."))
      throw new UsageError(`${where2} must be a relative path of a shard's run directory, not ${JSON.stringify(tree.slice(0, 80))}`);
    const dir = resolve9(source.dir, tree);
    let record;
    try {
      record = readRecord(join34(dir, "run.json"));
    } catch (error) {
      throw new UsageError(
        `${where2}: ${JSON.stringify(tree)} is not a run directory (${errorMessage(error)}): the shard folders must stay where they were when the run was merged`
      );
    }
    if (record.run_id !== run3.runId || record.config.hash !== config)
      throw new UsageError(`${where2}: ${JSON.stringify(tree)} holds run ${record.run_id}, not a shard of ${run3.runId} (same config)`);
    checked.set(tree, dir);
    return dir;
  };
  let index = 0;
  try {
    for (const item of readResultsItems(source.results, { total: run3.total, from: 0, to: run3.total })) {
      if (item.tree === void 0) {
        yield item;
      } else {
        const dir = treeDir(item.tree, index);
        const tree = treesFrom === void 0 ? "" : rebase(treesFrom, dir);
        if (tree !== "") trees?.set(tree, dir);
        yield { ...item, tree: tree === "" ? void 0 : tree };
      }
      if (!("count" in item)) index++;
    }
  } catch (error) {
    if (error instanceof DataError) throw new UsageError(error.message);
    throw error;
  }
}

// src/report/merge.ts
var isDir = (path) => {
  try {
    return statSync7(path).isDirectory();
  } catch {
    return false;
  }
};
function findRunDirs(dirs, depth = 4) {
  const found = [];
  const visit = (dir, left) => {
    try {
      if (existsSync8(dir.entry("run.json"))) {
        found.push(dir.path);
        return;
      }
      if (left === 0) return;
      for (const entry2 of dir.entries()) {
        if (entry2.isDirectory() && entry2.name !== "node_modules" && !entry2.name.startsWith(".") && !/^flow_\d+$/.test(entry2.name)) {
          const below = dir.dir(entry2.name);
          if (below !== void 0) visit(below, left - 1);
        }
      }
    } finally {
      dir.close();
    }
  };
  for (const path of dirs) {
    const dir = isDir(path) ? OpenDir.under(path) : void 0;
    if (dir === void 0) throw new UsageError(`${path}: ${existsSync8(path) ? "not a directory" : "does not exist"}`);
    visit(dir, depth);
  }
  return found;
}
function loadMergedRun(dirs) {
  const runDirs = findRunDirs(dirs);
  if (runDirs.length === 0)
    throw new UsageError(`no run found under ${dirs.join(", ")}: expected a directory holding run.json (e.g. generated/run_...)`);
  const shardRecords = [];
  const shardRecordDirs = [];
  for (const dir of runDirs) {
    const found = readShardRecords(dir);
    if (found.length === 0) found.push(readRecord(join35(dir, "run.json")));
    shardRecords.push(...found);
    shardRecordDirs.push(...found.map(() => dir));
  }
  const runIds = [...new Set(shardRecords.map((r) => r.run_id))];
  if (runIds.length !== 1) {
    throw new UsageError(
      runIds.length === 0 ? `no readable run.json under ${dirs.join(", ")}` : `more than one run found (${runIds.join(", ")}): report one run at a time, by its directory (e.g. orchestrator report ${shardRecordDirs[shardRecords.findIndex((r) => r.run_id === runIds.at(-1))]})`
    );
  }
  const counts2 = [...new Set(shardRecords.map((r) => r.shard.count))];
  const totals2 = [...new Set(shardRecords.map((r) => r.flows.total))];
  if (counts2.length !== 1 || totals2.length !== 1) {
    throw new UsageError(
      `the shards of ${runIds[0]} disagree on the number of shards (${counts2.join(", ")}) or flows (${totals2.join(", ")})`
    );
  }
  const shardCount = counts2[0];
  const present = new Set(shardRecords.map((r) => r.shard.index));
  const missingShards = [...range(1, shardCount + 1)].filter((i) => !present.has(i));
  checkSameDefinition(runIds[0], shardRecords);
  const notes = [];
  const starts = shardRecords.map((r) => Date.parse(r.started_at)).filter(Number.isFinite);
  const ends = shardRecords.map((r) => r.ended_at ? Date.parse(r.ended_at) : NaN).filter(Number.isFinite);
  const durationMs = starts.length > 0 && ends.length > 0 ? Math.max(...ends) - Math.min(...starts) : void 0;
  return { runId: runIds[0], total: totals2[0], shardCount, missingShards, runDirs, shardRecords, shardRecordDirs, durationMs, notes };
}
function readShardRecords(dir) {
  const shards = OpenDir.under(dir, "shards");
  if (shards === void 0) return [];
  try {
    const names = shards.entries().filter((entry2) => SHARD_RECORD.test(entry2.name));
    return names.map(({ name }) => readRecord(join35(dir, "shards", name), shards.entry(name)));
  } finally {
    shards.close();
  }
}
var SHARD_RECORD = /^\d+-of-\d+\.json$/;
function checkSameDefinition(runId, records) {
  const groups = /* @__PURE__ */ new Map();
  for (const record of records) {
    const key = `${record.config.hash}/${record.keys_hash}`;
    groups.set(key, [...groups.get(key) ?? [], record]);
  }
  if (groups.size <= 1) return;
  const described = [...groups.values()].map((group2) => {
    const first = group2[0];
    const shards = group2.map((r) => `${r.shard.index}/${r.shard.count}`).join(", ");
    return `shard${group2.length > 1 ? "s" : ""} ${shards} ran ${JSON.stringify(first.config.file)} (config hash ${first.config.hash.slice(0, 12)}, key-list hash ${first.keys_hash.slice(0, 12)})`;
  });
  throw new UsageError(
    `the shards of ${runId} ran different configs or key lists: ${described.join("; ")}. Flow ids are positions, so their results cannot be merged: run every shard with one config and the same key lists`
  );
}
function resultsProblem(dir, record) {
  const path = join35(dir, RESULTS);
  try {
    if (!lstatSync10(path).isFile()) return { why: `${RESULTS} is not a regular file` };
  } catch {
    return { why: `it has no ${RESULTS}` };
  }
  let results;
  try {
    results = openResultsFile(path);
  } catch (error) {
    if (error instanceof DataError) return { why: error.message };
    return { why: `${path}: ${errorMessage(error)}` };
  }
  const { header: header2 } = results;
  const shard2 = `${record.shard.index}/${record.shard.count}`;
  if (header2.run_id !== record.run_id || header2.shard.index !== record.shard.index || header2.shard.count !== record.shard.count)
    return { why: `${path} is not shard ${shard2}'s (it says ${header2.run_id}, shard ${header2.shard.index}/${header2.shard.count})` };
  if (!record.ended_at || !record.totals) return { why: `shard ${shard2} did not end (its record has no end time or totals)` };
  if (!sameTotals(header2, record.totals) || header2.flows_total !== record.flows.to - record.flows.from + 1)
    return { why: `${path} does not hold the totals of shard ${shard2}'s record (an earlier attempt's?)` };
  return { results };
}
var RESULTS = "results.json";
function loadBaseline(dir) {
  try {
    return loadMergedRun([dir]);
  } catch (error) {
    if (error instanceof UsageError) throw new UsageError(`--baseline ${dir}: ${error.problems.join("; ")}`);
    throw error;
  }
}
function shardSources(run3) {
  const byIndex = /* @__PURE__ */ new Map();
  run3.shardRecords.forEach((record, i) => {
    if (byIndex.has(record.shard.index)) return;
    const dir = run3.shardRecordDirs[i];
    const { results, why } = resultsProblem(dir, record);
    byIndex.set(record.shard.index, { record, dir, results, fallback: why });
  });
  return [...byIndex.values()].sort((a, b) => a.record.shard.index - b.record.shard.index);
}
var treeOf = (from, dir) => relative6(from, dir).split(sep3).join("/");
function* mergedLeaves(run3, options = {}) {
  const found = shardSources(run3);
  const merged = mergedSource(
    run3,
    found.some((s) => s.results !== void 0)
  );
  if (merged !== void 0) {
    yield* mergedSourceItems(merged, run3, options.treesFrom, treeOf, options.trees);
    return;
  }
  const sources = new Map(found.map((s) => [s.record.shard.index, s]));
  for (let index = 1; index <= run3.shardCount; index++) {
    const source = sources.get(index);
    if (source === void 0) {
      const range2 = shardRange(run3.total, { index, count: run3.shardCount });
      yield* unstartedFlows(
        range2.from,
        range2.to,
        (i) => flowId(i, run3.total),
        () => ({}),
        missingReason(index, run3.shardCount)
      );
      continue;
    }
    const { record, dir } = source;
    const tree = options.treesFrom === void 0 ? "" : treeOf(options.treesFrom, dir);
    if (tree !== "") options.trees?.set(tree, dir);
    const bounds = { total: run3.total, from: record.flows.from - 1, to: record.flows.to };
    const items = source.results !== void 0 ? readResultsItems(source.results, bounds) : (
      // a killed shard: its leaves on disk, and those only its results.jsonl lists
      withUnwritten(
        leavesAcross(
          [dir],
          run3.total,
          bounds,
          () => ({}),
          () => ({ reason: record.stopped ?? "not run", until: Infinity })
        ),
        leavesOnlyInLines(dir, record.shard)
      )
    );
    try {
      for (const item of items) yield tree === "" && item.tree === void 0 ? item : { ...item, tree: tree === "" ? void 0 : tree };
    } catch (error) {
      if (error instanceof DataError) throw new UsageError(`${error.message}. Remove that file to read the shard's leaves instead`);
      throw error;
    }
  }
}
var missingReason = (index, count) => `shard ${index}/${count} is missing: its job left no results`;

// src/apply/git.ts
import { execFile as execFile4 } from "node:child_process";
import { appendFileSync, copyFileSync, existsSync as existsSync9, lstatSync as lstatSync11, mkdirSync as mkdirSync2, mkdtempSync, readFileSync as readFileSync5, rmSync as rmSync7 } from "node:fs";
import { tmpdir } from "node:os";
import { dirname as dirname8, join as join36, relative as relative7, resolve as resolve10, sep as sep4 } from "node:path";
import { promisify as promisify2 } from "node:util";
var exec = promisify2(execFile4);
var GitError = class extends Error {
  constructor(message2, stderr) {
    super(message2);
    this.stderr = stderr;
    this.name = "GitError";
  }
  stderr;
};
async function git2(cwd, args, env = {}) {
  try {
    const { stdout } = await exec("git", args, {
      cwd,
      maxBuffer: 1024 * 1024 * 1024,
      // paths are paths, never patterns (a file may be called `*.md`)
      env: { ...process.env, GIT_TERMINAL_PROMPT: "0", GIT_LITERAL_PATHSPECS: "1", ...env }
    });
    return stdout;
  } catch (error) {
    const raw = error.stderr;
    const stderr = typeof raw === "string" ? raw : Buffer.isBuffer(raw) ? raw.toString("utf8") : "";
    throw new GitError(`git ${args[0]}: ${stderr.trim() || error.message}`, stderr);
  }
}
var ALREADY = /* @__PURE__ */ Symbol("already applied");
function conflictAccount(error) {
  const lines = (error.stderr ?? "").split("\n");
  const unmerged = lines.filter((l) => l.startsWith("U ")).map((l) => l.slice(2));
  const errors = lines.filter((l) => l.startsWith("error: "));
  if (unmerged.length > 0) return `merge conflict in ${unmerged.join(", ")}`;
  return errors.join("; ") || error.message;
}
async function patchPaths(top, patch) {
  const out = await git2(top, ["apply", "--numstat", "-z", patch]);
  const parts = out.split("\0");
  const paths = [];
  for (let i = 0; i < parts.length; i++) {
    const record = parts[i];
    if (record === "") continue;
    const path = /^[^\t]*\t[^\t]*\t([\s\S]*)$/.exec(record)?.[1];
    if (path === void 0) continue;
    if (path === "") {
      paths.push(parts[i + 1], parts[i + 2]);
      i += 2;
    } else paths.push(path);
  }
  return paths;
}
var PatchApplier = class _PatchApplier {
  constructor(top) {
    this.top = top;
    this.dir = mkdtempSync(join36(tmpdir(), "orchestrator-apply-"));
    this.index = join36(this.dir, "index");
  }
  top;
  dir;
  index;
  /** An applier for the repository holding `checkout`; throws a GitError when it is not a git checkout with a commit. */
  static async open(checkout) {
    const top = (await git2(checkout, ["rev-parse", "--show-toplevel"])).trim();
    await git2(top, ["rev-parse", "--verify", "--quiet", "HEAD"]);
    const applier = new _PatchApplier(top);
    await applier.indexed(["read-tree", "HEAD"]);
    return applier;
  }
  indexed(args) {
    return git2(this.top, args, { GIT_INDEX_FILE: this.index });
  }
  /**
   * Brings the working tree's state of `paths` (contents, or absence) into the private index. A
   * path that is a directory there is, to the index, no file (git refuses to add it as one): the
   * files in it that a patch touches are paths of their own.
   */
  async track(paths) {
    const files = paths.filter((path) => !this.isDirectory(path));
    if (files.length > 0) await this.indexed(["update-index", "--add", "--remove", "--", ...files]);
  }
  isDirectory(path) {
    try {
      return lstatSync11(join36(this.top, path), { throwIfNoEntry: false })?.isDirectory() === true;
    } catch {
      return false;
    }
  }
  /**
   * Applies one patch to the private index; with `write`, then to the working tree. Resolves to
   * undefined when it applied, ALREADY when it does not apply but its reverse does (its changes are
   * there already: applying a run twice adds nothing), or git's account of the conflict.
   */
  async apply(patch, paths, write) {
    const backup = join36(this.dir, "index.before");
    copyFileSync(this.index, backup);
    const check = (reverse) => this.indexed(["apply", "--cached", "--check", "--whitespace=nowarn", ...reverse ? ["--reverse"] : [], patch]).then(
      () => true,
      () => false
    );
    if (!await check(false) && await check(true)) return ALREADY;
    try {
      await this.indexed(["apply", "--cached", "--3way", "--whitespace=nowarn", patch]);
    } catch (error) {
      copyFileSync(backup, this.index);
      return conflictAccount(error);
    }
    const present = new Set((await this.indexed(["ls-files", "--cached", "-z", "--", ...paths])).split("\0").filter(Boolean));
    const kept = paths.filter((p) => present.has(p));
    const replaced = kept.filter((p) => this.isDirectory(p));
    if (replaced.length > 0) {
      copyFileSync(backup, this.index);
      return `it turns the directory ${replaced.join(", ")} into a file, which would delete everything in it: apply it by hand`;
    }
    if (write) {
      if (kept.length > 0) await this.indexed(["checkout-index", "-f", "--", ...kept]);
      for (const path of paths) if (!present.has(path) && !this.isDirectory(path)) rmSync7(join36(this.top, path), { force: true });
    }
    return void 0;
  }
  close() {
    rmSync7(this.dir, { recursive: true, force: true });
  }
};
async function excludeFromGit(dir) {
  const parent = dirname8(dir);
  let top;
  try {
    top = (await git2(parent, ["rev-parse", "--show-toplevel"])).trim();
  } catch {
    return void 0;
  }
  const path = relative7(top, dir).split(sep4).join("/");
  if (path === "" || path.startsWith("..")) return void 0;
  const ignored = await git2(top, ["check-ignore", "-q", "--no-index", `${path}/`]).then(
    () => true,
    () => false
  );
  if (ignored) return void 0;
  const exclude = resolve10(top, (await git2(top, ["rev-parse", "--git-path", "info/exclude"])).trim());
  mkdirSync2(dirname8(exclude), { recursive: true });
  const before2 = existsSync9(exclude) ? readFileSync5(exclude, "utf8") : "";
  appendFileSync(exclude, `${before2 === "" || before2.endsWith("\n") ? "" : "\n"}# orchestrator's run tree
/${path}/
`);
  return exclude;
}

// src/apply/ship.ts
import { lstatSync as lstatSync12, rmSync as rmSync9 } from "node:fs";
import { join as join38 } from "node:path";

// src/apply/commits.ts
import { mkdtempSync as mkdtempSync2, rmSync as rmSync8, writeFileSync as writeFileSync2 } from "node:fs";
import { tmpdir as tmpdir2 } from "node:os";
import { join as join37 } from "node:path";

// src/apply/message.ts
var TRAILER = "Orchestrator-Run";
var LEAF_PLACEHOLDER = "ORCHESTRATOR_LEAF";
var SUMMARY_PLACEHOLDER = "ORCHESTRATOR_SUMMARY";
var DEFAULT_COMMIT_MESSAGE = `{{{${LEAF_PLACEHOLDER}}}}: {{{${SUMMARY_PLACEHOLDER}}}}`;
var SUBJECT_MAX = 100;
var trailer = (runId, label) => `${TRAILER}: ${runId}/${label}`;
function firstLine3(text2, max = SUBJECT_MAX) {
  const line = (text2 ?? "").split(/\r\n|\r|\n/).find((l) => l.trim() !== "")?.trim() ?? "";
  return line.length > max ? `${line.slice(0, max - 1)}\u2026` : line;
}
function commitMessage(template, leaf, contents) {
  const summary2 = firstLine3(leaf.output) || `changes for ${Object.values(leaf.keys).join(", ") || leaf.label}`;
  const body = fillPlaceholders(template ?? DEFAULT_COMMIT_MESSAGE, (name, field) => {
    if (name === LEAF_PLACEHOLDER) return leaf.label;
    if (name === SUMMARY_PLACEHOLDER) return summary2;
    const path = leaf.keys[name];
    if (path === void 0) return void 0;
    return field === "path" ? path : contents(name);
  }).replace(/\0/g, "").split("\n").filter((line) => !line.startsWith(`${TRAILER}:`)).join("\n").trim();
  return `${body || leaf.label}

${trailer(leaf.runId, leaf.label)}
`;
}

// src/apply/commits.ts
var CommitWriter = class _CommitWriter {
  constructor(top, identity) {
    this.top = top;
    this.dir = mkdtempSync2(join37(tmpdir2(), "orchestrator-commit-"));
    this.index = join37(this.dir, "index");
    this.env = { ...identity, GIT_INDEX_FILE: this.index };
  }
  top;
  dir;
  index;
  env;
  /**
   * A writer for the repository at `top`. Without a name and email in git's configuration (or the
   * GIT_AUTHOR_/GIT_COMMITTER_ variables), `fallback` signs the commits; without one, a UsageError-worthy GitError.
   */
  static async open(top, fallback) {
    let identity = {};
    try {
      await git2(top, ["var", "GIT_COMMITTER_IDENT"]);
      await git2(top, ["var", "GIT_AUTHOR_IDENT"]);
    } catch (error) {
      if (!(error instanceof GitError) || fallback === void 0) throw error;
      identity = {
        GIT_AUTHOR_NAME: process.env.GIT_AUTHOR_NAME || fallback.name,
        GIT_AUTHOR_EMAIL: process.env.GIT_AUTHOR_EMAIL || fallback.email,
        GIT_COMMITTER_NAME: process.env.GIT_COMMITTER_NAME || fallback.name,
        GIT_COMMITTER_EMAIL: process.env.GIT_COMMITTER_EMAIL || fallback.email
      };
    }
    return new _CommitWriter(top, identity);
  }
  indexed(args) {
    return git2(this.top, args, this.env);
  }
  /** The commit a revision names, or undefined when it names none. */
  async resolve(rev) {
    try {
      return (await git2(this.top, ["rev-parse", "--verify", "--quiet", `${rev}^{commit}`])).trim();
    } catch {
      return void 0;
    }
  }
  /** The `Orchestrator-Run:` trailers of `runId` in the history of `rev`: the leaves already committed. */
  async trailers(rev, runId) {
    const out = await git2(this.top, ["log", "-F", `--grep=${TRAILER}: ${runId}/`, "--format=%B%x00", rev]);
    const found = /* @__PURE__ */ new Set();
    for (const line of out.split(/[\n\0]/)) if (line.startsWith(`${TRAILER}: ${runId}/`)) found.add(line.trim());
    return found;
  }
  /** The message of a commit. */
  async message(commit) {
    return git2(this.top, ["log", "-1", "--format=%B", commit]);
  }
  /**
   * The git tree of `base` with the patch in it. A patch that applies as it is, is applied; one whose
   * reverse applies (its changes are in `base` already) is `already`; else a 3-way merge, which
   * may conflict. A git tree equal to the base's is `already` too: there is nothing to commit.
   */
  async build(base, patch) {
    await this.indexed(["read-tree", base]);
    const applies = await this.indexed(["apply", "--cached", "--check", "--whitespace=nowarn", patch]).then(
      () => true,
      () => false
    );
    if (!applies) {
      const reverse = await this.indexed(["apply", "--cached", "--check", "--reverse", "--whitespace=nowarn", patch]).then(
        () => true,
        () => false
      );
      if (reverse) return { already: "its changes are in the base already" };
    }
    try {
      await this.indexed(["apply", "--cached", "--3way", "--whitespace=nowarn", patch]);
    } catch (error) {
      return { conflict: conflictAccount(error) };
    }
    const gitTree = (await this.indexed(["write-tree"])).trim();
    const baseGitTree = (await git2(this.top, ["rev-parse", `${base}^{tree}`])).trim();
    return gitTree === baseGitTree ? { already: "its changes are in the base already" } : { gitTree };
  }
  /** A commit of `gitTree` on `parent` with `message`. */
  async commit(gitTree, parent, message2) {
    const file = join37(this.dir, "message");
    writeFileSync2(file, message2);
    return (await git2(this.top, ["commit-tree", gitTree, "-p", parent, "-F", file], this.env)).trim();
  }
  /** Paths of `commit` among `paths` (those the commit has; the others it deletes). */
  async present(commit, paths) {
    if (paths.length === 0) return /* @__PURE__ */ new Set();
    const out = await git2(this.top, ["ls-tree", "-r", "-z", "--name-only", commit, "--", ...paths]);
    return new Set(out.split("\0").filter(Boolean));
  }
  close() {
    rmSync8(this.dir, { recursive: true, force: true });
  }
};

// src/apply/ship.ts
var branchName = (prefix, label) => prefix + label.replace(/ \[(.*)\]$/, "-$1");
async function writer(options) {
  try {
    return await CommitWriter.open(options.top, options.identity);
  } catch (error) {
    if (error instanceof GitError)
      throw new UsageError(
        `${options.top}: git has no name and email to sign the commits with (${error.message}): set them with git config user.name and git config user.email, or GIT_AUTHOR_NAME/GIT_AUTHOR_EMAIL/GIT_COMMITTER_NAME/GIT_COMMITTER_EMAIL`
      );
    throw error;
  }
}
var message = (leaf, options) => commitMessage(
  options.template,
  { label: leaf.label, runId: options.runId, keys: leaf.keys, output: leaf.output },
  (name) => options.contents(leaf, name)
);
function isDirectory(top, path) {
  try {
    return lstatSync12(join38(top, path), { throwIfNoEntry: false })?.isDirectory() === true;
  } catch {
    return false;
  }
}
async function refuseDirty(top, leaves) {
  const paths = [...new Set(leaves.flatMap((leaf) => leaf.paths))];
  if (paths.length === 0) return;
  const out = await git2(top, ["status", "--porcelain=v1", "-z", "--untracked-files=all", "--ignored=matching", "--", ...paths]);
  const dirty = out.split("\0").filter((record) => /^[ -~]{2} /.test(record)).map((record) => record.slice(3));
  if (dirty.length === 0) return;
  const shown = dirty.slice(0, 10).join(", ") + (dirty.length > 10 ? ` and ${dirty.length - 10} more` : "");
  const owners = leaves.filter((leaf) => leaf.paths.some((p) => dirty.includes(p))).map((leaf) => leaf.label);
  throw new UsageError(
    `${top}: uncommitted changes in ${shown}, which the patches of ${owners.join(", ")} change: apply --commit commits only what the leaves changed and would mix them in or overwrite them. Commit or stash them (git stash --include-untracked), then apply again.`
  );
}
async function commitLeaf(commits, head, done, leaf, options) {
  if (done.has(trailer(options.runId, leaf.label))) return { outcome: "already applied", detail: "a commit of HEAD names it" };
  const built = await commits.build(head, leaf.patch);
  if ("already" in built) return { outcome: "already applied", detail: built.already };
  if ("conflict" in built) return { outcome: "conflict", detail: built.conflict };
  return { commit: await commits.commit(built.gitTree, head, message(leaf, options)) };
}
async function commitLeaves(leaves, options) {
  const { top } = options;
  await refuseDirty(top, leaves);
  const commits = await writer(options);
  try {
    let head = await commits.resolve("HEAD");
    const done = await commits.trailers(head, options.runId);
    const results = [];
    for (const leaf of leaves) {
      const made = await commitLeaf(commits, head, done, leaf, options);
      if (!("commit" in made)) {
        results.push(made);
        continue;
      }
      const { commit } = made;
      const present = await commits.present(commit, leaf.paths);
      const replaced = [...present].filter((p) => isDirectory(top, p));
      if (replaced.length > 0) {
        results.push({
          outcome: "conflict",
          detail: `it turns the directory ${replaced.join(", ")} into a file, which would delete everything in it: apply it by hand`
        });
        continue;
      }
      await git2(top, ["update-ref", "-m", `orchestrator apply: ${leaf.label}`, "HEAD", commit, head]);
      head = commit;
      await git2(top, ["reset", "-q", commit, "--", ...leaf.paths]);
      if (present.size > 0) await git2(top, ["checkout-index", "-f", "--", ...present]);
      for (const path of leaf.paths) if (!present.has(path) && !isDirectory(top, path)) rmSync9(join38(top, path), { force: true });
      results.push({ outcome: "applied", commit });
    }
    return results;
  } finally {
    commits.close();
  }
}
async function branchLeaves(leaves, prefix, options) {
  const { top } = options;
  try {
    await git2(top, ["check-ref-format", "--branch", branchName(prefix, "flow_0001")]);
  } catch {
    throw new UsageError(
      `--branch ${JSON.stringify(prefix)}: ${JSON.stringify(branchName(prefix, "flow_0001"))} is not a valid branch name; use a prefix like "codex/"`
    );
  }
  const commits = await writer(options);
  try {
    const head = await commits.resolve("HEAD");
    const done = await commits.trailers(head, options.runId);
    const results = [];
    for (const leaf of leaves) {
      const branch = branchName(prefix, leaf.label);
      const line = trailer(options.runId, leaf.label);
      const tip = await commits.resolve(`refs/heads/${branch}`);
      if (tip !== void 0) {
        results.push(
          (await commits.message(tip)).split("\n").some((l) => l.trim() === line) ? { outcome: "already applied", detail: `on branch ${branch}`, branch } : {
            outcome: "conflict",
            detail: `the branch ${branch} exists and its last commit is not this leaf's: delete it (git branch -D ${branch}) or choose another --branch prefix`
          }
        );
        continue;
      }
      const made = await commitLeaf(commits, head, done, leaf, options);
      if (!("commit" in made)) {
        results.push(made);
        continue;
      }
      const { commit } = made;
      await git2(top, ["update-ref", "-m", `orchestrator apply: ${leaf.label}`, `refs/heads/${branch}`, commit, ""]);
      results.push({ outcome: "applied", commit, branch });
    }
    return results;
  } finally {
    commits.close();
  }
}

// src/apply/apply.ts
async function applyRun(options) {
  const run3 = loadMergedRun([options.runDir]);
  const base = run3.runDirs.length === 1 ? run3.runDirs[0] : void 0;
  return applyLeaves({ runId: run3.runId, leaves: mergedLeaves(run3, { treesFrom: base }), treesFrom: base, runDirs: run3.runDirs }, options);
}
async function applyLeaves(run3, options) {
  const target2 = options.target ?? { kind: "worktree" };
  if (options.check && target2.kind !== "worktree")
    throw new UsageError(`--check reports what would apply to the working tree: leave out --${target2.kind} to check`);
  const applier = await openApplier(options.checkout);
  try {
    const selected = selectLeaves(run3, new Set(options.statuses));
    const patches = await readPatches(applier, selected);
    if (target2.kind === "worktree") await applier.track([...new Set([...patches.paths.values()].flat())]);
    const { rows, ship } = await applyEach(selected, patches, target2.kind === "worktree" ? applier : void 0, options.check);
    if (ship.length > 0) {
      const shipOptions = {
        top: applier.top,
        runId: run3.runId,
        template: options.commitMessage ?? commitTemplate(run3.runDirs),
        contents: (leaf, name) => keyContents(options.checkout, applier.top, leaf, name),
        identity: options.identity
      };
      const leaves = ship.map((s) => s.leaf);
      const results = target2.kind === "branch" ? await branchLeaves(leaves, target2.prefix, shipOptions) : await commitLeaves(leaves, shipOptions);
      results.forEach((result, i) => {
        const at = ship[i].at;
        rows[at] = { ...rows[at], ...shipRow(result) };
      });
    }
    return rows;
  } finally {
    applier.close();
  }
}
async function openApplier(checkout) {
  try {
    return await PatchApplier.open(checkout);
  } catch (error) {
    if (error instanceof GitError)
      throw new UsageError(`${checkout}: not a git checkout with a commit, so there is nothing to apply the patches to (${error.message})`);
    throw error;
  }
}
function selectLeaves(run3, wanted) {
  const selected = [];
  const base = run3.treesFrom;
  for (const leaf of run3.leaves) {
    if (isNotStarted(leaf) || !wanted.has(leaf.status)) continue;
    let patch;
    for (const dir of leaf.tree !== void 0 && base !== void 0 ? [join39(base, leaf.tree)] : run3.runDirs) {
      const found = lastPatch(dir, leaf.steps);
      if (found) {
        patch = { ...found, file: join39(dir, found.path) };
        break;
      }
    }
    selected.push({ leaf, patch });
  }
  return selected;
}
async function readPatches(applier, selected) {
  const paths = /* @__PURE__ */ new Map();
  const unreadable = /* @__PURE__ */ new Map();
  for (const { patch } of selected) {
    if (patch === void 0 || patch.text.trim() === "" || paths.has(patch.file) || unreadable.has(patch.file)) continue;
    try {
      paths.set(patch.file, await patchPaths(applier.top, patch.file));
    } catch (error) {
      if (!(error instanceof GitError)) throw error;
      unreadable.set(patch.file, `${patch.path} is not a patch git can read (${error.message})`);
    }
  }
  return { paths, unreadable };
}
async function applyEach(selected, { paths, unreadable }, worktree, check) {
  const appliedBy = /* @__PURE__ */ new Map();
  const rows = [];
  const ship = [];
  for (const { leaf, patch } of selected) {
    const label = leafLabel(leaf);
    const stat = patch ? parseDiffstat(patch.text) : { files: [], added: 0, removed: 0 };
    const row = { leaf: label, status: leaf.status, keys: leaf.keys, output: leaf.output, patch: patch?.path, ...stat };
    if (patch === void 0) {
      rows.push({ ...row, outcome: "no patch", detail: `no step of this leaf left a ${PATCH_FILE} (run with --isolate worktree)` });
    } else if (patch.text.trim() === "") {
      rows.push({ ...row, outcome: "empty" });
    } else if (unreadable.has(patch.file)) {
      rows.push({ ...row, outcome: "conflict", detail: unreadable.get(patch.file) });
    } else if (appliedBy.has(patch.file)) {
      rows.push({ ...row, outcome: "shared", detail: `the same patch as ${appliedBy.get(patch.file)}` });
    } else if (worktree === void 0) {
      appliedBy.set(patch.file, label);
      ship.push({
        at: rows.length,
        leaf: { label, keys: leaf.keys, output: leaf.output, patch: patch.file, paths: paths.get(patch.file) }
      });
      rows.push({ ...row, outcome: "conflict", detail: "not reached" });
    } else {
      const result = await worktree.apply(patch.file, paths.get(patch.file), !check);
      if (result === void 0) appliedBy.set(patch.file, label);
      rows.push(
        result === void 0 ? { ...row, outcome: "applied" } : result === ALREADY ? { ...row, outcome: "already applied", detail: "its changes are in the working tree already" } : { ...row, outcome: "conflict", detail: result }
      );
    }
  }
  return { rows, ship };
}
function shipRow(result) {
  if (result.outcome === "applied") return { outcome: "applied", commit: result.commit, branch: result.branch, detail: void 0 };
  if (result.outcome === "already applied") return { outcome: "already applied", branch: result.branch, detail: result.detail };
  return { outcome: "conflict", detail: result.detail };
}
function commitTemplate(runDirs) {
  for (const dir of runDirs) {
    try {
      return parseConfigLenient(readInputFile(join39(dir, CONFIG_COPY)).toString("utf8"), join39(dir, CONFIG_COPY)).config.commitMessage;
    } catch {
    }
  }
  return void 0;
}
function keyContents(checkout, top, leaf, name) {
  const path = leaf.keys[name];
  try {
    return readInputFile(resolve11(checkout, path), { confineTo: top }).toString("utf8");
  } catch (error) {
    throw new UsageError(
      `commit_message: {{{${name}}}} of ${leaf.label} is the contents of ${JSON.stringify(path)}, which cannot be read from ${checkout}: ${error.message}. Apply from the directory the run was started in (--workdir), or use {{{${name}:path}}}.`
    );
  }
}

// src/apply/pr-body.ts
var PR_BODY_LIMIT = 65536;
var MESSAGE_CHARS = 1500;
var FILES_SHOWN = 50;
var APPLIED = /* @__PURE__ */ new Set(["applied", "already applied", "shared"]);
function keysLine(row) {
  const keys = Object.entries(row.keys);
  return keys.length === 0 ? "" : keys.map(([name, path]) => `\`${escapeName(name)}\`: ${cell(path, 200)}`).join(", ");
}
function leafSection(row, detail2) {
  const where2 = row.branch !== void 0 ? ` on branch \`${escapeName(row.branch)}\`` : row.commit !== void 0 ? ` as ${row.commit.slice(0, 12)}` : "";
  const lines = [`#### ${escapeName(row.leaf)}: ${row.outcome}${where2}`];
  const keys = keysLine(row);
  if (keys) lines.push("", `Keys: ${keys}`);
  if (row.outcome === "conflict" && row.detail) lines.push("", `Skipped: ${cell(row.detail, 500)}`);
  if (row.files.length > 0) {
    lines.push(
      "",
      `${formatNumber(row.files.length)} ${row.files.length === 1 ? "file" : "files"}, +${formatNumber(row.added)} \u2212${formatNumber(row.removed)}`
    );
    if (detail2.files) {
      lines.push("", "| file | +/\u2212 |", "| --- | --- |");
      for (const file of row.files.slice(0, FILES_SHOWN)) lines.push(`| ${cell(file.path, 200)} | ${counts(file)} |`);
      if (row.files.length > FILES_SHOWN) lines.push(`| \u2026and ${formatNumber(row.files.length - FILES_SHOWN)} more | |`);
    }
  }
  const message2 = (row.output ?? "").trim();
  if (detail2.messages && message2 !== "") {
    const start2 = message2.length > MESSAGE_CHARS ? `${message2.slice(0, MESSAGE_CHARS)}\u2026` : message2;
    lines.push("", "<details><summary>Final message</summary>", "", `<pre>${block(start2)}</pre>`, "", "</details>");
  } else if (message2 !== "") {
    lines.push("", `> ${cell(message2, 200)}`);
  }
  return lines.join("\n");
}
function render(rows, options, detail2, limit) {
  const applied = rows.filter((r) => APPLIED.has(r.outcome));
  const skipped = rows.filter((r) => !APPLIED.has(r.outcome));
  const head = [
    `### orchestrator: ${escapeName(options.runId)}`,
    "",
    `${formatNumber(applied.length)} ${applied.length === 1 ? "leaf" : "leaves"} applied, ${formatNumber(skipped.length)} skipped.`
  ].join("\n");
  let body = head;
  let left = 0;
  for (const [title, group2] of [
    ["Applied", applied],
    ["Skipped", skipped]
  ]) {
    if (group2.length === 0) continue;
    const heading = `

### ${title}`;
    if (body.length + heading.length > limit) {
      left += group2.length;
      continue;
    }
    body += heading;
    for (const row of group2) {
      const section = `

${leafSection(row, detail2)}`;
      if (left > 0 || body.length + section.length > limit - 200) left++;
      else body += section;
    }
  }
  if (left > 0)
    body += `

\u2026and ${formatNumber(left)} more ${left === 1 ? "leaf" : "leaves"}, left out to keep the body under GitHub's limit.`;
  return body + "\n";
}
function prBody(rows, options) {
  const limit = options.limit ?? PR_BODY_LIMIT;
  const levels = [
    { messages: true, files: true },
    { messages: false, files: true },
    { messages: false, files: false }
  ];
  for (const detail2 of levels) {
    const body = render(rows, options, detail2, Infinity);
    if (body.length <= limit) return body;
  }
  return render(rows, options, levels[levels.length - 1], limit);
}

// src/action/constants.ts
var Inputs = {
  Mode: "mode",
  Config: "config",
  Keys: "keys",
  Values: "values",
  Parallel: "parallel",
  Timeout: "timeout",
  Workdir: "workdir",
  AppendFilepath: "append-filepath",
  Shard: "shard",
  Shards: "shards",
  RunId: "run-id",
  Model: "model",
  Api: "api",
  BaseUrl: "base-url",
  OpenaiApiKey: "openai-api-key",
  Offline: "offline",
  Retries: "retries",
  TokenBudget: "token-budget",
  MaxCost: "max-cost",
  FailFast: "fail-fast",
  Cache: "cache",
  Resume: "resume",
  Batch: "batch",
  BatchCancelOnExit: "batch-cancel-on-exit",
  Sandbox: "sandbox",
  Isolate: "isolate",
  Apply: "apply",
  BranchPrefix: "branch-prefix",
  ArtifactName: "artifact-name",
  Upload: "upload",
  Summary: "summary",
  Comment: "comment",
  BaselineRunId: "baseline-run-id",
  FailOnError: "fail-on-error",
  GithubToken: "github-token",
  CodexVersion: "codex-version"
};
var Outputs = {
  RunDir: "run-dir",
  Results: "results",
  Succeeded: "succeeded",
  Failed: "failed",
  InputTokens: "input-tokens",
  OutputTokens: "output-tokens",
  CostUsd: "cost-usd",
  Matrix: "matrix",
  RunId: "run-id",
  FinalMessage: "final-message",
  AfterOutput: "after-output",
  Applied: "applied",
  Conflicts: "conflicts",
  Branches: "branches",
  PrBody: "pr-body"
};

// src/action/apply.ts
var ACTIONS_BOT = { name: "github-actions[bot]", email: "41898282+github-actions[bot]@users.noreply.github.com" };
function outputRow(row) {
  return {
    leaf: row.leaf,
    outcome: row.outcome,
    keys: row.keys,
    files: row.files.map((f) => ({ path: f.path, status: f.status, added: f.added, removed: f.removed })),
    added: row.added,
    removed: row.removed,
    ...row.commit !== void 0 ? { commit: row.commit } : {},
    ...row.branch !== void 0 ? { branch: row.branch } : {},
    ...row.detail !== void 0 && row.outcome !== "applied" ? { detail: row.detail } : {}
  };
}
function target(settings) {
  if (settings.apply === "branch") return { kind: "branch", prefix: settings.branchPrefix };
  return settings.apply === "commit" ? { kind: "commit" } : { kind: "worktree" };
}
async function applyToWorkspace(settings, run3, outputs) {
  const workspace = process.env.GITHUB_WORKSPACE ?? process.cwd();
  const options = {
    checkout: resolve12(workspace, settings.workdir),
    statuses: ["succeeded"],
    check: false,
    target: target(settings),
    identity: ACTIONS_BOT
  };
  const rows = "runDir" in run3 ? await applyRun({ runDir: run3.runDir, commitMessage: run3.commitMessage, ...options }) : await applyLeaves(run3, options);
  const applied = rows.filter((r) => r.outcome === "applied" || r.outcome === "shared" || r.outcome === "already applied");
  const conflicts = rows.filter((r) => r.outcome === "conflict");
  outputs[Outputs.Applied] = JSON.stringify(applied.map(outputRow));
  outputs[Outputs.Conflicts] = JSON.stringify(conflicts.map(outputRow));
  outputs[Outputs.Branches] = JSON.stringify(rows.flatMap((r) => r.branch !== void 0 ? [r.branch] : []));
  const runId = "runDir" in run3 ? outputs[Outputs.RunId] ?? "run" : run3.runId;
  const bodyFile = join40(process.env.RUNNER_TEMP ?? tmpdir3(), `orchestrator-pr-body-${runId}.md`);
  writeFileSync3(bodyFile, prBody(rows, { runId }));
  outputs[Outputs.PrBody] = bodyFile;
  const already = rows.filter((r) => r.outcome === "already applied").length;
  const where2 = settings.apply === "branch" ? "on branches of their own" : settings.apply === "commit" ? "as commits on HEAD" : "to the workspace";
  info(`apply: ${applied.length - already} leaves applied ${where2}, ${already} already applied, ${conflicts.length} conflicting.`);
  if (rows.length > 0 && rows.every((r) => r.outcome === "no patch")) {
    warning("apply is on, but no leaf left a changes.patch: patches are saved only with 'isolate: worktree'.");
  }
  for (const row of conflicts) {
    warning(
      row.files.length > 0 ? `${row.leaf}: its patch conflicts with the workspace and was not applied (${row.files.map((f) => f.path).join(", ")}): ${row.detail ?? ""}` : `${row.leaf}: its patch was not applied: ${row.detail ?? ""}`
    );
  }
  return conflicts.length > 0 ? `${conflicts.length} leaves' patches conflicted with the workspace or could not be applied, and were not applied: ${conflicts.map((r) => r.leaf).join(", ")}` : void 0;
}

// src/action/artifacts.ts
import { readdirSync as readdirSync3 } from "node:fs";
import { join as join41 } from "node:path";

// src/action/records.ts
import { basename as basename2, relative as relative8, sep as sep5 } from "node:path";
var RECORDS_SUFFIX = "-records";
var MERGED = "merged";
var runPrefix = (prefix, runId) => `${prefix}-${runId}-`;
var mergedName = (prefix, runId) => `${runPrefix(prefix, runId)}${MERGED}`;
function runArtifactNames(prefix, runId, shard2) {
  const part = shard2 === void 0 || shard2.count === 1 ? "all" : `shard-${shard2.index}-of-${shard2.count}`;
  const runDir = `${runPrefix(prefix, runId)}${part}`;
  return { runDir, records: `${runDir}${RECORDS_SUFFIX}` };
}
var isRecordPath = (parts) => parts.length === 1 && parts[0].endsWith(".json") || parts.length > 1 && parts[0] === "shards";
var LEAF_RECORDS = /* @__PURE__ */ new Set(["result.json", "not_started.json"]);
var PATCH = "changes.patch";
function recordFiles(runDir, files) {
  const split = files.map((file) => ({ file, parts: relative8(runDir, file).split(sep5) }));
  const hasResults = split.some(({ parts }) => parts.length === 1 && parts[0] === "results.json");
  return split.filter(({ file, parts }) => {
    if (parts[0] === "..") return false;
    if (isRecordPath(parts)) return true;
    const name = basename2(file);
    if (!hasResults && parts.length === 1 && isResultLinesName(name)) return true;
    return name === PATCH || !hasResults && LEAF_RECORDS.has(name);
  }).map(({ file }) => file);
}
var PART = /^(all|shard-([1-9]\d*)-of-([1-9]\d*))$/;
var shardLabel = (part) => part.replace(/^shard-(\d+)-of-(\d+)$/, "$1/$2");
function chooseReportDownloads(prefix, runId, listed2) {
  const start2 = runPrefix(prefix, runId);
  const runDirs = /* @__PURE__ */ new Map();
  const records = /* @__PURE__ */ new Map();
  for (const artifact of listed2) {
    if (!artifact.name.startsWith(start2)) continue;
    const rest = artifact.name.slice(start2.length);
    const isRecords = rest.endsWith(RECORDS_SUFFIX);
    const part = isRecords ? rest.slice(0, -RECORDS_SUFFIX.length) : rest;
    if (!PART.test(part)) continue;
    (isRecords ? records : runDirs).set(part, artifact);
  }
  const parts = [.../* @__PURE__ */ new Set([...runDirs.keys(), ...records.keys()])].sort(byShard);
  const downloads = [];
  const notes = [];
  for (const part of parts) {
    const record = records.get(part);
    const runDir = runDirs.get(part);
    if (record !== void 0) downloads.push({ artifact: record, folder: `${start2}${part}` });
    else if (runDir !== void 0) {
      downloads.push({ artifact: runDir, folder: runDir.name });
      notes.push(
        `shard ${shardLabel(part)} uploaded no ${runDir.name}${RECORDS_SUFFIX}: its whole tree ${runDir.name} was downloaded instead (${runDir.size} bytes)`
      );
    }
    if (record !== void 0 && runDir === void 0)
      notes.push(
        `shard ${shardLabel(part)}: its records ${record.name} are here but its tree ${record.name.slice(0, -RECORDS_SUFFIX.length)} is gone, so its leaves' files (prompts, outputs) cannot be downloaded`
      );
  }
  const sum = (list2) => [...list2].reduce((total, a) => total + a.size, 0);
  const runDirArtifacts = new Map(parts.flatMap((part) => runDirs.has(part) ? [[part, runDirs.get(part).name]] : []));
  return {
    downloads,
    allBytes: sum(runDirs.values()) + sum(records.values()),
    downloadedBytes: sum(downloads.map((d) => d.artifact)),
    runDirArtifacts,
    notes
  };
}
function byShard(a, b) {
  const index = (part) => Number(PART.exec(part)?.[2] ?? 0);
  return index(a) - index(b) || a.localeCompare(b);
}

// src/action/artifacts.ts
async function artifactClient() {
  const { DefaultArtifactClient } = await import("./artifact-Q57OVXAB.js");
  return new DefaultArtifactClient();
}
async function notFound(error, message2) {
  const { ArtifactNotFoundError } = await import("./artifact-Q57OVXAB.js");
  return error instanceof ArtifactNotFoundError || message2.test(String(error));
}
function listFiles(dir) {
  const files = [];
  for (const entry2 of readdirSync3(dir, { withFileTypes: true })) {
    const path = join41(dir, entry2.name);
    if (entry2.isDirectory()) files.push(...listFiles(path));
    else if (entry2.isFile()) files.push(path);
  }
  return files;
}
function bytes(size) {
  if (size === void 0) return "size unknown";
  return size < 1e6 ? `${(size / 1e3).toFixed(1)} kB` : `${(size / 1e6).toFixed(1)} MB`;
}
async function upload(client, name, files, outputDir) {
  await deleteIfPresent(client, name);
  const response = await client.uploadArtifact(name, files, outputDir, { retentionDays: void 0 });
  return { name, files: files.length, size: response.size };
}
async function uploadRun(client, names, outputDir, runDir) {
  const files = listFiles(runDir);
  await deleteIfPresent(client, names.records);
  const whole = await upload(client, names.runDir, files, outputDir);
  const records = await upload(client, names.records, recordFiles(runDir, files), outputDir);
  return { runDir: whole, records };
}
function uploadMerged(client, name, outputDir, mergedDir) {
  return upload(client, name, listFiles(mergedDir), outputDir);
}
async function deleteIfPresent(client, name) {
  try {
    await client.deleteArtifact(name);
    return true;
  } catch (error) {
    if (await notFound(error, /not found|404/i)) return false;
    throw error;
  }
}
async function downloadOwn(client, name, outputDir) {
  let id;
  try {
    id = (await client.getArtifact(name)).artifact.id;
  } catch (error) {
    if (await notFound(error, /not found/i)) return false;
    throw error;
  }
  await client.downloadArtifact(id, { path: outputDir });
  return true;
}

// src/action/codex-install.ts
import { execFileSync as execFileSync3 } from "node:child_process";
import { join as join42 } from "node:path";
function installCodex(version, prefix, env = process.env) {
  execFileSync3("npm", ["install", "--no-audit", "--no-fund", "--prefix", prefix, `@openai/codex@${version}`], {
    stdio: "inherit",
    env: publicEnv(env)
  });
  return join42(prefix, "node_modules", ".bin");
}

// src/action/output.ts
import { lstatSync as lstatSync13, readlinkSync as readlinkSync3 } from "node:fs";
import { resolve as resolve13 } from "node:path";
function outputDirectory(workspace) {
  const path = resolve13(workspace, DEFAULT_OUTPUT);
  let stats;
  try {
    stats = lstatSync13(path);
  } catch {
    return path;
  }
  if (stats.isSymbolicLink()) {
    throw new UsageError(
      `The output directory ${path} is a symbolic link (to ${JSON.stringify(readlinkSync3(path))}), so the run would write wherever it points. A pull request can commit such a link: remove ${DEFAULT_OUTPUT} from the repository (orchestrator creates it) and run again.`
    );
  }
  if (!stats.isDirectory()) {
    throw new UsageError(
      `The output directory ${path} is a file, not a directory: remove ${DEFAULT_OUTPUT} from the repository (orchestrator creates it).`
    );
  }
  return path;
}

// src/action/report.ts
import { existsSync as existsSync10, mkdirSync as mkdirSync4, rmSync as rmSync11 } from "node:fs";
import { join as join47 } from "node:path";

// src/engine/after-report.ts
import { lstatSync as lstatSync15 } from "node:fs";
import { join as join44, resolve as resolve15 } from "node:path";

// src/engine/after-config.ts
import { lstatSync as lstatSync14 } from "node:fs";
import { join as join43, resolve as resolve14 } from "node:path";
function configCopies(dirs) {
  const texts = /* @__PURE__ */ new Map();
  for (const dir of new Set(dirs)) {
    const path = join43(dir, CONFIG_COPY);
    if (lstatSync14(path, { throwIfNoEntry: false }) === void 0) continue;
    try {
      texts.set(path, readTreeFile(path).toString("utf8"));
    } catch (error) {
      return `${path} cannot be read (${errorMessage(error)})`;
    }
  }
  return texts;
}
function recordFile(dir, record) {
  const own = join43(dir, shardRecordPath(record.shard));
  return lstatSync14(own, { throwIfNoEntry: false }) === void 0 ? join43(dir, "run.json") : own;
}
function listsAfterSteps(text2) {
  try {
    const json = JSON.parse(text2);
    return Array.isArray(json) ? false : !isObject(json) || (Array.isArray(json.after) ? json.after.length > 0 : json.after !== void 0);
  } catch {
    return true;
  }
}
function afterConfig(context) {
  const copies = configCopies(context.shards.shardRecordDirs);
  if (typeof copies === "string") return copies;
  if (context.configFile === void 0) {
    for (const [path, text3] of copies)
      if (listsAfterSteps(text3))
        return `${path} lists after steps, and report runs after steps only from a config it is given: pass ${context.configOption} (a run directory is data the run's steps could rewrite)`;
    return void 0;
  }
  const shown = context.configFile;
  const read = tryReadInputFile(resolve14(context.baseDir, shown), { confineTo: context.confineTo });
  if ("problem" in read) return inputFileMessage("the config file", shown, read.problem);
  const text2 = read.bytes.toString("utf8");
  let config;
  try {
    config = parseConfig(text2, shown);
  } catch (error) {
    return error instanceof UsageError ? error.problems.join("; ") : errorMessage(error);
  }
  const { shardRecords, shardRecordDirs } = context.shards;
  for (const [i, record] of shardRecords.entries()) {
    const full = record.config.full_hash;
    if (record.config.hash !== config.hash || full !== void 0 && full !== config.fullHash) {
      return `${shown} is not the config the shards ran (its steps, after steps, setup or prices differ from the hash in ${recordFile(shardRecordDirs[i], record)}): restore it, or re-run the shards with this config (--resume reuses their flows)`;
    }
  }
  for (const [path, copy] of copies) {
    let same;
    try {
      same = parseConfig(copy, path).fullHash === config.fullHash;
    } catch {
      same = false;
    }
    if (!same)
      return `${path} is not the config you passed (${shown}): a step of the run may have rewritten it, so the run's results are suspect too; re-run the shards, or remove that copy if you know why it changed`;
  }
  return { config, text: text2 };
}

// src/engine/after-report.ts
async function runAfterForReport(context, leaves) {
  const found = afterConfig(context);
  const failed = (error) => afterNotRun(error, "failed");
  if (typeof found === "string") return failed(`after steps not run: ${found}`);
  if (found === void 0 || found.config.after.length === 0) return null;
  const { config } = found;
  const { sources, problems } = loadAfterSources(config, { base: context.baseDir, rules: { confineTo: context.confineTo } });
  if (problems.length > 0) return failed(`after steps not run: ${problems.join("; ")}`);
  const options = afterOptions(context.settings, context.env);
  const needs = afterNeeds(config, options, context);
  if (typeof needs === "string") return failed(`after steps not run: ${needs}`);
  const files = new TreeWriter(
    redactorFor(options.env, { apiKey: needs.apiKey, baseUrl: { value: options.baseUrl, name: "--base-url" } }),
    context.runDir
  );
  keepConfigCopy(files, context.runDir, found.text);
  const runners = makeRunners({
    options: { ...options, resume: false },
    runId: context.runId,
    runDir: context.runDir,
    config: { steps: [], after: config.after },
    ...needs
  });
  const worktrees = new WorktreeSession({
    workdir: resolve15(context.baseDir, options.workdir),
    isolate: options.isolate,
    runId: context.runId,
    env: options.env,
    setup: config.setup,
    timeoutMs: options.timeoutS * 1e3,
    signal: context.signal,
    files
  });
  try {
    const { result } = await runAfter(
      {
        steps: config.after,
        sources,
        runDir: context.runDir,
        options,
        prices: withOverrides(config.prices),
        runners,
        files,
        worktrees,
        signal: context.signal,
        stopReason: () => context.signal.aborted ? "interrupted" : void 0,
        used: NO_USAGE,
        // a long output is cut in the shards' results.json: the listing gives the whole one
        outputOf: (leaf) => wholeOutput(leaf, context.runDir)
      },
      leaves
    );
    return result;
  } finally {
    await Promise.all([worktrees.removeAll(), ...Object.values(runners).map((runner) => runner.close?.())]);
    endRunCgroup();
    killTagged();
  }
}
function afterOptions(s, env) {
  return {
    offline: s.offline ?? false,
    timeoutS: s.timeoutS ?? DEFAULT_TIMEOUT_S,
    retries: s.retries ?? DEFAULT_RETRIES,
    tokenBudget: s.tokenBudget,
    maxCost: s.maxCost,
    model: s.model,
    api: s.api,
    sandbox: s.sandbox,
    baseUrl: s.baseUrl,
    workdir: s.workdir ?? ".",
    isolate: s.isolate,
    env
  };
}
function afterNeeds(config, options, context) {
  const { env } = options;
  const apiKey = env.OPENAI_API_KEY || env.CODEX_API_KEY || void 0;
  const online = !options.offline;
  if (online && apiKey === void 0 && config.after.some((s) => s.kind === "openai"))
    return "OPENAI_API_KEY is not set, and the after steps call a model (set it, or report with --offline)";
  if (!online || !config.after.some((s) => s.kind === "codex")) return { apiKey, codexPath: void 0 };
  const codexPath = findExecutable(context.settings.codexPath ?? "codex", env, context.baseDir);
  return codexPath === void 0 ? "they have codex steps, and no codex is on PATH (or --codex-path)" : { apiKey, codexPath };
}
function keepConfigCopy(files, runDir, text2) {
  try {
    if (lstatSync15(join44(runDir, CONFIG_COPY), { throwIfNoEntry: false }) === void 0) files.write(join44(runDir, CONFIG_COPY), text2);
  } catch {
  }
}

// src/report/merge-copy.ts
import { join as join45 } from "node:path";
function copyMergedRecords(run3, destination) {
  makeDirectories(destination);
  const tree = new SafeTree(destination);
  const skipped = [];
  const dirs = [...new Set(run3.shardRecordDirs)].filter((dir) => dir !== destination);
  if (dirs.length > 0 && !tree.copyFile(join45(dirs[0], "run.json"), join45(destination, "run.json"))) skipped.push("run.json");
  for (const dir of dirs) {
    const shards = OpenDir.under(dir, "shards");
    if (shards === void 0) continue;
    try {
      tree.dir(join45(destination, "shards"));
      for (const { name } of shards.entries().filter((entry2) => SHARD_RECORD.test(entry2.name)))
        if (!tree.copyFile(shards.entry(name), join45(destination, "shards", name))) skipped.push(`shards/${name}`);
    } finally {
      shards.close();
    }
  }
}

// src/report/comment.ts
var COMMENT_LIMIT = 65536 - 1024;
var AFTER_LIMIT2 = 32e3;
var STATUS3 = { succeeded: "\u2705", failed: "\u274C", cancelled: "\u23F9\uFE0F" };
function commentMarker(workflow, job, config) {
  const clean = (text2) => text2.replace(/[%=<>\r\n]|-(?=-)/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, "0")}`);
  return `<!-- orchestrator-report workflow=${clean(workflow)} job=${clean(job)} config=${clean(config)} -->`;
}
function summaryLine(leaf) {
  const name = leafName(leaf);
  const keys = Object.values(leaf.keys).map((path) => cell(path, 60)).join(", ");
  const changes2 = changesTotal(leaf.changes);
  return `${STATUS3[leaf.status]} <b>${name}</b>${keys ? ` \xB7 ${keys}` : ""}${changes2 ? ` \xB7 ${changes2}` : ""}`;
}
function detail(leaf, max) {
  const text2 = leaf.status === "succeeded" ? leaf.output ?? "" : leaf.error ?? leaf.status;
  const whole = leaf.status === "succeeded" && leaf.output_cut ? Math.max(leaf.output_cut.chars, text2.length) : text2.length;
  const shown = Math.min(max, text2.length);
  const cut3 = whole > shown ? `${text2.slice(0, shown)}
\u2026(${whole - shown} more characters in the artifact)` : text2;
  return block(cut3.trimEnd());
}
function diffstat(leaf, max) {
  if (!leaf.changes || leaf.changes.files.length === 0) return "";
  const files = max === Infinity ? 50 : Math.max(3, Math.round(max / 150));
  return `<pre>${diffstatBlock(leaf.changes, files)}</pre>

`;
}
function checksHead(tally) {
  const section = checksMarkdown(tally, "####", 10);
  return section === "" ? [] : ["", section];
}
function renderComment(input) {
  const limit = input.limit ?? COMMENT_LIMIT;
  const head = [
    input.marker,
    `### ${escapeMarkdown(input.title)}`,
    "",
    ...input.after ? [afterSection(input.after, AFTER_LIMIT2, "####")] : [],
    totalsLine(input.totals, input.durationMs),
    "",
    ...input.baseline ? [...baselineLines(input.baseline), ""] : [],
    ...(input.notes ?? []).map((n) => `> ${n}`),
    // how a prompt change is judged on a PR: the checks lead, before the results
    ...checksHead(input.checks ?? tallyChecks(input.leaves))
  ].join("\n");
  const foot = input.footer ? `

${input.footer}` : "";
  const more = (omitted) => omitted > 0 ? `

_\u2026and ${omitted} more results not shown: see the job summary and the artifact._` : "";
  for (const max of [Infinity, 4e3, 1500, 500, 150]) {
    const rows = input.leaves.map(
      (leaf) => `<details><summary>${summaryLine(leaf)}</summary>

${diffstat(leaf, max)}<pre>${detail(leaf, max)}</pre>
</details>`
    );
    const body = `${head}

${rows.join("\n")}${more(input.unlisted ?? 0)}${foot}
`;
    if (body.length <= limit) return body;
  }
  const lines = [];
  let size = head.length + foot.length + 200;
  for (const leaf of input.leaves) {
    const line = `- ${summaryLine(leaf)}`;
    if (size + line.length + 1 > limit) break;
    lines.push(line);
    size += line.length + 1;
  }
  return `${head}

${lines.join("\n")}${more(input.leaves.length - lines.length + (input.unlisted ?? 0))}${foot}
`;
}

// src/report/merged.ts
import { join as join46, parse } from "node:path";
async function reportMerged(run3, target2, options = {}) {
  const header2 = { run_id: run3.runId, shard: { index: 1, count: 1 }, flows_total: run3.total, after: options.after ?? null };
  const resultsPath = target2 === void 0 ? void 0 : join46(target2.dir, "results.json");
  const treesFrom = target2 === void 0 || target2.holdsTrees ? void 0 : target2.dir;
  const trees = /* @__PURE__ */ new Map();
  const totals2 = resultsPath === void 0 ? countLeaves(mergedLeaves(run3), run3.total) : await writeResults(resultsPath, header2, mergedLeaves(run3, { treesFrom, trees }));
  let written;
  const leaves = () => resultsPath === void 0 ? mergedLeaves(run3) : readResultsItems(written ??= openResultsFile(resultsPath), { total: run3.total, from: 0, to: run3.total });
  const title = `orchestrator: ${run3.runId}${run3.shardCount > 1 ? ` (${run3.shardCount} shards)` : ""}`;
  const notes = mergeNotes(run3);
  const baseline = options.baseline && compareWith(options.baseline, run3, target2 === void 0 ? void 0 : target2.dir, leaves);
  const { after } = options;
  const summary2 = renderSummary({ title, totals: totals2, durationMs: run3.durationMs, leaves: leaves(), notes, after, baseline });
  let htmlPath;
  if (target2 !== void 0) {
    htmlPath = writeReportHtml(target2.dir, { title, totals: totals2, durationMs: run3.durationMs, leaves: leaves(), after, baseline }, trees);
  }
  return { title, totals: totals2, notes, summary: summary2, resultsPath, htmlPath, baseline, after: after ?? null, leaves };
}
function compareWith(baseline, run3, targetDir, leaves) {
  const root = parse(process.cwd()).root;
  const fromRoot = (leaf) => wholeOutput(leaf, root);
  return new BaselineComparison(
    baseline.runId,
    () => mergedLeaves(baseline, { treesFrom: root }),
    targetDir === void 0 ? mergedLeaves(run3, { treesFrom: root }) : leaves(),
    { baseline: fromRoot, current: targetDir === void 0 ? fromRoot : (leaf) => wholeOutput(leaf, targetDir) }
  );
}

// src/action/baseline.ts
import { mkdirSync as mkdirSync3, rmSync as rmSync10 } from "node:fs";
async function downloadBaseline(client, settings, env, into) {
  const id = settings.baselineRunId;
  if (!settings.githubToken)
    throw new UsageError(
      `The input '${Inputs.BaselineRunId}' is set (${id}), but '${Inputs.GithubToken}' is empty: another workflow run's artifacts are read through the GitHub API with a token that has 'actions: read'.`
    );
  const [owner, repo] = (env.GITHUB_REPOSITORY ?? "").split("/");
  if (!owner || !repo)
    throw new UsageError(
      `The input '${Inputs.BaselineRunId}' is set, but GITHUB_REPOSITORY (owner/name) is not: run this on GitHub Actions.`
    );
  await refuseForks(settings.githubToken, owner, repo, id);
  const findBy = { token: settings.githubToken, workflowRunId: id, repositoryOwner: owner, repositoryName: repo };
  let names;
  try {
    names = (await client.listArtifacts({ latest: true, findBy })).artifacts;
  } catch (error) {
    throw new UsageError(
      `The input '${Inputs.BaselineRunId}' is ${id}, but the artifacts of workflow run ${id} in ${owner}/${repo} could not be listed (${errorMessage(error)}): check the run id and that '${Inputs.GithubToken}' has 'actions: read'.`
    );
  }
  const prefix = `${settings.artifactName}-`;
  const ofKind = (suffix) => names.filter((a) => a.name.startsWith(prefix) && a.name.endsWith(suffix));
  const merged = ofKind("-merged");
  const candidates = merged.length > 0 ? merged : ofKind("-all");
  const chosen = candidates.length === 1 ? candidates[0] : candidates.find((a) => a.name === `${prefix}run_gh${id}-merged`);
  if (chosen === void 0) {
    const found = names.map((a) => JSON.stringify(a.name)).join(", ") || "none";
    throw new UsageError(
      candidates.length === 0 ? `The input '${Inputs.BaselineRunId}' is ${id}, but workflow run ${id} has no artifact named ${prefix}<run id>-merged (or -all): it found ${found}. Pick a run whose report (or unsharded run) job uploaded its results, with the same 'artifact-name'.` : `The input '${Inputs.BaselineRunId}' is ${id}, but workflow run ${id} has several merged artifacts (${found}) and none is ${prefix}run_gh${id}-merged: give each report its own 'artifact-name'.`
    );
  }
  rmSync10(into, { recursive: true, force: true });
  mkdirSync3(into, { recursive: true });
  await client.downloadArtifact(chosen.id, { path: into, findBy });
  info(`Downloaded the baseline ${chosen.name} from workflow run ${id}`);
  return loadBaseline(into);
}
async function refuseForks(token, owner, repo, id) {
  let head;
  try {
    const github = await import("./github-UZISHYBK.js");
    const { data } = await github.getOctokit(token).rest.actions.getWorkflowRun({ owner, repo, run_id: id });
    head = data.head_repository?.full_name;
  } catch (error) {
    throw new UsageError(
      `The input '${Inputs.BaselineRunId}' is ${id}, but workflow run ${id} of ${owner}/${repo} could not be read (${errorMessage(error)}): check the run id and that '${Inputs.GithubToken}' has 'actions: read'.`
    );
  }
  if (head?.toLowerCase() !== `${owner}/${repo}`.toLowerCase()) {
    throw new UsageError(
      `The input '${Inputs.BaselineRunId}' is ${id}, but workflow run ${id} ran the code of ${head === void 0 ? "a deleted repository" : `'${head}'`}, not of ${owner}/${repo} (a pull request from a fork): its artifacts were written by that code and are not trusted as a baseline. Pick a run of a branch of ${owner}/${repo}, e.g. the latest run on the default branch.`
    );
  }
}

// src/action/comment.ts
var ACTIONS_BOT2 = "github-actions[bot]";
function pullRequestNumber({ payload }) {
  return payload.pull_request?.number ?? (payload.issue?.pull_request ? payload.issue.number : void 0);
}
var httpStatus = (error) => error.status;
async function tokenLogin(octokit) {
  try {
    const { data } = await octokit.rest.users.getAuthenticated();
    if (typeof data.login === "string" && data.login !== "") return data.login;
  } catch (error) {
    const status = httpStatus(error);
    if (status !== 401 && status !== 403 && status !== 404) throw error;
  }
  try {
    const data = await octokit.graphql("query { viewer { login } }");
    const login = data.viewer?.login;
    if (typeof login === "string" && login !== "") return login;
  } catch {
  }
  return ACTIONS_BOT2;
}
function writtenBy(user, login) {
  if (!user || typeof user.login !== "string") return false;
  const author = user.login.toLowerCase();
  const wanted = login.toLowerCase();
  if (author === wanted) return true;
  return user.type === "Bot" && !wanted.endsWith("[bot]") && author === `${wanted}[bot]`;
}
async function upsertComment(token, marker, body) {
  const github = await import("./github-UZISHYBK.js");
  const issue_number = pullRequestNumber(github.context);
  if (issue_number === void 0) return { kind: "skipped", reason: "this run is not for a pull request" };
  const octokit = github.getOctokit(token);
  const { owner, repo } = github.context.repo;
  try {
    const login = await tokenLogin(octokit);
    const comments = await octokit.paginate(octokit.rest.issues.listComments, { owner, repo, issue_number, per_page: 100 });
    const ours = comments.find((c) => writtenBy(c.user, login) && c.body?.trimStart().startsWith(marker));
    if (ours) {
      const { data: data2 } = await octokit.rest.issues.updateComment({ owner, repo, comment_id: ours.id, body });
      return { kind: "updated", url: data2.html_url };
    }
    const { data } = await octokit.rest.issues.createComment({ owner, repo, issue_number, body });
    return { kind: "created", url: data.html_url };
  } catch (error) {
    const status = httpStatus(error);
    if (status === 403 || status === 401 || status === 404) {
      return {
        kind: "forbidden",
        reason: `the token cannot comment on pull request #${issue_number} (HTTP ${status}): give the job \`permissions: pull-requests: write\`; on a pull request from a fork the token is read-only, so the results are only in the job summary`
      };
    }
    throw error;
  }
}

// src/action/report.ts
var COMMENT_LEAVES = 2e3;
async function reportMode(settings, runId, outputs) {
  const env = process.env;
  if (!env.ACTIONS_RUNTIME_TOKEN)
    throw new UsageError(
      "mode 'report' downloads the shards' artifacts, but there is no artifact service here (ACTIONS_RUNTIME_TOKEN is not set)."
    );
  const workspace = env.GITHUB_WORKSPACE ?? process.cwd();
  const client = await artifactClient();
  const merged = mergedName(settings.artifactName, runId);
  const { chosen, merging } = await downloadShards(client, settings, runId, workspace);
  const { run: run3, runDir } = merging;
  const { notes, summary: summary2 } = merging.report;
  for (const note2 of notes) warning(note2);
  setReportOutputs(merging, outputs);
  if (settings.summary) {
    await summary.addRaw(summary2 + reportHtmlLine(run3.runId, settings.upload ? merged : void 0, runDir) + runDirsLine(chosen.runDirArtifacts)).write();
  }
  if (settings.upload) {
    const uploaded = await uploadMerged(client, merged, merging.outputDir, runDir);
    info(`Uploaded the merged results (${uploaded.files} files, ${bytes(uploaded.size)}) as ${merged}.`);
  }
  if (settings.comment) {
    if (!settings.githubToken) warning("comment: true, but the input 'github-token' is empty: no comment was written.");
    else await commentOnPullRequest(settings.githubToken, settings.config, merging, merged);
  }
  const conflicts = settings.apply !== "off" ? await applyToWorkspace(
    settings,
    { runId: run3.runId, leaves: merging.report.leaves(), treesFrom: runDir, runDirs: run3.runDirs },
    outputs
  ) : void 0;
  if (settings.failOnError) failOnProblems(merging, conflicts);
}
async function downloadShards(client, settings, runId, workspace) {
  const { artifacts } = await client.listArtifacts({ latest: true });
  const chosen = chooseReportDownloads(settings.artifactName, runId, artifacts);
  if (chosen.downloads.length === 0) {
    throw new UsageError(
      `No artifact named ${runPrefix(settings.artifactName, runId)}* in this workflow run: the run jobs uploaded nothing, or used another 'artifact-name' or 'run-id' (this job looked for run id ${runId}).`
    );
  }
  const outputDir = outputDirectory(workspace);
  if (await excludeFromGit(outputDir)) info(`${outputDir} is kept out of git by the repository's info/exclude.`);
  const madeOutput = !existsSync10(outputDir);
  const downloads = join47(outputDir, `${runId}-shards`);
  const temp = join47(process.env.RUNNER_TEMP ?? join47(workspace, ".orchestrator"), "orchestrator-report");
  try {
    const merging = await downloadAndMerge(client, settings, chosen, downloads, outputDir, join47(temp, `${runId}-baseline`), workspace);
    return { chosen, merging };
  } catch (error) {
    rmSync11(madeOutput ? outputDir : downloads, { recursive: true, force: true });
    throw error;
  }
}
function setReportOutputs({ run: run3, runDir, report }, outputs) {
  const { totals: totals2, after } = report;
  outputs[Outputs.RunId] = run3.runId;
  outputs[Outputs.RunDir] = runDir;
  outputs[Outputs.Results] = join47(runDir, "results.json");
  outputs[Outputs.Succeeded] = String(totals2.succeeded);
  outputs[Outputs.Failed] = String(totals2.failed);
  outputs[Outputs.InputTokens] = String(totals2.usage.input_tokens);
  outputs[Outputs.OutputTokens] = String(totals2.usage.output_tokens);
  outputs[Outputs.CostUsd] = usdDecimal(totals2.usage.cost_usd === void 0 ? 0 : totals2.usage.cost_usd);
  outputs[Outputs.AfterOutput] = after?.output ?? "";
  if (totals2.total === 1) {
    for (const leaf of report.leaves()) if (!isNotStarted(leaf)) outputs[Outputs.FinalMessage] = wholeOutput(leaf, runDir) ?? "";
  }
}
async function commentOnPullRequest(token, configInput, merging, merged) {
  const env = process.env;
  const { run: run3 } = merging;
  const { title, totals: totals2, notes, after, baseline } = merging.report;
  const leaves = [];
  let unlisted = 0;
  const checks = new CheckTally();
  for (const leaf of merging.report.leaves()) {
    checks.add(leaf);
    if (isNotStarted(leaf)) unlisted += leaf.count;
    else if (leaves.length < COMMENT_LEAVES) leaves.push(leaf);
    else unlisted++;
  }
  const config = configInput ?? run3.shardRecords[0]?.config.file ?? "config";
  const marker = commentMarker(env.GITHUB_WORKFLOW ?? "workflow", env.GITHUB_JOB ?? "job", config);
  const link = env.GITHUB_SERVER_URL && env.GITHUB_REPOSITORY && env.GITHUB_RUN_ID ? `[Workflow run](${env.GITHUB_SERVER_URL}/${env.GITHUB_REPOSITORY}/actions/runs/${env.GITHUB_RUN_ID}) \xB7 artifact \`${merged}\`` : void 0;
  const body = renderComment({
    marker,
    title,
    totals: totals2,
    durationMs: run3.durationMs,
    leaves,
    unlisted,
    checks,
    notes,
    footer: link,
    after,
    baseline
  });
  const outcome = await upsertComment(token, marker, body);
  if (outcome.kind === "forbidden") warning(outcome.reason);
  else if (outcome.kind === "skipped") info(`No comment: ${outcome.reason}.`);
  else info(`Comment ${outcome.kind}: ${outcome.url}`);
}
function failOnProblems({ run: run3, report }, conflicts) {
  const { totals: totals2, after } = report;
  const problems = totals2.failed + totals2.cancelled + run3.missingShards.length;
  const afterFailed = after !== null && after !== void 0 && after.status !== "succeeded" ? afterProblem(after) : "";
  if (problems === 0 && conflicts === void 0 && afterFailed === "") return;
  const missing = run3.missingShards.length > 0 ? `; ${run3.missingShards.length} shards missing` : "";
  const results = problems > 0 ? `${totals2.failed} failed and ${totals2.cancelled} cancelled of ${totals2.total} results${missing}: see the job summary` : "";
  setFailed([results, afterFailed, conflicts ?? ""].filter(Boolean).join("; "));
}
var afterProblem = (after) => `the after steps ${after.status === "failed" ? "failed" : "were cancelled"}: ${after.error ?? ""}`;
async function afterSteps2(settings, run3, runDir, workspace) {
  const stop = stopOnSignals((signal) => warning(`${signal}: stopping the after steps.`));
  try {
    return await runAfterForReport(
      {
        runId: run3.runId,
        runDir,
        shards: run3,
        configFile: settings.config,
        configOption: "the input 'config' (the config file the shards ran, in this job's checkout)",
        baseDir: workspace,
        confineTo: workspace,
        settings: {
          offline: settings.offline,
          timeoutS: settings.timeoutS,
          retries: settings.retries,
          model: settings.model,
          api: settings.api,
          baseUrl: settings.baseUrl,
          workdir: settings.workdir,
          tokenBudget: settings.tokenBudget,
          maxCost: settings.maxCost,
          sandbox: settings.sandbox,
          isolate: settings.isolate
        },
        env: { ...process.env, OPENAI_API_KEY: settings.apiKey },
        signal: stop.signal
      },
      mergedLeaves(run3, { treesFrom: runDir })
    );
  } finally {
    stop.dispose();
  }
}
function runDirsLine(runDirArtifacts) {
  const names = [...runDirArtifacts.values()];
  if (names.length === 0) return "";
  const shown = names.length <= 3 ? names.map((n) => escapeName(n)).join(", ") : `${escapeName(names[0])} \u2026 ${escapeName(names.at(-1))}`;
  return `
Each leaf's files (prompts, outputs, patches) are in its shard's artifact: ${shown}.
`;
}
async function downloadAndMerge(client, settings, chosen, downloads, outputDir, baselineDir, workspace) {
  rmSync11(downloads, { recursive: true, force: true });
  for (const { artifact, folder } of chosen.downloads) {
    const path = join47(downloads, folder);
    mkdirSync4(path, { recursive: true });
    await client.downloadArtifact(artifact.id, { path });
    info(`Downloaded ${artifact.name} (${bytes(artifact.size)})`);
  }
  const share = chosen.allBytes > 0 ? ` (${(100 * chosen.downloadedBytes / chosen.allBytes).toFixed(1)} %)` : "";
  info(
    `Downloaded ${bytes(chosen.downloadedBytes)}${share} of the ${bytes(chosen.allBytes)} this run's shard artifacts hold: the records, not the trees.`
  );
  for (const note2 of chosen.notes) warning(note2);
  const baselineRunId = settings.baselineRunId;
  const baselineRun = baselineRunId === void 0 ? void 0 : await downloadBaseline(client, { ...settings, baselineRunId }, process.env, baselineDir);
  const run3 = loadMergedRun([downloads]);
  const runDir = join47(outputDir, run3.runId);
  copyMergedRecords(run3, runDir);
  const after = await afterSteps2(settings, run3, runDir, workspace);
  const report = await reportMerged(run3, { dir: runDir, holdsTrees: false }, { baseline: baselineRun, after });
  return { run: run3, outputDir, runDir, report };
}

// src/action/cache-keys.ts
function cacheKeys(at) {
  const base = `${at.prefix}-cache-v1-`;
  const config = `${base}${at.configHash.slice(0, 16)}-`;
  const shard2 = `${config}${at.shard.count > 1 ? `${at.shard.index}-of-${at.shard.count}` : "all"}-`;
  return { key: `${shard2}${at.runId}-${at.attempt}`, restoreKeys: [shard2, config, base] };
}

// src/action/response-cache.ts
async function restoreResponses(dir, keys) {
  const cache = await import("./cache-XZXPNWIT.js");
  if (!cache.isFeatureAvailable()) {
    warning(
      "The input 'cache' is true, but the Actions cache service is not available here (ACTIONS_RESULTS_URL is not set): replies are cached for this job only."
    );
    return;
  }
  try {
    const matched = await cache.restoreCache([dir], keys.key, [...keys.restoreKeys]);
    info(matched === void 0 ? `No response cache to restore (key ${keys.key}).` : `Restored the response cache from ${matched}.`);
  } catch (error) {
    warning(`Could not restore the response cache: ${errorMessage(error)}. The run goes on without it.`);
  }
}
async function saveResponses(dir, keys, added) {
  if (added === 0) {
    info("The response cache gained no reply: not saved.");
    return;
  }
  const cache = await import("./cache-XZXPNWIT.js");
  if (!cache.isFeatureAvailable()) return;
  try {
    const id = await cache.saveCache([dir], keys.key);
    if (id !== -1) info(`Saved the response cache (${added} new replies) as ${keys.key}.`);
  } catch (error) {
    warning(`Could not save the response cache: ${errorMessage(error)}.`);
  }
}

// src/options/inputs.ts
function readInputs(read) {
  const values = defaultValues();
  const given = /* @__PURE__ */ new Set();
  const joining = [];
  for (const [key, spec] of optionEntries()) {
    const input = spec.input;
    if (input === void 0) continue;
    const raw = read(input.name);
    if (spec.list) {
      const lines = raw.split("\n").map((line) => line.trim()).filter((line) => line !== "" && !line.startsWith("#"));
      const items = lines.map(
        (line) => parseInput(spec, line, `The input '${input.name}' has a line ${JSON.stringify(line)}`, "Write one per line.")
      );
      if (spec.joins === void 0) values[key] = items;
      else joining.push({ into: spec.joins, items });
      if (lines.length > 0) given.add(key);
      continue;
    }
    const text2 = raw.trim();
    if (text2 === "") {
      values[key] = "default" in input ? input.default : spec.default;
      continue;
    }
    values[key] = parseInput(spec, text2, `The input '${input.name}' is ${JSON.stringify(text2)}`);
    given.add(key);
  }
  for (const { into, items } of joining) values[into] = [...values[into], ...items];
  return { values, given };
}
function parseInput(spec, text2, where2, after = "") {
  try {
    return (spec.input?.parse ?? spec.parse)(text2);
  } catch (error) {
    if (!(error instanceof BadValue)) throw error;
    const why = "expected" in error.why ? `it must be ${error.why.expected}` : error.why.problem;
    throw new UsageError(`${where2}, but ${why}.${after === "" ? "" : ` ${after}`}`);
  }
}

// src/action/settings.ts
function parseSettings(read, env) {
  const { values: v, given } = readInputs(read);
  const batch = batchSettings(v, given);
  if (v.batchCancelOnExit && batch === void 0) {
    throw new UsageError(`The input '${Inputs.BatchCancelOnExit}' is true, but 'batch' is false: set 'batch: true', or leave it out.`);
  }
  const common = {
    keys: v.keys,
    parallel: v.parallel,
    timeoutS: v.timeoutS,
    workdir: v.workdir,
    appendFilepath: v.appendFilepath,
    shard: v.shard,
    runId: v.runId,
    model: v.model,
    api: v.api,
    baseUrl: v.baseUrl,
    apiKey: v.apiKey ?? (env.OPENAI_API_KEY || void 0),
    offline: v.offline,
    retries: v.retries,
    tokenBudget: v.tokenBudget,
    maxCost: v.maxCost,
    failFast: v.failFast,
    cache: v.cache,
    resume: v.resume,
    batch,
    sandbox: v.sandbox,
    isolate: v.isolate,
    apply: v.apply,
    branchPrefix: v.branchPrefix,
    artifactName: v.artifactName,
    upload: v.upload,
    summary: v.summary,
    comment: v.comment,
    failOnError: v.failOnError,
    githubToken: v.githubToken ?? (env.GITHUB_TOKEN || void 0),
    codexVersion: v.codexVersion
  };
  const { mode, config, shards, baselineRunId } = v;
  if (mode === "report") return { ...common, mode, config, baselineRunId };
  if (baselineRunId !== void 0) {
    throw new UsageError(
      `The input 'baseline-run-id' is set, but mode '${mode}' writes no comparison: set it on the step with mode 'report'.`
    );
  }
  if (config === void 0) {
    throw new UsageError(`The input 'config' is empty, but mode '${mode}' needs it: set it to the path of the config file.`);
  }
  if (mode === "run") return { ...common, mode, config };
  if (common.apply !== "off") {
    throw new UsageError(
      `The input 'apply' is ${common.apply === "worktree" ? "true" : common.apply}, but mode 'plan' runs no flows: set it on the run or report step.`
    );
  }
  if (shards === void 0) {
    throw new UsageError(`The input 'shards' is empty, but mode 'plan' needs it: set it to the number of matrix jobs wanted.`);
  }
  return { ...common, mode, config, shards };
}

// src/action/main.ts
var emptyOutputs = () => ({
  [Outputs.RunDir]: "",
  [Outputs.Results]: "",
  [Outputs.Succeeded]: "0",
  [Outputs.Failed]: "0",
  [Outputs.InputTokens]: "0",
  [Outputs.OutputTokens]: "0",
  [Outputs.CostUsd]: "0",
  [Outputs.Matrix]: "",
  [Outputs.RunId]: "",
  [Outputs.FinalMessage]: "",
  [Outputs.AfterOutput]: "",
  [Outputs.Applied]: "",
  [Outputs.Conflicts]: "",
  [Outputs.Branches]: "",
  [Outputs.PrBody]: ""
});
function defaultRunId(settings, env) {
  if (settings.runId !== void 0) return checkedRunId(`the input '${Inputs.RunId}'`, settings.runId);
  return env.GITHUB_RUN_ID ? `run_gh${env.GITHUB_RUN_ID}` : newRunId(/* @__PURE__ */ new Date());
}
var MISSING_KEY = `The input '${Inputs.OpenaiApiKey}' is empty and OPENAI_API_KEY is not set, but the config has model or codex steps. Pass it with \`openai-api-key: \${{ secrets.OPENAI_API_KEY }}\`. On a pull request from a fork, GitHub gives the workflow no secrets: skip such runs (e.g. \`if: github.event.pull_request.head.repo.full_name == github.repository\`), or set \`offline: true\` to try the config without a key.`;
async function installCodexIfNeeded(settings, workspace) {
  const version = settings.codexVersion;
  if (settings.offline || version === void 0 || findExecutable("codex", process.env, workspace) !== void 0) return;
  const path = resolve16(workspace, settings.config);
  let hasCodex = false;
  try {
    hasCodex = parseConfigLenient(readFileSync6(path, "utf8"), settings.config).config.steps.some((s) => s.kind === "codex");
  } catch {
    return;
  }
  if (!hasCodex) return;
  const bin = await group(
    `Installing @openai/codex@${version}`,
    () => Promise.resolve(installCodex(version, join48(process.env.RUNNER_TEMP ?? workspace, "orchestrator-codex")))
  );
  addPath(bin);
  process.env.PATH = `${bin}${delimiter2}${process.env.PATH ?? ""}`;
}
function responseCache(env) {
  const dir = join48(env.RUNNER_TEMP ?? tmpdir4(), "orchestrator-cache");
  return new ResponseCache(dir, `The input '${Inputs.Cache}' is true, but its directory ${JSON.stringify(dir)}`);
}
async function downloadEarlierAttempt(settings, artifacts, names, outputDir) {
  if (!settings.resume || artifacts === void 0) return false;
  const found = await downloadOwn(artifacts, names.runDir, outputDir);
  if (found) info(`Resuming: downloaded ${names.runDir} from an earlier attempt; flows that succeeded there are not run again.`);
  return found;
}
async function runnersFor(settings, prepared, env) {
  const warn = (text2) => warning(text2);
  if (!settings.cache || settings.offline) return { runners: makeRunners(prepared, warn), save: () => Promise.resolve() };
  const responses = responseCache(env);
  const keys = cacheKeys({
    prefix: settings.artifactName,
    configHash: prepared.config.hash,
    shard: prepared.shard,
    runId: env.GITHUB_RUN_ID ?? prepared.runId,
    attempt: env.GITHUB_RUN_ATTEMPT ?? "1"
  });
  await restoreResponses(responses.dir, keys);
  return {
    runners: withCache(makeRunners(prepared, warn), prepared, responses, warn),
    save: () => saveResponses(responses.dir, keys, responses.written)
  };
}
async function executeRun(prepared, runners, rows) {
  const stop = stopOnSignals((signal) => warning(`${signal}: stopping; running steps are ended and results are written.`));
  const printer = new ProgressPrinter(process.stdout, { tty: false, intervalMs: 1e4 });
  const control = {
    signal: stop.signal,
    onProgress: printer.update,
    onResult: rows ? (result) => rows.add(result) : void 0,
    onWarning: (warning2) => warning(warning2)
  };
  const outcome = await new Run(prepared, control, runners).execute().finally(() => stop.dispose());
  printer.finish();
  return outcome;
}
function setRunOutputs(outcome, outputs) {
  const { totals: totals2 } = outcome;
  outputs[Outputs.Results] = outcome.resultsPath;
  outputs[Outputs.Succeeded] = String(totals2.succeeded);
  outputs[Outputs.Failed] = String(totals2.failed);
  outputs[Outputs.InputTokens] = String(totals2.usage.input_tokens);
  outputs[Outputs.OutputTokens] = String(totals2.usage.output_tokens);
  outputs[Outputs.CostUsd] = usdDecimal(totals2.usage.cost_usd === void 0 ? 0 : totals2.usage.cost_usd);
  outputs[Outputs.FinalMessage] = outcome.onlyOutput ?? "";
  outputs[Outputs.AfterOutput] = outcome.after?.output ?? "";
}
async function uploadRunDirectory(settings, artifacts, names, outputDir, runDir) {
  if (artifacts !== void 0) {
    const { runDir: whole, records } = await uploadRun(artifacts, names, outputDir, runDir);
    info(`Uploaded ${whole.files} files as artifact ${whole.name} (${bytes(whole.size)}).`);
    info(`Uploaded its records for the report job, ${records.files} files, as ${records.name} (${bytes(records.size)}).`);
  } else if (settings.upload) {
    warning("No artifact service here (ACTIONS_RUNTIME_TOKEN is not set): the run directory was not uploaded.");
  }
}
async function writeRunSummary(prepared, outcome, rows, durationMs, artifact) {
  const shard2 = prepared.shard.count > 1 ? ` (shard ${prepared.shard.index}/${prepared.shard.count})` : "";
  const summary2 = renderSummary({
    title: `orchestrator: ${prepared.runId}${shard2}`,
    totals: outcome.totals,
    durationMs,
    rows,
    after: outcome.after
  });
  await summary.addRaw(summary2 + reportHtmlLine(prepared.runId, artifact, prepared.runDir)).write();
}
function runProblems(outcome, conflicts) {
  const { totals: totals2 } = outcome;
  const problems = [];
  if (totals2.failed + totals2.cancelled > 0)
    problems.push(
      `${totals2.failed} failed and ${totals2.cancelled} cancelled of ${totals2.total} results: see the job summary and ${outcome.resultsPath}`
    );
  if (outcome.after !== null && outcome.after.status !== "succeeded") problems.push(afterProblem(outcome.after));
  if (conflicts !== void 0) problems.push(conflicts);
  return problems;
}
async function runMode(settings, outputs) {
  const env = process.env;
  const workspace = env.GITHUB_WORKSPACE ?? process.cwd();
  const runId = defaultRunId(settings, env);
  const outputDir = outputDirectory(workspace);
  if (await excludeFromGit(outputDir)) info(`${outputDir} is kept out of git by the repository's info/exclude.`);
  const names = runArtifactNames(settings.artifactName, runId, settings.shard);
  const artifacts = settings.upload && env.ACTIONS_RUNTIME_TOKEN ? await artifactClient() : void 0;
  await installCodexIfNeeded(settings, workspace);
  const resume = await downloadEarlierAttempt(settings, artifacts, names, outputDir);
  const prepared = prepare(
    runOptions(settings, {
      configFile: settings.config,
      baseDir: workspace,
      outputDir,
      runId,
      resume: resume && existsSync11(join48(outputDir, runId, "run.json")),
      confineTo: workspace,
      missingKeyHint: MISSING_KEY,
      codexNeedsKey: true,
      env: { ...env, OPENAI_API_KEY: settings.apiKey }
    })
  );
  for (const warning2 of prepared.warnings) warning(warning2);
  outputs[Outputs.RunId] = prepared.runId;
  outputs[Outputs.RunDir] = prepared.runDir;
  const { runners, save } = await runnersFor(settings, prepared, env);
  const started = Date.now();
  const rows = new SummaryRows();
  const outcome = await executeRun(prepared, runners, settings.summary ? rows : void 0);
  await save();
  setRunOutputs(outcome, outputs);
  await uploadRunDirectory(settings, artifacts, names, outputDir, prepared.runDir);
  if (settings.summary)
    await writeRunSummary(prepared, outcome, rows, Date.now() - started, artifacts !== void 0 ? names.runDir : void 0);
  const conflicts = settings.apply !== "off" ? await applyToWorkspace(settings, { runDir: prepared.runDir, commitMessage: prepared.config.commitMessage }, outputs) : void 0;
  const problems = runProblems(outcome, conflicts);
  if (problems.length > 0 && settings.failOnError) setFailed(problems.join("; "));
}
function planMode(settings, outputs) {
  const workspace = process.env.GITHUB_WORKSPACE ?? process.cwd();
  const space = loadFlowSpace(settings.config, settings.keys, workspace, workspace);
  if (space.total === 0) throw new UsageError("The config and keys make no flows, and an empty matrix fails the workflow.");
  const plan = shardPlan(defaultRunId(settings, process.env), space.total, settings.shards);
  info(JSON.stringify(plan));
  outputs[Outputs.Matrix] = JSON.stringify(plan.matrix);
  outputs[Outputs.RunId] = plan.run_id;
}
async function run2() {
  shelterPrivateEnv();
  const outputs = emptyOutputs();
  let redactor = redactorFor(process.env);
  try {
    refuseUnsupportedPlatform();
    const settings = parseSettings((name) => getInput(name), process.env);
    redactor = redactorFor(process.env, {
      apiKey: settings.apiKey ? { name: Inputs.OpenaiApiKey, value: settings.apiKey } : void 0,
      baseUrl: { value: settings.baseUrl, name: Inputs.BaseUrl },
      others: [settings.githubToken ? { name: Inputs.GithubToken, value: settings.githubToken } : void 0]
    });
    for (const form of redactor.forms) setSecret(form);
    if (settings.mode === "run") await runMode(settings, outputs);
    else if (settings.mode === "plan") planMode(settings, outputs);
    else await reportMode(settings, defaultRunId(settings, process.env), outputs);
  } catch (error) {
    setFailed(
      redactor.redact(error instanceof UsageError ? error.problems.join("\n") : `orchestrator failed: ${errorMessage(error)}`)
    );
  } finally {
    for (const [name, value] of Object.entries(outputs)) setOutput(name, value);
  }
}
export {
  run2 as run
};
