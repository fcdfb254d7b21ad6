export const id = 669;
export const ids = [669];
export const modules = {

/***/ 8669:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  run: () => (/* binding */ main_run)
});

// EXTERNAL MODULE: ./node_modules/@actions/artifact/lib/artifact.js + 84 modules
var artifact = __webpack_require__(77935);
// EXTERNAL MODULE: ./node_modules/@actions/core/lib/core.js + 7 modules
var core = __webpack_require__(33838);
// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(73024);
// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __webpack_require__(48161);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(76760);
// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(77598);
// EXTERNAL MODULE: ./build/action-js/errors.js
var errors = __webpack_require__(66946);
;// CONCATENATED MODULE: ./build/action-js/util/suggest.js
/** Levenshtein distance, small strings only. */
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
/** The closest candidate within a small distance, for "did you mean" hints. */
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
    return bestDistance <= Math.max(2, Math.floor(word.length / 3)) ? best : undefined;
}
function didYouMean(word, candidates) {
    const hint = closest(word, candidates);
    return hint === undefined ? '' : ` (did you mean "${hint}"?)`;
}

;// CONCATENATED MODULE: ./build/action-js/config/json.js

/** Line and column (1-based) of a character offset. */
function lineColumn(text, offset) {
    let line = 1;
    let lineStart = 0;
    for (let i = 0; i < offset && i < text.length; i++) {
        if (text[i] === '\n') {
            line++;
            lineStart = i + 1;
        }
    }
    return { line, column: offset - lineStart + 1 };
}
/**
 * JSON.parse with errors that name the file, line and column. A UTF-8 BOM is allowed, as editors
 * on Windows write one.
 */
function parseJson(text, file) {
    const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
    try {
        return JSON.parse(body);
    }
    catch (error) {
        if (error instanceof RangeError) {
            throw new errors/* UsageError */.eb(`${file}: the JSON is nested too deeply to read`, { cause: error });
        }
        const message = error instanceof Error ? error.message : String(error);
        const position = /at position (\d+)/.exec(message);
        const offset = position ? Number(position[1]) : (unexpectedTokenOffset(message, body) ?? body.length);
        const { line, column } = lineColumn(body, offset);
        const reason = message
            .replace(/\s*(in JSON )?at position \d+.*$/s, '')
            .replace(/, (\.\.\.)?".*"(\.\.\.)? is not valid JSON$/s, '')
            .replace(/^JSON\.parse: /, '');
        throw new errors/* UsageError */.eb(`${file}:${line}:${column}: invalid JSON: ${reason}`, { cause: error });
    }
}
/**
 * V8 words "Unexpected token" errors without a position, quoting the text around it instead: the
 * whole text when short, else up to 10 characters either side of the token (`"..."...`, `..."..."...`,
 * `..."..."`). Recovers the token's offset from that quote.
 */
function unexpectedTokenOffset(message, text) {
    const match = /^Unexpected token '([\s\S])', (\.\.\.)?"([\s\S]*)"(\.\.\.)? is not valid JSON$/.exec(message);
    if (!match)
        return undefined;
    const [, token, before, quoted, after] = match;
    if (!before && !after)
        return occurrence(text, token, 0) ?? 0;
    if (!before)
        return quoted.length - 10;
    if (!after)
        return text.length - quoted.length + 10;
    return occurrence(text, quoted, 10);
}
/**
 * The offset of the bad token, `shift` characters into one of the places where `needle` occurs:
 * the same text may also occur earlier, e.g. inside a string, so each is checked. Only at the real
 * one does the text cut just after it fail with "Unexpected token", and the text cut before not.
 */
function occurrence(text, needle, shift) {
    const tokenError = (prefix) => {
        try {
            JSON.parse(prefix);
            return false;
        }
        catch (error) {
            return /^Unexpected token/.test(error instanceof Error ? error.message : '');
        }
    };
    for (let at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + 1)) {
        const offset = at + shift;
        if (tokenError(text.slice(0, offset + 1)) && !tokenError(text.slice(0, offset)))
            return offset;
    }
    return undefined;
}

// EXTERNAL MODULE: ./build/action-js/util/is-object.js
var is_object = __webpack_require__(96594);
;// CONCATENATED MODULE: ./build/action-js/config/prices.js

const PRICE_FIELDS = ['input', 'cached_input', 'output'];
const EXAMPLE = '{"input": 1.25, "cached_input": 0.125, "output": 10}';
/** Most a price may be (USD per 1M tokens): far above any model's, low enough that a typo in the thousands is caught. */
const MAX_PRICE = 10_000;
/**
 * The config's `"prices"`: `{"<model>": {"input": 1.25, "cached_input": 0.125, "output": 10}}`, US
 * dollars per 1M tokens, each entry replacing the built-in price of that model. `cached_input` is
 * optional (cached tokens are then billed as input). Problems are added to `problems`.
 */
function parsePrices(value, file, problems) {
    if (value === undefined)
        return undefined;
    if (!(0,is_object/* isObject */.G)(value)) {
        problems.push(`${file}: field "prices" must be an object of model names to prices, like {"gpt-5-mini": ${EXAMPLE}}`);
        return undefined;
    }
    const prices = {};
    for (const [model, raw] of Object.entries(value)) {
        if (model.startsWith('_'))
            continue; // a comment, as elsewhere in the config
        const where = `${file}: prices[${JSON.stringify(model)}]`;
        if (model.trim() === '') {
            problems.push(`${file}: field "prices" has an empty model name: name the model as steps do ("gpt-5-mini")`);
            continue;
        }
        if (!(0,is_object/* isObject */.G)(raw)) {
            problems.push(`${where} must be an object like ${EXAMPLE} (US dollars per 1M tokens)`);
            continue;
        }
        let ok = true;
        for (const key of Object.keys(raw)) {
            if (!PRICE_FIELDS.includes(key)) {
                problems.push(`${where}: unknown field "${key}" (a price has "input", "cached_input" and "output", in US dollars per 1M tokens)`);
                ok = false;
            }
        }
        for (const field of PRICE_FIELDS) {
            const price = raw[field];
            if (price === undefined && field === 'cached_input')
                continue;
            if (typeof price !== 'number' || !Number.isFinite(price) || price < 0 || price > MAX_PRICE) {
                const got = price === undefined ? 'it is missing' : `got ${JSON.stringify(price)}`;
                problems.push(`${where}: field "${field}" must be a number of US dollars per 1M tokens, from 0 to ${MAX_PRICE}; ${got}`);
                ok = false;
            }
        }
        if (!ok)
            continue;
        const { input, cached_input, output } = raw;
        prices[model] = cached_input === undefined ? { input, output } : { input, cached_input, output };
    }
    return prices;
}

;// CONCATENATED MODULE: ./build/action-js/config/types.js
const SANDBOXES = ['read-only', 'workspace-write', 'danger-full-access'];
/** Most elements an `array: true` step may give unless it sets `max_items`: the elements come from a model. */
const DEFAULT_MAX_ITEMS = 10_000;
const APIS = ['responses', 'chat'];
/**
 * Longest timeout of one step attempt, in seconds (7 days). A timer holds at most 2^31-1 ms (about
 * 24.8 days); Node turns a longer one into 1 ms, which would fail every step at once.
 */
const MAX_TIMEOUT_S = 7 * 24 * 3600;


;// CONCATENATED MODULE: ./build/action-js/config/fields.js


/** C0 and C1 control characters (newline, tab, ESC...), DEL, and the Unicode line and paragraph separators. */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
/** `$schema` and `_comment`-style keys are allowed anywhere and ignored. */
const isIgnoredKey = (key) => key === '$schema' || key.startsWith('_');
/** A value as a message shows it: its kind, and short values themselves. */
function describe(value) {
    if (value === null)
        return 'null';
    if (Array.isArray(value))
        return 'an array';
    if (typeof value === 'string')
        return `the string ${JSON.stringify(value.length > 40 ? value.slice(0, 40) + '…' : value)}`;
    // not JSON.stringify: an object may be nested deeper than the stack, or megabytes long
    if (typeof value === 'object')
        return 'an object';
    return `${typeof value} ${JSON.stringify(value)}`;
}
/** Field checks shared by steps and the top-level defaults; each returns a problem or undefined. */
const fieldChecks = {
    string: (value) => {
        return typeof value === 'string' && value.length > 0 ? undefined : `must be a non-empty string, got ${describe(value)}`;
    },
    /** A step's name or type: shown on the progress line, where a newline or an escape sequence would break or recolour the terminal. */
    label: (value) => {
        const problem = fieldChecks.string(value);
        if (problem !== undefined)
            return problem;
        return CONTROL.test(value)
            ? `must not hold a newline, an escape sequence or another control character, got ${describe(value)}`
            : undefined;
    },
    text: (value) => {
        return typeof value === 'string' ? undefined : `must be a string, got ${describe(value)}`;
    },
    boolean: (value) => {
        return typeof value === 'boolean' ? undefined : `must be true or false, got ${describe(value)}`;
    },
    timeout: (value) => {
        return typeof value === 'number' && Number.isFinite(value) && value > 0 && value <= MAX_TIMEOUT_S
            ? undefined
            : `must be a positive number of seconds, at most ${MAX_TIMEOUT_S} (7 days), got ${describe(value)}`;
    },
    count: (value) => {
        return typeof value === 'number' && Number.isSafeInteger(value) && value > 0
            ? undefined
            : `must be a positive whole number, got ${describe(value)}`;
    },
    api: (value) => {
        return typeof value === 'string' && APIS.includes(value)
            ? undefined
            : `must be "responses" or "chat", got ${describe(value)}`;
    },
    sandbox: (value) => {
        return typeof value === 'string' && SANDBOXES.includes(value)
            ? undefined
            : `must be one of ${SANDBOXES.map((s) => `"${s}"`).join(', ')}, got ${describe(value)}`;
    },
};
const STEP_FIELDS = [
    'type',
    'name',
    'prompt',
    'prmpt_file',
    'prompt_file',
    'cmd',
    'array',
    'max_items',
    'model',
    'api',
    'timeout',
    'sandbox',
    'checks',
];
const DEFAULT_FIELDS = ['model', 'api', 'timeout', 'sandbox'];
const TOP_FIELDS = ['steps', 'after', 'setup', 'prices', 'commit_message', 'checks_fail', ...DEFAULT_FIELDS];
const FIELD_CHECK = {
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
    checks: (value) => Array.isArray(value) ? undefined : `must be an array of checks like [{"type": "contains", "value": "LGTM"}], got ${describe(value)}`,
    setup: fieldChecks.string,
    checks_fail: fieldChecks.boolean,
    commit_message: fieldChecks.string,
    after: (value) => (Array.isArray(value) ? undefined : `must be an array of steps, got ${describe(value)}`),
};
/**
 * Where a step is, for messages: `config.json: step 2 ("review")` (or `after step 1 ("summary")`),
 * with the step's label (its name, else its type) when known.
 */
function stepWhere(file, index, label, list = 'steps') {
    return `${file}: ${list === 'after' ? 'after step' : 'step'} ${index}${label === undefined ? '' : ` (${JSON.stringify(label)})`}`;
}
/** A top-level field that is no field of the config but close to an option: where that option goes instead. */
function optionHint(key, hints) {
    const spellings = (o) => {
        const bare = o.flag.replace(/^--/, '');
        return [bare, bare.replaceAll('-', '_'), ...(o.input === undefined ? [] : [o.input])];
    };
    const options = hints.options ?? [];
    const word = closest(key, options.flatMap(spellings));
    const option = word === undefined ? undefined : options.find((o) => spellings(o).includes(word));
    if (option === undefined)
        return '';
    const where = option.input === undefined ? 'on the command line' : `on the command line, or as the Action's input "${option.input}"`;
    return ` (did you mean the option ${option.flag}? It is given ${where}, not in the config)`;
}
/** Checks each field of `raw` is allowed and well typed; adds a problem for each that is not. */
function checkFields(raw, allowed, where, problems, hints = {}) {
    let ok = true;
    for (const [key, value] of Object.entries(raw)) {
        if (isIgnoredKey(key))
            continue;
        if (!allowed.includes(key)) {
            const near = didYouMean(key, allowed);
            const hint = key === 'setup' || key === 'after'
                ? ` (${key} is a field of the config, next to "steps": {"${key}": ${key === 'setup' ? '"..."' : '[...]'}, "steps": [...]})`
                : near !== ''
                    ? near
                    : optionHint(key, hints);
            problems.push(`${where}: unknown field "${key}"${hint}`);
            ok = false;
            continue;
        }
        const problem = FIELD_CHECK[key]?.(value);
        if (problem !== undefined) {
            problems.push(`${where}: field "${key}" ${problem}`);
            ok = false;
        }
    }
    return ok;
}

;// CONCATENATED MODULE: ./build/action-js/checks/schema.js
/**
 * The JSON Schema subset a `json_schema` check takes: `type`, `properties`, `required`,
 * `additionalProperties`, `items`, `enum`, `const`, `minItems`/`maxItems`, `minLength`/`maxLength`,
 * `minimum`/`maximum`, `pattern`, and the annotations `title`, `description`, `$schema`, `$comment`.
 * Any other keyword is refused when the config is read, so no constraint is silently ignored. Pure,
 * and small on purpose: the installed CLI bundles no schema library.
 */

const TYPES = ['object', 'array', 'string', 'number', 'integer', 'boolean', 'null'];
const ANNOTATIONS = ['title', 'description', '$schema', '$comment'];
const COUNTS = ['minItems', 'maxItems', 'minLength', 'maxLength'];
const KEYWORDS = [
    'type',
    'properties',
    'required',
    'additionalProperties',
    'items',
    'enum',
    'const',
    'minimum',
    'maximum',
    'pattern',
    ...COUNTS,
    ...ANNOTATIONS,
];
/** What is wrong with `schema` as a schema of the subset, each problem with its place (`/properties/a`); empty when nothing is. */
function schemaProblems(schema, at = '') {
    if (typeof schema === 'boolean')
        return [];
    if (!(0,is_object/* isObject */.G)(schema))
        return [`${at || '/'}: a schema must be an object (or true/false)`];
    const problems = [];
    for (const [key, value] of Object.entries(schema)) {
        const here = `${at}/${key}`;
        if (!KEYWORDS.includes(key))
            problems.push(`${here}: keyword "${key}" is not supported (supported: ${KEYWORDS.slice(0, -4).join(', ')})`);
        else if (key === 'type') {
            const types = Array.isArray(value) ? value : [value];
            if (types.length === 0 || !types.every((t) => TYPES.includes(t)))
                problems.push(`${here}: must be one of ${TYPES.join(', ')} (or a list of them)`);
        }
        else if (key === 'properties') {
            if (!(0,is_object/* isObject */.G)(value))
                problems.push(`${here}: must be an object of property schemas`);
            else
                for (const [name, sub] of Object.entries(value))
                    problems.push(...schemaProblems(sub, `${here}/${name}`));
        }
        else if (key === 'items' || key === 'additionalProperties')
            problems.push(...schemaProblems(value, here));
        else if (key === 'required' && !(Array.isArray(value) && value.every((v) => typeof v === 'string')))
            problems.push(`${here}: must be a list of property names`);
        else if (key === 'enum' && !Array.isArray(value))
            problems.push(`${here}: must be a list of values`);
        else if (COUNTS.includes(key) && !(Number.isSafeInteger(value) && value >= 0))
            problems.push(`${here}: must be a whole number, 0 or more`);
        else if ((key === 'minimum' || key === 'maximum') && typeof value !== 'number')
            problems.push(`${here}: must be a number`);
        else if (key === 'pattern') {
            if (typeof value !== 'string')
                problems.push(`${here}: must be a regular expression as a string`);
            else {
                try {
                    new RegExp(value, 'u');
                }
                catch (error) {
                    problems.push(`${here}: not a regular expression: ${error.message}`);
                }
            }
        }
    }
    return problems;
}
const typeOf = (value) => value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value === 'number' ? 'number' : typeof value;
/** Whether `a` and `b` are the same JSON value (object keys in any order). */
function jsonEqual(a, b) {
    if (a === b)
        return true;
    if (Array.isArray(a) || Array.isArray(b)) {
        return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((item, i) => jsonEqual(item, b[i]));
    }
    if (!(0,is_object/* isObject */.G)(a) || !(0,is_object/* isObject */.G)(b))
        return false;
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((key) => Object.hasOwn(b, key) && jsonEqual(a[key], b[key]));
}
const schema_short = (value) => {
    const text = JSON.stringify(value) ?? String(value);
    return text.length > 60 ? `${text.slice(0, 60)}…` : text;
};
function matchesType(value, type) {
    if (type === 'integer')
        return Number.isInteger(value);
    return typeOf(value) === type;
}
/** The first way `value` breaks `schema` (checked by schemaProblems), with its place (`/items/2`); undefined when it conforms. */
function schemaViolation(schema, value, at = '') {
    if (schema === true)
        return undefined;
    if (schema === false)
        return `${at || '/'}: no value is allowed here`;
    const s = schema;
    const where = at || '/';
    if (s.type !== undefined) {
        const types = (Array.isArray(s.type) ? s.type : [s.type]);
        if (!types.some((t) => matchesType(value, t)))
            return `${where}: expected ${types.join(' or ')}, got ${typeOf(value)}`;
    }
    if (s.const !== undefined && !jsonEqual(value, s.const))
        return `${where}: expected ${schema_short(s.const)}, got ${schema_short(value)}`;
    if (Array.isArray(s.enum) && !s.enum.some((v) => jsonEqual(v, value)))
        return `${where}: expected one of ${schema_short(s.enum)}, got ${schema_short(value)}`;
    if (typeof value === 'string')
        return stringViolation(s, value, where);
    if (typeof value === 'number')
        return numberViolation(s, value, where);
    if (Array.isArray(value))
        return arrayViolation(s, value, at);
    if ((0,is_object/* isObject */.G)(value))
        return objectViolation(s, value, at);
    return undefined;
}
function stringViolation(s, value, where) {
    const length = [...value].length;
    if (typeof s.minLength === 'number' && length < s.minLength)
        return `${where}: shorter than ${s.minLength} characters`;
    if (typeof s.maxLength === 'number' && length > s.maxLength)
        return `${where}: longer than ${s.maxLength} characters`;
    if (typeof s.pattern === 'string' && !new RegExp(s.pattern, 'u').test(value))
        return `${where}: does not match ${s.pattern}`;
    return undefined;
}
function numberViolation(s, value, where) {
    if (typeof s.minimum === 'number' && value < s.minimum)
        return `${where}: ${value} is less than ${s.minimum}`;
    if (typeof s.maximum === 'number' && value > s.maximum)
        return `${where}: ${value} is more than ${s.maximum}`;
    return undefined;
}
function arrayViolation(s, value, at) {
    const where = at || '/';
    if (typeof s.minItems === 'number' && value.length < s.minItems)
        return `${where}: fewer than ${s.minItems} items`;
    if (typeof s.maxItems === 'number' && value.length > s.maxItems)
        return `${where}: more than ${s.maxItems} items`;
    if (s.items === undefined)
        return undefined;
    for (const [i, item] of value.entries()) {
        const problem = schemaViolation(s.items, item, `${at}/${i}`);
        if (problem !== undefined)
            return problem;
    }
    return undefined;
}
function objectViolation(s, value, at) {
    const missing = (s.required ?? []).find((name) => !Object.hasOwn(value, name));
    if (missing !== undefined)
        return `${at || '/'}: missing property ${JSON.stringify(missing)}`;
    const properties = s.properties ?? {};
    for (const [name, item] of Object.entries(value)) {
        const sub = Object.hasOwn(properties, name) ? properties[name] : s.additionalProperties;
        if (sub === undefined)
            continue;
        if (sub === false && !Object.hasOwn(properties, name))
            return `${at || '/'}: property ${JSON.stringify(name)} is not allowed`;
        const problem = schemaViolation(sub, item, `${at}/${name}`);
        if (problem !== undefined)
            return problem;
    }
    return undefined;
}

;// CONCATENATED MODULE: ./build/action-js/checks/evaluate.js

const isPureCheck = (check) => check.type !== 'cmd' && check.type !== 'rubric';
/** The output read as JSON: the whole text, or the one ```json block it is made of. */
function parseJsonOutput(output) {
    const text = output.trim();
    const fenced = /^```(?:json)?[ \t]*\n([\s\S]*?)\n?```$/i.exec(text);
    try {
        return { value: JSON.parse(fenced ? fenced[1] : text) };
    }
    catch {
        return undefined;
    }
}
const quote = (text) => JSON.stringify(text.length > 60 ? `${text.slice(0, 60)}…` : text);
/** The short description a check is reported under when it has no `name`: `contains "LGTM"`. */
function describeCheck(check) {
    switch (check.type) {
        case 'contains':
        case 'not_contains':
        case 'cmd':
        case 'rubric':
            return `${check.type} ${quote(check.value)}`;
        case 'regex':
            return `regex ${quote(check.value)}`;
        case 'json_schema':
            return 'json_schema';
        case 'equals':
            return `equals ${quote(typeof check.value === 'string' ? check.value : JSON.stringify(check.value))}`;
    }
}
/** The verdict of a check decided by the output alone. */
function evaluateCheck(check, output) {
    switch (check.type) {
        case 'contains':
            return output.includes(check.value)
                ? { passed: true, reason: `the output contains ${quote(check.value)}` }
                : { passed: false, reason: `the output does not contain ${quote(check.value)}` };
        case 'not_contains':
            return output.includes(check.value)
                ? { passed: false, reason: `the output contains ${quote(check.value)}` }
                : { passed: true, reason: `the output does not contain ${quote(check.value)}` };
        case 'regex': {
            const match = new RegExp(check.value, check.flags).exec(output);
            return match
                ? { passed: true, reason: `matched ${quote(match[0])}` }
                : { passed: false, reason: `no match for /${check.value}/${check.flags}` };
        }
        case 'json_schema': {
            const parsed = parseJsonOutput(output);
            if (parsed === undefined)
                return { passed: false, reason: 'the output is not JSON (nor one ```json block holding JSON)' };
            const problem = schemaViolation(check.value, parsed.value);
            return problem === undefined ? { passed: true, reason: 'the output conforms to the schema' } : { passed: false, reason: problem };
        }
        case 'equals':
            return equals(check.value, output);
    }
}
function equals(expected, output) {
    if (typeof expected === 'string') {
        return output.trim() === expected.trim()
            ? { passed: true, reason: 'the output equals the expected text' }
            : { passed: false, reason: `the output ${quote(output.trim())} is not ${quote(expected.trim())}` };
    }
    const parsed = parseJsonOutput(output);
    if (parsed === undefined)
        return { passed: false, reason: 'the output is not JSON, so it cannot equal the expected JSON value' };
    return jsonEqual(parsed.value, expected)
        ? { passed: true, reason: 'the output equals the expected JSON value' }
        : { passed: false, reason: `the output ${quote(JSON.stringify(parsed.value))} is not ${quote(JSON.stringify(expected))}` };
}

;// CONCATENATED MODULE: ./build/action-js/model/checks.js
/** The checks a step may carry on its output (config `"checks"`), and what each recorded. */
const CHECK_TYPES = ['contains', 'not_contains', 'regex', 'json_schema', 'equals', 'cmd', 'rubric'];
/** Whether a check failed: it was evaluated (not skipped, as an ungraded rubric is) and did not pass. */
const checkFailed = (check) => !check.passed && check.skipped !== true;

;// CONCATENATED MODULE: ./build/action-js/config/checks.js






const COMMON = ['type', 'value', 'name'];
/** The fields each type of check takes besides `type`, `value` and `name`. */
const EXTRA = {
    contains: [],
    not_contains: [],
    regex: ['flags'],
    json_schema: [],
    equals: [],
    cmd: [],
    rubric: ['model', 'api'],
};
const checks_EXAMPLE = '{"type": "contains", "value": "LGTM"}';
/** Flags a `regex` check may set: `g` and `y` would make a test depend on the last one. */
const REGEX_FLAGS = /^[imsu]*$/;
/** What a check's `value` must be, as a problem, or undefined. */
function valueProblem(type, value) {
    if (value === undefined)
        return 'missing field "value"';
    if (type === 'json_schema') {
        const problems = schemaProblems(value);
        return problems.length === 0 ? undefined : `field "value" is not a JSON Schema this check takes: ${problems.join('; ')}`;
    }
    if (type === 'equals')
        return typeof value === 'string' || value !== null ? undefined : 'field "value" must not be null';
    const problem = fieldChecks.string(value);
    if (problem !== undefined)
        return `field "value" ${problem}`;
    if ((type === 'cmd' || type === 'rubric') && value.includes('{{{'))
        return 'field "value" holds a placeholder ({{{...}}}): checks get the step\'s output only (on stdin for cmd, after the rubric for rubric), placeholders are not filled in';
    if (type === 'regex') {
        try {
            new RegExp(value);
        }
        catch (error) {
            return `field "value" is not a regular expression: ${error.message}`;
        }
    }
    return undefined;
}
/** The problems of the fields a check's type takes besides its value. */
function extraProblems(type, raw) {
    const problems = [];
    if (raw.name !== undefined && fieldChecks.label(raw.name) !== undefined)
        problems.push(`field "name" ${fieldChecks.label(raw.name)}`);
    if (raw.flags !== undefined && !(typeof raw.flags === 'string' && REGEX_FLAGS.test(raw.flags)))
        problems.push(`field "flags" must be some of the regular expression flags "imsu", got ${describe(raw.flags)}`);
    if (raw.model !== undefined && fieldChecks.string(raw.model) !== undefined)
        problems.push(`field "model" ${fieldChecks.string(raw.model)}`);
    if (raw.api !== undefined && fieldChecks.api(raw.api) !== undefined)
        problems.push(`field "api" ${fieldChecks.api(raw.api)}`);
    for (const key of Object.keys(raw)) {
        if (isIgnoredKey(key) || COMMON.includes(key) || EXTRA[type].includes(key))
            continue;
        const owners = CHECK_TYPES.filter((t) => EXTRA[t].includes(key));
        problems.push(owners.length > 0
            ? `field "${key}" applies to ${owners.join(', ')} checks only (remove it)`
            : `unknown field "${key}"${didYouMean(key, [...COMMON, ...new Set(Object.values(EXTRA).flat())])}`);
    }
    return problems;
}
/** One check, or the problems that make it unusable. */
function parseCheck(raw, defaults) {
    if (!(0,is_object/* isObject */.G)(raw))
        return [`must be an object like ${checks_EXAMPLE}, got ${describe(raw)}`];
    const type = raw.type;
    if (typeof type !== 'string' || !CHECK_TYPES.includes(type)) {
        const near = typeof type === 'string' ? didYouMean(type, CHECK_TYPES) : '';
        return [
            type === undefined
                ? `missing field "type" (one of ${CHECK_TYPES.join(', ')})`
                : `field "type" must be one of ${CHECK_TYPES.join(', ')}, got ${describe(type)}${near}`,
        ];
    }
    const kind = type;
    const value = valueProblem(kind, raw.value);
    const problems = [...(value === undefined ? [] : [value]), ...extraProblems(kind, raw)];
    if (problems.length > 0)
        return problems;
    const body = {
        type: kind,
        value: raw.value,
        ...(kind === 'regex' ? { flags: raw.flags ?? '' } : {}),
        ...(kind === 'rubric'
            ? { model: raw.model ?? defaults.model, api: raw.api ?? defaults.api }
            : {}),
    };
    return { name: raw.name ?? describeCheck(body), ...body };
}
/**
 * A step's `"checks"` (an array, checked by fieldChecks): the checks, or undefined with a problem
 * per mistake added to `problems`, each naming the check (`check 2 ("regex")`) and the field.
 */
function parseChecks(raw, where, defaults, problems) {
    const checks = [];
    let ok = true;
    for (const [i, item] of raw.entries()) {
        const parsed = parseCheck(item, defaults);
        if (Array.isArray(parsed)) {
            const type = (0,is_object/* isObject */.G)(item) && typeof item.type === 'string' ? ` (${JSON.stringify(item.type)})` : '';
            for (const problem of parsed)
                problems.push(`${where}: check ${i + 1}${type}: ${problem}`);
            ok = false;
        }
        else
            checks.push(parsed);
    }
    return ok ? checks : undefined;
}
/** Whether a step calls a model: an openai step, or a step with a rubric check (graded by an openai call). */
const callsModel = (step) => step.kind === 'openai' || (step.checks ?? []).some((c) => c.type === 'rubric');
/** The openai call that grades a rubric check of `step`: its model and API, labelled after the check. */
function rubricStep(step, check, prompt) {
    return {
        index: step.index,
        kind: 'openai',
        type: 'openai',
        name: check.name,
        label: check.name,
        prompt: { kind: 'inline', text: prompt },
        array: false,
        maxItems: undefined,
        model: check.model,
        api: check.api,
        timeout: step.timeout,
        sandbox: undefined,
    };
}
/** The shell command of a cmd check of `step`, as a cmd step of its own (same runner, same containment). */
function checkCmdStep(step, check) {
    return {
        index: step.index,
        kind: 'cmd',
        type: 'check',
        name: check.name,
        label: check.name,
        cmd: check.value,
        array: false,
        maxItems: undefined,
        model: undefined,
        api: undefined,
        timeout: step.timeout,
        sandbox: undefined,
    };
}

;// CONCATENATED MODULE: ./build/action-js/config/step.js





const MODEL_TYPES = ['openai', 'codex'];
const PROMPT_FIELDS = ['prompt', 'prmpt_file', 'prompt_file'];
const rawLabel = (raw) => typeof raw.name === 'string' ? raw.name : typeof raw.type === 'string' ? raw.type : undefined;
/** Fields that do not fit the step's list or its `array` setting: the first such problem. */
function misplacedField(raw, list) {
    if (list === 'after') {
        const perLeaf = ['array', 'max_items'].find((f) => raw[f] !== undefined);
        if (perLeaf !== undefined)
            return `field "${perLeaf}" does not apply to after steps: they run once over all leaves, and cannot split into branches (remove it)`;
    }
    if (list === 'after' && raw.checks !== undefined)
        return 'field "checks" does not apply to after steps: checks judge each leaf\'s output (put them on a step of "steps")';
    if (raw.max_items !== undefined && raw.array !== true)
        return 'field "max_items" caps the elements of an "array": true step; this step has no "array": true (add it, or remove "max_items")';
    return undefined;
}
/** A cmd step's fields: no prompt, no model settings. */
function cmdProblem(raw, promptFields) {
    if (promptFields.length > 0)
        return `a cmd step takes no prompt, but it sets "${promptFields.join('" and "')}" (remove it, or remove "cmd")`;
    const field = ['model', 'api', 'sandbox'].find((f) => raw[f] !== undefined);
    return field === undefined ? undefined : `field "${field}" does not apply to a cmd step (remove it)`;
}
/** A model step's fields: exactly one prompt, and only its own kind's settings. */
function modelProblem(raw, kind, promptFields) {
    if (promptFields.length === 0)
        return 'missing prompt: set one of "prompt", "prompt_file" or "prmpt_file"';
    if (promptFields.length > 1)
        return `set only one of "prompt", "prompt_file" and "prmpt_file", not "${promptFields.join('" and "')}"`;
    if (kind === 'openai' && raw.sandbox !== undefined)
        return 'field "sandbox" applies to codex steps only (remove it)';
    if (kind === 'codex' && raw.api !== undefined)
        return 'field "api" applies to openai steps only (remove it)';
    return undefined;
}
/** What the step does (a `cmd` decides, else its `type`), or the problem that says why it cannot be told. */
function stepKind(raw, type, promptFields) {
    if (raw.cmd !== undefined) {
        const problem = cmdProblem(raw, promptFields);
        return problem === undefined ? { kind: 'cmd' } : { problem };
    }
    if (type === undefined)
        return { problem: 'missing field "type" (one of "openai", "codex"), or a "cmd" to run' };
    if (type === 'openai' || type === 'codex') {
        const problem = modelProblem(raw, type, promptFields);
        return problem === undefined ? { kind: type } : { problem };
    }
    return {
        problem: `unknown type ${JSON.stringify(type)}${didYouMean(type, MODEL_TYPES)}: use "openai" or "codex", or add a "cmd" to run a shell command`,
    };
}
/** The validated step, defaults applied; `raw` passed every check. */
function buildStep(raw, index, kind, type, promptFields, defaults, checks) {
    const name = raw.name;
    const head = { type, name, label: name ?? type };
    const rest = {
        array: raw.array === true,
        maxItems: raw.array === true ? (raw.max_items ?? DEFAULT_MAX_ITEMS) : undefined,
        model: kind === 'cmd' ? undefined : (raw.model ?? defaults.model),
        api: kind === 'openai' ? (raw.api ?? defaults.api) : undefined,
        timeout: raw.timeout ?? defaults.timeout,
        sandbox: kind === 'codex' ? (raw.sandbox ?? defaults.sandbox) : undefined,
        // last, and only when set: a config without checks keeps the hash it had
        ...(checks === undefined ? {} : { checks }),
    };
    // the keys in this order: the config hash (JSON of the steps) stays what earlier versions wrote, for --resume
    if (kind === 'cmd')
        return { index, kind, ...head, cmd: raw.cmd, ...rest };
    // a model step has exactly one prompt field (checked before)
    const promptField = promptFields[0];
    const prompt = promptField === 'prompt' ? { kind: 'inline', text: raw.prompt } : { kind: 'file', path: raw[promptField] };
    return { index, kind, ...head, prompt, ...rest };
}
/** One step of `steps` or `after`: the validated step, or undefined with its problems added to `problems`. */
function parseStep(raw, index, file, defaults, problems, list) {
    if (!(0,is_object/* isObject */.G)(raw)) {
        problems.push(`${stepWhere(file, index, undefined, list)}: must be an object like {"type": "openai", "prompt": "..."}, got ${describe(raw)}`);
        return undefined;
    }
    const where = stepWhere(file, index, rawLabel(raw), list);
    if (!checkFields(raw, STEP_FIELDS, where, problems))
        return undefined;
    const misplaced = misplacedField(raw, list);
    if (misplaced !== undefined) {
        problems.push(`${where}: ${misplaced}`);
        return undefined;
    }
    const promptFields = PROMPT_FIELDS.filter((f) => raw[f] !== undefined);
    const type = raw.type ?? (raw.cmd !== undefined ? 'cmd' : undefined);
    const decided = stepKind(raw, type, promptFields);
    if ('problem' in decided)
        problems.push(`${where}: ${decided.problem}`);
    // the checks' mistakes are reported with the step's own
    const checks = raw.checks === undefined ? undefined : parseChecks(raw.checks, where, defaults, problems);
    if ('problem' in decided || (raw.checks !== undefined && checks === undefined))
        return undefined;
    return buildStep(raw, index, decided.kind, type, promptFields, defaults, checks);
}

;// CONCATENATED MODULE: ./build/action-js/config/parse.js









/** The steps, and `setup` when set (what a worktree holds before its first step); configs without one keep their hash. */
function hashSteps(steps, setup) {
    return (0,external_node_crypto_.createHash)('sha256')
        .update(JSON.stringify(setup === undefined ? steps : { steps, setup }))
        .digest('hex');
}
/** Everything the config runs or gates: the steps, `setup`, the after steps and the prices `--max-cost` counts with. */
function hashWhole(config) {
    const { steps, setup, after, prices } = config;
    return (0,external_node_crypto_.createHash)('sha256')
        .update(JSON.stringify({ steps, setup: setup ?? null, after, prices: prices ?? null }))
        .digest('hex');
}
/**
 * Parses and validates a config file's text: the valid steps, and a problem for each invalid one.
 * Pure: prompt files are checked later, against the file system. Throws a UsageError when the file
 * as a whole is unusable (bad JSON, no steps).
 */
function parseConfigLenient(text, file, hints = {}) {
    const json = parseJson(text, file);
    const problems = [];
    let rawSteps;
    let defaults = {};
    let setup;
    let rawAfter = [];
    let prices;
    let commitMessage;
    let checksFail = true;
    if (Array.isArray(json)) {
        rawSteps = json;
    }
    else if ((0,is_object/* isObject */.G)(json)) {
        // a top-level mistake does not hide the steps' problems: the valid fields are used, every problem reported
        checkFields(json, TOP_FIELDS, file, problems, hints);
        const valid = (field) => json[field] !== undefined && FIELD_CHECK[field](json[field]) === undefined;
        rawSteps = json.steps;
        defaults = Object.fromEntries(DEFAULT_FIELDS.filter(valid).map((field) => [field, json[field]]));
        setup = valid('setup') ? json.setup : undefined;
        rawAfter = valid('after') ? json.after : [];
        prices = parsePrices(json.prices, file, problems);
        commitMessage = valid('commit_message') ? json.commit_message : undefined;
        checksFail = json.checks_fail !== false;
        if (rawSteps === undefined) {
            // "stepz" was already reported, with its hint
            const misspelt = Object.keys(json).some((key) => !TOP_FIELDS.some((field) => field === key) && closest(key, ['steps']) !== undefined);
            throw new errors/* UsageError */.eb(misspelt ? problems : [...problems, `${file}: missing field "steps" (the list of steps to run)`]);
        }
        if (!Array.isArray(rawSteps))
            throw new errors/* UsageError */.eb([...problems, `${file}: field "steps" must be an array of steps, got ${describe(rawSteps)}`]);
    }
    else {
        throw new errors/* UsageError */.eb(`${file}: the config must be a JSON array of steps or an object with "steps", got ${describe(json)}`);
    }
    if (rawSteps.length === 0)
        throw new errors/* UsageError */.eb([...problems, `${file}: the config has no steps; add at least one`]);
    const parseList = (list, name) => list.map((raw, i) => parseStep(raw, i + 1, file, defaults, problems, name)).filter((step) => step !== undefined);
    const steps = parseList(rawSteps, 'steps');
    const after = parseList(rawAfter, 'after');
    // `hash` leaves out the after steps and prices: what a flow's step is asked does not depend on
    // them, so --resume reuses the flows; `fullHash` covers them, for report to check what it runs
    const parts = { steps, after, setup, prices };
    // the commit message is in neither hash: it changes no flow and runs nothing
    // checks_fail is in neither hash either: a leaf's steps run the same, only what a failed check means changes
    return {
        config: { file, ...parts, commitMessage, checksFail, hash: hashSteps(steps, setup), fullHash: hashWhole(parts) },
        problems,
        json,
    };
}
/** Parses and validates a config file's text; throws a UsageError listing every problem. */
function parseConfig(text, file) {
    const { config, problems } = parseConfigLenient(text, file);
    if (problems.length > 0)
        throw new errors/* UsageError */.eb(problems);
    return config;
}

;// CONCATENATED MODULE: ./build/action-js/flows/flows.js
/** `flow_0001` for index 0: at least 4 digits, as many as the largest id of `total` flows needs. */
function flowId(index, total) {
    return `flow_${String(index + 1).padStart(Math.max(4, String(total).length), '0')}`;
}
/** The cartesian product of the key lists, addressed by index so it never needs to be materialised. */
class FlowSpace {
    keys;
    total;
    constructor(keys) {
        this.keys = keys;
        this.total = keys.reduce((product, key) => product * key.paths.length, 1);
    }
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
        for (const key of this.keys)
            ordered[key.name] = keys[key.name];
        return { index, id: this.id(index), keys: ordered };
    }
    /** Flows lazily, in order, for the given indexes (default: all). */
    *flows(indexes = range(0, this.total)) {
        for (const index of indexes)
            yield this.at(index);
    }
}
function* range(from, to) {
    for (let i = from; i < to; i++)
        yield i;
}

;// CONCATENATED MODULE: ./build/action-js/prompt/placeholders.js
/** What a key name may contain; the same rule makes `{{{NAME}}}` a placeholder. */
const KEY_NAME = /^[A-Za-z0-9_.-]+$/;
const PLACEHOLDER = /\{\{\{([A-Za-z0-9_.-]+)(:path)?\}\}\}/g;
/** `{{{NAME:something}}}` with something other than `path`: a mistake worth naming. */
const UNKNOWN_FIELD = /\{\{\{([A-Za-z0-9_.-]+):([^{}]*)\}\}\}/g;
/** Every placeholder of a text, in order. */
function findPlaceholders(text) {
    return Array.from(text.matchAll(PLACEHOLDER), (m) => ({
        name: m[1],
        field: m[2] === undefined ? 'contents' : 'path',
        text: m[0],
        start: m.index,
        end: m.index + m[0].length,
    }));
}
/** Key names of the placeholders in a text (both forms), in order of first use. */
function placeholderNames(text) {
    return [...new Set(findPlaceholders(text).map((p) => p.name))];
}
/** `{{{NAME:field}}}` forms with an unknown field, as written. */
function unknownPlaceholderFields(text) {
    return [...new Set(Array.from(text.matchAll(UNKNOWN_FIELD), (m) => m[0]).filter((whole) => !whole.endsWith(':path}}}')))];
}
/**
 * Replaces each placeholder in one pass: inserted text is never scanned again, so contents that
 * themselves hold placeholders stay as they are. Placeholders without a value are left untouched.
 */
function fillPlaceholders(text, value) {
    return text.replace(PLACEHOLDER, (whole, name, path) => value(name, path ? 'path' : 'contents') ?? whole);
}
/** `doc` or `doc:path`, as compileCommand keys its variables: the key name and the field. */
function parseRef(ref) {
    return ref.endsWith(':path') ? { name: ref.slice(0, -':path'.length), field: 'path' } : { name: ref, field: 'contents' };
}

;// CONCATENATED MODULE: ./build/action-js/util/input-file.js


/** A file refused as input: `problem` completes a sentence that starts with the file's name. */
class InputFileError extends Error {
    path;
    problem;
    constructor(path, problem, options) {
        super(`${JSON.stringify(path)} ${problem}`, options);
        this.path = path;
        this.problem = problem;
        this.name = 'InputFileError';
    }
}
/** The most a pipe may give: `<(yes)` must end with a message, not with the memory. */
const MAX_PIPE_BYTES = 256 * 1024 * 1024;
const PIPE_PATH = /^\/(dev\/fd\/\d+|proc\/self\/fd\/\d+|dev\/stdin)$/;
/** The kernel's pseudo-files (environ, pagemap, ...) say they are regular files; they are not input. */
const KERNEL_FS = /^\/(proc|sys)(\/|$)/;
function kind(stats) {
    if (stats.isFile())
        return undefined;
    if (stats.isDirectory())
        return 'is a directory, not a file';
    if (stats.isFIFO())
        return 'is a named pipe (FIFO), not a regular file: reading it would wait for a writer';
    if (stats.isCharacterDevice() || stats.isBlockDevice())
        return 'is a device (like /dev/zero), not a regular file';
    if (stats.isSocket())
        return 'is a socket, not a regular file';
    return 'is not a regular file';
}
function errnoProblem(error) {
    const code = error.code;
    if (code === 'ENOENT')
        return 'does not exist';
    if (code === 'EACCES' || code === 'EPERM')
        return 'is not readable (permission denied)';
    if (code === 'ELOOP')
        return 'is a symbolic link that loops';
    if (code === 'ENOTDIR')
        return 'does not exist (a part of its path is a file, not a directory)';
    if (code === 'ENAMETOOLONG')
        return 'has a name too long for the file system';
    return `cannot be read (${code ?? String(error)})`;
}
const realRoots = new Map();
/** Why a file whose real path is `real` is out of bounds, or undefined. */
function placeProblem(real, rules) {
    if (KERNEL_FS.test(real))
        return `is (or links to) ${real}, a file of the kernel's ${real.split('/')[1]} file system, not a regular file`;
    if (rules.confineTo === undefined)
        return undefined;
    let root = realRoots.get(rules.confineTo);
    if (root === undefined) {
        root = external_node_fs_.realpathSync.native(rules.confineTo);
        realRoots.set(rules.confineTo, root);
    }
    const inside = (0,external_node_path_.relative)(root, real);
    if (inside === '' || inside.startsWith('..') || (0,external_node_path_.isAbsolute)(inside)) {
        return `is (or links to) ${real}, outside the workspace ${root}: only files of the workspace are read`;
    }
    return undefined;
}
function isPipePath(path, stats, rules) {
    return rules.pipes === true && PIPE_PATH.test(path) && (stats.isFIFO() || stats.isSocket());
}
/**
 * Why `path` cannot be read as input, or undefined when it can: a regular file (a symlink to one is
 * fine unless it leads out of `confineTo`), not a file of /proc or /sys. Checks without opening.
 */
function inputFileProblem(path, rules = {}) {
    try {
        const stats = (0,external_node_fs_.statSync)(path);
        if (isPipePath(path, stats, rules))
            return undefined;
        const problem = kind(stats) ?? placeProblem(external_node_fs_.realpathSync.native(path), rules);
        if (problem === undefined)
            (0,external_node_fs_.accessSync)(path, external_node_fs_.constants.R_OK);
        return problem;
    }
    catch (error) {
        return errnoProblem(error);
    }
}
function readPipe(fd, path) {
    const chunks = [];
    let total = 0;
    for (;;) {
        const chunk = Buffer.allocUnsafe(1 << 16);
        const n = (0,external_node_fs_.readSync)(fd, chunk, 0, chunk.length, null);
        if (n === 0)
            return Buffer.concat(chunks, total);
        total += n;
        if (total > MAX_PIPE_BYTES)
            throw new InputFileError(path, `gave more than ${MAX_PIPE_BYTES / 1024 / 1024} MiB; write it to a file`);
        chunks.push(chunk.subarray(0, n));
    }
}
/**
 * O_NONBLOCK: opening a FIFO must not wait for a writer before its type can be refused. O_NOCTTY: a
 * terminal named as an input file does not become the process's controlling terminal (only a
 * session leader without one could get one: asserted as a constant, no test here can tell).
 */
const INPUT_FLAGS = external_node_fs_.constants.O_RDONLY | external_node_fs_.constants.O_NONBLOCK | external_node_fs_.constants.O_NOCTTY;
/**
 * Reads an input file under `rules`; throws an InputFileError saying why it may not be read. The
 * checks are made on the opened file (its type, and on Linux the path the kernel opened), so a file
 * swapped for a link between a check and the read is still refused.
 */
function readInputFile(path, rules = {}) {
    let fd;
    try {
        fd = (0,external_node_fs_.openSync)(path, INPUT_FLAGS);
    }
    catch (error) {
        throw new InputFileError(path, errnoProblem(error), { cause: error });
    }
    try {
        const stats = (0,external_node_fs_.fstatSync)(fd);
        if (isPipePath(path, stats, rules)) {
            // opened again without O_NONBLOCK, so that reading waits for the writer
            (0,external_node_fs_.closeSync)(fd);
            fd = -1;
            fd = (0,external_node_fs_.openSync)(path, external_node_fs_.constants.O_RDONLY);
            return readPipe(fd, path);
        }
        const problem = kind(stats) ?? placeProblem(openedPath(fd, path), rules);
        if (problem !== undefined)
            throw new InputFileError(path, problem);
        return (0,external_node_fs_.readFileSync)(fd);
    }
    catch (error) {
        if (error instanceof InputFileError)
            throw error;
        throw new InputFileError(path, errnoProblem(error), { cause: error });
    }
    finally {
        if (fd >= 0)
            (0,external_node_fs_.closeSync)(fd);
    }
}
/** The real path of an open file: what the kernel opened, where /proc says so. */
function openedPath(fd, path) {
    try {
        return (0,external_node_fs_.readlinkSync)(`/proc/self/fd/${fd}`);
    }
    catch {
        return external_node_fs_.realpathSync.native(path);
    }
}
/**
 * The one message for an input file that cannot be read: `<what> "<path>" <problem>`, e.g.
 * `key file "docs.txt" does not exist` or `line 3: "a.md" is a directory`.
 */
const inputFileMessage = (what, path, problem) => `${what} ${JSON.stringify(path)} ${problem}`;
/** An input file's bytes, or why it cannot be read (see InputFileError.problem); other errors are thrown. */
function tryReadInputFile(path, rules = {}) {
    try {
        return { bytes: readInputFile(path, rules) };
    }
    catch (error) {
        if (!(error instanceof InputFileError))
            throw error;
        return { problem: error.problem };
    }
}

;// CONCATENATED MODULE: ./build/action-js/flows/keys.js





/** The flag a key was given with. */
const keyFlag = (key) => (key.kind === 'values' ? '--values' : '--key');
/** What a key file lists, said in messages. */
const listed = (kind) => (kind === 'values' ? 'one value per line' : 'one path per line');
const MAX_LISTED = 10;
/**
 * Splits `NAME:FILE` at the first colon; throws a UsageError naming the argument when it is
 * malformed. `source` is the flag or input named in the message.
 */
function parseKeySpec(argument, source = '--key', kind = 'paths') {
    const colon = argument.indexOf(':');
    if (colon < 0) {
        const example = kind === 'values' ? 'id:ids.txt' : 'doc:docs.txt';
        throw new errors/* UsageError */.eb(`${source} ${JSON.stringify(argument)}: expected NAME:FILE, e.g. ${example} (the file lists ${listed(kind)})`);
    }
    const name = argument.slice(0, colon).trim();
    const file = argument.slice(colon + 1).trim();
    if (!KEY_NAME.test(name)) {
        throw new errors/* UsageError */.eb(`${source} ${JSON.stringify(argument)}: key name ${JSON.stringify(name)} may only contain letters, digits, "_", "." and "-" (it is used as {{{${name || 'NAME'}}}})`);
    }
    if (file === '')
        throw new errors/* UsageError */.eb(`${source} ${JSON.stringify(argument)}: the FILE after the colon is empty`);
    return kind === 'values' ? { name, file, kind } : { name, file };
}
/** The paths (or values) a key file lists: one per line, blank lines skipped, `\r`, a BOM and surrounding spaces removed. */
function keyFileLines(text) {
    const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
    return body
        .split('\n')
        .map((line) => line.trim())
        .filter((line) => line !== '');
}
/** The 1-based line of the file holding the `n`-th (0-based) listed path, blank lines counted. */
function fileLine(text, n) {
    const lines = text.split('\n');
    for (let line = 0, seen = -1; line < lines.length; line++)
        if (lines[line].trim() !== '' && ++seen === n)
            return line + 1;
    return n + 1;
}
/**
 * A name as `git diff --name-only` prints it when it holds bytes outside ASCII and core.quotePath is
 * on (the default): in double quotes, with octal escapes, e.g. `"caf\303\251.md"`.
 */
const gitQuoted = (path) => path.length > 1 && path.startsWith('"') && path.endsWith('"');
const GIT_QUOTED_HINT = 'it looks like a file name quoted by git (core.quotePath): list names with `git -c core.quotePath=false diff --name-only`, or with `-z`';
/** A listed file's contents, read for one flow; a StepError says why it cannot be. */
function readListedFile(baseDir, path, key, rules = {}) {
    try {
        return readInputFile((0,external_node_path_.resolve)(baseDir, path), rules).toString('utf8');
    }
    catch (error) {
        const problem = error instanceof InputFileError ? error.problem : String(error);
        const quoted = gitQuoted(path) && problem === 'does not exist';
        const shown = quoted ? path : JSON.stringify(path);
        throw new errors/* StepError */.zg(`cannot read ${shown} (key "${key}"): it ${problem}${quoted ? `; ${GIT_QUOTED_HINT}` : ''}`, { cause: error });
    }
}
/**
 * Reads every key file and checks every path it lists, relative to `baseDir`. Throws one
 * UsageError listing all problems.
 */
function readKeyLists(specs, baseDir, options = {}) {
    const problems = [];
    const seen = new Map();
    const lists = [];
    for (const spec of specs) {
        const { name, file, kind } = spec;
        const where = `${keyFlag(spec)} ${name}:${file}`;
        const earlier = seen.get(name);
        if (earlier !== undefined) {
            problems.push((earlier.kind ?? 'paths') === (kind ?? 'paths')
                ? `${where}: key "${name}" is given twice; each key name may be used once`
                : `${where}: key "${name}" is also given by ${keyFlag(earlier)} ${earlier.name}:${earlier.file}; each key name may be used once: rename one`);
            continue;
        }
        seen.set(name, spec);
        const what = kind === 'values' ? 'values file' : 'key file';
        const read = tryReadInputFile((0,external_node_path_.resolve)(baseDir, file), { confineTo: options.confineTo, pipes: true });
        if ('problem' in read) {
            problems.push(`${where}: ${inputFileMessage(what, file, read.problem)}`);
            continue;
        }
        const bytes = read.bytes;
        if (bytes.includes(0)) {
            problems.push(`${where}: ${inputFileMessage(what, file, `is not a text file (it holds NUL bytes); it should list ${listed(kind)}`)}`);
            continue;
        }
        const text = bytes.toString('utf8');
        const paths = keyFileLines(text);
        if (paths.length === 0) {
            problems.push(`${where}: ${inputFileMessage(what, file, `is empty; it should list ${listed(kind)}`)}`);
            continue;
        }
        if (kind === 'values') {
            // the lines are the values: there is no file to check
            lists.push({ name, file, paths, kind });
            continue;
        }
        const bad = [];
        let badCount = 0;
        const missing = [];
        const quoted = [];
        let quotedCount = 0;
        for (const [i, listed] of paths.entries()) {
            const listedProblem = inputFileProblem((0,external_node_path_.resolve)(baseDir, listed), { confineTo: options.confineTo });
            if (listedProblem === undefined)
                continue;
            if (listedProblem === 'does not exist' && gitQuoted(listed)) {
                // git's quoting of one odd name must not stop the review of every other file: that flow fails
                if (quotedCount++ < MAX_LISTED)
                    quoted.push(`line ${fileLine(text, i)}: ${listed}`);
                continue;
            }
            badCount++;
            if (listedProblem === 'does not exist' && !(0,external_node_path_.isAbsolute)(listed))
                missing.push(listed);
            if (bad.length < MAX_LISTED)
                bad.push(`${where}: ${inputFileMessage(`line ${fileLine(text, i)}:`, listed, listedProblem)}`);
        }
        problems.push(...bad);
        if (quotedCount > 0) {
            options.warnings?.push(`${where}: ${quoted.join(', ')}${quotedCount > quoted.length ? ` and ${quotedCount - quoted.length} more` : ''}: ` +
                `no such file, and ${GIT_QUOTED_HINT}; the flows of these lines will fail`);
        }
        if (badCount > bad.length)
            problems.push(`${where}: ... and ${badCount - bad.length} more listed files that cannot be read`);
        if (missing.length > 0)
            problems.push(`${where}: ${relativeHint(file, missing, baseDir, options)}`);
        lists.push({ name, file, paths });
    }
    if (problems.length > 0)
        throw new errors/* UsageError */.eb(problems);
    return lists;
}
/**
 * Where listed paths are looked for: relative to the current directory (named), not to the key
 * file's folder; said with how many would be found there, when the list was written that way.
 */
function relativeHint(file, missing, baseDir, rules) {
    const folder = (0,external_node_path_.dirname)(file);
    const there = folder === '.'
        ? []
        : missing.filter((path) => inputFileProblem((0,external_node_path_.resolve)(baseDir, folder, path), { confineTo: rules.confineTo }) === undefined);
    const found = there.length === 0
        ? ''
        : `; ${there.length} of ${missing.length} exist relative to the key file's folder ${JSON.stringify(folder)}: ` +
            `list them from the current directory (e.g. ${JSON.stringify((0,external_node_path_.join)(folder, there[0]))}), or run from ${JSON.stringify(folder)}`;
    return `listed paths are read relative to the current directory, ${baseDir}, not to the key file${found}`;
}
/** sha256 of the key names and listed paths; `--resume` refuses when it changes. */
function hashKeyLists(lists) {
    const hash = (0,external_node_crypto_.createHash)('sha256');
    // a values list is marked, so turning a --key into --values (or back) is a change; key lists hash as they always did
    for (const list of lists)
        hash.update(JSON.stringify(list.kind === 'values' ? [list.name, list.paths, 'values'] : [list.name, list.paths]));
    return hash.digest('hex');
}

;// CONCATENATED MODULE: ./build/action-js/flows/shards.js
/** GitHub's limit on the jobs of one matrix. */
const MAX_SHARDS = 256;
/**
 * The flow indexes [from, to) of shard `index` (1-based) of `count` over `total` flows: contiguous
 * ranges whose sizes differ by at most one, depending on nothing but the three numbers.
 */
function shardRange(total, { index, count }) {
    const base = Math.floor(total / count);
    const extra = total % count;
    const from = (index - 1) * base + Math.min(index - 1, extra);
    return { from, to: from + base + (index <= extra ? 1 : 0) };
}
/** Parses `I/N`; returns an error message or the shard. */
function parseShard(text) {
    const match = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
    if (!match)
        return `expected I/N such as 1/4, got ${JSON.stringify(text)}`;
    const index = Number(match[1]);
    const count = Number(match[2]);
    if (count < 1 || count > MAX_SHARDS)
        return `N must be between 1 and ${MAX_SHARDS}, got ${JSON.stringify(text)}`;
    if (index < 1 || index > count)
        return `I must be between 1 and N (${count}), got ${JSON.stringify(text)}`;
    return { index, count };
}

;// CONCATENATED MODULE: ./build/action-js/model/price-table.js
/**
 * The built-in prices: OpenAI's standard-tier list prices in US dollars per 1M tokens, the one
 * place they are kept. Update `date` and `source` with the numbers; a config's `"prices"` overrides
 * any entry (or adds a model) without waiting for a release.
 *
 * Not covered: the higher rates some models charge past 272K tokens of context (the standard rate
 * is used, so such prompts are priced low), the flex and priority tiers, and models OpenAI's page
 * no longer lists (gpt-4.x, o-series): price those in the config.
 */
const PRICE_TABLE = {
    date: '2026-09-05',
    source: "https://developers.openai.com/api/docs/pricing (OpenAI's pricing page, standard tier), as transcribed on 2026-09-05 in " +
        'https://github.com/kannandreams/agent-top/blob/main/crates/agent-top-core/prices.toml; the gpt-5.4 and gpt-5.5 rows ' +
        'agree with https://benchlm.ai/blog/posts/openai-api-pricing (April 2026) and https://www.morphllm.com/openai-api-pricing (June 2026)',
    /** The Batch API bills input and output at half these prices (OpenAI's pricing page). */
    batch_discount: 0.5,
    /** `cached_input` is absent where the model offers no cached-input price: its cached tokens are billed as input. */
    models: {
        'gpt-5.6-sol': { input: 4.0, cached_input: 0.4, output: 20.0 },
        'gpt-5.6-terra': { input: 2.0, cached_input: 0.2, output: 12.0 },
        'gpt-5.6-luna': { input: 0.2, cached_input: 0.02, output: 1.2 },
        'gpt-5.5-pro': { input: 30.0, output: 180.0 },
        'gpt-5.5': { input: 5.0, cached_input: 0.5, output: 30.0 },
        'gpt-5.4-pro': { input: 30.0, output: 180.0 },
        'gpt-5.4': { input: 2.5, cached_input: 0.25, output: 15.0 },
        'gpt-5.4-mini': { input: 0.75, cached_input: 0.075, output: 4.5 },
        'gpt-5.4-nano': { input: 0.2, cached_input: 0.02, output: 1.25 },
        'gpt-5.2-pro': { input: 21.0, output: 168.0 },
        'gpt-5.2': { input: 1.75, cached_input: 0.175, output: 14.0 },
        'gpt-5.1': { input: 1.25, cached_input: 0.125, output: 10.0 },
        'gpt-5-pro': { input: 15.0, output: 120.0 },
        'gpt-5': { input: 1.25, cached_input: 0.125, output: 10.0 },
        'gpt-5-mini': { input: 0.25, cached_input: 0.025, output: 2.0 },
        'gpt-5-nano': { input: 0.05, cached_input: 0.005, output: 0.4 },
    },
};

// EXTERNAL MODULE: ./build/action-js/model/usage.js
var model_usage = __webpack_require__(44704);
;// CONCATENATED MODULE: ./build/action-js/model/cost.js


const BUILT_IN_PRICES = PRICE_TABLE.models;
/** The built-in prices with a config's `"prices"` over them (an entry there replaces the built-in one whole). */
const withOverrides = (overrides) => overrides === undefined ? BUILT_IN_PRICES : { ...BUILT_IN_PRICES, ...overrides };
/** A dated snapshot (`gpt-5-mini-2025-08-07`) is priced as its model when it has no price of its own. */
const SNAPSHOT = /^(.+)-\d{4}-\d{2}-\d{2}$/;
/** The price of `model`: its own entry, else that of the model a dated snapshot belongs to. */
function priceOf(model, prices) {
    if (model === undefined)
        return undefined;
    if (Object.hasOwn(prices, model))
        return prices[model];
    const base = SNAPSHOT.exec(model)?.[1];
    return base !== undefined && Object.hasOwn(prices, base) ? prices[base] : undefined;
}
/**
 * What `usage` cost on `model`, in US dollars: uncached input, cached input and output tokens times
 * their prices (halved for a batch call). Null when the model has no price, unless nothing was
 * used: no tokens cost nothing whatever the model.
 */
function costOf(model, usage, prices, options = {}) {
    const cached = Math.min(usage.cached_input_tokens ?? 0, usage.input_tokens);
    if (usage.input_tokens === 0 && usage.output_tokens === 0)
        return 0;
    const price = priceOf(model, prices);
    if (price === undefined)
        return null;
    const perMillion = (usage.input_tokens - cached) * price.input + cached * (price.cached_input ?? price.input) + usage.output_tokens * price.output;
    const discount = options.batch === true ? PRICE_TABLE.batch_discount : 1;
    return (0,model_usage/* roundUsd */.tE)((perMillion / 1_000_000) * discount);
}
/** `usage` with its cost filled in. */
const priced = (model, usage, prices, options = {}) => ({
    ...usage,
    cached_input_tokens: usage.cached_input_tokens ?? 0,
    cost_usd: costOf(model, usage, prices, options),
});
/**
 * A dollar amount as a user writes one (`5`, `0.50`, `$12`): a finite number above 0, else
 * undefined. `--max-cost` and the Action's `max-cost` read it so.
 */
function parseUsd(text) {
    const match = /^\s*\$?\s*(\d+(?:\.\d*)?|\.\d+)\s*$/.exec(text);
    const usd = match === null ? NaN : Number(match[1]);
    return Number.isFinite(usd) && usd > 0 ? usd : undefined;
}
/** Dollars for machines (the Action's `cost-usd` output): plain decimals, never `7.5e-7`; '' when unknown. */
function usdDecimal(usd) {
    if (usd === null || usd === undefined)
        return '';
    return usd.toFixed(12).replace(/\.?0+$/, '');
}
/** Dollars for people: `$0.0123`, `$12.35`; small sums keep 4 decimals so a cheap run does not read $0.00. */
function formatUsd(usd) {
    if (usd === null || usd === undefined)
        return 'unknown';
    if (usd === 0)
        return '$0';
    if (usd < 1)
        return `$${usd.toFixed(4)}`;
    return `$${usd.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}

;// CONCATENATED MODULE: ./build/action-js/engine/options.js
/** The built-in model for openai steps that name none (README: "Models"). */
const DEFAULT_MODEL = 'gpt-5-mini';
const DEFAULT_PARALLEL = 4;
const DEFAULT_TIMEOUT_S = 1800;
/** With --batch and no --timeout: the longest wait for one batch (the Batch API's completion window). */
const DEFAULT_BATCH_TIMEOUT_S = 24 * 60 * 60;
const DEFAULT_RETRIES = 3;
const DEFAULT_OUTPUT = 'generated';
/** The sandbox of codex steps when neither the step, the config, `--sandbox` nor the Action's input sets one. */
const DEFAULT_SANDBOX = 'workspace-write';
/**
 * Most requests waiting in batches at once (--batch): a full batch file. Each holds its prompt in
 * memory; past this, flows wait for a seat before their step joins a batch.
 * ORCHESTRATOR_BATCH_MAX_PENDING lowers it (tests).
 */
function batchMaxPending(env) {
    const value = Number(env.ORCHESTRATOR_BATCH_MAX_PENDING);
    return env.ORCHESTRATOR_BATCH_MAX_PENDING && Number.isSafeInteger(value) && value > 0 ? value : 50_000;
}
/** A codex step's sandbox: the step's (or the config default), else the run's, else DEFAULT_SANDBOX. */
function sandboxOf(step, options) {
    return step.sandbox ?? options.sandbox ?? DEFAULT_SANDBOX;
}
/**
 * The model a step calls: the step's (or the config default), else `--model`; openai steps then
 * `OPENAI_MODEL` and DEFAULT_MODEL. Undefined for cmd steps and for codex steps that leave it to
 * codex's own configuration.
 */
function modelOf(step, options) {
    if (step.kind === 'cmd')
        return undefined;
    if (step.kind === 'codex')
        return step.model ?? options.model;
    return step.model ?? options.model ?? (options.env.OPENAI_MODEL || undefined) ?? DEFAULT_MODEL;
}
/**
 * Why `url` cannot be the base URL of an OpenAI-compatible server, or undefined when it can. The
 * SDK would take `localhost:8080` (no scheme) or `ftp://...` and fail every call; say so before
 * anything runs instead.
 */
function baseUrlProblem(url) {
    const example = 'e.g. http://localhost:8080/v1 or https://api.openai.com/v1';
    const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//.exec(url)?.[1];
    if (scheme === undefined)
        return `it has no scheme: write it with http:// or https:// in front, ${example}`;
    if (!/^https?$/i.test(scheme))
        return `the scheme must be http:// or https://, not ${scheme}:// (${example})`;
    // http(s) URLs that parse always name a host
    return URL.canParse(url) ? undefined : `not a valid URL (${example})`;
}

;// CONCATENATED MODULE: ./build/action-js/engine/spend.js




/** What a step's call cost: its usage priced on its model (a batch call at half price). */
function spend_stepUsage(step, usage, prices, options, batch = false) {
    return usage === null ? null : priced(stepModel(step, options), usage, prices, { batch });
}
/** Each step's model, found once per run's options: modelOf reads the environment, slow once a step. */
const models = new WeakMap();
function stepModel(step, options) {
    let known = models.get(options);
    if (known === undefined)
        models.set(options, (known = new Map()));
    if (!known.has(step))
        known.set(step, modelOf(step, options));
    return known.get(step);
}
/**
 * A step's result priced: a record reused from an earlier attempt is priced when it was written
 * before costs were; a fresh result is priced on its model (batch prices for a batch call), and a
 * reply from the response cache gets what a call would have cost as `cached` (at batch prices when
 * the runner batches: what this run would have paid).
 */
function pricedResult(step, result, how, prices, options) {
    if (how.reused)
        return result.usage?.cost_usd === undefined ? { ...result, usage: spend_stepUsage(step, result.usage, prices, options) } : result;
    const fresh = { ...result, usage: spend_stepUsage(step, result.usage, prices, options, result.batch) };
    if (result.cached === undefined)
        return fresh;
    return { ...fresh, cached: spend_stepUsage(step, result.cached, prices, options, how.batching) };
}
/** What a step's entry in the results says of how it was answered: from the cache (and what that saved), in a batch. */
function answerMarks(result) {
    return {
        ...(result?.cached !== undefined ? { cached: true, saved: result.cached } : {}),
        ...(result?.batchId !== undefined ? { batch: result.batchId } : {}),
    };
}
/**
 * Steps whose calls cannot be priced: one warning per model (their cost is unknown, null in
 * results.json), or, with `--max-cost`, problems (a cap that cannot count them would not hold).
 */
function spendChecks(file, lists, options, prices) {
    const unpriced = new Map();
    const unnamed = [];
    for (const list of ['steps', 'after']) {
        if (options.offline)
            break;
        for (const step of lists[list]) {
            const at = stepWhere(file, step.index, step.label, list);
            // a rubric check is an openai call of its own, on its grader's model
            for (const check of step.checks ?? []) {
                if (check.type !== 'rubric')
                    continue;
                const model = modelOf(rubricStep(step, check, ''), options);
                if (priceOf(model, prices) === undefined)
                    unpriced.set(model, [...(unpriced.get(model) ?? []), `${at}: check ${JSON.stringify(check.name)}`]);
            }
            if (step.kind === 'cmd')
                continue;
            const model = modelOf(step, options);
            if (model === undefined)
                unnamed.push(at);
            else if (priceOf(model, prices) === undefined)
                unpriced.set(model, [...(unpriced.get(model) ?? []), at]);
        }
    }
    const where = (list) => list.join(', ');
    const lines = [...unpriced].map(([model, list]) => `${where(list)}: model ${JSON.stringify(model)} has no price, so its cost is unknown: add ` +
        `"prices": {${JSON.stringify(model)}: {"input": …, "cached_input": …, "output": …}} (US dollars per 1M tokens) to the config`);
    // a codex step without a model is common and its cost shows as unknown (README); a cap cannot count it
    const codexDefault = `${where(unnamed)}: a codex step without "model" runs the model codex's own configuration picks, so its cost is unknown: ` +
        'set "model" on the step (or pass --model)';
    if (options.maxCost === undefined)
        return { warnings: lines, problems: [] };
    return {
        warnings: [],
        problems: [...lines, ...(unnamed.length > 0 ? [codexDefault] : [])].map((line) => `--max-cost ${formatUsd(options.maxCost)} cannot count every call: ${line}`),
    };
}
/** Why no new step may start once the run used `used` (token budget, cost cap), or undefined. */
function spendLimit(options, used) {
    if (options.tokenBudget !== undefined && used.input_tokens + used.output_tokens >= options.tokenBudget)
        return 'token budget reached';
    if (options.maxCost !== undefined && (used.cost_usd ?? 0) >= options.maxCost)
        return 'cost limit reached';
    return undefined;
}

// EXTERNAL MODULE: external "node:child_process"
var external_node_child_process_ = __webpack_require__(31421);
;// CONCATENATED MODULE: ./build/action-js/results/paths.js

/** Characters outside [A-Za-z0-9._-] in a name become `_` in paths. */
const safeName = (name) => name.replace(/[^A-Za-z0-9._-]/g, '_');
/** Most characters of a step's name kept in its directory's name: file systems cap a name at 255 bytes. */
const MAX_NAME_IN_PATH = 64;
/**
 * `codex_exec_<k>` for codex steps, `<kk>_<name>` for others, the name cut to 64 characters; the
 * index keeps repeated (and shortened) names apart.
 */
function stepDirName(step) {
    if (step.kind === 'codex')
        return `codex_exec_${step.index}`;
    return `${String(step.index).padStart(2, '0')}_${safeName(step.label).slice(0, MAX_NAME_IN_PATH)}`;
}
const branchDirName = (element) => `branch_${element}`;
/** Relative directory of a leaf or branch inside the run directory. */
const leafDir = (flowId, branch) => [flowId, ...branch.map(branchDirName)].join('/');
/** The copy of its config a run directory keeps: a record of what ran, never what `report` runs. */
const CONFIG_COPY = 'config.json';
/** Where a shard keeps its own copy of run.json inside the run directory. */
const shardRecordPath = (shard) => `shards/${shard.index}-of-${shard.count}.json`;
const RUN_ID = /^run_[A-Za-z0-9._-]+$/;
/**
 * Longest run id, `run_` included. The id is part of directory names, worktree paths and artifact
 * names (`<artifact-name>-<run_id>-shard-I-of-N`), each with a length limit of its own.
 */
const MAX_RUN_ID_LENGTH = 100;
/** What a run id may be, for messages: the rule `normalizeRunId` checks. */
const RUN_ID_RULE = `use letters, digits, ".", "_" and "-" only, at most ${MAX_RUN_ID_LENGTH} characters (with the run_ prefix)`;
/** Adds the `run_` prefix when missing; returns undefined for an id unusable as a directory name (see RUN_ID_RULE). */
function normalizeRunId(id) {
    const full = id.startsWith('run_') ? id : `run_${id}`;
    return RUN_ID.test(full) && !full.includes('..') && full.length <= MAX_RUN_ID_LENGTH ? full : undefined;
}
/** The one message for an unusable run id given as `where` (`--run-id`, the input 'run-id'). */
const runIdProblem = (where, id) => `${where} ${JSON.stringify(id)}: ${RUN_ID_RULE}`;
/** The run id given as `where`, normalised (see `normalizeRunId`); a UsageError naming `where` when it is unusable. */
function checkedRunId(where, id) {
    const full = normalizeRunId(id);
    if (full === undefined)
        throw new errors/* UsageError */.eb(runIdProblem(where, id));
    return full;
}
/** A new run id, unique and sortable by time: `run_20261125T151328Z_3fa9`. */
function newRunId(now, random = Math.random) {
    const stamp = now
        .toISOString()
        .replace(/[-:]/g, '')
        .replace(/\.\d+Z$/, 'Z');
    const suffix = Math.floor(random() * 0x10000)
        .toString(16)
        .padStart(4, '0');
    return `run_${stamp}_${suffix}`;
}

// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(51455);
// EXTERNAL MODULE: ./build/action-js/util/safe-tree.js + 1 modules
var safe_tree = __webpack_require__(79624);
;// CONCATENATED MODULE: ./build/action-js/util/alive.js
/** Whether a process with this pid exists (EPERM: it exists, but belongs to another user). */
function isAlive(pid) {
    try {
        process.kill(pid, 0);
        return true;
    }
    catch (error) {
        return error.code === 'EPERM';
    }
}

;// CONCATENATED MODULE: ./build/action-js/steps/repo-lock.js


/** How long to wait for another process's lock before giving up. */
const WAIT_MS = 10 * 60 * 1000;
/** A lock file without a pid this long after it was made was left by a process that died while writing it. */
const UNWRITTEN_STALE_MS = 10_000;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
/** Whether the lock at `path` was left by a process that is gone. */
function stale(path) {
    try {
        const pid = Number((0,external_node_fs_.readFileSync)(path, 'utf8').trim());
        if (Number.isSafeInteger(pid) && pid > 0)
            return !isAlive(pid);
        return Date.now() - (0,external_node_fs_.statSync)(path).mtimeMs > UNWRITTEN_STALE_MS;
    }
    catch {
        return false; // removed meanwhile: the next attempt takes it
    }
}
/**
 * Runs `work` holding an exclusive lock across processes: a file created with O_EXCL holding our pid
 * (git itself takes no lock around `git worktree add`, so concurrent runs on one repository raced on
 * `.git/worktrees`). A lock whose process is gone is taken over; waiting backs off up to 200 ms.
 */
async function withLockFile(path, work) {
    const started = Date.now();
    for (let attempt = 0;; attempt++) {
        let fd;
        try {
            fd = (0,external_node_fs_.openSync)(path, 'wx');
        }
        catch (error) {
            if (error.code !== 'EEXIST')
                throw error;
        }
        if (fd !== undefined) {
            try {
                (0,external_node_fs_.writeSync)(fd, String(process.pid));
            }
            finally {
                (0,external_node_fs_.closeSync)(fd);
            }
            try {
                return await work();
            }
            finally {
                (0,external_node_fs_.rmSync)(path, { force: true });
            }
        }
        if (stale(path)) {
            (0,external_node_fs_.rmSync)(path, { force: true });
            continue;
        }
        if (Date.now() - started > WAIT_MS) {
            throw new Error(`waited ${WAIT_MS / 60_000} minutes for ${path} (another orchestrator adding or removing git worktrees): ` +
                'if no orchestrator is running on this repository, remove that file');
        }
        await sleep(Math.min(200, 5 * 2 ** Math.min(attempt, 6)) * (0.5 + Math.random()));
    }
}

// EXTERNAL MODULE: external "node:util"
var external_node_util_ = __webpack_require__(57975);
// EXTERNAL MODULE: ./build/action-js/util/private-env.js
var private_env = __webpack_require__(74635);
;// CONCATENATED MODULE: ./build/action-js/steps/worktree-git.js





const run = (0,external_node_util_.promisify)(external_node_child_process_.execFile);
/** git runs hooks and helpers of the repository: it gets no private variables either. */
const gitEnv = () => ({ ...(0,private_env/* publicEnv */.Rt)(process.env), GIT_TERMINAL_PROMPT: '0' });
async function git(cwd, args) {
    const { stdout } = await run('git', args, { cwd, maxBuffer: 1024 * 1024 * 1024, env: gitEnv() });
    return stdout;
}
/** The worktree git just made at `path` (before any step ran in it: its `.git` file is git's). */
function openWorktree(path) {
    const gitFile = (0,external_node_fs_.readFileSync)((0,external_node_path_.join)(path, '.git'), 'utf8');
    return { path, gitDir: (0,external_node_path_.resolve)(path, gitFile.replace(/^gitdir: /, '').trim()), gitFile };
}
/** git in a worktree, told where its records are (not trusting the `.git` file in it). */
function gitIn(tree, args) {
    return git(tree.path, ['--git-dir', tree.gitDir, '--work-tree', tree.path, ...args]);
}
/**
 * Brings a worktree back to the commit `head`: tracked files a leaf changed or removed are checked
 * out again (only those: git compares each file's stat data with its index), what it created,
 * ignored or not, is removed. False when that failed or the worktree's `.git` file is not the one
 * git wrote.
 */
async function resetWorktree(tree, head) {
    try {
        const gitFile = (0,external_node_path_.join)(tree.path, '.git');
        if (!(0,external_node_fs_.lstatSync)(gitFile).isFile() || (0,external_node_fs_.readFileSync)(gitFile, 'utf8') !== tree.gitFile)
            return false;
        await gitIn(tree, ['reset', '--hard', '--quiet', head]);
        await gitIn(tree, ['clean', '-ffdxq']);
        return true;
    }
    catch {
        return false;
    }
}
/**
 * The worktree as it is now, every file git does not ignore included, as a tree object: after setup,
 * so that neither its edits nor the untracked files it made (a `node_modules` link) are in a patch.
 */
async function snapshot(tree) {
    await gitIn(tree, ['add', '--all']);
    return (await gitIn(tree, ['write-tree'])).trim();
}

;// CONCATENATED MODULE: ./build/action-js/steps/worktree.js










/**
 * Tracked files under `dir` with uncommitted changes (staged or not), relative to the repository
 * root: a worktree starts from HEAD and does not have them.
 */
function uncommittedFiles(dir) {
    try {
        const out = (0,external_node_child_process_.execFileSync)('git', ['status', '--porcelain', '-z', '--untracked-files=no', '--', '.'], {
            cwd: dir,
            encoding: 'utf8',
            stdio: ['ignore', 'pipe', 'ignore'],
            env: gitEnv(),
        });
        // "XY path" entries; a rename's entry is followed by one holding its old path
        return out
            .split('\0')
            .filter((entry) => /^[ MADRCTU?!]{2} /.test(entry))
            .map((entry) => entry.slice(3));
    }
    catch {
        return [];
    }
}
/**
 * Where a run's worktrees go: `$XDG_CACHE_HOME/orchestrator/worktrees/<run>-<pid>-<random>` (else
 * `~/.cache/...`). Not under the temp directory: codex's `workspace-write` sandbox lets every codex
 * process write to /tmp and $TMPDIR, so one flow's codex could write into another flow's worktree
 * there. Nor beside or inside the workdir, where a codex running in the shared checkout (a run
 * without isolation on the same repository) could reach it. The home directory is writable by no
 * codex sandbox. The random part keeps two runs with one run id and pid (containers) apart.
 */
function worktreesRoot(env, runId) {
    const cache = env.XDG_CACHE_HOME && (0,external_node_path_.isAbsolute)(env.XDG_CACHE_HOME) ? env.XDG_CACHE_HOME : (0,external_node_path_.join)(env.HOME || (0,external_node_os_.homedir)(), '.cache');
    return (0,external_node_path_.join)(cache, 'orchestrator', 'worktrees', `${runId}-${process.pid}-${(0,external_node_crypto_.randomBytes)(3).toString('hex')}`);
}
/**
 * Git worktrees of the workdir at HEAD, outside the workdir, so parallel flows never edit the same
 * files: a pool of up to `size` (the run's --parallel). A leaf takes one for its steps and gives it
 * back when it ends; the next leaf gets it reset to HEAD (`git reset --hard` rewrites only the files
 * a leaf changed, `git clean -ffdx` removes what it created, ignored files too), as a new worktree
 * would be, instead of paying for one `git worktree add` (a checkout of every file) and one remove
 * per leaf. The pool grows to `size` before any worktree is reused. Only git's bookkeeping
 * (`worktree add --no-checkout`, `worktree prune`) is done one at a time under the repository's
 * lock; checkouts and resets run in parallel. All of them are removed at the end of the run.
 */
class Worktrees {
    repo;
    root;
    size;
    /** Every worktree of the pool that exists (or is being made), by path: what removeAll removes. */
    live = new Set();
    trees = new Map();
    /** Reset, waiting for a leaf. */
    idle = [];
    /** The leaf each worktree in use serves (its name): the patch it keeps is named after it. */
    leaves = new Map();
    /** Worktrees being reset after their leaf ended; a leaf that finds the pool full waits for them. */
    returning = new Set();
    waiters = [];
    repository;
    /** The repository's prefix, once info() has read it (workdirIn is synchronous). */
    prefix = '';
    /**
     * git's worktree bookkeeping (.git/worktrees) is not safe for concurrent adds and removes: one at a
     * time in this process, and across processes under a lock file.
     */
    queue = Promise.resolve();
    /** Makes this run's worktree names unique: git names its records after the directory's name. */
    suffix = (0,external_node_crypto_.randomBytes)(4).toString('hex');
    /** Worktrees whose setup left something: the tree their patches are taken against instead of HEAD. */
    baselines = new Map();
    constructor(repo, root, 
    /** Most worktrees kept for reuse: the run's --parallel. */
    size = 1) {
        this.repo = repo;
        this.root = root;
        this.size = size;
    }
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
            if (setup !== undefined) {
                await setup(this.workdirIn(tree.path));
                this.baselines.set(tree.path, await snapshot(tree));
            }
            // an empty patch (the parent changed nothing) is no patch to git apply: it would refuse it
            if (patch !== undefined && (0,external_node_fs_.existsSync)(patch) && (0,external_node_fs_.statSync)(patch).size > 0)
                await gitIn(tree, ['apply', '--binary', '--whitespace=nowarn', patch]);
        }
        catch (error) {
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
        const dir = this.prefix ? (0,external_node_path_.join)(path, this.prefix) : path;
        (0,external_node_fs_.mkdirSync)(dir, { recursive: true });
        return dir;
    }
    /** Everything changed in the worktree since HEAD (or since setup), new files included, as a patch `git apply` takes. */
    async diff(path) {
        const tree = this.tree(path);
        await gitIn(tree, ['add', '--all']);
        return gitIn(tree, ['diff', '--cached', '--binary', this.baselines.get(path) ?? (await this.info()).head]);
    }
    /**
     * The files changed in the worktree since HEAD (or since setup: what setup left is not the leaf's),
     * new and deleted ones included, relative to the worktree's root.
     */
    async changed(path) {
        const tree = this.tree(path);
        await gitIn(tree, ['add', '--all']);
        const out = await gitIn(tree, [
            'diff',
            '--cached',
            '--name-only',
            '-z',
            '--no-renames',
            this.baselines.get(path) ?? (await this.info()).head,
        ]);
        return out.split('\0').filter(Boolean);
    }
    /**
     * Keeps the patch of the leaf in the worktree at `path` beside the worktrees, outside generated/
     * and unmasked (the copy in the step directory has secrets masked), for the branches that start
     * from it; returns its path. Named after the leaf, not the worktree: the worktree goes on to serve
     * another leaf while the branches still start from this file.
     */
    keep(path, patch) {
        const copy = (0,external_node_path_.join)(this.root, `${this.leaves.get(path) ?? 'leaf'}.${this.suffix}.patch`);
        // codex may write in /tmp: a link planted at this name is refused, not written through
        new safe_tree/* SafeTree */.Sw(this.root).write(copy, patch);
        return copy;
    }
    /**
     * Gives a leaf's worktree back: reset to HEAD for the next leaf, or removed when it cannot be
     * (a failed reset, a rewritten `.git` file) or the pool is full.
     */
    async release(path) {
        const tree = this.trees.get(path);
        if (tree === undefined || !this.leaves.delete(path))
            return;
        this.baselines.delete(path);
        const back = this.reset(tree).then(async (clean) => {
            if (clean && this.live.size <= this.size)
                this.idle.push(tree);
            else
                await this.discard(tree);
        });
        this.returning.add(back);
        try {
            await back;
        }
        finally {
            this.returning.delete(back);
            // every waiter looks again: one takes this worktree, the others make their own if none is coming back
            const waiters = this.waiters;
            this.waiters = [];
            for (const wake of waiters)
                wake();
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
        // the directories in parallel, outside the lock; then git's records of them, under it
        await Promise.all(paths.flatMap((path) => [path, this.tmpFor(path)].map((dir) => (0,promises_.rm)(dir, { recursive: true, force: true }))));
        if (this.repository !== undefined)
            await this.bookkeeping(['worktree', 'prune']).catch(() => undefined);
        (0,external_node_fs_.rmSync)(this.root, { recursive: true, force: true });
        leftOnExit.delete(this);
    }
    /** removeAll, synchronously: for a process that exits at once (a second Ctrl-C). */
    removeAllNow() {
        for (const path of this.live) {
            (0,external_node_fs_.rmSync)(path, { recursive: true, force: true });
            (0,external_node_fs_.rmSync)(this.tmpFor(path), { recursive: true, force: true });
        }
        this.live.clear();
        (0,external_node_fs_.rmSync)(this.root, { recursive: true, force: true });
        try {
            (0,external_node_child_process_.execFileSync)('git', ['worktree', 'prune'], { cwd: this.repo, stdio: 'ignore', env: gitEnv() });
        }
        catch {
            // nothing more to do on the way out
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
        for (;;) {
            if (this.live.size >= this.size) {
                const idle = this.idle.pop();
                if (idle !== undefined)
                    return idle;
                if (this.returning.size > 0) {
                    await new Promise((resolve) => this.waiters.push(resolve));
                    continue;
                }
            }
            return this.add(name, repository);
        }
    }
    /** A new worktree at the run's HEAD: git's record made under the lock, its files checked out outside it. */
    async add(name, repository) {
        try {
            (0,external_node_fs_.mkdirSync)(this.root, { recursive: true });
        }
        catch (error) {
            throw new errors/* StepError */.zg(`cannot create the worktree directory ${this.root} (${error.code ?? (0,errors/* errorMessage */.gJ)(error)}): ` +
                'set XDG_CACHE_HOME to a writable directory outside the temp directory', { cause: error });
        }
        let path = (0,external_node_path_.join)(this.root, `${name}.${this.suffix}`);
        for (let n = 2; this.live.has(path); n++)
            path = (0,external_node_path_.join)(this.root, `${name}-${n}.${this.suffix}`);
        (0,external_node_fs_.rmSync)(path, { recursive: true, force: true });
        this.live.add(path);
        leftOnExit.add(this);
        try {
            await this.bookkeeping(['worktree', 'add', '--no-checkout', '--detach', '--force', path, repository.head]);
            const tree = openWorktree(path);
            this.trees.set(path, tree);
            // the checkout: git's hooks do not run (post-checkout ran with a plain `worktree add`)
            await gitIn(tree, ['reset', '--hard', '--quiet', repository.head]);
            (0,external_node_fs_.mkdirSync)(this.tmpFor(path), { recursive: true });
            return tree;
        }
        catch (error) {
            await this.discard({ path, gitDir: '', gitFile: '' });
            throw error;
        }
    }
    /** Brings a worktree back to the run's HEAD (resetWorktree) and empties its temp directory; false when that failed. */
    async reset(tree) {
        if (!(await resetWorktree(tree, (await this.info()).head)))
            return false;
        try {
            await (0,promises_.rm)(this.tmpFor(tree.path), { recursive: true, force: true });
            (0,external_node_fs_.mkdirSync)(this.tmpFor(tree.path));
            return true;
        }
        catch {
            return false;
        }
    }
    /** Removes a worktree: its directories outside the lock, then git's record of it under the lock. */
    async discard(tree) {
        this.trees.delete(tree.path);
        this.leaves.delete(tree.path);
        this.baselines.delete(tree.path);
        await Promise.all([tree.path, this.tmpFor(tree.path)].map((dir) => (0,promises_.rm)(dir, { recursive: true, force: true }).catch(() => undefined)));
        this.live.delete(tree.path);
        await this.bookkeeping(['worktree', 'prune']).catch(() => undefined);
    }
    tree(path) {
        const tree = this.trees.get(path);
        if (tree === undefined)
            throw new Error(`internal error: ${path} is not a worktree of this run`);
        return tree;
    }
    /** The workdir's place in its repository, the lock and HEAD, read once. */
    info() {
        this.repository ??= (async () => {
            const [prefix, common, head] = await Promise.all([
                git(this.repo, ['rev-parse', '--show-prefix']),
                git(this.repo, ['rev-parse', '--git-common-dir']),
                git(this.repo, ['rev-parse', '--verify', 'HEAD^{commit}']),
            ]);
            const repository = {
                prefix: prefix.trim(),
                lock: (0,external_node_path_.join)((0,external_node_path_.resolve)(this.repo, common.trim()), 'orchestrator-worktrees.lock'),
                head: head.trim(),
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
        this.queue = next.catch(() => undefined);
        return next;
    }
}
/** Worktrees not yet removed; a process that exits without awaiting removeAll still removes them. */
const leftOnExit = new Set();
process.on('exit', () => {
    for (const worktrees of [...leftOnExit])
        worktrees.removeAllNow();
});

// EXTERNAL MODULE: ./build/action-js/util/safe-read.js
var safe_read = __webpack_require__(89062);
;// CONCATENATED MODULE: ./build/action-js/engine/lock.js







/** A holder is a line of JSON well under this; more is not a lock orchestrator wrote. */
const HOLDER_MAX_BYTES = 4096;
/** The lock file of one shard (unsharded: 1 of 1): shards of one run write one tree at once. */
const lockFileName = (shard) => `.lock-${shard.index}-of-${shard.count}`;
/**
 * Why a run may not write into `runDir` without `--resume`: it holds a run already, or (sharded)
 * this shard of one. Undefined when it may.
 */
function existingRun(runDir, shard, shown) {
    if (shard.count === 1) {
        return (0,external_node_fs_.existsSync)((0,external_node_path_.join)(runDir, 'run.json'))
            ? `${shown} already holds a run: pass --resume to finish it, or another --run-id`
            : undefined;
    }
    return (0,external_node_fs_.existsSync)((0,external_node_path_.join)(runDir, shardRecordPath(shard)))
        ? `${shown} already holds shard ${shard.index}/${shard.count} of a run (${shardRecordPath(shard)}): pass --resume to finish it, or another --run-id`
        : undefined;
}
function readHolder(path) {
    try {
        // a step could have planted a FIFO or a link to /dev/zero at the lock's name: read only a small regular file
        const value = JSON.parse((0,safe_read/* readRegular */.VX)(path, { maxBytes: HOLDER_MAX_BYTES }).bytes.toString('utf8'));
        return Number.isSafeInteger(value.pid) && typeof value.host === 'string' && typeof value.started_at === 'string'
            ? value
            : undefined;
    }
    catch {
        return undefined;
    }
}
/** A lock left by a process of this host that is gone (killed, crashed): the next run may take it. */
const isStale = (holder) => holder.host === (0,external_node_os_.hostname)() && holder.pid !== process.pid && !isAlive(holder.pid);
/** Creates the lock file with its contents complete, or fails with EEXIST: link() never replaces a file. */
function create(path, holder) {
    const temporary = `${path}.${process.pid}.tmp`;
    (0,external_node_fs_.rmSync)(temporary, { force: true });
    try {
        // inside the try: a write that fails (a full disk) leaves no temporary file either
        (0,external_node_fs_.writeFileSync)(temporary, JSON.stringify(holder) + '\n', { flag: 'wx' });
        (0,external_node_fs_.linkSync)(temporary, path);
        return true;
    }
    catch (error) {
        if (error.code === 'EEXIST')
            return false;
        throw error;
    }
    finally {
        (0,external_node_fs_.rmSync)(temporary, { force: true });
    }
}
/**
 * Moves a stale lock aside. Two runs may find the same stale lock: the one that moves it first
 * wins; when what was moved turns out to be a live lock taken in between, it is put back.
 */
function takeOver(path, stale) {
    const aside = `${path}.stale-${process.pid}`;
    try {
        (0,external_node_fs_.renameSync)(path, aside);
    }
    catch {
        return; // another run moved it first
    }
    const moved = readHolder(aside);
    if (moved?.pid !== stale.pid || moved.started_at !== stale.started_at) {
        try {
            (0,external_node_fs_.linkSync)(aside, path);
        }
        catch {
            // a third run holds it now
        }
    }
    (0,external_node_fs_.rmSync)(aside, { force: true });
}
/**
 * Takes the lock of a run directory (one per shard), so two processes started with one run id
 * cannot both write it; then, holding it, checks that a run without `--resume` does not write over
 * an earlier one. Throws a UsageError naming the lock and who holds it. A lock whose process is
 * gone from this host is taken over; one from another host is not (its process cannot be checked).
 */
function lockRun(runDir, shard, shown, resume) {
    const name = lockFileName(shard);
    const path = (0,external_node_path_.join)(runDir, name);
    const me = { pid: process.pid, host: (0,external_node_os_.hostname)(), started_at: new Date().toISOString() };
    let taken = false;
    for (let tries = 0; !taken && tries < 5; tries++) {
        try {
            taken = create(path, me);
        }
        catch (error) {
            throw new errors/* UsageError */.eb(`cannot create the lock ${(0,external_node_path_.join)(shown, name)}: ${(0,errors/* errorMessage */.gJ)(error)}`, { cause: error });
        }
        if (taken)
            break;
        const holder = readHolder(path);
        if (holder !== undefined && isStale(holder)) {
            takeOver(path, holder);
            continue;
        }
        const who = holder === undefined
            ? 'by a process whose lock file cannot be read'
            : `by pid ${holder.pid} on ${holder.host} since ${holder.started_at}`;
        throw new errors/* UsageError */.eb(`${shown}${shard.count > 1 ? ` (shard ${shard.index}/${shard.count})` : ''} is being written by another orchestrator: ` +
            `its lock ${(0,external_node_path_.join)(shown, name)} is held ${who}. Wait for that run to end, or use another --run-id; ` +
            'if no such run is alive (e.g. it ran on another machine and was killed), delete the lock file');
    }
    if (!taken)
        throw new errors/* UsageError */.eb(`cannot take the lock ${(0,external_node_path_.join)(shown, name)}: other runs keep taking it; try again`);
    const release = () => {
        process.off('exit', release);
        const holder = readHolder(path);
        if (holder?.pid === me.pid && holder.started_at === me.started_at)
            (0,external_node_fs_.rmSync)(path, { force: true });
    };
    // a second Ctrl-C exits at once: the lock goes with the process all the same
    process.on('exit', release);
    const problem = resume ? undefined : existingRun(runDir, shard, shown);
    if (problem !== undefined) {
        release();
        throw new errors/* UsageError */.eb(problem);
    }
    return { path, release };
}

;// CONCATENATED MODULE: ./build/action-js/engine/run-checks.js
/**
 * The checks before a run that look outside the config: the workdir and its isolation, the output
 * and run directories, the credentials and programs the steps need, the shard. Each adds what it
 * finds to the problems (the run does not start) or the warnings (it starts, and says so).
 */











/** The workdir, resolved: it must be a directory, a git checkout with a commit for --isolate worktree. */
function checkWorkdir(options, config, ranSteps, { problems, warnings }) {
    const workdir = (0,external_node_path_.resolve)(options.baseDir, options.workdir);
    const workdirOk = (0,external_node_fs_.existsSync)(workdir) && (0,external_node_fs_.statSync)(workdir).isDirectory();
    if (!workdirOk)
        problems.push(`--workdir ${JSON.stringify(options.workdir)}: not a directory`);
    const codexSteps = ranSteps.filter((s) => s.kind === 'codex');
    if (options.isolate === 'worktree' && workdirOk && codexSteps.length > 0) {
        if (!hasCommit(workdir)) {
            problems.push(`--isolate worktree: the workdir ${JSON.stringify(options.workdir)} is not a git repository with a commit, so there is no HEAD to give each flow a worktree of: ` +
                'run in a checkout, or use --isolate none');
        }
        else {
            const changed = uncommittedFiles(workdir);
            if (changed.length > 0) {
                const shown = changed.slice(0, 3).join(', ') + (changed.length > 3 ? ` and ${changed.length - 3} more` : '');
                warnings.push(`--isolate worktree: the checkout has uncommitted changes (${shown}); worktrees start from HEAD, so codex sees and edits HEAD's version of those files, ` +
                    'while prompts read the edited ones: commit or stash them first');
            }
        }
    }
    if (config.setup !== undefined && options.isolate !== 'worktree') {
        warnings.push(`${config.file}: "setup" runs in each new worktree, and without --isolate worktree there is none: it is not run (prepare the workdir yourself)`);
    }
    const writable = codexSteps.some((s) => sandboxOf(s, options) !== 'read-only');
    if (options.isolate !== 'worktree' && writable && options.parallel > 1 && !options.offline) {
        warnings.push(`codex steps that may write run up to ${options.parallel} at a time in one shared workdir (${options.workdir}): parallel flows can edit the same files. ` +
            'Use --isolate worktree to give each flow a git worktree of its own, with its changes saved as changes.patch');
    }
    return workdir;
}
/**
 * The API key the model steps need and the codex program codex steps run (none offline). Either
 * missing is a problem, or a warning for a dry run, which calls nothing but says what a run would stop on.
 */
function findCredentials(options, ranSteps, found) {
    const problems = options.dryRun === true ? found.warnings : found.problems;
    const needsModel = !options.offline && ranSteps.some(callsModel);
    const needsCodex = !options.offline && ranSteps.some((s) => s.kind === 'codex');
    const apiKey = options.env.OPENAI_API_KEY || options.env.CODEX_API_KEY || undefined;
    const keyUsers = needsModel ? 'openai' : needsCodex && options.codexNeedsKey ? 'codex' : undefined;
    if (keyUsers !== undefined && apiKey === undefined) {
        problems.push(options.missingKeyHint ??
            `OPENAI_API_KEY is not set, and the config has ${keyUsers} steps: set it, or pass --offline to try the config without calling a model`);
    }
    let codexPath;
    if (needsCodex) {
        codexPath = findExecutable(options.codexPath ?? 'codex', options.env, options.baseDir);
        if (codexPath === undefined) {
            problems.push(options.codexPath !== undefined
                ? `--codex-path ${JSON.stringify(options.codexPath)}: no executable file there`
                : 'the config has codex steps but no `codex` is on PATH: install it (npm install -g @openai/codex), pass --codex-path, or use --offline');
        }
    }
    return { apiKey, codexPath };
}
/** The shard this process runs (1/1 without --shard): there must be a flow for each shard, and a --run-id to share. */
function checkShard(options, space, problems) {
    if (space.total > Number.MAX_SAFE_INTEGER)
        problems.push(`the key files make ${space.total} flows, too many to number`);
    const shard = options.shard ?? { index: 1, count: 1 };
    if (shard.count > space.total) {
        problems.push(`--shard ${shard.index}/${shard.count}: there are only ${space.total} flows, so at most ${space.total} shards`);
    }
    if (options.runId === undefined && shard.count > 1) {
        problems.push(`--shard ${shard.index}/${shard.count} needs --run-id, so that the shards write one run: use the run_id \`orchestrator plan\` printed`);
    }
    return shard;
}
/** The run id (given, or new) and its directory, which must be a directory or not exist, and not hold another run. */
function checkRunDir(options, shard, outputOk, now, problems) {
    const runId = options.runId === undefined ? newRunId(now) : normalizeRunId(options.runId);
    if (runId === undefined && options.runId !== undefined)
        problems.push(runIdProblem('--run-id', options.runId));
    const runDir = (0,external_node_path_.resolve)(options.baseDir, options.outputDir, runId ?? 'run_');
    const runDirKind = outputOk ? (0,external_node_fs_.lstatSync)(runDir, { throwIfNoEntry: false }) : undefined;
    if (runId !== undefined && runDirKind !== undefined && !runDirKind.isDirectory()) {
        problems.push(`${(0,external_node_path_.join)(options.outputDir, runId)} is ${runDirKind.isSymbolicLink() ? `a symbolic link (to ${JSON.stringify((0,external_node_fs_.readlinkSync)(runDir))})` : 'a file'}, not a run directory: ` +
            'orchestrator does not write through it; remove it, or use another --run-id');
    }
    // checked again under the run's lock (lock.ts): two runs may start at once
    const existing = runId === undefined || options.resume || runDirKind?.isDirectory() === false
        ? undefined
        : existingRun(runDir, shard, (0,external_node_path_.join)(options.outputDir, runId));
    if (existing !== undefined)
        problems.push(existing);
    return { runId, runDir };
}
/**
 * Why the output directory cannot hold a run, or undefined: it, or the nearest part of it that
 * exists, must be a writable directory; a dangling link and the kernel's /proc and /sys are not.
 */
function outputDirProblem(output) {
    let existing = output;
    for (;;) {
        let stats;
        try {
            stats = (0,external_node_fs_.lstatSync)(existing);
        }
        catch {
            // missing, or below a file (ENOTDIR): the part above tells
        }
        if (stats?.isSymbolicLink() && !(0,external_node_fs_.existsSync)(existing)) {
            return `${JSON.stringify(existing)} is a symbolic link to ${JSON.stringify((0,external_node_fs_.readlinkSync)(existing))}, which does not exist: create that directory, or point --output elsewhere`;
        }
        if (stats !== undefined)
            break;
        if ((0,external_node_path_.dirname)(existing) === existing)
            return 'no part of the path exists';
        existing = (0,external_node_path_.dirname)(existing);
    }
    let real;
    try {
        if (!(0,external_node_fs_.statSync)(existing).isDirectory())
            return `${JSON.stringify(existing)} is a file, not a directory`;
        real = external_node_fs_.realpathSync.native(existing);
        (0,external_node_fs_.accessSync)(existing, external_node_fs_.constants.W_OK);
    }
    catch (error) {
        return `${JSON.stringify(existing)} is not writable (${error.code ?? String(error)})`;
    }
    if (/^\/(proc|sys)(\/|$)/.test(real))
        return `${JSON.stringify(real)} is in the kernel's ${real.split('/')[1]} file system, where no run can be written`;
    return undefined;
}
/** Whether `dir` is in a git repository that has a HEAD commit. */
function hasCommit(dir) {
    try {
        (0,external_node_child_process_.execFileSync)('git', ['rev-parse', '--verify', '--quiet', 'HEAD'], { cwd: dir, stdio: 'ignore', env: (0,private_env/* publicEnv */.Rt)(process.env) });
        return true;
    }
    catch {
        return false;
    }
}
/** `name` on PATH, or an explicit path; undefined when there is no executable file. */
function findExecutable(name, env, cwd) {
    const candidates = name.includes('/')
        ? [(0,external_node_path_.resolve)(cwd, name)]
        : (env.PATH ?? '')
            .split(external_node_path_.delimiter)
            .filter(Boolean)
            .map((dir) => (0,external_node_path_.join)(dir, name));
    for (const candidate of candidates) {
        try {
            if ((0,external_node_fs_.statSync)(candidate).isFile()) {
                (0,external_node_fs_.accessSync)(candidate, external_node_fs_.constants.X_OK);
                return candidate;
            }
        }
        catch {
            // not here
        }
    }
    return undefined;
}
/**
 * `--resume` continues a run, and a shard joins one, only with the config and key lists it started
 * with: flow ids are positions.
 */
function checkSameRun(runJson, configHash, keysHash, shown, what) {
    if (!(0,external_node_fs_.existsSync)(runJson))
        return;
    let previous;
    try {
        previous = JSON.parse((0,safe_read/* readRegular */.VX)(runJson).bytes.toString('utf8'));
    }
    catch {
        throw new errors/* UsageError */.eb(`${shown}/run.json cannot be read, so ${what} cannot continue that run: start a new run with another --run-id`);
    }
    const changed = [
        previous.config?.hash !== configHash ? 'the config' : undefined,
        previous.keys_hash !== keysHash ? 'the key lists' : undefined,
    ].filter(Boolean);
    if (changed.length > 0) {
        throw new errors/* UsageError */.eb(`${what}: ${changed.join(' and ')} changed since ${shown} started; flow ids are positions, so its results would not match. ` +
            'Restore them, or start a new run with another --run-id');
    }
}

;// CONCATENATED MODULE: ./build/action-js/prompt/shell-rules.js
/**
 * What the cmd placeholder check refuses and why, with the fix it suggests: the rules of
 * shell-scan.ts, apart from the scanning itself.
 */
const VARIABLE_FIRST = 'assign it to a variable at the start of the command (v={{{NAME}}}) and use "$v" there';
const REFUSE = {
    arithmetic: {
        why: 'inside arithmetic ($((...)), ((...)) or $[...]), where bash evaluates the contents as an expression (a[$(cmd)] runs cmd)',
        fix: "assign it to a variable first (v={{{NAME}}}), check that it is a number (case $v in ''|*[!0-9]*) exit 1;; esac), then use $((v ...)); or pass the contents on stdin",
    },
    parameter: {
        why: 'inside a ${...} parameter expansion, whose patterns, offsets and subscripts are not data',
        fix: VARIABLE_FIRST,
    },
    backtick: {
        why: 'inside `...` backticks, whose quoting this check does not follow',
        fix: 'write $(...) instead of backticks',
    },
    doubleBracket: {
        why: 'inside [[ ... ]], where bash evaluates the operands of -eq, -lt, ... as arithmetic',
        fix: 'use [ ... ] (test) instead, or ' + VARIABLE_FIRST,
    },
    subscript: {
        why: 'after an unquoted "[" in the same word, where bash reads an array subscript (evaluated as arithmetic)',
        fix: 'quote the word, or ' + VARIABLE_FIRST,
    },
    backslash: { why: 'right after a backslash, which would escape the quoting around it', fix: 'remove the backslash' },
    dollar: { why: 'right after "$"', fix: 'remove the "$": the placeholder already stands for the contents' },
    quotedHereDoc: {
        why: 'in a quoted here-document, where the shell expands nothing',
        fix: "unquote its delimiter (<<EOF, not <<'EOF'), or pass the contents on stdin",
    },
    commandName: {
        why: 'in the name of the command, so the contents would choose what runs (`read`, for one, evaluates a[$(cmd)] in a variable name)',
        fix: 'name the command as a plain word and pass the contents as its argument or on stdin',
    },
    unknownCommand: {
        why: 'in a command whose name (or a word before it, after `command`, `builtin`, `exec` or `env`) this check cannot read: a variable, a substitution or a glob may name a builtin such as `read`, which evaluates a[$(cmd)] in a variable name',
        fix: 'write the command name as a plain word (not "$cmd", $(...) or a glob) or a quoted path ("$HOME"/bin/tool), or pass the contents on stdin',
    },
    ampersandRedirect: {
        why: 'after "&>", which bash reads as a redirection but dash as "&" (run in the background) followed by a new command holding this placeholder',
        fix: 'write >FILE 2>&1 instead of &>FILE',
    },
    testOperand: {
        why: 'in a `test` or `[` command next to a word this check cannot read: bash reads `[ -v NAME ]` as a test of the variable NAME and evaluates a[$(cmd)] in it, so one word may be the -v and the other the name',
        fix: 'put an operator between the two words ([ "$a" = {{{NAME}}} ]), or pass the contents on stdin',
    },
};
/** Things after which this check is no longer sure how the shell reads the rest. */
const DOUBT = {
    carriageReturn: 'after a carriage return (a CRLF line ending), which the shell reads as part of a word',
    ansiQuote: "after $'...' quoting, whose backslash escapes differ between shells",
    caseInParens: 'after a `case` inside $(...) or (...), whose `pattern)` this check would read as the closing parenthesis',
    hereDocWord: "after a here-document delimiter this check cannot read (write it as <<EOF, <<-EOF or <<'EOF')",
    ambiguousArithmetic: 'after a "((" that bash reads as arithmetic and dash as two subshells (write "( (" for subshells, "$((...))" for arithmetic)',
    quoteInParameter: 'after a single quote inside "${...}", which dash and bash read differently',
    attributes: 'after a `declare -i`-like command (bash evaluates later assignments to an integer variable as arithmetic)',
    reshaping: (builtin) => `after a \`${builtin}\` command, which may change how bash reads the commands after it (aliases, shell options, builtins)`,
    unterminated: (what) => `after ${what} that is never closed`,
    hereDocEnd: (delimiter) => `after a here-document with no closing line ${JSON.stringify(delimiter)}`,
    hereDocNested: 'after a here-document whose body starts inside or outside the parentheses it was opened in',
};
/** Characters that end an unquoted word. */
const METACHAR = /[ \t\n;&|<>()]/;

;// CONCATENATED MODULE: ./build/action-js/prompt/here-doc.js

/**
 * Reads the delimiter word after `<<` at `i` (before `end`): the word, whether any part of it is
 * quoted (then the body is not expanded) and `-` (leading tabs stripped); no word when the check
 * cannot read it with certainty (a placeholder, `$` or a backquote in it, an open quote). `next` is
 * where reading stopped.
 */
function readHereDocWord(t, i, end, isPlaceholder) {
    const stripTabs = t[i] === '-';
    if (stripTabs)
        i++;
    while (t[i] === ' ' || t[i] === '\t')
        i++;
    let delimiter = '';
    let quoted = false;
    while (i < end && !METACHAR.test(t[i])) {
        const c = t[i];
        if (isPlaceholder(i) || c === '$' || c === '`')
            return { next: i };
        if (c === '\\') {
            if (isPlaceholder(i + 1) || i + 1 >= end || t[i + 1] === '\n')
                return { next: i };
            quoted = true;
            delimiter += t[i + 1];
            i += 2;
        }
        else if (c === "'" || c === '"') {
            const close = t.indexOf(c, i + 1);
            const part = close < 0 || close >= end ? undefined : t.slice(i + 1, close);
            if (part === undefined || /[$`\\{]/.test(part))
                return { next: i };
            quoted = true;
            delimiter += part;
            i = close + 1;
        }
        else {
            delimiter += c;
            i++;
        }
    }
    return delimiter === '' ? { next: i } : { word: { delimiter, quoted, stripTabs }, next: i };
}
/** The body of `doc` starting at `start`: it ends before the line that is the delimiter (`found`), else at `end`; `next` follows that line. */
function findHereDocEnd(t, start, end, doc) {
    for (let pos = start; pos < end;) {
        let lineEnd = t.indexOf('\n', pos);
        if (lineEnd < 0 || lineEnd > end)
            lineEnd = end;
        const line = t.slice(pos, lineEnd);
        if ((doc.stripTabs ? line.replace(/^\t+/, '') : line) === doc.delimiter)
            return { bodyEnd: pos, next: Math.min(lineEnd + 1, end), found: true };
        pos = lineEnd + 1;
    }
    return { bodyEnd: end, next: end, found: false };
}

;// CONCATENATED MODULE: ./build/action-js/prompt/shell-word.js
/**
 * Reads a word as the shell will see it after quote removal: single quotes, double quotes (where
 * a backslash escapes only `$`, a backquote, `"`, `\` and a newline) and unquoted backslashes.
 * Anything the shell expands (a placeholder, `$`, a backquote, `$'...'`, a glob, a brace, a leading
 * `~`) makes the value uncertain. `placeholderEnd(offset)` is where a placeholder starting at that
 * offset of `raw` ends.
 */
function readWord(raw, placeholderEnd) {
    let text = '';
    let lead;
    /** An unquoted expansion or brace: the word may become several fields, some without the "/". */
    let split = false;
    let slash = false;
    let quote = '';
    const lastBracket = raw.lastIndexOf(']');
    const lastBrace = raw.lastIndexOf('}');
    const unsure = (splits) => {
        lead ??= text;
        split ||= splits;
    };
    const add = (c) => {
        text += c;
        if (c === '/')
            slash = true;
    };
    /** The word stops being readable here: its value is uncertain and nothing is known of its fields. */
    const giveUp = () => ({ value: undefined, lead: lead ?? text, slash: false, single: false });
    for (let i = 0; i < raw.length;) {
        const end = placeholderEnd(i);
        if (end !== undefined) {
            unsure(false); // the compiled placeholder is always quoted: one field
            i = end;
            continue;
        }
        const c = raw[i];
        if (quote === "'") {
            if (c === "'")
                quote = '';
            else
                add(c);
            i++;
        }
        else if (c === '\\') {
            const next = raw[i + 1];
            if (next === undefined)
                return giveUp();
            if (quote === '"' && !'$`"\\\n'.includes(next)) {
                add(c); // inside double quotes, a backslash before another character is itself
                i++;
            }
            else {
                if (next !== '\n')
                    add(next); // backslash-newline joins the lines
                i += 2;
            }
        }
        else if (c === '"') {
            quote = quote === '"' ? '' : '"';
            i++;
        }
        else if (c === "'" && quote === '') {
            quote = "'";
            i++;
        }
        else if (c === '$') {
            const skip = parameterLength(raw, i);
            if (skip === undefined)
                return giveUp();
            unsure(quote === '' || raw[i + 1] === '@');
            i += skip;
        }
        else if (c === '`') {
            return giveUp();
        }
        else if (quote === '' && (c === '*' || c === '?' || (c === '[' && lastBracket > i))) {
            unsure(false); // a glob: the names of files, which may be anything
            add(c);
            i++;
        }
        else if (quote === '' && c === '{' && lastBrace > i) {
            unsure(true); // bash's brace expansion: several words
            add(c);
            i++;
        }
        else if (quote === '' && c === '~' && i === 0) {
            unsure(false);
            i++;
        }
        else {
            add(c);
            i++;
        }
    }
    if (quote !== '')
        return giveUp();
    return { value: lead === undefined ? text : undefined, lead: lead ?? text, slash: slash && !split, single: !split };
}
const NAME = /[A-Za-z_][A-Za-z0-9_]*/y;
/** Length of a `$name`, `$1`, `$@` or `${...}` (with no quote or substitution inside) at `i`; undefined for anything else. */
function parameterLength(raw, i) {
    const next = raw[i + 1];
    if (next === undefined)
        return undefined;
    if (/[0-9@*#?$!-]/.test(next))
        return 2;
    NAME.lastIndex = i + 1;
    const name = NAME.exec(raw);
    if (name)
        return 1 + name[0].length;
    if (next !== '{')
        return undefined;
    let depth = 0;
    for (let j = i + 1; j < raw.length; j++) {
        const c = raw[j];
        if ('\'"`$\\'.includes(c))
            return undefined;
        if (c === '{')
            depth++;
        else if (c === '}' && --depth === 0)
            return j + 1 - i;
    }
    return undefined;
}

;// CONCATENATED MODULE: ./build/action-js/prompt/command-words.js
/**
 * The simple command the scanner is reading, word by word, and the bash builtins in it that read a
 * word as a variable name, an expression or code (`read NAME`, `printf -v NAME`, `wait -p NAME`,
 * `test -v NAME`, `unset`, `let`, `declare -i`...): bash evaluates `a[$(cmd)]` in such a name, so a
 * placeholder there would run the contents. Words are compared as the shell sees them, after quote
 * removal (`"read"`, `re\ad`, `r"ea"d` are `read`); a word this check cannot read (an expansion, a
 * glob) counts as any word at all.
 */


/** Builtins that read their arguments as variable names, expressions or code: no placeholder after them. */
const EVALUATING = new Set(['let', 'eval', 'trap', 'read', 'mapfile', 'readarray', 'unset', 'getopts', 'compgen', 'complete']);
/** Builtins that change how the shell reads what follows: no placeholder in them, and none after them. */
const RESHAPING = new Set(['alias', 'shopt', 'enable']);
/** Builtins with an option naming a variable, read by getopt (options end at the first operand or `--`). */
const NAME_OPTION = new Map([
    ['printf', 'v'],
    ['wait', 'p'],
]);
/** `test` and `[`, whose `-v NAME` and `-R NAME` test a variable by its name. */
const TESTS = new Set(['test', '[']);
/** Builtins whose arguments are `NAME=value` assignments (safe as values, not as names or with -i/-n/-a). */
const DECLARING = new Set(['declare', 'typeset', 'local', 'readonly', 'export']);
/** Options of those that make a variable an integer (arithmetic on every assignment), a reference, an array, or inherit those. */
const ATTRIBUTE = /^[-+][A-Za-z]*[aAinI]/;
/** Of those, the ones that take such options (`export` and `readonly` take none of -i, -n, -I). */
const ATTRIBUTING = new Set(['declare', 'typeset', 'local']);
/** Commands that run the word after their options as a command, with the options of theirs that take an argument. */
const PREFIXES = new Map([
    ['command', /^$/],
    ['builtin', /^$/],
    ['time', /^-[A-Za-z]*[fo]$/], // /usr/bin/time -f FORMAT -o FILE, where time is no keyword
    ['exec', /^-[cl]*a$/],
    ['env', /^(-[A-Za-z0-9]*[uCSaP]|--(unset|chdir|argv0))$/],
]);
/** `env -S` / `--split-string`: the command is inside that string. */
const ENV_SPLIT = /^(-[A-Za-z0-9]*S|--s)/;
/** Reserved words after which a command starts (only unquoted, as written). */
const RESERVED = new Set(['!', '{', 'if', 'then', 'else', 'elif', 'do', 'while', 'until', 'coproc', 'function']);
/** An assignment word (`NAME=`, `NAME+=`, `NAME[...]=`) as written. */
const ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*(\[[^\]]*\])?\+?=/;
function builtinRefusal(builtin) {
    return {
        why: `in a \`${builtin}\` command, which bash may read as a variable name, an expression or code (a[$(cmd)] runs cmd)`,
        fix: 'pass it as a plain value (v={{{NAME}}}) and check it before such a use, or pass the contents on stdin',
    };
}
function optionRefusal(builtin, letter) {
    return {
        why: `where \`${builtin}\` reads its options (contents starting with -${letter} would name a variable, and bash evaluates a[$(cmd)] in it)`,
        fix: builtin === 'printf'
            ? "give the format first (printf '%s' {{{NAME}}}), or end the options with --"
            : 'end the options with -- before it',
    };
}
class CommandWords {
    text;
    placeholders;
    events;
    list;
    begin = -1;
    stage;
    prefix = '';
    skipNext = false;
    target = false;
    /** Why every later placeholder of this command is refused. */
    taint;
    rules = [];
    /** `list` words are values, not a command (the words of `a=(...)`). */
    constructor(text, placeholders, events, list = false) {
        this.text = text;
        this.placeholders = placeholders;
        this.events = events;
        this.list = list;
        this.stage = list ? 'args' : 'start';
    }
    start(pos) {
        if (this.begin < 0)
            this.begin = pos;
    }
    inWord() {
        return this.begin >= 0;
    }
    end(pos) {
        if (this.begin < 0)
            return;
        const start = this.begin;
        this.begin = -1;
        const holds = this.placeholders.within(start, pos);
        if (this.target) {
            // a redirection's target: a file name, never a command or an argument
            this.target = false;
            if (this.taint !== undefined)
                this.refuse(holds, this.taint);
            return;
        }
        const raw = this.text.slice(start, pos);
        const text = readWord(raw, (offset) => {
            const end = this.placeholders.endAt(start + offset);
            return end === undefined ? undefined : end - start;
        });
        this.read({ ...text, raw, holds });
    }
    /** At a command separator: a new simple command starts. */
    reset(pos) {
        this.end(pos);
        this.stage = this.list ? 'args' : 'start';
        this.prefix = '';
        this.skipNext = false;
        this.target = false;
        this.taint = undefined;
        this.rules = [];
    }
    /**
     * At a redirection operator's character (`<`, `>`, and the `&` or `|` of `>&`, `<&`, `>|`): a
     * file descriptor number just before it is no word, and the next word is its target (unless
     * `target` is false: a here-document's delimiter, which the scanner reads itself).
     */
    redirect(pos, target = true) {
        if (this.begin >= 0 && /^([0-9]+|\{[A-Za-z_][A-Za-z0-9_]*\})$/.test(this.text.slice(this.begin, pos)))
            this.begin = -1;
        else
            this.end(pos);
        this.target = target;
    }
    /** At `&>`: a redirection in bash, `&` and a new command in dash. */
    ampersandRedirect(pos) {
        this.redirect(pos);
        this.taint ??= REFUSE.ampersandRedirect;
    }
    refuse(placeholders, refusal) {
        if (placeholders.length > 0)
            this.events.refuse(placeholders, refusal);
    }
    read(word) {
        if (this.taint !== undefined)
            this.refuse(word.holds, this.taint);
        for (const rule of this.rules)
            rule(word);
        if (!this.list)
            this.place(word);
        this.recognise(word);
    }
    /** Follows the words before the command's name: assignments, reserved words, `command`/`env`/... and their options. */
    place(word) {
        const value = word.value;
        switch (this.stage) {
            case 'args':
                return;
            case 'function':
                this.stage = 'start'; // the function's name; its body follows
                return;
            case 'start':
                if (ASSIGNMENT.test(word.raw))
                    return;
                if (RESERVED.has(word.raw)) {
                    if (word.raw === 'function')
                        this.stage = 'function';
                    return;
                }
                return this.commandName(word);
            case 'prefix':
                if (this.skipNext) {
                    this.skipNext = false;
                    return;
                }
                if (value !== undefined && value.startsWith('-') && (value.length > 1 || this.prefix === 'env')) {
                    if (this.prefix === 'env' && ENV_SPLIT.test(value))
                        this.taint ??= REFUSE.unknownCommand;
                    else if (PREFIXES.get(this.prefix).test(value))
                        this.skipNext = true;
                    return;
                }
                if (this.prefix === 'env' && (value !== undefined ? value.includes('=') : ASSIGNMENT.test(word.raw) && word.single))
                    return;
                return this.commandName(word);
        }
    }
    commandName(word) {
        this.stage = 'args';
        this.refuse(word.holds, REFUSE.commandName);
        if (word.value === undefined) {
            if (!word.slash)
                this.taint ??= REFUSE.unknownCommand;
        }
        else if (PREFIXES.has(word.value)) {
            this.stage = 'prefix';
            this.prefix = word.value;
        }
    }
    /** A word naming a builtin, wherever it stands (`timeout 5 read` reaches bash's read on macOS too): its rule for the words after it. */
    recognise(word) {
        const name = word.value;
        if (name === undefined)
            return;
        if (EVALUATING.has(name) || RESHAPING.has(name))
            this.taint ??= builtinRefusal(name);
        if (RESHAPING.has(name))
            this.events.doubt(DOUBT.reshaping(name));
        const letter = NAME_OPTION.get(name);
        if (letter !== undefined)
            this.rules.push(this.getoptRule(name, letter));
        if (TESTS.has(name))
            this.rules.push(this.testRule(name));
        if (DECLARING.has(name))
            this.rules.push(this.declaringRule(name));
    }
    /** `printf -v NAME`, `wait -p NAME`: no placeholder after the option, nor where the contents could be it. */
    getoptRule(builtin, letter) {
        const option = new RegExp(`^-[A-Za-z]*${letter}`);
        const named = builtinRefusal(`${builtin} -${letter}`);
        let options = true;
        return (word) => {
            if (word.value !== undefined) {
                if (option.test(word.value))
                    this.taint ??= named;
                else if (word.value === '--' || word.value === '-' || !word.value.startsWith('-'))
                    options = false;
            }
            else if (options) {
                if (word.lead !== '' && !word.lead.startsWith('-'))
                    options = false;
                else {
                    // the word may be -vNAME, or -v with the next word as the name
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
            if (word.value === '-v' || word.value === '-R')
                this.taint ??= named;
            if (previous !== undefined && previous.value === undefined)
                this.refuse(word.holds, REFUSE.testOperand);
            if (previous !== undefined && word.value === undefined)
                this.refuse(previous.holds, REFUSE.testOperand);
            previous = word;
        };
    }
    /** `declare`, `local`, `export`...: placeholders only as the value of a literal `NAME=`, and never with -i, -n, -a. */
    declaringRule(builtin) {
        const refusal = builtinRefusal(builtin);
        return (word) => {
            const assignment = ASSIGNMENT.test(word.raw);
            if (word.value !== undefined ? ATTRIBUTE.test(word.value) : !assignment && ATTRIBUTING.has(builtin)) {
                // -i and the like (or a word that may be one) change how later assignments are read
                this.events.doubt(DOUBT.attributes);
                this.taint ??= refusal;
            }
            if (!assignment)
                this.refuse(word.holds, refusal);
        };
    }
}

;// CONCATENATED MODULE: ./build/action-js/prompt/scan-cursor.js
/**
 * What every part of the scan (shell-scan.ts) stands on: the command's text, the position read up to,
 * the placeholder spans and what each became. A placeholder stays refused ("where this check does
 * not reach") until the scan classifies it, and after a doubt every later one is refused.
 */

class ScanCursor {
    text;
    spans;
    /** The position read up to. */
    i = 0;
    /** Where reading stops: the text's end, or a here-document body's. */
    end;
    byStart = new Map();
    placements;
    doubt;
    constructor(text, spans) {
        this.text = text;
        this.spans = spans;
        this.end = text.length;
        spans.forEach((span, n) => this.byStart.set(span.start, n));
        this.placements = spans.map(() => ({ kind: 'refused', why: 'where this check does not reach', fix: VARIABLE_FIRST }));
    }
    at(pos) {
        return this.byStart.has(pos);
    }
    endAt(pos) {
        const n = this.byStart.get(pos);
        return n === undefined ? undefined : this.spans[n].end;
    }
    within(start, end) {
        // spans are in order: a binary search for the first one at or after start
        let low = 0;
        let high = this.spans.length;
        while (low < high) {
            const middle = (low + high) >> 1;
            if (this.spans[middle].start < start)
                low = middle + 1;
            else
                high = middle;
        }
        const found = [];
        for (let n = low; n < this.spans.length && this.spans[n].start < end; n++)
            found.push(n);
        return found;
    }
    /** Refuses placeholders already classified, found later to stand where bash evaluates them; a first refusal stands. */
    refuseLater(placeholders, refusal) {
        for (const n of placeholders)
            if (this.placements[n].kind !== 'refused')
                this.placements[n] = { kind: 'refused', ...refusal };
    }
    unsure(why) {
        this.doubt ??= why;
    }
    /** Classifies the placeholder at `this.i` and moves past it. */
    placeholder(kind, refusal) {
        const n = this.byStart.get(this.i);
        const firstCr = this.text.indexOf('\r');
        if (firstCr >= 0 && firstCr < this.i)
            this.unsure(DOUBT.carriageReturn);
        this.placements[n] =
            this.doubt !== undefined
                ? {
                    kind: 'refused',
                    why: this.doubt,
                    fix: 'assign it to a variable before that point (v={{{NAME}}} at the start of the command) and use "$v"',
                }
                : refusal !== undefined
                    ? { kind: 'refused', ...refusal }
                    : { kind };
        this.i = this.spans[n].end;
    }
    /** A backslash at `this.i`: escapes the next character, and may not stand before a placeholder. */
    backslash(kind) {
        if (this.at(this.i + 1)) {
            this.i++;
            this.placeholder(kind, REFUSE.backslash);
        }
        else
            this.i += 2;
    }
    wordIs(word) {
        const after = this.i + word.length;
        return this.text.startsWith(word, this.i) && (after >= this.end || (METACHAR.test(this.text[after]) && !this.at(after)));
    }
}

;// CONCATENATED MODULE: ./build/action-js/prompt/shell-scan.js
/**
 * Where each placeholder of a cmd stands, for the shell (dash or bash) that will run it. This is a
 * conservative check, not a shell parser: it classifies a placeholder only in contexts it reads
 * with certainty (unquoted, inside "...", inside '...', in an unquoted here-document) and refuses
 * everything else, so the compiled command never falls back to an unquoted expansion.
 */




class Scanner extends ScanCursor {
    pending = [];
    /** Counts plain() calls, naming the one a here-document operator is read in. */
    calls = 0;
    current = 0;
    /** Unquoted text up to `closer`: commands, or the values of an array assignment (`list`). */
    plain(closer, taint, list = false) {
        const outer = this.current;
        this.current = ++this.calls;
        this.plainBody(closer, taint, list);
        this.current = outer;
    }
    plainBody(closer, taint, list) {
        const t = this.text;
        const events = { refuse: this.refuseLater.bind(this), doubt: this.unsure.bind(this) };
        const words = new CommandWords(t, this, events, list);
        const state = { wordStart: true, bracket: false, redirectEnd: -1 };
        /** What a placeholder, or a quote or substitution that may hold one, at this.i is refused for (the words of the command are judged as each ends). */
        const here = () => taint ?? (state.bracket ? REFUSE.subscript : undefined);
        while (this.i < this.end) {
            const c = t[this.i];
            if (c === '\n' || c === ' ' || c === '\t') {
                if (c === '\n')
                    words.reset(this.i);
                else
                    words.end(this.i);
                this.i++;
                if (c === '\n')
                    this.hereDocs(taint);
                state.wordStart = true;
                state.bracket = false;
                continue;
            }
            if (state.wordStart && !this.at(this.i)) {
                const read = this.commandStart(closer, taint, words);
                if (read === 'closed')
                    return;
                if (read === 'compound')
                    state.wordStart = false;
                if (read !== undefined)
                    continue;
            }
            if (!METACHAR.test(c))
                words.start(this.i);
            state.wordStart = false;
            if (this.at(this.i))
                this.placeholder('plain', here());
            else if (c === '\\')
                this.backslash('plain');
            else if (c === "'") {
                const refusal = here();
                this.i++;
                this.single(refusal);
            }
            else if (c === '"') {
                const refusal = here();
                this.i++;
                this.double(refusal);
            }
            else if (c === '`')
                this.backtick();
            else if (c === '$')
                this.dollar(here(), 'plain');
            else if (c === '(' && words.inWord() && t[this.i - 1] === '=') {
                // an array assignment, a=(...): its words are values, and the word a=(...) goes on
                this.i++;
                this.plain(')', taint, true);
            }
            else if ((c === '<' || c === '>') && t[this.i + 1] === '(') {
                // bash's process substitution <(...), >(...): a word standing for a file name
                words.start(this.i);
                this.i += 2;
                this.plain(')', taint);
            }
            else if (c === '(') {
                words.reset(this.i);
                this.i++;
                this.plain(')', taint);
                state.wordStart = true;
            }
            else if (c === ')') {
                words.reset(this.i);
                this.i++;
                if (closer === ')')
                    return;
                state.wordStart = true; // a case pattern at top level
            }
            else
                this.operator(c, closer, words, state);
        }
        words.reset(this.i);
        if (closer !== 'top')
            this.unsure(DOUBT.unterminated(closer === ')' ? 'a "("' : 'a "[["'));
    }
    /**
     * Where a command word may start: a comment, `]]` closing a `[[`, a `[[` or `((` compound read
     * whole; undefined when none of those is at `this.i` (nothing is read then).
     */
    commandStart(closer, taint, words) {
        const t = this.text;
        if (t[this.i] === '#') {
            // a comment: a placeholder in it is never expanded, whatever it becomes
            while (this.i < this.end && t[this.i] !== '\n') {
                if (this.at(this.i))
                    this.placeholder('plain', undefined);
                else
                    this.i++;
            }
            return 'comment';
        }
        if (closer !== 'top' && this.wordIs('case'))
            this.unsure(DOUBT.caseInParens);
        if (closer === ']]' && this.wordIs(']]')) {
            words.reset(this.i);
            this.i += 2;
            return 'closed';
        }
        if (this.wordIs('[[')) {
            this.i += 2;
            this.plain(']]', taint ?? REFUSE.doubleBracket);
            return 'compound';
        }
        if (t.startsWith('((', this.i)) {
            // bash reads an arithmetic command, dash two subshells: after it, the two may differ
            this.i += 2;
            this.arithmetic('))');
            this.unsure(DOUBT.ambiguousArithmetic);
            return 'compound';
        }
        return undefined;
    }
    /** An operator or any other character of unquoted text: redirections, here-documents, `;`, `&`, `|`, `[`. */
    operator(c, closer, words, state) {
        const t = this.text;
        if (c === '<' && t.startsWith('<<<', this.i)) {
            // bash's here-string: a redirection whose target is the next word
            words.redirect(this.i);
            this.i += 3;
            state.wordStart = true;
            state.bracket = false;
            return;
        }
        if (c === '<' && t.startsWith('<<', this.i) && closer !== ']]') {
            words.redirect(this.i, false);
            this.i += 2;
            this.hereDocOperator();
            state.wordStart = true;
            return;
        }
        if (c === '[')
            state.bracket = true;
        if (c === '<' || c === '>' || ((c === '&' || c === '|') && state.redirectEnd === this.i)) {
            words.redirect(this.i);
            state.redirectEnd = this.i + 1;
        }
        else if (c === '&' && t[this.i + 1] === '>')
            words.ampersandRedirect(this.i);
        else if (c === ';' || c === '&' || c === '|')
            words.reset(this.i);
        else if (METACHAR.test(c))
            words.end(this.i);
        this.i++;
        if (METACHAR.test(c)) {
            state.wordStart = true;
            state.bracket = false;
        }
    }
    single(taint) {
        while (this.i < this.end) {
            if (this.at(this.i))
                this.placeholder('single', taint);
            else if (this.text[this.i++] === "'")
                return;
        }
        this.unsure(DOUBT.unterminated('a single quote'));
    }
    double(taint) {
        if (!this.doubleQuoted(taint, '"'))
            this.unsure(DOUBT.unterminated('a double quote'));
    }
    /**
     * Text read as inside double quotes, up to `closing` (consumed; true when found) or the end: in
     * a here-document's body there is no closing character, and `"` is an ordinary one.
     */
    doubleQuoted(taint, closing) {
        while (this.i < this.end) {
            if (this.at(this.i)) {
                this.placeholder('double', taint);
                continue;
            }
            const c = this.text[this.i];
            if (c === '\\')
                this.backslash('double');
            else if (c === '`')
                this.backtick();
            else if (c === '$')
                this.dollar(taint, 'double');
            else {
                this.i++;
                if (c === closing)
                    return true;
            }
        }
        return false;
    }
    /** A backtick substitution: read to its end, every placeholder in it refused. */
    backtick() {
        this.i++;
        while (this.i < this.end) {
            if (this.at(this.i))
                this.placeholder('plain', REFUSE.backtick);
            else if (this.text[this.i] === '\\')
                this.i += 2;
            else if (this.text[this.i++] === '`')
                return;
        }
        this.unsure(DOUBT.unterminated('a backtick'));
    }
    /** `$` at `this.i`, in unquoted text or in double quotes (here-document bodies count as those). */
    dollar(taint, mode) {
        const t = this.text;
        const next = this.i + 1;
        if (this.at(next)) {
            this.i = next;
            this.placeholder(mode, REFUSE.dollar);
        }
        else if (t.startsWith('((', next)) {
            this.i += 3;
            this.arithmetic('))');
        }
        else if (t[next] === '(') {
            this.i += 2;
            this.plain(')', taint);
        }
        else if (t[next] === '{') {
            this.i += 2;
            this.parameter(mode);
        }
        else if (t[next] === '[') {
            this.i += 2;
            this.arithmetic(']');
        }
        else {
            if (mode === 'plain' && t[next] === "'")
                this.unsure(DOUBT.ansiQuote);
            this.i++;
        }
    }
    /** `$((...))`, `((...))` or `$[...]`: read to the end, every placeholder in it refused. */
    arithmetic(closer) {
        const open = closer === ']' ? '[' : '(';
        let depth = 0;
        while (this.i < this.end) {
            if (this.at(this.i)) {
                this.placeholder('plain', REFUSE.arithmetic);
                continue;
            }
            const c = this.text[this.i];
            if (c === '\\')
                this.backslash('plain');
            else if (c === "'") {
                this.i++;
                this.single(REFUSE.arithmetic);
            }
            else if (c === '"') {
                this.i++;
                this.double(REFUSE.arithmetic);
            }
            else if (c === '`')
                this.backtick();
            else if (c === '$')
                this.dollar(REFUSE.arithmetic, 'plain');
            else {
                this.i++;
                if (c === open)
                    depth++;
                else if (c === closer[0]) {
                    if (depth > 0)
                        depth--;
                    else if (closer === ']')
                        return;
                    else if (this.text[this.i] === ')') {
                        this.i++;
                        return;
                    }
                    else {
                        this.unsure(DOUBT.ambiguousArithmetic);
                        return;
                    }
                }
            }
        }
        this.unsure(DOUBT.unterminated('an arithmetic expression'));
    }
    /** `${...}`: read to its closing brace, every placeholder in it refused. */
    parameter(mode) {
        while (this.i < this.end) {
            if (this.at(this.i)) {
                this.placeholder('plain', REFUSE.parameter);
                continue;
            }
            const c = this.text[this.i];
            if (c === '\\')
                this.backslash('plain');
            else if (c === "'") {
                if (mode === 'double')
                    this.unsure(DOUBT.quoteInParameter);
                this.i++;
                this.single(REFUSE.parameter);
            }
            else if (c === '"') {
                this.i++;
                this.double(REFUSE.parameter);
            }
            else if (c === '`')
                this.backtick();
            else if (c === '$')
                this.dollar(REFUSE.parameter, 'plain');
            else if (this.text[this.i++] === '}')
                return;
        }
        this.unsure(DOUBT.unterminated('a "${"'));
    }
    /** After `<<`: the delimiter word, whose body starts after the next newline. */
    hereDocOperator() {
        const read = readHereDocWord(this.text, this.i, this.end, (pos) => this.at(pos));
        this.i = read.next;
        if (read.word === undefined)
            return this.unsure(DOUBT.hereDocWord);
        this.pending.push({ ...read.word, owner: this.current });
    }
    /** At the start of a line: the bodies of the here-documents opened on the line before. */
    hereDocs(taint) {
        const docs = this.pending;
        this.pending = [];
        if (docs.some((doc) => doc.owner !== this.current))
            this.unsure(DOUBT.hereDocNested);
        for (const doc of docs) {
            const { bodyEnd, next, found } = findHereDocEnd(this.text, this.i, this.end, doc);
            if (!found)
                this.unsure(DOUBT.hereDocEnd(doc.delimiter));
            const outerEnd = this.end;
            this.end = bodyEnd;
            if (doc.quoted) {
                while (this.i < this.end) {
                    if (this.at(this.i))
                        this.placeholder('double', REFUSE.quotedHereDoc);
                    else
                        this.i++;
                }
            }
            else
                this.doubleQuoted(taint, undefined); // an unquoted here-document's body
            this.end = outerEnd;
            this.i = next;
        }
    }
}
/** Classifies each placeholder span of `text` (in order, not overlapping). */
function placePlaceholders(text, spans) {
    const scanner = new Scanner(text, spans);
    scanner.plain('top', undefined);
    return scanner.placements;
}

;// CONCATENATED MODULE: ./build/action-js/prompt/command.js



/** Line and column (1-based) of a position in a text. */
function command_lineColumn(text, position) {
    const before = text.slice(0, position);
    const line = before.split('\n').length;
    return `line ${line}, column ${position - before.lastIndexOf('\n')}`;
}
/**
 * Turns each placeholder of a shell command into a reference to an environment variable holding
 * its value (the file's contents, or its path), quoted for where it stands, so the value is always
 * one word of data: unquoted it is `"${V}"`, inside double quotes or an unquoted here-document
 * `${V}`, inside single quotes `'"${V}"'`. The shell never parses the value, so `$(...)`,
 * backticks, quotes, spaces and globs in it do nothing. A placeholder anywhere else (arithmetic,
 * `${...}`, backticks, `[[ ]]`, a quoted here-document, after a backslash, or after anything the
 * check cannot read with certainty) is refused with every such place listed: never an unquoted
 * expansion. So is one where bash would read the word as a variable name and evaluate `a[$(cmd)]`
 * in it (`read`, `printf -v`, `test -v`...: command-words.ts), or as the command to run.
 */
function compileCommand(cmd) {
    const placeholders = findPlaceholders(cmd);
    if (placeholders.length === 0)
        return { script: cmd, variables: new Map() };
    let placements;
    try {
        placements = placePlaceholders(cmd, placeholders);
    }
    catch (error) {
        if (!(error instanceof RangeError))
            throw error;
        throw new errors/* UsageError */.eb('the command nests $(...), quotes or parentheses too deeply to check its placeholders', { cause: error });
    }
    const variables = new Map();
    const problems = [];
    let script = '';
    let last = 0;
    placeholders.forEach((placeholder, n) => {
        const ref = placeholder.text.slice(3, -3);
        let variable = variables.get(ref);
        if (variable === undefined) {
            variable = `ORCHESTRATOR_KEY_${variables.size + 1}`;
            variables.set(ref, variable);
        }
        const placement = placements[n];
        script += cmd.slice(last, placeholder.start);
        last = placeholder.end;
        if (placement.kind === 'refused') {
            const fix = placement.fix.replaceAll('{{{NAME}}}', placeholder.text);
            problems.push(`${placeholder.text} at ${command_lineColumn(cmd, placeholder.start)} stands ${placement.why}: ${fix}`);
            return;
        }
        script += placement.kind === 'double' ? `\${${variable}}` : placement.kind === 'single' ? `'"\${${variable}}"'` : `"\${${variable}}"`;
    });
    if (problems.length > 0)
        throw new errors/* UsageError */.eb(problems);
    return { script: script + cmd.slice(last), variables };
}

;// CONCATENATED MODULE: ./build/action-js/engine/step-sources.js






/**
 * Reads the prompt files and compiles the commands of one list of steps, checking every text they
 * hold with `check`; problems (a prompt file that cannot be read, a refused command) are added.
 */
function loadStepSources(config, steps, list, at, check, problems) {
    const templates = new Map();
    const commands = new Map();
    for (const step of steps) {
        const where = stepWhere(config.file, step.index, step.label, list);
        if (step.cmd !== undefined) {
            check(step.cmd, where, '"cmd"');
            try {
                commands.set(step.index, compileCommand(step.cmd));
            }
            catch (error) {
                if (!(error instanceof errors/* UsageError */.eb))
                    throw error;
                problems.push(...error.problems.map((problem) => `${where}: field "cmd": ${problem}`));
            }
        }
        else if (step.prompt?.kind === 'inline') {
            check(step.prompt.text, where, '"prompt"');
        }
        else if (step.prompt?.kind === 'file') {
            check(step.prompt.path, where, 'the prompt file path');
            if (placeholderNames(step.prompt.path).length === 0) {
                const file = tryReadInputFile((0,external_node_path_.resolve)(at.base, step.prompt.path), at.rules);
                if ('problem' in file)
                    problems.push(`${where}: ${inputFileMessage('prompt file', step.prompt.path, file.problem)}`);
                else {
                    const text = file.bytes.toString('utf8');
                    templates.set(step.index, text);
                    check(text, where, `prompt file ${JSON.stringify(step.prompt.path)}`);
                }
            }
        }
    }
    return { templates, commands };
}
/** After steps run once over all leaves: no flow, so no key file, fills a placeholder there. */
const noPlaceholders = (problems) => (text, where, what) => {
    const written = [...new Set([...findPlaceholders(text).map((p) => p.text), ...unknownPlaceholderFields(text)])];
    for (const placeholder of written) {
        problems.push(`${where}: ${placeholder} in ${what}: after steps run once over all leaves, not per flow, so no key file fills it ` +
            '(remove it: the leaves, with their keys and outputs, come as the previous output)');
    }
};
/** The after steps' prompt templates and commands, and the problems found reading them. */
function loadAfterSources(config, at) {
    const problems = [];
    const sources = loadStepSources(config, config.after, 'after', at, noPlaceholders(problems), problems);
    return { sources, problems };
}

;// CONCATENATED MODULE: ./build/action-js/engine/prepare.js












/**
 * Reads the config and the key files and checks that they fit: every placeholder has a key, every
 * prompt file can be read. Throws at once only when the config or key files themselves are broken.
 */
function loadDefinition(configFile, keys, base, rules = {}, hints = {}) {
    const configRead = tryReadInputFile((0,external_node_path_.resolve)(base, configFile), { ...rules, pipes: true });
    if ('problem' in configRead)
        throw new errors/* UsageError */.eb(inputFileMessage('the config file', configFile, configRead.problem));
    const configText = configRead.bytes.toString('utf8');
    let config;
    let keyLists = [];
    const early = [];
    const problems = [];
    const warnings = [];
    for (const load of [
        () => {
            const parsed = parseConfigLenient(configText, configFile, hints);
            config = parsed.config;
            problems.push(...parsed.problems);
        },
        () => (keyLists = readKeyLists(keys, base, { ...rules, warnings })),
    ]) {
        try {
            load();
        }
        catch (error) {
            if (!(error instanceof errors/* UsageError */.eb))
                throw error;
            early.push(...error.problems);
        }
    }
    if (config === undefined)
        throw new errors/* UsageError */.eb([...problems, ...early]);
    // a broken key file must not hide the other problems: placeholders are checked against the names given
    problems.push(...early);
    const keyNames = new Set(keys.map((k) => k.name));
    const valueNames = new Set(keys.filter((k) => k.kind === 'values').map((k) => k.name));
    const used = new Set();
    const requireKeys = (text, where, what) => {
        const reported = new Set();
        for (const { name, field, text: written } of findPlaceholders(text)) {
            used.add(name);
            if (reported.has(written))
                continue;
            if (!keyNames.has(name)) {
                reported.add(written);
                problems.push(`${where}: ${written} in ${what} has no key: add --key ${name}:FILE (or --values ${name}:FILE)`);
            }
            else if (field === 'path' && valueNames.has(name)) {
                reported.add(written);
                problems.push(`${where}: ${written} in ${what}: --values ${name} lists values, not files, so there is no path: write {{{${name}}}}`);
            }
        }
        for (const written of unknownPlaceholderFields(text)) {
            problems.push(`${where}: ${written} in ${what} is not a placeholder: write {{{NAME}}} for the contents or {{{NAME:path}}} for the path`);
        }
    };
    const where = { base, rules };
    const main = loadStepSources(config, config.steps, 'steps', where, requireKeys, problems);
    const after = loadStepSources(config, config.after, 'after', where, noPlaceholders(problems), problems);
    for (const name of keyNames) {
        if (!used.has(name)) {
            const flag = valueNames.has(name) ? '--values' : '--key';
            warnings.push(`${flag} ${name}: neither {{{${name}}}} nor {{{${name}:path}}} is used by any step (it still multiplies the flows)`);
        }
    }
    if (early.length > 0)
        throw new errors/* UsageError */.eb(problems);
    const { templates, commands } = main;
    return { config, keyLists, templates, commands, after, copy: configText, problems, warnings };
}
/** Loads and checks everything a run needs. Throws one UsageError listing every problem. */
function prepare(options, now = new Date()) {
    const base = options.baseDir;
    const definition = loadDefinition(options.configFile, options.keys, base, { confineTo: options.confineTo }, { options: options.optionNames });
    const { config, keyLists, problems, warnings } = definition;
    const found = { problems, warnings };
    // one shard of several leaves the after steps to `report`
    const runsAfter = (options.shard?.count ?? 1) === 1;
    const ranSteps = runsAfter ? [...config.steps, ...config.after] : config.steps;
    const workdir = checkWorkdir(options, config, ranSteps, found);
    const outputProblem = outputDirProblem((0,external_node_path_.resolve)(base, options.outputDir));
    if (outputProblem !== undefined)
        problems.push(`--output ${JSON.stringify(options.outputDir)}: ${outputProblem}`);
    const prices = withOverrides(config.prices);
    const spend = spendChecks(options.configFile, { steps: config.steps, after: runsAfter ? config.after : [] }, options, prices);
    problems.push(...spend.problems);
    warnings.push(...spend.warnings);
    const { apiKey, codexPath } = findCredentials(options, ranSteps, found);
    const space = new FlowSpace(keyLists);
    const shard = checkShard(options, space, problems);
    const { runId, runDir } = checkRunDir(options, shard, outputProblem === undefined, now, problems);
    if (problems.length > 0)
        throw new errors/* UsageError */.eb(problems);
    const keysHash = hashKeyLists(keyLists);
    // a shard joins the tree its sibling shards write: they must run the same flows
    if (options.resume || shard.count > 1) {
        const what = options.resume ? '--resume' : `--shard ${shard.index}/${shard.count}`;
        checkSameRun((0,external_node_path_.join)(runDir, 'run.json'), config.hash, keysHash, (0,external_node_path_.join)(options.outputDir, runId), what);
    }
    const { templates, commands, after, copy: configCopy } = definition;
    const range = shardRange(space.total, shard);
    return {
        options,
        config,
        space,
        keysHash,
        runId: runId,
        runDir,
        workdir,
        shard,
        range,
        templates,
        commands,
        after,
        configCopy,
        apiKey,
        codexPath,
        prices,
        warnings,
    };
}

;// CONCATENATED MODULE: ./build/action-js/engine/flow-space.js



/** The flows of a config and key lists, checked as a run would check them; zero flows is an error. */
function loadFlowSpace(configFile, keys, base, confineTo) {
    const definition = loadDefinition(configFile, keys, base, { confineTo });
    if (definition.problems.length > 0)
        throw new errors/* UsageError */.eb(definition.problems);
    return new FlowSpace(definition.keyLists);
}

// EXTERNAL MODULE: external "node:events"
var external_node_events_ = __webpack_require__(78474);
;// CONCATENATED MODULE: ./build/action-js/model/results.js
const results_STATUSES = ['succeeded', 'failed', 'cancelled'];
const isNotStarted = (item) => 'count' in item && 'from' in item;
/** Runs of never-started leaves at least this long are one `not_started` entry; shorter ones are listed leaf by leaf. */
const COMPACT_FROM = 100;

;// CONCATENATED MODULE: ./build/action-js/results/results.js


/**
 * `flow_0003` or `flow_0003 [2.1]`: the one way a leaf (a flow, or a branch of an array step) is
 * named in messages and reports. `part` shows the id and any branch part that is not a safe integer
 * (reports escape them: ids come back from files that may have been tampered with).
 */
function leafLabel(leaf, part = (text) => text) {
    if (leaf.branch.length === 0)
        return part(leaf.id);
    return `${part(leaf.id)} [${leaf.branch.map((n) => (Number.isSafeInteger(n) ? String(n) : part(String(n)))).join('.')}]`;
}
/** Sort order of leaves: by flow id, then by branch path (element by element, shorter first). */
function compareLeaves(a, b) {
    if (a.id !== b.id)
        return a.id < b.id ? -1 : 1;
    for (let i = 0; i < Math.min(a.branch.length, b.branch.length); i++) {
        if (a.branch[i] !== b.branch[i])
            return a.branch[i] - b.branch[i];
    }
    return a.branch.length - b.branch.length;
}
/**
 * Adds leaves up, in sorted order. A step shared by several branches (it ran before their array
 * step) is in each of their entries but counted once, by its directory.
 */
class TotalsCounter {
    flowsSeen = 0;
    lastFlow;
    flowDirs = new Set();
    counts = { succeeded: 0, failed: 0, cancelled: 0 };
    usage = model_usage/* NO_USAGE */.yJ;
    cache = { steps: 0, saved: model_usage/* NO_USAGE */.yJ };
    leaves = 0;
    /** Adds one leaf, or a range of never-started leaves (each a cancelled leaf). */
    add(item) {
        const first = isNotStarted(item) ? item.from : item;
        if (first.id !== this.lastFlow) {
            this.flowDirs = new Set();
            this.flowsSeen++;
        }
        if (isNotStarted(item)) {
            // a range of flows: every flow in it is one more flow seen
            if (item.from.branch.length === 0)
                this.flowsSeen += item.count - 1;
            this.lastFlow = item.to.id;
            this.leaves += item.count;
            this.counts.cancelled += item.count;
        }
        else {
            this.lastFlow = item.id;
            this.leaves++;
            this.counts[item.status]++;
        }
        for (const step of item.steps) {
            if (this.flowDirs.has(step.dir))
                continue;
            this.flowDirs.add(step.dir);
            this.usage = (0,model_usage/* addUsage */.vk)(this.usage, step.usage);
            if (step.cached === true)
                this.cache = { steps: this.cache.steps + 1, saved: (0,model_usage/* addUsage */.vk)(this.cache.saved, step.saved) };
        }
    }
    totals(flowsTotal = this.flowsSeen) {
        const cache = this.cache.steps > 0 ? { cache: this.cache } : {};
        return { flows_total: flowsTotal, total: this.leaves, ...this.counts, usage: this.usage, ...cache };
    }
}
/** Totals of leaves given in sorted order. */
function countLeaves(leaves, flowsTotal) {
    const counter = new TotalsCounter();
    for (const leaf of leaves)
        counter.add(leaf);
    return counter.totals(flowsTotal);
}
/** Usage of one leaf: its own steps and those it shares with its sibling branches. */
function leafUsage(steps) {
    return steps.reduce((sum, step) => (0,model_usage/* addUsage */.vk)(sum, step.usage), model_usage/* NO_USAGE */.yJ);
}
/** An entry for a flow that never started (interrupted, token budget, or not run). */
function unstartedEntry(id, keys, reason) {
    return {
        id,
        branch: [],
        keys,
        status: 'cancelled',
        output: null,
        final_message: null,
        error: reason,
        duration_ms: 0,
        usage: model_usage/* NO_USAGE */.yJ,
        steps: [],
    };
}
/**
 * The flows `from`..`to - 1` (indexes) that never started: one `not_started` entry when there
 * are at least COMPACT_FROM of them, else one cancelled entry per flow (with its keys, from `keysOf`).
 */
function* unstartedFlows(from, to, idOf, keysOf, reason) {
    if (to <= from)
        return;
    if (to - from >= COMPACT_FROM) {
        const range = {
            from: { id: idOf(from), branch: [] },
            to: { id: idOf(to - 1), branch: [] },
            count: to - from,
            reason,
            steps: [],
        };
        yield range;
        return;
    }
    for (let index = from; index < to; index++)
        yield unstartedEntry(idOf(index), keysOf(index), reason);
}

;// CONCATENATED MODULE: ./build/action-js/report/checks.js
/**
 * Checks across leaves (pure): the pass rate of each check (a step's check, by step and check
 * name) and the leaves that failed one, for the summary, the comment, `report` and report.html.
 */



/**
 * A check as reports name it and count it: its step's name and its own, `draft › contains "LGTM"`.
 * Step names need not be unique (an unnamed step is named by its type): the second step of a name
 * is `draft #2`, the third `draft #3`, so two steps' checks are counted apart. Numbered among the
 * steps of that name rather than by position, a baseline whose config had another step inserted
 * still matches its checks. A name that could be read as part of another key (a step named
 * `draft #2`, a ` › ` in a name, a leading `"`) is quoted as a JSON string, so no two checks share a key.
 */
const checkKey = (step, nth, check) => {
    const name = quoted(step, /^"| › | #\d+$/);
    return `${nth === 1 ? name : `${name} #${nth}`} › ${quoted(check.name, /^"| › /)}`;
};
const quoted = (name, ambiguous) => (ambiguous.test(name) ? JSON.stringify(name) : name);
/** Each check a leaf's steps recorded, with its key. */
function* leafChecks(leaf) {
    const named = new Map();
    for (const step of leaf.steps) {
        const nth = (named.get(step.name) ?? 0) + 1;
        named.set(step.name, nth);
        for (const check of step.checks ?? [])
            yield { key: checkKey(step.name, nth, check), check };
    }
}
/** Most failures kept to list (the counts go on). */
const FAILURES_KEPT = 200;
/** Pass rates per check and the first failures, added one leaf at a time (a run's leaves are read once). */
class CheckTally {
    rates = new Map();
    failures = [];
    /** Leaves that failed at least one check. */
    failingLeaves = 0;
    add(item) {
        if (isNotStarted(item))
            return;
        let failing = false;
        for (const { key, check } of leafChecks(item)) {
            let rate = this.rates.get(key);
            if (rate === undefined)
                this.rates.set(key, (rate = { key, passed: 0, failed: 0, skipped: 0 }));
            if (checkFailed(check)) {
                rate.failed++;
                failing = true;
                if (this.failures.length < FAILURES_KEPT)
                    this.failures.push({ leaf: leafLabel(item, (s) => s), id: item.id, branch: item.branch, key, reason: check.reason });
            }
            else if (check.skipped === true)
                rate.skipped++;
            else
                rate.passed++;
        }
        if (failing)
            this.failingLeaves++;
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
}
/** `3/4 (75 %)`; skipped checks (ungraded rubrics) are named, not counted. */
function checks_rateText(rate) {
    const ran = rate.passed + rate.failed;
    const percent = ran === 0 ? '–' : `${Math.round((100 * rate.passed) / ran)} %`;
    return `${rate.passed}/${ran} (${percent})${rate.skipped > 0 ? `, ${rate.skipped} not graded` : ''}`;
}
/** A tally of `leaves`. */
function tallyChecks(leaves) {
    const tally = new CheckTally();
    for (const leaf of leaves)
        tally.add(leaf);
    return tally;
}

;// CONCATENATED MODULE: ./build/action-js/report/baseline-compare.js




/**
 * How a leaf compares with the baseline run's leaf of the same keys (and branch path):
 * - `new`: the baseline has no such leaf;
 * - `changed`: both succeeded, the outputs differ;
 * - `unchanged`: both succeeded with the same output, or neither succeeded;
 * - `newly failing`: the baseline's succeeded, this one did not (failed or cancelled);
 * - `fixed`: this one succeeded, the baseline's did not.
 */
const MARKS = ['new', 'changed', 'unchanged', 'newly failing', 'fixed'];
/** A never-started range of leaves: no keys to match by, so not compared. */
const NOT_COMPARED = 255;
/** Most characters of one baseline output kept for a changed leaf, and of all of them together. */
const TEXT_LIMIT = 20_000;
const TEXTS_LIMIT = 8 * 1024 * 1024;
/** What identifies a leaf across runs: its keys (the listed paths, by name) and its branch path. */
function matchKey(leaf) {
    const keys = Object.entries(leaf.keys).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return JSON.stringify([keys, leaf.branch]);
}
const digest = (text) => (text === null ? '' : (0,external_node_crypto_.createHash)('sha256').update(text).digest('base64'));
/**
 * A run compared with a baseline run, leaf by leaf, in results order: `marks[i]` is the index in
 * MARKS of the i-th result item (NOT_COMPARED for a never-started range). Leaves with the same keys
 * and branch are matched in order. Built in one pass over this run and two over the baseline: the
 * first keeps a digest of each output, the second the text (cut) of the baseline outputs that
 * changed, so memory grows with what changed, not with all the outputs.
 */
class BaselineComparison {
    baselineRunId;
    counts = { new: 0, changed: 0, unchanged: 0, 'newly failing': 0, fixed: 0 };
    /** Baseline leaves no leaf of this run matched (their keys are gone from the key lists). */
    gone;
    /** Leaves of this run never started: not compared. */
    notCompared;
    marks;
    /** Checks that failed in the baseline and pass now, or the other way round, leaf by leaf. */
    checks = new CheckChanges();
    /** Result item index -> the baseline's output of a changed leaf (cut: [text, full length]). */
    before = new Map();
    constructor(
    /** The baseline's run id, as shown (untrusted: escape it). */
    baselineRunId, 
    /** The baseline's leaves, read twice (e.g. `() => mergedLeaves(run)`). */
    baseline, current, 
    /** A leaf's whole output (results.json cuts long ones: `wholeOutput` reads their file); default its `output`. */
    outputOf = {}) {
        this.baselineRunId = baselineRunId;
        const before = outputOf.baseline ?? ((leaf) => leaf.output);
        const now = outputOf.current ?? ((leaf) => leaf.output);
        const index = new Map();
        let baselineLeaves = 0;
        for (const item of baseline()) {
            if (isNotStarted(item))
                continue;
            const key = matchKey(item);
            const list = index.get(key) ?? [];
            list.push({ succeeded: item.status === 'succeeded', output: digest(before(item)), ordinal: baselineLeaves, ...verdicts(item) });
            index.set(key, list);
            baselineLeaves++;
        }
        let marks = new Uint8Array(1024);
        let n = 0;
        let matched = 0;
        let notCompared = 0;
        const changed = new Map(); // baseline ordinal -> result item index
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
            if (match !== undefined)
                matched++;
            const mark = markOf(item, match, now);
            if (match?.checks !== undefined)
                this.checks.compare(item, match.checks);
            if (mark === 'changed')
                changed.set(match.ordinal, n);
            this.counts[mark]++;
            marks[n++] = MARKS.indexOf(mark);
        }
        this.marks = marks.subarray(0, n);
        this.gone = baselineLeaves - matched;
        this.notCompared = notCompared;
        if (changed.size > 0)
            this.keepTexts(baseline(), changed, before);
    }
    keepTexts(baseline, changed, outputOf) {
        let budget = TEXTS_LIMIT;
        let ordinal = 0;
        for (const item of baseline) {
            if (isNotStarted(item))
                continue;
            const at = changed.get(ordinal++);
            if (at === undefined || budget <= 0)
                continue;
            const output = outputOf(item);
            if (output === null)
                continue;
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
        return code === undefined || code === NOT_COMPARED ? undefined : MARKS[code];
    }
    /** The index in MARKS of the i-th result item, or -1: for the HTML report. */
    codeAt(i) {
        const code = this.marks[i];
        return code === undefined || code === NOT_COMPARED ? -1 : code;
    }
}
/** A baseline leaf's check verdicts, kept only when it has checks. */
function verdicts(leaf) {
    const checks = new Map();
    for (const { key, check } of leafChecks(leaf))
        if (!check.skipped)
            checks.set(key, check.passed);
    return checks.size === 0 ? {} : { checks };
}
/** Most check changes listed of each kind (the counts go on). */
const CHANGES_KEPT = 200;
/** Checks newly failing and newly passing against the baseline (same leaf, same step and check names). */
class CheckChanges {
    newlyFailing = [];
    newlyPassing = [];
    failing = 0;
    passing = 0;
    compare(leaf, before) {
        for (const { key, check } of leafChecks(leaf)) {
            const was = before.get(key);
            if (was === undefined || check.skipped || was === check.passed)
                continue;
            const change = { leaf: leafLabel(leaf, (s) => s), key, reason: check.reason };
            if (check.passed) {
                this.passing++;
                if (this.newlyPassing.length < CHANGES_KEPT)
                    this.newlyPassing.push(change);
            }
            else {
                this.failing++;
                if (this.newlyFailing.length < CHANGES_KEPT)
                    this.newlyFailing.push(change);
            }
        }
    }
}
function markOf(leaf, before, outputOf) {
    if (before === undefined)
        return 'new';
    const succeeded = leaf.status === 'succeeded';
    if (succeeded && before.succeeded)
        return digest(outputOf(leaf)) === before.output ? 'unchanged' : 'changed';
    if (succeeded)
        return 'fixed';
    return before.succeeded ? 'newly failing' : 'unchanged';
}

;// CONCATENATED MODULE: ./build/action-js/report/html-texts.js
/** The texts report.html shows and how they reach it: shared by the page (html.ts) and its rows (html-rows.ts). */
/** The files of a step directory the report shows, in order (a cmd step's command first); stderr is shown by its tail. */
const STEP_FILES = [
    'command.txt',
    'prompt.txt',
    'output.txt',
    'final_message.txt',
    'error.txt',
    'stderr.txt',
    'changes.patch',
];
const STDERR_TAIL = 4000;
/** Most characters of one text shown, unless the input says otherwise. */
const html_texts_TEXT_LIMIT = 20_000;
/**
 * JSON for a `<script type="application/json">` block: `<`, `>`, `&` and the two line separators
 * JavaScript once rejected are escaped, so no text (a model output saying `</script>`) ends the block.
 */
function scriptJson(value) {
    return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

;// CONCATENATED MODULE: ./build/action-js/report/html-rows.js



/** The rows of report.html's table, a leaf at a time, and the blocks of their texts. */
const STATUS_CODE = { succeeded: 0, failed: 1, cancelled: 2 };
/** The after output is what a person reads first: it may be longer than one step's text. */
const AFTER_TEXT = 200_000;
const firstLine = (text) => {
    if (text === null)
        return '';
    const line = text.trimStart().split('\n', 1)[0] ?? '';
    return line.length > 200 ? `${line.slice(0, 200)}…` : line;
};
const address = (a) => (a.branch.length > 0 ? `${a.id} [${a.branch.join('.')}]` : a.id);
/** `[name, path, name, path, ...]`: the page shows each path's end (past the directory every row shares) and the whole in a title. */
const keyPairs = (keys) => Object.entries(keys).flat();
/**
 * The table's rows, one per leaf and one per run of never-started leaves, each handed to `push` as
 * it is made (in results order), their texts' blocks to `input.emit`: a leaf at a time, so a run can
 * add its leaves as they end. `after` (the after steps' row) goes first when there is one: its texts
 * come out of the budget first.
 */
class HtmlRows {
    input;
    push;
    checks = new CheckTally();
    blocks;
    item = 0;
    constructor(input, push) {
        this.input = input;
        this.push = push;
        this.blocks = new TextBlocks(input);
    }
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
            a.steps.map((s) => blocks.stepRow(s)),
        ];
    }
    /** The row of one leaf, or of a run of never-started ones. */
    add(leaf) {
        const { blocks, input } = this;
        this.checks.add(leaf);
        blocks.flow(isNotStarted(leaf) ? leaf.from.id : leaf.id);
        const mark = input.baseline?.codeAt(this.item++) ?? -1;
        if (isNotStarted(leaf)) {
            const name = `${address(leaf.from)} … ${address(leaf.to)}`;
            const steps = leaf.steps.map((s) => blocks.stepRow(s, leaf.tree));
            this.push([name, '', [], STATUS_CODE.cancelled, 0, 0, `${leaf.count} leaves not started: ${leaf.reason}`, 0, steps, mark]);
            return;
        }
        const inTree = (path) => (leaf.tree ? `${leaf.tree}/${path}` : path);
        const changes = leaf.changes ? [leaf.changes.files.length, leaf.changes.added, leaf.changes.removed, inTree(leaf.changes.patch)] : 0;
        this.push([
            leaf.id,
            leaf.branch.join('.'),
            keyPairs(leaf.keys),
            STATUS_CODE[leaf.status],
            leaf.duration_ms,
            leaf.usage.input_tokens + leaf.usage.output_tokens,
            firstLine(leaf.status === 'succeeded' ? leaf.output : (leaf.error ?? leaf.output)),
            changes,
            leaf.steps.map((s) => blocks.stepRow(s, leaf.tree)),
            mark,
            blocks.before(input.baseline?.beforeAt(this.item - 1)),
        ]);
    }
}
/**
 * The page's JSON blocks of texts, each read once and within the budget of characters: a step
 * directory's files (`s<n>`) and a changed leaf's baseline output (`b<n>`). Written at once
 * through `input.write`, or kept for the end of the page; the page's script finds each by its id.
 */
class TextBlocks {
    input;
    textLimit;
    budget;
    kept = [];
    stepIndex = new Map();
    blockCount = 0;
    flowId;
    beforeCount = 0;
    constructor(input) {
        this.input = input;
        this.textLimit = input.textLimit ?? html_texts_TEXT_LIMIT;
        this.budget = input.totalLimit ?? 32 * 1024 * 1024;
    }
    /** A step as a table row; merged results: a leaf's files are in its shard's directory (`tree`, relative to the report's). */
    stepRow(s, tree) {
        const dir = tree ? `${tree}/${s.dir}` : s.dir;
        return [s.name, s.type, STATUS_CODE[s.status], s.duration_ms, dir, this.step(dir)];
    }
    /** The baseline's output of a changed leaf, in its own block (parsed when the leaf is opened); -1 for none. */
    before(text) {
        if (text === undefined || this.budget <= 0)
            return -1;
        this.budget -= typeof text === 'string' ? text.length : text[0].length;
        this.emit(`<script type="application/json" id="b${this.beforeCount}">${scriptJson(text)}</script>`);
        return this.beforeCount++;
    }
    /** An after step's text: cut to what the budget and AFTER_TEXT allow, as [text, length] when cut. */
    afterText(t) {
        if (t === null)
            return null;
        const max = Math.max(0, Math.min(AFTER_TEXT, this.budget));
        this.budget -= Math.min(t.length, max);
        return t.length > max ? [t.slice(0, max), t.length] : t;
    }
    step(dir) {
        const known = this.stepIndex.get(dir);
        if (known !== undefined)
            return known;
        // one entry per STEP_FILES name, in order: the text, or [text, bytes of the file] when cut, or
        // [null, bytes] when left out; null for a missing file (trailing ones dropped)
        const texts = [];
        for (const file of STEP_FILES) {
            const tail = file === 'stderr.txt';
            const loaded = this.input.load(`${dir}/${file}`, Math.max(0, Math.min(tail ? STDERR_TAIL : this.textLimit, this.budget)), tail);
            if (loaded === undefined) {
                texts.push(null);
                continue;
            }
            this.budget -= loaded.text.length;
            if (loaded.truncatedFrom === undefined)
                texts.push(loaded.text);
            else
                texts.push([loaded.text === '' ? null : loaded.text, loaded.truncatedFrom]);
        }
        while (texts.length > 0 && texts[texts.length - 1] === null)
            texts.pop();
        const index = this.blockCount;
        this.stepIndex.set(dir, index);
        this.emit(`<script type="application/json" id="s${index}">${scriptJson(texts)}</script>`);
        return index;
    }
    /** Steps are shared only by the leaves of one flow: the blocks of earlier flows' steps are not looked up again (nor kept). */
    flow(id) {
        if (id === this.flowId)
            return;
        this.stepIndex.clear();
        this.flowId = id;
    }
    emit(block) {
        this.blockCount++;
        if (this.input.emit)
            this.input.emit(`${block}\n`);
        else
            this.kept.push(block);
    }
}

;// CONCATENATED MODULE: ./build/action-js/report/html-script-checks.js
/**
 * The page's checks section (part of the page script, see html-script.ts): each check's pass rate,
 * the results that failed one (each a link that opens the leaf), and against a baseline the
 * checks newly failing and newly passing. Every text is set with textContent.
 */
const CHECKS_SCRIPT = String.raw `
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

;// CONCATENATED MODULE: ./build/action-js/report/html-script-steps.js
// The report page's step texts (prompt, output, error, changes.patch) and the after steps' box: the
// second half of the page script (html-script.ts), inside its function. Plain ES2017, DOM calls and
// textContent only, no template literals (see html-script.ts).
const STEPS_SCRIPT = String.raw `
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

;// CONCATENATED MODULE: ./build/action-js/report/html-script.js
// The report page's script, inlined into every report.html (src/report/html.ts).
// The script reads the JSON blocks and builds the page with DOM calls and textContent only: no
// text of a run ever becomes markup. It is plain ES2017 in strings; it uses no template literals,
// so it can sit in them. The step texts' half is in html-script-steps.ts.


const TABLE_SCRIPT = String.raw `
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
const START_SCRIPT = String.raw `
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
/** The page script: the totals, the controls and the table of leaves, then the step texts and the checks, then the start. */
const PAGE_SCRIPT = TABLE_SCRIPT + STEPS_SCRIPT + CHECKS_SCRIPT + START_SCRIPT;

;// CONCATENATED MODULE: ./build/action-js/report/html-style.js
// The report page's style, inlined into every report.html (src/report/html.ts).
const PAGE_CSS = `
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

;// CONCATENATED MODULE: ./build/action-js/report/html.js






/**
 * The self-contained report page: totals, a table of leaves (sorted and filtered by the page's
 * script) and, per leaf, its steps' texts in one JSON block per step directory, parsed only when
 * the leaf is opened. Every text is data: embedded as escaped JSON and shown with textContent.
 */
function renderHtml(input) {
    const { write, spool } = input;
    const rows = [];
    let count = 0;
    // with a side file the rows go out as they are made, into the one block the page's script reads
    const push = write && spool ? (row) => write(`${count++ === 0 ? '' : ','}${scriptJson(row)}`) : (row) => rows.push(row);
    const emit = spool ? (block) => spool.write(block) : write;
    if (!spool)
        write?.(`${pageHead(input.title).join('\n')}\n`);
    const table = new HtmlRows({ ...input, emit }, push);
    // the after steps first: their texts are what a person reads first, so they come out of the budget first
    const after = input.after ? table.after(input.after) : null;
    const page = pageAround(input, after, table);
    if (write && spool) {
        write(page.head);
        for (const leaf of input.leaves)
            table.add(leaf);
        write(page.middle);
        spool.drain();
        write(page.end);
        return '';
    }
    for (const leaf of input.leaves)
        table.add(leaf);
    const summary = `<script type="application/json" id="summary">${scriptJson(pageSummary(input, after, table))}</script>`;
    const tail = [summary, `<script type="application/json" id="leaves">${scriptJson(rows)}</script>`, page.end];
    if (write) {
        write(tail.join('\n'));
        return '';
    }
    return [...pageHead(input.title), ...tail.slice(0, 2), ...table.kept, page.end].join('\n');
}
/**
 * The page around rows written a leaf at a time: `head` up to the first row, `middle` from the
 * last row to where the texts' blocks go (the summary: call it once every row is in), `end` after them.
 */
function pageAround(meta, after, rows) {
    return {
        head: `${pageHead(meta.title).join('\n')}\n<script type="application/json" id="leaves">[`,
        get middle() {
            return `]</script>\n<script type="application/json" id="summary">${scriptJson(pageSummary(meta, after, rows))}</script>\n`;
        },
        end: [`<script>${PAGE_SCRIPT}</script>`, '</body></html>', ''].join('\n'),
    };
}
function pageHead(title) {
    return [
        '<!doctype html>',
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        // nothing may be fetched: the page works from file:// and from an unzipped artifact
        `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">`,
        `<title>${escapeHtml(title)}</title>`,
        `<style>${PAGE_CSS}</style></head><body>`,
        '<noscript>This report needs JavaScript to show its table; results.json next to it holds the same data.</noscript>',
        '<main id="app"></main>',
    ];
}
/** The page's `summary` block: title, totals, the after row and the baseline's counts. */
function pageSummary(input, after, rows) {
    const { totals, baseline } = input;
    const { checks, textLimit } = rows;
    return {
        after,
        checks: checksSummary(checks, baseline),
        baseline: baseline
            ? {
                run_id: baseline.baselineRunId,
                marks: MARKS,
                counts: MARKS.map((m) => baseline.counts[m]),
                gone: baseline.gone,
                not_compared: baseline.notCompared,
            }
            : null,
        title: input.title,
        flows: totals.flows_total,
        leaves: totals.total,
        succeeded: totals.succeeded,
        failed: totals.failed,
        cancelled: totals.cancelled,
        tokens: totals.usage.input_tokens + totals.usage.output_tokens,
        input_tokens: totals.usage.input_tokens,
        output_tokens: totals.usage.output_tokens,
        duration_ms: input.durationMs ?? null,
        // the run's (steps shared by branches counted once); null when unknown (a model without a price)
        cost_usd: totals.usage.cost_usd ?? null,
        text_limit: textLimit,
    };
}
/** Most failures and check changes the page lists (the counts go on). */
const CHECKS_LISTED = 200;
/** The checks' part of the page summary: rates per check, the failures, and against a baseline the changes; null without checks. */
function checksSummary(checks, baseline) {
    if (!checks.any)
        return null;
    const change = (c) => [c.leaf, c.key, c.reason];
    return {
        rates: checks.checks().map((r) => [r.key, r.passed, r.failed, r.skipped]),
        failing_leaves: checks.failingLeaves,
        failures: checks
            .failed(CHECKS_LISTED)
            .map((f) => [f.leaf, f.branch.length > 0 ? `${f.id}.${f.branch.join('.')}` : f.id, f.key, f.reason]),
        changes: baseline
            ? {
                failing: baseline.checks.failing,
                passing: baseline.checks.passing,
                newly_failing: baseline.checks.newlyFailing.slice(0, CHECKS_LISTED).map(change),
                newly_passing: baseline.checks.newlyPassing.slice(0, CHECKS_LISTED).map(change),
            }
            : null,
    };
}
/** For the one place markup holds text: the title element. */
function escapeHtml(text) {
    return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

// EXTERNAL MODULE: ./build/action-js/util/open-dir.js
var open_dir = __webpack_require__(8114);
;// CONCATENATED MODULE: ./build/action-js/util/gathered.js

/** Characters gathered before a write: a file made of many small pieces (a row, an entry) then costs a write(2) per 64 Ki characters, not per piece. */
const GATHER_CHARS = 64 * 1024;
/** Text for a file descriptor, written GATHER_CHARS at a time; flush() writes the rest (before the descriptor is used otherwise or closed). */
class GatheredWrites {
    fd;
    parts = [];
    chars = 0;
    constructor(fd) {
        this.fd = fd;
    }
    write(text) {
        this.parts.push(text);
        this.chars += text.length;
        if (this.chars >= GATHER_CHARS)
            this.flush();
    }
    flush() {
        if (this.parts.length === 0)
            return;
        const text = this.parts.length === 1 ? this.parts[0] : this.parts.join('');
        this.parts = [];
        this.chars = 0;
        writeAll(this.fd, Buffer.from(text, 'utf8'));
    }
}
/** Writes all of `data` at the descriptor's position (writeSync may write less than asked). */
function writeAll(fd, data) {
    for (let done = 0; done < data.length;)
        done += (0,external_node_fs_.writeSync)(fd, data, done, data.length - done);
}

;// CONCATENATED MODULE: ./build/action-js/results/fields.js
/** Reading a JSON record we did not write field by field: each problem names the file and the field. */
/** A file under a run directory holds something we did not write. */
class DataError extends Error {
    constructor(message) {
        super(message);
        this.name = 'DataError';
    }
}
/** Reads fields of one JSON object, each check naming `file` and the field's path. */
class fields_Fields {
    file;
    at;
    value;
    constructor(file, at, value) {
        this.file = file;
        this.at = at;
        this.value = value;
    }
    static of(file, value, at = '') {
        if (typeof value !== 'object' || value === null || Array.isArray(value))
            throw new DataError(`${file}: ${at === '' ? 'the file' : `field "${at}"`} must be a JSON object`);
        return new fields_Fields(file, at, value);
    }
    name(field) {
        return this.at === '' ? field : `${this.at}.${field}`;
    }
    fail(field, what) {
        const shown = JSON.stringify(this.value[field]) ?? 'nothing';
        throw new DataError(`${this.file}: field "${this.name(field)}" must be ${what}, not ${shown.length > 80 ? `${shown.slice(0, 80)}…` : shown}`);
    }
    has(field) {
        return this.value[field] !== undefined;
    }
    string(field, pattern, what = 'a string') {
        const v = this.value[field];
        if (typeof v !== 'string' || (pattern !== undefined && !pattern.test(v)))
            this.fail(field, what);
        return v;
    }
    nullableString(field) {
        return this.value[field] === null ? null : this.string(field, undefined, 'a string or null');
    }
    /** A finite number of 0 or more (`whole`: an integer). */
    count(field, whole = false, min = 0) {
        const v = this.value[field];
        if (typeof v !== 'number' || !Number.isFinite(v) || v < min || (whole && !Number.isSafeInteger(v)))
            this.fail(field, `a finite ${whole ? 'whole ' : ''}number of ${min} or more`);
        return v;
    }
    oneOf(field, allowed) {
        const v = this.value[field];
        if (typeof v !== 'string' || !allowed.includes(v))
            this.fail(field, `one of ${allowed.join(', ')}`);
        return v;
    }
    object(field) {
        return fields_Fields.of(this.file, this.value[field], this.name(field));
    }
    array(field) {
        const v = this.value[field];
        if (!Array.isArray(v))
            this.fail(field, 'an array');
        return { values: v, name: this.name(field), fields: (i) => fields_Fields.of(this.file, v[i], `${this.name(field)}[${i}]`) };
    }
    /** An object whose values are all strings. */
    strings(field) {
        const object = this.object(field);
        const out = {};
        for (const key of Object.keys(object.value))
            out[key] = object.string(key);
        return out;
    }
    all() {
        return this.value;
    }
    raw(field) {
        return this.value[field];
    }
}

;// CONCATENATED MODULE: ./build/action-js/results/json-stream.js



const CHUNK = 1 << 20;
/** The largest single value read whole (an entry of results.json): its output is cut long before. */
const MAX_VALUE = 64 << 20;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const isSpace = (c) => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
/**
 * Reads one JSON document from a file a piece at a time: the reader steps over values (tracking only
 * strings and nesting, no objects made) or captures one value's bytes to parse it alone, so a file of
 * any size is read with one buffer and the largest single value in memory. JSON's structural
 * characters are ASCII, and no byte of a multi-byte UTF-8 character is below 0x80, so bytes suffice.
 */
class JsonByteReader {
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
    constructor(fd, file, start, maxValueBytes, chunk) {
        this.fd = fd;
        this.file = file;
        this.maxValueBytes = maxValueBytes;
        this.base = start;
        this.buffer = Buffer.allocUnsafe(chunk);
    }
    /** Opens `path` at byte `start`; `file` names it in errors. Close it with close(). `chunk`: bytes read at a time. */
    static open(path, file, start = 0, options = {}) {
        // a results file is read back from a tree steps and artifacts can touch: never through a link
        return new JsonByteReader((0,safe_read/* openRegular */.lf)(path).fd, file, start, options.maxValueBytes ?? MAX_VALUE, options.chunk ?? CHUNK);
    }
    close() {
        (0,external_node_fs_.closeSync)(this.fd);
    }
    /** The last `bytes` bytes of the file (fewer in a smaller one), as text. */
    tail(bytes) {
        const size = (0,external_node_fs_.fstatSync)(this.fd).size;
        const from = Math.max(0, size - bytes);
        const buffer = Buffer.alloc(size - from);
        const read = (0,external_node_fs_.readSync)(this.fd, buffer, 0, buffer.length, from);
        return buffer.subarray(0, read).toString('utf8');
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
        if (this.pieces !== undefined) {
            this.captured += this.length - this.captureFrom;
            if (this.captured > this.maxValueBytes)
                this.fail(`a value larger than ${this.maxValueBytes} bytes`);
            this.pieces.push(Buffer.from(this.buffer.subarray(this.captureFrom, this.length)));
            this.captureFrom = 0;
        }
        this.base += this.length;
        this.pos = 0;
        this.length = (0,external_node_fs_.readSync)(this.fd, this.buffer, 0, this.buffer.length, this.base);
        return this.length > 0;
    }
    /** The next byte without taking it; -1 at the end. */
    peek() {
        if (this.pos >= this.length && !this.fill())
            return -1;
        return this.buffer[this.pos];
    }
    next() {
        const c = this.peek();
        if (c >= 0)
            this.pos++;
        return c;
    }
    skipSpace() {
        for (;;) {
            const c = this.peek();
            if (!isSpace(c))
                return c;
            this.pos++;
        }
    }
    expect(char) {
        if (this.skipSpace() !== char.charCodeAt(0))
            this.fail(`expected "${char}"`);
        this.pos++;
    }
    /** Steps over one value (the reader is at its first byte), making nothing of it. */
    skipValue() {
        const first = this.skipSpace();
        if (first === -1)
            this.fail('the file ends early');
        if (first === QUOTE || first === 0x7b || first === 0x5b) {
            let depth = 0;
            let inString = false;
            // a backslash's escaped byte may be the first of the next buffer
            let escaped = false;
            for (;;) {
                if (this.pos >= this.length && !this.fill())
                    this.fail('the file ends early');
                const buffer = this.buffer;
                const end = this.length;
                for (let i = this.pos; i < end; i++) {
                    const c = buffer[i];
                    if (inString) {
                        if (escaped)
                            escaped = false;
                        else if (c === BACKSLASH)
                            escaped = true;
                        else if (c === QUOTE) {
                            inString = false;
                            if (depth === 0) {
                                this.pos = i + 1;
                                return;
                            }
                        }
                    }
                    else if (c === QUOTE)
                        inString = true;
                    else if (c === 0x7b || c === 0x5b)
                        depth++;
                    else if (c === 0x7d || c === 0x5d) {
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
        // a number, true, false or null: up to the next delimiter
        for (;;) {
            const c = this.peek();
            if (c === -1 || c === 0x2c || c === 0x7d || c === 0x5d || isSpace(c))
                return;
            this.pos++;
        }
    }
    /** The next value, parsed on its own. */
    value() {
        this.skipSpace();
        this.pieces = [];
        this.captureFrom = this.pos;
        this.captured = 0;
        let bytes;
        try {
            this.skipValue();
            const last = this.buffer.subarray(this.captureFrom, this.pos);
            bytes = this.pieces.length === 0 ? last : Buffer.concat([...this.pieces, last]);
            if (bytes.length > this.maxValueBytes)
                this.fail(`a value larger than ${this.maxValueBytes} bytes`);
        }
        finally {
            this.pieces = undefined;
        }
        try {
            return JSON.parse(bytes.toString('utf8'));
        }
        catch (error) {
            return this.fail(`a value that is not JSON (${error instanceof Error ? error.message : String(error)})`);
        }
    }
    /**
     * The members of the object the reader is at, one at a time: `onMember(key)` must take the value
     * (value() or skipValue(), or read an array with elements()).
     */
    members(onMember) {
        this.expect('{');
        if (this.skipSpace() === 0x7d) {
            this.pos++;
            return;
        }
        for (;;) {
            const key = this.value();
            if (typeof key !== 'string')
                this.fail('expected a field name');
            this.expect(':');
            onMember(key);
            const c = this.skipSpace();
            this.pos++;
            if (c === 0x7d)
                return;
            if (c !== 0x2c)
                this.fail('expected "," or "}"');
        }
    }
    /** The elements of the array the reader is at, parsed one at a time. */
    *elements() {
        this.expect('[');
        if (this.skipSpace() === 0x5d) {
            this.pos++;
            return;
        }
        for (;;) {
            yield this.value();
            const c = this.skipSpace();
            this.pos++;
            if (c === 0x5d)
                return;
            if (c !== 0x2c)
                this.fail('expected "," or "]"');
        }
    }
    /** Steps over the array the reader is at; returns its number of elements. */
    skipElements() {
        this.expect('[');
        if (this.skipSpace() === 0x5d) {
            this.pos++;
            return 0;
        }
        for (let n = 1;; n++) {
            this.skipValue();
            const c = this.skipSpace();
            this.pos++;
            if (c === 0x5d)
                return n;
            if (c !== 0x2c)
                this.fail('expected "," or "]"');
        }
    }
    /** Only white space may follow. */
    end() {
        if (this.skipSpace() !== -1)
            this.fail('more after the end of the document');
    }
}

;// CONCATENATED MODULE: ./build/action-js/results/validate.js
/**
 * Files read back from disk are data: a run directory comes from an artifact anybody could have
 * uploaded, and in a run a step can rewrite another flow's files. Every field used later (paths,
 * the summary, the PR comment) is checked here, with errors naming the file and the field.
 */




const FLOW_ID = /^flow_\d{4,}$/;
/** A step directory's name: `codex_exec_<k>` or `<kk>_<name>` (see paths.ts). */
const STEP_DIR = /^(?:codex_exec_\d+|\d{2,}_[A-Za-z0-9._-]+)$/;
function usage(fields) {
    const read = { input_tokens: fields.count('input_tokens'), output_tokens: fields.count('output_tokens') };
    // both absent in records written before costs were
    if (fields.has('cached_input_tokens'))
        read.cached_input_tokens = fields.count('cached_input_tokens');
    if (fields.raw('cost_usd') === null)
        read.cost_usd = null;
    else if (fields.has('cost_usd'))
        read.cost_usd = fields.count('cost_usd');
    return read;
}
/** `path` is the leaf's own directory or an ancestor's, followed by a step directory. */
function stepDir(fields, field, id, branch) {
    const dir = fields.string(field);
    const parts = dir.split('/');
    const last = parts.pop();
    const chain = parts.slice(1);
    const ok = parts[0] === id && STEP_DIR.test(last) && chain.length <= branch.length && chain.every((part, i) => part === `branch_${branch[i]}`);
    if (!ok)
        fields.fail(field, `a step directory of this leaf (e.g. "${id}/01_draft")`);
    return dir;
}
function step(fields, id, branch) {
    return stepEntry(fields, () => stepDir(fields, 'dir', id, branch));
}
/** A step of a leaf or of the after steps; `dir` checks where its directory may be. */
function stepEntry(fields, dir) {
    return {
        ...fields.all(),
        name: fields.string('name'),
        type: fields.string('type'),
        status: fields.oneOf('status', results_STATUSES),
        duration_ms: fields.count('duration_ms'),
        usage: fields.raw('usage') === null ? null : usage(fields.object('usage')),
        dir: dir(),
        ...cached(fields),
        ...(fields.has('batch') ? { batch: fields.string('batch', /^[A-Za-z0-9_-]{1,200}$/, 'a batch id') } : {}),
        ...(fields.has('checks') ? { checks: checkResults(fields) } : {}),
    };
}
/** A step's checks as a leaf recorded them: name, type, passed, reason (and a skipped mark). */
function checkResults(fields) {
    const list = fields.array('checks');
    return list.values.map((_, i) => {
        const f = list.fields(i);
        const flag = (field) => {
            const value = f.raw(field);
            return typeof value === 'boolean' ? value : f.fail(field, 'true or false');
        };
        if (f.has('skipped') && f.raw('skipped') !== true)
            f.fail('skipped', 'true (it is left out for a check that ran)');
        return {
            name: f.string('name'),
            type: f.oneOf('type', CHECK_TYPES),
            passed: flag('passed'),
            reason: f.string('reason'),
            ...(f.has('skipped') ? { skipped: true } : {}),
        };
    });
}
/** A cached step's mark and what it saved; a step without them leaves both out. */
function cached(fields) {
    if (!fields.has('cached') && !fields.has('saved'))
        return {};
    if (fields.raw('cached') !== true)
        fields.fail('cached', 'true (it is left out for a step that was not cached)');
    return { cached: true, saved: usage(fields.object('saved')) };
}
function changes(fields, id, branch) {
    const list = fields.array('files');
    const files = list.values.map((_, i) => {
        const f = list.fields(i);
        return {
            path: f.string('path'),
            ...(f.has('old_path') ? { old_path: f.string('old_path') } : {}),
            status: f.oneOf('status', ['added', 'deleted', 'modified', 'renamed', 'copied']),
            binary: f.raw('binary') === true,
            added: f.count('added', true),
            removed: f.count('removed', true),
        };
    });
    const patch = fields.string('patch');
    if (!/\/changes\.patch$/.test(patch))
        fields.fail('patch', 'the path of a changes.patch');
    stepDir(fields_Fields.of(fields.file, { dir: patch.replace(/\/changes\.patch$/, '') }, 'changes'), 'dir', id, branch);
    return { patch, files, added: fields.count('added', true), removed: fields.count('removed', true) };
}
/**
 * A leaf's `result.json`, checked against where it was found: its `id` must be the flow directory's
 * and its `branch` the branch directories' path, so one leaf cannot pass for another.
 */
function parseLeafEntry(value, file, expected) {
    const fields = fields_Fields.of(file, value);
    const id = fields.string('id', FLOW_ID, 'a flow id (flow_ and 4 or more digits)');
    if (id !== expected.id)
        fields.fail('id', `"${expected.id}", the directory it is in`);
    const branchList = fields.array('branch');
    const branch = branchList.values.map((v) => v);
    if (!branch.every((n) => Number.isSafeInteger(n) && n >= 1) || branch.join('.') !== expected.branch.join('.'))
        fields.fail('branch', `[${expected.branch.join(', ')}], the branch directories it is in`);
    const steps = fields.array('steps');
    // fields this version does not know are kept as they are (data, never rendered): a newer
    // orchestrator's results stay whole
    const entry = {
        ...fields.all(),
        id,
        branch,
        keys: fields.strings('keys'),
        status: fields.oneOf('status', results_STATUSES),
        output: fields.nullableString('output'),
        final_message: fields.nullableString('final_message'),
        error: fields.nullableString('error'),
        duration_ms: fields.count('duration_ms'),
        usage: usage(fields.object('usage')),
        steps: steps.values.map((_, i) => step(steps.fields(i), id, branch)),
        ...(fields.has('changes') ? { changes: fields.raw('changes') === null ? null : changes(fields.object('changes'), id, branch) } : {}),
    };
    if (entry.final_message !== null) {
        const f = fields_Fields.of(file, { final_message: entry.final_message.replace(/\/[^/]*$/, '') });
        stepDir(f, 'final_message', id, branch);
    }
    if (fields.has('output_cut'))
        return { ...entry, output_cut: outputCut(fields.object('output_cut'), entry, id, branch) };
    return entry;
}
/** `output_cut`: at least as many characters as the output kept, and the output file of one of this leaf's step directories. */
function outputCut(fields, entry, id, branch) {
    const chars = fields.count('chars', true, (entry.output ?? '').length);
    const file = fields.string('file', /\/(?:output|final_message)\.txt$/, 'the path of an output.txt or final_message.txt');
    stepDir(fields_Fields.of(fields.file, { file: file.replace(/\/[^/]*$/, '') }, 'output_cut'), 'file', id, branch);
    return { chars, file };
}
/**
 * The ranges of a `not_started.json`, checked against where it was found: branches of the array
 * step whose branch directories sit beside it (`parent` is that directory's branch path).
 */
function parseNotStarted(value, file, expected) {
    const ranges = fields_Fields.of(file, value).array('ranges');
    return ranges.values.map((_, i) => {
        const fields = ranges.fields(i);
        const end = (field) => {
            const at = fields.object(field);
            if (at.string('id') !== expected.id)
                at.fail('id', `"${expected.id}", the directory it is in`);
            const branch = at.array('branch').values;
            const last = branch[branch.length - 1];
            if (branch.length !== expected.parent.length + 1 ||
                expected.parent.some((n, k) => branch[k] !== n) ||
                !(typeof last === 'number' && Number.isSafeInteger(last) && last >= 1))
                at.fail('branch', `[${[...expected.parent, 'N'].join(', ')}], a branch beside the file`);
            return last;
        };
        const first = end('from');
        const last = end('to');
        const count = fields.count('count', true, 1);
        if (count !== last - first + 1)
            fields.fail('count', `${last - first + 1}, the branches from "from" to "to"`);
        const steps = fields.array('steps');
        return {
            from: { id: expected.id, branch: [...expected.parent, first] },
            to: { id: expected.id, branch: [...expected.parent, last] },
            count,
            reason: fields.string('reason'),
            steps: steps.values.map((_, k) => step(steps.fields(k), expected.id, expected.parent)),
        };
    });
}
/** An after step's directory: `after/<step directory>`. */
const AFTER_STEP_DIR = new RegExp(`^after/${STEP_DIR.source.slice(1, -1)}$`);
/** An after step: checked as a leaf's step (its cached mark and batch id too), its directory under after/. */
function afterStep(fields) {
    return stepEntry(fields, () => fields.string('dir', AFTER_STEP_DIR, 'a step directory under after/ (e.g. "after/01_overview")'));
}
/**
 * results.json's `after` (null or absent: the run has no after steps, or it is one shard of several).
 * Its step directories must be under `after/`, so a tampered file cannot point a report elsewhere.
 */
function validate_parseAfterResult(value, file) {
    if (value === null || value === undefined)
        return null;
    const fields = Fields.of(file, value, 'after');
    const steps = fields.array('steps');
    return {
        status: fields.oneOf('status', STATUSES),
        output: fields.nullableString('output'),
        error: fields.nullableString('error'),
        usage: usage(fields.object('usage')),
        steps: steps.values.map((_, i) => afterStep(steps.fields(i))),
    };
}
/** `run_id` (under the rule of `--run-id`) and `shard` of a run record or a results header. */
function runAndShard(fields) {
    const runId = fields.string('run_id');
    if (normalizeRunId(runId) !== runId)
        fields.fail('run_id', `a run id starting with run_ (${RUN_ID_RULE})`);
    const shard = fields.object('shard');
    const index = shard.count('index', true, 1);
    const count = shard.count('count', true, 1);
    if (index > count)
        shard.fail('index', `at most shard.count (${count})`);
    return { runId, index, count };
}
/** A shard's record (run.json, shards/I-of-N.json): the run id under the rule of `--run-id`. */
function parseRunRecord(value, file) {
    const fields = fields_Fields.of(file, value);
    const { runId, index, count } = runAndShard(fields);
    const flows = fields.object('flows');
    const config = fields.object('config');
    return {
        run_id: runId,
        shard: { index, count },
        flows: { total: flows.count('total', true), from: flows.count('from', true), to: flows.count('to', true) },
        config: {
            file: config.string('file'),
            hash: config.string('hash'),
            ...(config.has('full_hash') ? { full_hash: config.string('full_hash', /^[0-9a-f]{64}$/, 'a sha256 (64 hex digits)') } : {}),
        },
        keys_hash: fields.string('keys_hash'),
        started_at: fields.string('started_at'),
        ended_at: fields.nullableString('ended_at'),
        ...(fields.has('stopped') ? { stopped: fields.nullableString('stopped') } : {}),
        ...(fields.has('totals') ? { totals: fields.raw('totals') === null ? null : totals(fields.object('totals')) } : {}),
    };
}
function totals(fields) {
    return {
        flows_total: fields.count('flows_total', true),
        total: fields.count('total', true),
        succeeded: fields.count('succeeded', true),
        failed: fields.count('failed', true),
        cancelled: fields.count('cancelled', true),
        usage: usage(fields.object('usage')),
    };
}
function parseResultsHeader(value, file) {
    const fields = fields_Fields.of(file, value);
    const { runId, index, count } = runAndShard(fields);
    return { ...fields.all(), run_id: runId, shard: { index, count }, ...totals(fields) };
}
/** A leaf's address in results.json: a flow id and a path of element indexes. */
function validate_address(fields) {
    const id = fields.string('id', FLOW_ID, 'a flow id (flow_ and 4 or more digits)');
    const branch = fields.array('branch').values;
    if (!branch.every((n) => typeof n === 'number' && Number.isSafeInteger(n) && n >= 1))
        fields.fail('branch', 'a list of element indexes (whole numbers of 1 or more)');
    return { id, branch: branch };
}
/**
 * One range of results.json's `not_started`: flows `from`..`to` (branch [] both, no steps), or
 * branches of one array step (one flow, one parent branch path, steps of that parent).
 */
function parseResultsRange(value, file) {
    const fields = fields_Fields.of(file, value);
    const from = validate_address(fields.object('from'));
    const to = validate_address(fields.object('to'));
    const count = fields.count('count', true, 1);
    const steps = fields.array('steps');
    const reason = fields.string('reason');
    if (from.branch.length === 0) {
        if (to.branch.length !== 0 || to.id.length !== from.id.length)
            fields.fail('to', 'a flow id as long as "from"\'s, with branch []');
        const span = Number(to.id.slice(5)) - Number(from.id.slice(5)) + 1;
        if (count !== span)
            fields.fail('count', `${span}, the flows from "from" to "to"`);
        if (steps.values.length > 0)
            fields.fail('steps', 'empty for a range of flows');
        return { from, to, count, reason, steps: [] };
    }
    const parent = from.branch.slice(0, -1);
    if (to.id !== from.id || to.branch.length !== from.branch.length || parent.some((n, k) => to.branch[k] !== n))
        fields.fail('to', `a branch of the same array step as "from" (${from.id} [${from.branch.join('.')}])`);
    const span = to.branch.at(-1) - from.branch.at(-1) + 1;
    if (count !== span)
        fields.fail('count', `${span}, the branches from "from" to "to"`);
    return { from, to, count, reason, steps: steps.values.map((_, k) => step(steps.fields(k), from.id, parent)) };
}

;// CONCATENATED MODULE: ./build/action-js/results/results-file.js
/**
 * Reading results.json back without holding it: a first pass checks its shape and reads everything
 * but the leaf entries (header, never-started ranges, where `flows` starts); a second pass parses
 * the entries one at a time. The file is data (an artifact anybody could have uploaded): every entry
 * is checked like a leaf's result.json, the entries must be in order and within the expected flows,
 * and their counts must add up to the header's totals.
 */






/** The first pass: throws DataError (naming the file and what is wrong) for a file cut short or not shaped like results.json. */
function results_file_openResultsFile(path, file = path, chunk) {
    const reader = JsonByteReader.open(path, file, 0, { chunk });
    try {
        const rest = {};
        let flowsAt;
        let notStarted;
        reader.members((key) => {
            if (key in rest || (key === 'flows' && flowsAt !== undefined) || (key === 'not_started' && notStarted !== undefined))
                reader.fail(`field "${key}" twice`);
            if (key === 'flows') {
                reader.skipSpace();
                flowsAt = reader.offset;
                reader.skipElements();
            }
            else if (key === 'not_started') {
                notStarted = [...reader.elements()];
            }
            else
                rest[key] = reader.value();
        });
        reader.end();
        if (flowsAt === undefined)
            throw new DataError(`${file}: field "flows" is missing`);
        const header = parseResultsHeader(rest, file);
        const ranges = (notStarted ?? []).map((value, i) => parseResultsRange(value, `${file}: not_started[${i}]`));
        return { path, file, header, notStarted: ranges, flowsAt, chunk };
    }
    finally {
        reader.close();
    }
}
/** Ends a results file whose flows were all run: the `flows` array, then `"not_started": []`. */
const ALL_STARTED_END = /\]\s*,\s*"not_started"\s*:\s*\[\s*\]\s*\}\s*$/;
const TAIL_BYTES = 256;
/** Thrown to leave `members` at `flows`: the entries are not read. */
class FlowsReached extends Error {
}
/**
 * Only the header of a results file in which every flow started, for a resume that keeps the file
 * as it is: the fields before `flows` (the order orchestrator writes them in), checked as the first
 * pass checks them, and the file's end, which must close `flows` and an empty `not_started` (a file
 * cut short does not). The entries are not stepped over, which at 100,000 flows is most of the read.
 * Throws DataError as openResultsFile does.
 */
function readAllStartedHeader(path, file = path) {
    const reader = JsonByteReader.open(path, file, 0);
    try {
        const rest = {};
        try {
            reader.members((key) => {
                if (key in rest)
                    reader.fail(`field "${key}" twice`);
                if (key === 'flows')
                    throw new FlowsReached();
                rest[key] = reader.value();
            });
            reader.fail('field "flows" is missing');
        }
        catch (error) {
            if (!(error instanceof FlowsReached))
                throw error;
        }
        if (!ALL_STARTED_END.test(reader.tail(TAIL_BYTES)))
            reader.fail('an end other than an empty "not_started"');
        return parseResultsHeader(rest, file);
    }
    finally {
        reader.close();
    }
}
const startOf = (item) => (isNotStarted(item) ? item.from : item);
const endOf = (item) => (isNotStarted(item) ? item.to : item);
/**
 * The second pass: every item of the file in results order (entries and never-started ranges
 * interleaved), each checked. With `bounds`, every flow must lie in them. Throws DataError at the
 * first problem; at the end, when the items do not add up to the header's totals.
 */
function* results_file_readResultsItems(results, bounds) {
    const { file, header } = results;
    const reader = JsonByteReader.open(results.path, file, results.flowsAt, { chunk: results.chunk });
    const counter = new TotalsCounter();
    const ranges = results.notStarted;
    let nextRange = 0;
    let previous;
    let label = '';
    const check = (item) => {
        for (const at of isNotStarted(item) ? [item.from, item.to] : [item]) {
            if (bounds === undefined)
                continue;
            const index = Number(at.id.slice(5)) - 1;
            if (!(index >= bounds.from && index < bounds.to && flowId(index, bounds.total) === at.id))
                throw new DataError(`${label}: ${at.id} is not one of this file's flows (${flowId(bounds.from, bounds.total)} to ${flowId(bounds.to - 1, bounds.total)})`);
        }
        if (previous !== undefined && compareLeaves(endOf(previous), startOf(item)) >= 0)
            throw new DataError(`${label}: out of order: results are sorted by flow id and branch, each leaf once`);
        previous = item;
        counter.add(item);
        return item;
    };
    try {
        let i = 0;
        for (const value of reader.elements()) {
            const raw = (typeof value === 'object' && value !== null ? value : {});
            label = `${file}: flows[${i}]`;
            const entry = parseLeafEntry(value, label, {
                id: typeof raw.id === 'string' ? raw.id : '',
                branch: Array.isArray(raw.branch) ? raw.branch : [],
            });
            while (nextRange < ranges.length && compareLeaves(ranges[nextRange].from, entry) < 0) {
                label = `${file}: not_started[${nextRange}]`;
                yield check(ranges[nextRange++]);
            }
            label = `${file}: flows[${i++}]`;
            yield check(entry);
        }
        while (nextRange < ranges.length) {
            label = `${file}: not_started[${nextRange}]`;
            yield check(ranges[nextRange++]);
        }
    }
    finally {
        reader.close();
    }
    const counted = counter.totals();
    const differ = ['flows_total', 'total', 'succeeded', 'failed', 'cancelled'].filter((k) => counted[k] !== header[k]);
    if (counted.usage.input_tokens !== header.usage.input_tokens || counted.usage.output_tokens !== header.usage.output_tokens)
        differ.push('usage');
    if (differ.length > 0)
        throw new DataError(`${file}: the entries do not add up to the totals at its top (${differ.map((k) => `"${k}"`).join(', ')}): the file was changed after orchestrator wrote it`);
}
/** Whether the header's totals are `totals` (those of the shard's record). */
function sameTotals(a, b) {
    return (a.flows_total === b.flows_total &&
        a.total === b.total &&
        a.succeeded === b.succeeded &&
        a.failed === b.failed &&
        a.cancelled === b.cancelled &&
        a.usage.input_tokens === b.usage.input_tokens &&
        a.usage.output_tokens === b.usage.output_tokens);
}

;// CONCATENATED MODULE: ./build/action-js/report/html-file.js









const REPORT_HTML = 'report.html';
/** UTF-8 takes at most 4 bytes a character: reading 4× the characters wanted is always enough. */
const BYTES_PER_CHAR = 4;
/** Per file name report.html shows: how many bytes of it it may read at most, and from which end. */
const SHOWN_BYTES = Object.fromEntries(STEP_FILES.map((name) => {
    const tail = name === 'stderr.txt';
    return [name, { bytes: (tail ? STDERR_TAIL : html_texts_TEXT_LIMIT) * BYTES_PER_CHAR, tail }];
}));
/** What the page shows of a file read as `bytes` (at most `chars` × 4 of them, from its start or end) out of `size`. */
function cutText(bytes, size, chars, tail) {
    let text = bytes.toString('utf8');
    let truncated = bytes.length < size;
    if (text.length > chars) {
        text = tail ? text.slice(text.length - chars) : text.slice(0, chars);
        truncated = true;
    }
    return truncated ? { text, truncatedFrom: size } : { text };
}
/** A captured file as runTreeLoader would have read it from disk (`chars` at most the characters SHOWN_BYTES keeps). */
function loadedText(file, chars, tail) {
    const bytes = file.length === 1 ? Buffer.from(file[0]) : Buffer.from(file[0], 'latin1');
    const size = file.length === 1 ? bytes.length : file[1];
    const want = Math.min(size, chars * BYTES_PER_CHAR);
    return cutText(tail ? bytes.subarray(Math.max(0, bytes.length - want)) : bytes.subarray(0, want), size, chars, tail);
}
/**
 * Reads the files of the directory `dir` under `runDir` that report.html shows, each as much as it
 * may show, through the directory held open (OpenDir): no directory on the way is gone through as a
 * link, even one swapped in after it was looked at, and no file is a link or anything but a regular file.
 */
function readShown(runDir, dir) {
    const files = new Map();
    let open;
    try {
        open = open_dir/* OpenDir */.E.under(runDir, dir);
        for (const entry of open?.entries() ?? []) {
            if (!entry.isFile() || !Object.hasOwn(SHOWN_BYTES, entry.name))
                continue;
            const keep = SHOWN_BYTES[entry.name];
            try {
                files.set(entry.name, (0,safe_read/* readRegular */.VX)(open.entry(entry.name), { maxBytes: keep.bytes, tail: keep.tail }));
            }
            catch {
                // swapped for a link or a FIFO since it was listed: not shown
            }
        }
    }
    catch {
        // unreadable: no files
    }
    finally {
        open?.close();
    }
    return files;
}
/**
 * A loader of step texts under `runDir` for the HTML report. Steps wrote these files, so they are
 * read as data only (safe-read.ts, OpenDir): a path must stay inside the run directory, no part of it
 * may be a symbolic link, the file must be a regular one and only as many bytes as the report shows
 * are read. The files of a step directory are read together, when the first of them is asked for.
 */
function runTreeLoader(runDir) {
    let listed;
    return (path, chars, tail) => {
        const cut = path.lastIndexOf('/');
        const dir = cut < 0 ? '' : path.slice(0, cut);
        const name = path.slice(cut + 1);
        const want = chars * BYTES_PER_CHAR;
        const keep = Object.hasOwn(SHOWN_BYTES, name) ? SHOWN_BYTES[name] : undefined;
        if (keep === undefined || keep.tail !== tail || want > keep.bytes) {
            // not a file the page shows, or more of it: read on its own
            const read = (0,safe_read/* readUnder */.Bs)(runDir, path, { maxBytes: want, tail });
            return read === undefined ? undefined : cutText(read.bytes, read.size, chars, tail);
        }
        if (listed?.dir !== dir)
            listed = { dir, files: readShown(runDir, dir) };
        const file = listed.files.get(name);
        if (file === undefined)
            return undefined;
        const { bytes } = file;
        return cutText(tail ? bytes.subarray(Math.max(0, bytes.length - want)) : bytes.subarray(0, want), file.size, chars, tail);
    };
}
/**
 * A leaf's whole output: results.json cuts a long one (`output_cut`), whose file is then read from
 * the run directory (`runDir`, or the leaf's `tree` below it) as runTreeLoader reads; the cut text
 * when that file cannot be read.
 */
function wholeOutput(leaf, runDir) {
    const cut = leaf.output_cut;
    if (cut === undefined)
        return leaf.output;
    const read = (0,safe_read/* readUnder */.Bs)(leaf.tree ? (0,external_node_path_.join)(runDir, leaf.tree) : runDir, cut.file, { maxBytes: cut.chars * BYTES_PER_CHAR });
    return read === undefined ? leaf.output : cutText(read.bytes, read.size, cut.chars, false).text;
}
/**
 * A loader for merged results: a path starting with one of `trees` (a shard's directory relative to
 * `runDir`, as merged leaves name it) is read from that directory, as runTreeLoader reads; any other
 * from `runDir`. A tree not in the map (named by a tampered file) reaches nothing outside `runDir`.
 */
function treesLoader(runDir, trees) {
    const own = runTreeLoader(runDir);
    const loaders = [...trees].map(([tree, dir]) => ({ prefix: `${tree}/`, load: runTreeLoader(dir) }));
    return (path, chars, tail) => {
        for (const { prefix, load } of loaders)
            if (path.startsWith(prefix))
                return load(path.slice(prefix.length), chars, tail);
        return own(path, chars, tail);
    };
}
/**
 * Writes `report.html` into the run directory (through a temporary file); returns its path. With
 * `trees`, leaves that name one (merged results) have their texts read from that directory.
 */
function writeReportHtml(runDir, meta, trees = new Map()) {
    const path = (0,external_node_path_.join)(runDir, REPORT_HTML);
    const temporary = `${path}.${process.pid}.tmp`;
    // steps can write into the run directory: a link planted at the temporary path is removed, not
    // followed, and one at report.html is replaced by the rename
    const blocks = `${path}.${process.pid}.blocks.tmp`;
    const tree = new safe_tree/* SafeTree */.Sw(runDir);
    tree.removeFile(temporary);
    tree.removeFile(blocks);
    const fd = tree.create(temporary);
    let side;
    try {
        side = tree.create(blocks);
        const out = side;
        // written as it is made: the texts of every leaf are never held at once, nor the table's rows
        // (the texts' blocks wait in a side file, copied in after the rows)
        const page = new GatheredWrites(fd);
        const sideFile = new GatheredWrites(out);
        const spool = {
            write: (text) => sideFile.write(text),
            drain: () => {
                sideFile.flush();
                page.flush();
                copyInto(blocks, fd);
            },
        };
        renderHtml({ ...meta, load: meta.load ?? treesLoader(runDir, trees), write: (text) => page.write(text), spool });
        page.flush();
    }
    catch (error) {
        (0,external_node_fs_.closeSync)(fd);
        if (side !== undefined)
            (0,external_node_fs_.closeSync)(side);
        tree.removeFile(temporary);
        tree.removeFile(blocks);
        throw error;
    }
    (0,external_node_fs_.closeSync)(fd);
    (0,external_node_fs_.closeSync)(side);
    tree.removeFile(blocks);
    (0,external_node_fs_.renameSync)(temporary, path);
    return path;
}
/** Appends the file at `path` (ours, just written; opened without following a link) to `fd`, a buffer at a time. */
function copyInto(path, fd) {
    const { fd: input } = (0,safe_read/* openRegular */.lf)(path);
    try {
        const buffer = Buffer.allocUnsafe(1 << 20);
        for (let n; (n = (0,external_node_fs_.readSync)(input, buffer, 0, buffer.length, null)) > 0;)
            (0,external_node_fs_.writeSync)(fd, buffer, 0, n);
    }
    finally {
        (0,external_node_fs_.closeSync)(input);
    }
}
/**
 * The HTML report of a run whose results.json is written: from `source` when given, else read back
 * from results.json. The report is a view: when it cannot be written, the run says so on stderr
 * and its outcome stands.
 */
function writeRunReportHtml(runDir, durationMs, source) {
    try {
        const meta = source === undefined ? readBack(runDir) : { ...source, shard: source.shard, run_id: source.runId };
        const { shard } = meta;
        const part = shard.count > 1 ? ` (shard ${shard.index}/${shard.count})` : '';
        return writeReportHtml(runDir, { ...meta, title: `orchestrator: ${meta.run_id}${part}`, durationMs });
    }
    catch (error) {
        reportNotWritten(runDir, error);
        return undefined;
    }
}
/** The report is a view: when it cannot be written, the run says so on stderr and its outcome stands. */
function reportNotWritten(runDir, error) {
    process.stderr.write(`orchestrator: warning: ${(0,external_node_path_.join)(runDir, REPORT_HTML)} was not written: ${error instanceof Error ? error.message : String(error)}\n`);
}
/** results.json read a piece at a time: the texts of 100,000 outputs never sit in memory at once. */
function readBack(runDir) {
    const results = openResultsFile(join(runDir, 'results.json'));
    const { header } = results;
    return {
        run_id: header.run_id,
        shard: header.shard,
        totals: header,
        leaves: readResultsItems(results),
        after: parseAfterResult(header.after, join(runDir, 'results.json')),
    };
}

// EXTERNAL MODULE: ./build/action-js/steps/env.js
var steps_env = __webpack_require__(16533);
;// CONCATENATED MODULE: ./build/action-js/steps/codex-version.js


/**
 * What `codex --version` prints (e.g. "codex-cli 0.169.0"), recorded in run.json so a run's codex
 * behaviour can be traced to a release; null when it could not be asked (the run goes on).
 */
function codexVersion(codexPath, cwd, env) {
    return new Promise((resolve) => {
        const child = (0,external_node_child_process_.execFile)(codexPath, ['--version'], { cwd, env: (0,steps_env/* childEnv */.g)(env), timeout: 30_000 }, (error, stdout) => {
            const version = String(stdout).trim().split('\n')[0]?.trim().slice(0, 200);
            resolve(error || !version ? null : version);
        });
        child.stdin?.end();
    });
}

;// CONCATENATED MODULE: ./build/action-js/steps/sandbox.js



const SANDBOX_FIXES = 'Fix it in one of two ways: allow unprivileged user namespaces on the runner ' +
    "(GitHub's Ubuntu 24.04 images block them: `sudo sysctl -w kernel.apparmor_restrict_unprivileged_userns=0` in a step before this one), " +
    'or set "sandbox": "danger-full-access" on the codex steps (Action input `sandbox: danger-full-access`) on a runner that is itself the sandbox, such as a GitHub-hosted VM.';
/** How the probe failed: exit code or signal, and the end of its stderr, or that it printed nothing. */
function probeFailure(error) {
    const e = error;
    let how;
    if (e.killed && e.signal)
        how = `did not finish in 60 s (ended with ${e.signal})`;
    else if (e.signal)
        how = `was killed by ${e.signal}`;
    else if (typeof e.code === 'number')
        how = `exited with code ${e.code}`;
    else if (typeof e.code === 'string')
        how = `could not be started (${e.code}${e.message ? `: ${e.message}` : ''})`;
    else
        how = `failed${e.message ? ` (${e.message})` : ''}`;
    const said = (e.stderr ?? '').trim().split('\n').slice(-3).join(' ').slice(0, 400);
    return said === '' ? `${how} and printed nothing on stderr` : `${how}: ${said}`;
}
/**
 * Runs a trivial command in codex's sandbox. Codex on a machine where its sandbox cannot start does
 * not fail: every command it runs is refused, and the step "succeeds" having done nothing. So
 * this is checked once, before any flow starts.
 */
async function probeSandbox(codexPath, cwd, env) {
    try {
        await new Promise((resolve, reject) => {
            const child = (0,external_node_child_process_.execFile)(codexPath, ['sandbox', '--', 'true'], { cwd, env: (0,steps_env/* childEnv */.g)(env), timeout: 60_000 }, (error, _stdout, stderr) => (error ? reject(Object.assign(error, { stderr })) : resolve()));
            child.stdin?.end();
        });
    }
    catch (error) {
        throw new errors/* UsageError */.eb(`codex's sandbox does not work on this machine (\`codex sandbox -- true\` ${probeFailure(error)}). ${SANDBOX_FIXES}`);
    }
}
/**
 * `codex exec` arguments that confine a `workspace-write` sandbox to the leaf's worktree (its cwd) and
 * its own temp directory `tmpdir`: by default that sandbox may also write to /tmp and $TMPDIR, where
 * every other flow's codex can write too.
 */
function isolationOverrides(tmpdir) {
    return [
        '-c',
        'sandbox_workspace_write.exclude_slash_tmp=true',
        '-c',
        'sandbox_workspace_write.exclude_tmpdir_env_var=true',
        '-c',
        `sandbox_workspace_write.writable_roots=${JSON.stringify([tmpdir])}`,
    ];
}

// EXTERNAL MODULE: ./build/action-js/steps/cgroup.js
var cgroup = __webpack_require__(63337);
// EXTERNAL MODULE: ./build/action-js/steps/sweep.js
var sweep = __webpack_require__(34565);
;// CONCATENATED MODULE: ./build/action-js/steps/unsafe-patch.js
/**
 * Why a step's changes.patch was not saved: it holds the value of a variable that is masked in
 * everything orchestrator writes. Names the variables, never their values.
 */
function unsafePatchMessage(names) {
    const list = names.join(', ');
    return (`the changes hold the value of ${list}, which orchestrator masks as *** in everything it writes; a masked ` +
        `changes.patch would apply and ship *** instead, so no patch was saved. If that value is not a secret, rename ` +
        `the variable (names ending in _KEY, _TOKEN, _SECRET or PASSWORD are masked) or unset it for this run`);
}

// EXTERNAL MODULE: ./build/action-js/steps/cmd.js + 3 modules
var steps_cmd = __webpack_require__(11357);
// EXTERNAL MODULE: ./build/action-js/steps/process.js + 1 modules
var steps_process = __webpack_require__(83750);
;// CONCATENATED MODULE: ./build/action-js/steps/setup.js





/**
 * Runs the config's `setup` command once in a new worktree, before its first step (a worktree holds
 * only what git tracks: no node_modules, no build output). Its failure fails the step that needed
 * the worktree.
 */
async function runSetup(request) {
    const result = await (0,steps_process/* runProcess */.R3)({
        file: 'sh',
        args: ['-c', request.command],
        cwd: request.cwd,
        env: { ...(0,steps_env/* childEnv */.g)(request.env), ...request.stepEnv, ORCHESTRATOR_WORKDIR: request.workdir },
        input: '',
        stdout: request.files.stream((0,external_node_path_.join)(request.dir, 'setup_stdout.txt')),
        stderr: request.files.stream((0,external_node_path_.join)(request.dir, 'setup_stderr.txt')),
        captureStdout: false,
        timeoutMs: request.timeoutMs,
        signal: request.signal,
    });
    const failure = (0,steps_cmd/* processFailure */.i)(`the config's "setup" command (${JSON.stringify(request.command)})`, result, request.timeoutMs);
    if (failure instanceof errors/* StepError */.zg) {
        throw new errors/* StepError */.zg(`${failure.message} (in this leaf's new worktree, before its first step; output in setup_stderr.txt)`, {
            cause: failure,
        });
    }
    if (failure)
        throw failure;
}

;// CONCATENATED MODULE: ./build/action-js/steps/worktree-session.js





/** The files a cmd step in a worktree finds the leaf's changed files in (its step directory). */
const CHANGED_FILES = 'changed_files.txt';
const CHANGED_FILES_NUL = 'changed_files.nul';
/** Where each step of a run runs: the workdir, or with `--isolate worktree` its leaf's own worktree, whose changes each step saves. */
class WorktreeSession {
    options;
    worktrees;
    constructor(options) {
        this.options = options;
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
    async runIn(step, worktree, at, run) {
        // without --isolate worktree every step runs in the workdir: no worktree, no patch to save
        if (this.worktrees === undefined)
            return run(this.options.workdir, undefined, {});
        const cwd = await this.cwdFor(step, worktree, at.name, (dir) => this.setup(dir, at.stepDir, at.stepEnv));
        const isolated = cwd !== this.options.workdir;
        const tmpdir = isolated && worktree.path !== undefined ? this.worktrees?.tmpFor(worktree.path) : undefined;
        let ran = false;
        try {
            const changed = isolated && step.kind === 'cmd' ? await this.changedFiles(worktree, cwd, at.stepDir) : {};
            const result = await run(cwd, tmpdir, changed);
            ran = true;
            return result;
        }
        finally {
            // the step's own failure, when it failed, says more than a patch that could not be saved
            if (isolated)
                await this.savePatch(worktree, at.stepDir).catch((error) => {
                    if (ran)
                        throw error;
                });
        }
    }
    /** Gives the leaf's worktree back to the pool (reset for the next leaf): it has no step left to run. */
    async close(worktree) {
        if (worktree.path !== undefined)
            await this.worktrees?.release(worktree.path);
        worktree.path = undefined;
    }
    /** Removes every worktree of the run. */
    async removeAll() {
        await this.worktrees?.removeAll();
    }
    /** The cwd of a codex or cmd step: the workdir, or with `--isolate worktree` this leaf's worktree. */
    async cwdFor(step, worktree, name, setup) {
        if (this.worktrees === undefined || step.kind === 'openai')
            return this.options.workdir;
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
    async changedFiles(worktree, cwd, stepDir) {
        if (this.worktrees === undefined || worktree.path === undefined)
            return {};
        const root = worktree.path;
        const names = (await this.worktrees.changed(root)).map((name) => (0,external_node_path_.relative)(cwd, (0,external_node_path_.join)(root, name)));
        const lines = (0,external_node_path_.join)(stepDir, CHANGED_FILES);
        const nul = (0,external_node_path_.join)(stepDir, CHANGED_FILES_NUL);
        this.options.files.write(lines, names.map((name) => `${name}\n`).join(''));
        this.options.files.write(nul, names.map((name) => `${name}\0`).join(''));
        return { ORCHESTRATOR_CHANGED_FILES: lines, ORCHESTRATOR_CHANGED_FILES_NUL: nul };
    }
    /** Saves what the leaf's worktree holds changed since HEAD as the step's changes.patch. */
    async savePatch(worktree, stepDir) {
        if (this.worktrees === undefined || worktree.path === undefined)
            return;
        const diff = await this.worktrees.diff(worktree.path);
        // a patch is code to apply: a masked one would apply and ship `***`, so none is saved at all
        const secrets = this.options.files.redactor.namesIn(diff);
        if (secrets.length > 0)
            throw new errors/* StepError */.zg(unsafePatchMessage(secrets));
        this.options.files.write((0,external_node_path_.join)(stepDir, 'changes.patch'), diff);
        worktree.patch = this.worktrees.keep(worktree.path, diff);
    }
    /** The config's `setup` command in a new worktree; `dir` stands for the workdir there. */
    setup(dir, stepDir, env) {
        const { options } = this;
        return runSetup({
            command: options.setup,
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

;// CONCATENATED MODULE: ./build/action-js/util/files.js



/** Writes files under the output tree (a run directory), every text redacted, never through a planted link. */
class TreeWriter {
    redactor;
    tree;
    /** Told of every file written (engine/leaf-spool.ts keeps what report.html shows of step files). */
    observer;
    /**
     * `byPath`: no process but ours writes into the tree while the run does (no step of the run starts
     * one): directories are made or checked once and files written by path (safe-tree.ts).
     */
    constructor(redactor, root, { byPath = false } = {}) {
        this.redactor = redactor;
        // the run's tree is written into many times: its directories are kept open (safe-tree.ts)
        this.tree = new safe_tree/* SafeTree */.Sw(root, byPath ? { byPath } : { keepOpen: true });
    }
    write(path, text) {
        this.observed(path, this.redactor.redact(text), (data) => this.tree.write(path, data));
    }
    /** Writes bytes as they are, but for the bytes of secrets. */
    writeBytes(path, data) {
        this.observed(path, this.redactor.redactBytes(data), (redacted) => this.tree.write(path, redacted));
    }
    /** Writes through a temporary file and a rename, so a reader never sees half a file; returns the text written. */
    writeAtomic(path, text) {
        const redacted = this.redactor.redact(text);
        this.observed(path, redacted, (data) => this.tree.writeAtomic(path, data));
        return redacted;
    }
    observed(path, data, write) {
        try {
            write(data);
        }
        catch (error) {
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
        // before serialising: JSON escapes a secret's newlines, quotes and backslashes, and the escaped
        // text would no longer match it
        const text = JSON.stringify(this.redactor.redactValue(value), null, 2) + '\n';
        if (atomic)
            return this.writeAtomic(path, text);
        const redacted = this.redactor.redact(text);
        this.observed(path, redacted, (data) => this.tree.write(path, data));
        return redacted;
    }
    /** A file written as data arrives, byte for byte but for secrets. */
    stream(path) {
        this.observer?.unknown(path);
        this.tree.dir((0,external_node_path_.dirname)(path));
        return new RedactingStream(path, this.redactor, this.tree);
    }
}
/** A stream's file is opened once it has been written to for this long, or holds this much. */
const LIVE_AFTER_MS = 1000;
const HOLD_BYTES = 64 * 1024;
/**
 * A file written as a process's output arrives, byte for byte but for secrets: the bytes of each
 * secret become `***`. The last bytes of what arrived (one fewer than the longest secret) are held
 * back until more come, so a secret split across chunks, or across lines, is still found. The
 * file is opened as a stream only when the process runs for a second or writes more than 64 KiB;
 * until then the bytes are held and, when the process ends first (most cmd steps), written in one
 * call: a stream's open, write and close each cost a trip through the thread pool, per file, per step.
 */
class RedactingStream {
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
    constructor(path, redactor, tree) {
        this.path = path;
        this.redactor = redactor;
        this.tree = tree;
        this.timer = setTimeout(() => this.open(), LIVE_AFTER_MS);
        this.timer.unref();
    }
    write(chunk) {
        const data = Buffer.concat([this.pending, typeof chunk === 'string' ? Buffer.from(chunk) : chunk]);
        const keep = Math.max(0, this.redactor.longestBytes - 1);
        if (data.length <= keep) {
            this.pending = data;
            return;
        }
        // redact all, then hold back the tail: a secret that ends there may not be whole yet (a masked
        // one in the tail is `***`, which no secret of 8 bytes or more matches again)
        const redacted = this.redactor.redactBytes(data);
        const cut = redacted.length - keep;
        this.emit(redacted.subarray(0, cut));
        this.pending = Buffer.from(redacted.subarray(cut));
    }
    end() {
        clearTimeout(this.timer);
        const tail = this.redactor.redactBytes(this.pending);
        this.pending = Buffer.alloc(0);
        const out = this.out;
        if (this.failure !== undefined) {
            out?.destroy();
            return Promise.reject(this.failure);
        }
        if (out === undefined) {
            try {
                this.tree.write(this.path, Buffer.concat([...this.held, tail]));
            }
            catch (error) {
                return Promise.reject(error instanceof Error ? error : new Error(String(error)));
            }
            finally {
                this.held = [];
                this.heldBytes = 0;
            }
            return Promise.resolve();
        }
        return new Promise((resolve, reject) => {
            out.once('error', reject);
            out.end(tail, () => (this.failure === undefined ? resolve() : reject(this.failure)));
        });
    }
    emit(data) {
        if (data.length === 0 || this.failure !== undefined)
            return;
        if (this.out !== undefined) {
            this.out.write(data);
            return;
        }
        this.held.push(data);
        this.heldBytes += data.length;
        if (this.heldBytes > HOLD_BYTES)
            this.open();
    }
    open() {
        clearTimeout(this.timer);
        if (this.out !== undefined || this.failure !== undefined)
            return;
        let fd;
        try {
            fd = this.tree.create(this.path);
        }
        catch (error) {
            this.failure = error;
            this.held = [];
            this.heldBytes = 0;
            return;
        }
        this.out = (0,external_node_fs_.createWriteStream)(this.path, { fd });
        // a write that fails later (ENOSPC) fails the step at end(), not the process
        this.out.on('error', (error) => (this.failure ??= error));
        for (const data of this.held)
            this.out.write(data);
        this.held = [];
        this.heldBytes = 0;
    }
}

;// CONCATENATED MODULE: ./build/action-js/util/redact.js
/** Environment variable names whose values are treated as secrets (`-` too: the Action's `INPUT_GITHUB-TOKEN`). */
const SECRET_NAME = /([_-]KEY|[_-]TOKEN|[_-]SECRET|PASSWORD)$/i;
const MIN_SECRET_LENGTH = 8;
const MASK = '***';
/** Secret values found in an environment: variables named *_KEY, *_TOKEN, *_SECRET, *PASSWORD. */
function secretsFromEnv(env) {
    return Object.entries(env)
        .filter(([name, value]) => SECRET_NAME.test(name) && value !== undefined && value.length >= MIN_SECRET_LENGTH)
        .map(([name, value]) => ({ name, value: value }));
}
/**
 * The forms of a secret that are masked: the value; for a multi-line value (a PEM key) each line
 * too, since a step may print one line, and a log is masked line by line; and the JSON-escaped
 * form of each (newlines, quotes and backslashes escaped), as codex's event stream and any JSON
 * text carry it.
 */
function secretForms(value) {
    const lines = value.includes('\n') || value.includes('\r') ? value.split(/\r?\n|\r/).map((line) => line.trim()) : [];
    const plain = [value, ...lines];
    return [...plain, ...plain.map((form) => JSON.stringify(form).slice(1, -1))];
}
/** Replaces secret values by `***` in everything written or printed. */
class Redactor {
    secrets;
    names = new Map();
    bytes;
    /** Plain strings are named `the API key` in messages; prefer named secrets. */
    constructor(secrets) {
        for (const secret of secrets) {
            if (secret === undefined)
                continue;
            const { name, value } = typeof secret === 'string' ? { name: 'the API key', value: secret } : secret;
            if (value.length < MIN_SECRET_LENGTH)
                continue;
            for (const form of secretForms(value))
                if (form.length >= MIN_SECRET_LENGTH && !this.names.has(form))
                    this.names.set(form, name);
        }
        this.secrets = [...this.names.keys()].sort((a, b) => b.length - a.length);
    }
    /**
     * A JSON-able value with every string (and key) redacted: redact before serialising. A copy when
     * something in it held a secret, else the value itself: looking costs no allocation, and a
     * step's record (step.json, its line of results.jsonl) rarely holds one.
     */
    redactValue(value) {
        if (this.secrets.length === 0 || !this.anywhereIn(value))
            return value;
        const walk = (item) => {
            if (typeof item === 'string')
                return this.redact(item);
            if (Array.isArray(item))
                return item.map(walk);
            if (item !== null && typeof item === 'object' && !(item instanceof Date)) {
                return Object.fromEntries(Object.entries(item).map(([key, inner]) => [this.redact(key), walk(inner)]));
            }
            return item;
        };
        return walk(value);
    }
    /** Whether a string of `item`, or a key, holds a secret (the walk redactValue makes, reading only). */
    anywhereIn(item) {
        if (typeof item === 'string')
            return this.secrets.some((secret) => item.includes(secret));
        if (Array.isArray(item))
            return item.some((inner) => this.anywhereIn(inner));
        if (item === null || typeof item !== 'object' || item instanceof Date)
            return false;
        // anything but a plain object (a Buffer, a Map) is copied as the walk copies it, whatever it holds
        const proto = Object.getPrototypeOf(item);
        if (proto !== Object.prototype && proto !== null)
            return true;
        for (const key in item) {
            if (!Object.hasOwn(item, key))
                continue;
            if (this.anywhereIn(key) || this.anywhereIn(item[key]))
                return true;
        }
        return false;
    }
    /** Every form masked (value, lines, escaped forms): for masking a log line by line (`::add-mask::`). */
    get forms() {
        return this.secrets;
    }
    redact(text) {
        let result = text;
        for (const secret of this.secrets)
            if (result.includes(secret))
                result = result.split(secret).join(MASK);
        return result;
    }
    /** The names of the secrets whose values occur in `text` (never the values). */
    namesIn(text) {
        return [...new Set(this.secrets.filter((secret) => text.includes(secret)).map((secret) => this.names.get(secret)))].sort();
    }
    /** Longest secret, so a stream redactor knows how much text to hold back between chunks. */
    get longest() {
        return this.secrets[0]?.length ?? 0;
    }
    /** The secrets as UTF-8 bytes, longest first. */
    get secretBytes() {
        return (this.bytes ??= this.secrets.map((secret) => Buffer.from(secret, 'utf8')).sort((a, b) => b.length - a.length));
    }
    /**
     * `redact` on bytes: the UTF-8 bytes of each secret replaced by those of `***`, every other byte
     * kept as it is (a command's output need not be UTF-8, and passes on unchanged but for secrets).
     */
    redactBytes(data) {
        let result = data;
        for (const secret of this.secretBytes) {
            let at = result.indexOf(secret);
            if (at < 0)
                continue;
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
}
const MASK_BYTES = Buffer.from(MASK);
/**
 * A URL without the credentials it may carry, for one of two uses:
 * - `'record'` (default), a URL as it may be written down (run.json): the user, the password and
 *   every query value become `***`; text that is not a URL becomes `***` (nothing of it is known to be safe);
 * - `'identity'`, what names the server in a fingerprint or a cache key: the user and password are
 *   dropped (rotating them does not change the answers) and the query is kept (it may choose what
 *   answers, e.g. `?api-version=`); text that is not a URL is kept as it is.
 */
function urlWithoutCredentials(text, use = 'record') {
    let url;
    try {
        url = new URL(text);
    }
    catch {
        return use === 'record' ? MASK : text;
    }
    if (use === 'identity') {
        url.username = '';
        url.password = '';
        return url.toString();
    }
    if (url.username)
        url.username = MASK;
    if (url.password)
        url.password = MASK;
    for (const name of new Set(url.searchParams.keys()))
        url.searchParams.set(name, MASK);
    return url.toString().replaceAll(encodeURIComponent(MASK), MASK);
}
/** The credentials a URL carries (user, password, query values), as secrets for a Redactor. */
function secretsFromUrl(text, name) {
    if (text === undefined)
        return [];
    let url;
    try {
        url = new URL(text);
    }
    catch {
        return [];
    }
    const values = [url.username, url.password, ...url.searchParams.values()];
    // user and password as written (percent-encoded) and as sent
    for (const value of [url.username, url.password]) {
        try {
            values.push(decodeURIComponent(value));
        }
        catch {
            // not valid percent-encoding: as written only
        }
    }
    return values.filter((value) => value.length >= MIN_SECRET_LENGTH).map((value) => ({ name, value }));
}
/**
 * The one recipe for a run's redactor, used by the CLI, the engine, the after report and the
 * Action alike: every variable of `env` whose name says it holds a secret, the API key, the
 * credentials of the base URL, and any other secret named.
 */
function redactorFor(env, secrets = {}) {
    return new Redactor([
        ...secretsFromEnv(env),
        secrets.apiKey,
        ...secretsFromUrl(secrets.baseUrl?.value, secrets.baseUrl?.name ?? '--base-url'),
        ...(secrets.others ?? []),
    ]);
}

;// CONCATENATED MODULE: ./build/action-js/prompt/assemble.js
/** A step's prompt: its template, then a blank line and the previous output when there is one. */
function assemblePrompt(template, previous) {
    return previous ? `${template}\n\n${previous}` : template;
}
/**
 * What `{{{NAME}}}` becomes in a prompt: the file's contents, followed by its path with
 * `--append-filepath` (as the original script did: trailing newlines dropped, then a newline).
 */
function promptValue(contents, path, appendFilepath) {
    return appendFilepath ? `${contents.replace(/\n+$/, '')}\n${path}` : contents;
}

;// CONCATENATED MODULE: ./build/action-js/engine/fingerprint.js


/** The fingerprint settings of a run's options (the flows' steps and the after steps alike). */
function fingerprintSettings(o) {
    return {
        offline: o.offline,
        openaiBaseUrl: o.baseUrl ?? (o.env.OPENAI_BASE_URL || undefined),
        codexBaseUrl: o.baseUrl,
        workdir: o.workdir,
        isolate: o.isolate ?? 'none',
    };
}
/** A base URL as it names the server in a fingerprint or cache key (urlWithoutCredentials 'identity'); null for none. */
function withoutCredentials(url) {
    if (url === undefined || url === '')
        return null;
    // one run has one or two base URLs and asks once a step: parsing it (new URL, two setters) each
    // time was about 1 % of a run of model calls
    if (url !== lastUrl.given)
        lastUrl = { given: url, identity: urlWithoutCredentials(url, 'identity') };
    return lastUrl.identity;
}
let lastUrl = { given: '', identity: '' };
/**
 * A step's input as its files keep it: every secret masked, as in prompt.txt and in the output.txt
 * of the step before, which is what `--resume` reads back. Fingerprints are taken of this, so a
 * step after one whose output held a secret (saved masked) is current on resume, not made again
 * from `***` each time.
 */
function maskedInput(input, redactor) {
    return {
        ...input,
        prompt: redactor.redact(input.prompt),
        input: input.input === undefined ? undefined : redactor.redactBytes(input.input),
        command: input.command === undefined
            ? undefined
            : {
                script: redactor.redact(input.command.script),
                variables: input.command.variables.map((v) => ({ ...v, value: redactor.redact(v.value) })),
            },
    };
}
/**
 * The fingerprint (sha256) of everything that decides one step's output in one flow or branch, so
 * `--resume` reuses a saved step only when it would be asked the same thing again (README
 * "Resuming a run"). It covers the step's kind, its resolved prompt (template with the key files'
 * contents and the previous output: prompt files, key files and `--append-filepath` are in it) or
 * for cmd steps the compiled script, the placeholders' values and stdin; and the fingerprint of the
 * step before it, so a step that runs again makes every step after it run again.
 *
 * Per kind, only what reaches the step counts: model steps answer offline with their prompt, so
 * offline only the mode and `array` count; online openai steps add model, API and server, codex
 * steps model, sandbox, server, workdir and isolation; cmd steps the workdir and isolation (they
 * run the same offline and online). Not counted: timeouts and retries (a step that succeeded gave
 * the same answer it would have with more time), `--parallel`, the token budget, the codex binary.
 */
function stepFingerprint(step, input, previous, settings) {
    const common = { v: 1, previous: previous ?? null, kind: step.kind, prompt: input.prompt };
    let parts;
    if (step.kind === 'cmd') {
        // stdin as bytes: two outputs that differ only in bytes that are not UTF-8 are different inputs
        const stdin = input.input ?? Buffer.from(input.prompt, 'utf8');
        parts = {
            ...common,
            prompt: undefined,
            stdin: (0,external_node_crypto_.hash)('sha256', stdin, 'hex'),
            script: input.command?.script ?? step.cmd,
            variables: (input.command?.variables ?? []).map((v) => [v.key, v.variable, v.value]),
            workdir: settings.workdir,
            isolate: settings.isolate,
        };
    }
    else if (settings.offline) {
        parts = { ...common, mode: 'offline', array: step.array };
    }
    else if (step.kind === 'openai') {
        parts = {
            ...common,
            mode: 'online',
            array: step.array,
            model: input.model ?? null,
            api: input.api,
            base_url: withoutCredentials(settings.openaiBaseUrl),
        };
    }
    else {
        parts = {
            ...common,
            mode: 'online',
            array: step.array,
            model: input.model ?? null,
            sandbox: input.sandbox,
            base_url: withoutCredentials(settings.codexBaseUrl),
            workdir: settings.workdir,
            isolate: settings.isolate,
        };
    }
    return (0,external_node_crypto_.hash)('sha256', JSON.stringify(parts), 'hex');
}

// EXTERNAL MODULE: ./build/action-js/util/dir-handles.js
var dir_handles = __webpack_require__(69083);
;// CONCATENATED MODULE: ./build/action-js/results/store.js









const RESULT = 'result.json';
/** Beside the branch directories of an array step: the ranges of its branches that never started. */
const NOT_STARTED = 'not_started.json';
function lstatKind(path) {
    try {
        const stats = (0,external_node_fs_.lstatSync)(path);
        return stats.isDirectory() ? 'dir' : stats.isFile() ? 'file' : 'other';
    }
    catch {
        return undefined;
    }
}
const isRealDirectory = (path) => lstatKind(path) === 'dir';
const isRegularFile = (path) => lstatKind(path) === 'file';
/**
 * The leaves' `result.json` entries under one flow directory, sorted by branch. Each is checked
 * (parseLeafEntry): one that is not what orchestrator writes — a step or an artifact may have
 * rewritten it — becomes a failed entry whose error names the file and the field.
 */
function readLeafEntries(flowDir) {
    return [...readLeafItems(flowDir)].filter((item) => !isNotStarted(item));
}
/** Branches nest once per array step; deeper directories than any config has are not ours. */
const MAX_DEPTH = 64;
function checkedEntry(value, file, id, branch) {
    try {
        return parseLeafEntry(value, file, { id, branch });
    }
    catch (error) {
        if (!(error instanceof DataError))
            throw error;
        return { ...unstartedEntry(id, {}, `${error.message} (the file was changed after orchestrator wrote it)`), branch, status: 'failed' };
    }
}
/**
 * What one flow directory holds for the results, in order: its leaves' `result.json` entries
 * (checked, as readLeafEntries says) and the ranges of branches that never started
 * (`not_started.json` beside the branches of an array step). Lazy, one directory at a time, so a
 * consumer can pause between the leaves of a huge fan-out.
 */
function readLeafItems(flowDir, branches = true) {
    return visitLeaves(flowDir, (0,external_node_path_.basename)(flowDir), [], branches);
}
/** `branches` false: a config without array steps, whose flows have one leaf each (no directory is listed). */
function* visitLeaves(dir, id, branch, branches) {
    // a link planted in the tree (flow dir, branch dir, result.json or not_started.json) is not read through
    if (!isRealDirectory(dir))
        return;
    const relative = (name) => (0,external_node_path_.join)(id, ...branch.map((b) => `branch_${b}`), name);
    const file = (0,external_node_path_.join)(dir, RESULT);
    let value;
    let readable = true;
    try {
        // missing, a link or not a regular file (readRegular refuses the last two on the opened file),
        // or cut short by a crash: the leaf counts as missing and runs again on resume
        value = JSON.parse((0,dir_handles/* quietly */.gd)(() => (0,safe_read/* readRegular */.VX)(file)).bytes.toString('utf8'));
    }
    catch {
        readable = false;
    }
    if (readable)
        yield checkedEntry(value, relative(RESULT), id, branch);
    if (!branches)
        return;
    let names;
    try {
        names = (0,external_node_fs_.readdirSync)(dir);
    }
    catch {
        return;
    }
    // below this directory: branch directories and never-started ranges, by element index
    const children = [];
    for (const name of names) {
        const match = /^branch_([1-9]\d*)$/.exec(name);
        if (match && branch.length < MAX_DEPTH)
            children.push({ index: Number(match[1]) });
    }
    if (names.includes(NOT_STARTED) && isRegularFile((0,external_node_path_.join)(dir, NOT_STARTED))) {
        for (const range of readNotStarted((0,external_node_path_.join)(dir, NOT_STARTED), relative(NOT_STARTED), id, branch))
            children.push({ index: range.from.branch.at(-1), range });
    }
    children.sort((a, b) => a.index - b.index);
    for (const child of children) {
        if (child.range !== undefined)
            yield child.range;
        else
            yield* visitLeaves((0,external_node_path_.join)(dir, `branch_${child.index}`), id, [...branch, child.index], true);
    }
}
/** A not_started.json that is cut short or not what orchestrator writes is left out: those branches count as missing and run again on resume. */
function readNotStarted(path, file, id, parent) {
    try {
        return parseNotStarted(JSON.parse((0,safe_read/* readRegular */.VX)(path).bytes.toString('utf8')), file, { id, parent });
    }
    catch {
        return [];
    }
}
/** Indexes (sorted) of the flows in [from, to) that have a directory in the run directory: one listing, not a look-up per flow. */
function flowsWithDirectories(runDir, total, from, to) {
    let names;
    try {
        names = (0,external_node_fs_.readdirSync)(runDir);
    }
    catch {
        return [];
    }
    const found = [];
    for (const name of names) {
        if (!name.startsWith('flow_'))
            continue;
        const index = Number(name.slice(5)) - 1;
        if (Number.isSafeInteger(index) && index >= from && index < to && flowId(index, total) === name)
            found.push(index);
    }
    return found.sort((a, b) => a - b);
}
/**
 * The results of the flows in [from, to) across run directories (shards copied side by side),
 * in order: the leaves of each flow found on disk (or `known`), the flows without any as never
 * started, with the reason `reasonOf` gives for a flow index (runs of flows with one reason stay
 * together). Costs one listing per run directory plus the flows that ran, whatever the number of
 * flows; nothing at all for a flow `known` has, and no listing when it has every flow.
 */
function* leavesAcross(runDirs, total, range, keysOf, reasonOf, branches = true, known) {
    const idOf = (index) => flowId(index, total);
    const gap = function* (from, to) {
        for (let start = from; start < to;) {
            const { reason, until } = reasonOf(start);
            const end = Math.min(to, Math.max(until, start + 1));
            yield* unstartedFlows(start, end, idOf, keysOf, reason);
            start = end;
        }
    };
    let next = range.from;
    for (const index of presentFlows(runDirs, total, range, known)) {
        const spooled = known?.entry(index, idOf(index));
        if (spooled !== undefined) {
            yield* gap(next, index);
            yield spooled;
            next = index + 1;
            continue;
        }
        for (const dir of runDirs) {
            let found = false;
            for (const item of readLeafItems((0,external_node_path_.join)(dir, idOf(index)), branches)) {
                // the flows before this one that left nothing never started
                if (!found)
                    yield* gap(next, index);
                found = true;
                yield item;
            }
            if (!found)
                continue; // an empty directory (or none here): the flow never got as far as a leaf
            next = index + 1;
            break;
        }
    }
    yield* gap(next, range.to);
}
/** The flows of the range that may have leaves, in order: those with a directory, and those `known` has (all, without a listing, when it has every one). */
function presentFlows(runDirs, total, range, known) {
    const all = range.to - range.from;
    if (known !== undefined && known.count === all)
        return { [Symbol.iterator]: () => countUp(range.from, range.to) };
    const present = new Set(runDirs.flatMap((dir) => flowsWithDirectories(dir, total, range.from, range.to)));
    if (known !== undefined && known.count > 0) {
        for (let index = range.from; index < range.to; index++)
            if (known.has(index))
                present.add(index);
    }
    return [...present].sort((a, b) => a - b);
}
function* countUp(from, to) {
    for (let index = from; index < to; index++)
        yield index;
}
/**
 * Every leaf of the flows in `range`, in order, from disk; flows without any never started, for
 * `reason`. `branches` false for a config without array steps: each flow has one leaf, its own
 * result.json, and no flow directory is listed for branches (what stands there is not ours: a run
 * resumes only with the config it started with).
 */
function readLeaves(runDir, space, range, reason = 'not run', branches = true, known) {
    return leavesAcross([runDir], space.total, range, (index) => ({ ...space.at(index).keys }), () => ({ reason, until: Infinity }), branches, known);
}
/**
 * `items` (sorted, as readLeaves gives them) with the entries that could not be written to disk
 * put in: each replaces what disk holds for its leaf, or the "not run" stand-in of its flow (also
 * when that flow lies inside a range of never-started flows, which is then cut around it).
 */
function* withUnwritten(items, unwritten) {
    if (unwritten.size === 0) {
        yield* items;
        return;
    }
    const ids = [...unwritten.keys()].sort();
    const at = (item) => (isNotStarted(item) ? item.from : item);
    let flow;
    let group = [];
    const flush = function* () {
        const kept = flow === undefined ? undefined : unwritten.get(flow);
        if (kept === undefined)
            yield* group;
        else {
            const onDisk = group.filter((e) => isNotStarted(e) || (e.steps.length > 0 && !kept.some((k) => compareLeaves(k, e) === 0)));
            yield* [...onDisk, ...kept].sort((a, b) => compareLeaves(at(a), at(b)));
        }
        group = [];
    };
    for (const item of items) {
        if (isNotStarted(item) && item.from.branch.length === 0) {
            const inside = ids.filter((id) => id >= item.from.id && id <= item.to.id);
            if (inside.length > 0) {
                yield* flush();
                flow = undefined;
                yield* cutAround(item, inside, unwritten);
                continue;
            }
        }
        const id = at(item).id;
        if (id !== flow) {
            yield* flush();
            flow = id;
        }
        group.push(item);
    }
    yield* flush();
}
/** A range of never-started flows with the flows `inside` it taken out, their kept entries in their place. */
function* cutAround(range, inside, unwritten) {
    const width = range.from.id.length - 'flow_'.length;
    const idOf = (index) => `flow_${String(index + 1).padStart(width, '0')}`;
    const indexOf = (id) => Number(id.slice('flow_'.length)) - 1;
    const piece = (from, to) => ({
        ...range,
        from: { id: idOf(from), branch: [] },
        to: { id: idOf(to), branch: [] },
        count: to - from + 1,
    });
    let next = indexOf(range.from.id);
    for (const id of inside) {
        const index = indexOf(id);
        if (index > next)
            yield piece(next, index - 1);
        yield* [...unwritten.get(id)].sort(compareLeaves);
        next = index + 1;
    }
    const last = indexOf(range.to.id);
    if (next <= last)
        yield piece(next, last);
}

// EXTERNAL MODULE: ./build/action-js/util/tree-paths.js
var tree_paths = __webpack_require__(46849);
// EXTERNAL MODULE: ./build/action-js/steps/limits.js
var limits = __webpack_require__(19997);
// EXTERNAL MODULE: ./build/action-js/steps/batch/record.js
var record = __webpack_require__(16225);
;// CONCATENATED MODULE: ./build/action-js/engine/array.js

/**
 * Elements of an `array: true` step's output, or an error message. The output comes from a model
 * (or a command fed by one), so the number of elements is capped at `maxItems`: each becomes a
 * branch with its own directory and processes.
 */
function parseArrayOutput(output, maxItems = Infinity) {
    let value = parseJsonOutput(output)?.value;
    // structured output wraps the array: {"items": [...]}
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
        const fields = Object.keys(value);
        if (fields.length === 1 && fields[0] === 'items' && Array.isArray(value.items))
            value = value.items;
    }
    if (!Array.isArray(value)) {
        const shown = output.length > 200 ? `${output.slice(0, 200)}…` : output;
        return {
            error: `"array": true needs the output to be a JSON array (or one \`\`\`json block holding one), got: ${JSON.stringify(shown)}`,
        };
    }
    if (value.length > maxItems) {
        return {
            error: `the array has ${value.length} elements, more than max_items ${maxItems}; ` +
                `raise "max_items" on this step if that many branches are intended, or ask for fewer elements`,
        };
    }
    return { elements: value.map((element) => (typeof element === 'string' ? element : JSON.stringify(element))) };
}

;// CONCATENATED MODULE: ./build/action-js/engine/resume.js














/** The file in a step directory holding the step's output. */
const outputFile = (step) => step.kind === 'codex' ? 'final_message.txt' : 'output.txt';
/**
 * The elements an array step gave, read back from its directory (no link followed on the way, no
 * more than a step's output may hold); undefined when they cannot be.
 */
function readElements(runDir, stepDir, step) {
    const cap = (0,limits/* maxOutputBytes */.rG)();
    const read = (0,safe_read/* readUnder */.Bs)(runDir, `${stepDir}/${outputFile(step)}`, { maxBytes: cap + 1 });
    if (read === undefined || read.size > cap)
        return undefined;
    try {
        const parsed = parseArrayOutput(read.bytes.toString('utf8'));
        return 'error' in parsed ? undefined : parsed.elements;
    }
    catch {
        return undefined;
    }
}
/** What a succeeded step leaves in its directory, so `--resume` can use its output instead of paying again. */
const STEP_RECORD = 'step.json';
function writeStepRecord(files, stepDir, step, result, durationMs, fingerprint) {
    const record = {
        schema: 1,
        status: 'succeeded',
        output: outputFile(step),
        usage: result.usage,
        duration_ms: durationMs,
        fingerprint,
        ...(result.cached !== undefined ? { cached: true, saved: result.cached } : {}),
        ...(result.batchId !== undefined ? { batch: result.batchId } : {}),
    };
    // not atomic: a step.json cut short by a crash does not parse, and the step runs again
    files.writeJson((0,tree_paths/* under */.hG)(stepDir, STEP_RECORD), record, { atomic: false });
}
function readStepRecord(stepDir) {
    try {
        // read without following a link a step may have planted (output.txt -> /proc/self/environ)
        const record = JSON.parse((0,safe_read/* readTreeFile */.xt)((0,external_node_path_.join)(stepDir, STEP_RECORD)).toString('utf8'));
        if (record.status !== 'succeeded' || (record.output !== 'output.txt' && record.output !== 'final_message.txt'))
            return undefined;
        const bytes = (0,safe_read/* readTreeFile */.xt)((0,external_node_path_.join)(stepDir, record.output));
        const patch = (0,external_node_path_.join)(stepDir, 'changes.patch');
        return {
            output: bytes.toString('utf8'),
            bytes,
            usage: (0,model_usage/* usageFrom */.mI)(record.usage),
            finalMessage: record.output === 'final_message.txt' ? (0,external_node_path_.join)(stepDir, record.output) : undefined,
            duration_ms: record.duration_ms ?? 0,
            patch: (0,external_node_fs_.existsSync)(patch) ? patch : undefined,
            fingerprint: typeof record.fingerprint === 'string' ? record.fingerprint : undefined,
            cached: record.cached === true ? ((0,model_usage/* usageFrom */.mI)(record.saved) ?? model_usage/* NO_USAGE */.yJ) : undefined,
            batchId: typeof record.batch === 'string' && /^[A-Za-z0-9_-]{1,200}$/.test(record.batch) ? record.batch : undefined,
        };
    }
    catch {
        return undefined;
    }
}
/** The directories of a run, beside its flows, that hold files written through a temporary file. */
const RECORD_DIRS = ['', (0,external_node_path_.dirname)(shardRecordPath({ index: 1, count: 1 })), record/* BATCHES_DIR */.B9];
/**
 * With `--resume`, removes the temporary files earlier attempts left beside the flows (run.json's,
 * results.json's, a shard record's, a batch record's): only regular files named as orchestrator
 * names them, and only those of a process that is gone (other shards of the run may be writing
 * theirs now). The flows' own leftovers go with removeLeafResults (resume-clear.ts), when the flow runs again.
 */
function removeLeftovers(runDir) {
    for (const name of RECORD_DIRS) {
        const dir = open_dir/* OpenDir */.E.under(runDir, name);
        if (dir === undefined)
            continue;
        try {
            for (const entry of dir.entries()) {
                const pid = entry.isFile() ? (0,safe_tree/* temporaryOwner */.Vl)(entry.name) : undefined;
                if (pid !== undefined && (pid === process.pid || !isAlive(pid)))
                    dir.remove(entry.name);
            }
        }
        finally {
            dir.close();
        }
    }
}
/**
 * With `--resume`, which saved steps are current: a step is when its record's fingerprint is the
 * one it would be made under now, from the saved output of the step before it, itself current.
 * Answers are kept per step directory, so the steps a flow's leaves share are read once.
 */
class CurrentSteps {
    steps;
    runDir;
    fingerprintOf;
    known = new Map();
    constructor(steps, runDir, fingerprintOf) {
        this.steps = steps;
        this.runDir = runDir;
        this.fingerprintOf = fingerprintOf;
    }
    /** The saved output and fingerprint of a leaf's step `i` when it and every step before it are current. */
    step(leaf, i) {
        const entry = leaf.steps[i];
        if (entry === undefined || entry.status !== 'succeeded')
            return undefined;
        let known = this.known.get(entry.dir);
        if (known === undefined) {
            known = this.check(leaf, i, entry.dir);
            this.known.set(entry.dir, known);
        }
        return known ?? undefined;
    }
    /** Whether every step a leaf ran is current. */
    leaf(leaf) {
        return leaf.steps.length > 0 && this.step(leaf, leaf.steps.length - 1) !== undefined;
    }
    check(leaf, i, dir) {
        let previous;
        if (i > 0) {
            previous = this.step(leaf, i - 1);
            if (previous === undefined)
                return null;
            if (this.steps[i - 1].array) {
                // the step after an array step starts from this leaf's element of it
                const depth = this.steps.slice(0, i - 1).filter((s) => s.array).length;
                const parsed = parseArrayOutput(previous.output);
                const element = 'error' in parsed ? undefined : parsed.elements[(leaf.branch[depth] ?? 0) - 1];
                if (element === undefined)
                    return null;
                previous = { output: element, fingerprint: previous.fingerprint };
            }
        }
        const record = readStepRecord((0,external_node_path_.join)(this.runDir, dir));
        if (record?.fingerprint === undefined)
            return null;
        let fingerprint;
        try {
            fingerprint = this.fingerprintOf(this.steps[i], previous);
        }
        catch {
            return null; // its inputs cannot be read now: it runs again and fails with the reason
        }
        return record.fingerprint === fingerprint ? { output: record.output, bytes: record.bytes, fingerprint } : null;
    }
}
/**
 * With `--resume`, the branches of a flow to run again: those of its first array step without a
 * succeeded, current leaf. Undefined when the flow must run again from its start (it failed before
 * or at its array step, that step's output is gone, or a step up to it is not current).
 */
function unfinishedBranches(steps, runDir, earlier, current) {
    const array = steps.findIndex((s) => s.array);
    if (array < 0 || array === steps.length - 1 || earlier.some((e) => e.branch.length === 0))
        return undefined;
    const shared = earlier[0].steps.slice(0, array + 1);
    if (shared.length !== array + 1 || shared.some((s) => s.status !== 'succeeded'))
        return undefined;
    // the array step's fingerprint gates its branches: when it is not current, neither are they
    const split = current.step(earlier[0], array);
    if (split === undefined)
        return undefined;
    const elements = readElements(runDir, shared[array].dir, steps[array]);
    if (elements === undefined)
        return undefined;
    const patches = shared.map((s) => (0,external_node_path_.join)(runDir, s.dir, 'changes.patch')).filter((p) => (0,external_node_fs_.existsSync)(p));
    const unfinished = elements
        .map((element, i) => ({
        previous: { output: element, fingerprint: split.fingerprint },
        index: i + 1,
        from: array + 1,
        steps: shared,
        patch: patches[patches.length - 1],
    }))
        .filter(({ index }) => {
        const leaves = earlier.filter((e) => e.branch[0] === index);
        return (leaves.length === 0 ||
            leaves.some((e) => e.status !== 'succeeded' || !current.leaf(e)) ||
            !allLeavesPresent(steps, runDir, leaves, 1));
    });
    return unfinished;
}
/**
 * With `--resume`, where a flow stands: `done` when every leaf it had succeeded and is current
 * (made under the inputs it would get now), the branches to run again when only some of its first
 * array step's are not, undefined when it runs again from its first step (its saved steps are
 * still reused where current).
 */
function resumeAt(steps, runDir, flowDir, fingerprintOf) {
    const earlier = readLeafEntries(flowDir);
    if (earlier.length === 0)
        return undefined;
    const current = new CurrentSteps(steps, runDir, fingerprintOf);
    // a run killed mid-way may have written only some of a flow's leaves: the missing ones run too
    if (earlier.every((e) => e.status === 'succeeded') &&
        allLeavesPresent(steps, runDir, earlier, 0) &&
        earlier.every((e) => current.leaf(e))) {
        return 'done';
    }
    return unfinishedBranches(steps, runDir, earlier, current);
}
/**
 * Whether `group` (the leaves on disk below one flow or branch at array depth `depth`) is every
 * leaf there is: each element of the array step that split it has leaves of its own, all the
 * way down. False when an array step's output cannot be read back.
 */
function allLeavesPresent(steps, runDir, group, depth) {
    if (group.some((e) => e.branch.length === depth))
        return group.length === 1;
    const k = steps.map((s, i) => (s.array ? i : -1)).filter((i) => i >= 0)[depth];
    const entry = k === undefined ? undefined : group[0].steps[k];
    if (entry === undefined)
        return false;
    const elements = readElements(runDir, entry.dir, steps[k]);
    if (elements === undefined)
        return false;
    return elements.every((_, e) => {
        const below = group.filter((l) => l.branch[depth] === e + 1);
        return below.length > 0 && allLeavesPresent(steps, runDir, below, depth + 1);
    });
}
function asAttempt(value) {
    if (!(0,is_object/* isObject */.G)(value) || typeof value.started_at !== 'string')
        return undefined;
    return {
        started_at: value.started_at,
        ended_at: typeof value.ended_at === 'string' ? value.ended_at : null,
        options: (0,is_object/* isObject */.G)(value.options) ? value.options : {},
    };
}
/**
 * The attempts this shard's record (or, unsharded, run.json) lists; a record written before
 * attempts were listed counts as one attempt with its own options.
 */
function earlierAttempts(runDir, shard) {
    const read = (path) => {
        try {
            return JSON.parse((0,safe_read/* readTreeFile */.xt)(path).toString('utf8'));
        }
        catch {
            return undefined;
        }
    };
    const record = read((0,external_node_path_.join)(runDir, shardRecordPath(shard))) ?? (shard.count === 1 ? read((0,external_node_path_.join)(runDir, 'run.json')) : undefined);
    if (!(0,is_object/* isObject */.G)(record))
        return { attempts: [] };
    const listed = Array.isArray(record.attempts) ? record.attempts.map(asAttempt) : [asAttempt(record)];
    const attempts = listed.filter((a) => a !== undefined);
    return { startedAt: typeof record.started_at === 'string' ? record.started_at : attempts[0]?.started_at, attempts };
}

;// CONCATENATED MODULE: ./build/action-js/engine/after.js












/** The directory of a run that holds the after steps' directories. */
const AFTER_DIR = 'after';
/** The one line that heads a leaf in the listing: its id (and branch), keys and status. */
function header(label, keys, status) {
    const listed = Object.entries(keys).map(([name, path]) => `${name}=${path}`);
    return `### ${[label, ...(listed.length > 0 ? [listed.join(', ')] : []), status].join(' · ')}`;
}
/**
 * The document the first after step starts from (its previous output): each leaf in results order,
 * a header line (id, keys, status) then its output; a failed leaf's error stands in for its output,
 * a cancelled leaf is listed by its header only, and a range of leaves that never started by one line.
 * Nothing in it varies between two runs with the same leaves (no durations), so `--resume` reuses
 * after steps whose leaves did not change.
 */
function listLeaves(items, outputOf = (leaf) => leaf.output) {
    const parts = [];
    for (const item of items) {
        if (isNotStarted(item)) {
            const span = `${leafLabel(item.from)} … ${leafLabel(item.to)} (${item.count} ${item.from.branch.length === 0 ? 'flows' : 'branches'})`;
            parts.push(`${header(span, {}, `cancelled: never started (${item.reason})`)}\n`);
        }
        else if (item.status === 'succeeded') {
            parts.push(`${header(leafLabel(item), item.keys, 'succeeded')}\n${outputOf(item) ?? ''}\n`);
        }
        else if (item.status === 'failed') {
            parts.push(`${header(leafLabel(item), item.keys, 'failed')}\nerror: ${item.error ?? 'unknown'}\n`);
        }
        else {
            parts.push(`${header(leafLabel(item), item.keys, `cancelled (${item.error ?? 'not run'})`)}\n`);
        }
    }
    return parts.join('\n');
}
/** An after result for after steps that did not run at all: cancelled (stopped), or failed (they could not run). */
const afterNotRun = (reason, status = 'cancelled') => ({
    status,
    output: null,
    error: reason,
    usage: model_usage/* NO_USAGE */.yJ,
    steps: [],
});
/**
 * Runs the after steps once, over `leaves`: the first starts from their listing (listLeaves), each
 * next one from the output before it, as in a flow. Each writes under `<run>/after/`, and is reused
 * (not run, not paid for) when its step.json holds the fingerprint it would be made under now.
 * Never throws for a step's failure: the result says how the after steps ended.
 */
async function runAfter(setup, leaves) {
    const { options } = setup;
    const stoppedBefore = setup.stopReason();
    if (stoppedBefore !== undefined)
        return { result: afterNotRun(stoppedBefore), spent: model_usage/* NO_USAGE */.yJ };
    const settings = fingerprintSettings(options);
    const prices = setup.prices ?? BUILT_IN_PRICES;
    const entries = [];
    let usage = model_usage/* NO_USAGE */.yJ;
    let spent = model_usage/* NO_USAGE */.yJ;
    const ended = (status, output, error) => ({
        result: { status, output: status === 'succeeded' ? output : null, error, usage, steps: entries },
        spent,
    });
    // one working tree for the chain: a codex after step sees what the one before it changed
    const worktree = {};
    let previous = {
        output: listLeaves(leaves, setup.outputOf),
        fingerprint: undefined,
    };
    try {
        for (const step of setup.steps) {
            const where = `after step ${step.index} (${JSON.stringify(step.label)})`;
            const batching = setup.runners[step.kind].batches !== undefined;
            const stopped = setup.stopReason() ?? spendLimit(options, (0,model_usage/* addUsage */.vk)(setup.used, spent));
            if (stopped !== undefined)
                return ended('cancelled', null, stopped);
            const stepDir = (0,external_node_path_.join)(setup.runDir, AFTER_DIR, stepDirName(step));
            const started = Date.now();
            const input = stepInput(setup, step, previous.output, previous.bytes);
            // of the input as saved (secrets masked), as the flows' steps (fingerprint.ts maskedInput)
            const fingerprint = stepFingerprint(step, maskedInput(input, setup.files.redactor), previous.fingerprint, settings);
            const earlier = readStepRecord(stepDir);
            let result;
            let reused = false;
            let stepUsage = null;
            try {
                if (earlier !== undefined && earlier.fingerprint === fingerprint) {
                    result = pricedResult(step, earlier, { reused: true, batching }, prices, options);
                    reused = true;
                    if (earlier.patch !== undefined)
                        worktree.inherited = earlier.patch;
                }
                else {
                    result = pricedResult(step, await runStep(setup, step, input, stepDir, worktree), { reused: false, batching }, prices, options);
                    writeStepRecord(setup.files, stepDir, step, result, Date.now() - started, fingerprint);
                }
                stepUsage = result.usage;
            }
            catch (caught) {
                const cancelled = caught instanceof errors/* CancelledError */.cc;
                stepUsage = caught instanceof errors/* StepError */.zg ? spend_stepUsage(step, caught.usage, prices, options) : null;
                usage = (0,model_usage/* addUsage */.vk)(usage, stepUsage);
                spent = (0,model_usage/* addUsage */.vk)(spent, stepUsage);
                const message = cancelled ? (setup.stopReason() ?? caught.message) : `${where}: ${(0,errors/* errorMessage */.gJ)(caught)}`;
                entries.push(entry(step, cancelled ? 'cancelled' : 'failed', Date.now() - started, stepUsage));
                if (!cancelled)
                    note(setup, (0,external_node_path_.join)(stepDir, 'error.txt'), message + '\n');
                return ended(cancelled ? 'cancelled' : 'failed', null, message);
            }
            // a reused step's tokens are still the after steps' tokens, but not spent by this process
            usage = (0,model_usage/* addUsage */.vk)(usage, stepUsage);
            if (!reused)
                spent = (0,model_usage/* addUsage */.vk)(spent, stepUsage);
            // answered from the response cache or in a batch: marked as the flows' steps are
            entries.push({
                ...entry(step, 'succeeded', reused ? earlier.duration_ms : Date.now() - started, stepUsage),
                ...answerMarks(result),
            });
            previous = { output: result.output, bytes: result.bytes, fingerprint };
        }
        return ended('succeeded', previous.output, null);
    }
    catch (error) {
        // the after directory could not be written (or read): the flows' results stand, the after steps failed
        return ended('failed', null, `after steps: ${(0,errors/* errorMessage */.gJ)(error)}`);
    }
    finally {
        await setup.worktrees.close(worktree);
    }
}
function entry(step, status, durationMs, usage) {
    return {
        name: step.label,
        type: step.type,
        status,
        duration_ms: durationMs,
        usage,
        dir: `${AFTER_DIR}/${stepDirName(step)}`,
    };
}
/** What an after step is given: its template (no placeholders) and the previous output; a cmd step gets it on stdin. */
function stepInput(setup, step, previous, bytes) {
    const { options } = setup;
    const model = modelOf(step, options);
    const api = step.api ?? options.api ?? 'responses';
    const sandbox = sandboxOf(step, options);
    if (step.kind === 'cmd') {
        const script = setup.sources.commands.get(step.index)?.script ?? step.cmd;
        return { prompt: previous, input: bytes, command: { script, variables: [] }, model, api, sandbox };
    }
    const source = step.prompt;
    const template = source.kind === 'inline' ? source.text : setup.sources.templates.get(step.index);
    if (template === undefined)
        throw new errors/* StepError */.zg(`the prompt file ${JSON.stringify(source.kind === 'file' ? source.path : '')} was not read`);
    return { prompt: assemblePrompt(template, previous), input: undefined, command: undefined, model, api, sandbox };
}
async function runStep(setup, step, input, stepDir, worktree) {
    const { files } = setup;
    // the directories down to this step's are real ones, not links a flow's step planted
    files.tree.removeDir(stepDir);
    files.tree.dir(stepDir);
    if (input.input !== undefined)
        files.writeBytes((0,external_node_path_.join)(stepDir, 'prompt.txt'), input.input);
    else
        files.write((0,external_node_path_.join)(stepDir, 'prompt.txt'), input.prompt);
    // no flow: ORCHESTRATOR_FLOW_ID is "after"
    const env = { ORCHESTRATOR_FLOW_ID: AFTER_DIR, ORCHESTRATOR_BRANCH: '', ORCHESTRATOR_RUN_DIR: setup.runDir };
    return setup.worktrees.runIn(step, worktree, { name: AFTER_DIR, stepDir, stepEnv: env }, (cwd, tmpdir) => setup.runners[step.kind].run({
        ...input,
        step,
        cwd,
        dir: stepDir,
        tmpdir,
        timeoutMs: (step.timeout ?? setup.options.timeoutS) * 1000,
        signal: setup.signal,
        files,
        env,
    }));
}
/** error.txt, for the reader: the error is in results.json already, so its own write failing changes nothing. */
function note(setup, path, text) {
    try {
        setup.files.write(path, text);
    }
    catch {
        // see above
    }
}

;// CONCATENATED MODULE: ./build/action-js/engine/fanout.js

/** Gives signal handlers and timers a turn: awaiting a promise alone only runs other microtasks. */
const breathe = () => new Promise((resolve) => setImmediate(resolve));
/** How many branches start (or are written) between two turns of the event loop. */
const BREATHE_EVERY = 256;
/**
 * Starts the branches of an array step one at a time, each once a slot at its own priority is
 * free: a waiting branch is only its element (not a pending walk), there is one waiter per fan-out
 * whatever its size, and branches already started, whose priority is smaller, go first. Once the
 * run stops, the branches not started yet are handed to `notStarted` at once.
 */
async function fanOut(prefix, branches, hooks) {
    const running = new Set();
    for (let k = 0; k < branches.length; k++) {
        if (k % BREATHE_EVERY === BREATHE_EVERY - 1)
            await breathe();
        const branch = branches[k];
        await hooks.acquire([...prefix, branch.index]);
        const reason = hooks.stopReason();
        if (reason !== undefined) {
            hooks.release();
            hooks.notStarted(branches.slice(k), reason);
            break;
        }
        const walk = hooks.start(branch).finally(() => running.delete(walk));
        running.add(walk);
    }
    await Promise.all(running);
}
/**
 * Never-started branches below `parent` as `not_started` ranges (runs of consecutive indexes at
 * least COMPACT_FROM long) and the rest, to be listed one cancelled leaf each.
 */
function splitNotStarted(id, parent, branches, reason, steps) {
    const ranges = [];
    const single = [];
    for (let k = 0; k < branches.length;) {
        let end = k + 1;
        while (end < branches.length && branches[end].index === branches[end - 1].index + 1)
            end++;
        if (end - k >= COMPACT_FROM) {
            ranges.push({
                from: { id, branch: [...parent, branches[k].index] },
                to: { id, branch: [...parent, branches[end - 1].index] },
                count: end - k,
                reason,
                steps,
            });
        }
        else {
            single.push(...branches.slice(k, end));
        }
        k = end;
    }
    return { ranges, single };
}

// EXTERNAL MODULE: external "node:url"
var external_node_url_ = __webpack_require__(73136);
// EXTERNAL MODULE: external "node:worker_threads"
var external_node_worker_threads_ = __webpack_require__(75919);
;// CONCATENATED MODULE: ./build/action-js/engine/leaf-lines.js


/** A flow's line: its id, its steps' fingerprints and the stamp of its files (stampOf). */
const indexLine = (id, prints, stamp) => JSON.stringify({ id, fp: prints, st: stamp });
const FINGERPRINT = /^[0-9a-f]{64}$/;
const leaf_lines_FLOW_ID = /^flow_\d{1,12}$/;
/** Numbers in a stamp: size and modification time of the flow's directory, then of its result.json. */
const STAMP_LENGTH = 4;
const LINE_START = '{"id":"';
const PRINTS_START = '","fp":[';
const STAMP_START = '],"st":[';
/** A fingerprint in a line: 64 characters quoted, then a comma or the list's end. */
const PRINT_CHARS = 64 + 3;
/**
 * The stamp of a flow's files: size and modification time of its directory (which change when an
 * entry of it is added, removed or renamed: a step directory removed, result.json replaced) and of
 * its result.json (which change when it is rewritten in place); undefined when either is missing or
 * not what it should be. Two lstat calls a flow, by path, when it ends and on resume: a file
 * rewritten in place inside a step directory is not seen (a later step's fingerprint, made from the
 * output it reads, still is). Only metadata is looked at: a directory swapped for a link on the way
 * makes a stamp of another file, which matches only when forged, as the line itself can be.
 */
function stampOf(runDir, flowId) {
    const flowDir = `${runDir}/${flowId}`;
    const dir = (0,external_node_fs_.lstatSync)(flowDir, { throwIfNoEntry: false });
    if (dir?.isDirectory() !== true)
        return undefined;
    const leaf = (0,external_node_fs_.lstatSync)(`${flowDir}/result.json`, { throwIfNoEntry: false });
    if (leaf?.isFile() !== true)
        return undefined;
    return [dir.size, dir.mtimeMs, leaf.size, leaf.mtimeMs];
}
/**
 * The lines of an index's text by flow, in the flows' order (the first at `range.from`); lines that
 * are not a line of one of these flows, of `steps` steps, are left out (a flow listed twice: the
 * last line counts).
 */
function leaf_lines_parseIndex(text, steps, range) {
    const lines = new Array(range.to - range.from).fill(undefined);
    const place = (id, line) => {
        const index = Number(id.slice('flow_'.length)) - 1;
        if (index >= range.from && index < range.to && flowId(index, range.total) === id)
            lines[index - range.from] = line;
    };
    for (let at = 0; at < text.length;) {
        let end = text.indexOf('\n', at);
        if (end < 0)
            end = text.length;
        const line = text.slice(at, end);
        at = end + 1;
        if (line === '')
            continue;
        const id = canonicalId(line, steps);
        if (id !== undefined)
            place(id, line);
        else {
            const parsed = parseLine(line, steps);
            if (parsed !== undefined)
                place(parsed.id, indexLine(parsed.id, parsed.fp, parsed.st));
        }
    }
    return lines;
}
/** Whether a flow's files are as its line says (their stamp now is the line's), taken now. */
function stampMatches(runDir, flowId, line, steps) {
    const stamp = stampOf(runDir, flowId);
    if (stamp === undefined)
        return false;
    const end = `${STAMP_START}${stamp.join(',')}]}`;
    return line.length === printAt(flowId, steps) - 1 + end.length && line.endsWith(end);
}
/** Whether step `i`'s fingerprint in a flow's line (one parseIndex kept) is `fingerprint`. */
const fingerprintAt = (line, flowId, i, fingerprint) => line.startsWith(`"${fingerprint}"`, printAt(flowId, i));
/** Where step `i`'s fingerprint starts in a flow's line. */
const printAt = (flowId, i) => LINE_START.length + flowId.length + PRINTS_START.length + i * PRINT_CHARS;
/**
 * The id of a line laid out as indexLine writes it, found without parsing it as JSON; undefined
 * for any other line. A fingerprint that is not one (not 64 hex digits) is left for the
 * comparison to refuse: no step is made under it.
 */
function canonicalId(line, steps) {
    if (!line.startsWith(LINE_START))
        return undefined;
    const idEnd = line.indexOf('"', LINE_START.length);
    if (idEnd < 0)
        return undefined;
    const id = line.slice(LINE_START.length, idEnd);
    if (!leaf_lines_FLOW_ID.test(id) || !line.startsWith(PRINTS_START, idEnd))
        return undefined;
    for (let i = 0; i < steps; i++) {
        const at = printAt(id, i);
        if (line[at] !== '"' || line[at + 65] !== '"' || line[at + 66] !== (i + 1 < steps ? ',' : ']'))
            return undefined;
    }
    return line.startsWith(STAMP_START, printAt(id, steps) - 1) && line.endsWith(']}') ? id : undefined;
}
/** A line in any other layout JSON allows: its fields, when they are what a line holds. */
function parseLine(line, steps) {
    let value;
    try {
        value = JSON.parse(line);
    }
    catch {
        return undefined;
    }
    const { id, fp, st } = (value ?? {});
    if (typeof id !== 'string' || !leaf_lines_FLOW_ID.test(id))
        return undefined;
    if (!Array.isArray(fp) || fp.length !== steps || !fp.every((f) => typeof f === 'string' && FINGERPRINT.test(f)))
        return undefined;
    // a line without a stamp (an index written before stamps) vouches for nothing
    if (!Array.isArray(st) || st.length !== STAMP_LENGTH || !st.every((n) => typeof n === 'number'))
        return undefined;
    return { id, fp: fp, st };
}
/** The flow id of a line parseIndex kept. */
const lineId = (line) => line.slice(LINE_START.length, line.indexOf('"', LINE_START.length));

;// CONCATENATED MODULE: ./build/action-js/engine/leaf-checks.js





/** Flows a batch covers: enough that the messages cost nothing next to the stamps. */
const BATCH = 2048;
/** The thread's module, beside this one in the built CLI (absent under jest's sources and in the Action's bundle). */
const THREAD_MODULE = './leaf-check-worker.js';
/**
 * Parses an index and checks the stamp of each flow it lists, in order, handing the results over
 * a batch at a time: on the checking thread, or (without one) on this one, a batch when asked.
 */
function checkLines(setup, send) {
    const lines = parseIndex(setup.text, setup.steps, setup);
    const near = { ...setup, runDir: fromHere(setup.runDir) };
    for (let from = setup.from; from < setup.to; from += BATCH)
        send(checkBatch(near, lines, from));
}
/**
 * A path relative to the working directory when it is below it: the kernel then looks up fewer
 * directories for each of the 200,000 lstat calls of 100,000 flows (~10 % of their time here).
 * The result names the same file: no process of orchestrator changes its working directory.
 */
function fromHere(path) {
    const near = (0,external_node_path_.relative)(process.cwd(), path);
    return near !== '' && !near.startsWith('..') && !(0,external_node_path_.isAbsolute)(near) ? near : path;
}
function checkBatch(setup, lines, from) {
    const checked = [];
    const to = Math.min(from + BATCH, setup.to);
    for (let index = from; index < to; index++) {
        const line = lines[index - setup.from];
        checked.push(line !== undefined && stampMatches(setup.runDir, lineId(line), line, setup.steps) ? line : '');
    }
    return { from, lines: checked.join('\n') };
}
/**
 * The lines of an earlier attempt's index whose flows' files are as the lines say (stampMatches),
 * by flow, checked ahead of the flows a resume starts. The stamps (two lstat calls a flow, kernel
 * time: about a quarter of the CPU of a resume over 100,000 finished flows) are taken on a thread
 * of their own beside the fingerprints the run's thread makes (vouches), so the two take turns on
 * no core. Taking a stamp ahead of its flow is no weaker than taking it when the flow is reached:
 * flows that resume runs meanwhile may still change it, as they could after it was reached, and
 * whenever something ran results.json reads every flow's result.json back (a flow vouched for that
 * is not a succeeded leaf then costs the index). Without the thread's module (the Action's
 * bundle, jest's sources) or when the thread fails, the checks are made here, a batch when asked.
 */
class CheckedLines {
    setup;
    batches = new Map();
    waiting;
    worker;
    lines;
    near;
    constructor(setup, file = threadModule()) {
        this.setup = setup;
        if (file === undefined)
            return;
        try {
            const worker = new external_node_worker_threads_.Worker(file, { workerData: setup, name: 'resume checks' });
            worker.unref();
            worker.on('message', (batch) => this.take(batch));
            worker.on('error', () => this.inThisThread());
            worker.on('exit', () => this.inThisThread());
            this.worker = worker;
        }
        catch {
            this.worker = undefined;
        }
    }
    /** The line of the flow at `index` when its stamp held (after `ready(index)`); undefined when none did. */
    line(index) {
        const start = this.batchStart(index);
        const line = this.batches.get(start)?.[index - start];
        if (index + 1 === Math.min(start + BATCH, this.setup.to))
            this.batches.delete(start);
        return line === '' ? undefined : line;
    }
    /** Whether the flow at `index` was checked: else `ready` waits for it. */
    has(index) {
        const start = this.batchStart(index);
        if (this.batches.has(start))
            return true;
        if (this.worker !== undefined)
            return false;
        this.lines ??= leaf_lines_parseIndex(this.setup.text, this.setup.steps, this.setup);
        this.near ??= { ...this.setup, runDir: fromHere(this.setup.runDir) };
        this.take(checkBatch(this.near, this.lines, start));
        return true;
    }
    ready(index) {
        if (this.has(index))
            return Promise.resolve();
        // the thread is unref'd, so that it never holds the process up: but for while it is waited for
        this.worker?.ref();
        return new Promise((wake) => (this.waiting = { from: this.batchStart(index), wake }));
    }
    /** Ends the thread (the run no longer asks). */
    close() {
        const worker = this.worker;
        this.worker = undefined;
        void worker?.terminate();
    }
    batchStart(index) {
        return index - ((index - this.setup.from) % BATCH);
    }
    take(batch) {
        this.batches.set(batch.from, batch.lines.split('\n'));
        if (this.waiting?.from === batch.from)
            this.wakeWaiting();
    }
    /** The thread ended or failed: the flows not checked yet are checked here. */
    inThisThread() {
        this.worker = undefined;
        if (this.waiting !== undefined && this.has(this.waiting.from))
            this.wakeWaiting();
    }
    wakeWaiting() {
        const { wake } = this.waiting;
        this.waiting = undefined;
        this.worker?.unref();
        wake();
    }
}
function threadModule() {
    const file = new URL(THREAD_MODULE, import.meta.url);
    return (0,external_node_fs_.existsSync)((0,external_node_url_.fileURLToPath)(file)) ? file : undefined;
}

;// CONCATENATED MODULE: ./build/action-js/engine/leaf-index.js











/**
 * The index of finished flows a run keeps beside them, so `--resume` over a finished run does not
 * read every flow's result.json and step.json back: one line per flow that succeeded,
 * `{"id":"flow_0001","fp":["<step 1's fingerprint>", ...],"st":[<size>, <mtime ms>, ...]}`,
 * appended as flows finish. `st` stamps the flow's directory and result.json (stampOf): a flow whose
 * files were removed or rewritten since (by a step of another flow, say) is not vouched for, and is
 * read from disk instead.
 *
 * Kept only for configs without array steps (a flow is then one leaf) and written through a
 * temporary file that becomes the index only once the run's results were read back from disk and
 * every flow the index lists was found there as succeeded; a resume reads it and removes it before
 * anything runs, so a crash mid-way leaves no index that could vouch for a flow run again since.
 * A missing, unreadable or disagreeing index (a line that does not parse, a fingerprint that is not
 * the one the step would be made under now) makes resume read that flow's files, as without one.
 *
 * Trust: the index is in the run directory, which steps can write into, like the result.json and
 * step.json files resume trusted before: a step that forges a line (or those files) can make resume
 * skip a flow. It is no weaker than they are (their fingerprints are as easy to forge), and the
 * flows it vouches for are still read when results.json is written at the end: a flow the index
 * vouched for that is not a succeeded leaf on disk costs the index (the next resume reads every
 * flow) and shows in results.json as it is on disk.
 */
const leafIndexName = (shard) => `leaves-${shard.index}-of-${shard.count}.jsonl`;
/** The largest index read: about 100 bytes a flow, so a few million flows; a larger file is not ours. */
const MAX_INDEX_BYTES = 512 * 1024 * 1024;
const FLUSH_BYTES = 64 * 1024;
/** The text of the index an earlier attempt left; undefined when there is none. */
function readLeafIndex(path) {
    try {
        const { bytes, size } = (0,safe_read/* readRegular */.VX)(path, { maxBytes: MAX_INDEX_BYTES });
        return bytes.length < size ? undefined : bytes.toString('utf8');
    }
    catch {
        return undefined;
    }
}
/**
 * Whether the index vouches for a flow whose line's stamp held (CheckedLines): each step's
 * fingerprint now (from the step before it's saved output, read from its directory) is the one the
 * line holds. Only the outputs of steps a later step starts from are read, so a one-step flow costs
 * no read.
 */
function vouches(steps, runDir, flowId, line, fingerprintOf) {
    let previous;
    for (let i = 0; i < steps.length; i++) {
        const step = steps[i];
        let fingerprint;
        try {
            fingerprint = fingerprintOf(step, previous);
        }
        catch {
            return undefined;
        }
        if (!fingerprintAt(line, flowId, i, fingerprint))
            return undefined;
        if (i + 1 === steps.length)
            return { output: '', fingerprint };
        const read = (0,safe_read/* readUnder */.Bs)(runDir, `${flowId}/${stepDirName(step)}/${outputFile(step)}`);
        if (read === undefined || read.bytes.length < read.size)
            return undefined;
        previous = { output: read.bytes.toString('utf8'), bytes: read.bytes, fingerprint };
    }
    return undefined;
}
/** Writes the index of this attempt: lines as flows finish, made the index by `finish` once checked against the leaves on disk. */
class LeafIndexWriter {
    tree;
    path;
    first;
    runDir;
    fd;
    pending = [];
    pendingBytes = 0;
    /** Flow indexes (from the first of the range) listed, and those found succeeded on disk. */
    listed;
    found;
    temporary;
    /** A write failed: this attempt leaves no index. */
    failed = false;
    constructor(tree, path, first, count, 
    /** The run directory, where a flow's files are stamped. */
    runDir) {
        this.tree = tree;
        this.path = path;
        this.first = first;
        this.runDir = runDir;
        this.listed = new Uint8Array(count);
        this.found = new Uint8Array(count);
        this.temporary = (0,safe_tree/* temporaryPath */.l5)(path);
        try {
            // created afresh (O_EXCL | O_NOFOLLOW): a link planted at the name is refused, not followed
            this.fd = tree.create(this.temporary);
        }
        catch {
            this.fd = undefined; // no index this time: the next resume reads the flows
        }
    }
    /**
     * A flow (its index in the run, its id) that succeeded, with its steps' fingerprints and the
     * stamp of its files: `stamp` when just checked (a flow vouched for), else taken now. A flow
     * whose files cannot be stamped is not listed.
     */
    add(index, id, prints, stamp) {
        if (this.fd === undefined)
            return;
        const st = stamp ?? stampOf(this.runDir, id);
        if (st === undefined)
            return;
        this.keep(index, indexLine(id, prints, st));
    }
    /** A flow the earlier attempt's line vouched for (vouches): that line again, as it was. */
    keep(index, line) {
        if (this.fd === undefined)
            return;
        this.listed[index - this.first] = 1;
        this.pending.push(line, '\n');
        this.pendingBytes += line.length + 1;
        if (this.pendingBytes >= FLUSH_BYTES)
            this.flush();
    }
    /** Notes a result read back from disk for results.json: a succeeded flow of one leaf is what a line may vouch for. */
    saw(item, indexOf) {
        if (isNotStarted(item) || item.status !== 'succeeded' || item.branch.length > 0)
            return;
        const i = indexOf(item.id) - this.first;
        if (i >= 0 && i < this.found.length)
            this.found[i] = 1;
    }
    /**
     * Makes the index the run's when every flow it lists was read back as succeeded (or, `trusted`,
     * when it lists only flows the earlier index vouched for and nothing was read back); else leaves none.
     */
    finish(trusted = false) {
        if (this.fd === undefined)
            return;
        try {
            this.flush();
        }
        finally {
            this.close();
        }
        let agrees = !this.failed;
        for (let i = 0; agrees && !trusted && i < this.listed.length; i++)
            if (this.listed[i] === 1 && this.found[i] !== 1)
                agrees = false;
        try {
            if (agrees)
                this.tree.rename(this.temporary, this.path);
            else
                this.tree.removeFile(this.temporary);
        }
        catch {
            // no index: the next resume reads the flows
        }
    }
    /** Drops the index of this attempt (the run stopped before its results were written). */
    abandon() {
        this.failed = true;
        this.close();
        try {
            this.tree.removeFile(this.temporary);
        }
        catch {
            // gone already
        }
    }
    flush() {
        if (this.fd === undefined || this.pending.length === 0)
            return;
        try {
            (0,external_node_fs_.writeSync)(this.fd, this.pending.join(''));
        }
        catch {
            this.abandon(); // a full disk: no index this time
        }
        this.pending = [];
        this.pendingBytes = 0;
    }
    close() {
        if (this.fd === undefined)
            return;
        (0,safe_read/* closeQuietly */.EO)(this.fd);
        this.fd = undefined;
    }
}
/** The index's path in a run directory. */
const leafIndexPath = (runDir, shard) => (0,external_node_path_.join)(runDir, leafIndexName(shard));
/**
 * With --resume and a config without array steps: the earlier attempt's index, read then removed
 * (a crash mid-way then leaves none that could vouch for a flow run again since), its lines'
 * stamps being checked from now on (CheckedLines); undefined when there is none.
 */
function earlierLeafIndex(prepared, tree) {
    const { steps } = prepared.config;
    if (!prepared.options.resume || steps.some((s) => s.array))
        return undefined;
    const path = leafIndexPath(prepared.runDir, prepared.shard);
    const text = readLeafIndex(path);
    try {
        tree.removeFile(path);
    }
    catch {
        return undefined; // it cannot be removed: it is not used either
    }
    if (text === undefined)
        return undefined;
    const { runDir, range, space } = prepared;
    return new CheckedLines({ text, steps: steps.length, runDir, from: range.from, to: range.to, total: space.total });
}
/** With a config without array steps: this attempt's index, written as flows end. */
function startLeafIndex(prepared, tree) {
    if (prepared.config.steps.some((s) => s.array))
        return undefined;
    const { runDir, range } = prepared;
    return new LeafIndexWriter(tree, leafIndexPath(runDir, prepared.shard), range.from, range.to - range.from, runDir);
}
/**
 * When the earlier attempt's index vouched for every flow (so none ran) and its results.json says
 * each succeeded: that file's totals, so results.json and report.html stay as they are instead of
 * every leaf being read again. Undefined whenever anything may differ: codex final messages to
 * list, one leaf only, a results.json of another run, shard or size, one not ending as a whole
 * file does (its entries are not read: readAllStartedHeader), or no report.html.
 */
function unchangedTotals(prepared, resultsPath, total) {
    if (total < 2 || prepared.config.steps.some((s) => s.kind === 'codex'))
        return undefined;
    try {
        const header = readAllStartedHeader(resultsPath);
        const same = header.run_id === prepared.runId &&
            header.shard.index === prepared.shard.index &&
            header.shard.count === prepared.shard.count &&
            header.flows_total === total &&
            header.succeeded === total &&
            (0,external_node_fs_.lstatSync)((0,external_node_path_.join)(prepared.runDir, REPORT_HTML)).isFile();
        return same ? header : undefined;
    }
    catch {
        return undefined;
    }
}

;// CONCATENATED MODULE: ./build/action-js/engine/resume-clear.js




/**
 * Removes the leaves' result.json files (and not_started.json records) in the directory `dir` of
 * the run directory and below it, keeping the step directories for reuse, and the temporary files
 * an earlier attempt left there (a full disk, a crash between a write and its rename). Every
 * directory is walked through the safe-file layer (OpenDir): a link is neither followed nor
 * removed, and a directory swapped for a link during the walk is not gone through.
 */
function removeLeafResults(runDir, dir) {
    // missing (most flows of a first run), a link or below a file: nothing to remove
    const opened = open_dir/* OpenDir */.E.under(runDir, (0,external_node_path_.relative)(runDir, dir).split(external_node_path_.sep).join('/'));
    if (opened !== undefined)
        removeIn(opened);
}
/** Removes the not_started.json record of the directory `dir` of the run directory, as removeLeafResults does. */
function removeNotStarted(runDir, dir) {
    const opened = open_dir/* OpenDir */.E.under(runDir, (0,external_node_path_.relative)(runDir, dir).split(external_node_path_.sep).join('/'));
    try {
        opened?.remove(NOT_STARTED);
    }
    finally {
        opened?.close();
    }
}
/** removeLeafResults in one open directory, which it closes. */
function removeIn(dir) {
    try {
        for (const entry of dir.entries()) {
            const { name } = entry;
            if (entry.isDirectory()) {
                const below = dir.dir(name);
                if (below !== undefined)
                    removeIn(below);
            }
            else if (name === 'result.json' || name === NOT_STARTED || (entry.isFile() && (0,safe_tree/* temporaryOwner */.Vl)(name) !== undefined))
                dir.remove(name);
        }
    }
    finally {
        dir.close();
    }
}

// EXTERNAL MODULE: ./build/action-js/util/young-generation.js
var young_generation = __webpack_require__(21601);
;// CONCATENATED MODULE: ./build/action-js/engine/feed.js










/**
 * Flows after which V8's young generation stops growing (util/young-generation.ts): a long run's
 * memory is then flat. Not from the start: a run of model calls at --parallel 50 that was held from
 * the start spent 5-10 % more CPU on scavenges (the 2,000-flow engine row of npm run bench).
 */
const HOLD_YOUNG_AFTER = 10_000;
/**
 * Starts flows lazily, in order, each when a slot is free and no started flow has a step waiting;
 * resolves with how many flows the earlier attempt's index vouched for, once every started flow ended.
 */
async function feed(run) {
    const { prepared, progress } = run;
    const running = new Set();
    let vouched = 0;
    for (const index of range(prepared.range.from, prepared.range.to)) {
        // steps that finish without I/O (offline ones) never give the event loop a turn: make room
        // now and then for signals and the progress line
        if ((index - prepared.range.from) % BREATHE_EVERY === BREATHE_EVERY - 1) {
            if (index - prepared.range.from >= HOLD_YOUNG_AFTER)
                (0,young_generation/* holdYoungGeneration */.k)();
            await breathe();
        }
        const flow = prepared.space.at(index);
        const contents = new Map();
        if (run.vouched !== undefined) {
            if (!run.vouched.has(index))
                await run.vouched.ready(index);
            if (vouchedNow(run, flow, contents)) {
                vouched++;
                progress.finished++;
                // a progress line a flow is a cost next to a flow that costs a fingerprint
                if (vouched % BREATHE_EVERY === 0 || index + 1 === prepared.range.to)
                    progress.report();
                continue;
            }
        }
        const dir = (0,external_node_path_.join)(prepared.runDir, flow.id);
        const resumed = prepared.options.resume
            ? resumeAt(prepared.config.steps, prepared.runDir, dir, fingerprinter(run, flow, dir, contents))
            : undefined;
        if (resumed === 'done') {
            progress.finished++;
            progress.report();
            continue;
        }
        await run.slots.acquire([Infinity]);
        if (run.stopReason() !== undefined) {
            run.slots.release();
            break;
        }
        const fresh = !prepared.options.resume;
        const done = start(run, { flow, dir, started: Date.now(), contents, fresh }, resumed).finally(() => {
            running.delete(done);
            progress.finished++;
            progress.report();
        });
        running.add(done);
    }
    await Promise.all(running);
    // and for results.json and report.html, which read every leaf back
    if (prepared.range.to - prepared.range.from >= HOLD_YOUNG_AFTER)
        (0,young_generation/* holdYoungGeneration */.k)();
    return vouched;
}
/**
 * With --resume, whether the earlier attempt's index vouches for a flow: its line's stamp held
 * (CheckedLines) and its steps' fingerprints are still current. No file of it is read, and this
 * attempt's index lists it again.
 */
function vouchedNow(run, flow, contents) {
    const line = run.vouched?.line(flow.index);
    if (line === undefined)
        return false;
    const { runDir, config } = run.prepared;
    if (vouches(config.steps, runDir, flow.id, line, fingerprinter(run, flow, `${runDir}/${flow.id}`, contents)) === undefined)
        return false;
    run.leafRecords.index?.keep(flow.index, line);
    return true;
}
/** The fingerprint a step of this flow would be made under now (resume.ts, leaf-index.ts ask). */
const fingerprinter = (run, flow, dir, contents) => (step, previous) => run.inputs.fingerprint({ flow, dir, started: 0, contents }, step, previous);
/** Walks a flow holding the slot the feeder acquired; its own trouble (an I/O error the walk did not expect) fails that flow, not the run. */
function start(run, state, resumed) {
    const { flow, dir } = state;
    let work;
    if (resumed !== undefined) {
        // resume inside the flow: its array step succeeded, so only its unfinished branches run again
        removeNotStarted(run.prepared.runDir, dir);
        for (const { index: e } of resumed)
            removeLeafResults(run.prepared.runDir, (0,external_node_path_.join)(dir, branchDirName(e)));
        run.slots.release();
        const { from, steps, patch } = resumed[0] ?? { from: 0, steps: [], patch: undefined };
        const branches = resumed;
        work = run.walker.runBranches({ flow: state, parent: [], dir, branches, from, shared: steps, start: patch });
    }
    else {
        if (state.fresh !== true)
            removeLeafResults(run.prepared.runDir, dir);
        work = run.walker.walk({ flow: state, branch: [], dir, from: 0, previous: undefined, inherited: [], worktree: {}, holding: true });
    }
    return work.catch((error) => run.leafRecords.keepUnwritten({
        ...unstartedEntry(flow.id, { ...flow.keys }, `this flow stopped: ${(0,errors/* errorMessage */.gJ)(error)}`),
        status: 'failed',
    }));
}

;// CONCATENATED MODULE: ./build/action-js/patches/diffstat.js
/** A path as git prints it: bare, or C-quoted ("caf\303\251 \"x\".md") when it has special characters. */
function unquotePath(text) {
    if (!text.startsWith('"'))
        return text;
    const bytes = [];
    const simple = { n: 10, t: 9, a: 7, b: 8, f: 12, r: 13, v: 11, '"': 34, '\\': 92 };
    for (let i = 1; i < text.length; i++) {
        const c = text[i];
        if (c === '"')
            break;
        if (c !== '\\') {
            bytes.push(...Buffer.from(c, 'utf8'));
            continue;
        }
        const next = text[++i] ?? '';
        if (/[0-7]/.test(next)) {
            const octal = text.slice(i, i + 3);
            bytes.push(parseInt(octal, 8));
            i += octal.length - 1;
        }
        else
            bytes.push(simple[next] ?? next.charCodeAt(0));
    }
    return Buffer.from(bytes).toString('utf8');
}
/** One side of `--- a/x` / `+++ b/x`: the path without its `a/`/`b/` prefix, or null for /dev/null. */
function sidePath(rest) {
    // git ends the name with a tab when it holds a space, so that the line can be read back
    const name = rest.includes('\t') ? rest.slice(0, rest.indexOf('\t')) : rest;
    if (name === '/dev/null')
        return null;
    return unquotePath(name).replace(/^[ab]\//, '');
}
/** The two paths of a `diff --git` line, when `---`/`+++` lines do not name them (binary, mode only, empty file). */
function headerPaths(rest) {
    if (rest.startsWith('"')) {
        // "a/…" "b/…" or "a/…" b/…: the first is quoted, so it ends at its closing quote
        const end = /^"(?:[^"\\]|\\.)*"/.exec(rest)?.[0];
        if (end === undefined)
            return undefined;
        return { a: unquotePath(end).replace(/^a\//, ''), b: unquotePath(rest.slice(end.length + 1)).replace(/^b\//, '') };
    }
    if (rest.endsWith('"')) {
        const start = rest.lastIndexOf(' "');
        return { a: rest.slice(0, start).replace(/^a\//, ''), b: unquotePath(rest.slice(start + 1)).replace(/^b\//, '') };
    }
    // bare names with spaces are ambiguous, but without a rename both are the same path: a/X b/X
    const half = (rest.length - 1) / 2;
    if (Number.isInteger(half) && rest.slice(2, half) === rest.slice(half + 3)) {
        const path = rest.slice(2, half);
        return { a: path, b: path };
    }
    const [a = '', b = ''] = rest.split(' b/');
    return { a: a.replace(/^a\//, ''), b };
}
function parseDiffstat(patch) {
    const files = [];
    let file;
    let oldLeft = 0;
    let newLeft = 0;
    const finish = () => {
        if (file === undefined)
            return;
        const { named: _named, old_path, ...rest } = file;
        files.push(old_path !== undefined && old_path !== file.path ? { ...rest, old_path } : rest);
        file = undefined;
    };
    const lines = patch.split('\n');
    for (let i = 0; i < lines.length; i++) {
        const line = lines[i].replace(/\r$/, '');
        if (file !== undefined && (oldLeft > 0 || newLeft > 0)) {
            // inside a hunk: its header said how many lines of each side follow
            if (line.startsWith('+')) {
                file.added++;
                newLeft--;
            }
            else if (line.startsWith('-')) {
                file.removed++;
                oldLeft--;
            }
            else if (line.startsWith('\\')) {
                // "\ No newline at end of file"
            }
            else {
                oldLeft--;
                newLeft--;
            }
            continue;
        }
        if (line.startsWith('diff --git ')) {
            finish();
            const paths = headerPaths(line.slice('diff --git '.length));
            file = { path: paths?.b ?? '', status: 'modified', binary: false, added: 0, removed: 0, named: false };
            if (paths && paths.a !== paths.b)
                file.old_path = paths.a;
            continue;
        }
        if (file === undefined)
            continue;
        const hunk = /^@@ -\d+(?:,(\d+))? \+\d+(?:,(\d+))? @@/.exec(line);
        if (hunk) {
            oldLeft = hunk[1] === undefined ? 1 : Number(hunk[1]);
            newLeft = hunk[2] === undefined ? 1 : Number(hunk[2]);
        }
        else if (line.startsWith('new file mode'))
            file.status = 'added';
        else if (line.startsWith('deleted file mode'))
            file.status = 'deleted';
        else if (line.startsWith('rename from ') || line.startsWith('copy from ')) {
            file.status = line.startsWith('rename') ? 'renamed' : 'copied';
            file.old_path = unquotePath(line.slice(line.indexOf(' from ') + 6));
        }
        else if (line.startsWith('rename to ') || line.startsWith('copy to ')) {
            file.path = unquotePath(line.slice(line.indexOf(' to ') + 4));
            file.named = true;
        }
        else if (line.startsWith('--- ')) {
            const path = sidePath(line.slice(4));
            if (path !== null && !file.named)
                file.old_path = path;
        }
        else if (line.startsWith('+++ ')) {
            const path = sidePath(line.slice(4));
            if (path !== null && !file.named) {
                file.path = path;
                file.named = true;
            }
            else if (path === null && file.old_path !== undefined && !file.named) {
                file.path = file.old_path; // a deletion names the deleted path
            }
        }
        else if (line === 'GIT binary patch' || (line.startsWith('Binary files ') && line.endsWith(' differ'))) {
            file.binary = true;
        }
    }
    finish();
    return {
        files,
        added: files.reduce((sum, f) => sum + f.added, 0),
        removed: files.reduce((sum, f) => sum + f.removed, 0),
    };
}

;// CONCATENATED MODULE: ./build/action-js/patches/changes.js




/** The file a step that ran in a worktree leaves in its directory. */
const PATCH_FILE = 'changes.patch';
/** Relative path (to the run directory) of the last of `steps` that left a patch, if any. */
function lastPatch(runDir, steps) {
    for (let i = steps.length - 1; i >= 0; i--) {
        const path = `${steps[i].dir}/${PATCH_FILE}`;
        // looked up first: most steps leave none, and a failed read costs an exception (a stack trace) per step
        if ((0,external_node_fs_.lstatSync)((0,external_node_path_.join)(runDir, path), { throwIfNoEntry: false })?.isFile() !== true)
            continue;
        // a step wrote into this tree: no directory on the way nor the patch may be a link (safe-read.ts)
        const read = (0,safe_read/* readUnder */.Bs)(runDir, path);
        // none here (or unreadable): an earlier step's, if any
        if (read !== undefined)
            return { path, text: read.bytes.toString('utf8') };
    }
    return undefined;
}
/**
 * What a leaf's last patch changes, for its results entry; null when no step of the leaf ran in
 * a worktree (without `--isolate worktree` nothing is known about what changed).
 */
function leafChanges(runDir, steps) {
    const patch = lastPatch(runDir, steps);
    return patch === undefined ? null : { patch: patch.path, ...parseDiffstat(patch.text) };
}

;// CONCATENATED MODULE: ./build/action-js/engine/leaf-spool.js





/** Bytes of records gathered before they are written to the spool. */
const SPOOL_BUFFER = 64 * 1024;
/** Step directories whose texts are kept at once, at most: a few per leaf in progress. */
const MAX_OPEN_DIRS = 10_000;
/**
 * The files of step directories as they are written (TreeWriter's observer), so that report.html
 * shows a leaf's texts without reading its step files back. Only directories cleared in this
 * process before their step ran are vouched for (begin); one written otherwise (a stream: a
 * process's output, which it could also write beside) is dropped and read from disk instead.
 */
class StepTexts {
    runDir;
    dirs = new Map();
    constructor(runDir) {
        this.runDir = runDir;
    }
    /** `dir` (absolute) was just cleared for its step to run: what is written there from now on is all it holds. */
    begin(dir) {
        const rel = this.relative(dir);
        if (rel !== undefined)
            this.dirs.set(rel, {});
    }
    wrote(path, data) {
        const cut = path.lastIndexOf('/');
        const name = path.slice(cut + 1);
        const keep = Object.hasOwn(SHOWN_BYTES, name) ? SHOWN_BYTES[name] : undefined;
        if (keep === undefined)
            return;
        const texts = this.texts(path.slice(0, cut));
        if (texts === undefined)
            return;
        // a UTF-16 unit is at most 3 bytes of UTF-8: a short text is kept as it is (encoded only if shown)
        if (typeof data === 'string' && data.length * 3 <= keep.bytes) {
            texts[name] = [data];
            return;
        }
        const bytes = typeof data === 'string' ? Buffer.from(data) : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
        const shown = keep.tail ? bytes.subarray(Math.max(0, bytes.length - keep.bytes)) : bytes.subarray(0, keep.bytes);
        texts[name] = [shown.toString('latin1'), bytes.length];
    }
    /** `path` was written some other way, or its write failed: its directory is read from disk. */
    unknown(path) {
        const rel = this.relative((0,external_node_path_.dirname)(path));
        if (rel !== undefined && this.dirs.has(rel))
            this.dirs.set(rel, null);
    }
    /** The texts of the leaf's step directories vouched for, taken out (and forgotten). */
    take(entry) {
        const taken = [];
        for (const step of entry.steps) {
            const texts = this.dirs.get(step.dir);
            if (texts)
                taken.push([step.dir, texts]);
            this.dirs.delete(step.dir);
        }
        // a directory begun by a step its leaf does not list (not expected) must not pile up: past this
        // many, all are forgotten, and their leaves' texts are read from disk
        if (this.dirs.size > MAX_OPEN_DIRS)
            this.dirs.clear();
        return taken;
    }
    /** The texts kept of directory `dir` (absolute), when it was begun. */
    texts(dir) {
        const rel = this.relative(dir);
        return rel === undefined ? undefined : (this.dirs.get(rel) ?? undefined);
    }
    relative(dir) {
        return dir.startsWith(`${this.runDir}/`) ? dir.slice(this.runDir.length + 1) : undefined;
    }
}
/** A loader of a leaf's step texts as kept (`texts`); a directory they do not hold is `disk`'s. */
function textsLoader(texts, disk) {
    return (path, chars, tail) => textOf(texts, disk, path, chars, tail);
}
function textOf(texts, disk, path, chars, tail) {
    const cut = path.lastIndexOf('/');
    const dir = path.slice(0, cut);
    const kept = texts?.find((pair) => pair[0] === dir)?.[1];
    if (kept === undefined)
        return disk(path, chars, tail);
    const file = kept[path.slice(cut + 1)];
    return file === undefined ? undefined : loadedText(file, chars, tail);
}
/**
 * Each leaf of a config without array steps (one leaf a flow), written to a spool file the moment
 * it ends: its result.json as written and its step files' texts. results.json and report.html are
 * then made from the spool, in flow order, instead of reading every leaf's files back. The spool is
 * created and at once unlinked in the run directory: no step can reach it by a path. Memory: the
 * offset and length of each flow's record (12 bytes a flow).
 */
class LeafSpool {
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
    constructor(from) {
        this.from = from;
    }
    open(tree, runDir) {
        const path = (0,external_node_path_.join)(runDir, `.leaves.${process.pid}.spool`);
        try {
            tree.removeFile(path);
            this.fd = tree.create(path, { read: true });
            tree.removeFile(path);
        }
        catch {
            this.close();
        }
    }
    get usable() {
        return this.fd !== undefined;
    }
    /** Flows spooled; a flow of the range without a record is read from disk as before. */
    get count() {
        return this.fd === undefined ? 0 : this.spooled;
    }
    /** Spools flow `index`'s one leaf: `json` is its result.json as written. */
    add(index, json, texts) {
        if (this.fd === undefined)
            return;
        const record = `{"entry":${json},"texts":${JSON.stringify(texts)}}`;
        const at = index - this.from;
        // a UTF-16 unit is at most 3 bytes of UTF-8: a record that may not fit goes after a flush
        if (this.pendingBytes + record.length * 3 > SPOOL_BUFFER)
            this.flush();
        let length;
        if (record.length * 3 <= SPOOL_BUFFER) {
            length = this.pending.write(record, this.pendingBytes, 'utf8');
            this.pendingBytes += length;
        }
        else {
            length = this.writeOut(Buffer.from(record, 'utf8'));
        }
        if (this.fd === undefined)
            return;
        this.grow(at + 1);
        if (this.lengths[at] === 0)
            this.spooled++;
        this.offsets[at] = this.size;
        this.lengths[at] = length;
        this.size += length;
    }
    has(index) {
        const at = index - this.from;
        return this.fd !== undefined && at >= 0 && at < this.lengths.length && this.lengths[at] > 0;
    }
    /** Flow `index`'s leaf as spooled, checked as a result.json read from disk is; undefined when it has none. */
    entry(index, id) {
        if (this.fd === undefined || !this.has(index))
            return undefined;
        if (this.pendingBytes > 0)
            this.flush();
        if (this.fd === undefined)
            return undefined;
        const at = index - this.from;
        const text = this.read(this.offsets[at], this.lengths[at], id);
        let record;
        try {
            record = JSON.parse(text);
        }
        catch {
            // a write cut short (a full disk): the flow is read from disk, as without a spool
            this.last = undefined;
            return undefined;
        }
        this.last = { entry: checkedEntry(record.entry, (0,external_node_path_.join)(id, 'result.json'), id, []), texts: record.texts };
        return this.last.entry;
    }
    /**
     * The record at `offset`: from the window read last when it holds it, else from a new window read
     * there. Flows are asked for in order and were spooled nearly in order, so one read serves dozens.
     */
    read(offset, length, id) {
        const { window } = this;
        const inWindow = offset >= this.windowStart && offset + length <= this.windowStart + this.windowBytes;
        if (!inWindow && length <= window.length) {
            this.windowStart = offset;
            this.windowBytes = 0;
            for (let n; this.windowBytes < length; this.windowBytes += n) {
                n = (0,external_node_fs_.readSync)(this.fd, window, this.windowBytes, window.length - this.windowBytes, offset + this.windowBytes);
                if (n === 0)
                    throw new Error(`the spool of finished leaves ended early at ${id}`);
            }
        }
        if (inWindow || length <= window.length) {
            const start = offset - this.windowStart;
            return window.toString('utf8', start, start + length);
        }
        const bytes = Buffer.allocUnsafe(length);
        for (let got = 0; got < length;) {
            const n = (0,external_node_fs_.readSync)(this.fd, bytes, got, length - got, offset + got);
            if (n === 0)
                throw new Error(`the spool of finished leaves ended early at ${id}`);
            got += n;
        }
        return bytes.toString('utf8');
    }
    /** A loader of step texts: the spooled ones of the leaf read last, else `disk`'s. */
    loader(disk) {
        return (path, chars, tail) => textOf(this.last?.texts, disk, path, chars, tail);
    }
    /** Forgets flow `index`'s record (passed on already): the flows it still holds are those left for the end. */
    drop(index) {
        if (!this.has(index))
            return;
        this.lengths[index - this.from] = 0;
        this.spooled--;
    }
    close() {
        if (this.fd === undefined)
            return;
        (0,safe_read/* closeQuietly */.EO)(this.fd);
        this.fd = undefined;
    }
    /** Writes the pending records. */
    flush() {
        const bytes = this.pendingBytes;
        this.pendingBytes = 0;
        if (bytes > 0)
            this.writeOut(this.pending.subarray(0, bytes));
    }
    /** Writes `data` at the end of the file; its length. On failure (a full disk) the spool is given up: results.json is made from the leaves on disk, as without one. */
    writeOut(data) {
        if (this.fd === undefined)
            return 0;
        try {
            for (let done = 0; done < data.length;)
                done += (0,external_node_fs_.writeSync)(this.fd, data, done, data.length - done, this.written + done);
        }
        catch {
            this.close();
            return 0;
        }
        this.written += data.length;
        return data.length;
    }
    grow(length) {
        if (length <= this.lengths.length)
            return;
        let size = this.lengths.length;
        while (size < length)
            size *= 2;
        const offsets = new Float64Array(size);
        offsets.set(this.offsets);
        const lengths = new Uint32Array(size);
        lengths.set(this.lengths);
        this.offsets = offsets;
        this.lengths = lengths;
    }
}

;// CONCATENATED MODULE: ./build/action-js/results/lines.js
/**
 * results.jsonl: one JSON line per leaf, appended the moment the leaf ends, so `tail -f` and other
 * tools follow a run (GNU parallel's `--joblog`). A line is a short summary of the leaf's
 * result.json: `{"id", "branch", "keys", "status", "duration_ms", "usage", "error", "first_line"}`.
 * A resumed run appends to it: a leaf run again has a later line, and the last one counts.
 */






const RESULTS_LINES = 'results.jsonl';
/**
 * The stream's name for a shard: results.jsonl for an unsharded run; shard I of N (N > 1) writes
 * results-I-of-N.jsonl, so shards run apart and then copied into one folder (or downloaded side
 * by side) keep every shard's lines instead of the last copy's.
 */
const resultLinesName = (shard) => shard.count === 1 ? RESULTS_LINES : `results-${shard.index}-of-${shard.count}.jsonl`;
/** Whether a run directory's file name is a results stream (results.jsonl or a shard's results-I-of-N.jsonl). */
const isResultLinesName = (name) => /^results(?:-\d+-of-\d+)?\.jsonl$/.test(name);
/** A line's `first_line` is cut to this many characters (the summary shows fewer). */
const FIRST_LINE_MAX = 1000;
/** The largest file read back: a few hundred bytes a leaf, so a few million leaves; a larger one is not ours. */
const MAX_LINES_BYTES = 1024 * 1024 * 1024;
/** The line of a leaf that ended (without its newline). */
function resultLine(entry) {
    return {
        id: entry.id,
        branch: entry.branch,
        keys: entry.keys,
        status: entry.status,
        duration_ms: entry.duration_ms,
        usage: entry.usage,
        error: entry.error,
        first_line: lines_firstLine(entry.output),
    };
}
function lines_firstLine(output) {
    if (output === null)
        return null;
    const start = output.search(/\S/);
    if (start < 0)
        return '';
    const end = output.slice(start, start + FIRST_LINE_MAX + 2).search(/\r?\n|\r/);
    return output.slice(start, start + (end < 0 ? FIRST_LINE_MAX : Math.min(end, FIRST_LINE_MAX))).trimEnd();
}
/**
 * The leaves a run directory's results.jsonl lists, as entries (the first line as `output`, no
 * steps), by flow id, each leaf once (its last line); undefined when there is no readable file. A
 * line that is not what orchestrator writes (cut short by a kill, or rewritten by a step) is skipped.
 */
function readResultLines(runDir, shard) {
    let text;
    try {
        const { bytes, size } = (0,safe_read/* readRegular */.VX)((0,external_node_path_.join)(runDir, resultLinesName(shard)), { maxBytes: MAX_LINES_BYTES });
        if (bytes.length < size)
            return undefined;
        text = bytes.toString('utf8');
    }
    catch {
        return undefined;
    }
    const byLeaf = new Map();
    for (const [n, line] of text.split('\n').entries()) {
        const entry = lineEntry(line, `${resultLinesName(shard)}: line ${n + 1}`);
        if (entry !== undefined)
            byLeaf.set(`${entry.id}/${entry.branch.join('/')}`, entry);
    }
    const byFlow = new Map();
    for (const entry of [...byLeaf.values()].sort(compareLeaves))
        byFlow.set(entry.id, [...(byFlow.get(entry.id) ?? []), entry]);
    return byFlow;
}
/**
 * The leaves results.jsonl lists whose result.json is not on disk (its write failed: a full disk,
 * a flow directory a step replaced), by flow id: what a killed run's leaves on disk lack.
 */
function leavesOnlyInLines(runDir, shard) {
    const missing = new Map();
    for (const [id, entries] of readResultLines(runDir, shard) ?? []) {
        const absent = entries.filter((entry) => !resultOnDisk(runDir, entry));
        if (absent.length > 0)
            missing.set(id, absent);
    }
    return missing;
}
/** Whether the leaf's result.json is a regular file reached through real directories (as the leaves are read: store.ts). */
function resultOnDisk(runDir, entry) {
    let path = (0,external_node_path_.join)(runDir, entry.id);
    for (const index of [undefined, ...entry.branch]) {
        if (index !== undefined)
            path = (0,external_node_path_.join)(path, `branch_${index}`);
        if ((0,external_node_fs_.lstatSync)(path, { throwIfNoEntry: false })?.isDirectory() !== true)
            return false;
    }
    return (0,external_node_fs_.lstatSync)((0,external_node_path_.join)(path, 'result.json'), { throwIfNoEntry: false })?.isFile() === true;
}
function lineEntry(line, where) {
    if (line.trim() === '')
        return undefined;
    let value;
    try {
        value = JSON.parse(line);
    }
    catch {
        return undefined;
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value))
        return undefined;
    const { first_line: first, id, branch, ...rest } = value;
    if (typeof id !== 'string' || !Array.isArray(branch))
        return undefined;
    try {
        const entry = { ...rest, id, branch, output: first ?? null, final_message: null, steps: [], changes: null };
        // checked as a result.json is: its id and branch are what it says they are
        return parseLeafEntry(entry, where, { id, branch: branch });
    }
    catch (error) {
        if (error instanceof DataError)
            return undefined;
        throw error;
    }
}

;// CONCATENATED MODULE: ./build/action-js/engine/results-stream.js





/**
 * Appends a leaf's line to the run directory's results.jsonl the moment it ends (results/lines.ts):
 * one write(2) a leaf, no buffer, so `tail -f` shows it at once and a killed run keeps every line
 * written. The stream is a convenience beside the leaves' result.json files: when it cannot be
 * opened (a link planted at its name) or a write fails (a full disk), the run goes on without it,
 * saying so once (`warn`: the file and the error).
 */
class ResultsStream {
    files;
    fd;
    path = '';
    warn = () => { };
    constructor(files) {
        this.files = files;
    }
    /** Opens the shard's stream in the run directory (appending, so a resumed run adds to it). */
    open(runDir, shard, warn = () => { }) {
        this.path = (0,external_node_path_.join)(runDir, resultLinesName(shard));
        this.warn = warn;
        try {
            this.fd = this.files.tree.append(this.path);
        }
        catch (error) {
            this.fd = undefined;
            this.given(`cannot be opened (${(0,errors/* errorMessage */.gJ)(error)})`);
        }
    }
    add(entry) {
        if (this.fd === undefined)
            return;
        // masked before serialising, as writeJson does: JSON escapes would hide a secret's newlines
        const line = JSON.stringify(this.files.redactor.redactValue(resultLine(entry))) + '\n';
        try {
            (0,external_node_fs_.writeSync)(this.fd, line);
        }
        catch (error) {
            this.close();
            this.given(`could not be written (${(0,errors/* errorMessage */.gJ)(error)})`);
        }
    }
    close() {
        if (this.fd === undefined)
            return;
        // nothing is lost if the close fails: every line was written as it came
        (0,safe_read/* closeQuietly */.EO)(this.fd);
        this.fd = undefined;
    }
    /** Says once that the stream was given up; the stream is not opened again, so this is the only time. */
    given(why) {
        this.warn(`${this.path} ${why}: the run goes on without it; each leaf's result.json and the results.json written at the end hold the same results`);
    }
}

;// CONCATENATED MODULE: ./build/action-js/report/html-run.js








/**
 * A run's report.html made a leaf at a time, as its leaves come in results order (a run adds them
 * as they end): the table's rows and the texts' blocks wait in two files of their own, created in
 * the run directory and unlinked at once (no step can reach them by a path), until write() puts
 * the page together around them.
 */
class RunReportRows {
    runDir;
    fds;
    rows;
    after = null;
    count = 0;
    rowsOut;
    blocksOut;
    constructor(runDir, fds) {
        this.runDir = runDir;
        this.fds = fds;
        this.rowsOut = new GatheredWrites(fds[0]);
        this.blocksOut = new GatheredWrites(fds[1]);
    }
    static open(tree, runDir) {
        const fds = [];
        try {
            for (const part of ['rows', 'blocks']) {
                const path = (0,external_node_path_.join)(runDir, `${REPORT_HTML}.${process.pid}.${part}.tmp`);
                tree.removeFile(path);
                fds.push(tree.create(path, { read: true }));
                tree.removeFile(path);
            }
        }
        catch (error) {
            for (const fd of fds)
                (0,external_node_fs_.closeSync)(fd);
            throw error;
        }
        return new RunReportRows(runDir, [fds[0], fds[1]]);
    }
    /** Before the first leaf: the after steps' row (its texts come out of the budget first), and where step texts come from. */
    start(after, load) {
        const emit = (block) => this.blocksOut.write(block);
        this.rows = new HtmlRows({ load, emit }, (row) => this.rowsOut.write(`${this.count++ === 0 ? '' : ','}${scriptJson(row)}`));
        this.after = after ? this.rows.after(after) : null;
    }
    get started() {
        return this.rows !== undefined;
    }
    add(leaf) {
        this.rows.add(leaf);
    }
    /** Writes report.html (through a temporary file and a rename); returns its path. */
    write(meta) {
        this.rowsOut.flush();
        this.blocksOut.flush();
        const path = (0,external_node_path_.join)(this.runDir, REPORT_HTML);
        const temporary = `${path}.${process.pid}.tmp`;
        // steps can write into the run directory: a link planted at the temporary path is removed, not
        // followed, and one at report.html is replaced by the rename
        const tree = new safe_tree/* SafeTree */.Sw(this.runDir);
        tree.removeFile(temporary);
        const fd = tree.create(temporary);
        try {
            const page = pageAround(meta, this.after, this.rows);
            (0,external_node_fs_.writeSync)(fd, page.head);
            copyFrom(this.fds[0], fd);
            (0,external_node_fs_.writeSync)(fd, page.middle);
            copyFrom(this.fds[1], fd);
            (0,external_node_fs_.writeSync)(fd, page.end);
        }
        catch (error) {
            (0,external_node_fs_.closeSync)(fd);
            tree.removeFile(temporary);
            throw error;
        }
        (0,external_node_fs_.closeSync)(fd);
        (0,external_node_fs_.renameSync)(temporary, path);
        return path;
    }
    close() {
        for (const fd of this.fds)
            (0,safe_read/* closeQuietly */.EO)(fd);
    }
}
/** Appends all of `input` (a file of ours, read from its start) to `fd`, a buffer at a time. */
function copyFrom(input, fd) {
    const buffer = Buffer.allocUnsafe(1 << 20);
    for (let at = 0, n; (n = (0,external_node_fs_.readSync)(input, buffer, 0, buffer.length, at)) > 0; at += n)
        (0,external_node_fs_.writeSync)(fd, buffer, 0, n);
}

;// CONCATENATED MODULE: ./build/action-js/results/write.js
/**
 * Writing results.json: streamed from sorted leaf entries, joined with its header, renamed into place;
 * a leaf's long output cut to a pointer at its file.
 */






const COPY_BUFFER = 1 << 20;
/** Lets signals and timers in between long synchronous work: a second Ctrl-C must be able to end the process. */
const write_breathe = () => new Promise((resolve) => setImmediate(resolve));
const write_BREATHE_EVERY = 256;
/**
 * Writes results.json from leaf entries (and ranges of never-started leaves) given in sorted order,
 * streaming: the entries go to a body file while they are counted, then header and entries are
 * joined, then renamed into place, so a reader never sees a partial file and a million leaves never
 * sit in memory. It gives the event loop a turn every few hundred entries, so a signal handler can
 * run (and exit) while a large run is being written.
 */
async function writeResults(path, header, items) {
    const body = ResultsBody.open((0,external_node_path_.dirname)(path));
    try {
        let count = 0;
        for (const item of items) {
            if (++count % write_BREATHE_EVERY === 0)
                await write_breathe();
            body.add(item);
        }
        return await body.writeTo(path, header);
    }
    finally {
        body.close();
    }
}
/**
 * The entries of results.json as they are given, in results order, counted: written to a file of
 * their own, created in `dir` and unlinked at once (no step can reach it by a path, and nothing is
 * left behind), then joined with the header they make (writeTo). A run adds its leaves as they end.
 */
class ResultsBody {
    dir;
    fd;
    counter = new TotalsCounter();
    notStarted = [];
    entries;
    first = true;
    maxOutput = resultsOutputChars();
    /** A write that failed (a full disk): writeTo throws it. */
    failure;
    constructor(dir, fd) {
        this.dir = dir;
        this.fd = fd;
        this.entries = new GatheredWrites(fd ?? -1);
    }
    /** In `dir` (results.json's); created with O_EXCL | O_NOFOLLOW in a directory checked with lstat: a link planted at its name is refused. */
    static open(dir) {
        const tree = new safe_tree/* SafeTree */.Sw(dir);
        const path = (0,external_node_path_.join)(dir, `results.json.${process.pid}.flows.tmp`);
        tree.removeFile(path);
        const fd = tree.create(path, { read: true });
        try {
            tree.removeFile(path);
        }
        catch (error) {
            (0,external_node_fs_.closeSync)(fd);
            throw error;
        }
        return new ResultsBody(dir, fd);
    }
    /**
     * Adds the next item; `text`: a leaf's entry as entryText makes it, when the caller has it
     * (a leaf's result.json as written, indented: run-results.ts).
     */
    add(item, text) {
        this.counter.add(item);
        if (isNotStarted(item)) {
            this.notStarted.push(item);
            return;
        }
        if (this.failure !== undefined)
            return;
        try {
            this.entries.write(`${this.first ? '' : ',\n'}    ${text ?? entryText(item, this.maxOutput)}`);
        }
        catch (error) {
            this.failure = error instanceof Error ? error : new Error(String(error));
        }
        this.first = false;
    }
    /** Writes results.json at `path` (in the body's directory): the header the entries make, then them; their totals. */
    async writeTo(path, header) {
        if (this.failure === undefined)
            this.entries.flush();
        if (this.failure !== undefined)
            throw this.failure;
        const totals = this.counter.totals(header.flows_total);
        const head = JSON.stringify({ schema: 1, run_id: header.run_id, shard: header.shard, ...totals, after: header.after ?? null, flows: [] }, null, 2);
        const [before] = head.split('"flows": []');
        const ranges = this.notStarted.map((r) => `    ${JSON.stringify(r)}`).join(',\n');
        // created afresh (O_EXCL | O_NOFOLLOW): a link planted at this name is refused, not written through
        const temporary = `${path}.${process.pid}.tmp`;
        const tree = new safe_tree/* SafeTree */.Sw(this.dir);
        const cleanUp = () => {
            try {
                (0,external_node_fs_.rmSync)(temporary, { force: true });
            }
            catch {
                // the directory is gone or not one (ENOTDIR): there is nothing to clean, and the write's own error tells
            }
        };
        // a second signal exits mid-write: leave no temporary file behind
        process.once('exit', cleanUp);
        try {
            const out = tree.create(temporary);
            try {
                (0,external_node_fs_.writeSync)(out, `${before}"flows": [${this.first ? '' : '\n'}`);
                await this.copyInto(out);
                (0,external_node_fs_.writeSync)(out, `${this.first ? '' : '\n  '}],\n  "not_started": [${ranges ? `\n${ranges}\n  ` : ''}]\n}\n`);
            }
            finally {
                (0,external_node_fs_.closeSync)(out);
            }
            tree.rename(temporary, path);
        }
        finally {
            process.off('exit', cleanUp);
            cleanUp();
        }
        return totals;
    }
    close() {
        if (this.fd !== undefined)
            (0,external_node_fs_.closeSync)(this.fd);
        this.fd = undefined;
    }
    /**
     * The entries copied through one buffer: piping streams leaves each chunk read as garbage for the
     * collector, which for 100,000 leaves was 60 MB of the run's peak memory.
     */
    async copyInto(out) {
        const buffer = Buffer.allocUnsafe(COPY_BUFFER);
        for (let at = 0, n; (n = (0,external_node_fs_.readSync)(this.fd, buffer, 0, COPY_BUFFER, at)) > 0; at += n) {
            (0,external_node_fs_.writeSync)(out, buffer, 0, n);
            await write_breathe();
        }
    }
}
/** A leaf's entry as results.json holds it (indented to its place in `flows`): its output cut to `max` characters. */
function entryText(entry, max = resultsOutputChars()) {
    return JSON.stringify(cutOutput(entry, max), null, 2).replaceAll('\n', '\n    ');
}
/**
 * The most characters of one leaf's output results.json holds: a longer one is cut there, with
 * `output_cut` saying how long it is and which file holds it whole (ORCHESTRATOR_RESULTS_OUTPUT_CHARS
 * changes it, for tests). The summary shows a first line and the comment a few thousand characters.
 */
const resultsOutputChars = () => {
    const set = Number(process.env.ORCHESTRATOR_RESULTS_OUTPUT_CHARS);
    return Number.isSafeInteger(set) && set > 0 ? set : 8192;
};
/** `entry` as results.json holds it: its output cut to resultsOutputChars(), with a pointer to its file. */
function cutOutput(entry, max = resultsOutputChars()) {
    if (entry.output === null || entry.output.length <= max || entry.output_cut !== undefined)
        return entry;
    // the output is the last step's that succeeded (an array step's, for one of its elements)
    const last = [...entry.steps].reverse().find((s) => s.status === 'succeeded');
    if (last === undefined)
        return entry;
    const file = `${last.dir}/${/(^|\/)codex_exec_\d+$/.test(last.dir) ? 'final_message.txt' : 'output.txt'}`;
    // not half a surrogate pair
    const end = /[\ud800-\udbff]/.test(entry.output.charAt(max - 1)) ? max - 1 : max;
    return { ...entry, output: entry.output.slice(0, end), output_cut: { chars: entry.output.length, file } };
}

;// CONCATENATED MODULE: ./build/action-js/engine/run-results.js





/** Lets signals and timers in between long synchronous work: a second Ctrl-C must be able to end the process. */
const run_results_breathe = () => new Promise((resolve) => setImmediate(resolve));
const run_results_BREATHE_EVERY = 256;
/**
 * What results.json and report.html are made of, a leaf at a time in results order: each leaf is
 * counted and its entry and row written (to files of their own, results/write.ts ResultsBody and
 * report/html-file.ts RunReportRows) once, and both files are put together at the end. A run whose
 * leaves can be taken as they end (`early`: one leaf a flow, their texts kept as written, nothing
 * but this process writing into the tree, no after step to lead the page) passes each on the
 * moment it ends when it is the next in order, without a spool record or a read back; the others
 * (ended out of order: spooled) follow as soon as the ones before them are in, and whatever is left
 * at the end (an earlier attempt's leaves, flows that never ran) is read then.
 */
class RunResults {
    runDir;
    files;
    spool;
    early;
    seen = { finalMessages: [], onlyOutput: undefined };
    /** Hears of every leaf as it is passed on (the index of finished flows, the caller's onResult). */
    onItem = () => { };
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
    constructor(runDir, files, spool, range, early) {
        this.runDir = runDir;
        this.files = files;
        this.spool = spool;
        this.early = early;
        this.next = range.from;
        this.idOf = range.idOf;
        this.disk = runTreeLoader(runDir);
        const spooled = spool === undefined ? this.disk : spool.loader(this.disk);
        this.load = (path, chars, tail) => (this.current ?? spooled)(path, chars, tail);
    }
    idOf;
    /** Opens the files the entries and rows wait in; a failure is told when results.json or report.html is written. */
    open() {
        try {
            this.body = ResultsBody.open(this.runDir);
        }
        catch (error) {
            this.bodyFailure = error instanceof Error ? error : new Error(String(error));
            this.early = false;
        }
        try {
            this.page = RunReportRows.open(this.files.tree, this.runDir);
            if (this.early)
                this.page.start(null, this.load);
        }
        catch (error) {
            this.pageFailure = error;
        }
    }
    /**
     * Flow `index`'s one leaf ended and was written (`written`: its result.json as written, `texts`:
     * its step directories' texts as kept, one pair a step). Passed on at once, with the spooled
     * ones after it, when it is the next in order; else false (the caller spools it).
     */
    ended(index, entry, written, texts) {
        if (!this.early || index !== this.next || texts.length !== entry.steps.length)
            return false;
        // what results.json would read back: the same entry, unless a secret was masked in it
        const plain = this.files.redactor.forms.length === 0;
        const item = plain ? entry : JSON.parse(written);
        const cut = item.output !== null && item.output.length > this.maxOutput;
        this.current = textsLoader(texts, this.disk);
        this.pass(item, plain && !cut ? written.slice(0, -1).replaceAll('\n', '\n    ') : undefined);
        this.current = undefined;
        this.next++;
        while (this.spool?.has(this.next) === true) {
            const spooled = this.spool.entry(this.next, this.idOf(this.next));
            if (spooled === undefined)
                break;
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
        if (this.page?.started === false)
            this.safely(() => this.page.start(after, this.load));
        let count = 0;
        for (const item of items) {
            if (++count % run_results_BREATHE_EVERY === 0)
                await run_results_breathe();
            this.pass(item);
        }
    }
    /** Writes results.json from the entries passed on; their totals. */
    async writeResults(path, header) {
        if (this.body === undefined)
            throw this.bodyFailure ?? new Error('the entries of results.json were not kept');
        return await this.body.writeTo(path, header);
    }
    /** Writes report.html; a failure is said on stderr (the report is a view: the run's outcome stands). */
    writeReport(runId, shard, totals, durationMs) {
        const title = `orchestrator: ${runId}${shard.count > 1 ? ` (shard ${shard.index}/${shard.count})` : ''}`;
        if (this.page !== undefined && this.pageFailure === undefined)
            this.safely(() => this.page.write({ title, totals, durationMs }));
        if (this.pageFailure !== undefined)
            reportNotWritten(this.runDir, this.pageFailure);
    }
    close() {
        this.body?.close();
        this.page?.close();
    }
    /** One leaf (or a range of never-started ones) to both files; `text`: its entry as results.json holds it, when known. */
    pass(item, text) {
        this.onItem(item);
        this.note(item);
        this.body?.add(item, text);
        if (this.page !== undefined && this.pageFailure === undefined)
            this.safely(() => this.page.add(isNotStarted(item) ? item : cutOutput(item, this.maxOutput)));
    }
    /** The final messages of succeeded leaves, and the output when there is one leaf only. */
    note(item) {
        if (isNotStarted(item)) {
            this.leaves += item.count;
            this.seen.onlyOutput = undefined;
            return;
        }
        this.leaves++;
        this.seen.onlyOutput = this.leaves === 1 ? (item.output ?? undefined) : undefined;
        if (item.status === 'succeeded' && item.final_message)
            this.seen.finalMessages.push(item.final_message);
    }
    safely(write) {
        try {
            write();
        }
        catch (error) {
            this.pageFailure ??= error;
        }
    }
}

;// CONCATENATED MODULE: ./build/action-js/engine/leaf-records.js











/** Writes each leaf's result.json (and not_started.json), counting them; keeps in memory those that could not be written. */
class LeafRecords {
    prepared;
    files;
    writeFailed;
    ended;
    counts = { succeeded: 0, failed: 0, cancelled: 0 };
    /** Leaves whose result.json could not be written (a full disk, a planted link), by flow id: results.json still lists them. */
    unwritten = new Map();
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
    /**
     * `writeFailed` says why a write failed, and stops the run when the run directory itself is
     * unusable; `ended` hears of each leaf as it ends (written or kept in memory).
     */
    constructor(prepared, files, writeFailed, ended = () => { }) {
        this.prepared = prepared;
        this.files = files;
        this.writeFailed = writeFailed;
        this.ended = ended;
        this.stream = new ResultsStream(files);
        if (!prepared.config.steps.some((step) => step.array)) {
            this.spool = new LeafSpool(prepared.range.from);
            if (prepared.options.isolate !== 'worktree') {
                this.texts = new StepTexts(prepared.runDir);
                files.observer = this.texts;
            }
        }
        // leaves taken as they end: their texts kept as written, and no process of a step writing into
        // the tree meanwhile (so what is read of it now is what it holds at the end); no after step,
        // whose row leads report.html, runs in this process
        const afterHere = prepared.config.after.length > 0 && prepared.shard.count === 1;
        const early = this.texts !== undefined && files.tree.byPath && !afterHere;
        const { range, space } = prepared;
        this.results = new RunResults(prepared.runDir, files, this.spool, { from: range.from, idOf: (i) => flowId(i, space.total) }, early);
    }
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
        const entry = {
            id: flow.flow.id,
            branch: [...branch],
            keys: flow.flow.keys,
            status: leaf.status,
            output: leaf.output,
            final_message: leaf.status === 'succeeded' ? leaf.finalMessage : null,
            error: leaf.error,
            duration_ms: Date.now() - flow.started,
            usage: leafUsage(leaf.steps),
            steps: leaf.steps,
            // only steps run in a worktree leave a patch: without one, no step directory is looked into
            changes: this.prepared.options.isolate === 'worktree' ? leafChanges(this.prepared.runDir, leaf.steps) : null,
        };
        try {
            // in place, not through a temporary file and a rename: every reader of a result.json
            // (store.ts readLeafItems, resume) takes one that does not parse as missing, which is what it
            // is until it is written, and a JSON object cut short never parses (its closing brace is last)
            const written = this.files.writeJson((0,tree_paths/* under */.hG)(dir, 'result.json'), entry, { atomic: false });
            if (branch.length === 0) {
                const texts = this.texts?.take(entry) ?? [];
                if (!this.results.ended(flow.flow.index, entry, written, texts))
                    this.spool?.add(flow.flow.index, written, texts);
            }
            this.counts[leaf.status]++;
            const prints = leaf.fingerprints;
            if (entry.status === 'succeeded' && branch.length === 0 && prints?.length === this.prepared.config.steps.length) {
                this.index?.add(flow.flow.index, entry.id, prints);
            }
        }
        catch (error) {
            this.texts?.take(entry);
            this.keepUnwritten({ ...entry, status: 'failed', error: this.writeFailed(error) });
            return;
        }
        this.end(entry);
    }
    /** A leaf ended: its line in results.jsonl, then the caller hears of it. */
    end(entry) {
        this.stream.add(entry);
        this.ended(entry);
    }
    /** Keeps in memory a leaf whose result.json could not be written; results.json lists it. */
    keepUnwritten(entry) {
        this.counts.failed++;
        const kept = this.unwritten.get(entry.id) ?? [];
        this.unwritten.set(entry.id, [...kept.filter((e) => compareLeaves(e, entry) !== 0), entry]);
        this.end(entry);
    }
    /** Branches that never started: a few as cancelled leaves, long runs of them as `not_started` ranges. */
    writeNotStarted(flow, parent, dir, branches, reason, shared) {
        const { ranges, single } = splitNotStarted(flow.flow.id, parent, branches, reason, shared);
        for (const { previous, index } of single) {
            this.write(flow, [...parent, index], (0,external_node_path_.join)(dir, branchDirName(index)), {
                status: 'cancelled',
                error: reason,
                output: previous.output,
                finalMessage: null,
                steps: shared,
            });
        }
        if (ranges.length === 0)
            return;
        this.files.writeJson((0,external_node_path_.join)(dir, NOT_STARTED), { schema: 1, ranges });
        for (const range of ranges)
            this.counts.cancelled += range.count;
    }
    /**
     * Every leaf of this process's flows from flow `from` on, in order: from the spool those that ended in this process,
     * the others (an earlier attempt's) from disk; flows that never ran are cancelled for `reason`.
     */
    leaves(reason, from = this.prepared.range.from) {
        const branches = this.prepared.config.steps.some((step) => step.array);
        const { runDir, space, range } = this.prepared;
        const known = this.spool?.usable === true ? this.spool : undefined;
        return withUnwritten(readLeaves(runDir, space, { from, to: range.to }, reason, branches, known), this.unwritten);
    }
}

;// CONCATENATED MODULE: ./build/action-js/engine/output.js




const where = (prepared) => `the output directory ${JSON.stringify(prepared.options.outputDir)} (--output)`;
/**
 * Whether no process runs while this run writes its tree, so nothing can swap a directory we made
 * for a link between our mkdir and our writes into it: every step (`after` ones too) is an `openai`
 * step (online or --offline: an HTTP call or none) with no `cmd` check, and no worktrees (git and the
 * config's `setup` run in them). A run with a cmd or codex step, a cmd check or worktrees writes
 * through directories kept open instead (util/safe-tree.ts; docs/security.md).
 */
function startsNoProcess(prepared) {
    const { config, options } = prepared;
    const quiet = (step) => step.kind === 'openai' && (step.checks ?? []).every((check) => check.type !== 'cmd');
    return options.isolate !== 'worktree' && config.steps.every(quiet) && config.after.every(quiet);
}
/** Creates the run directory; nothing has run yet, so a failure is a usage error (exit 2). */
function makeRunDir(prepared) {
    try {
        (0,safe_tree/* makeDirectories */.Kb)(prepared.runDir);
    }
    catch (error) {
        throw new errors/* UsageError */.eb(`${where(prepared)}: cannot create the run directory ${prepared.runDir}: ${(0,errors/* errorMessage */.gJ)(error)}`, {
            cause: error,
        });
    }
    if (!(0,external_node_fs_.lstatSync)(prepared.runDir).isDirectory()) {
        throw new errors/* UsageError */.eb(`${where(prepared)}: ${prepared.runDir} is a symbolic link or a file, not a directory of its own: remove it, or use another --run-id`);
    }
}
/** Writes the run's first run.json; nothing has run yet, so a failure is a usage error (exit 2). */
function startRunDir(prepared, writeRunJson) {
    try {
        writeRunJson();
    }
    catch (error) {
        throw new errors/* UsageError */.eb(`${where(prepared)}: cannot write ${(0,external_node_path_.join)(prepared.runDir, 'run.json')}: ${(0,errors/* errorMessage */.gJ)(error)}`, { cause: error });
    }
}
/** Writes results.json and the final run.json; a failure there is the run's, not a flow's. */
async function finishRunDir(prepared, write) {
    try {
        return await write();
    }
    catch (error) {
        throw new errors/* OutputError */.u7(`cannot write the results of the run (results.json, run.json) in ${prepared.runDir}: ${(0,errors/* errorMessage */.gJ)(error)}`, {
            cause: error,
        });
    }
}
/** Why the run directory can no longer be written into, or undefined while it is a real directory. */
function unusableRunDir(tree) {
    try {
        tree.verify(tree.root);
        return undefined;
    }
    catch (error) {
        return `the run directory became unusable: ${(0,errors/* errorMessage */.gJ)(error)}`;
    }
}

;// CONCATENATED MODULE: ./build/action-js/engine/run-record.js




/** The record of a run (run.json): its config, keys, shard, options and each attempt. */
function runRecord(prepared, state) {
    const o = prepared.options;
    const options = {
        parallel: o.parallel,
        timeout: o.timeoutS,
        workdir: o.workdir,
        append_filepath: o.appendFilepath,
        model: o.model ?? null,
        api: o.api ?? null,
        base_url: o.baseUrl === undefined ? null : urlWithoutCredentials(o.baseUrl),
        offline: o.offline,
        retries: o.retries,
        token_budget: o.tokenBudget ?? null,
        max_cost_usd: o.maxCost ?? null,
        resume: o.resume,
        isolate: o.isolate ?? 'none',
        sandbox: o.sandbox ?? DEFAULT_SANDBOX,
        batch: o.batch === undefined ? null : { timeout: o.batch.timeoutS, cancel_on_exit: o.batch.cancelOnExit },
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
            ...(k.kind === 'values' ? { values: true } : {}),
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
        peak_concurrency: state.peakConcurrency,
    };
}
/**
 * Writes run.json, and the shard's own copy: shards of one run share run.json when their trees are
 * merged, so each keeps its own record too and a report can tell which shards ran.
 */
function writeRunRecord(files, prepared, state) {
    const record = runRecord(prepared, state);
    files.writeJson((0,external_node_path_.join)(prepared.runDir, 'run.json'), record);
    files.writeJson((0,external_node_path_.join)(prepared.runDir, shardRecordPath(prepared.shard)), record);
}

;// CONCATENATED MODULE: ./build/action-js/engine/run-progress.js

/** Where a run stands: flows and branches at each step, flows finished, leaves counted, tokens used. */
class RunProgress {
    labels;
    total;
    counts;
    onProgress;
    batches;
    atStep;
    finished = 0;
    usage = model_usage/* NO_USAGE */.yJ;
    cached = { steps: 0, saved: model_usage/* NO_USAGE */.yJ };
    constructor(labels, total, 
    /** The leaves counted so far, by status (LeafRecords keeps them). */
    counts, onProgress, 
    /** With --batch: the batching runner's board; each change of it is reported. */
    batches) {
        this.labels = labels;
        this.total = total;
        this.counts = counts;
        this.onProgress = onProgress;
        this.batches = batches;
        this.atStep = labels.map(() => 0);
        batches?.onChange(() => this.report());
    }
    /** A step answered from the response cache: `saved` is what its answer first cost. */
    cacheHit(saved) {
        this.cached = { steps: this.cached.steps + 1, saved: (0,model_usage/* addUsage */.vk)(this.cached.saved, saved) };
    }
    report() {
        this.onProgress?.({
            labels: this.labels,
            atStep: this.atStep,
            finished: this.finished,
            total: this.total,
            ...this.counts,
            usage: this.usage,
            ...(this.cached.steps > 0 ? { cached: this.cached } : {}),
            ...(this.batches !== undefined ? { batches: this.batches.counts() } : {}),
        });
    }
}

;// CONCATENATED MODULE: ./build/action-js/engine/slots.js
function comparePriority(a, b) {
    for (let i = 0; i < Math.min(a.length, b.length); i++)
        if (a[i] !== b[i])
            return a[i] - b[i];
    return a.length - b.length;
}
const before = (a, b) => {
    const order = comparePriority(a.priority, b.priority);
    return order < 0 || (order === 0 && a.seq < b.seq);
};
/**
 * Waiters in a binary heap ordered by priority: adding one and taking the best are O(log n), so
 * 200,000 branches waiting for a slot cost a few million comparisons, not 10^10.
 */
class WaiterHeap {
    items = [];
    get size() {
        return this.items.length;
    }
    push(waiter) {
        const items = this.items;
        let i = items.push(waiter) - 1;
        while (i > 0) {
            const parent = (i - 1) >> 1;
            if (!before(waiter, items[parent]))
                break;
            items[i] = items[parent];
            i = parent;
        }
        items[i] = waiter;
    }
    pop() {
        const items = this.items;
        const top = items[0];
        const last = items.pop();
        if (items.length === 0 || last === undefined)
            return top;
        let i = 0;
        for (;;) {
            const left = 2 * i + 1;
            if (left >= items.length)
                break;
            const right = left + 1;
            const child = right < items.length && before(items[right], items[left]) ? right : left;
            if (!before(items[child], last))
                break;
            items[i] = items[child];
            i = child;
        }
        items[i] = last;
        return top;
    }
}
/**
 * At most `limit` holders at once; a freed slot goes to the waiter with the smallest priority, so
 * the steps of flows already started run before new flows start (depth first). p-limit serves in
 * arrival order only, hence this small class.
 */
class Slots {
    limit;
    held = 0;
    seq = 0;
    waiters = new WaiterHeap();
    /** Most holders seen at once. */
    peak = 0;
    constructor(limit) {
        this.limit = limit;
    }
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
            if (waiter === undefined)
                return;
            this.held++;
            this.peak = Math.max(this.peak, this.held);
            waiter.grant();
        }
    }
}

;// CONCATENATED MODULE: ./build/action-js/engine/step-input.js








/** How many characters of key files' texts are kept for the flows that follow (see StepInputs.contents). */
const KEPT_CHARS = 16 * 1024 * 1024;
/** Builds what each step is given (prompt, command variables, model settings) and the fingerprint it is made under. */
class StepInputs {
    prepared;
    redactor;
    fingerprints;
    /** Per key, the file read last and its text (see contents). */
    lastRead = new Map();
    /** Key files' texts by path, the most recently used last (see contents). */
    kept = new Map();
    /** The characters `kept` holds. */
    keptChars = 0;
    /** Each step's model, found once (modelOf reads the environment: slow, once a flow). */
    models = new Map();
    /** The `--values` keys: a flow's entry is the value itself, not a file to read. */
    valueKeys;
    /** `redactor`: the run's, whose masking its files show (fingerprints are taken of the masked input). */
    constructor(prepared, redactor) {
        this.prepared = prepared;
        this.redactor = redactor;
        this.fingerprints = fingerprintSettings(prepared.options);
        this.valueKeys = new Set(prepared.space.keys.filter((key) => key.kind === 'values').map((key) => key.name));
    }
    /** The fingerprint of a step made from `input` after the step whose fingerprint is `chain`. */
    fingerprintOf(step, input, chain) {
        return stepFingerprint(step, maskedInput(input, this.redactor), chain, this.fingerprints);
    }
    /** The fingerprint a step of this flow would be made under now, after `previous` (resume.ts asks). */
    fingerprint(flow, step, previous) {
        return this.fingerprintOf(step, this.stepInput(flow, step, previous?.output, previous?.bytes), previous?.fingerprint);
    }
    /**
     * What a step is given: its prompt or command filled in for this flow, and its model settings;
     * a cmd step gets the previous output's bytes on stdin when there are any.
     */
    stepInput(flow, step, previous, bytes) {
        const { options } = this.prepared;
        let prompt;
        let command;
        if (step.kind === 'cmd') {
            prompt = previous ?? '';
            const compiled = this.prepared.commands.get(step.index);
            command = {
                script: compiled.script,
                variables: [...compiled.variables].map(([ref, variable]) => {
                    const { name, field } = parseRef(ref);
                    return { key: ref, variable, file: flow.flow.keys[name], value: this.value(flow, name, field) };
                }),
            };
        }
        else {
            const template = this.template(flow, step);
            const filled = fillPlaceholders(template, (name, field) => flow.flow.keys[name] === undefined
                ? undefined
                : field === 'path'
                    ? flow.flow.keys[name]
                    : this.valueKeys.has(name)
                        ? flow.flow.keys[name]
                        : promptValue(this.contents(flow, name), flow.flow.keys[name], options.appendFilepath));
            prompt = assemblePrompt(filled, previous);
        }
        let model = this.models.get(step);
        if (model === undefined)
            this.models.set(step, (model = { value: modelOf(step, options) }));
        const api = step.api ?? options.api ?? 'responses';
        return { prompt, input: step.kind === 'cmd' ? bytes : undefined, command, model: model.value, api, sandbox: sandboxOf(step, options) };
    }
    /** A model step's template: inline, a prompt file read once, or a file whose path has placeholders. */
    template(flow, step) {
        const source = step.prompt;
        if (source.kind === 'inline')
            return source.text;
        const fixed = this.prepared.templates.get(step.index);
        if (fixed !== undefined)
            return fixed;
        const path = fillPlaceholders(source.path, (name, field) => flow.flow.keys[name] === undefined ? undefined : this.value(flow, name, field).trim());
        try {
            return readInputFile((0,external_node_path_.resolve)(this.prepared.options.baseDir, path), { confineTo: this.prepared.options.confineTo }).toString('utf8');
        }
        catch (error) {
            const why = error instanceof InputFileError ? `it ${error.problem}` : (0,errors/* errorMessage */.gJ)(error);
            throw new errors/* StepError */.zg(`cannot read prompt file ${JSON.stringify(path)}: ${why}`, { cause: error });
        }
    }
    /** What a placeholder stands for in this flow: its file's contents, or its listed path. */
    value(flow, name, field) {
        return field === 'path' ? flow.flow.keys[name] : this.contents(flow, name);
    }
    /**
     * The contents of this flow's file for a key, read once per flow. The file read last for each key
     * is kept, and the small files read recently (up to KEPT_CHARS), so the flows that follow do not read them again: the first key changes slowest and the
     * last one cycles through its list once per value of the others, so a list of a few thousand small
     * files is read once per run, not once a flow. The checks readListedFile makes when it reads a
     * file hold for the text kept.
     */
    contents(flow, name) {
        if (this.valueKeys.has(name))
            return flow.flow.keys[name];
        let text = flow.contents.get(name);
        if (text === undefined) {
            const path = flow.flow.keys[name];
            const last = this.lastRead.get(name);
            text = last?.path === path ? last.text : this.recent(path);
            if (text === undefined) {
                text = readListedFile(this.prepared.options.baseDir, path, name, { confineTo: this.prepared.options.confineTo });
                this.keep(path, text);
            }
            this.lastRead.set(name, { path, text });
            flow.contents.set(name, text);
        }
        return text;
    }
    /** A small file's text read recently. */
    recent(path) {
        return this.kept.get(path);
    }
    /** Keeps a small file's text; past KEPT_CHARS the first kept go first (the lists are read in cycles, where least recently used would do no better). */
    keep(path, text) {
        if (text.length > KEPT_CHARS / 64)
            return;
        this.kept.set(path, text);
        this.keptChars += text.length;
        for (const [oldest, kept] of this.kept) {
            if (this.keptChars <= KEPT_CHARS)
                break;
            this.kept.delete(oldest);
            this.keptChars -= kept.length;
        }
    }
}

;// CONCATENATED MODULE: ./build/action-js/steps/check-cmd.js


/**
 * A `cmd` check: its command run by the cmd runner (the same process handling, environment and
 * limits as a cmd step), the output on stdin; exit status 0 passes, any other fails with the
 * command's own words (the last lines of its stderr) as the reason.
 */
async function runCmdCheck(runner, step, check, output, request) {
    try {
        const result = await runner.run({
            ...request,
            step: checkCmdStep(step, check),
            prompt: output.text,
            input: output.bytes,
            command: { script: check.value, variables: [] },
            model: undefined,
            api: 'responses',
            sandbox: 'read-only',
        });
        const said = result.output.trim().split('\n')[0] ?? '';
        return { passed: true, reason: said === '' ? 'the command exited with code 0' : said.slice(0, 200) };
    }
    catch (error) {
        if (error instanceof errors/* CancelledError */.cc)
            throw error;
        return { passed: false, reason: (0,errors/* errorMessage */.gJ)(error) };
    }
}

;// CONCATENATED MODULE: ./build/action-js/steps/check-rubric.js




/** What the grader is asked: the rubric, then the output to grade, and the one answer it may give. */
function rubricPrompt(rubric, output) {
    return ('You grade an output against a rubric. Answer with one JSON object and nothing else: ' +
        '{"pass": true or false, "reason": "one sentence saying why"}.\n\n' +
        `Rubric:\n${rubric}\n\nOutput to grade:\n${output}`);
}
/** The grader's answer as a verdict; an answer of another shape fails the check, saying what came back. */
function readRubricAnswer(answer) {
    const parsed = parseJsonOutput(answer)?.value;
    if ((0,is_object/* isObject */.G)(parsed) && typeof parsed.pass === 'boolean') {
        const reason = typeof parsed.reason === 'string' && parsed.reason.trim() !== '' ? parsed.reason.trim() : '(the grader gave no reason)';
        return { passed: parsed.pass, reason: reason.length > 500 ? `${reason.slice(0, 500)}…` : reason };
    }
    const shown = answer.length > 200 ? `${answer.slice(0, 200)}…` : answer;
    return { passed: false, reason: `the grader's answer is not {"pass": true|false, "reason": "..."}: ${JSON.stringify(shown)}` };
}
/**
 * A `rubric` check: one call of the openai runner the run uses for openai steps (so retried, rate
 * limited, batched and cached as they are), its usage returned for the step's and the run's totals.
 */
async function runRubricCheck(runner, step, check, output, request) {
    const { modelOf, ...rest } = request;
    const grader = rubricStep(step, check, check.value);
    const prompt = rubricPrompt(check.value, output);
    request.files.write((0,external_node_path_.join)(request.dir, 'prompt.txt'), prompt);
    const result = await runner.run({ ...rest, step: grader, prompt, model: modelOf(grader), command: undefined, sandbox: 'read-only' });
    return { verdict: readRubricAnswer(result.output), result, grader };
}

;// CONCATENATED MODULE: ./build/action-js/engine/step-checks.js










/** The directory of a step's check number `n` (1-based) that runs something: cmd and rubric checks keep their files there. */
const checkDirName = (n) => `check_${n}`;
/**
 * Runs the checks of `step` on its output, in order: the pure ones in process, cmd checks through
 * the cmd runner in the leaf's working directory, rubric checks through the openai runner (skipped
 * under --offline: nothing grades them). Undefined for a step without checks.
 */
async function runStepChecks(run, leaf, step, output) {
    if (step.checks === undefined || step.checks.length === 0)
        return undefined;
    const results = [];
    let usage = null;
    for (const [i, check] of step.checks.entries()) {
        const record = (verdict, skipped = false) => {
            results.push({ name: check.name, type: check.type, passed: verdict.passed, reason: verdict.reason, ...(skipped ? { skipped } : {}) });
        };
        if (isPureCheck(check)) {
            record(evaluateCheck(check, output.text));
            continue;
        }
        const dir = (0,external_node_path_.join)(leaf.stepDir, checkDirName(i + 1));
        run.files.tree.dir(dir);
        const env = (0,steps_env/* stepEnv */.W)(leaf.flowId, leaf.branch, run.prepared.runDir);
        const timeoutMs = (step.timeout ?? run.prepared.options.timeoutS) * 1000;
        const base = { dir, timeoutMs, signal: run.signal, files: run.files };
        if (check.type === 'cmd') {
            if (output.bytes !== undefined)
                run.files.writeBytes((0,external_node_path_.join)(dir, 'prompt.txt'), output.bytes);
            else
                run.files.write((0,external_node_path_.join)(dir, 'prompt.txt'), output.text);
            const name = [leaf.flowId, ...leaf.branch].join('-');
            const verdict = await run.worktrees.runIn(step, leaf.worktree, { name, stepDir: dir, stepEnv: env }, (cwd, tmpdir, changed) => runCmdCheck(run.runners.cmd, step, check, output, { ...base, cwd, tmpdir, env: { ...env, ...changed } }));
            record(verdict);
        }
        else if (run.prepared.options.offline) {
            record({ passed: true, reason: 'not graded: --offline calls no model' }, true);
        }
        else {
            const { options } = run.prepared;
            const graded = await runRubricCheck(run.runners.openai, step, check, output.text, {
                ...base,
                cwd: options.workdir,
                env,
                api: check.api ?? options.api ?? 'responses',
                modelOf: (grader) => modelOf(grader, options),
            });
            const priced = pricedResult(graded.grader, graded.result, { reused: false, batching: run.runners.openai.batches !== undefined }, run.prepared.prices, options);
            usage = usage === null ? priced.usage : (0,model_usage/* addUsage */.vk)(usage, priced.usage);
            record(graded.verdict);
        }
    }
    return { results, usage };
}
const NOTHING = { checks: undefined, failure: undefined };
/** Why a leaf fails its checks: each failed check and its reason. */
function checksFailure(step, results) {
    const failed = results.filter(checkFailed);
    if (failed.length === 0)
        return undefined;
    const what = failed.length === 1 ? 'a check failed' : `${failed.length} of ${results.length} checks failed`;
    return `step ${step.index} (${JSON.stringify(step.label)}): ${what}: ${failed.map((r) => `${r.name}: ${r.reason}`).join('; ')}`;
}
/**
 * Runs the checks of a step that succeeded (run now or reused: checks are judged again, so a
 * resumed run re-checks the leaves it runs), adding what grading cost to the run's spend. A check
 * that could not run (a rubric call that failed) fails the leaf; failed checks fail it unless the
 * config says `"checks_fail": false`.
 */
async function checkStep(run, leaf, step, tried) {
    if (tried.failure !== undefined || tried.result === undefined || step.checks === undefined)
        return NOTHING;
    let checks;
    try {
        checks = await runStepChecks(run, leaf, step, { text: tried.result.output, bytes: tried.result.bytes });
    }
    catch (caught) {
        const failure = caught instanceof errors/* CancelledError */.cc
            ? { status: 'cancelled', message: run.stopReason() ?? caught.message }
            : {
                status: 'failed',
                message: `step ${step.index} (${JSON.stringify(step.label)}): a check could not run: ${(0,errors/* errorMessage */.gJ)(caught)}`,
            };
        return { checks: undefined, failure };
    }
    if (checks === undefined)
        return NOTHING;
    run.progress.usage = (0,model_usage/* addUsage */.vk)(run.progress.usage, checks.usage);
    const message = run.prepared.config.checksFail === false ? undefined : checksFailure(step, checks.results);
    return { checks, failure: message === undefined ? undefined : { status: 'failed', message } };
}
/** A step's usage with what grading its checks cost. */
const withChecksUsage = (usage, checked) => checked.checks?.usage == null ? usage : (0,model_usage/* addUsage */.vk)(usage ?? { input_tokens: 0, output_tokens: 0 }, checked.checks.usage);

;// CONCATENATED MODULE: ./build/action-js/engine/walk-step.js






/**
 * Runs step `step` of a walk, or reuses its earlier record (--resume, same fingerprint), and
 * records it (step.json); moves the walk's fingerprint chain on when it succeeds.
 */
async function attemptStep(run, w, step, stepDir, started) {
    let result;
    let earlier;
    try {
        const input = run.inputs.stepInput(w.leaf.flow, step, w.output, w.bytes);
        const fingerprint = run.inputs.fingerprintOf(step, input, w.chain);
        earlier = w.reusing ? readStepRecord(stepDir) : undefined;
        if (earlier?.fingerprint !== fingerprint)
            earlier = undefined;
        if (earlier !== undefined) {
            result = priceResult(run, step, earlier, true);
            if (earlier.patch !== undefined)
                w.leaf.worktree.inherited = earlier.patch;
        }
        else {
            // the directories down to this step's are real ones, not links planted by an earlier step
            // (in a fresh flow, checked by its first write: there is nothing of ours to clear)
            if (w.leaf.flow.fresh !== true || w.leaf.branch.length > 0)
                run.files.tree.removeDir(stepDir);
            run.leafRecords.texts?.begin(stepDir);
            result = priceResult(run, step, await executeStep(run, w, step, input, stepDir), false);
            writeStepRecord(run.files, stepDir, step, result, Date.now() - started, fingerprint);
        }
        w.chain = fingerprint;
        w.prints.push(fingerprint);
        return { result, failure: undefined, error: undefined, earlier };
    }
    catch (caught) {
        const failure = caught instanceof errors/* CancelledError */.cc
            ? { status: 'cancelled', message: run.stopReason() ?? caught.message }
            : { status: 'failed', message: `step ${step.index} (${JSON.stringify(step.label)}): ${(0,errors/* errorMessage */.gJ)(caught)}` };
        return { result, failure, error: caught, earlier };
    }
}
/** Runs the step; one waiting for its batch gives its slot to other flows' steps meanwhile. */
async function executeStep(run, w, step, input, stepDir) {
    if (run.runners[step.kind].batches === undefined)
        return walk_step_runStep(run, w.leaf, step, input, stepDir);
    // that is how many requests become ready together and share a batch
    await run.batchSeats.acquire(w.priority);
    run.slots.release();
    w.held = false;
    try {
        // the wait for a seat may be long: the run may have stopped meanwhile
        const stopping = run.stopReason();
        if (stopping !== undefined)
            throw new errors/* CancelledError */.cc(stopping);
        return await walk_step_runStep(run, w.leaf, step, input, stepDir);
    }
    finally {
        run.batchSeats.release();
    }
}
/** Runs one step; `input.input`: a cmd step's stdin byte for byte (the previous cmd step's output), recorded so in prompt.txt. */
function walk_step_runStep(run, leaf, step, input, stepDir) {
    const { flow, branch } = leaf;
    run.files.tree.dir(stepDir);
    if (input.input !== undefined)
        run.files.writeBytes((0,external_node_path_.join)(stepDir, 'prompt.txt'), input.input);
    else
        run.files.write((0,tree_paths/* under */.hG)(stepDir, 'prompt.txt'), input.prompt);
    const env = (0,steps_env/* stepEnv */.W)(flow.flow.id, branch, run.prepared.runDir);
    const name = [flow.flow.id, ...branch].join('-');
    return run.worktrees.runIn(step, leaf.worktree, { name, stepDir, stepEnv: env }, (cwd, tmpdir, changed) => run.runners[step.kind].run({
        ...input,
        step,
        cwd,
        dir: stepDir,
        tmpdir,
        timeoutMs: (step.timeout ?? run.prepared.options.timeoutS) * 1000,
        signal: run.signal,
        files: run.files,
        env: { ...env, ...changed },
    }));
}
/** `usage` with what it cost on the step's model. */
function priceResult(run, step, result, reused) {
    const batching = run.runners[step.kind].batches !== undefined;
    return pricedResult(step, result, { reused, batching }, run.prepared.prices, run.prepared.options);
}
/** What a step used, priced on its model. */
function pricedUsage(run, step, usage) {
    return spend_stepUsage(step, usage, run.prepared.prices, run.prepared.options);
}

;// CONCATENATED MODULE: ./build/action-js/engine/walk.js











/** Runs the steps of flows and branches: each leaf's steps depth first, an array step's branches below it. */
class Walker {
    run;
    /** Each step's directory name (stepDirName), made once. */
    dirNames = new Map();
    constructor(run) {
        this.run = run;
    }
    /** Runs the steps of `leaf` from its step `from` on, and writes its result.json (or its branches'). */
    async walk(leaf) {
        const { previous } = leaf;
        const w = {
            leaf,
            priority: [leaf.flow.flow.index, ...leaf.branch],
            done: [...leaf.inherited],
            output: previous?.output,
            bytes: undefined,
            chain: previous?.fingerprint,
            finalMessage: null,
            held: leaf.holding,
            reusing: this.run.prepared.options.resume,
            prints: [],
        };
        const steps = this.run.prepared.config.steps;
        for (let i = leaf.from; i < steps.length; i++) {
            if ((await this.step(w, i)) === 'ended')
                return;
        }
        return this.end(w, 'succeeded', null);
    }
    /**
     * Runs the branches of an array step below `parent` from step `from`, sharing the steps before,
     * each from the patch `start`; started lazily, so a huge array costs one waiter (see fanOut).
     */
    runBranches(at) {
        const { run } = this;
        const { flow, parent, dir, from, shared } = at;
        return fanOut([flow.flow.index, ...parent], at.branches, {
            acquire: (priority) => run.slots.acquire(priority),
            release: () => run.slots.release(),
            stopReason: () => run.stopReason(),
            start: ({ previous, index }) => this.walk({
                flow,
                branch: [...parent, index],
                dir: (0,external_node_path_.join)(dir, branchDirName(index)),
                from,
                previous,
                inherited: shared,
                worktree: { inherited: at.start },
                holding: true,
            }),
            notStarted: (rest, reason) => run.leafRecords.writeNotStarted(flow, parent, dir, rest, reason, shared),
        });
    }
    /** Step `i` of the walk, once a slot is held: `ended` when the leaf ended with it (or fanned out below it). */
    async step(w, i) {
        const { run } = this;
        const step = run.prepared.config.steps[i];
        run.progress.atStep[i]++;
        run.progress.report();
        if (!w.held)
            await run.slots.acquire(w.priority);
        else if (i > w.leaf.from)
            await run.slots.reacquire(w.priority);
        w.held = true;
        const stopped = run.stopReason();
        if (stopped !== undefined) {
            run.progress.atStep[i]--;
            await this.end(w, 'cancelled', stopped);
            return 'ended';
        }
        const stepDir = (0,tree_paths/* under */.hG)(w.leaf.dir, this.dirName(step));
        const started = Date.now();
        const tried = await attemptStep(run, w, step, stepDir, started);
        const { flow, branch, worktree } = w.leaf;
        const checked = await checkStep(run, { flowId: flow.flow.id, branch, worktree, stepDir }, step, tried);
        const { result, earlier } = tried;
        const failure = tried.failure ?? checked.failure;
        w.reusing = earlier !== undefined;
        run.progress.atStep[i]--;
        const usage = withChecksUsage(this.count(step, tried), checked);
        w.done.push({
            name: step.label,
            type: step.type,
            status: failure?.status ?? 'succeeded',
            duration_ms: earlier?.duration_ms ?? Date.now() - started,
            usage,
            dir: this.relative(stepDir),
            ...answerMarks(result),
            ...(checked.checks === undefined ? {} : { checks: checked.checks.results }),
        });
        // a leaf failed by its checks shows the output they judged
        if (checked.failure !== undefined)
            w.output = result.output;
        if (failure?.status === 'failed')
            this.note((0,external_node_path_.join)(stepDir, 'error.txt'), failure.message + '\n');
        // the step's files are written: its directory's handle goes now, not when it is the oldest (dir-handles.ts)
        run.files.tree.close(stepDir);
        if (failure) {
            await this.end(w, failure.status, failure.message);
            return 'ended';
        }
        w.output = result.output;
        w.bytes = result.bytes;
        w.finalMessage = result.finalMessage ? this.relative(result.finalMessage) : null;
        if (!step.array)
            return 'next';
        await this.fanOutAt(w, i, stepDir);
        return 'ended';
    }
    dirName(step) {
        let name = this.dirNames.get(step);
        if (name === undefined)
            this.dirNames.set(step, (name = stepDirName(step)));
        return name;
    }
    /** Adds what a step used (unless reused from an earlier attempt) to the run's spend; stops the run at a limit. */
    count(step, { result, error, earlier }) {
        const { run } = this;
        const usage = result?.usage ?? (error instanceof errors/* StepError */.zg ? pricedUsage(run, step, error.usage) : null);
        if (earlier === undefined)
            run.progress.usage = (0,model_usage/* addUsage */.vk)(run.progress.usage, usage);
        if (earlier === undefined && result?.cached !== undefined)
            run.progress.cacheHit(result.cached);
        const limit = spendLimit(run.prepared.options, run.progress.usage);
        if (limit !== undefined)
            run.stop(limit);
        return usage;
    }
    /** Step `i` is an array step that succeeded: its elements become branches (or, as the last step, leaves). */
    async fanOutAt(w, i, stepDir) {
        const { run } = this;
        const step = run.prepared.config.steps[i];
        const parsed = parseArrayOutput(w.output, step.maxItems);
        if ('error' in parsed) {
            const message = `step ${step.index} (${JSON.stringify(step.label)}): ${parsed.error}`;
            w.done[w.done.length - 1] = { ...w.done[w.done.length - 1], status: 'failed' };
            this.forget(stepDir); // a resumed run asks again
            this.note((0,external_node_path_.join)(stepDir, 'error.txt'), message + '\n');
            return this.end(w, 'failed', message);
        }
        if (parsed.elements.length === 0) {
            w.output = '[]';
            w.finalMessage = null;
            return this.end(w, 'succeeded', null);
        }
        if (w.held)
            run.slots.release();
        w.held = false;
        const { worktree } = w.leaf;
        // each branch starts from what this flow changed so far, in a worktree of its own
        const start = worktree.patch ?? worktree.inherited;
        await run.worktrees.close(worktree);
        const elements = parsed.elements.map((element, e) => ({ previous: { output: element, fingerprint: w.chain }, index: e + 1 }));
        if (i + 1 === run.prepared.config.steps.length)
            return this.elementLeaves(w, elements);
        const { flow, branch, dir } = w.leaf;
        return this.runBranches({ flow, parent: branch, dir, branches: elements, from: i + 1, shared: w.done, start });
    }
    /** The last step fanned out: each element is a leaf of its own, succeeded with the element as its output. */
    async elementLeaves(w, elements) {
        const { run } = this;
        const { flow, branch, dir } = w.leaf;
        for (const [e, { previous, index }] of elements.entries()) {
            if (e % BREATHE_EVERY === BREATHE_EVERY - 1)
                await breathe();
            const reason = run.stopReason();
            if (reason !== undefined) {
                run.leafRecords.writeNotStarted(flow, branch, dir, elements.slice(e), reason, w.done);
                return;
            }
            run.leafRecords.write(flow, [...branch, index], (0,external_node_path_.join)(dir, branchDirName(index)), {
                status: 'succeeded',
                error: null,
                output: previous.output,
                finalMessage: null,
                steps: w.done,
            });
        }
    }
    /** The leaf ended: gives its slot back, writes its result.json, closes its worktree. */
    async end(w, status, error) {
        const { run } = this;
        if (w.held)
            run.slots.release();
        w.held = false;
        const { flow, branch, dir, worktree } = w.leaf;
        run.leafRecords.write(flow, branch, dir, {
            status,
            error,
            output: status === 'succeeded' ? (w.output ?? '') : (w.output ?? null),
            finalMessage: w.finalMessage,
            steps: w.done,
            fingerprints: w.prints,
        });
        await run.worktrees.close(worktree);
    }
    /** A path relative to the run directory, with forward slashes. */
    relative(path) {
        const { runDir } = this.run.prepared;
        // a path join() made below the run directory (a step's): its rest, without path.relative's resolves
        if (external_node_path_.sep === '/' && path.startsWith(runDir) && path[runDir.length] === '/')
            return path.slice(runDir.length + 1);
        return (0,external_node_path_.relative)(runDir, path).split('\\').join('/');
    }
    /** Removes a step's step.json, once the directories down to it are checked: a failed write leaves it to the fingerprint. */
    forget(stepDir) {
        try {
            this.run.files.tree.removeFile((0,external_node_path_.join)(stepDir, STEP_RECORD));
        }
        catch {
            // a step directory that is not ours any more holds no record we would reuse
        }
    }
    /** A note for the reader (error.txt) that the results do not depend on: its own write failing changes nothing. */
    note(path, text) {
        try {
            this.run.files.write(path, text);
        }
        catch {
            // the error is in result.json and results.json already
        }
    }
}

;// CONCATENATED MODULE: ./build/action-js/engine/run.js



























/**
 * One process's part of a run: its flows, started in order as slots free up, each walked depth
 * first (walk.ts); then results.json and run.json. The runners are given (makeRunners(prepared) in
 * the CLI and the Action; a stand-in in tests).
 */
class Run {
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
    constructor(prepared, control, runners) {
        this.prepared = prepared;
        this.control = control;
        this.runners = runners;
        const o = prepared.options;
        // every running or waiting step listens on this one signal (a batch request twice, the SDK
        // once per call): --parallel 50 or 200 flows waiting in a batch are far more than the 10 past
        // which Node 20 and 22 print MaxListenersExceededWarning; each listener goes with its step
        (0,external_node_events_.setMaxListeners)(0, this.steps.signal);
        this.slots = new Slots(o.parallel);
        this.batchSeats = new Slots(batchMaxPending(o.env));
        this.files = new TreeWriter(redactorFor(o.env, { apiKey: prepared.apiKey, baseUrl: { value: o.baseUrl, name: '--base-url' } }), prepared.runDir, { byPath: startsNoProcess(prepared) });
        this.total = prepared.range.to - prepared.range.from;
        this.leafRecords = new LeafRecords(prepared, this.files, (error) => this.writeFailed(error), (leaf) => this.leafEnded(leaf));
        const labels = prepared.config.steps.map((s) => s.label);
        const board = Object.values(runners).find((runner) => runner.batches !== undefined)?.batches;
        this.progress = new RunProgress(labels, this.total, this.leafRecords.counts, control.onProgress, board);
        this.inputs = new StepInputs(prepared, this.files.redactor);
        this.worktrees = new WorktreeSession({
            workdir: prepared.workdir,
            isolate: o.isolate,
            runId: prepared.runId,
            parallel: o.parallel,
            env: o.env,
            setup: prepared.config.setup,
            timeoutMs: o.timeoutS * 1000,
            signal: control.signal,
            files: this.files,
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
            stop: (reason) => this.stop(reason),
        });
    }
    /** Largest number of steps that executed at once. */
    get peakConcurrency() {
        return this.slots.peak;
    }
    async execute() {
        const { prepared } = this;
        const ran = prepared.shard.count > 1 ? prepared.config.steps : [...prepared.config.steps, ...prepared.config.after];
        const sandboxed = ran.some((s) => s.kind === 'codex' && sandboxOf(s, prepared.options) !== 'danger-full-access');
        if (prepared.codexPath !== undefined && sandboxed)
            await probeSandbox(prepared.codexPath, prepared.workdir, prepared.options.env);
        if (prepared.codexPath !== undefined)
            this.codexVersion = await codexVersion(prepared.codexPath, prepared.workdir, prepared.options.env);
        makeRunDir(prepared);
        // one process per run (per shard of one): two started at once would write the same files
        const lock = lockRun(prepared.runDir, prepared.shard, (0,external_node_path_.join)(prepared.options.outputDir, prepared.runId), prepared.options.resume);
        try {
            // the index of finished flows (leaf-index.ts): the earlier attempt's checked from now on,
            // while the rest starts; this attempt's begun once the leftovers (its temporary file's kind) are gone
            this.vouched = earlierLeafIndex(prepared, this.files.tree);
            if (prepared.options.resume) {
                this.earlier = earlierAttempts(prepared.runDir, prepared.shard);
                removeLeftovers(prepared.runDir);
            }
            this.leafRecords.index = startLeafIndex(prepared, this.files.tree);
            const { index } = this.leafRecords;
            const indexOf = (id) => Number(id.slice('flow_'.length)) - 1;
            // every leaf in results order, as it goes into results.json (during the run for those passed on as they end)
            this.leafRecords.results.onItem = (item) => {
                index?.saw(item, indexOf);
                this.control.onResult?.(item);
            };
            this.leafRecords.open(this.control.onWarning);
            return await this.executeLocked();
        }
        finally {
            this.vouched?.close();
            this.leafRecords.close();
            lock.release();
            this.files.tree.close();
        }
    }
    async executeLocked() {
        const { prepared } = this;
        const started = new Date();
        startRunDir(prepared, () => {
            this.writeRunJson(started, undefined, undefined);
            // what `report` runs the after steps from, in a sharded run
            this.files.write((0,external_node_path_.join)(prepared.runDir, CONFIG_COPY), prepared.configCopy);
        });
        const after = await this.runFlows();
        const resultsPath = (0,external_node_path_.join)(prepared.runDir, 'results.json');
        const kept = this.keptResults(started, resultsPath, after);
        if (kept !== undefined)
            return kept;
        const { index, results } = this.leafRecords;
        const reason = this.stopReason ?? 'not run';
        const totals = await finishRunDir(prepared, async () => {
            // the leaves not passed on as they ended, then both files made of them all
            await results.rest(this.leafRecords.leaves(reason, results.from), after);
            const header = { run_id: prepared.runId, shard: prepared.shard, flows_total: this.total, after };
            const totals = await results.writeResults(resultsPath, header);
            this.writeRunJson(started, new Date(), totals);
            return totals;
        }).catch((error) => {
            index?.abandon();
            throw error;
        });
        index?.finish(); // it lists only flows found succeeded just now (spooled or on disk); else there is none
        const { finalMessages, onlyOutput } = results.seen;
        results.writeReport(prepared.runId, prepared.shard, totals, Date.now() - started.getTime());
        // the closing line counts every result of the run, those kept from an earlier attempt too
        Object.assign(this.leafRecords.counts, { succeeded: totals.succeeded, failed: totals.failed, cancelled: totals.cancelled });
        this.progress.report();
        const { stopReason: stopped, progress } = this;
        return {
            runId: prepared.runId,
            runDir: prepared.runDir,
            resultsPath,
            totals,
            finalMessages,
            onlyOutput,
            after,
            stopped,
            spent: progress.usage,
        };
    }
    /** Runs the flows, then the after steps; ends whatever they left running. */
    async runFlows() {
        const { signal } = this.control;
        const onAbort = () => {
            this.stop('interrupted');
            this.steps.abort(signal.reason);
        };
        signal.addEventListener('abort', onAbort, { once: true });
        if (signal.aborted)
            onAbort();
        try {
            this.vouchedCount = await feed({ ...this.walker.run, walker: this.walker, vouched: this.vouched });
            return await this.after();
        }
        finally {
            this.vouched?.close();
            signal.removeEventListener('abort', onAbort);
            await Promise.all([this.worktrees.removeAll(), ...Object.values(this.runners).map((runner) => runner.close?.())]);
            // a daemon some step left behind outside its process group ends with the run
            (0,cgroup/* endRunCgroup */.XG)();
            (0,sweep/* killTagged */.Ju)();
        }
    }
    /** A resume that ran nothing, every flow vouched for by the index: results.json and report.html stand (leaf-index.ts, unchangedTotals). */
    keptResults(started, resultsPath, after) {
        const { prepared, control } = this;
        const ranNothing = prepared.options.resume && this.vouchedCount === this.total;
        const needsLeaves = control.onResult !== undefined && control.onlyFailures !== true;
        const kept = ranNothing && !needsLeaves && after === null ? unchangedTotals(prepared, resultsPath, this.total) : undefined;
        if (kept === undefined)
            return undefined;
        this.writeRunJson(started, new Date(), kept);
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
            onlyOutput: undefined,
            after,
            stopped: this.stopReason,
            spent: this.progress.usage,
        };
    }
    /**
     * The config's after steps, once every flow ended, over all the run's leaves; null when it has
     * none, and in one shard of several (`report` runs them over the merged leaves).
     */
    async after() {
        const { prepared } = this;
        if (prepared.config.after.length === 0 || prepared.shard.count > 1)
            return null;
        const { result, spent } = await runAfter({
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
            outputOf: (leaf) => wholeOutput(leaf, prepared.runDir),
        }, this.leafRecords.leaves(this.stopReason ?? 'not run'));
        this.progress.usage = (0,model_usage/* addUsage */.vk)(this.progress.usage, spent);
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
        const { failFast } = this.prepared.options;
        if (failFast === undefined || leaf.status !== 'failed' || this.stopReason !== undefined)
            return;
        if (++this.failedLeaves < failFast)
            return;
        const reason = `fail-fast: ${leafLabel(leaf)} failed`;
        this.stop(reason);
        this.steps.abort(new Error(reason));
    }
    /** A file of a flow could not be written: the flow fails; when the run directory itself is unusable, the run stops. */
    writeFailed(error) {
        const broken = unusableRunDir(this.files.tree);
        if (broken !== undefined) {
            this.stop(broken);
            this.steps.abort(new Error(broken));
        }
        return `cannot write the flow's files: ${(0,errors/* errorMessage */.gJ)(error)}`;
    }
    writeRunJson(started, ended, totals) {
        writeRunRecord(this.files, this.prepared, {
            started,
            ended,
            totals,
            codexVersion: this.codexVersion,
            earlier: this.earlier,
            stopped: this.stopReason,
            peakConcurrency: this.slots.peak,
        });
    }
}

;// CONCATENATED MODULE: ./build/action-js/engine/signals.js

/** The exit code a shell gives a process ended by the signal: 130 for SIGINT, 143 for SIGTERM. */
const signalExitCode = (signal) => (signal === 'SIGTERM' ? 143 : 130);
/**
 * The one way the CLI and the Action stop on a signal: the first SIGINT or SIGTERM calls `onFirst`
 * (to say what happens) and aborts `signal`, so running steps end and results are written; a second
 * one ends every step's process group and exits at once, even mid-write, with `signalExitCode`.
 */
function stopOnSignals(onFirst) {
    const controller = new AbortController();
    let first;
    const onSignal = (signal) => {
        if (first !== undefined) {
            (0,steps_process/* killAllProcessTrees */.QU)();
            process.exit(signalExitCode(signal));
        }
        first = signal;
        onFirst(signal);
        controller.abort(new Error(signal));
    };
    process.on('SIGINT', onSignal).on('SIGTERM', onSignal);
    return {
        signal: controller.signal,
        received: () => first,
        dispose: () => void process.off('SIGINT', onSignal).off('SIGTERM', onSignal),
    };
}

;// CONCATENATED MODULE: ./build/action-js/steps/batch/board.js
/** Where the run's batches stand; listeners hear each change (a batch sent, polled or finished). */
class BatchBoard {
    batches = new Map();
    listeners = [];
    /** A batch is pending with `total` requests, `done` of them answered so far. */
    set(id, total, done) {
        const known = this.batches.get(id);
        if (known?.total === total && known.done === done)
            return;
        this.batches.set(id, { total, done });
        this.changed();
    }
    /** The batch finished, or is no longer waited for. */
    remove(id) {
        if (this.batches.delete(id))
            this.changed();
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
        for (const listener of this.listeners)
            listener();
    }
}

// EXTERNAL MODULE: ./build/action-js/steps/retry.js
var retry = __webpack_require__(32283);
;// CONCATENATED MODULE: ./build/action-js/steps/ratelimit.js

/** `1s`, `6m0s`, `20ms`, `1h2m3.5s` (the form of OpenAI's x-ratelimit-reset-* headers) in ms. */
function parseResetDuration(text) {
    if (text == null || text.trim() === '')
        return undefined;
    const value = text.trim();
    if (/^\d+(\.\d+)?$/.test(value))
        return Number(value) * 1000;
    const unit = { h: 3_600_000, m: 60_000, s: 1000, ms: 1 };
    let total = 0;
    let matched = '';
    for (const part of value.matchAll(/(\d+(?:\.\d+)?)(ms|h|m|s)/g)) {
        total += Number(part[1]) * unit[part[2]];
        matched += part[0];
    }
    return matched === value ? total : undefined;
}
const SECOND = 1000;
/**
 * One limiter shared by every model call of a run, pacing call starts. Until the first 429 there
 * is no pace. Each 429 sets the pace just under the rate the server accepted over the last second
 * (so a burst of rejections converges on the server's limit) and makes every caller wait out
 * `Retry-After`; each second without a 429 raises the pace by 5 % to find the limit again (AIMD,
 * as TCP does). When the x-ratelimit headers say the quota is used up, callers wait for its reset
 * instead of being rejected.
 *
 * What the server accepted is estimated two ways, and the larger is taken: the calls started in the
 * second before the rejected call started (a rejection is set against the start `acquire`
 * returned for it, which is when the server found no room), less those rejected; and the calls
 * that succeeded in the last second. The first sees in-flight calls at once; the second holds when
 * start times mislead: when the first burst takes longer than a second to send on a loaded
 * machine, or when calls paced after a burst arrive while the server's second is still full.
 * Once paced, no more calls start in any one second than the pace, counting those already started
 * in it: a server counting requests over a sliding second has, after an unpaced burst, no room
 * until a second after it. (Before, a server taking 200 calls a second was paced down to 130 after
 * the first burst, and took 8 s to climb back; on a loaded machine the pace could fall to 1 a second.)
 */
class RateLimiter {
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
    constructor(now = Date.now) {
        this.now = now;
    }
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
        let start = Math.max(now, this.pausedUntil);
        if (Number.isFinite(this.rate)) {
            start = Math.max(start, this.nextStart);
            const perSecond = Math.max(1, Math.floor(this.rate));
            if (this.starts.length >= perSecond)
                start = Math.max(start, this.starts[this.starts.length - perSecond] + SECOND);
            this.nextStart = start + SECOND / this.rate;
        }
        let at = this.starts.length;
        while (at > 0 && this.starts[at - 1] > start)
            at--;
        this.starts.splice(at, 0, start);
        if (start > now) {
            try {
                await (0,retry/* sleep */.yy)(start - now, signal);
            }
            catch (error) {
                this.drop(start);
                throw error;
            }
        }
        return start;
    }
    /** A call succeeded: probe for a higher pace, and pause when the server says the quota is used up. */
    succeeded(headers) {
        const now = this.now();
        this.successes.push(now);
        if (Number.isFinite(this.rate) && now - this.lastRejection > SECOND && now - this.lastRaise > SECOND) {
            this.rate *= 1.05;
            this.lastRaise = now;
        }
        const remaining = headers?.get('x-ratelimit-remaining-requests');
        if (remaining != null && remaining.trim() !== '' && Number(remaining) <= 0) {
            const reset = parseResetDuration(headers?.get('x-ratelimit-reset-requests'));
            if (reset !== undefined)
                this.pause(reset);
        }
    }
    /**
     * A call was rejected with 429: slow the pace (once per burst) and wait what the server asked.
     * `startedAt` is what `acquire` returned for the call.
     */
    rateLimited(retryAfterMs, startedAt) {
        this.rejected++;
        const now = this.now();
        if (startedAt === undefined)
            this.rejections.push(now);
        else
            this.drop(startedAt);
        this.forget(now);
        // the second before the call started (a call more than a second old has too little of it on
        // record: the second before now instead)
        const end = startedAt !== undefined && now - startedAt <= SECOND ? startedAt : now;
        let started = 0;
        for (const start of this.starts)
            if (start > end - SECOND && start <= end)
                started++;
        const accepted = Math.max(1, started - this.rejections.length, this.successes.length);
        const pace = Math.max(0.5, accepted * 0.95);
        // within a burst the pace only falls, as more of the burst's rejections arrive
        this.rate = now - this.lastRejection <= SECOND ? Math.min(this.rate, pace) : pace;
        this.nextStart = Math.max(this.nextStart, now);
        this.lastRejection = now;
        if (retryAfterMs !== undefined)
            this.pause(retryAfterMs);
    }
    /** Removes one start (a rejected or abandoned call) from those counted. */
    drop(start) {
        const index = this.starts.lastIndexOf(start);
        if (index >= 0)
            this.starts.splice(index, 1);
    }
    /** Drops starts more than two seconds old, and rejections and successes more than one. */
    forget(now) {
        while (this.starts.length > 0 && now - this.starts[0] > 2 * SECOND)
            this.starts.shift();
        for (const times of [this.rejections, this.successes])
            while (times.length > 0 && now - times[0] > SECOND)
                times.shift();
    }
    pause(ms) {
        this.pausedUntil = Math.max(this.pausedUntil, this.now() + Math.min(ms, 120_000));
        this.nextStart = Math.max(this.nextStart, this.pausedUntil);
    }
}

;// CONCATENATED MODULE: ./build/action-js/steps/codex-config.js



/**
 * The `model_provider` set at the top of codex's own config.toml (`$CODEX_HOME`, else `~/.codex`),
 * if any. A provider of the user's own (Azure, a local server) reads its own key variable and URL:
 * orchestrator leaves it alone; only OpenAI's (the default) is replaced by the proxy.
 */
function configuredProvider(env) {
    const home = env.CODEX_HOME || (0,external_node_path_.join)(env.HOME || (0,external_node_os_.homedir)(), '.codex');
    let text;
    try {
        text = (0,external_node_fs_.readFileSync)((0,external_node_path_.join)(home, 'config.toml'), 'utf8');
    }
    catch {
        return undefined;
    }
    for (const line of text.split('\n')) {
        if (/^\s*\[/.test(line))
            break; // top-level keys come before the first table
        const match = /^\s*model_provider\s*=\s*(?:"([^"]*)"|'([^']*)')/.exec(line);
        if (match)
            return match[1] ?? match[2];
    }
    return undefined;
}

// EXTERNAL MODULE: ./build/action-js/steps/schema.js
var schema = __webpack_require__(554);
;// CONCATENATED MODULE: ./build/action-js/steps/codex.js












const PROVIDER = 'orchestrator';
/**
 * `-c` overrides that point codex at an OpenAI-compatible server: the responses proxy, which adds
 * the key itself (no key variable), or without a key `--base-url` itself. Codex's two retry loops
 * multiply (a 5xx is retried by both: (request + 1) × (stream + 1) attempts, 30 with its defaults),
 * so `--retries` goes to the stream loop alone, which also retries 5xx and connection errors, and
 * request retries are off: a failing request is sent `retries + 1` times.
 */
function providerOverrides(baseUrl, retries) {
    const settings = {
        model_provider: PROVIDER,
        [`model_providers.${PROVIDER}.name`]: PROVIDER,
        [`model_providers.${PROVIDER}.base_url`]: baseUrl,
        [`model_providers.${PROVIDER}.wire_api`]: 'responses',
        [`model_providers.${PROVIDER}.request_max_retries`]: 0,
        [`model_providers.${PROVIDER}.stream_max_retries`]: retries,
    };
    return Object.entries(settings).flatMap(([key, value]) => ['-c', `${key}=${JSON.stringify(value)}`]);
}
/** The `codex exec` arguments for one step; the prompt goes on stdin (`-`). */
function codexArgs(request, options) {
    const args = [
        'exec',
        '--sandbox',
        request.sandbox,
        '--skip-git-repo-check',
        '--ephemeral',
        '--json',
        '--output-last-message',
        (0,external_node_path_.join)(request.dir, 'final_message.txt'),
    ];
    if (request.model !== undefined)
        args.push('-m', request.model);
    if (request.step.array)
        args.push('--output-schema', (0,external_node_path_.join)(request.dir, 'output-schema.json'));
    if (options.baseUrl !== undefined)
        args.push(...providerOverrides(options.baseUrl, options.retries));
    if (request.tmpdir !== undefined)
        args.push(...isolationOverrides(request.tmpdir));
    args.push('-');
    return args;
}
/** How a command that codex's sandbox could not start fails (bubblewrap, namespaces, landlock, seccomp). */
const SANDBOX_REFUSAL = /\bbwrap\b|user namespace|uid[ _]map|landlock|seccomp|sandbox (?:error|denied|setup)/i;
/** What the `--json` event stream says: usage, the first error, and commands its sandbox refused. */
class CodexEvents {
    usage = model_usage/* NO_USAGE */.yJ;
    error;
    /** turn.failed is final; an `error` event may not be: codex also sends one per stream retry ("Reconnecting... 1/5"). */
    turnFailed = false;
    /** Commands codex ran, and those its sandbox refused to start. */
    commands = 0;
    refused = [];
    line(text) {
        let event;
        try {
            event = JSON.parse(text);
        }
        catch {
            return; // not an event: kept in stdout.txt, ignored here
        }
        if (event.type === 'item.completed' && event.item?.type === 'command_execution') {
            this.commands++;
            const output = event.item.aggregated_output ?? event.item.output ?? '';
            if (event.item.exit_code !== 0 && SANDBOX_REFUSAL.test(output))
                this.refused.push(output.trim().split('\n').slice(-1)[0] ?? '');
        }
        if (event.type === 'turn.completed' && !this.turnFailed)
            this.error = undefined; // the errors before it were retried
        if (event.type === 'turn.completed' && event.usage) {
            // codex counts its cached input tokens within input_tokens, like the Responses API it calls
            const input = (0,model_usage/* tokenCount */.jt)(event.usage.input_tokens);
            this.usage = (0,model_usage/* addUsage */.vk)(this.usage, {
                input_tokens: input,
                output_tokens: (0,model_usage/* tokenCount */.jt)(event.usage.output_tokens),
                cached_input_tokens: Math.min(input, (0,model_usage/* tokenCount */.jt)(event.usage.cached_input_tokens)),
            });
        }
        else if (event.type === 'error' || (event.type === 'turn.failed' && !this.turnFailed)) {
            if (event.type === 'turn.failed')
                this.error = undefined; // its message is the final word
            this.turnFailed ||= event.type === 'turn.failed';
            this.error ??= event.message ?? event.error?.message ?? JSON.stringify(event);
        }
    }
}
/** Runs `codex exec` non-interactively in the workdir. */
class CodexRunner {
    options;
    proxy;
    constructor(options) {
        this.options = options;
    }
    /**
     * The proxy codex's provider points at, which holds the key (OpenAI, or --base-url upstream);
     * none without a key (codex is pointed at --base-url itself, if given), nor for a provider set in
     * codex's own config.toml, which is left alone.
     */
    async keyProxy() {
        const { apiKey, baseUrl, env } = this.options;
        if (apiKey === undefined)
            return undefined;
        if (baseUrl === undefined && (configuredProvider(env) ?? 'openai') !== 'openai')
            return undefined;
        const upstream = baseUrl === undefined ? undefined : `${baseUrl.replace(/\/+$/, '')}/responses`;
        // node:http is loaded with the proxy: importing it loads fetch's undici too (most of an
        // offline run's start-up otherwise)
        this.proxy ??= Promise.resolve(/* import() eager */).then(__webpack_require__.bind(__webpack_require__, 88784)).then(({ ResponsesProxy }) => ResponsesProxy.start(apiKey, upstream));
        return this.proxy;
    }
    async close() {
        const proxy = this.proxy;
        this.proxy = undefined;
        (await proxy?.catch(() => undefined))?.stop();
    }
    async run(request) {
        const { prompt, dir, timeoutMs, signal, files } = request;
        const events = new CodexEvents();
        const finalMessage = (0,external_node_path_.join)(dir, 'final_message.txt');
        const proxy = await this.keyProxy();
        const server = proxy?.baseUrl ?? (this.options.apiKey === undefined ? this.options.baseUrl : undefined);
        const args = codexArgs(request, { baseUrl: server, retries: this.options.retries });
        let dismiss;
        if (request.step.array)
            files.write((0,external_node_path_.join)(dir, 'output-schema.json'), JSON.stringify(schema/* ARRAY_OUTPUT_SCHEMA */.s, null, 2) + '\n');
        const result = await (0,steps_process/* runProcess */.R3)({
            file: this.options.path,
            args,
            cwd: request.cwd,
            env: {
                ...(0,steps_env/* childEnv */.g)(this.options.env),
                ...request.env,
                ...(request.tmpdir && { TMPDIR: request.tmpdir }),
            },
            input: prompt,
            stdout: files.stream((0,external_node_path_.join)(dir, 'stdout.txt')),
            stderr: files.stream((0,external_node_path_.join)(dir, 'stderr.txt')),
            captureStdout: false,
            onStdoutLine: (line) => events.line(line),
            timeoutMs,
            signal,
            // codex starts its shells in sessions of their own: no group signal reaches them
            sweep: true,
            onSpawn: (pid) => (dismiss = proxy?.admit(pid, args)),
        }).finally(() => dismiss?.());
        const failure = (0,steps_cmd/* processFailure */.i)('codex', result, timeoutMs);
        // codex exits 1 after an error event: its message says more than the exit code and stderr
        if (failure && (events.error === undefined || result.timedOut || result.cancelled))
            throw failure;
        if (events.error !== undefined)
            throw new errors/* StepError */.zg(`codex reported an error: ${events.error}`);
        if (events.commands > 0 && events.refused.length === events.commands) {
            throw new errors/* StepError */.zg(`codex's sandbox refused every command codex ran (${events.commands}), e.g. "${events.refused[0]}". ${SANDBOX_FIXES}`);
        }
        if (!(0,external_node_fs_.existsSync)(finalMessage))
            throw new errors/* StepError */.zg('codex exited without writing a final message');
        // codex's commands could write in this directory: the message is read only as a regular file, not through a link
        const { bytes, size } = (0,safe_read/* readRegular */.VX)(finalMessage, { maxBytes: (0,limits/* maxOutputBytes */.rG)() + 1 });
        if (size > (0,limits/* maxOutputBytes */.rG)()) {
            throw new errors/* StepError */.zg(`codex wrote a final message of ${size} bytes, more than the ${(0,limits/* formatBytes */.z3)((0,limits/* maxOutputBytes */.rG)())} a step may pass on: ask for a shorter answer, or have codex write its result to a file`);
        }
        const output = files.redactor.redact(bytes.toString('utf8'));
        files.write(finalMessage, output);
        return { output, usage: events.usage, finalMessage };
    }
}

;// CONCATENATED MODULE: ./build/action-js/steps/offline.js


/**
 * `--offline`: model and codex steps answer with their own prompt and write the same files a real
 * call would, so a config can be tried without a key or a network. An `array: true` step answers
 * with a one-element array holding its prompt, so the chain after it runs too (one branch).
 */
class OfflineRunner {
    // async, so that a failed write rejects as any runner's failure does
    // eslint-disable-next-line @typescript-eslint/require-await
    async run({ step, prompt: asked, dir, files }) {
        const prompt = step.array ? JSON.stringify([asked]) : asked;
        if (step.kind === 'codex') {
            const finalMessage = (0,external_node_path_.join)(dir, 'final_message.txt');
            const events = [
                { type: 'thread.started', thread_id: 'offline' },
                { type: 'turn.started' },
                { type: 'item.completed', item: { id: 'item_0', type: 'agent_message', text: prompt } },
                { type: 'turn.completed', usage: { input_tokens: 0, cached_input_tokens: 0, output_tokens: 0 } },
            ];
            files.write((0,external_node_path_.join)(dir, 'stdout.txt'), events.map((e) => JSON.stringify(e)).join('\n') + '\n');
            files.write((0,external_node_path_.join)(dir, 'stderr.txt'), '');
            files.write(finalMessage, prompt);
            return { output: prompt, usage: { input_tokens: 0, output_tokens: 0, cached_input_tokens: 0 }, finalMessage };
        }
        files.write((0,tree_paths/* under */.hG)(dir, 'output.txt'), prompt);
        files.write((0,tree_paths/* under */.hG)(dir, 'response.json'), JSON.stringify({ offline: true, output_text: prompt }, null, 2) + '\n');
        return { output: prompt, usage: { input_tokens: 0, output_tokens: 0, cached_input_tokens: 0 } };
    }
}

;// CONCATENATED MODULE: ./build/action-js/steps/factory.js







/**
 * Loads a runner's module when its first step runs: the OpenAI SDK is most of the CLI's start-up
 * time and memory, and a smaller process also forks each cmd step faster.
 */
function lazyRunner(load) {
    let runner;
    return { run: async (request) => (await (runner ??= load())).run(request) };
}
/** A whole number of milliseconds from the environment (tests shorten waits with it), else `fallback`. */
function envMs(env, name, fallback) {
    const value = Number(env[name]);
    return env[name] && Number.isSafeInteger(value) && value >= 0 ? value : fallback;
}
/**
 * The Batch API runner: its board (for the progress line) and close() are there at once, the SDK
 * is loaded when the first step runs.
 */
function batchRunner(setup, batch, notice) {
    const { options } = setup;
    const board = new BatchBoard();
    const quietMs = envMs(options.env, 'ORCHESTRATOR_BATCH_GATHER_MS', 1000);
    const pollMs = envMs(options.env, 'ORCHESTRATOR_BATCH_POLL_MS', 0);
    let runner;
    const load = async () => {
        const { BatchRunner } = await Promise.resolve(/* import() eager */).then(__webpack_require__.bind(__webpack_require__, 94101));
        return new BatchRunner({
            apiKey: setup.apiKey,
            baseUrl: options.baseUrl,
            retry: (0,retry/* defaultRetryPolicy */.ur)(options.retries, options.env),
            runId: setup.runId,
            runDir: setup.runDir,
            resume: options.resume,
            timeoutS: batch.timeoutS,
            cancelOnExit: batch.cancelOnExit,
            board,
            notice,
            gather: { quietMs, maxWaitMs: Math.max(quietMs, 30_000) },
            poll: pollMs > 0 ? { firstMs: pollMs, maxMs: pollMs } : { firstMs: 5000, maxMs: 60_000 },
        });
    };
    return {
        batches: board,
        run: async (request) => (await (runner ??= load())).run(request),
        close: async () => (runner === undefined ? undefined : (await runner).close?.()),
    };
}
/**
 * Chooses the runner for each kind of step, in one place. `notice` tells the user what a runner
 * has to say outside any step (batches left running at the end of a run).
 */
function makeRunners(setup, notice = () => undefined) {
    const { options } = setup;
    const offline = new OfflineRunner();
    const cmd = new steps_cmd/* CmdRunner */.Pp(options.env);
    if (options.offline)
        return { openai: offline, codex: offline, cmd };
    const needsModel = [...setup.config.steps, ...(setup.config.after ?? [])].some(callsModel);
    return {
        openai: !needsModel
            ? offline
            : options.batch !== undefined
                ? batchRunner(setup, options.batch, notice)
                : lazyRunner(async () => {
                    const { OpenAIRunner } = await Promise.resolve(/* import() eager */).then(__webpack_require__.bind(__webpack_require__, 91220));
                    return new OpenAIRunner({
                        apiKey: setup.apiKey,
                        baseUrl: options.baseUrl,
                        retry: (0,retry/* defaultRetryPolicy */.ur)(options.retries, options.env),
                        limiter: new RateLimiter(),
                    });
                }),
        codex: setup.codexPath
            ? new CodexRunner({
                path: setup.codexPath,
                env: options.env,
                apiKey: setup.apiKey,
                baseUrl: options.baseUrl,
                retries: options.retries,
            })
            : offline,
        cmd,
    };
}

;// CONCATENATED MODULE: ./build/action-js/flows/plan.js

/** The matrix for `shards` wanted over `total` flows: capped at 256 and at `total`, so no leg is empty. */
function shardPlan(runId, total, shards) {
    const count = Math.min(shards, MAX_SHARDS, total);
    const include = Array.from({ length: count }, (_, i) => {
        const { from, to } = shardRange(total, { index: i + 1, count });
        return { shard: `${i + 1}/${count}`, flows: to - from };
    });
    return { run_id: runId, total, matrix: { include } };
}

;// CONCATENATED MODULE: ./build/action-js/model/numbers.js
/**
 * A count for people, `1,234,567`: what `toLocaleString('en-US')` gives, without loading ICU's
 * number formatting, whose first use costs a CLI run about 25 ms of start-up (the progress line
 * prints counts in every run). Anything but a safe integer goes to toLocaleString.
 */
function formatCount(n) {
    if (!Number.isSafeInteger(n) || Object.is(n, -0))
        return n.toLocaleString('en-US');
    const digits = String(Math.abs(n));
    let out = digits.slice(0, ((digits.length - 1) % 3) + 1);
    for (let i = out.length; i < digits.length; i += 3)
        out += `,${digits.slice(i, i + 3)}`;
    return n < 0 ? `-${out}` : out;
}

;// CONCATENATED MODULE: ./build/action-js/progress/render.js


const number = formatCount;
/** `draft: 1 -> codex: 0 -> summary: 1   3/10`, and with --batch `   batches: 2 pending, 1,200/3,000 requests done` */
function progressLine(snapshot) {
    const steps = snapshot.labels.map((label, i) => `${label}: ${snapshot.atStep[i] ?? 0}`).join(' -> ');
    return `${steps}   ${countText(snapshot)}${batchesText(snapshot.batches)}`;
}
/** `3/10`: flows finished of the flows to run. */
const countText = (snapshot) => `${snapshot.finished}/${snapshot.total}`;
/** `   batches: 2 pending, 1,200/3,000 requests done`, or nothing when no batch is waiting. */
function batchesText(batches) {
    return batches === undefined || batches.pending === 0
        ? ''
        : `   batches: ${number(batches.pending)} pending, ${number(batches.done)}/${number(batches.requests)} requests done`;
}
/** `1,200 in (800 cached) / 300 out` */
function usageText(usage) {
    const cached = usage.cached_input_tokens ? ` (${number(usage.cached_input_tokens)} cached)` : '';
    return `${number(usage.input_tokens)} in${cached} / ${number(usage.output_tokens)} out`;
}
/** `cost $0.0123`; `cost unknown` when a model without a price was called. */
const costText = (usage) => `cost ${formatUsd(usage.cost_usd === undefined ? 0 : usage.cost_usd)}`;
/** The closing line: counts of leaves, tokens and time. */
function finalLine(snapshot, durationMs) {
    const parts = [`${snapshot.succeeded} succeeded`, `${snapshot.failed} failed`];
    if (snapshot.cancelled > 0)
        parts.push(`${snapshot.cancelled} cancelled`);
    const cached = snapshot.cached ? `; ${cachedText(snapshot.cached)}` : '';
    const tokens = `tokens ${usageText(snapshot.usage)}; ${costText(snapshot.usage)}`;
    return `done: ${parts.join(', ')}; ${tokens}${cached}; ${(durationMs / 1000).toFixed(1)} s`;
}
/** `2 steps from the cache (saved 1,200 in / 300 out)` */
function cachedText(cached) {
    const dollars = cached.saved.cost_usd === undefined ? '' : `, ${formatUsd(cached.saved.cost_usd)}`;
    return `${number(cached.steps)} step${cached.steps === 1 ? '' : 's'} from the cache (saved ${usageText(cached.saved)}${dollars})`;
}

;// CONCATENATED MODULE: ./build/action-js/progress/fit.js

/** Labels are cut to no fewer characters than this before steps are dropped. */
const SHORTEST_LABEL = 4;
const ELLIPSIS = '…';
/**
 * The progress line cut to `width` columns, so a terminal never wraps it (a wrapped line cannot
 * be redrawn in place): `finished/total` always stays; step names are shortened first, then
 * middle steps give way to `…`, then the batch counts go.
 */
function fitProgressLine(snapshot, width) {
    const counts = snapshot.labels.map((_, i) => snapshot.atStep[i] ?? 0);
    const tail = `   ${countText(snapshot)}`;
    const batches = batchesText(snapshot.batches);
    for (const end of [tail + batches, tail]) {
        const room = width - fit_length(end);
        const steps = fitSteps(snapshot.labels, counts, room);
        if (steps !== undefined)
            return steps + end;
    }
    // a terminal narrower than the count itself: the count still shows, wrapped by the terminal
    const count = countText(snapshot);
    return cut(count + batches, Math.max(width, fit_length(count)));
}
/** The steps' part in at most `room` columns, or undefined when even one step does not fit. */
function fitSteps(labels, counts, room) {
    const fits = (text) => fit_length(text) <= room;
    const longest = Math.max(SHORTEST_LABEL, ...labels.map(fit_length));
    for (let most = longest; most >= SHORTEST_LABEL; most--) {
        const text = stepsText(labels, counts, labels.length, most);
        if (fits(text))
            return text;
    }
    // fewer steps: the first and the last kept, the middle ones dropped
    for (let kept = labels.length - 1; kept >= 1; kept--) {
        const text = stepsText(labels, counts, kept, SHORTEST_LABEL);
        if (fits(text))
            return text;
    }
    return undefined;
}
/** `draft: 1 -> … -> summary: 0`: `kept` steps (the first half and the last half), names cut to `most` characters. */
function stepsText(labels, counts, kept, most) {
    const parts = labels.map((label, i) => `${cut(label, most)}: ${counts[i]}`);
    if (kept >= parts.length)
        return parts.join(' -> ');
    const head = Math.ceil(kept / 2);
    return [...parts.slice(0, head), ELLIPSIS, ...parts.slice(parts.length - (kept - head))].join(' -> ');
}
/** In columns, counting each code point as one (step names hold no control characters). */
const fit_length = (text) => [...text].length;
function cut(text, most) {
    const points = [...text];
    return points.length <= most ? text : points.slice(0, Math.max(0, most - 1)).join('') + ELLIPSIS;
}

;// CONCATENATED MODULE: ./build/action-js/progress/printer.js


/** How often a terminal's line is redrawn at most. */
const REDRAW_MS = 100;
const CLEAR_LINE = '\r\x1b[2K';
const unrefTimeout = (task, ms) => {
    const timer = setTimeout(task, ms);
    timer.unref();
    return () => clearTimeout(timer);
};
/**
 * The live progress line on stderr: redrawn in place on a terminal (cut to its width, so it never
 * wraps), throttled plain lines elsewhere. Every line is drawn by one pending timer, set by the
 * first change after a draw: never two lines within one interval, and the first line waits for
 * the flows started in the same turn (it counts all six running steps, not the first).
 */
class ProgressPrinter {
    out;
    options;
    lastLine = '';
    lastPrinted = -Infinity;
    cancel;
    latest;
    started = Date.now();
    schedule;
    constructor(out, options) {
        this.out = out;
        this.options = options;
        this.schedule = options.schedule ?? unrefTimeout;
    }
    update = (snapshot) => {
        this.latest = snapshot;
        if (this.cancel !== undefined)
            return;
        const interval = this.options.tty ? REDRAW_MS : this.options.intervalMs;
        const wait = Math.max(0, this.lastPrinted + interval - Date.now());
        this.cancel = this.schedule(() => {
            this.cancel = undefined;
            this.draw();
        }, wait);
    };
    /** The terminal changed width: the line is drawn again to fit. */
    resize = () => {
        if (this.options.tty && this.lastLine !== '')
            this.draw(true);
    };
    /** Prints the last state and the closing line. */
    finish() {
        this.cancel?.();
        this.cancel = undefined;
        if (this.latest === undefined)
            return;
        const line = this.line(this.latest);
        if (this.options.tty)
            this.out.write(`${CLEAR_LINE}${line}\n`);
        else if (line !== this.lastLine)
            this.out.write(`${line}\n`);
        this.out.write(`${finalLine(this.latest, Date.now() - this.started)}\n`);
    }
    /** Prints a message above the live line. */
    message(text) {
        if (this.options.tty && this.lastLine !== '')
            this.out.write(`${CLEAR_LINE}${text}\n${this.lastLine}`);
        else
            this.out.write(`${text}\n`);
    }
    draw(again = false) {
        if (this.latest === undefined)
            return;
        const line = this.line(this.latest);
        if (line === this.lastLine && !again)
            return;
        this.lastLine = line;
        this.lastPrinted = Date.now();
        this.out.write(this.options.tty ? `${CLEAR_LINE}${line}` : `${line}\n`);
    }
    /** On a terminal, one column short of its width: a line filling the last column wraps on some terminals. */
    line(snapshot) {
        const columns = this.options.tty ? this.options.columns?.() : undefined;
        return columns === undefined || columns < 2 ? progressLine(snapshot) : fitProgressLine(snapshot, columns - 1);
    }
}

;// CONCATENATED MODULE: ./build/action-js/report/markdown.js

/**
 * Escapes untrusted text (model output, file names) for GitHub Markdown, where HTML is allowed:
 * every character that could open a tag, an entity, a link, an image, emphasis, code, a table cell
 * or a mention becomes an HTML entity, so the text shows as written and injects nothing (an `@` is
 * also followed by a zero-width space: an entity alone does not stop a mention).
 */
const ENTITIES = {
    '&': '&amp;',
    '<': '&lt;',
    '>': '&gt;',
    '"': '&quot;',
    "'": '&#39;',
    '|': '&#124;',
    '\\': '&#92;',
    '`': '&#96;',
    '*': '&#42;',
    _: '&#95;',
    '~': '&#126;',
    '[': '&#91;',
    ']': '&#93;',
    '(': '&#40;',
    ')': '&#41;',
    '!': '&#33;',
    '#': '&#35;&#8203;', // the zero-width space keeps #123 from becoming a link, as for @mentions
    // GitHub decodes entities before it looks for @mentions, so `&#64;` alone still notifies:
    // a zero-width space after the `@` keeps the text as written and links nobody
    '@': '&#64;&#8203;',
    ':': '&#58;',
};
const SPECIAL = /[&<>"'|\\`*_~[\]()!#@:]/g;
/**
 * Control characters made visible: C0 controls become their Unicode control pictures (ESC shows as
 * ␛), DEL ␡, C1 controls and bidirectional overrides U+FFFD, so text printed to a terminal (a report
 * in either format, an error line) can neither move the cursor nor recolour the screen, and nothing
 * reorders what is read. `keep` lists the controls left as they are (a newline, a tab).
 */
function visibleControls(text, keep = '') {
    // eslint-disable-next-line no-control-regex -- finding control characters is the point
    return text.replace(/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/gu, (c) => {
        if (keep.includes(c))
            return c;
        const code = c.codePointAt(0);
        if (code < 0x20)
            return String.fromCodePoint(0x2400 + code);
        return code === 0x7f ? '\u2421' : '\ufffd';
    });
}
/** Untrusted text escaped for Markdown (see ENTITIES), its control characters but newlines and tabs made visible. */
function escapeMarkdown(text) {
    return visibleControls(text.replace(/\r\n/g, '\n'), '\n\t').replace(SPECIAL, (c) => ENTITIES[c]);
}
/**
 * A name (a leaf id, a run id, a title) kept readable: letters, digits, space and `. _ - : / ( )`
 * stay as they are (none of them can open a tag, a link, a mention or a cell), every other
 * character is escaped.
 */
function escapeName(text) {
    return text.replace(/[^A-Za-z0-9._:/() -]/gu, (c) => ENTITIES[c] ?? `&#${c.codePointAt(0)};`);
}
/** One line of untrusted text for a table cell: the first non-blank line, cut to `max` characters, escaped. */
function cell(text, max = 120) {
    // a lone CR ends a line in CommonMark too: one left inside a row would end the table
    const line = (text ?? '').split(/\r\n|\r|\n/).find((l) => l.trim() !== '') ?? '';
    const trimmed = line.trim();
    const cut = trimmed.length > max ? `${trimmed.slice(0, max - 1)}…` : trimmed;
    return escapeMarkdown(cut);
}
/** Multi-line untrusted text inside <details>/<pre>: escaped, newlines kept. */
function block(text) {
    return escapeMarkdown(text);
}
function formatDuration(ms) {
    if (ms < 1000)
        return `${ms} ms`;
    const s = ms / 1000;
    if (s < 60)
        return `${s.toFixed(1)} s`;
    const m = Math.floor(s / 60);
    return m < 60 ? `${m} min ${Math.round(s - m * 60)} s` : `${Math.floor(m / 60)} h ${m % 60} min`;
}
const markdown_formatNumber = formatCount;
/**
 * Multi-line untrusted text shown as running text (the after output in a summary or a comment):
 * escaped like a cell, lines kept with `<br>`, blank lines between paragraphs, leading spaces kept,
 * and what only means something at the start of a line (a list marker `-` `+` `1.`, a setext `=`)
 * turned into an entity, which Markdown never reads as structure. It wraps like prose, unlike <pre>.
 */
function prose(text) {
    const paragraphs = [[]];
    for (const raw of text.split(/\r\n|\r|\n/)) {
        const line = raw.trimEnd();
        if (line.trim() === '') {
            if (paragraphs[paragraphs.length - 1].length > 0)
                paragraphs.push([]);
            continue;
        }
        const indent = /^[ \t]*/.exec(line)[0];
        const body = escapeMarkdown(line.slice(indent.length))
            .replace(/^[-+=]/, (c) => `&#${c.charCodeAt(0)};`)
            .replace(/^(\d{1,9})\./, '$1&#46;');
        paragraphs[paragraphs.length - 1].push('&#160;'.repeat(indent.replace(/\t/g, '    ').length) + body);
    }
    return paragraphs
        .filter((p) => p.length > 0)
        .map((p) => p.join('<br>\n'))
        .join('\n\n');
}

;// CONCATENATED MODULE: ./build/action-js/report/after.js

const STATUS = { succeeded: '✅ succeeded', failed: '❌ failed', cancelled: '⏹️ cancelled' };
/** `summarise → polish`, the after steps' names, escaped (they are read back from results.json). */
const chain = (after) => after.steps.map((s) => escapeName(s.name)).join(' → ') || 'after';
/** The text cut to `max` characters, with a note of how much more the artifact holds. */
function after_cut(text, max, where) {
    if (text.length <= max)
        return prose(text);
    return `${prose(text.slice(0, max))}\n\n_…${markdown_formatNumber(text.length - max)} more characters: see ${escapeName(where)} in the artifact._`;
}
/**
 * What the job summary and the PR comment lead with: the after steps' output over all results,
 * escaped like any model output (as running text, lines kept), or their error when they failed.
 * At most `limit` bytes: a long output is cut shorter until it fits, with a note.
 */
function afterSection(after, limit, heading = '###') {
    const last = after.steps[after.steps.length - 1];
    const where = last ? `${last.dir}/output.txt` : 'after/';
    const tokens = after.usage.input_tokens + after.usage.output_tokens;
    const head = `${heading} ${chain(after)} (over all results)\n\n_${STATUS[after.status]}${tokens > 0 ? ` · ${markdown_formatNumber(tokens)} tokens` : ''}_\n\n`;
    for (let max = 60_000;; max = Math.floor(max / 2)) {
        const parts = [];
        if (after.status !== 'succeeded')
            parts.push(`**Error:** ${after_cut(after.error ?? after.status, Math.min(max, 2000), where)}`);
        if (after.output !== null && after.output.trim() !== '')
            parts.push(after_cut(after.output, max, where));
        const section = `${head}${parts.join('\n\n')}\n\n---\n\n`;
        if (Buffer.byteLength(section) <= limit || max < 200)
            return section;
    }
}

;// CONCATENATED MODULE: ./build/action-js/report/baseline.js

const ICON = { new: '🆕', changed: '✏️', unchanged: '➖', 'newly failing': '💥', fixed: '🩹' };
/** The summary's and the comment's lines comparing the run with its baseline: the counts per mark. */
function baselineLines(comparison) {
    const counts = Object.keys(ICON).map((mark) => `${ICON[mark]} ${markdown_formatNumber(comparison.counts[mark])} ${mark}`);
    const extra = [
        ...(comparison.gone > 0 ? [`${markdown_formatNumber(comparison.gone)} baseline results not in this run`] : []),
        ...(comparison.notCompared > 0 ? [`${markdown_formatNumber(comparison.notCompared)} not started (not compared)`] : []),
    ];
    return [
        `**Compared with ${escapeName(comparison.baselineRunId)}:** ${[...counts, ...extra].join(' · ')}`,
        ...checkChangeLines(comparison),
    ];
}
/** Checks listed under the baseline line. */
const LISTED = 20;
/** Checks newly failing and newly passing against the baseline: counts, then the first of each. */
function checkChangeLines({ checks }) {
    if (checks.failing + checks.passing === 0)
        return [];
    const lines = [
        '',
        `**Checks compared with the baseline:** 💥 ${markdown_formatNumber(checks.failing)} newly failing · 🩹 ${markdown_formatNumber(checks.passing)} newly passing`,
    ];
    for (const [icon, list] of [
        ['💥', checks.newlyFailing],
        ['🩹', checks.newlyPassing],
    ])
        for (const c of list.slice(0, LISTED))
            lines.push(`- ${icon} ${cell(c.leaf, 60)} · ${cell(c.key, 100)}: ${cell(c.reason, 200)}`);
    return lines;
}
/** The mark shown beside a leaf's status in the summary table. */
const markCell = (mark) => (mark === undefined ? '' : `<br>${ICON[mark]} ${mark}`);

;// CONCATENATED MODULE: ./build/action-js/report/changes.js

/** `+12 −3`, or `binary` for a file without line counts. */
function counts(change) {
    return change.binary ? 'binary' : `+${markdown_formatNumber(change.added)} −${markdown_formatNumber(change.removed)}`;
}
/** `3 files +12 −3`, `no changes`, or '' when nothing is known (no step ran in a worktree). */
function changesTotal(changes) {
    if (!changes)
        return '';
    if (changes.files.length === 0)
        return 'no changes';
    const files = changes.files.length === 1 ? '1 file' : `${markdown_formatNumber(changes.files.length)} files`;
    return `${files} ${counts(changes)}`;
}
const pathOf = (file) => (file.old_path !== undefined ? `${file.old_path} → ${file.path}` : file.path);
/** The summary table's cell: totals, then the first files with their counts; escaped. */
function changesCell(changes, shown = 3) {
    if (!changes || changes.files.length === 0)
        return changesTotal(changes);
    const files = changes.files.slice(0, shown).map((f) => `${cell(pathOf(f), 60)} ${counts(f)}`);
    const more = changes.files.length > shown ? `<br>…and ${markdown_formatNumber(changes.files.length - shown)} more` : '';
    return `${changesTotal(changes)}<br>${files.join('<br>')}${more}`;
}
/** The diffstat as lines (`path | +12 −3`, escaped) for the PR comment's details; at most `max` files. */
function diffstatBlock(changes, max) {
    const lines = changes.files.slice(0, max).map((f) => `${escapeMarkdown(pathOf(f).replace(/[\r\n]/g, ' '))} | ${counts(f)}`);
    if (changes.files.length > max)
        lines.push(`…and ${markdown_formatNumber(changes.files.length - max)} more files`);
    return lines.join('\n');
}

;// CONCATENATED MODULE: ./build/action-js/report/checks-render.js


/** Failing leaves listed in the Markdown and text sections. */
const checks_render_LISTED = 20;
/** The Markdown section of checks: a table of pass rates per check, then the first failing leaves. Empty without checks. */
function checksMarkdown(tally, heading = '###', listed = checks_render_LISTED) {
    if (tally === undefined || !tally.any)
        return '';
    const rows = tally
        .checks()
        .map((rate) => `| ${cell(rate.key, 160)} | ${escapeMarkdown(checks_rateText(rate))} | ${markdown_formatNumber(rate.failed)} |`);
    const lines = [`${heading} Checks`, '', '| check | passed | failed |', '| --- | --- | --- |', ...rows];
    const failed = tally.failed(listed);
    if (failed.length > 0) {
        lines.push('', `**${markdown_formatNumber(tally.failingLeaves)} results failed a check**${tally.failuresTotal > failed.length ? ` (first ${failed.length} failures)` : ''}:`, '');
        for (const f of failed)
            lines.push(`- ${cell(f.leaf, 60)} · ${cell(f.key, 100)}: ${cell(f.reason, 200)}`);
    }
    return `${lines.join('\n')}\n`;
}
/** The plain-text section of checks (report --format text); `plain` makes untrusted text safe for a terminal. */
function checksText(tally, plain, listed = checks_render_LISTED) {
    if (tally === undefined || !tally.any)
        return [];
    const width = Math.min(60, Math.max(...tally.checks().map((rate) => plain(rate.key).length)));
    const lines = ['checks:'];
    for (const rate of tally.checks())
        lines.push(`  ${plain(rate.key).padEnd(width)}  ${rateText(rate)}`);
    const failed = tally.failed(listed);
    if (failed.length > 0) {
        lines.push(`${formatNumber(tally.failingLeaves)} results failed a check${tally.failuresTotal > failed.length ? ` (first ${failed.length} failures)` : ''}:`);
        for (const f of failed)
            lines.push(`  ${plain(f.leaf)}  ${plain(f.key)}: ${plain(f.reason.split(/\r\n|\r|\n/)[0] ?? '')}`);
    }
    return lines;
}

;// CONCATENATED MODULE: ./build/action-js/report/summary.js









/** GitHub refuses a step summary over 1 MiB; stay well below it. */
const SUMMARY_LIMIT = 1024 * 1024 - 16 * 1024;
const summary_STATUS = {
    succeeded: '✅ succeeded',
    failed: '❌ failed',
    cancelled: '⏹️ cancelled',
};
/** Most of the summary the after output may take. */
const AFTER_LIMIT = 256 * 1024;
/** `flow_0003` or `flow_0003 [2.1]`, escaped: ids come back from files that may have been tampered with. */
const leafName = (leaf) => leafLabel(leaf, escapeName);
function keysCell(keys) {
    return Object.entries(keys)
        .map(([name, path]) => `${escapeMarkdown(name)}: ${cell(path, 80)}`)
        .join('<br>');
}
/** One row for a range of leaves that never started: `flow_0101 … flow_1000000`, the count and the reason. */
function notStartedCells(range) {
    const what = range.from.branch.length === 0 ? 'flows' : 'branches';
    const text = `${markdown_formatNumber(range.count)} ${what} not started: ${range.reason}`;
    return `| ${leafName(range.from)} … ${leafName(range.to)} |  | ${summary_STATUS.cancelled} |  |  | ${cell(text, 160)} |`;
}
function outputCell(leaf) {
    if (leaf.status !== 'succeeded')
        return cell(leaf.error ?? leaf.status, 160);
    return cell(leaf.output, 120);
}
function leafCells(leaf, mark) {
    const tokens = leaf.usage.input_tokens + leaf.usage.output_tokens;
    return `| ${leafName(leaf)} | ${keysCell(leaf.keys)} | ${summary_STATUS[leaf.status]}${markCell(mark)} | ${formatDuration(leaf.duration_ms)} | ${markdown_formatNumber(tokens)} | ${outputCell(leaf)} |`;
}
function totalsLine(totals, durationMs, strong = (text) => `**${text}**`) {
    const parts = [
        `${strong(`${markdown_formatNumber(totals.flows_total)} flows`)} (${markdown_formatNumber(totals.total)} results)`,
        `${markdown_formatNumber(totals.succeeded)} succeeded`,
        `${markdown_formatNumber(totals.failed)} failed`,
        `${markdown_formatNumber(totals.cancelled)} cancelled`,
        `tokens ${markdown_formatNumber(totals.usage.input_tokens)} in / ${markdown_formatNumber(totals.usage.output_tokens)} out`,
    ];
    // absent in results written before costs were
    if (totals.usage.cost_usd !== undefined)
        parts.push(`cost ${formatUsd(totals.usage.cost_usd)}`);
    if (totals.cache !== undefined)
        parts.push(`${markdown_formatNumber(totals.cache.steps)} steps from the cache (saved ${formatUsd(totals.cache.saved.cost_usd)})`);
    if (durationMs !== undefined)
        parts.push(formatDuration(durationMs));
    return parts.join(' · ');
}
/** What the head of a summary (title, totals, notes) may take, set aside while rows are added. */
const HEAD_RESERVE = 8 * 1024;
/**
 * The rows of a summary table, added one leaf at a time (a run feeds them while it writes
 * results.json, so the leaves are read once): rows stop before the size limit, and the rest are
 * only counted.
 */
class SummaryRows {
    limit;
    rows = [];
    size = 400;
    total = 0;
    anyChanges = false;
    /** The checks of every leaf added, shown or not. */
    checks = new CheckTally();
    constructor(limit = SUMMARY_LIMIT - HEAD_RESERVE) {
        this.limit = limit;
    }
    /** `mark`: how the leaf compares with a baseline run (`report --baseline`). */
    add(leaf, mark) {
        const results = isNotStarted(leaf) ? leaf.count : 1;
        this.total += results;
        this.checks.add(leaf);
        if (this.size >= this.limit)
            return;
        const cells = isNotStarted(leaf) ? notStartedCells(leaf) : leafCells(leaf, mark);
        const changes = isNotStarted(leaf) ? changesCell(null) : changesCell(leaf.changes);
        this.anyChanges ||= !isNotStarted(leaf) && leaf.changes != null;
        // counted with its changes cell, which is shown when any leaf has one
        const bytes = Buffer.byteLength(cells) + Buffer.byteLength(changes) + 4;
        if (this.size + bytes >= this.limit) {
            this.size = this.limit;
            return;
        }
        this.size += bytes;
        this.rows.push({ cells, changes, bytes, results });
    }
    /**
     * The table, and a line saying how many results it left out. `limit` (at most the one the rows
     * were gathered under) leaves room for a head that turned out longer, e.g. the after output.
     */
    render(limit = this.limit) {
        const header = this.anyChanges
            ? ['| flow | keys | status | duration | tokens | output | changes |', '| --- | --- | --- | --- | --- | --- | --- |']
            : ['| flow | keys | status | duration | tokens | output |', '| --- | --- | --- | --- | --- | --- |'];
        const table = [];
        let size = 400;
        let shown = 0;
        for (const row of this.rows) {
            if (size + row.bytes >= limit)
                break;
            size += row.bytes;
            shown += row.results;
            table.push(this.anyChanges ? `${row.cells} ${row.changes} |` : row.cells);
        }
        const omitted = this.total - shown;
        const tail = omitted > 0
            ? `\n\n_${markdown_formatNumber(omitted)} more results not shown (GitHub limits a summary to 1 MiB): see results.json in the artifact._`
            : '';
        return `${[...header, ...table].join('\n')}${tail}`;
    }
}
/**
 * The job summary: totals, then one table row per leaf (id, keys, status, duration, tokens, first
 * line of the output or error, and — when any leaf ran in a worktree — the files its patch
 * changes), all untrusted text escaped. Rows stop before the size limit, and the summary says how
 * many were left out. The rows come from `leaves`, or were gathered as the leaves went by (`rows`).
 */
function renderSummary(input) {
    const limit = input.limit ?? SUMMARY_LIMIT;
    const head = [
        `## ${escapeName(input.title)}`,
        '',
        ...(input.after ? [afterSection(input.after, AFTER_LIMIT)] : []),
        totalsLine(input.totals, input.durationMs),
        '',
        ...(input.baseline ? [...baselineLines(input.baseline), ''] : []),
        ...(input.notes ?? []).map((note) => `> ${note}`),
        ...(input.notes?.length ? [''] : []),
    ].join('\n');
    const budget = limit - Buffer.byteLength(head);
    let rows = input.rows;
    if (rows === undefined) {
        rows = new SummaryRows(budget);
        let i = 0;
        for (const leaf of input.leaves ?? [])
            rows.add(leaf, input.baseline?.markAt(i++));
    }
    // pass rates per check and the failing leaves, under the table (room kept for them)
    const checks = checksMarkdown(rows.checks);
    return `${head}\n${rows.render(budget - Buffer.byteLength(checks))}\n${checks === '' ? '' : `\n${checks}`}`;
}
function mergeNotes(run) {
    const notes = [...run.notes];
    if (run.missingShards.length > 0) {
        notes.unshift(`⚠️ ${run.missingShards.length} of ${run.shardCount} shards left no results: ${run.missingShards.map((i) => `${i}/${run.shardCount}`).join(', ')}. Their flows are listed as cancelled.`);
    }
    return notes;
}
/** The summary's line naming where the HTML report is: in `artifact` (undefined: not uploaded, still in `runDir` on the runner). */
function reportHtmlLine(runId, artifact, runDir) {
    return artifact !== undefined
        ? `\nThe HTML report: ${escapeName(`${runId}/report.html`)} in artifact ${escapeName(artifact)} (download it, unzip, open report.html in a browser).\n`
        : `\nThe HTML report: ${escapeName(`${runDir}/report.html`)} on the runner (the run directory was not uploaded).\n`;
}

;// CONCATENATED MODULE: ./build/action-js/util/platform.js

/**
 * Refuses Windows at start, before anything runs: steps run under `sh -c`, are ended by process
 * group (a negative pid) and are found through /proc or `ps`, none of which Windows has. Linux is
 * what is tested; macOS works without the Linux-only guards (see the README's Platforms).
 */
function refuseUnsupportedPlatform(platform = process.platform) {
    if (platform !== 'win32')
        return;
    throw new errors/* UsageError */.eb('orchestrator runs on Linux and macOS, not on Windows (platform "win32"): its steps run under `sh -c` and are stopped by process group, which Windows has not. Run it in WSL 2 or a Linux container; in GitHub Actions, use an ubuntu-* or macos-* runner (runs-on).');
}

// EXTERNAL MODULE: ./build/action-js/util/shelter.js
var shelter = __webpack_require__(91695);
;// CONCATENATED MODULE: ./build/action-js/options/values.js






/**
 * Why a flag's or an input's value is refused: `expected` completes "it must be ...", `problem` is a
 * sentence of its own. The CLI and the Action each add the flag or input and the quoted value.
 */
class BadValue extends Error {
    why;
    constructor(why) {
        super('expected' in why ? `expected ${why.expected}` : why.problem);
        this.name = 'BadValue';
        this.why = why;
    }
}
const expected = (what) => new BadValue({ expected: what });
/** A switch: a CLI flag without argument, an Action input `true`/`false` (also yes/no, on/off, 1/0). */
const values_boolean = (text) => {
    if (/^(true|yes|on|1)$/i.test(text.trim()))
        return true;
    if (/^(false|no|off|0)$/i.test(text.trim()))
        return false;
    throw expected('true or false');
};
const values_text = (value) => value;
const positiveInt = (value) => {
    const n = Number(value);
    if (!/^\s*\d+\s*$/.test(value) || !Number.isSafeInteger(n) || n < 1)
        throw expected('a whole number of 1 or more');
    return n;
};
const nonNegativeInt = (value) => {
    const n = Number(value);
    if (!/^\s*\d+\s*$/.test(value) || !Number.isSafeInteger(n))
        throw expected('a whole number of 0 or more');
    return n;
};
/** US dollars, more than 0, with or without a `$`. */
const dollars = (value) => {
    const usd = parseUsd(value);
    if (usd === undefined)
        throw expected('an amount of US dollars above 0, like 5 or 0.50');
    return usd;
};
/** A step timeout: more than 0 seconds, at most MAX_TIMEOUT_S (a longer timer would fire at once). */
const timeoutSeconds = (value) => {
    const n = Number(value);
    if (value.trim() === '' || !Number.isFinite(n) || n <= 0 || n > MAX_TIMEOUT_S)
        throw expected(`a positive number of seconds, at most ${MAX_TIMEOUT_S} (7 days)`);
    return n;
};
const baseUrl = (value) => {
    const problem = baseUrlProblem(value);
    if (problem !== undefined)
        throw new BadValue({ problem });
    return value;
};
function oneOf(choices) {
    const parse = (value) => {
        if (!choices.includes(value))
            throw expected(`one of: ${choices.join(', ')}`);
        return value;
    };
    return Object.assign(parse, { choices });
}
const api = oneOf(APIS);
const sandbox = oneOf(SANDBOXES);
const isolate = oneOf(['none', 'worktree']);
/** `report --format`: how the merged run is printed. */
const reportFormat = oneOf(['text', 'markdown', 'json']);
const shard = (value) => {
    const parsed = parseShard(value);
    if (typeof parsed !== 'string')
        return parsed;
    const why = parsed.replace(/, got [\s\S]*$/, '');
    throw why.startsWith('expected ') ? expected(why.slice('expected '.length)) : new BadValue({ problem: why });
};
/** The Action's `shards`: GitHub refuses a matrix of more jobs (the CLI's `plan --shards` caps instead). */
const matrixShards = (value) => {
    const n = positiveInt(value);
    if (n > MAX_SHARDS)
        throw new BadValue({ problem: `GitHub runs at most ${MAX_SHARDS} jobs per matrix` });
    return n;
};
/** One key list, `NAME:FILE` (`--key`), or one list of values (`--values`, `kind` "values"). */
const keySpecOf = (kind) => (value) => {
    try {
        return parseKeySpec(value, '', kind);
    }
    catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        const prefix = ` ${JSON.stringify(value)}: `;
        const why = message.startsWith(prefix) ? message.slice(prefix.length) : message;
        throw why.startsWith('expected ') ? expected(why.slice('expected '.length)) : new BadValue({ problem: why });
    }
};
const keySpec = keySpecOf('paths');
const valuesSpec = keySpecOf('values');
/** Artifact names may not hold the characters the artifact service refuses. */
const artifactName = (value) => {
    if (/[/\\"<>:|*?\r\n]/.test(value))
        throw new BadValue({ problem: 'artifact names may not contain / \\ " < > : | * ? or newlines' });
    return value;
};
/** `--status succeeded,failed`: the leaf statuses whose patches `apply` applies. */
const statuses = (value) => {
    const list = value
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
    const bad = list.filter((s) => !results_STATUSES.includes(s));
    if (list.length === 0 || bad.length > 0)
        throw expected(`a comma-separated list of ${results_STATUSES.join(', ')}`);
    return list;
};
const applyMode = (value) => {
    const word = value.trim().toLowerCase();
    if (word === 'commit' || word === 'branch')
        return word;
    try {
        return values_boolean(word) ? 'worktree' : 'off';
    }
    catch {
        throw expected('true (the working tree), commit (a commit per leaf), branch (a branch per leaf) or false');
    }
};
/** A branch name prefix (`codex/`): git checks the names it makes; this refuses what can never be one. */
const branchPrefix = (value) => {
    if (/[\s~^:?*[\\]|\.\.|@\{/.test(value) || value.startsWith('-') || value.startsWith('/'))
        throw new BadValue({ problem: 'a branch name prefix may not start with - or /, nor hold spaces, ~ ^ : ? * [ \\ .. or @{' });
    return value;
};
/** How many flows `--dry-run` shows when no number is given. */
const DRY_RUN_SHOWN = 3;
/** `--dry-run`'s value: how many flows to show (`all`, or a number); empty (a bare `--dry-run`): DRY_RUN_SHOWN. */
const dryRun = (value) => {
    if (value.trim() === '')
        return DRY_RUN_SHOWN;
    if (value.trim() === 'all')
        return 'all';
    try {
        return nonNegativeInt(value);
    }
    catch {
        throw expected('all, or the number of flows to show (e.g. --dry-run=10)');
    }
};
/** `--fail-fast`'s value: how many failed leaves stop the run; empty (a bare `--fail-fast`): 1. */
const failFast = (value) => {
    if (value.trim() === '')
        return 1;
    try {
        return positiveInt(value);
    }
    catch {
        throw expected('the number of failed leaves that stops the run, 1 or more (e.g. --fail-fast 3)');
    }
};
/** The Action's `fail-fast`: `true` (the first failed leaf), `false` (off), or a number of failed leaves. */
const failFastInput = (value) => {
    if (/^(true|yes|on)$/i.test(value.trim()))
        return 1;
    if (/^(false|no|off|0)$/i.test(value.trim()))
        return undefined;
    try {
        return positiveInt(value);
    }
    catch {
        throw expected('true, false, or the number of failed leaves that stops the run (e.g. 3)');
    }
};

;// CONCATENATED MODULE: ./build/action-js/options/spec.js

/** The CLI's commands. */
const COMMANDS = (/* unused pure expression or super */ null && (['run', 'plan', 'report', 'apply']));
/** The Action's modes. */
const MODES = ['run', 'plan', 'report'];
/** `report`'s after steps: unset unless given, then a run's default (never the run's run.json: records are data, not settings). */
const afterSteps = { default: undefined };
/** An option with a default. */
const spec_option = (spec) => spec;
/** An option whose absence is undefined. */
const optional = (spec) => ({
    ...spec,
    default: undefined,
});
/** A switch, off unless given (the Action's input may default otherwise). */
const flag = (spec) => ({
    ...spec,
    parse: values_boolean,
    switch: true,
    default: false,
});
/** A repeatable flag / a one-per-line input. */
const list = (spec) => ({
    ...spec,
    list: true,
    default: [],
});

;// CONCATENATED MODULE: ./build/action-js/options/entries/action.js
/** The Action's own inputs: what it does with a run's results (artifacts, summary, comment, baseline, apply) and its setup. Part of the one table of options (../table.ts). */


const ACTION = {
    apply: spec_option({
        parse: applyMode,
        default: 'off',
        input: {
            name: 'apply',
            modes: ['run', 'report'],
            yml: 'false',
            description: "`run` or `report`: after the flows, apply the patches of the run's succeeded leaves (`isolate: worktree`), as `orchestrator apply` does: each once, in leaf order, with a 3-way merge. `true`: to the workspace, as uncommitted edits; `commit`: one commit per leaf on the checked-out branch (`orchestrator apply --commit`); `branch`: one commit per leaf from HEAD on a branch of its own, `<branch-prefix><leaf>`, the checkout left as it was (`--branch`). A leaf whose patch conflicts, or cannot be applied (not a patch, a directory turned into a file), is skipped whole and fails the step (with `fail-on-error`); a leaf already applied (a commit of HEAD or its branch names it, or its changes are there) is skipped and not counted as a problem. Outputs `applied`, `conflicts`, `branches` and `pr-body`.",
        },
    }),
    branchPrefix: spec_option({
        parse: branchPrefix,
        default: 'orchestrator/',
        cli: {
            flag: '--branch <prefix>',
            help: 'put each leaf on a branch of its own, <prefix><leaf> (e.g. codex/flow_0003), one commit from HEAD; HEAD, the index and the working tree are left as they are',
            default: undefined,
            commands: { apply: {} },
        },
        input: {
            name: 'branch-prefix',
            modes: ['run', 'report'],
            description: "With `apply: branch`: each leaf's branch is this prefix and the leaf (`orchestrator/flow_0003`, `orchestrator/flow_0003-2.1` for a branch of an array step).",
        },
    }),
    artifactName: spec_option({
        parse: artifactName,
        default: 'orchestrator',
        input: {
            name: 'artifact-name',
            modes: ['run', 'report'],
            description: 'Prefix of artifact names: `<artifact-name>-<run_id>-shard-<I>-of-<N>` (`-all` when unsharded).',
        },
    }),
    upload: spec_option({
        parse: values_boolean,
        default: true,
        input: { name: 'upload', modes: ['run', 'report'], description: 'Upload the run directory as an artifact.' },
    }),
    summary: spec_option({
        parse: values_boolean,
        default: true,
        input: { name: 'summary', modes: ['run', 'report'], description: 'Write the job summary table.' },
    }),
    comment: flag({
        input: {
            name: 'comment',
            modes: ['report'],
            description: '`report`: create or update one pull-request comment with the results (needs `pull-requests: write`).',
        },
    }),
    baselineRunId: optional({
        parse: positiveInt,
        input: {
            name: 'baseline-run-id',
            modes: ['report'],
            description: "`report`: the id of another workflow run (e.g. the last run on `main`) whose merged artifact (`<artifact-name>-<run id>-merged`, or `-all` for an unsharded run) is the baseline: each leaf, matched by its keys, is marked new, changed, unchanged, newly failing or fixed in the job summary, the comment and report.html. Needs `github-token` with `actions: read`. A run of a fork's code (its head repository is not this repository) is refused.",
        },
    }),
    failOnError: spec_option({
        parse: values_boolean,
        default: true,
        input: { name: 'fail-on-error', modes: ['run', 'report'], description: 'Fail the step when any flow failed or was cancelled.' },
    }),
    githubToken: optional({
        parse: values_text,
        input: {
            name: 'github-token',
            modes: ['report'],
            yml: '${{ github.token }}',
            description: 'Token for the GitHub API (PR comments, artifacts of other runs). Masked like the key; no step can read it.',
        },
    }),
    codexVersion: optional({
        parse: values_text,
        input: {
            name: 'codex-version',
            modes: ['run'],
            description: 'Version of `@openai/codex` to install from npm when the config has codex steps and `codex` is not on PATH.',
        },
    }),
};

;// CONCATENATED MODULE: ./build/action-js/options/entries/commands.js
/** The options of the CLI's `report` and `apply` commands alone. Part of the one table of options (../table.ts). */


const commands_COMMANDS = {
    mergedOutput: optional({
        parse: values_text,
        cli: {
            flag: '--output <dir>',
            help: "write the merged run there (<dir>/<run_id>/): merged results.json (each leaf names its shard's folder), run and shard records, report.html",
            commands: { report: {} },
        },
    }),
    copyTrees: flag({
        cli: {
            flag: '--copy-trees',
            help: "with --output: also copy the shards' flow directories there (symbolic links are left out)",
            commands: { report: {} },
        },
    }),
    open: flag({
        cli: {
            flag: '--open',
            help: 'print the path of the merged report.html (open it in a browser: it needs nothing else)',
            commands: { report: {} },
        },
    }),
    reportFormat: optional({
        parse: reportFormat,
        cli: {
            flag: '--format <format>',
            help: 'what to print: text (an aligned table, for a terminal), markdown (the GitHub job summary) or json (the merged results, as results.json holds them)',
            shownDefault: '`text` on a terminal, else `markdown`',
            commands: { report: {} },
        },
    }),
    baseline: optional({
        parse: values_text,
        cli: {
            flag: '--baseline <dir>',
            help: 'another run (its directory, or a folder of its shards) to compare with: each leaf, matched by its keys, is new, changed, unchanged, newly failing or fixed',
            commands: { report: {} },
        },
    }),
    checkout: optional({
        parse: values_text,
        cli: {
            flag: '--workdir <dir>',
            help: 'the git checkout to apply to (default: the current directory)',
            commands: { apply: {} },
        },
    }),
    statuses: spec_option({
        parse: statuses,
        default: ['succeeded'],
        cli: {
            flag: '--status <list>',
            help: 'apply leaves with these statuses (comma-separated: succeeded, failed, cancelled)',
            commands: { apply: {} },
        },
    }),
    commit: flag({
        cli: {
            flag: '--commit',
            help: "commit each leaf's patch on HEAD, one commit per leaf in leaf order (config commit_message, trailer Orchestrator-Run: <run id>/<leaf>); refuses when the files they change have uncommitted changes",
            commands: { apply: {} },
        },
    }),
    prBody: optional({
        parse: values_text,
        cli: {
            flag: '--pr-body <file>',
            help: 'write a pull-request body (Markdown) there: each applied and skipped leaf, its keys, the files it changed, the start of its final message',
            commands: { apply: {} },
        },
    }),
    redo: optional({
        parse: values_text,
        cli: {
            flag: '--redo <dir>',
            help: 'write there, per key, the list of the files of the leaves that conflicted (<dir>/<KEY>.txt), to run them again on the new HEAD with --key KEY:<dir>/<KEY>.txt',
            commands: { apply: {} },
        },
    }),
    check: flag({
        cli: {
            flag: '--check',
            help: 'report what would apply and what would conflict, changing nothing',
            commands: { apply: {} },
        },
    }),
};

;// CONCATENATED MODULE: ./build/action-js/options/entries/models.js
/** The options of model and codex calls: which model and server, the key, retries, spend limits, the reply cache, the Batch API. Part of the one table of options (../table.ts). */



const MODELS = {
    model: optional({
        parse: values_text,
        cli: {
            flag: '--model <model>',
            help: 'model for steps that name none (after the config defaults, before OPENAI_MODEL)',
            readme: 'model for steps that name none',
            commands: { run: {}, report: { help: 'after steps: model for steps that name none', ...afterSteps } },
        },
        input: {
            name: 'model',
            modes: ['run', 'report'],
            description: "Model for steps that name none (after the config's defaults, before OPENAI_MODEL).",
        },
    }),
    api: optional({
        parse: api,
        cli: {
            flag: '--api <api>',
            help: 'API of openai steps that name none: responses (default) or chat',
            readme: 'API of openai steps that name none',
            shownDefault: '`responses`',
            commands: { run: {}, report: { help: 'after steps: API of openai steps that name none (default responses)', ...afterSteps } },
        },
        input: { name: 'api', modes: ['run', 'report'], description: 'API of openai steps that name none: `responses` or `chat`.' },
    }),
    baseUrl: optional({
        parse: baseUrl,
        cli: {
            flag: '--base-url <url>',
            help: 'an OpenAI-compatible server (http:// or https://), for openai and codex steps (default: OPENAI_BASE_URL)',
            readme: 'an OpenAI-compatible server (`http://` or `https://`; anything else is refused, exit 2), for openai and codex steps (openai steps otherwise use `OPENAI_BASE_URL`; codex ignores that variable and uses its own configuration)',
            commands: {
                run: {},
                report: { help: 'after steps: an OpenAI-compatible server (default: OPENAI_BASE_URL, else OpenAI)', ...afterSteps },
            },
        },
        input: {
            name: 'base-url',
            modes: ['run', 'report'],
            description: 'An OpenAI-compatible server (an http:// or https:// URL) for openai and codex steps (default OPENAI_BASE_URL, then api.openai.com).',
        },
    }),
    apiKey: optional({
        parse: values_text,
        input: {
            name: 'openai-api-key',
            modes: ['run', 'report'],
            description: 'The API key, e.g. `${{ secrets.OPENAI_API_KEY }}`; falls back to the OPENAI_API_KEY environment variable. Masked; held in memory by the SDK and by the loopback proxy codex reaches the model through; no step, codex included, can read it.',
        },
    }),
    offline: flag({
        cli: {
            flag: '--offline',
            help: 'model and codex steps answer with their own prompt instead of calling out',
            readme: 'model and codex steps echo their prompt (an `array: true` one answers `["<its prompt>"]`: one branch, so the rest of the chain runs); cmd steps still run',
            commands: {
                run: {},
                report: { help: 'after steps: model and codex steps answer with their own prompt', ...afterSteps },
            },
        },
        input: {
            name: 'offline',
            modes: ['run', 'report'],
            description: 'Model and codex steps answer with their own prompt instead of calling out (cmd steps still run); needs no key.',
        },
    }),
    retries: spec_option({
        parse: nonNegativeInt,
        default: DEFAULT_RETRIES,
        cli: {
            flag: '--retries <n>',
            help: 'retries of a model call after 429, 5xx, connection errors and timeouts',
            readme: 'retries of a model call (codex steps too, with `--base-url`)',
            commands: { run: {}, report: { help: `after steps: retries of a model call (default ${DEFAULT_RETRIES})`, ...afterSteps } },
        },
        input: {
            name: 'retries',
            modes: ['run', 'report'],
            description: 'Retries of a model call after 429, 5xx, connection errors and timeouts.',
        },
    }),
    codexPath: optional({
        parse: values_text,
        cli: {
            flag: '--codex-path <path>',
            help: 'the codex binary (default: codex on PATH)',
            readme: 'the codex binary',
            shownDefault: '`codex` on PATH',
            commands: { run: {}, report: { help: 'after steps: the codex binary (default: codex on PATH)', ...afterSteps } },
        },
    }),
    tokenBudget: optional({
        parse: positiveInt,
        cli: {
            flag: '--token-budget <n>',
            help: 'start no new step once input+output tokens reach N',
            readme: 'start no new step once this process\'s input+output tokens reach N; unfinished flows end `cancelled` ("token budget reached")',
            commands: { run: {}, report: { help: 'after steps: start none once their input+output tokens reach N', ...afterSteps } },
        },
        input: {
            name: 'token-budget',
            modes: ['run', 'report'],
            description: "Start no new step once this job's input+output tokens reach this number (per shard in a matrix).",
        },
    }),
    maxCost: optional({
        parse: dollars,
        cli: {
            flag: '--max-cost <usd>',
            help: 'start no new step once this run\'s model calls cost USD dollars (prices: README "Spend")',
            readme: 'start no new step once this process\'s model calls cost USD dollars (`5`, `0.50`); unfinished flows end `cancelled` ("cost limit reached"); refused (exit 2) when a step\'s model has no price (see Spend)',
            commands: {
                run: {},
                report: { help: "after steps: start none once their model calls cost USD dollars (the config's prices)", ...afterSteps },
            },
        },
        input: {
            name: 'max-cost',
            modes: ['run', 'report'],
            description: "Start no new step once this job's model calls cost this many US dollars, e.g. `5` or `0.50` (per shard in a matrix; prices: the built-in OpenAI list prices and the config's `prices`, see README: Spend). Refused when a step's model has no price.",
        },
    }),
    cacheDir: optional({
        parse: values_text,
        cli: {
            flag: '--cache <dir>',
            help: 'answer openai calls already answered (same model, API, settings and prompt) from DIR, and keep new replies there; codex steps are never cached',
            readme: 'answer openai calls already answered (same model, API, settings and full prompt, same server) from DIR at no cost, and keep new replies there (see Caching replies); codex steps are never cached',
            commands: { run: {} },
        },
    }),
    cache: flag({
        input: {
            name: 'cache',
            modes: ['run'],
            description: 'Keep openai replies in the Actions cache and answer a call identical to one already answered (same model, API, settings, full prompt) from it, at no cost; restored before the run, saved after under `<artifact-name>-cache-v1-<config>-<shard>-<run id>-<attempt>` (see README: Caching replies). Codex steps are never cached.',
        },
    }),
    batch: flag({
        cli: {
            flag: '--batch',
            help: 'send openai steps through the Batch API at half price: requests ready together go in one batch, polled until done (--timeout then bounds the wait for a batch, default 24 h)',
            readme: 'send openai steps through the Batch API at half price, gathered into batches and polled; `--timeout` then bounds the wait for a batch, default 24 h (see Batch API)',
            commands: { run: {} },
        },
        input: {
            name: 'batch',
            modes: ['run'],
            description: 'Send openai steps through the OpenAI Batch API at half price: requests ready together go in one batch, polled until done; batch ids are saved in the run directory, so a re-run (with `resume`) collects the same batches instead of paying again (README: Batch API).',
        },
    }),
    batchCancelOnExit: flag({
        cli: {
            flag: '--batch-cancel-on-exit',
            help: 'with --batch: cancel unfinished batches when the run stops (by default they are left running for --resume)',
            readme: 'with `--batch`: cancel unfinished batches when the run stops (by default they are left running for `--resume`)',
            commands: { run: {} },
        },
        input: {
            name: 'batch-cancel-on-exit',
            modes: ['run'],
            description: 'With `batch: true`: cancel batches still running when the job stops (by default they are left running for a re-run to collect).',
        },
    }),
};

;// CONCATENATED MODULE: ./build/action-js/options/entries/run.js
/** The options of what runs and where: the config, its keys, shards, the run directory, codex's working tree. Part of the one table of options (../table.ts). */




const RUN = {
    mode: spec_option({
        parse: oneOf(MODES),
        default: 'run',
        input: {
            name: 'mode',
            modes: MODES,
            description: "What to do: `run` the flows, `plan` the shards for a matrix job, or `report` (merge the shards' results).",
        },
    }),
    config: optional({
        parse: values_text,
        cli: {
            flag: '--config <file>',
            help: "the config the shards ran: its after steps run (never the run directory's copy, which must agree with it); without it none run",
            commands: { report: {} },
        },
        input: {
            name: 'config',
            modes: MODES,
            description: "Path of the config file (JSON), relative to the workspace. Needed by `run` and `plan`; in `report`, the only source of the after steps (a file of the report job's checkout, which must be the config the shards ran): without it none run, and a run whose records list some fails the step.",
        },
    }),
    keys: list({
        parse: keySpec,
        cli: {
            flag: '--key <name:file>',
            help: 'FILE lists one path per line; {{{NAME}}} stands for the contents of each (repeatable)',
            readme: 'repeatable; see Keys',
            commands: { run: {}, plan: { help: 'as for run (repeatable)' } },
        },
        input: {
            name: 'keys',
            modes: ['run', 'plan'],
            description: "Key lists, one `NAME:FILE` per line; FILE lists one path per line and `{{{NAME}}}` stands for each file's contents, `{{{NAME:path}}}` for its path.",
        },
    }),
    values: list({
        parse: valuesSpec,
        joins: 'keys',
        cli: {
            flag: '--values <name:file>',
            help: 'FILE lists one value per line; {{{NAME}}} stands for each line itself (ids, URLs, short texts); mixes with --key in the order given (repeatable)',
            readme: 'repeatable; each line of FILE is a value, not a path; with `--key`, in the order given (see Keys)',
            commands: { run: {}, plan: { help: 'as for run (repeatable)' } },
        },
        input: {
            name: 'values',
            modes: ['run', 'plan'],
            description: 'Lists of values, one `NAME:FILE` per line; each line of FILE is a value that `{{{NAME}}}` stands for (ids, URLs, short texts), not a path. They multiply the flows after the `keys` lists.',
        },
    }),
    parallel: spec_option({
        parse: positiveInt,
        default: DEFAULT_PARALLEL,
        cli: {
            flag: '--parallel <n>',
            help: 'most flows and branches in progress at once',
            readme: 'most flows and branches in progress (steps executing) at once',
            commands: { run: {} },
        },
        input: { name: 'parallel', modes: ['run'], description: 'Most flows and branches in progress (steps executing) at once.' },
    }),
    timeoutS: spec_option({
        parse: timeoutSeconds,
        default: DEFAULT_TIMEOUT_S,
        cli: {
            flag: '--timeout <s>',
            help: 'seconds for one attempt of any step (a step may set its own "timeout")',
            readme: 'seconds for one attempt of any step, at most 604800 (7 days); a step may set its own `timeout`; with `--batch` the longest wait for one batch (default 86400)',
            commands: { run: {}, report: { help: `after steps: seconds for one attempt (default ${DEFAULT_TIMEOUT_S})`, ...afterSteps } },
        },
        input: {
            name: 'timeout',
            modes: ['run', 'report'],
            // empty, so that `batch: true` can tell "not given" (then 24 h per batch)
            yml: '',
            description: "Seconds for one attempt of any step (at most 604800, 7 days; default 1800); a step may set its own `timeout`. With `batch: true` it bounds the wait for one batch instead (default 86400, 24 h): mind the job's 6 h limit (README: Batch API).",
        },
    }),
    workdir: spec_option({
        parse: values_text,
        default: '.',
        cli: {
            flag: '--workdir <dir>',
            help: 'working directory of codex and cmd steps (default: the current directory)',
            readme: 'working directory of codex and cmd steps',
            shownDefault: '`.`',
            default: undefined,
            commands: {
                run: {},
                report: { help: 'after steps: working directory of codex and cmd steps (default: the current directory)', ...afterSteps },
            },
        },
        input: {
            name: 'workdir',
            modes: ['run', 'report'],
            description: 'Working directory of codex and cmd steps, relative to the workspace.',
        },
    }),
    appendFilepath: flag({
        cli: { flag: '--append-filepath', help: "in prompts, follow each file's contents with its path", commands: { run: {} } },
        input: { name: 'append-filepath', modes: ['run'], description: "In prompts, follow each interpolated file's contents with its path." },
    }),
    outputDir: spec_option({
        parse: values_text,
        default: DEFAULT_OUTPUT,
        cli: { flag: '--output <dir>', help: 'where run directories go', commands: { run: {} } },
    }),
    shard: optional({
        parse: shard,
        cli: {
            flag: '--shard <i/n>',
            help: 'run only shard I of N of the flows',
            readme: 'run only shard I of N (contiguous ranges of flows, sizes within one); needs `--run-id`, shared by the shards',
            commands: { run: {} },
        },
        input: {
            name: 'shard',
            modes: ['run'],
            description: 'Run only this shard, `I/N` (e.g. `${{ matrix.shard }}` from a `plan` job).',
        },
    }),
    shards: optional({
        parse: positiveInt,
        cli: {
            flag: '--shards <n>',
            help: `number of shards wanted (capped at ${MAX_SHARDS} and at the number of flows)`,
            required: true,
            commands: { plan: {} },
        },
        input: {
            name: 'shards',
            modes: ['plan'],
            parse: matrixShards,
            description: `\`plan\`: number of shards wanted (capped at ${MAX_SHARDS} and at the number of flows).`,
        },
    }),
    runId: optional({
        parse: values_text,
        cli: {
            flag: '--run-id <id>',
            help: 'the run directory name (run_ is added when missing; default: unique, sortable by time)',
            readme: 'run directory name: letters, digits, `.`, `_`, `-`, at most 100 characters with `run_` (added when missing)',
            shownDefault: 'unique, sortable by time',
            commands: { run: {}, plan: { help: 'the run id the shards share (default: unique, sortable by time)' } },
        },
        input: {
            name: 'run-id',
            modes: MODES,
            description: 'Run id shared by the shards of one run: letters, digits, `.`, `_`, `-`, at most 100 characters (`run_` is added when missing). Default: `run_gh<GITHUB_RUN_ID>`.',
        },
    }),
    dryRun: optional({
        parse: dryRun,
        cli: {
            flag: '--dry-run [n]',
            help: `check the config and keys as a run would, then print the flow count, the first flows' steps with their prompts and commands (${DRY_RUN_SHOWN}; --dry-run=N or --dry-run=all for more) and what the calls may cost; runs and writes nothing`,
            readme: "check the config and keys as a run would (same errors, exit 2), then print the flow count, the first flows' steps with their resolved prompts and commands (`--dry-run=N`, `--dry-run=all`) and the calls' prices; calls no model, runs no command, writes nothing (see Dry run)",
            shownDefault: `off; ${DRY_RUN_SHOWN} flows shown`,
            commands: { run: {} },
        },
    }),
    failFast: optional({
        parse: failFast,
        cli: {
            flag: '--fail-fast [n]',
            help: 'stop at the first failed leaf (or the Nth): no new step starts, running ones are ended, the rest is cancelled (exit 1; --resume carries on)',
            readme: "stop at the first failed leaf (`--fail-fast N`: the Nth): no new step starts, running steps are ended as on Ctrl-C, unfinished flows end `cancelled` (exit 1); `--resume` carries on (GNU parallel's `--halt now,fail=1`)",
            shownDefault: 'off',
            commands: { run: {} },
        },
        input: {
            name: 'fail-fast',
            modes: ['run'],
            parse: failFastInput,
            yml: 'false',
            description: '`true`: stop at the first failed leaf (a number N: at the Nth); no new step starts, running steps are ended, unfinished flows end `cancelled`. `false` (default): every flow runs.',
        },
    }),
    resume: flag({
        cli: {
            flag: '--resume',
            help: 'with the same --output and --run-id: run only flows that did not succeed',
            readme: 'with the same `--output` and `--run-id`: run only flows that did not succeed, and steps whose inputs changed (see Resuming a run); refused (exit 2) when the config or key lists changed',
            commands: { run: {} },
        },
        input: {
            name: 'resume',
            modes: ['run'],
            default: true,
            description: 'On a re-run of a job, download its own artifact from the earlier attempt and run only the flows that did not succeed.',
        },
    }),
    sandbox: optional({
        parse: sandbox,
        cli: {
            flag: '--sandbox <mode>',
            help: `sandbox of codex steps that set none (nor the config): read-only, workspace-write or danger-full-access (default: ${DEFAULT_SANDBOX})`,
            readme: "sandbox of codex steps that set none (the step's `sandbox`, then the config's, win); the Action's `sandbox` input",
            shownDefault: `\`${DEFAULT_SANDBOX}\``,
            commands: {
                run: {},
                report: { help: `after steps: sandbox of codex steps that set none (default ${DEFAULT_SANDBOX})`, ...afterSteps },
            },
        },
        input: {
            name: 'sandbox',
            modes: ['run', 'report'],
            description: "Sandbox of codex steps that set none (nor the config): `read-only`, `workspace-write` (when empty) or `danger-full-access`; the CLI's `--sandbox`.",
        },
    }),
    isolate: spec_option({
        parse: isolate,
        default: 'none',
        cli: {
            flag: '--isolate <mode>',
            help: 'codex working tree: none (one shared workdir) or worktree (a git worktree per flow, changes saved as changes.patch)',
            readme: '`none`: one shared workdir for codex steps; `worktree`: a git worktree per flow and branch, changes saved as `changes.patch` (see Codex in CI)',
            commands: { run: {}, report: { help: 'after steps: codex working tree, none or worktree (default none)', ...afterSteps } },
        },
        input: {
            name: 'isolate',
            modes: ['run', 'report'],
            description: 'Working tree of codex steps: `none` (one shared workdir) or `worktree` (a git worktree per flow at HEAD; its changes are saved as `changes.patch` in the step directory).',
        },
    }),
};

;// CONCATENATED MODULE: ./build/action-js/options/table.js




/** Every option, in the order of action.yml's inputs and of the CLI's help. */
const OPTIONS = { ...RUN, ...MODELS, ...ACTION, ...commands_COMMANDS };
/** The groups the table is made of (a name in two of them would hide one: the test checks). */
const OPTION_GROUPS = { RUN: RUN, MODELS: MODELS, ACTION: ACTION, COMMANDS: commands_COMMANDS };
/** The table's entries, in its order. */
const optionEntries = () => Object.entries(OPTIONS);
/** Every option's default: what a command or mode that does not take an option gets. */
function defaultValues() {
    return Object.fromEntries(optionEntries().map(([name, spec]) => [name, spec.default]));
}

;// CONCATENATED MODULE: ./build/action-js/options/run-options.js


/** RunOptions from the table's values, for the CLI and the Action alike; `place` has the last word. */
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
        codexPath: undefined,
        tokenBudget: values.tokenBudget,
        maxCost: values.maxCost,
        failFast: values.failFast,
        dryRun: values.dryRun !== undefined,
        resume: values.resume,
        shard: values.shard,
        isolate: values.isolate,
        sandbox: values.sandbox,
        batch: values.batch,
        optionNames: optionNames(),
        ...place,
    };
}
/** Every option's flag and Action input, for the config's "did you mean the option" hints. */
function optionNames() {
    return optionEntries().flatMap(([, spec]) => spec.cli === undefined ? [] : [{ flag: spec.cli.flag.split(' ')[0], ...(spec.input === undefined ? {} : { input: spec.input.name }) }]);
}
/**
 * `batch`: openai steps go through the Batch API; the timeout, when given, bounds the wait for one
 * batch, else 24 h (the Batch API's completion window). Undefined without `batch`.
 */
function batchSettings(values, given) {
    if (!values.batch)
        return undefined;
    return { timeoutS: given.has('timeoutS') ? values.timeoutS : DEFAULT_BATCH_TIMEOUT_S, cancelOnExit: values.batchCancelOnExit };
}

// EXTERNAL MODULE: ./build/action-js/steps/model-request.js
var model_request = __webpack_require__(12364);
// EXTERNAL MODULE: ./build/action-js/steps/reply.js
var steps_reply = __webpack_require__(98885);
;// CONCATENATED MODULE: ./build/action-js/cache/key.js


/** Changes when what an entry holds, or what its key covers, changes: older entries are then misses. */
const CACHE_FORMAT = 1;
/**
 * The key of a model call in the response cache: sha256 of the request body exactly as it is sent
 * (model, API, structured output, the full prompt, and any setting a request gains later) and the
 * server it goes to, without the user name and password a base URL may carry. Two calls with the
 * same key would be asked the same thing of the same server.
 */
function cacheKey(request, baseUrl) {
    const parts = { v: CACHE_FORMAT, api: request.api, base_url: withoutCredentials(baseUrl), body: request.body };
    return (0,external_node_crypto_.createHash)('sha256').update(JSON.stringify(parts)).digest('hex');
}

;// CONCATENATED MODULE: ./build/action-js/cache/store.js









/** Why an entry read back is not used: it is then a miss, with a warning naming the file. */
class CorruptEntry extends Error {
}
const HEX_KEY = /^[0-9a-f]{64}$/;
/**
 * The response cache on disk (`--cache DIR`): one file per request, named by its key (cache/key.ts),
 * `DIR/v1/<first two hex digits>/<key>.json`. Entries are written whole through a temporary file
 * and a rename, so runs sharing the directory at the same time (two shards, two CI jobs on one
 * machine) see an entry whole or not at all; two runs writing the same entry write the same reply
 * to the same request, and either one may stay. Entries read back are data from outside the run
 * (the Action restores them from the Actions cache): they are read without following links,
 * size-capped and validated (CacheEntry, then the reply itself by the caller); one that is not
 * valid is a miss, never an error.
 */
class ResponseCache {
    dir;
    /** Entries this process wrote: the Action saves the cache only when it gained some. */
    written = 0;
    root;
    tree;
    /** `dir`: the directory, absolute; `where`: what set it, for messages (`--cache "cache"`). */
    constructor(dir, where = `--cache ${JSON.stringify(dir)}`) {
        this.dir = dir;
        this.root = (0,external_node_path_.join)(dir, `v${CACHE_FORMAT}`);
        this.tree = new safe_tree/* SafeTree */.Sw(this.root);
        try {
            (0,safe_tree/* makeDirectories */.Kb)(this.root);
            if (!(0,external_node_fs_.statSync)(this.root).isDirectory())
                throw new Error('it is not a directory');
        }
        catch (error) {
            throw new errors/* UsageError */.eb(`${where}: cannot use it as the response cache: ${(0,errors/* errorMessage */.gJ)(error)}`, {
                cause: error,
            });
        }
    }
    /** The file of an entry. */
    path(key) {
        if (!HEX_KEY.test(key))
            throw new Error(`not a cache key: ${JSON.stringify(key)}`);
        return (0,external_node_path_.join)(this.root, key.slice(0, 2), `${key}.json`);
    }
    /**
     * The entry for `key`, or undefined when there is none. Throws CorruptEntry when a file is there
     * but is not an entry for this key (the caller warns and calls the model).
     */
    read(key) {
        // a reply is at most maxOutputBytes of text; its JSON body a little more
        const cap = 2 * (0,limits/* maxOutputBytes */.rG)() + 64 * 1024;
        const path = this.path(key);
        let text;
        try {
            text = (0,safe_read/* readTreeFile */.xt)(path, { maxBytes: cap }).toString('utf8');
        }
        catch (error) {
            const code = error.code;
            if (code === 'ENOENT' || code === 'ENOTDIR')
                return undefined;
            throw new CorruptEntry(error instanceof safe_tree/* UnsafePathError */.k0 ? `it ${error.problem}` : (0,errors/* errorMessage */.gJ)(error));
        }
        let parsed;
        try {
            parsed = JSON.parse(text);
        }
        catch {
            throw new CorruptEntry('it is not JSON');
        }
        if (!(0,is_object/* isObject */.G)(parsed))
            throw new CorruptEntry('it is not a JSON object');
        if (parsed.schema !== CACHE_FORMAT)
            throw new CorruptEntry(`its "schema" is ${JSON.stringify(parsed.schema)}, not ${CACHE_FORMAT}`);
        if (parsed.key !== key)
            throw new CorruptEntry('its "key" is not the key its file is named by');
        if (parsed.api !== 'responses' && parsed.api !== 'chat')
            throw new CorruptEntry('its "api" is neither "responses" nor "chat"');
        if (!(0,is_object/* isObject */.G)(parsed.response))
            throw new CorruptEntry('its "response" is not a JSON object');
        return { schema: CACHE_FORMAT, key, api: parsed.api, response: parsed.response };
    }
    /** Stores the reply to the request `key`: a temporary file of this process, renamed into place. */
    write(entry) {
        const path = this.path(entry.key);
        const temporary = (0,external_node_path_.join)((0,external_node_path_.dirname)(path), `.${entry.key}.${process.pid}.${(0,external_node_crypto_.randomBytes)(6).toString('hex')}.tmp`);
        const text = JSON.stringify({ schema: CACHE_FORMAT, key: entry.key, api: entry.api, response: entry.response });
        // the shard directory is ours: a link there would send the entry elsewhere, and is refused
        try {
            this.tree.write(temporary, text);
        }
        catch (error) {
            // a full disk: no half-written temporary file is left in the cache
            (0,external_node_fs_.rmSync)(temporary, { force: true });
            throw error;
        }
        try {
            (0,external_node_fs_.renameSync)(temporary, path);
        }
        catch (error) {
            (0,external_node_fs_.rmSync)(temporary, { force: true });
            throw error;
        }
        this.written++;
    }
}

;// CONCATENATED MODULE: ./build/action-js/cache/runner.js









/** A step whose reply would not be used: an array step's reply must be an array, or the flow fails and asks again. */
const unusable = (step, reply) => step.array && 'error' in parseArrayOutput(reply.output, step.maxItems);
/**
 * openai steps through the response cache (`--cache DIR`): a request already answered is answered
 * from the cache, at no cost, and marked `cached`; any other goes to the model, and its reply is
 * stored once it is whole. Failed calls, cut-short or refused replies (the runner throws) and an
 * array step's reply that is not an array are never stored. Codex steps are not cached: they act
 * on files, and an answer alone would not redo what they did.
 */
class CachedRunner {
    inner;
    cache;
    baseUrl;
    warn;
    warned = new Set();
    constructor(inner, cache, 
    /** The server openai steps call (`--base-url`, else OPENAI_BASE_URL): part of the key. */
    baseUrl, warn) {
        this.inner = inner;
        this.cache = cache;
        this.baseUrl = baseUrl;
        this.warn = warn;
    }
    async run(request) {
        const call = (0,model_request/* modelRequest */.T)(request.step, request.model, request.api, request.prompt);
        const key = cacheKey(call, this.baseUrl);
        const hit = this.answer(key, request);
        if (hit !== undefined)
            return hit;
        const result = await this.inner.run(request);
        const reply = result.response === undefined ? undefined : { output: result.output, usage: result.usage };
        if (reply !== undefined && !request.signal.aborted && !unusable(request.step, reply)) {
            try {
                // masked as response.json is: the cache travels (the Actions cache), a key must not
                this.cache.write({ key, api: call.api, response: request.files.redactor.redactValue(result.response) });
            }
            catch (error) {
                this.warnOnce('write', `cannot write to the response cache (${(0,errors/* errorMessage */.gJ)(error)}): replies are not kept for later runs`);
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
            const entry = this.cache.read(key);
            if (entry === undefined)
                return undefined;
            if (entry.api !== request.api)
                throw new CorruptEntry(`its "api" is "${entry.api}", not "${request.api}"`);
            response = entry.response;
            // the same checks as a fresh reply: an entry cut short, refused or empty is not an answer
            try {
                reply = entry.api === 'chat' ? (0,steps_reply/* readChatReply */.vt)(response) : (0,steps_reply/* readResponsesReply */.Fg)(response);
            }
            catch (error) {
                throw new CorruptEntry(`its reply is not usable: ${(0,errors/* errorMessage */.gJ)(error)}`);
            }
            if (unusable(request.step, reply))
                throw new CorruptEntry('its reply is not the JSON array an array step needs');
            const max = (0,limits/* maxOutputBytes */.rG)();
            if (Buffer.byteLength(reply.output) > max)
                throw new CorruptEntry(`its reply is larger than the ${(0,limits/* formatBytes */.z3)(max)} a step's output may be`);
        }
        catch (error) {
            const why = error instanceof CorruptEntry ? error.message : `it cannot be read: ${(0,errors/* errorMessage */.gJ)(error)}`;
            this.warnOnce(key, `the response cache entry ${this.cache.path(key)} is not used (${why}): the model is called instead`);
            return undefined;
        }
        const { files, dir } = request;
        files.write((0,external_node_path_.join)(dir, 'response.json'), JSON.stringify(response, null, 2) + '\n');
        files.write((0,external_node_path_.join)(dir, 'output.txt'), reply.output);
        return { output: files.redactor.redact(reply.output), usage: model_usage/* NO_USAGE */.yJ, cached: reply.usage ?? model_usage/* NO_USAGE */.yJ, response };
    }
    warnOnce(what, message) {
        if (this.warned.has(what))
            return;
        this.warned.add(what);
        this.warn(message);
    }
}
/**
 * The runners with openai steps going through the cache. Offline steps call nothing and are not
 * cached; codex and cmd steps never are.
 */
function withCache(runners, setup, cache, warn) {
    const { options } = setup;
    if (options.offline)
        return runners;
    const baseUrl = options.baseUrl ?? (options.env.OPENAI_BASE_URL || undefined);
    return { ...runners, openai: new CachedRunner(runners.openai, cache, baseUrl, warn) };
}

;// CONCATENATED MODULE: ./build/action-js/report/merged-source.js
/**
 * A merged run read back: the `--output` of `orchestrator report` holds the merged results.json,
 * the run and shard records and no flow directory; each leaf's `tree` says which shard folder holds
 * its files. Reporting it again (or applying its patches) reads that file, and takes a tree only
 * when it leads to a run directory of the same run: a tampered file cannot point a report or
 * `apply` at any other directory.
 */







/** A shard's record, checked field by field: a tampered one is refused, naming the file and field. */
function readRecord(path, at = path) {
    let value;
    try {
        value = JSON.parse((0,safe_read/* readRegular */.VX)(at).bytes.toString('utf8'));
    }
    catch (error) {
        throw new errors/* UsageError */.eb(`${path}: not a readable JSON file (${(0,errors/* errorMessage */.gJ)(error).split(at).join(path)})`);
    }
    try {
        return parseRunRecord(value, path);
    }
    catch (error) {
        if (error instanceof DataError)
            throw new errors/* UsageError */.eb(error.message);
        throw error;
    }
}
/**
 * The merged results.json of a run whose shard records all lie in one directory (a merged
 * output): one file covering every flow (shard 1/1, all flows, same run). Undefined otherwise.
 */
function merged_source_mergedSource(run, hasOwnResults) {
    const dirs = new Set(run.shardRecordDirs);
    if (run.shardCount === 1 || dirs.size !== 1 || hasOwnResults)
        return undefined;
    const dir = [...dirs][0];
    const path = (0,external_node_path_.join)(dir, 'results.json');
    try {
        if (!(0,external_node_fs_.lstatSync)(path).isFile())
            return undefined;
        const results = results_file_openResultsFile(path);
        const { header } = results;
        if (header.run_id !== run.runId || header.shard.count !== 1 || header.flows_total !== run.total)
            return undefined;
        // what the shards that ended counted must be what the merged file counts (a shard re-run since does not match)
        if (run.shardRecords.every((r) => r.totals)) {
            const sum = (k) => run.shardRecords.reduce((n, r) => n + r.totals[k], 0);
            if (sum('succeeded') !== header.succeeded || sum('failed') !== header.failed)
                return undefined;
        }
        return { dir, results };
    }
    catch {
        return undefined;
    }
}
/**
 * The items of a merged results.json, each `tree` checked (a relative path to a directory whose
 * run.json is a record of this run with the same config) and given relative to `treesFrom`
 * (undefined: the trees are dropped); `trees` collects every tree given, with its directory.
 */
function* mergedSourceItems(source, run, treesFrom, rebase, trees) {
    const checked = new Map();
    const config = run.shardRecords[0]?.config.hash;
    const treeDir = (tree, index) => {
        const known = checked.get(tree);
        if (known !== undefined)
            return known;
        const where = `${source.results.file}: flows[${index}]: field "tree"`;
        if (tree === '' || (0,external_node_path_.isAbsolute)(tree) || tree.includes('\\') || tree.split('/').some((part) => part === '' || part === '.'))
            throw new errors/* UsageError */.eb(`${where} must be a relative path of a shard's run directory, not ${JSON.stringify(tree.slice(0, 80))}`);
        const dir = (0,external_node_path_.resolve)(source.dir, tree);
        let record;
        try {
            record = readRecord((0,external_node_path_.join)(dir, 'run.json'));
        }
        catch (error) {
            throw new errors/* UsageError */.eb(`${where}: ${JSON.stringify(tree)} is not a run directory (${(0,errors/* errorMessage */.gJ)(error)}): the shard folders must stay where they were when the run was merged`);
        }
        if (record.run_id !== run.runId || record.config.hash !== config)
            throw new errors/* UsageError */.eb(`${where}: ${JSON.stringify(tree)} holds run ${record.run_id}, not a shard of ${run.runId} (same config)`);
        checked.set(tree, dir);
        return dir;
    };
    let index = 0;
    try {
        for (const item of results_file_readResultsItems(source.results, { total: run.total, from: 0, to: run.total })) {
            if (item.tree === undefined) {
                yield item;
            }
            else {
                const dir = treeDir(item.tree, index);
                const tree = treesFrom === undefined ? '' : rebase(treesFrom, dir);
                if (tree !== '')
                    trees?.set(tree, dir);
                yield { ...item, tree: tree === '' ? undefined : tree };
            }
            if (!('count' in item))
                index++;
        }
    }
    catch (error) {
        if (error instanceof DataError)
            throw new errors/* UsageError */.eb(error.message);
        throw error;
    }
}

;// CONCATENATED MODULE: ./build/action-js/report/merge.js












const isDir = (path) => {
    try {
        return (0,external_node_fs_.statSync)(path).isDirectory();
    }
    catch {
        return false;
    }
};
/**
 * Run directories (holding run.json) at or below each directory, up to a few levels down: each
 * directory as named, those below it walked through the safe-file layer (OpenDir), never through
 * a link.
 */
function findRunDirs(dirs, depth = 4) {
    const found = [];
    const visit = (dir, left) => {
        try {
            if ((0,external_node_fs_.existsSync)(dir.entry('run.json'))) {
                found.push(dir.path);
                return;
            }
            if (left === 0)
                return;
            for (const entry of dir.entries()) {
                if (entry.isDirectory() && entry.name !== 'node_modules' && !entry.name.startsWith('.') && !/^flow_\d+$/.test(entry.name)) {
                    const below = dir.dir(entry.name);
                    if (below !== undefined)
                        visit(below, left - 1);
                }
            }
        }
        finally {
            dir.close();
        }
    };
    for (const path of dirs) {
        const dir = isDir(path) ? open_dir/* OpenDir */.E.under(path) : undefined;
        if (dir === undefined)
            throw new errors/* UsageError */.eb(`${path}: not a directory`);
        visit(dir, depth);
    }
    return found;
}
/** Reads the records of every shard under `dirs`; there must be exactly one run there. */
function loadMergedRun(dirs) {
    const runDirs = findRunDirs(dirs);
    if (runDirs.length === 0)
        throw new errors/* UsageError */.eb(`no run found under ${dirs.join(', ')}: expected a directory holding run.json (e.g. generated/run_...)`);
    const shardRecords = [];
    const shardRecordDirs = [];
    for (const dir of runDirs) {
        const found = readShardRecords(dir);
        if (found.length === 0)
            found.push(readRecord((0,external_node_path_.join)(dir, 'run.json')));
        shardRecords.push(...found);
        shardRecordDirs.push(...found.map(() => dir));
    }
    const runIds = [...new Set(shardRecords.map((r) => r.run_id))];
    if (runIds.length !== 1) {
        throw new errors/* UsageError */.eb(runIds.length === 0
            ? `no readable run.json under ${dirs.join(', ')}`
            : `more than one run found (${runIds.join(', ')}): report one run at a time`);
    }
    const counts = [...new Set(shardRecords.map((r) => r.shard.count))];
    const totals = [...new Set(shardRecords.map((r) => r.flows.total))];
    if (counts.length !== 1 || totals.length !== 1) {
        throw new errors/* UsageError */.eb(`the shards of ${runIds[0]} disagree on the number of shards (${counts.join(', ')}) or flows (${totals.join(', ')})`);
    }
    const shardCount = counts[0];
    const present = new Set(shardRecords.map((r) => r.shard.index));
    const missingShards = [...range(1, shardCount + 1)].filter((i) => !present.has(i));
    checkSameDefinition(runIds[0], shardRecords);
    const notes = [];
    const starts = shardRecords.map((r) => Date.parse(r.started_at)).filter(Number.isFinite);
    const ends = shardRecords.map((r) => (r.ended_at ? Date.parse(r.ended_at) : NaN)).filter(Number.isFinite);
    const durationMs = starts.length > 0 && ends.length > 0 ? Math.max(...ends) - Math.min(...starts) : undefined;
    return { runId: runIds[0], total: totals[0], shardCount, missingShards, runDirs, shardRecords, shardRecordDirs, durationMs, notes };
}
/** The records in the run directory's shards/ (a link there is not followed). */
function readShardRecords(dir) {
    const shards = open_dir/* OpenDir */.E.under(dir, 'shards');
    if (shards === undefined)
        return [];
    try {
        const names = shards.entries().filter((entry) => SHARD_RECORD.test(entry.name));
        return names.map(({ name }) => readRecord((0,external_node_path_.join)(dir, 'shards', name), shards.entry(name)));
    }
    finally {
        shards.close();
    }
}
const SHARD_RECORD = /^\d+-of-\d+\.json$/;
/**
 * Shards that ran different configs or key lists cannot be merged: flow ids are positions, so the
 * same id would name different flows. Names each config and the shards that ran it.
 */
function checkSameDefinition(runId, records) {
    const groups = new Map();
    for (const record of records) {
        const key = `${record.config.hash}/${record.keys_hash}`;
        groups.set(key, [...(groups.get(key) ?? []), record]);
    }
    if (groups.size <= 1)
        return;
    const described = [...groups.values()].map((group) => {
        const first = group[0];
        const shards = group.map((r) => `${r.shard.index}/${r.shard.count}`).join(', ');
        return `shard${group.length > 1 ? 's' : ''} ${shards} ran ${JSON.stringify(first.config.file)} (config hash ${first.config.hash.slice(0, 12)}, key-list hash ${first.keys_hash.slice(0, 12)})`;
    });
    throw new errors/* UsageError */.eb(`the shards of ${runId} ran different configs or key lists: ${described.join('; ')}. ` +
        'Flow ids are positions, so their results cannot be merged: run every shard with one config and the same key lists');
}
/**
 * Where the leaves of one shard are read from: its own results.json when it is whole and agrees with
 * the shard's record (the shard ended, same run, shard and totals), else its leaves' result.json
 * files (a shard killed mid-run, or resumed and killed, wrote none or an older one). Undefined when
 * the results file is usable; else why not.
 */
function resultsProblem(dir, record) {
    const path = (0,external_node_path_.join)(dir, RESULTS);
    try {
        if (!(0,external_node_fs_.lstatSync)(path).isFile())
            return { why: `${RESULTS} is not a regular file` };
    }
    catch {
        return { why: `it has no ${RESULTS}` };
    }
    let results;
    try {
        results = results_file_openResultsFile(path);
    }
    catch (error) {
        if (error instanceof DataError)
            return { why: error.message };
        return { why: `${path}: ${(0,errors/* errorMessage */.gJ)(error)}` };
    }
    const { header } = results;
    const shard = `${record.shard.index}/${record.shard.count}`;
    if (header.run_id !== record.run_id || header.shard.index !== record.shard.index || header.shard.count !== record.shard.count)
        return { why: `${path} is not shard ${shard}'s (it says ${header.run_id}, shard ${header.shard.index}/${header.shard.count})` };
    if (!record.ended_at || !record.totals)
        return { why: `shard ${shard} did not end (its record has no end time or totals)` };
    if (!sameTotals(header, record.totals) || header.flows_total !== record.flows.to - record.flows.from + 1)
        return { why: `${path} does not hold the totals of shard ${shard}'s record (an earlier attempt's?)` };
    return { results };
}
const RESULTS = 'results.json';
/** The run `--baseline` names (its directory, or a folder of its shards); errors say it is the baseline. */
function loadBaseline(dir) {
    try {
        return loadMergedRun([dir]);
    }
    catch (error) {
        if (error instanceof errors/* UsageError */.eb)
            throw new errors/* UsageError */.eb(`--baseline ${dir}: ${error.problems.join('; ')}`);
        throw error;
    }
}
/** The present shards in index order, each from the first directory holding its record, with where its leaves are read from. */
function shardSources(run) {
    const byIndex = new Map();
    run.shardRecords.forEach((record, i) => {
        if (byIndex.has(record.shard.index))
            return;
        const dir = run.shardRecordDirs[i];
        const { results, why } = resultsProblem(dir, record);
        byIndex.set(record.shard.index, { record, dir, results, fallback: why });
    });
    return [...byIndex.values()].sort((a, b) => a.record.shard.index - b.record.shard.index);
}
/** Each shard whose leaves are read one by one (no usable results.json of its own, and no merged one): why. */
function slowShards(run) {
    const found = shardSources(run);
    const own = found.some((s) => s.results !== undefined);
    if (mergedSource(run, own) !== undefined)
        return [];
    return found.filter((s) => s.fallback !== undefined);
}
/** The directory holding a leaf's flow directory, relative to `from` ('' for `from` itself). */
const treeOf = (from, dir) => (0,external_node_path_.relative)(from, dir).split(external_node_path_.sep).join('/');
/**
 * Every leaf of the merged run, in order, shard by shard: from each shard's results.json (see
 * shardSources), or from its leaves on disk; flows no shard ran are never-started (cancelled), with
 * the reason. Reading a results file that turns out not to be what orchestrator wrote throws a
 * UsageError naming it and the field.
 */
function* mergedLeaves(run, options = {}) {
    const found = shardSources(run);
    // a merged output (records only, the merged results.json naming the shard folders)
    const merged = merged_source_mergedSource(run, found.some((s) => s.results !== undefined));
    if (merged !== undefined) {
        yield* mergedSourceItems(merged, run, options.treesFrom, treeOf, options.trees);
        return;
    }
    const sources = new Map(found.map((s) => [s.record.shard.index, s]));
    for (let index = 1; index <= run.shardCount; index++) {
        const source = sources.get(index);
        if (source === undefined) {
            const range = shardRange(run.total, { index, count: run.shardCount });
            yield* unstartedFlows(range.from, range.to, (i) => flowId(i, run.total), () => ({}), missingReason(index, run.shardCount));
            continue;
        }
        const { record, dir } = source;
        const tree = options.treesFrom === undefined ? '' : treeOf(options.treesFrom, dir);
        if (tree !== '')
            options.trees?.set(tree, dir);
        const bounds = { total: run.total, from: record.flows.from - 1, to: record.flows.to };
        const items = source.results !== undefined
            ? results_file_readResultsItems(source.results, bounds)
            : // a killed shard: its leaves on disk, and those only its results.jsonl lists
                withUnwritten(leavesAcross([dir], run.total, bounds, () => ({}), () => ({ reason: record.stopped ?? 'not run', until: Infinity })), leavesOnlyInLines(dir, record.shard));
        try {
            // a tree named in a file (a step can rewrite its result.json) is not taken: only where it was found
            for (const item of items)
                yield tree === '' && item.tree === undefined ? item : { ...item, tree: tree === '' ? undefined : tree };
        }
        catch (error) {
            if (error instanceof DataError)
                throw new errors/* UsageError */.eb(`${error.message}. Remove that file to read the shard's leaves instead`);
            throw error;
        }
    }
}
const missingReason = (index, count) => `shard ${index}/${count} is missing: its job left no results`;

;// CONCATENATED MODULE: ./build/action-js/apply/git.js





const exec = (0,external_node_util_.promisify)(external_node_child_process_.execFile);
class GitError extends Error {
    stderr;
    constructor(message, stderr) {
        super(message);
        this.stderr = stderr;
        this.name = 'GitError';
    }
}
/** Runs git in `cwd`; throws a GitError holding git's own account. */
async function git_git(cwd, args, env = {}) {
    try {
        const { stdout } = await exec('git', args, {
            cwd,
            maxBuffer: 1024 * 1024 * 1024,
            // paths are paths, never patterns (a file may be called `*.md`)
            env: { ...process.env, GIT_TERMINAL_PROMPT: '0', GIT_LITERAL_PATHSPECS: '1', ...env },
        });
        return stdout;
    }
    catch (error) {
        const raw = error.stderr;
        const stderr = typeof raw === 'string' ? raw : Buffer.isBuffer(raw) ? raw.toString('utf8') : '';
        throw new GitError(`git ${args[0]}: ${stderr.trim() || error.message}`, stderr);
    }
}
/** What PatchApplier.apply says of a patch whose changes are there already. */
const ALREADY = Symbol('already applied');
/** git's account of why `git apply --3way` failed: the files in conflict, or its errors. */
function conflictAccount(error) {
    const lines = (error.stderr ?? '').split('\n');
    const unmerged = lines.filter((l) => l.startsWith('U ')).map((l) => l.slice(2));
    const errors = lines.filter((l) => l.startsWith('error: '));
    if (unmerged.length > 0)
        return `merge conflict in ${unmerged.join(', ')}`;
    return errors.join('; ') || error.message;
}
/** Paths a patch touches (both sides of a rename), as git itself reads the patch. */
async function patchPaths(top, patch) {
    const out = await git_git(top, ['apply', '--numstat', '-z', patch]);
    const parts = out.split('\0');
    const paths = [];
    for (let i = 0; i < parts.length; i++) {
        const record = parts[i];
        if (record === '')
            continue;
        const path = /^[^\t]*\t[^\t]*\t([\s\S]*)$/.exec(record)?.[1];
        if (path === undefined)
            continue;
        if (path === '') {
            // a rename or copy: "" then the old and the new path
            paths.push(parts[i + 1], parts[i + 2]);
            i += 2;
        }
        else
            paths.push(path);
    }
    return paths;
}
/**
 * Applies patches to a checkout through a private index, so that a patch is applied whole or not
 * at all: each is merged (`git apply --cached --3way`) into an index holding HEAD plus the
 * working tree's state of the paths involved; only when that succeeds are its paths written to the
 * working tree. A conflict leaves the working tree and the repository's own index untouched.
 */
class PatchApplier {
    top;
    dir;
    index;
    constructor(top) {
        this.top = top;
        this.dir = (0,external_node_fs_.mkdtempSync)((0,external_node_path_.join)((0,external_node_os_.tmpdir)(), 'orchestrator-apply-'));
        this.index = (0,external_node_path_.join)(this.dir, 'index');
    }
    /** An applier for the repository holding `checkout`; throws a GitError when it is not a git checkout with a commit. */
    static async open(checkout) {
        const top = (await git_git(checkout, ['rev-parse', '--show-toplevel'])).trim();
        await git_git(top, ['rev-parse', '--verify', '--quiet', 'HEAD']);
        const applier = new PatchApplier(top);
        await applier.indexed(['read-tree', 'HEAD']);
        return applier;
    }
    indexed(args) {
        return git_git(this.top, args, { GIT_INDEX_FILE: this.index });
    }
    /**
     * Brings the working tree's state of `paths` (contents, or absence) into the private index. A
     * path that is a directory there is, to the index, no file (git refuses to add it as one): the
     * files in it that a patch touches are paths of their own.
     */
    async track(paths) {
        const files = paths.filter((path) => !this.isDirectory(path));
        if (files.length > 0)
            await this.indexed(['update-index', '--add', '--remove', '--', ...files]);
    }
    isDirectory(path) {
        try {
            return (0,external_node_fs_.lstatSync)((0,external_node_path_.join)(this.top, path), { throwIfNoEntry: false })?.isDirectory() === true;
        }
        catch {
            return false; // below a file (ENOTDIR): not there
        }
    }
    /**
     * Applies one patch to the private index; with `write`, then to the working tree. Resolves to
     * undefined when it applied, ALREADY when it does not apply but its reverse does (its changes are
     * there already: applying a run twice adds nothing), or git's account of the conflict.
     */
    async apply(patch, paths, write) {
        const backup = (0,external_node_path_.join)(this.dir, 'index.before');
        (0,external_node_fs_.copyFileSync)(this.index, backup);
        const check = (reverse) => this.indexed(['apply', '--cached', '--check', '--whitespace=nowarn', ...(reverse ? ['--reverse'] : []), patch]).then(() => true, () => false);
        if (!(await check(false)) && (await check(true)))
            return ALREADY;
        try {
            await this.indexed(['apply', '--cached', '--3way', '--whitespace=nowarn', patch]);
        }
        catch (error) {
            (0,external_node_fs_.copyFileSync)(backup, this.index);
            return conflictAccount(error);
        }
        const present = new Set((await this.indexed(['ls-files', '--cached', '-z', '--', ...paths])).split('\0').filter(Boolean));
        const kept = paths.filter((p) => present.has(p));
        // git would replace the directory with the file, and every file in it, tracked or not, with it
        const replaced = kept.filter((p) => this.isDirectory(p));
        if (replaced.length > 0) {
            (0,external_node_fs_.copyFileSync)(backup, this.index);
            return `it turns the directory ${replaced.join(', ')} into a file, which would delete everything in it: apply it by hand`;
        }
        if (write) {
            if (kept.length > 0)
                await this.indexed(['checkout-index', '-f', '--', ...kept]);
            // a file the patch deleted, unless a directory of the patch's files now stands in its place
            for (const path of paths)
                if (!present.has(path) && !this.isDirectory(path))
                    (0,external_node_fs_.rmSync)((0,external_node_path_.join)(this.top, path), { force: true });
        }
        return undefined;
    }
    close() {
        (0,external_node_fs_.rmSync)(this.dir, { recursive: true, force: true });
    }
}
/**
 * Keeps `dir` (the run tree the Action writes into the workspace) out of git: a line for it in the
 * repository's `info/exclude`, unless git ignores it already, so that `git add -A` (and so
 * peter-evans/create-pull-request) never commits it. Nothing when `dir` is in no repository.
 * Resolves to the exclude file written to, if any.
 */
async function excludeFromGit(dir) {
    const parent = (0,external_node_path_.dirname)(dir);
    let top;
    try {
        top = (await git_git(parent, ['rev-parse', '--show-toplevel'])).trim();
    }
    catch {
        return undefined; // not in a git checkout (or no git)
    }
    const path = (0,external_node_path_.relative)(top, dir).split(external_node_path_.sep).join('/');
    if (path === '' || path.startsWith('..'))
        return undefined;
    const ignored = await git_git(top, ['check-ignore', '-q', '--no-index', `${path}/`]).then(() => true, () => false);
    if (ignored)
        return undefined;
    const exclude = (0,external_node_path_.resolve)(top, (await git_git(top, ['rev-parse', '--git-path', 'info/exclude'])).trim());
    (0,external_node_fs_.mkdirSync)((0,external_node_path_.dirname)(exclude), { recursive: true });
    const before = (0,external_node_fs_.existsSync)(exclude) ? (0,external_node_fs_.readFileSync)(exclude, 'utf8') : '';
    (0,external_node_fs_.appendFileSync)(exclude, `${before === '' || before.endsWith('\n') ? '' : '\n'}# orchestrator's run tree\n/${path}/\n`);
    return exclude;
}

;// CONCATENATED MODULE: ./build/action-js/apply/message.js
/**
 * The commit message of one applied leaf (`apply --commit` / `--branch`): the config's
 * `commit_message` template, or a default, filled with the prompt placeholder code, and a trailer
 * naming the run and the leaf, by which a later `apply` knows the leaf is already applied. Pure.
 */

/** The trailer's key: `Orchestrator-Run: <run id>/<leaf>`. */
const TRAILER = 'Orchestrator-Run';
/** `{{{ORCHESTRATOR_LEAF}}}`: the leaf, e.g. `flow_0003 [2.1]`. */
const LEAF_PLACEHOLDER = 'ORCHESTRATOR_LEAF';
/** `{{{ORCHESTRATOR_SUMMARY}}}`: the first line of the leaf's final message. */
const SUMMARY_PLACEHOLDER = 'ORCHESTRATOR_SUMMARY';
/** The default template: the leaf and what it says it did. */
const DEFAULT_COMMIT_MESSAGE = `{{{${LEAF_PLACEHOLDER}}}}: {{{${SUMMARY_PLACEHOLDER}}}}`;
const SUBJECT_MAX = 100;
/** The trailer line of a leaf. */
const trailer = (runId, label) => `${TRAILER}: ${runId}/${label}`;
/** The first non-blank line of a text, trimmed and cut to `max` characters. */
function message_firstLine(text, max = SUBJECT_MAX) {
    const line = (text ?? '')
        .split(/\r\n|\r|\n/)
        .find((l) => l.trim() !== '')
        ?.trim() ?? '';
    return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}
/**
 * The message: the template filled (keys' contents through `contents`, read only for the keys the
 * template names), NUL and any other trailer of ours removed, then a blank line and the trailer.
 */
function commitMessage(template, leaf, contents) {
    const summary = message_firstLine(leaf.output) || `changes for ${Object.values(leaf.keys).join(', ') || leaf.label}`;
    const body = fillPlaceholders(template ?? DEFAULT_COMMIT_MESSAGE, (name, field) => {
        if (name === LEAF_PLACEHOLDER)
            return leaf.label;
        if (name === SUMMARY_PLACEHOLDER)
            return summary;
        const path = leaf.keys[name];
        if (path === undefined)
            return undefined;
        return field === 'path' ? path : contents(name);
    })
        // git refuses a NUL in a message; a line that looks like our trailer would make another leaf "applied"
        .replace(/\0/g, '')
        .split('\n')
        .filter((line) => !line.startsWith(`${TRAILER}:`))
        .join('\n')
        .trim();
    return `${body || leaf.label}\n\n${trailer(leaf.runId, leaf.label)}\n`;
}

;// CONCATENATED MODULE: ./build/action-js/apply/commits.js





/**
 * Makes commits from patches with git's plumbing and a private index, never the checkout's: a
 * leaf's git tree is its base commit's with the patch merged in (`git apply --cached --3way`),
 * committed with `git commit-tree`. Moving a ref is the caller's choice: HEAD (`--commit`) or a
 * branch of its own (`--branch`).
 */
class CommitWriter {
    top;
    dir;
    index;
    env;
    constructor(top, identity) {
        this.top = top;
        this.dir = (0,external_node_fs_.mkdtempSync)((0,external_node_path_.join)((0,external_node_os_.tmpdir)(), 'orchestrator-commit-'));
        this.index = (0,external_node_path_.join)(this.dir, 'index');
        this.env = { ...identity, GIT_INDEX_FILE: this.index };
    }
    /**
     * A writer for the repository at `top`. Without a name and email in git's configuration (or the
     * GIT_AUTHOR_/GIT_COMMITTER_ variables), `fallback` signs the commits; without one, a UsageError-worthy GitError.
     */
    static async open(top, fallback) {
        let identity = {};
        try {
            await git_git(top, ['var', 'GIT_COMMITTER_IDENT']);
            await git_git(top, ['var', 'GIT_AUTHOR_IDENT']);
        }
        catch (error) {
            if (!(error instanceof GitError) || fallback === undefined)
                throw error;
            identity = {
                GIT_AUTHOR_NAME: process.env.GIT_AUTHOR_NAME || fallback.name,
                GIT_AUTHOR_EMAIL: process.env.GIT_AUTHOR_EMAIL || fallback.email,
                GIT_COMMITTER_NAME: process.env.GIT_COMMITTER_NAME || fallback.name,
                GIT_COMMITTER_EMAIL: process.env.GIT_COMMITTER_EMAIL || fallback.email,
            };
        }
        return new CommitWriter(top, identity);
    }
    indexed(args) {
        return git_git(this.top, args, this.env);
    }
    /** The commit a revision names, or undefined when it names none. */
    async resolve(rev) {
        try {
            return (await git_git(this.top, ['rev-parse', '--verify', '--quiet', `${rev}^{commit}`])).trim();
        }
        catch {
            return undefined;
        }
    }
    /** The `Orchestrator-Run:` trailers of `runId` in the history of `rev`: the leaves already committed. */
    async trailers(rev, runId) {
        const out = await git_git(this.top, ['log', '-F', `--grep=${TRAILER}: ${runId}/`, '--format=%B%x00', rev]);
        const found = new Set();
        for (const line of out.split(/[\n\0]/))
            if (line.startsWith(`${TRAILER}: ${runId}/`))
                found.add(line.trim());
        return found;
    }
    /** The message of a commit. */
    async message(commit) {
        return git_git(this.top, ['log', '-1', '--format=%B', commit]);
    }
    /**
     * The git tree of `base` with the patch in it. A patch that applies as it is, is applied; one whose
     * reverse applies (its changes are in `base` already) is `already`; else a 3-way merge, which
     * may conflict. A git tree equal to the base's is `already` too: there is nothing to commit.
     */
    async build(base, patch) {
        await this.indexed(['read-tree', base]);
        const applies = await this.indexed(['apply', '--cached', '--check', '--whitespace=nowarn', patch]).then(() => true, () => false);
        if (!applies) {
            const reverse = await this.indexed(['apply', '--cached', '--check', '--reverse', '--whitespace=nowarn', patch]).then(() => true, () => false);
            if (reverse)
                return { already: 'its changes are in the base already' };
        }
        try {
            await this.indexed(['apply', '--cached', '--3way', '--whitespace=nowarn', patch]);
        }
        catch (error) {
            return { conflict: conflictAccount(error) };
        }
        const gitTree = (await this.indexed(['write-tree'])).trim();
        const baseGitTree = (await git_git(this.top, ['rev-parse', `${base}^{tree}`])).trim();
        return gitTree === baseGitTree ? { already: 'its changes are in the base already' } : { gitTree };
    }
    /** A commit of `gitTree` on `parent` with `message`. */
    async commit(gitTree, parent, message) {
        const file = (0,external_node_path_.join)(this.dir, 'message');
        (0,external_node_fs_.writeFileSync)(file, message);
        return (await git_git(this.top, ['commit-tree', gitTree, '-p', parent, '-F', file], this.env)).trim();
    }
    /** Paths of `commit` among `paths` (those the commit has; the others it deletes). */
    async present(commit, paths) {
        if (paths.length === 0)
            return new Set();
        const out = await git_git(this.top, ['ls-tree', '-r', '-z', '--name-only', commit, '--', ...paths]);
        return new Set(out.split('\0').filter(Boolean));
    }
    close() {
        (0,external_node_fs_.rmSync)(this.dir, { recursive: true, force: true });
    }
}

;// CONCATENATED MODULE: ./build/action-js/apply/ship.js
/**
 * `apply --commit` and `apply --branch`: each selected leaf becomes one commit, made from its patch
 * with git's plumbing (apply/commits.ts). `--commit` stacks them on HEAD, in leaf order, and brings
 * the working tree and the index of the paths it committed up to date; `--branch PREFIX` puts each
 * on a branch of its own from HEAD and touches neither HEAD nor the checkout.
 */






/** `PREFIX` + the leaf as a ref name: `codex/flow_0003`, `codex/flow_0003-2.1` for a branch of it. */
const branchName = (prefix, label) => prefix + label.replace(/ \[(.*)\]$/, '-$1');
async function writer(options) {
    try {
        return await CommitWriter.open(options.top, options.identity);
    }
    catch (error) {
        if (error instanceof GitError)
            throw new errors/* UsageError */.eb(`${options.top}: git has no name and email to sign the commits with (${error.message}): set them with git config user.name and git config user.email, or GIT_AUTHOR_NAME/GIT_AUTHOR_EMAIL/GIT_COMMITTER_NAME/GIT_COMMITTER_EMAIL`);
        throw error;
    }
}
const message = (leaf, options) => commitMessage(options.template, { label: leaf.label, runId: options.runId, keys: leaf.keys, output: leaf.output }, (name) => options.contents(leaf, name));
function isDirectory(top, path) {
    try {
        return (0,external_node_fs_.lstatSync)((0,external_node_path_.join)(top, path), { throwIfNoEntry: false })?.isDirectory() === true;
    }
    catch {
        return false;
    }
}
/**
 * Refuses (a UsageError) when any path a leaf would commit has changes of the user's: modified,
 * staged, untracked or ignored. Committing over them would take them into our commit or lose them.
 */
async function refuseDirty(top, leaves) {
    const paths = [...new Set(leaves.flatMap((leaf) => leaf.paths))];
    if (paths.length === 0)
        return;
    const out = await git_git(top, ['status', '--porcelain=v1', '-z', '--untracked-files=all', '--ignored=matching', '--', ...paths]);
    const dirty = out
        .split('\0')
        .filter((record) => /^[ -~]{2} /.test(record))
        .map((record) => record.slice(3));
    if (dirty.length === 0)
        return;
    const shown = dirty.slice(0, 10).join(', ') + (dirty.length > 10 ? ` and ${dirty.length - 10} more` : '');
    const owners = leaves.filter((leaf) => leaf.paths.some((p) => dirty.includes(p))).map((leaf) => leaf.label);
    throw new errors/* UsageError */.eb(`${top}: uncommitted changes in ${shown}, which the patches of ${owners.join(', ')} change: apply --commit commits only what the leaves changed and would mix them in or overwrite them. Commit or stash them (git stash --include-untracked), then apply again.`);
}
/**
 * The leaf's commit on `head` (made, not yet on any ref), or why there is none: a commit of HEAD
 * already names the leaf (`done`: HEAD's trailers of this run), its changes are in HEAD, or its
 * patch does not apply there.
 */
async function commitLeaf(commits, head, done, leaf, options) {
    if (done.has(trailer(options.runId, leaf.label)))
        return { outcome: 'already applied', detail: 'a commit of HEAD names it' };
    const built = await commits.build(head, leaf.patch);
    if ('already' in built)
        return { outcome: 'already applied', detail: built.already };
    if ('conflict' in built)
        return { outcome: 'conflict', detail: built.conflict };
    return { commit: await commits.commit(built.gitTree, head, message(leaf, options)) };
}
/** `--commit`: one commit per leaf on HEAD, in order; HEAD, the index and the working tree of those paths follow. */
async function commitLeaves(leaves, options) {
    const { top } = options;
    await refuseDirty(top, leaves);
    const commits = await writer(options);
    try {
        let head = (await commits.resolve('HEAD'));
        const done = await commits.trailers(head, options.runId);
        const results = [];
        for (const leaf of leaves) {
            const made = await commitLeaf(commits, head, done, leaf, options);
            if (!('commit' in made)) {
                results.push(made);
                continue;
            }
            const { commit } = made;
            const present = await commits.present(commit, leaf.paths);
            // git would replace the directory with the file, and every file in it, tracked or not, with it
            const replaced = [...present].filter((p) => isDirectory(top, p));
            if (replaced.length > 0) {
                results.push({
                    outcome: 'conflict',
                    detail: `it turns the directory ${replaced.join(', ')} into a file, which would delete everything in it: apply it by hand`,
                });
                continue;
            }
            await git_git(top, ['update-ref', '-m', `orchestrator apply: ${leaf.label}`, 'HEAD', commit, head]);
            head = commit;
            // the index and the working tree of the leaf's paths: as committed
            await git_git(top, ['reset', '-q', commit, '--', ...leaf.paths]);
            if (present.size > 0)
                await git_git(top, ['checkout-index', '-f', '--', ...present]);
            for (const path of leaf.paths)
                if (!present.has(path) && !isDirectory(top, path))
                    (0,external_node_fs_.rmSync)((0,external_node_path_.join)(top, path), { force: true });
            results.push({ outcome: 'applied', commit });
        }
        return results;
    }
    finally {
        commits.close();
    }
}
/** `--branch PREFIX`: each leaf one commit on HEAD, on its own branch; HEAD and the checkout stay as they are. */
async function branchLeaves(leaves, prefix, options) {
    const { top } = options;
    try {
        await git_git(top, ['check-ref-format', '--branch', branchName(prefix, 'flow_0001')]);
    }
    catch {
        throw new errors/* UsageError */.eb(`--branch ${JSON.stringify(prefix)}: ${JSON.stringify(branchName(prefix, 'flow_0001'))} is not a valid branch name; use a prefix like "codex/"`);
    }
    const commits = await writer(options);
    try {
        const head = (await commits.resolve('HEAD'));
        const done = await commits.trailers(head, options.runId);
        const results = [];
        for (const leaf of leaves) {
            const branch = branchName(prefix, leaf.label);
            const line = trailer(options.runId, leaf.label);
            const tip = await commits.resolve(`refs/heads/${branch}`);
            if (tip !== undefined) {
                results.push((await commits.message(tip)).split('\n').some((l) => l.trim() === line)
                    ? { outcome: 'already applied', detail: `on branch ${branch}`, branch }
                    : {
                        outcome: 'conflict',
                        detail: `the branch ${branch} exists and its last commit is not this leaf's: delete it (git branch -D ${branch}) or choose another --branch prefix`,
                    });
                continue;
            }
            const made = await commitLeaf(commits, head, done, leaf, options);
            if (!('commit' in made)) {
                results.push(made);
                continue;
            }
            const { commit } = made;
            // created, never moved: an empty old value makes git refuse a branch that appeared meanwhile
            await git_git(top, ['update-ref', '-m', `orchestrator apply: ${leaf.label}`, `refs/heads/${branch}`, commit, '']);
            results.push({ outcome: 'applied', commit, branch });
        }
        return results;
    }
    finally {
        commits.close();
    }
}

;// CONCATENATED MODULE: ./build/action-js/apply/apply.js












/**
 * Applies the patch of every selected leaf of a run (the last step's that has one: it holds all the
 * leaf changed since HEAD), once, in leaf order. A patch that conflicts, or that cannot be applied
 * (not a patch, a directory turned into a file), is skipped whole; the rest are applied. Leaves that
 * share one patch (branches that changed nothing after their array step) apply it once.
 */
async function applyRun(options) {
    const run = loadMergedRun([options.runDir]);
    // a merged output's leaves name the shard folder holding their files
    const base = run.runDirs.length === 1 ? run.runDirs[0] : undefined;
    return applyLeaves({ runId: run.runId, leaves: mergedLeaves(run, { treesFrom: base }), treesFrom: base, runDirs: run.runDirs }, options);
}
/**
 * applyRun over leaves already read: the Action's report mode applies the leaves it merged and
 * reported, so that what the summary says and what is applied cannot differ.
 */
async function applyLeaves(run, options) {
    const target = options.target ?? { kind: 'worktree' };
    if (options.check && target.kind !== 'worktree')
        throw new errors/* UsageError */.eb(`--check reports what would apply to the working tree: leave out --${target.kind} to check`);
    const applier = await openApplier(options.checkout);
    try {
        const selected = selectLeaves(run, new Set(options.statuses));
        const patches = await readPatches(applier, selected);
        // the private index starts with the working tree's state of every path any patch touches
        if (target.kind === 'worktree')
            await applier.track([...new Set([...patches.paths.values()].flat())]);
        const { rows, ship } = await applyEach(selected, patches, target.kind === 'worktree' ? applier : undefined, options.check);
        if (ship.length > 0) {
            const shipOptions = {
                top: applier.top,
                runId: run.runId,
                template: options.commitMessage ?? commitTemplate(run.runDirs),
                contents: (leaf, name) => keyContents(options.checkout, applier.top, leaf, name),
                identity: options.identity,
            };
            const leaves = ship.map((s) => s.leaf);
            const results = target.kind === 'branch' ? await branchLeaves(leaves, target.prefix, shipOptions) : await commitLeaves(leaves, shipOptions);
            results.forEach((result, i) => {
                const at = ship[i].at;
                rows[at] = { ...rows[at], ...shipRow(result) };
            });
        }
        return rows;
    }
    finally {
        applier.close();
    }
}
async function openApplier(checkout) {
    try {
        return await PatchApplier.open(checkout);
    }
    catch (error) {
        if (error instanceof GitError)
            throw new errors/* UsageError */.eb(`${checkout}: not a git checkout with a commit, so there is nothing to apply the patches to (${error.message})`);
        throw error;
    }
}
/** The leaves with a wanted status, each with its last patch (if a step left one). */
function selectLeaves(run, wanted) {
    const selected = [];
    const base = run.treesFrom;
    for (const leaf of run.leaves) {
        // a range of leaves that never started has nothing to apply
        if (isNotStarted(leaf) || !wanted.has(leaf.status))
            continue;
        let patch;
        for (const dir of leaf.tree !== undefined && base !== undefined ? [(0,external_node_path_.join)(base, leaf.tree)] : run.runDirs) {
            const found = lastPatch(dir, leaf.steps);
            if (found) {
                patch = { ...found, file: (0,external_node_path_.join)(dir, found.path) };
                break;
            }
        }
        selected.push({ leaf, patch });
    }
    return selected;
}
async function readPatches(applier, selected) {
    const paths = new Map();
    const unreadable = new Map();
    for (const { patch } of selected) {
        if (patch === undefined || patch.text.trim() === '' || paths.has(patch.file) || unreadable.has(patch.file))
            continue;
        try {
            paths.set(patch.file, await patchPaths(applier.top, patch.file));
        }
        catch (error) {
            if (!(error instanceof GitError))
                throw error;
            unreadable.set(patch.file, `${patch.path} is not a patch git can read (${error.message})`);
        }
    }
    return { paths, unreadable };
}
/**
 * A row per selected leaf, in order. With `worktree` (the working-tree target) each patch is applied
 * now; without, the leaves to commit (`--commit`/`--branch`) come back in `ship` with their row's
 * place, their rows saying 'not reached' until they are committed.
 */
async function applyEach(selected, { paths, unreadable }, worktree, check) {
    const appliedBy = new Map();
    const rows = [];
    const ship = [];
    for (const { leaf, patch } of selected) {
        const label = leafLabel(leaf);
        const stat = patch ? parseDiffstat(patch.text) : { files: [], added: 0, removed: 0 };
        const row = { leaf: label, status: leaf.status, keys: leaf.keys, output: leaf.output, patch: patch?.path, ...stat };
        if (patch === undefined) {
            rows.push({ ...row, outcome: 'no patch', detail: `no step of this leaf left a ${PATCH_FILE} (run with --isolate worktree)` });
        }
        else if (patch.text.trim() === '') {
            rows.push({ ...row, outcome: 'empty' });
        }
        else if (unreadable.has(patch.file)) {
            rows.push({ ...row, outcome: 'conflict', detail: unreadable.get(patch.file) });
        }
        else if (appliedBy.has(patch.file)) {
            rows.push({ ...row, outcome: 'shared', detail: `the same patch as ${appliedBy.get(patch.file)}` });
        }
        else if (worktree === undefined) {
            appliedBy.set(patch.file, label);
            ship.push({
                at: rows.length,
                leaf: { label, keys: leaf.keys, output: leaf.output, patch: patch.file, paths: paths.get(patch.file) },
            });
            rows.push({ ...row, outcome: 'conflict', detail: 'not reached' });
        }
        else {
            const result = await worktree.apply(patch.file, paths.get(patch.file), !check);
            if (result === undefined)
                appliedBy.set(patch.file, label);
            rows.push(result === undefined
                ? { ...row, outcome: 'applied' }
                : result === ALREADY
                    ? { ...row, outcome: 'already applied', detail: 'its changes are in the working tree already' }
                    : { ...row, outcome: 'conflict', detail: result });
        }
    }
    return { rows, ship };
}
/** An ApplyRow's outcome, commit and branch from what a commit or a branch became. */
function shipRow(result) {
    if (result.outcome === 'applied')
        return { outcome: 'applied', commit: result.commit, branch: result.branch, detail: undefined };
    if (result.outcome === 'already applied')
        return { outcome: 'already applied', branch: result.branch, detail: result.detail };
    return { outcome: 'conflict', detail: result.detail };
}
/** The `commit_message` of the run's copy of its config, if it has one. */
function commitTemplate(runDirs) {
    for (const dir of runDirs) {
        try {
            return parseConfigLenient(readInputFile((0,external_node_path_.join)(dir, CONFIG_COPY)).toString('utf8'), (0,external_node_path_.join)(dir, CONFIG_COPY)).config.commitMessage;
        }
        catch {
            // no copy here (a folder of shards keeps one per shard): the next
        }
    }
    return undefined;
}
/** `{{{KEY}}}` of a commit message: the leaf's listed file, read from the checkout (and only from inside it). */
function keyContents(checkout, top, leaf, name) {
    const path = leaf.keys[name];
    try {
        return readInputFile((0,external_node_path_.resolve)(checkout, path), { confineTo: top }).toString('utf8');
    }
    catch (error) {
        throw new errors/* UsageError */.eb(`commit_message: {{{${name}}}} of ${leaf.label} is the contents of ${JSON.stringify(path)}, which cannot be read from ${checkout}: ${error.message}. Apply from the directory the run was started in (--workdir), or use {{{${name}:path}}}.`);
    }
}

;// CONCATENATED MODULE: ./build/action-js/apply/pr-body.js
/**
 * The body of a pull request of applied leaves (`apply --pr-body FILE`, the Action's `pr-body`):
 * each applied and each skipped leaf, its keys, the files it changed with their counts, and the
 * start of its final message. Model output and file names are untrusted: escaped as the summary
 * escapes them. Kept under GitHub's 65,536-character limit by dropping details first (the final
 * messages, then the file lists, then leaves past the limit, counted). Pure.
 */


/** GitHub refuses a longer body (422). */
const PR_BODY_LIMIT = 65_536;
/** The start of a final message shown per leaf. */
const MESSAGE_CHARS = 1_500;
const FILES_SHOWN = 50;
const APPLIED = new Set(['applied', 'already applied', 'shared']);
function keysLine(row) {
    const keys = Object.entries(row.keys);
    return keys.length === 0 ? '' : keys.map(([name, path]) => `\`${escapeName(name)}\`: ${cell(path, 200)}`).join(', ');
}
function leafSection(row, detail) {
    const where = row.branch !== undefined
        ? ` on branch \`${escapeName(row.branch)}\``
        : row.commit !== undefined
            ? ` as ${row.commit.slice(0, 12)}`
            : '';
    const lines = [`#### ${escapeName(row.leaf)}: ${row.outcome}${where}`];
    const keys = keysLine(row);
    if (keys)
        lines.push('', `Keys: ${keys}`);
    if (row.outcome === 'conflict' && row.detail)
        lines.push('', `Skipped: ${cell(row.detail, 500)}`);
    if (row.files.length > 0) {
        lines.push('', `${markdown_formatNumber(row.files.length)} ${row.files.length === 1 ? 'file' : 'files'}, +${markdown_formatNumber(row.added)} −${markdown_formatNumber(row.removed)}`);
        if (detail.files) {
            lines.push('', '| file | +/− |', '| --- | --- |');
            for (const file of row.files.slice(0, FILES_SHOWN))
                lines.push(`| ${cell(file.path, 200)} | ${counts(file)} |`);
            if (row.files.length > FILES_SHOWN)
                lines.push(`| …and ${markdown_formatNumber(row.files.length - FILES_SHOWN)} more | |`);
        }
    }
    const message = (row.output ?? '').trim();
    if (detail.messages && message !== '') {
        const start = message.length > MESSAGE_CHARS ? `${message.slice(0, MESSAGE_CHARS)}…` : message;
        lines.push('', '<details><summary>Final message</summary>', '', `<pre>${block(start)}</pre>`, '', '</details>');
    }
    else if (message !== '') {
        lines.push('', `> ${cell(message, 200)}`);
    }
    return lines.join('\n');
}
function render(rows, options, detail, limit) {
    const applied = rows.filter((r) => APPLIED.has(r.outcome));
    const skipped = rows.filter((r) => !APPLIED.has(r.outcome));
    const head = [
        `### orchestrator: ${escapeName(options.runId)}`,
        '',
        `${markdown_formatNumber(applied.length)} ${applied.length === 1 ? 'leaf' : 'leaves'} applied, ${markdown_formatNumber(skipped.length)} skipped.`,
    ].join('\n');
    let body = head;
    let left = 0;
    for (const [title, group] of [
        ['Applied', applied],
        ['Skipped', skipped],
    ]) {
        if (group.length === 0)
            continue;
        const heading = `\n\n### ${title}`;
        if (body.length + heading.length > limit) {
            left += group.length;
            continue;
        }
        body += heading;
        for (const row of group) {
            const section = `\n\n${leafSection(row, detail)}`;
            // room for the closing line that counts what was left out
            if (left > 0 || body.length + section.length > limit - 200)
                left++;
            else
                body += section;
        }
    }
    if (left > 0)
        body += `\n\n…and ${markdown_formatNumber(left)} more ${left === 1 ? 'leaf' : 'leaves'}, left out to keep the body under GitHub's limit.`;
    return body + '\n';
}
/** The body, as detailed as fits in `limit` characters. */
function prBody(rows, options) {
    const limit = options.limit ?? PR_BODY_LIMIT;
    const levels = [
        { messages: true, files: true },
        { messages: false, files: true },
        { messages: false, files: false },
    ];
    for (const detail of levels) {
        const body = render(rows, options, detail, Infinity);
        if (body.length <= limit)
            return body;
    }
    return render(rows, options, levels[levels.length - 1], limit);
}

;// CONCATENATED MODULE: ./build/action-js/action/constants.js
/** Names of the Action's inputs, as in action.yml. */
const Inputs = {
    Mode: 'mode',
    Config: 'config',
    Keys: 'keys',
    Values: 'values',
    Parallel: 'parallel',
    Timeout: 'timeout',
    Workdir: 'workdir',
    AppendFilepath: 'append-filepath',
    Shard: 'shard',
    Shards: 'shards',
    RunId: 'run-id',
    Model: 'model',
    Api: 'api',
    BaseUrl: 'base-url',
    OpenaiApiKey: 'openai-api-key',
    Offline: 'offline',
    Retries: 'retries',
    TokenBudget: 'token-budget',
    MaxCost: 'max-cost',
    FailFast: 'fail-fast',
    Cache: 'cache',
    Resume: 'resume',
    Batch: 'batch',
    BatchCancelOnExit: 'batch-cancel-on-exit',
    Sandbox: 'sandbox',
    Isolate: 'isolate',
    Apply: 'apply',
    BranchPrefix: 'branch-prefix',
    ArtifactName: 'artifact-name',
    Upload: 'upload',
    Summary: 'summary',
    Comment: 'comment',
    BaselineRunId: 'baseline-run-id',
    FailOnError: 'fail-on-error',
    GithubToken: 'github-token',
    CodexVersion: 'codex-version',
};
/** Names of the Action's outputs, as in action.yml. */
const Outputs = {
    RunDir: 'run-dir',
    Results: 'results',
    Succeeded: 'succeeded',
    Failed: 'failed',
    InputTokens: 'input-tokens',
    OutputTokens: 'output-tokens',
    CostUsd: 'cost-usd',
    Matrix: 'matrix',
    RunId: 'run-id',
    FinalMessage: 'final-message',
    AfterOutput: 'after-output',
    Applied: 'applied',
    Conflicts: 'conflicts',
    Branches: 'branches',
    PrBody: 'pr-body',
};

;// CONCATENATED MODULE: ./build/action-js/action/apply.js







/** Who signs the commits of `apply: commit`/`branch` when the workflow configured no git identity. */
const ACTIONS_BOT = { name: 'github-actions[bot]', email: '41898282+github-actions[bot]@users.noreply.github.com' };
/** A row of the outputs `applied` and `conflicts`: what the leaf is and what it changed. */
function outputRow(row) {
    return {
        leaf: row.leaf,
        outcome: row.outcome,
        keys: row.keys,
        files: row.files.map((f) => ({ path: f.path, status: f.status, added: f.added, removed: f.removed })),
        added: row.added,
        removed: row.removed,
        ...(row.commit !== undefined ? { commit: row.commit } : {}),
        ...(row.branch !== undefined ? { branch: row.branch } : {}),
        ...(row.detail !== undefined && row.outcome !== 'applied' ? { detail: row.detail } : {}),
    };
}
function target(settings) {
    if (settings.apply === 'branch')
        return { kind: 'branch', prefix: settings.branchPrefix };
    return settings.apply === 'commit' ? { kind: 'commit' } : { kind: 'worktree' };
}
/**
 * `apply: true|commit|branch`: applies the run's patches (its succeeded leaves') after the flows, to
 * the workspace, as commits on HEAD or as a branch per leaf; sets the outputs `applied`,
 * `conflicts`, `branches` and `pr-body`; resolves to the problem to fail the step with when a
 * patch conflicted or could not be applied. The run is its directory (mode `run`), or the leaves
 * mode `report` merged and reported: they are not read again.
 */
async function applyToWorkspace(settings, run, outputs) {
    const workspace = process.env.GITHUB_WORKSPACE ?? process.cwd();
    const options = {
        checkout: (0,external_node_path_.resolve)(workspace, settings.workdir),
        statuses: ['succeeded'],
        check: false,
        target: target(settings),
        identity: ACTIONS_BOT,
    };
    const rows = 'runDir' in run
        ? await applyRun({ runDir: run.runDir, commitMessage: run.commitMessage, ...options })
        : await applyLeaves(run, options);
    const applied = rows.filter((r) => r.outcome === 'applied' || r.outcome === 'shared' || r.outcome === 'already applied');
    const conflicts = rows.filter((r) => r.outcome === 'conflict');
    outputs[Outputs.Applied] = JSON.stringify(applied.map(outputRow));
    outputs[Outputs.Conflicts] = JSON.stringify(conflicts.map(outputRow));
    outputs[Outputs.Branches] = JSON.stringify(rows.flatMap((r) => (r.branch !== undefined ? [r.branch] : [])));
    const runId = 'runDir' in run ? (outputs[Outputs.RunId] ?? 'run') : run.runId;
    // outside the workspace: a body file in it would be committed by create-pull-request
    const bodyFile = (0,external_node_path_.join)(process.env.RUNNER_TEMP ?? (0,external_node_os_.tmpdir)(), `orchestrator-pr-body-${runId}.md`);
    (0,external_node_fs_.writeFileSync)(bodyFile, prBody(rows, { runId }));
    outputs[Outputs.PrBody] = bodyFile;
    const already = rows.filter((r) => r.outcome === 'already applied').length;
    const where = settings.apply === 'branch' ? 'on branches of their own' : settings.apply === 'commit' ? 'as commits on HEAD' : 'to the workspace';
    core/* info */.pq(`apply: ${applied.length - already} leaves applied ${where}, ${already} already applied, ${conflicts.length} conflicting.`);
    if (rows.length > 0 && rows.every((r) => r.outcome === 'no patch')) {
        core/* warning */.$e("apply is on, but no leaf left a changes.patch: patches are saved only with 'isolate: worktree'.");
    }
    for (const row of conflicts) {
        core/* warning */.$e(row.files.length > 0
            ? `${row.leaf}: its patch conflicts with the workspace and was not applied (${row.files.map((f) => f.path).join(', ')}): ${row.detail ?? ''}`
            : `${row.leaf}: its patch was not applied: ${row.detail ?? ''}`);
    }
    return conflicts.length > 0
        ? `${conflicts.length} leaves' patches conflicted with the workspace or could not be applied, and were not applied: ${conflicts.map((r) => r.leaf).join(', ')}`
        : undefined;
}

;// CONCATENATED MODULE: ./build/action-js/action/records.js


const RECORDS_SUFFIX = '-records';
const MERGED = 'merged';
/** `<prefix>-<run_id>-`: every artifact of the run starts so. */
const runPrefix = (prefix, runId) => `${prefix}-${runId}-`;
/** The merged artifact that `report` uploads: `<prefix>-<run_id>-merged`. */
const mergedName = (prefix, runId) => `${runPrefix(prefix, runId)}${MERGED}`;
/** No `/` in any of them, and unique per job of a workflow run. */
function runArtifactNames(prefix, runId, shard) {
    const part = shard === undefined || shard.count === 1 ? 'all' : `shard-${shard.index}-of-${shard.count}`;
    const runDir = `${runPrefix(prefix, runId)}${part}`;
    return { runDir, records: `${runDir}${RECORDS_SUFFIX}` };
}
/** A run directory's own records: JSON files at its top (run.json, results.json) and everything under shards/. */
const isRecordPath = (parts) => (parts.length === 1 && parts[0].endsWith('.json')) || (parts.length > 1 && parts[0] === 'shards');
/** The names a leaf directory holds that `report` reads when a run left no results.json. */
const LEAF_RECORDS = new Set(['result.json', 'not_started.json']);
const PATCH = 'changes.patch';
/**
 * Of a run directory's files (absolute paths, as listed for the run-directory artifact), those of the
 * records artifact: the records, every `changes.patch`, and — only when the run left no
 * results.json to merge (it stopped before writing one) — each leaf's `result.json` and
 * `not_started.json`, which `report` then reads one by one, and results.jsonl (the leaves whose
 * result.json could not be written).
 */
function recordFiles(runDir, files) {
    const split = files.map((file) => ({ file, parts: (0,external_node_path_.relative)(runDir, file).split(external_node_path_.sep) }));
    const hasResults = split.some(({ parts }) => parts.length === 1 && parts[0] === 'results.json');
    return split
        .filter(({ file, parts }) => {
        if (parts[0] === '..')
            return false;
        if (isRecordPath(parts))
            return true;
        const name = (0,external_node_path_.basename)(file);
        if (!hasResults && parts.length === 1 && isResultLinesName(name))
            return true;
        return name === PATCH || (!hasResults && LEAF_RECORDS.has(name));
    })
        .map(({ file }) => file);
}
const PART = /^(all|shard-([1-9]\d*)-of-([1-9]\d*))$/;
/** `shard-2-of-3` -> `2/3`, `all` -> `all`. */
const shardLabel = (part) => part.replace(/^shard-(\d+)-of-(\d+)$/, '$1/$2');
/**
 * Chooses the artifacts the report job downloads from the run's listing: the records artifact of
 * each shard, its run-directory artifact only when there is no records artifact. Names that are
 * neither (the merged artifact, anything else with the prefix) are left alone.
 */
function chooseReportDownloads(prefix, runId, listed) {
    const start = runPrefix(prefix, runId);
    const runDirs = new Map();
    const records = new Map();
    for (const artifact of listed) {
        if (!artifact.name.startsWith(start))
            continue;
        const rest = artifact.name.slice(start.length);
        const isRecords = rest.endsWith(RECORDS_SUFFIX);
        const part = isRecords ? rest.slice(0, -RECORDS_SUFFIX.length) : rest;
        if (!PART.test(part))
            continue;
        (isRecords ? records : runDirs).set(part, artifact);
    }
    const parts = [...new Set([...runDirs.keys(), ...records.keys()])].sort(byShard);
    const downloads = [];
    const notes = [];
    for (const part of parts) {
        const record = records.get(part);
        const runDir = runDirs.get(part);
        if (record !== undefined)
            downloads.push({ artifact: record, folder: `${start}${part}` });
        else if (runDir !== undefined) {
            downloads.push({ artifact: runDir, folder: runDir.name });
            notes.push(`shard ${shardLabel(part)} uploaded no ${runDir.name}${RECORDS_SUFFIX}: its whole tree ${runDir.name} was downloaded instead (${runDir.size} bytes)`);
        }
        if (record !== undefined && runDir === undefined)
            notes.push(`shard ${shardLabel(part)}: its records ${record.name} are here but its tree ${record.name.slice(0, -RECORDS_SUFFIX.length)} is gone, so its leaves' files (prompts, outputs) cannot be downloaded`);
    }
    const sum = (list) => [...list].reduce((total, a) => total + a.size, 0);
    const runDirArtifacts = new Map(parts.flatMap((part) => (runDirs.has(part) ? [[part, runDirs.get(part).name]] : [])));
    return {
        downloads,
        allBytes: sum(runDirs.values()) + sum(records.values()),
        downloadedBytes: sum(downloads.map((d) => d.artifact)),
        runDirArtifacts,
        notes,
    };
}
/** `all` first, then shards by index. */
function byShard(a, b) {
    const index = (part) => Number(PART.exec(part)?.[2] ?? 0);
    return index(a) - index(b) || a.localeCompare(b);
}

;// CONCATENATED MODULE: ./build/action-js/action/artifacts.js




/** Every file under a directory, recursively (the artifact client needs an explicit list). */
function listFiles(dir) {
    const files = [];
    for (const entry of (0,external_node_fs_.readdirSync)(dir, { withFileTypes: true })) {
        const path = (0,external_node_path_.join)(dir, entry.name);
        if (entry.isDirectory())
            files.push(...listFiles(path));
        else if (entry.isFile())
            files.push(path);
    }
    return files;
}
/** `12.3 kB`, `4.5 MB`: artifact sizes in the log. */
function bytes(size) {
    if (size === undefined)
        return 'size unknown';
    return size < 1e6 ? `${(size / 1e3).toFixed(1)} kB` : `${(size / 1e6).toFixed(1)} MB`;
}
/**
 * Uploads `files` as one artifact, paths relative to the output directory (so artifacts of several
 * shards unpacked into one folder form one run directory). Artifact names are unique per workflow run, so a
 * re-run of this job first deletes its own earlier artifact.
 */
async function upload(client, name, files, outputDir) {
    await deleteIfPresent(client, name);
    const response = await client.uploadArtifact(name, files, outputDir, { retentionDays: undefined });
    return { name, files: files.length, size: response.size };
}
/**
 * Uploads a run directory as two artifacts: all of it, then its records (records.ts says which
 * files) for the report job. The records go last, so records present means the run directory was
 * uploaded whole before them.
 */
async function uploadRun(client, names, outputDir, runDir) {
    const files = listFiles(runDir);
    // a re-run whose records upload fails must not leave the earlier attempt's records beside the new run directory
    await deleteIfPresent(client, names.records);
    const whole = await upload(client, names.runDir, files, outputDir);
    const records = await upload(client, names.records, recordFiles(runDir, files), outputDir);
    return { runDir: whole, records };
}
/** Uploads the merged output of `report` (results, records, report.html: no flow directories) as one artifact. */
function uploadMerged(client, name, outputDir, mergedDir) {
    return upload(client, name, listFiles(mergedDir), outputDir);
}
async function deleteIfPresent(client, name) {
    try {
        await client.deleteArtifact(name);
        return true;
    }
    catch (error) {
        if (error instanceof artifact/* ArtifactNotFoundError */.CL || /not found|404/i.test(String(error)))
            return false;
        throw error;
    }
}
/** Downloads this job's artifact from an earlier attempt into the output directory; false when there is none. */
async function downloadOwn(client, name, outputDir) {
    let id;
    try {
        id = (await client.getArtifact(name)).artifact.id;
    }
    catch (error) {
        if (error instanceof artifact/* ArtifactNotFoundError */.CL || /not found/i.test(String(error)))
            return false;
        throw error;
    }
    await client.downloadArtifact(id, { path: outputDir });
    return true;
}

;// CONCATENATED MODULE: ./build/action-js/action/codex-install.js



/**
 * Installs the Codex CLI from npm into `prefix` and returns the directory holding its `codex`
 * binary, for the PATH. The native binary ships inside the npm package, so this needs only the
 * npm registry. `env` is the environment npm runs with (its PATH finds npm).
 */
function installCodex(version, prefix, env = process.env) {
    (0,external_node_child_process_.execFileSync)('npm', ['install', '--no-audit', '--no-fund', '--prefix', prefix, `@openai/codex@${version}`], {
        stdio: 'inherit',
        env: (0,private_env/* publicEnv */.Rt)(env),
    });
    return (0,external_node_path_.join)(prefix, 'node_modules', '.bin');
}

;// CONCATENATED MODULE: ./build/action-js/action/output.js




/**
 * The Action's output directory, `generated/` in the workspace. The workspace holds the pull
 * request's files, and a pull request can commit `generated -> /elsewhere`: a link there is refused,
 * so that nothing is downloaded or written through it.
 */
function outputDirectory(workspace) {
    const path = (0,external_node_path_.resolve)(workspace, DEFAULT_OUTPUT);
    let stats;
    try {
        stats = (0,external_node_fs_.lstatSync)(path);
    }
    catch {
        return path; // created by the run
    }
    if (stats.isSymbolicLink()) {
        throw new errors/* UsageError */.eb(`The output directory ${path} is a symbolic link (to ${JSON.stringify((0,external_node_fs_.readlinkSync)(path))}), so the run would write wherever it points. ` +
            `A pull request can commit such a link: remove ${DEFAULT_OUTPUT} from the repository (orchestrator creates it) and run again.`);
    }
    if (!stats.isDirectory()) {
        throw new errors/* UsageError */.eb(`The output directory ${path} is a file, not a directory: remove ${DEFAULT_OUTPUT} from the repository (orchestrator creates it).`);
    }
    return path;
}

;// CONCATENATED MODULE: ./build/action-js/engine/after-config.js








/**
 * The shards' copies of the config (config.json), by path, each read once. A copy is a record a
 * step could rewrite ($ORCHESTRATOR_RUN_DIR reaches it): it is compared, never run.
 */
function configCopies(dirs) {
    const texts = new Map();
    for (const dir of new Set(dirs)) {
        const path = (0,external_node_path_.join)(dir, CONFIG_COPY);
        if ((0,external_node_fs_.lstatSync)(path, { throwIfNoEntry: false }) === undefined)
            continue;
        try {
            texts.set(path, (0,safe_tree/* readTreeFile */.xt)(path).toString('utf8'));
        }
        catch (error) {
            return `${path} cannot be read (${(0,errors/* errorMessage */.gJ)(error)})`;
        }
    }
    return texts;
}
/** The record file a shard's record was read from, for messages. */
function recordFile(dir, record) {
    const own = (0,external_node_path_.join)(dir, shardRecordPath(record.shard));
    return (0,external_node_fs_.lstatSync)(own, { throwIfNoEntry: false }) === undefined ? (0,external_node_path_.join)(dir, 'run.json') : own;
}
/** Whether a copy's text names after steps (or cannot be read as a config at all, which is as suspect). */
function listsAfterSteps(text) {
    try {
        const json = JSON.parse(text);
        return Array.isArray(json) ? false : !(0,is_object/* isObject */.G)(json) || (Array.isArray(json.after) ? json.after.length > 0 : json.after !== undefined);
    }
    catch {
        return true;
    }
}
/**
 * The config the after steps come from, or why there is none to run; undefined when there is none
 * at all. It is the invocation's config file, which must be what every shard recorded (run.json's
 * hashes) and what every shard's copy says: a copy that disagrees is refused, naming it.
 */
function afterConfig(context) {
    const copies = configCopies(context.shards.shardRecordDirs);
    if (typeof copies === 'string')
        return copies;
    if (context.configFile === undefined) {
        for (const [path, text] of copies)
            if (listsAfterSteps(text))
                return `${path} lists after steps, and report runs after steps only from a config it is given: pass ${context.configOption} (a run directory is data the run's steps could rewrite)`;
        return undefined;
    }
    const shown = context.configFile;
    const read = tryReadInputFile((0,external_node_path_.resolve)(context.baseDir, shown), { confineTo: context.confineTo });
    if ('problem' in read)
        return inputFileMessage('the config file', shown, read.problem);
    const text = read.bytes.toString('utf8');
    let config;
    try {
        config = parseConfig(text, shown);
    }
    catch (error) {
        return error instanceof errors/* UsageError */.eb ? error.problems.join('; ') : (0,errors/* errorMessage */.gJ)(error);
    }
    const { shardRecords, shardRecordDirs } = context.shards;
    for (const [i, record] of shardRecords.entries()) {
        const full = record.config.full_hash;
        if (record.config.hash !== config.hash || (full !== undefined && full !== config.fullHash)) {
            return `${shown} is not the config the shards ran (its steps, after steps, setup or prices differ from the hash in ${recordFile(shardRecordDirs[i], record)}): restore it, or re-run the shards with this config (--resume reuses their flows)`;
        }
    }
    for (const [path, copy] of copies) {
        let same;
        try {
            same = parseConfig(copy, path).fullHash === config.fullHash;
        }
        catch {
            same = false;
        }
        if (!same)
            return `${path} is not the config you passed (${shown}): a step of the run may have rewritten it, so the run's results are suspect too; re-run the shards, or remove that copy if you know why it changed`;
    }
    return { config, text };
}

;// CONCATENATED MODULE: ./build/action-js/engine/after-report.js

















/**
 * `report`: runs the config's after steps once over the merged leaves (as mergedLeaves gives them
 * with `treesFrom` the merged run directory, so a cut output is read whole from its tree), writing under the merged run
 * directory's after/. Null when the config has none; a failed result (naming the problem) when they
 * cannot run. Every setting is the invocation's (`settings`, `env`); run.json supplies none.
 */
async function runAfterForReport(context, leaves) {
    const found = afterConfig(context);
    const failed = (error) => afterNotRun(error, 'failed');
    if (typeof found === 'string')
        return failed(`after steps not run: ${found}`);
    if (found === undefined || found.config.after.length === 0)
        return null;
    const { config } = found;
    const { sources, problems } = loadAfterSources(config, { base: context.baseDir, rules: { confineTo: context.confineTo } });
    if (problems.length > 0)
        return failed(`after steps not run: ${problems.join('; ')}`);
    const options = afterOptions(context.settings, context.env);
    const needs = afterNeeds(config, options, context);
    if (typeof needs === 'string')
        return failed(`after steps not run: ${needs}`);
    const files = new TreeWriter(redactorFor(options.env, { apiKey: needs.apiKey, baseUrl: { value: options.baseUrl, name: '--base-url' } }), context.runDir);
    keepConfigCopy(files, context.runDir, found.text);
    // no --batch here: one request, answered at once
    const runners = makeRunners({
        options: { ...options, resume: false },
        runId: context.runId,
        runDir: context.runDir,
        config: { steps: [], after: config.after },
        ...needs,
    });
    const worktrees = new WorktreeSession({
        workdir: (0,external_node_path_.resolve)(context.baseDir, options.workdir),
        isolate: options.isolate,
        runId: context.runId,
        env: options.env,
        setup: config.setup,
        timeoutMs: options.timeoutS * 1000,
        signal: context.signal,
        files,
    });
    try {
        const { result } = await runAfter({
            steps: config.after,
            sources,
            runDir: context.runDir,
            options,
            prices: withOverrides(config.prices),
            runners,
            files,
            worktrees,
            signal: context.signal,
            stopReason: () => (context.signal.aborted ? 'interrupted' : undefined),
            used: model_usage/* NO_USAGE */.yJ,
            // a long output is cut in the shards' results.json: the listing gives the whole one
            outputOf: (leaf) => wholeOutput(leaf, context.runDir),
        }, leaves);
        return result;
    }
    finally {
        await Promise.all([worktrees.removeAll(), ...Object.values(runners).map((runner) => runner.close?.())]);
        (0,cgroup/* endRunCgroup */.XG)();
        (0,sweep/* killTagged */.Ju)();
    }
}
/** The after steps' options: the invocation's settings, else a run's defaults. */
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
        workdir: s.workdir ?? '.',
        isolate: s.isolate,
        env,
    };
}
/** The key and the codex binary the after steps need, or what is missing. */
function afterNeeds(config, options, context) {
    const { env } = options;
    const apiKey = env.OPENAI_API_KEY || env.CODEX_API_KEY || undefined;
    const online = !options.offline;
    if (online && apiKey === undefined && config.after.some((s) => s.kind === 'openai'))
        return 'OPENAI_API_KEY is not set, and the after steps call a model (set it, or report with --offline)';
    if (!online || !config.after.some((s) => s.kind === 'codex'))
        return { apiKey, codexPath: undefined };
    const codexPath = findExecutable(context.settings.codexPath ?? 'codex', env, context.baseDir);
    return codexPath === undefined ? 'they have codex steps, and no codex is on PATH (or --codex-path)' : { apiKey, codexPath };
}
/** The merged tree keeps the config its after steps ran from, as a run directory does. */
function keepConfigCopy(files, runDir, text) {
    try {
        if ((0,external_node_fs_.lstatSync)((0,external_node_path_.join)(runDir, CONFIG_COPY), { throwIfNoEntry: false }) === undefined)
            files.write((0,external_node_path_.join)(runDir, CONFIG_COPY), text);
    }
    catch {
        // a convenience: the shards' own copies stay where they are
    }
}

;// CONCATENATED MODULE: ./build/action-js/report/merge-copy.js





/**
 * Copies the run directories of all shards into one, forming the tree of an unsharded run. Only
 * directories and regular files are copied: a symbolic link (a step may plant one pointing at a
 * secret) is left out, never followed, and so is anything else; nothing is written through a link
 * found in the destination. Returns the paths left out, relative to their run directory.
 */
function copyMergedTree(run, destination) {
    makeDirectories(destination);
    const tree = new SafeTree(destination);
    const skipped = [];
    for (const dir of run.runDirs) {
        if (dir === destination)
            continue;
        const from = OpenDir.under(dir);
        if (from === undefined)
            throw new UsageError(`cannot read ${dir} to copy it: it is no longer a directory`);
        copyNoFollow(from, destination, '', tree, skipped);
    }
    return skipped;
}
/**
 * The merged run's records without its flows: run.json (the first shard's) and every shard's
 * shards/I-of-N.json, copied as copyMergedTree copies (no link followed or written through).
 */
function copyMergedRecords(run, destination) {
    (0,safe_tree/* makeDirectories */.Kb)(destination);
    const tree = new safe_tree/* SafeTree */.Sw(destination);
    const skipped = [];
    const dirs = [...new Set(run.shardRecordDirs)].filter((dir) => dir !== destination);
    if (dirs.length > 0 && !tree.copyFile((0,external_node_path_.join)(dirs[0], 'run.json'), (0,external_node_path_.join)(destination, 'run.json')))
        skipped.push('run.json');
    for (const dir of dirs) {
        const shards = open_dir/* OpenDir */.E.under(dir, 'shards');
        if (shards === undefined)
            continue;
        try {
            tree.dir((0,external_node_path_.join)(destination, 'shards'));
            for (const { name } of shards.entries().filter((entry) => SHARD_RECORD.test(entry.name)))
                if (!tree.copyFile(shards.entry(name), (0,external_node_path_.join)(destination, 'shards', name)))
                    skipped.push(`shards/${name}`);
        }
        finally {
            shards.close();
        }
    }
}
/** Copies the open directory `from` (`rel` below the run directory) to `to`/`rel`, and closes it. */
function copyNoFollow(from, to, rel, tree, skipped) {
    try {
        let entries;
        try {
            entries = from.entries();
        }
        catch (error) {
            throw new UsageError(`cannot read ${from.path} to copy it: ${errorMessage(error)}`);
        }
        tree.dir(join(to, rel));
        for (const entry of entries) {
            const path = rel === '' ? entry.name : `${rel}/${entry.name}`;
            if (entry.isDirectory()) {
                // listed as a directory a moment ago: a link put in its place since is not followed
                const below = from.dir(entry.name);
                if (below === undefined)
                    throw new UsageError(`cannot read ${join(from.path, entry.name)} to copy it: it is no longer a directory`);
                copyNoFollow(below, to, path, tree, skipped);
            }
            else if (!entry.isFile() || !tree.copyFile(from.entry(entry.name), join(to, path)))
                skipped.push(path);
        }
    }
    finally {
        from.close();
    }
}

;// CONCATENATED MODULE: ./build/action-js/report/comment.js







/** GitHub refuses a comment body over 65,536 characters; leave room for the marker and notes. */
const COMMENT_LIMIT = 65_536 - 1_024;
/** Most of the comment the after output may take: the rows keep the rest. */
const comment_AFTER_LIMIT = 32_000;
const comment_STATUS = { succeeded: '✅', failed: '❌', cancelled: '⏹️' };
/**
 * The hidden marker that finds our own comment again. It names the workflow, the job and the config,
 * so two workflows (or two reports in one) never overwrite each other's comment.
 */
function commentMarker(workflow, job, config) {
    // Percent-encodes what could end the HTML comment early (`<`, `>`, a dash before a dash, line
    // breaks) and what could make two names read alike (`=`, `%`): plain names stay as they are, and
    // different names always give different markers.
    const clean = (text) => text.replace(/[%=<>\r\n]|-(?=-)/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
    return `<!-- orchestrator-report workflow=${clean(workflow)} job=${clean(job)} config=${clean(config)} -->`;
}
function summaryLine(leaf) {
    const name = leafName(leaf);
    const keys = Object.values(leaf.keys)
        .map((path) => cell(path, 60))
        .join(', ');
    const changes = changesTotal(leaf.changes);
    return `${comment_STATUS[leaf.status]} <b>${name}</b>${keys ? ` · ${keys}` : ''}${changes ? ` · ${changes}` : ''}`;
}
function detail(leaf, max) {
    const text = leaf.status === 'succeeded' ? (leaf.output ?? '') : (leaf.error ?? leaf.status);
    // an output results.json holds cut short: its whole length counts
    const whole = leaf.status === 'succeeded' && leaf.output_cut ? Math.max(leaf.output_cut.chars, text.length) : text.length;
    const shown = Math.min(max, text.length);
    const cut = whole > shown ? `${text.slice(0, shown)}\n…(${whole - shown} more characters in the artifact)` : text;
    return block(cut.trimEnd());
}
/** The diffstat of a leaf that changed files, above its message: fewer files as the details shrink. */
function diffstat(leaf, max) {
    if (!leaf.changes || leaf.changes.files.length === 0)
        return '';
    const files = max === Infinity ? 50 : Math.max(3, Math.round(max / 150));
    return `<pre>${diffstatBlock(leaf.changes, files)}</pre>\n\n`;
}
/** The comment's checks section: the failing leaves listed fewer than in the summary (the comment is smaller). */
function checksHead(tally) {
    const section = checksMarkdown(tally, '####', 10);
    return section === '' ? [] : ['', section];
}
/**
 * The PR comment: marker, totals, then one collapsed <details> per result holding its final message.
 * Kept under GitHub's limit by trimming the details first (shorter, then none), then by dropping
 * rows with a count of what was left out. All untrusted text is escaped; mentions are neutralised.
 */
function renderComment(input) {
    const limit = input.limit ?? COMMENT_LIMIT;
    const head = [
        input.marker,
        `### ${escapeMarkdown(input.title)}`,
        '',
        ...(input.after ? [afterSection(input.after, comment_AFTER_LIMIT, '####')] : []),
        totalsLine(input.totals, input.durationMs),
        '',
        ...(input.baseline ? [...baselineLines(input.baseline), ''] : []),
        ...(input.notes ?? []).map((n) => `> ${n}`),
        // how a prompt change is judged on a PR: the checks lead, before the results
        ...checksHead(input.checks ?? tallyChecks(input.leaves)),
    ].join('\n');
    const foot = input.footer ? `\n\n${input.footer}` : '';
    const more = (omitted) => omitted > 0 ? `\n\n_…and ${omitted} more results not shown: see the job summary and the artifact._` : '';
    for (const max of [Infinity, 4000, 1500, 500, 150]) {
        const rows = input.leaves.map((leaf) => `<details><summary>${summaryLine(leaf)}</summary>\n\n${diffstat(leaf, max)}<pre>${detail(leaf, max)}</pre>\n</details>`);
        const body = `${head}\n\n${rows.join('\n')}${more(input.unlisted ?? 0)}${foot}\n`;
        if (body.length <= limit)
            return body;
    }
    // still too long: one line per result, as many as fit
    const lines = [];
    let size = head.length + foot.length + 200;
    for (const leaf of input.leaves) {
        const line = `- ${summaryLine(leaf)}`;
        if (size + line.length + 1 > limit)
            break;
        lines.push(line);
        size += line.length + 1;
    }
    return `${head}\n\n${lines.join('\n')}${more(input.leaves.length - lines.length + (input.unlisted ?? 0))}${foot}\n`;
}

;// CONCATENATED MODULE: ./build/action-js/report/merged.js








/**
 * The one way to merge then summarise: writes the merged results.json into the target directory
 * and its report.html when given, else only counts, then renders the summary. The merged results
 * are read back from the file written (a piece at a time), not merged again.
 */
async function reportMerged(run, target, options = {}) {
    const header = { run_id: run.runId, shard: { index: 1, count: 1 }, flows_total: run.total, after: options.after ?? null };
    const resultsPath = target === undefined ? undefined : (0,external_node_path_.join)(target.dir, 'results.json');
    const treesFrom = target === undefined || target.holdsTrees ? undefined : target.dir;
    // the shard folders the leaves name, for report.html to read their texts
    const trees = new Map();
    const totals = resultsPath === undefined
        ? countLeaves(mergedLeaves(run), run.total)
        : await writeResults(resultsPath, header, mergedLeaves(run, { treesFrom, trees }));
    // the file's first pass (its shape, where its flows start) is made once for every reading of it
    let written;
    const leaves = () => resultsPath === undefined
        ? mergedLeaves(run)
        : results_file_readResultsItems((written ??= results_file_openResultsFile(resultsPath)), { total: run.total, from: 0, to: run.total });
    const title = `orchestrator: ${run.runId}${run.shardCount > 1 ? ` (${run.shardCount} shards)` : ''}`;
    const notes = mergeNotes(run);
    const baseline = options.baseline && compareWith(options.baseline, run, target === undefined ? undefined : target.dir, leaves);
    const { after } = options;
    const summary = renderSummary({ title, totals, durationMs: run.durationMs, leaves: leaves(), notes, after, baseline });
    let htmlPath;
    if (target !== undefined) {
        htmlPath = writeReportHtml(target.dir, { title, totals, durationMs: run.durationMs, leaves: leaves(), after, baseline }, trees);
    }
    return { title, totals, notes, summary, resultsPath, htmlPath, baseline, after: after ?? null, leaves };
}
/**
 * The run compared with its baseline by whole outputs: results.json cuts long ones, so a cut output
 * is read from its file (wholeOutput). The baseline's leaves name their trees from the root, so
 * they are found wherever its shards are; so are this run's when it was not written to a target.
 */
function compareWith(baseline, run, targetDir, leaves) {
    const root = (0,external_node_path_.parse)(process.cwd()).root;
    const fromRoot = (leaf) => wholeOutput(leaf, root);
    return new BaselineComparison(baseline.runId, () => mergedLeaves(baseline, { treesFrom: root }), targetDir === undefined ? mergedLeaves(run, { treesFrom: root }) : leaves(), { baseline: fromRoot, current: targetDir === undefined ? fromRoot : (leaf) => wholeOutput(leaf, targetDir) });
}

// EXTERNAL MODULE: ./node_modules/@actions/github/lib/github.js
var github = __webpack_require__(61351);
;// CONCATENATED MODULE: ./build/action-js/action/baseline.js






/**
 * `baseline-run-id`: downloads the merged artifact of that workflow run (`<artifact-name>-<run id>-merged`,
 * or `-all` when it ran unsharded) into `into` and reads it as the baseline run. Another run's
 * artifacts go through the REST API, so this needs the token (`actions: read`) and the repository.
 * What it downloads is data like any artifact: loadBaseline validates every record it reads. A run
 * whose code came from a fork is refused before anything is downloaded (see `sameRepository`).
 */
async function downloadBaseline(client, settings, env, into) {
    const id = settings.baselineRunId;
    if (!settings.githubToken)
        throw new errors/* UsageError */.eb(`The input '${Inputs.BaselineRunId}' is set (${id}), but '${Inputs.GithubToken}' is empty: another workflow run's artifacts are read through the GitHub API with a token that has 'actions: read'.`);
    const [owner, repo] = (env.GITHUB_REPOSITORY ?? '').split('/');
    if (!owner || !repo)
        throw new errors/* UsageError */.eb(`The input '${Inputs.BaselineRunId}' is set, but GITHUB_REPOSITORY (owner/name) is not: run this on GitHub Actions.`);
    await refuseForks(settings.githubToken, owner, repo, id);
    const findBy = { token: settings.githubToken, workflowRunId: id, repositoryOwner: owner, repositoryName: repo };
    let names;
    try {
        names = (await client.listArtifacts({ latest: true, findBy })).artifacts;
    }
    catch (error) {
        throw new errors/* UsageError */.eb(`The input '${Inputs.BaselineRunId}' is ${id}, but the artifacts of workflow run ${id} in ${owner}/${repo} could not be listed (${(0,errors/* errorMessage */.gJ)(error)}): check the run id and that '${Inputs.GithubToken}' has 'actions: read'.`);
    }
    const prefix = `${settings.artifactName}-`;
    const ofKind = (suffix) => names.filter((a) => a.name.startsWith(prefix) && a.name.endsWith(suffix));
    const merged = ofKind('-merged');
    const candidates = merged.length > 0 ? merged : ofKind('-all');
    // a workflow that reported twice with other run ids: the default run id of that run decides
    const chosen = candidates.length === 1 ? candidates[0] : candidates.find((a) => a.name === `${prefix}run_gh${id}-merged`);
    if (chosen === undefined) {
        const found = names.map((a) => JSON.stringify(a.name)).join(', ') || 'none';
        throw new errors/* UsageError */.eb(candidates.length === 0
            ? `The input '${Inputs.BaselineRunId}' is ${id}, but workflow run ${id} has no artifact named ${prefix}<run id>-merged (or -all): it found ${found}. Pick a run whose report (or unsharded run) job uploaded its results, with the same 'artifact-name'.`
            : `The input '${Inputs.BaselineRunId}' is ${id}, but workflow run ${id} has several merged artifacts (${found}) and none is ${prefix}run_gh${id}-merged: give each report its own 'artifact-name'.`);
    }
    (0,external_node_fs_.rmSync)(into, { recursive: true, force: true });
    (0,external_node_fs_.mkdirSync)(into, { recursive: true });
    await client.downloadArtifact(chosen.id, { path: into, findBy });
    core/* info */.pq(`Downloaded the baseline ${chosen.name} from workflow run ${id}`);
    return loadBaseline(into);
}
/**
 * A run of a pull request from a fork ran the fork's code, which wrote that run's artifacts: a
 * baseline from it would put an outsider's results (and whatever its records claim) beside this
 * repository's. Only a run whose head repository is this repository is read; the run's record says
 * which (`head_repository`, null when the fork was deleted).
 */
async function refuseForks(token, owner, repo, id) {
    let head;
    try {
        const { data } = await github/* getOctokit */.Q(token).rest.actions.getWorkflowRun({ owner, repo, run_id: id });
        head = data.head_repository?.full_name;
    }
    catch (error) {
        throw new errors/* UsageError */.eb(`The input '${Inputs.BaselineRunId}' is ${id}, but workflow run ${id} of ${owner}/${repo} could not be read (${(0,errors/* errorMessage */.gJ)(error)}): check the run id and that '${Inputs.GithubToken}' has 'actions: read'.`);
    }
    if (head?.toLowerCase() !== `${owner}/${repo}`.toLowerCase()) {
        throw new errors/* UsageError */.eb(`The input '${Inputs.BaselineRunId}' is ${id}, but workflow run ${id} ran the code of ${head === undefined ? 'a deleted repository' : `'${head}'`}, not of ${owner}/${repo} (a pull request from a fork): its artifacts were written by that code and are not trusted as a baseline. Pick a run of a branch of ${owner}/${repo}, e.g. the latest run on the default branch.`);
    }
}

;// CONCATENATED MODULE: ./build/action-js/action/comment.js

/** The account GitHub writes as for the workflow's own `GITHUB_TOKEN`. */
const comment_ACTIONS_BOT = 'github-actions[bot]';
/** The pull request this run belongs to, if any. */
function pullRequestNumber() {
    const payload = github/* context */._.payload;
    return payload.pull_request?.number ?? (payload.issue?.pull_request ? payload.issue.number : undefined);
}
const httpStatus = (error) => error.status;
/**
 * The login of the account behind the token, which is the author of the comments it writes.
 * `GET /user` answers for a personal access token; an installation token (the job's `GITHUB_TOKEN`,
 * a GitHub App's) is refused there, but GraphQL's `viewer` names its bot (`github-actions[bot]`).
 * When neither answers, the job token's bot is assumed: only GitHub can write as it.
 */
async function tokenLogin(octokit) {
    try {
        const { data } = await octokit.rest.users.getAuthenticated();
        if (typeof data.login === 'string' && data.login !== '')
            return data.login;
    }
    catch (error) {
        const status = httpStatus(error);
        if (status !== 401 && status !== 403 && status !== 404)
            throw error;
    }
    try {
        const data = await octokit.graphql('query { viewer { login } }');
        const login = data.viewer?.login;
        if (typeof login === 'string' && login !== '')
            return login;
    }
    catch {
        // an endpoint without GraphQL, or a token it refuses: fall back to the job token's bot
    }
    return comment_ACTIONS_BOT;
}
/**
 * Whether a comment was written by `login`. GraphQL names a bot without its `[bot]` suffix, so
 * `name[bot]` matches `name` too, but only for an account of type Bot: `[bot]` logins belong to
 * GitHub Apps, and no user can take one.
 */
function writtenBy(user, login) {
    if (!user || typeof user.login !== 'string')
        return false;
    const author = user.login.toLowerCase();
    const wanted = login.toLowerCase();
    if (author === wanted)
        return true;
    return user.type === 'Bot' && !wanted.endsWith('[bot]') && author === `${wanted}[bot]`;
}
/**
 * Creates or updates our one comment on the pull request: found by its hidden marker and its
 * author, so a re-run edits it instead of adding another, and a comment someone else wrote with
 * our marker is never touched. A token that may not write (a fork PR, or no
 * `pull-requests: write`) is reported, not thrown.
 */
async function upsertComment(token, marker, body) {
    const issue_number = pullRequestNumber();
    if (issue_number === undefined)
        return { kind: 'skipped', reason: 'this run is not for a pull request' };
    const octokit = github/* getOctokit */.Q(token);
    const { owner, repo } = github/* context */._.repo;
    try {
        const login = await tokenLogin(octokit);
        const comments = await octokit.paginate(octokit.rest.issues.listComments, { owner, repo, issue_number, per_page: 100 });
        // ours starts with the marker and was written by this token's account; a comment that quotes
        // the marker, or one anybody else wrote starting with it, is not ours
        const ours = comments.find((c) => writtenBy(c.user, login) && c.body?.trimStart().startsWith(marker));
        if (ours) {
            const { data } = await octokit.rest.issues.updateComment({ owner, repo, comment_id: ours.id, body });
            return { kind: 'updated', url: data.html_url };
        }
        const { data } = await octokit.rest.issues.createComment({ owner, repo, issue_number, body });
        return { kind: 'created', url: data.html_url };
    }
    catch (error) {
        const status = httpStatus(error);
        if (status === 403 || status === 401 || status === 404) {
            return {
                kind: 'forbidden',
                reason: `the token cannot comment on pull request #${issue_number} (HTTP ${status}): give the job \`permissions: pull-requests: write\`; ` +
                    'on a pull request from a fork the token is read-only, so the results are only in the job summary',
            };
        }
        throw error;
    }
}

;// CONCATENATED MODULE: ./build/action-js/action/report.js

























/** Most results passed to the comment renderer; more could not fit in 65,536 characters anyway. */
const COMMENT_LEAVES = 2000;
/**
 * Mode `report`: downloads the latest records artifact of every shard of this run (not their run directories),
 * merges them, names missing shards, writes one job summary, uploads the merged results and, with
 * `comment: true`, creates or updates the pull request comment.
 */
async function reportMode(settings, runId, outputs) {
    const env = process.env;
    if (!env.ACTIONS_RUNTIME_TOKEN)
        throw new errors/* UsageError */.eb("mode 'report' downloads the shards' artifacts, but there is no artifact service here (ACTIONS_RUNTIME_TOKEN is not set).");
    const workspace = env.GITHUB_WORKSPACE ?? process.cwd();
    const client = new artifact/* DefaultArtifactClient */.t9();
    const merged = mergedName(settings.artifactName, runId);
    const { chosen, merging } = await downloadShards(client, settings, runId, workspace);
    const { run, runDir } = merging;
    const { notes, summary } = merging.report;
    for (const note of notes)
        core/* warning */.$e(note);
    setReportOutputs(merging, outputs);
    if (settings.summary) {
        await core/* summary */.z
            .addRaw(summary + reportHtmlLine(run.runId, settings.upload ? merged : undefined, runDir) + runDirsLine(chosen.runDirArtifacts))
            .write();
    }
    if (settings.upload) {
        const uploaded = await uploadMerged(client, merged, merging.outputDir, runDir);
        core/* info */.pq(`Uploaded the merged results (${uploaded.files} files, ${bytes(uploaded.size)}) as ${merged}.`);
    }
    if (settings.comment) {
        if (!settings.githubToken)
            core/* warning */.$e("comment: true, but the input 'github-token' is empty: no comment was written.");
        else
            await commentOnPullRequest(settings.githubToken, settings.config, merging, merged);
    }
    // the leaves the summary reported, not the downloads read again (an unzip still under way would
    // make the two differ); their patches came with the records, where they were unpacked
    const conflicts = settings.apply !== 'off'
        ? await applyToWorkspace(settings, { runId: run.runId, leaves: merging.report.leaves(), treesFrom: runDir, runDirs: run.runDirs }, outputs)
        : undefined;
    if (settings.failOnError)
        failOnProblems(merging, conflicts);
}
/**
 * Finds the shards' artifacts of this run, downloads them into the output directory and merges
 * them; on failure nothing is left behind in the workspace.
 */
async function downloadShards(client, settings, runId, workspace) {
    const { artifacts } = await client.listArtifacts({ latest: true });
    const chosen = chooseReportDownloads(settings.artifactName, runId, artifacts);
    if (chosen.downloads.length === 0) {
        throw new errors/* UsageError */.eb(`No artifact named ${runPrefix(settings.artifactName, runId)}* in this workflow run: the run jobs uploaded nothing, or used another 'artifact-name' or 'run-id' (this job looked for run id ${runId}).`);
    }
    const outputDir = outputDirectory(workspace);
    // never committed by a later step (create-pull-request adds everything)
    if (await excludeFromGit(outputDir))
        core/* info */.pq(`${outputDir} is kept out of git by the repository's info/exclude.`);
    const madeOutput = !(0,external_node_fs_.existsSync)(outputDir);
    // each shard unpacked into a folder named for its run-directory artifact: the merged leaves name it as where their files are
    const downloads = (0,external_node_path_.join)(outputDir, `${runId}-shards`);
    const temp = (0,external_node_path_.join)(process.env.RUNNER_TEMP ?? (0,external_node_path_.join)(workspace, '.orchestrator'), 'orchestrator-report');
    try {
        const merging = await downloadAndMerge(client, settings, chosen, downloads, outputDir, (0,external_node_path_.join)(temp, `${runId}-baseline`), workspace);
        return { chosen, merging };
    }
    catch (error) {
        // records refused (or a download failed): nothing is left behind in the workspace
        (0,external_node_fs_.rmSync)(madeOutput ? outputDir : downloads, { recursive: true, force: true });
        throw error;
    }
}
/** The outputs of mode `report`: the merged run's directory, results and totals. */
function setReportOutputs({ run, runDir, report }, outputs) {
    const { totals, after } = report;
    outputs[Outputs.RunId] = run.runId;
    outputs[Outputs.RunDir] = runDir;
    outputs[Outputs.Results] = (0,external_node_path_.join)(runDir, 'results.json');
    outputs[Outputs.Succeeded] = String(totals.succeeded);
    outputs[Outputs.Failed] = String(totals.failed);
    outputs[Outputs.InputTokens] = String(totals.usage.input_tokens);
    outputs[Outputs.OutputTokens] = String(totals.usage.output_tokens);
    outputs[Outputs.CostUsd] = usdDecimal(totals.usage.cost_usd === undefined ? 0 : totals.usage.cost_usd);
    outputs[Outputs.AfterOutput] = after?.output ?? '';
    // results.json cuts a long output: the output is the whole one, read from its file
    if (totals.total === 1)
        for (const leaf of report.leaves())
            if (!isNotStarted(leaf))
                outputs[Outputs.FinalMessage] = wholeOutput(leaf, runDir) ?? '';
}
/** Creates or updates this workflow's comment on the pull request (a warning when the token cannot write). */
async function commentOnPullRequest(token, configInput, merging, merged) {
    const env = process.env;
    const { run } = merging;
    const { title, totals, notes, after, baseline } = merging.report;
    const leaves = [];
    let unlisted = 0;
    // the checks' pass rates count every leaf, listed or not
    const checks = new CheckTally();
    // never-started ranges are counted in the totals line; the comment lists leaves that ran
    for (const leaf of merging.report.leaves()) {
        checks.add(leaf);
        if (isNotStarted(leaf))
            unlisted += leaf.count;
        else if (leaves.length < COMMENT_LEAVES)
            leaves.push(leaf);
        else
            unlisted++;
    }
    const config = configInput ?? run.shardRecords[0]?.config.file ?? 'config';
    const marker = commentMarker(env.GITHUB_WORKFLOW ?? 'workflow', env.GITHUB_JOB ?? 'job', config);
    const link = env.GITHUB_SERVER_URL && env.GITHUB_REPOSITORY && env.GITHUB_RUN_ID
        ? `[Workflow run](${env.GITHUB_SERVER_URL}/${env.GITHUB_REPOSITORY}/actions/runs/${env.GITHUB_RUN_ID}) · artifact \`${merged}\``
        : undefined;
    const body = renderComment({
        marker,
        title,
        totals,
        durationMs: run.durationMs,
        leaves,
        unlisted,
        checks,
        notes,
        footer: link,
        after,
        baseline,
    });
    const outcome = await upsertComment(token, marker, body);
    if (outcome.kind === 'forbidden')
        core/* warning */.$e(outcome.reason);
    else if (outcome.kind === 'skipped')
        core/* info */.pq(`No comment: ${outcome.reason}.`);
    else
        core/* info */.pq(`Comment ${outcome.kind}: ${outcome.url}`);
}
/** fail-on-error: the step fails when a leaf failed or was cancelled, a shard is missing, the after steps or a patch did not succeed. */
function failOnProblems({ run, report }, conflicts) {
    const { totals, after } = report;
    const problems = totals.failed + totals.cancelled + run.missingShards.length;
    const afterFailed = after !== null && after !== undefined && after.status !== 'succeeded' ? afterProblem(after) : '';
    if (problems === 0 && conflicts === undefined && afterFailed === '')
        return;
    const missing = run.missingShards.length > 0 ? `; ${run.missingShards.length} shards missing` : '';
    const results = problems > 0
        ? `${totals.failed} failed and ${totals.cancelled} cancelled of ${totals.total} results${missing}: see the job summary`
        : '';
    core/* setFailed */.C1([results, afterFailed, conflicts ?? ''].filter(Boolean).join('; '));
}
/** Why the run is not done when its after steps did not succeed, for `setFailed`. */
const afterProblem = (after) => `the after steps ${after.status === 'failed' ? 'failed' : 'were cancelled'}: ${after.error ?? ''}`;
/**
 * The config's after steps, once over the merged leaves (the shards do not run them): from the
 * input 'config' (a file of this job's checkout) only, with this step's inputs as their settings;
 * the downloaded records supply neither.
 */
async function report_afterSteps(settings, run, runDir, workspace) {
    const stop = stopOnSignals((signal) => core/* warning */.$e(`${signal}: stopping the after steps.`));
    try {
        return await runAfterForReport({
            runId: run.runId,
            runDir,
            shards: run,
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
                isolate: settings.isolate,
            },
            env: { ...process.env, OPENAI_API_KEY: settings.apiKey },
            signal: stop.signal,
        }, mergedLeaves(run, { treesFrom: runDir }));
    }
    finally {
        stop.dispose();
    }
}
/** Where the leaves' files are: the shards' run-directory artifacts, the first and last when there are many. */
function runDirsLine(runDirArtifacts) {
    const names = [...runDirArtifacts.values()];
    if (names.length === 0)
        return '';
    const shown = names.length <= 3 ? names.map((n) => escapeName(n)).join(', ') : `${escapeName(names[0])} … ${escapeName(names.at(-1))}`;
    return `\nEach leaf's files (prompts, outputs, patches) are in its shard's artifact: ${shown}.\n`;
}
/**
 * Downloads the chosen artifacts into `downloads`, the baseline run when asked, and merges them:
 * the merged output (results, records and report.html, no flow directory) goes to
 * `<outputDir>/<run id>`, written through SafeTree, so a link planted there is refused.
 */
async function downloadAndMerge(client, settings, chosen, downloads, outputDir, baselineDir, workspace) {
    (0,external_node_fs_.rmSync)(downloads, { recursive: true, force: true });
    for (const { artifact, folder } of chosen.downloads) {
        const path = (0,external_node_path_.join)(downloads, folder);
        (0,external_node_fs_.mkdirSync)(path, { recursive: true });
        await client.downloadArtifact(artifact.id, { path });
        core/* info */.pq(`Downloaded ${artifact.name} (${bytes(artifact.size)})`);
    }
    const share = chosen.allBytes > 0 ? ` (${((100 * chosen.downloadedBytes) / chosen.allBytes).toFixed(1)} %)` : '';
    core/* info */.pq(`Downloaded ${bytes(chosen.downloadedBytes)}${share} of the ${bytes(chosen.allBytes)} this run's shard artifacts hold: the records, not the trees.`);
    for (const note of chosen.notes)
        core/* warning */.$e(note);
    const baselineRunId = settings.baselineRunId;
    const baselineRun = baselineRunId === undefined ? undefined : await downloadBaseline(client, { ...settings, baselineRunId }, process.env, baselineDir);
    const run = loadMergedRun([downloads]);
    const runDir = (0,external_node_path_.join)(outputDir, run.runId);
    copyMergedRecords(run, runDir);
    const after = await report_afterSteps(settings, run, runDir, workspace);
    const report = await reportMerged(run, { dir: runDir, holdsTrees: false }, { baseline: baselineRun, after });
    return { run, outputDir, runDir, report };
}

;// CONCATENATED MODULE: ./build/action-js/action/cache-keys.js
/**
 * `<artifact-name>-cache-v1-<config>-<shard>-<run id>-<attempt>`: the newest entry of the same
 * config and shard is restored first, then of the same config, then any with this artifact name
 * (a config with one prompt changed still answers its other steps from the cache). `config` is
 * the first 16 hex digits of the config's hash; `shard` is `all` or `I-of-N`.
 */
function cacheKeys(at) {
    const base = `${at.prefix}-cache-v1-`;
    const config = `${base}${at.configHash.slice(0, 16)}-`;
    const shard = `${config}${at.shard.count > 1 ? `${at.shard.index}-of-${at.shard.count}` : 'all'}-`;
    return { key: `${shard}${at.runId}-${at.attempt}`, restoreKeys: [shard, config, base] };
}

// EXTERNAL MODULE: ./node_modules/@actions/cache/lib/cache.js + 120 modules
var cache = __webpack_require__(45692);
;// CONCATENATED MODULE: ./build/action-js/action/response-cache.js



/** Restores the response cache into `dir`; a missing service or a failed download is a warning, never a failure. */
async function restoreResponses(dir, keys) {
    if (!cache/* isFeatureAvailable */.w3()) {
        core/* warning */.$e("The input 'cache' is true, but the Actions cache service is not available here (ACTIONS_RESULTS_URL is not set): replies are cached for this job only.");
        return;
    }
    try {
        const matched = await cache/* restoreCache */.P3([dir], keys.key, [...keys.restoreKeys]);
        core/* info */.pq(matched === undefined ? `No response cache to restore (key ${keys.key}).` : `Restored the response cache from ${matched}.`);
    }
    catch (error) {
        core/* warning */.$e(`Could not restore the response cache: ${(0,errors/* errorMessage */.gJ)(error)}. The run goes on without it.`);
    }
}
/** Saves `dir` under `keys.key` when the run added replies to it. */
async function saveResponses(dir, keys, added) {
    if (added === 0 || !cache/* isFeatureAvailable */.w3()) {
        if (added === 0)
            core/* info */.pq('The response cache gained no reply: not saved.');
        return;
    }
    try {
        const id = await cache/* saveCache */.Io([dir], keys.key);
        if (id !== -1)
            core/* info */.pq(`Saved the response cache (${added} new replies) as ${keys.key}.`);
    }
    catch (error) {
        core/* warning */.$e(`Could not save the response cache: ${(0,errors/* errorMessage */.gJ)(error)}.`);
    }
}

;// CONCATENATED MODULE: ./build/action-js/options/inputs.js



/**
 * Reads every input of the table, in its order, and parses it; an empty input is its default.
 * Throws a UsageError naming the input, quoting the value and saying what it must be.
 */
function readInputs(read) {
    const values = defaultValues();
    const given = new Set();
    const joining = [];
    for (const [key, spec] of optionEntries()) {
        const input = spec.input;
        if (input === undefined)
            continue;
        const raw = read(input.name);
        if (spec.list) {
            const lines = raw
                .split('\n')
                .map((line) => line.trim())
                .filter((line) => line !== '' && !line.startsWith('#'));
            const items = lines.map((line) => parseInput(spec, line, `The input '${input.name}' has a line ${JSON.stringify(line)}`, 'Write one per line.'));
            if (spec.joins === undefined)
                values[key] = items;
            else
                joining.push({ into: spec.joins, items });
            if (lines.length > 0)
                given.add(key);
            continue;
        }
        const text = raw.trim();
        if (text === '') {
            values[key] = 'default' in input ? input.default : spec.default;
            continue;
        }
        values[key] = parseInput(spec, text, `The input '${input.name}' is ${JSON.stringify(text)}`);
        given.add(key);
    }
    // a joining input's lines come after those of the input it joins (`values` after `keys`)
    for (const { into, items } of joining)
        values[into] = [...values[into], ...items];
    return { values: values, given };
}
function parseInput(spec, text, where, after = '') {
    try {
        return (spec.input?.parse ?? spec.parse)(text);
    }
    catch (error) {
        if (!(error instanceof BadValue))
            throw error;
        const why = 'expected' in error.why ? `it must be ${error.why.expected}` : error.why.problem;
        throw new errors/* UsageError */.eb(`${where}, but ${why}.${after === '' ? '' : ` ${after}`}`);
    }
}

;// CONCATENATED MODULE: ./build/action-js/action/settings.js





/**
 * Parses every input (by the table of options, src/options/table.ts) into one settings object;
 * throws a UsageError naming the input and its value.
 */
function parseSettings(read, env) {
    const { values: v, given } = readInputs(read);
    const batch = batchSettings(v, given);
    if (v.batchCancelOnExit && batch === undefined) {
        throw new errors/* UsageError */.eb(`The input '${Inputs.BatchCancelOnExit}' is true, but 'batch' is false: set 'batch: true', or leave it out.`);
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
        apiKey: v.apiKey ?? (env.OPENAI_API_KEY || undefined),
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
        githubToken: v.githubToken ?? (env.GITHUB_TOKEN || undefined),
        codexVersion: v.codexVersion,
    };
    const { mode, config, shards, baselineRunId } = v;
    if (mode === 'report')
        return { ...common, mode, config, baselineRunId };
    if (baselineRunId !== undefined) {
        throw new errors/* UsageError */.eb(`The input 'baseline-run-id' is set, but mode '${mode}' writes no comparison: set it on the step with mode 'report'.`);
    }
    if (config === undefined) {
        throw new errors/* UsageError */.eb(`The input 'config' is empty, but mode '${mode}' needs it: set it to the path of the config file.`);
    }
    if (mode === 'run')
        return { ...common, mode, config };
    if (common.apply !== 'off') {
        throw new errors/* UsageError */.eb(`The input 'apply' is ${common.apply === 'worktree' ? 'true' : common.apply}, but mode 'plan' runs no flows: set it on the run or report step.`);
    }
    if (shards === undefined) {
        throw new errors/* UsageError */.eb(`The input 'shards' is empty, but mode 'plan' needs it: set it to the number of matrix jobs wanted.`);
    }
    return { ...common, mode, config, shards };
}

;// CONCATENATED MODULE: ./build/action-js/action/main.js



































/** Every output, empty first: the Action sets them all in one place. */
const emptyOutputs = () => ({
    [Outputs.RunDir]: '',
    [Outputs.Results]: '',
    [Outputs.Succeeded]: '0',
    [Outputs.Failed]: '0',
    [Outputs.InputTokens]: '0',
    [Outputs.OutputTokens]: '0',
    [Outputs.CostUsd]: '0',
    [Outputs.Matrix]: '',
    [Outputs.RunId]: '',
    [Outputs.FinalMessage]: '',
    [Outputs.AfterOutput]: '',
    [Outputs.Applied]: '',
    [Outputs.Conflicts]: '',
    [Outputs.Branches]: '',
    [Outputs.PrBody]: '',
});
function defaultRunId(settings, env) {
    if (settings.runId !== undefined)
        return checkedRunId(`the input '${Inputs.RunId}'`, settings.runId);
    return env.GITHUB_RUN_ID ? `run_gh${env.GITHUB_RUN_ID}` : newRunId(new Date());
}
const MISSING_KEY = `The input '${Inputs.OpenaiApiKey}' is empty and OPENAI_API_KEY is not set, but the config has model or codex steps. ` +
    'Pass it with `openai-api-key: ${{ secrets.OPENAI_API_KEY }}`. On a pull request from a fork, GitHub gives the workflow no secrets: ' +
    'skip such runs (e.g. `if: github.event.pull_request.head.repo.full_name == github.repository`), or set `offline: true` to try the config without a key.';
/** Installs codex from npm when the config has codex steps, none is on PATH, and `codex-version` is set. */
async function installCodexIfNeeded(settings, workspace) {
    const version = settings.codexVersion;
    if (settings.offline || version === undefined || findExecutable('codex', process.env, workspace) !== undefined)
        return;
    const path = (0,external_node_path_.resolve)(workspace, settings.config);
    let hasCodex = false;
    try {
        hasCodex = parseConfigLenient((0,external_node_fs_.readFileSync)(path, 'utf8'), settings.config).config.steps.some((s) => s.kind === 'codex');
    }
    catch {
        return; // prepare() reports the problem with the config
    }
    if (!hasCodex)
        return;
    const bin = await core/* group */.Os(`Installing @openai/codex@${version}`, () => Promise.resolve(installCodex(version, (0,external_node_path_.join)(process.env.RUNNER_TEMP ?? workspace, 'orchestrator-codex'))));
    core/* addPath */.fM(bin);
    process.env.PATH = `${bin}${external_node_path_.delimiter}${process.env.PATH ?? ''}`;
}
/** The response cache of `cache: true`: outside the workspace, so it is not part of the run's artifact. */
function responseCache(env) {
    const dir = (0,external_node_path_.join)(env.RUNNER_TEMP ?? (0,external_node_os_.tmpdir)(), 'orchestrator-cache');
    return new ResponseCache(dir, `The input '${Inputs.Cache}' is true, but its directory ${JSON.stringify(dir)}`);
}
/** Downloads this job's run directory from an earlier attempt when `resume` is on: true when it was there. */
async function downloadEarlierAttempt(settings, artifacts, names, outputDir) {
    if (!settings.resume || artifacts === undefined)
        return false;
    const found = await downloadOwn(artifacts, names.runDir, outputDir);
    if (found)
        core/* info */.pq(`Resuming: downloaded ${names.runDir} from an earlier attempt; flows that succeeded there are not run again.`);
    return found;
}
/** The step runners, answering from the response cache when `cache` is on; `save` stores what the run added. */
async function runnersFor(settings, prepared, env) {
    const warn = (text) => core/* warning */.$e(text);
    if (!settings.cache || settings.offline)
        return { runners: makeRunners(prepared, warn), save: () => Promise.resolve() };
    const responses = responseCache(env);
    const keys = cacheKeys({
        prefix: settings.artifactName,
        configHash: prepared.config.hash,
        shard: prepared.shard,
        runId: env.GITHUB_RUN_ID ?? prepared.runId,
        attempt: env.GITHUB_RUN_ATTEMPT ?? '1',
    });
    await restoreResponses(responses.dir, keys);
    return {
        runners: withCache(makeRunners(prepared, warn), prepared, responses, warn),
        save: () => saveResponses(responses.dir, keys, responses.written),
    };
}
/** Runs the flows until done or a signal stops them, printing progress to the log. */
async function executeRun(prepared, runners, rows) {
    const stop = stopOnSignals((signal) => core/* warning */.$e(`${signal}: stopping; running steps are ended and results are written.`));
    const printer = new ProgressPrinter(process.stdout, { tty: false, intervalMs: 10_000 });
    const control = {
        signal: stop.signal,
        onProgress: printer.update,
        onResult: rows ? (result) => rows.add(result) : undefined,
        onWarning: (warning) => core/* warning */.$e(warning),
    };
    const outcome = await new Run(prepared, control, runners).execute().finally(() => stop.dispose());
    printer.finish();
    return outcome;
}
function setRunOutputs(outcome, outputs) {
    const { totals } = outcome;
    outputs[Outputs.Results] = outcome.resultsPath;
    outputs[Outputs.Succeeded] = String(totals.succeeded);
    outputs[Outputs.Failed] = String(totals.failed);
    outputs[Outputs.InputTokens] = String(totals.usage.input_tokens);
    outputs[Outputs.OutputTokens] = String(totals.usage.output_tokens);
    outputs[Outputs.CostUsd] = usdDecimal(totals.usage.cost_usd === undefined ? 0 : totals.usage.cost_usd);
    outputs[Outputs.FinalMessage] = outcome.onlyOutput ?? '';
    outputs[Outputs.AfterOutput] = outcome.after?.output ?? '';
}
/** Uploads the run directory and its records when there is an artifact service. */
async function uploadRunDirectory(settings, artifacts, names, outputDir, runDir) {
    if (artifacts !== undefined) {
        const { runDir: whole, records } = await uploadRun(artifacts, names, outputDir, runDir);
        core/* info */.pq(`Uploaded ${whole.files} files as artifact ${whole.name} (${bytes(whole.size)}).`);
        core/* info */.pq(`Uploaded its records for the report job, ${records.files} files, as ${records.name} (${bytes(records.size)}).`);
    }
    else if (settings.upload) {
        core/* warning */.$e('No artifact service here (ACTIONS_RUNTIME_TOKEN is not set): the run directory was not uploaded.');
    }
}
/** The job summary of a run; `artifact` is the uploaded run directory's name, when it was uploaded. */
async function writeRunSummary(prepared, outcome, rows, durationMs, artifact) {
    const shard = prepared.shard.count > 1 ? ` (shard ${prepared.shard.index}/${prepared.shard.count})` : '';
    const summary = renderSummary({
        title: `orchestrator: ${prepared.runId}${shard}`,
        totals: outcome.totals,
        durationMs,
        rows,
        after: outcome.after,
    });
    await core/* summary */.z.addRaw(summary + reportHtmlLine(prepared.runId, artifact, prepared.runDir)).write();
}
/** What makes the step fail under `fail-on-error`: unfinished leaves, failed after steps, apply conflicts. */
function runProblems(outcome, conflicts) {
    const { totals } = outcome;
    const problems = [];
    if (totals.failed + totals.cancelled > 0)
        problems.push(`${totals.failed} failed and ${totals.cancelled} cancelled of ${totals.total} results: see the job summary and ${outcome.resultsPath}`);
    if (outcome.after !== null && outcome.after.status !== 'succeeded')
        problems.push(afterProblem(outcome.after));
    if (conflicts !== undefined)
        problems.push(conflicts);
    return problems;
}
/** Mode `run`: runs the flows in-process, uploads the run directory, writes the summary. */
async function runMode(settings, outputs) {
    const env = process.env;
    const workspace = env.GITHUB_WORKSPACE ?? process.cwd();
    const runId = defaultRunId(settings, env);
    const outputDir = outputDirectory(workspace);
    // never committed by a later step (create-pull-request adds everything)
    if (await excludeFromGit(outputDir))
        core/* info */.pq(`${outputDir} is kept out of git by the repository's info/exclude.`);
    const names = runArtifactNames(settings.artifactName, runId, settings.shard);
    const artifacts = settings.upload && env.ACTIONS_RUNTIME_TOKEN ? new artifact/* DefaultArtifactClient */.t9() : undefined;
    await installCodexIfNeeded(settings, workspace);
    const resume = await downloadEarlierAttempt(settings, artifacts, names, outputDir);
    const prepared = prepare(runOptions(settings, {
        configFile: settings.config,
        baseDir: workspace,
        outputDir,
        runId,
        resume: resume && (0,external_node_fs_.existsSync)((0,external_node_path_.join)(outputDir, runId, 'run.json')),
        confineTo: workspace,
        missingKeyHint: MISSING_KEY,
        codexNeedsKey: true,
        env: { ...env, OPENAI_API_KEY: settings.apiKey },
    }));
    for (const warning of prepared.warnings)
        core/* warning */.$e(warning);
    outputs[Outputs.RunId] = prepared.runId;
    outputs[Outputs.RunDir] = prepared.runDir;
    const { runners, save } = await runnersFor(settings, prepared, env);
    const started = Date.now();
    // the summary's rows are gathered as the run writes results.json: the leaves are read once
    const rows = new SummaryRows();
    const outcome = await executeRun(prepared, runners, settings.summary ? rows : undefined);
    await save();
    setRunOutputs(outcome, outputs);
    await uploadRunDirectory(settings, artifacts, names, outputDir, prepared.runDir);
    if (settings.summary)
        await writeRunSummary(prepared, outcome, rows, Date.now() - started, artifacts !== undefined ? names.runDir : undefined);
    const conflicts = settings.apply !== 'off'
        ? await applyToWorkspace(settings, { runDir: prepared.runDir, commitMessage: prepared.config.commitMessage }, outputs)
        : undefined;
    const problems = runProblems(outcome, conflicts);
    if (problems.length > 0 && settings.failOnError)
        core/* setFailed */.C1(problems.join('; '));
}
/** Mode `plan`: the shard matrix for a following job. */
function planMode(settings, outputs) {
    const workspace = process.env.GITHUB_WORKSPACE ?? process.cwd();
    const space = loadFlowSpace(settings.config, settings.keys, workspace, workspace);
    if (space.total === 0)
        throw new errors/* UsageError */.eb('The config and keys make no flows, and an empty matrix fails the workflow.');
    const plan = shardPlan(defaultRunId(settings, process.env), space.total, settings.shards);
    core/* info */.pq(JSON.stringify(plan));
    outputs[Outputs.Matrix] = JSON.stringify(plan.matrix);
    outputs[Outputs.RunId] = plan.run_id;
}
/** The Action's entry: one boundary turns any error into one `setFailed`. */
async function main_run() {
    // before anything reads an input: the tokens leave this process's /proc/<pid>/environ
    (0,shelter/* shelterPrivateEnv */.Y)();
    const outputs = emptyOutputs();
    let redactor = redactorFor(process.env);
    try {
        refuseUnsupportedPlatform();
        const settings = parseSettings((name) => core/* getInput */.V4(name), process.env);
        redactor = redactorFor(process.env, {
            apiKey: settings.apiKey ? { name: Inputs.OpenaiApiKey, value: settings.apiKey } : undefined,
            baseUrl: { value: settings.baseUrl, name: Inputs.BaseUrl },
            others: [settings.githubToken ? { name: Inputs.GithubToken, value: settings.githubToken } : undefined],
        });
        // every form: the runner masks a log line by line, so each line of a multi-line secret too
        for (const form of redactor.forms)
            core/* setSecret */.Pq(form);
        if (settings.mode === 'run')
            await runMode(settings, outputs);
        else if (settings.mode === 'plan')
            planMode(settings, outputs);
        else
            await reportMode(settings, defaultRunId(settings, process.env), outputs);
    }
    catch (error) {
        core/* setFailed */.C1(redactor.redact(error instanceof errors/* UsageError */.eb ? error.problems.join('\n') : `orchestrator failed: ${(0,errors/* errorMessage */.gJ)(error)}`));
    }
    finally {
        for (const [name, value] of Object.entries(outputs))
            core/* setOutput */.uH(name, value);
    }
}


/***/ }),

/***/ 66946:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   cc: () => (/* binding */ CancelledError),
/* harmony export */   eb: () => (/* binding */ UsageError),
/* harmony export */   gJ: () => (/* binding */ errorMessage),
/* harmony export */   u7: () => (/* binding */ OutputError),
/* harmony export */   zg: () => (/* binding */ StepError)
/* harmony export */ });
/**
 * Errors the user can fix: bad usage, a bad config, missing files. They carry every problem found,
 * so one run of the CLI lists them all, and they map to exit code 2 (nothing ran).
 */
class UsageError extends Error {
    problems;
    constructor(problems, options) {
        const list = typeof problems === 'string' ? [problems] : problems;
        super(list.join('\n'), options);
        this.name = 'UsageError';
        this.problems = list;
    }
}
/** A step failed; the message is what the user sees in results.json and the summary. */
class StepError extends Error {
    /** Tokens the failed attempt still cost (a model reply cut short is paid for): counted like a success's. */
    usage;
    constructor(message, options) {
        super(message, options);
        this.name = 'StepError';
        this.usage = options?.usage ?? null;
    }
}
/** The run's own files (results.json, run.json) could not be written: the results are incomplete. */
class OutputError extends Error {
    constructor(message, options) {
        super(message, options);
        this.name = 'OutputError';
    }
}
/** A step was stopped before it finished, by an interrupt or the token budget. */
class CancelledError extends Error {
    constructor(reason) {
        super(reason);
        this.name = 'CancelledError';
    }
}
function errorMessage(error) {
    return error instanceof Error ? error.message : String(error);
}


/***/ }),

/***/ 44704:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   jt: () => (/* binding */ tokenCount),
/* harmony export */   mI: () => (/* binding */ usageFrom),
/* harmony export */   tE: () => (/* binding */ roundUsd),
/* harmony export */   vk: () => (/* binding */ addUsage),
/* harmony export */   yJ: () => (/* binding */ NO_USAGE)
/* harmony export */ });
/** A token count as a server reported it: a whole number of at least 0, else 0 (an odd value must not make a cost NaN). */
const tokenCount = (value) => (typeof value === 'number' && Number.isSafeInteger(value) && value > 0 ? value : 0);
/** Sums of dollars kept to 12 decimals: 0.1 + 0.2 is 0.3 in results.json, not 0.30000000000000004. */
const roundUsd = (usd) => Math.round(usd * 1e12) / 1e12;
/** The cost of two parts together: unknown (null) when either part is; a part not priced counts as nothing. */
function addCost(a, b) {
    if (a === null || b === null)
        return null;
    if (a === undefined)
        return b;
    if (b === undefined)
        return a;
    return roundUsd(a + b);
}
const addUsage = (a, b) => {
    if (!b)
        return a;
    const sum = {
        input_tokens: a.input_tokens + b.input_tokens,
        output_tokens: a.output_tokens + b.output_tokens,
        cached_input_tokens: (a.cached_input_tokens ?? 0) + (b.cached_input_tokens ?? 0),
    };
    const cost = addCost(a.cost_usd, b.cost_usd);
    return cost === undefined ? sum : { ...sum, cost_usd: cost };
};
const NO_USAGE = Object.freeze({ input_tokens: 0, output_tokens: 0, cached_input_tokens: 0, cost_usd: 0 });
/**
 * Usage read back from a file we wrote (step.json): counts that are not whole numbers of 0 or
 * more read as 0, a cost that is not a number of 0 or more as absent (priced again). Null when
 * there is no usage object.
 */
function usageFrom(value) {
    if (typeof value !== 'object' || value === null || Array.isArray(value))
        return null;
    const raw = value;
    const usage = {
        input_tokens: tokenCount(raw.input_tokens),
        output_tokens: tokenCount(raw.output_tokens),
        cached_input_tokens: tokenCount(raw.cached_input_tokens),
    };
    const cost = raw.cost_usd;
    if (cost === null)
        usage.cost_usd = null;
    else if (typeof cost === 'number' && Number.isFinite(cost) && cost >= 0)
        usage.cost_usd = cost;
    return usage;
}


/***/ }),

/***/ 18104:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   v: () => (/* binding */ acceptReply)
/* harmony export */ });
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(76760);
/* harmony import */ var _reply_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(98885);


/**
 * A 200 answer's body, parsed, whether it came from a direct call (openai.ts) or a batch's output
 * file (batch/): saved as response.json, its text as output.txt (what text there was when the
 * reply is not whole, for a look), and the step's result; throws a ReplyError when the reply is
 * not a whole one.
 */
function acceptReply(request, data) {
    const { files, dir } = request;
    files.write((0,node_path__WEBPACK_IMPORTED_MODULE_0__.join)(dir, 'response.json'), JSON.stringify(data, null, 2) + '\n');
    let reply;
    try {
        reply = request.api === 'chat' ? (0,_reply_js__WEBPACK_IMPORTED_MODULE_1__/* .readChatReply */ .vt)(data) : (0,_reply_js__WEBPACK_IMPORTED_MODULE_1__/* .readResponsesReply */ .Fg)(data);
    }
    catch (error) {
        if (error instanceof _reply_js__WEBPACK_IMPORTED_MODULE_1__/* .ReplyError */ .vO && error.partial !== '')
            files.write((0,node_path__WEBPACK_IMPORTED_MODULE_0__.join)(dir, 'output.txt'), error.partial);
        throw error;
    }
    files.write((0,node_path__WEBPACK_IMPORTED_MODULE_0__.join)(dir, 'output.txt'), reply.output);
    return { output: files.redactor.redact(reply.output), usage: reply.usage, response: data };
}


/***/ }),

/***/ 16225:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   B9: () => (/* binding */ BATCHES_DIR),
/* harmony export */   Dw: () => (/* binding */ readBatchRecords),
/* harmony export */   PN: () => (/* binding */ BATCH_ID),
/* harmony export */   Vw: () => (/* binding */ writeBatchRecord),
/* harmony export */   X5: () => (/* binding */ endpointOf),
/* harmony export */   k0: () => (/* binding */ requestHash)
/* harmony export */ });
/* unused harmony export parseBatchRecord */
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(77598);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(73024);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(76760);
/* harmony import */ var _util_safe_tree_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(79624);
/* harmony import */ var _util_is_object_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(96594);





/** The run directory's folder of batch records: one `<batch id>.json` per batch sent. */
const BATCHES_DIR = 'batches';
/** The Batch API endpoint of a request's API. */
const endpointOf = (api) => (api === 'chat' ? '/v1/chat/completions' : '/v1/responses');
/** What identifies a request across attempts: its endpoint and body, hashed. */
function requestHash(call) {
    return (0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.createHash)('sha256')
        .update(`${endpointOf(call.api)}\n${JSON.stringify(call.body)}`)
        .digest('hex');
}
/** A batch id usable as a file name; the server's word is not trusted for paths. */
const BATCH_ID = /^[A-Za-z0-9_-]{1,200}$/;
function writeBatchRecord(files, runDir, record) {
    if (!BATCH_ID.test(record.id))
        throw new Error(`the server named the batch ${JSON.stringify(record.id.slice(0, 100))}, which is not a batch id`);
    files.writeJson((0,node_path__WEBPACK_IMPORTED_MODULE_2__.join)(runDir, BATCHES_DIR, `${record.id}.json`), record);
}
/** A step directory as the walker makes them: relative, forward slashes, no `..`, no empty part. */
const isStepDir = (dir) => typeof dir === 'string' &&
    dir.length <= 4096 &&
    !(0,node_path__WEBPACK_IMPORTED_MODULE_2__.isAbsolute)(dir) &&
    dir.split('/').every((part) => part !== '' && part !== '.' && part !== '..');
/** A record read back from disk, checked field by field; the problem when it is not a record we wrote. */
function parseBatchRecord(text, fileId) {
    let data;
    try {
        data = JSON.parse(text);
    }
    catch {
        return 'not JSON';
    }
    if (!(0,_util_is_object_js__WEBPACK_IMPORTED_MODULE_4__/* .isObject */ .G)(data) || data.schema !== 1)
        return 'not a batch record (schema 1)';
    const { id, endpoint, model, input_file_id: inputFile, created_at: created, requests } = data;
    if (typeof id !== 'string' || !BATCH_ID.test(id) || id !== fileId)
        return `"id" is not the file's name`;
    if (endpoint !== '/v1/responses' && endpoint !== '/v1/chat/completions')
        return `"endpoint" is not /v1/responses or /v1/chat/completions`;
    if (typeof model !== 'string' || typeof inputFile !== 'string' || typeof created !== 'string')
        return '"model", "input_file_id" or "created_at" is not text';
    if (!Array.isArray(requests))
        return '"requests" is not a list';
    const seen = new Set();
    const checked = [];
    for (const [i, request] of requests.entries()) {
        if (!(0,_util_is_object_js__WEBPACK_IMPORTED_MODULE_4__/* .isObject */ .G)(request))
            return `requests[${i}] is not an object`;
        const { custom_id: customId, dir, hash } = request;
        if (typeof customId !== 'string' || customId.length > 64 || seen.has(customId))
            return `requests[${i}].custom_id is missing, too long or repeated`;
        if (!isStepDir(dir))
            return `requests[${i}].dir is not a step directory of the run`;
        if (typeof hash !== 'string' || !/^[0-9a-f]{64}$/.test(hash))
            return `requests[${i}].hash is not a sha256`;
        seen.add(customId);
        checked.push({ custom_id: customId, dir, hash });
    }
    return { schema: 1, id, endpoint, model, input_file_id: inputFile, created_at: created, requests: checked };
}
/**
 * The batch records of a run directory, each read without following a planted link and checked;
 * a file that is not one of ours is skipped and named in `problems` (its requests are sent again).
 */
function readBatchRecords(runDir) {
    const dir = (0,node_path__WEBPACK_IMPORTED_MODULE_2__.join)(runDir, BATCHES_DIR);
    const records = [];
    const problems = [];
    const stats = (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.lstatSync)(dir, { throwIfNoEntry: false });
    if (stats === undefined)
        return { records, problems };
    if (!stats.isDirectory())
        return { records, problems: [`${dir} is not a directory: its batches are not polled again`] };
    for (const name of (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.readdirSync)(dir).sort()) {
        if (!name.endsWith('.json'))
            continue;
        const path = (0,node_path__WEBPACK_IMPORTED_MODULE_2__.join)(dir, name);
        let parsed;
        try {
            parsed = parseBatchRecord((0,_util_safe_tree_js__WEBPACK_IMPORTED_MODULE_3__/* .readTreeFile */ .xt)(path).toString('utf8'), name.slice(0, -'.json'.length));
        }
        catch (error) {
            parsed = error instanceof Error ? error.message : String(error);
        }
        if (typeof parsed === 'string')
            problems.push(`${path}: ${parsed}: its batch is not polled again`);
        else
            records.push(parsed);
    }
    return { records, problems };
}


/***/ }),

/***/ 94101:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  BatchRunner: () => (/* binding */ BatchRunner)
});

// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(76760);
// EXTERNAL MODULE: ./node_modules/openai/index.mjs + 232 modules
var openai = __webpack_require__(98193);
// EXTERNAL MODULE: ./build/action-js/errors.js
var errors = __webpack_require__(66946);
// EXTERNAL MODULE: ./build/action-js/steps/limits.js
var limits = __webpack_require__(19997);
// EXTERNAL MODULE: ./build/action-js/steps/accept-reply.js
var accept_reply = __webpack_require__(18104);
// EXTERNAL MODULE: ./build/action-js/steps/model-request.js
var model_request = __webpack_require__(12364);
// EXTERNAL MODULE: ./build/action-js/steps/openai.js + 2 modules
var steps_openai = __webpack_require__(91220);
// EXTERNAL MODULE: ./build/action-js/steps/reply.js
var reply = __webpack_require__(98885);
// EXTERNAL MODULE: ./build/action-js/steps/retry.js
var retry = __webpack_require__(32283);
;// CONCATENATED MODULE: ./build/action-js/steps/batch/gather.js
/** Most requests in one batch file (the Batch API's limit). */
const BATCH_MAX_REQUESTS = 50_000;
/** Most bytes in one batch file: the API allows 200 MB; kept a little under, in decimal megabytes. */
const BATCH_MAX_BYTES = 199_000_000;
/**
 * Gathers requests that become ready together into groups (one per model and endpoint), each sent
 * as one batch: when no request joined it for `quietMs`, when its first has waited `maxWaitMs`, or
 * at once when the next request would not fit in a batch file (requests or bytes).
 */
class Gatherer {
    options;
    send;
    now;
    groups = new Map();
    constructor(options, send, now = Date.now) {
        this.options = options;
        this.send = send;
        this.now = now;
    }
    /** Requests gathered and not sent yet. */
    get pending() {
        let n = 0;
        for (const group of this.groups.values())
            n += group.items.length;
        return n;
    }
    add(key, item) {
        const { options } = this;
        let group = this.groups.get(key);
        if (group !== undefined && (group.items.length + 1 > options.maxRequests || group.bytes + item.bytes > options.maxBytes)) {
            this.flush(key);
            group = undefined;
        }
        if (group === undefined) {
            group = { items: [], bytes: 0, first: this.now(), timer: undefined };
            this.groups.set(key, group);
        }
        group.items.push(item);
        group.bytes += item.bytes;
        clearTimeout(group.timer);
        const wait = Math.min(options.quietMs, group.first + options.maxWaitMs - this.now());
        if (wait <= 0 || group.items.length >= options.maxRequests) {
            this.flush(key);
            return;
        }
        group.timer = setTimeout(() => this.flush(key), wait);
    }
    /** Drops what was not sent (the run stops); returns it. */
    clear() {
        const dropped = [];
        for (const group of this.groups.values()) {
            clearTimeout(group.timer);
            dropped.push(...group.items);
        }
        this.groups.clear();
        return dropped;
    }
    flush(key) {
        const group = this.groups.get(key);
        if (group === undefined)
            return;
        clearTimeout(group.timer);
        this.groups.delete(key);
        this.send(key, group.items);
    }
}

// EXTERNAL MODULE: ./build/action-js/util/is-object.js
var is_object = __webpack_require__(96594);
;// CONCATENATED MODULE: ./build/action-js/steps/batch/lines.js
/**
 * The lines of a batch's output and error files (JSONL), read as untrusted data: one
 * `{custom_id, response: {status_code, body} | null, error: {code, message} | null}` per request.
 */

const lines_text = (value, max = 500) => (typeof value === 'string' ? value.slice(0, max) : '');
/** One line of an output or error file, or undefined when it is not a line of that shape (it is then skipped). */
function readResultLine(line) {
    let parsed;
    try {
        parsed = JSON.parse(line);
    }
    catch {
        return undefined;
    }
    if (!(0,is_object/* isObject */.G)(parsed) || typeof parsed.custom_id !== 'string')
        return undefined;
    const customId = parsed.custom_id;
    const { response, error } = parsed;
    if ((0,is_object/* isObject */.G)(response) && Number.isSafeInteger(response.status_code) && (0,is_object/* isObject */.G)(response.body)) {
        return { customId, status: response.status_code, body: response.body };
    }
    if ((0,is_object/* isObject */.G)(error))
        return { customId, error: { code: lines_text(error.code, 100) || 'unknown', message: lines_text(error.message) } };
    return undefined;
}
/**
 * Error codes of a line that say the request was never answered but may be next time: the batch
 * expired before reaching it, or the server failed or was busy. `batch_cancelled` is not among
 * them: someone cancelled the batch on purpose.
 */
const TRANSIENT_LINE_CODES = new Set(['batch_expired', 'server_error', 'rate_limit_exceeded', 'internal_error']);
/** Error codes of a line whose request was never run. */
const UNANSWERED_CODES = new Set(['batch_expired', 'batch_cancelled']);
/** The body of a line answered with HTTP 200, or why the line holds no answer. */
function lineAnswer(line) {
    if ('error' in line) {
        const retryable = TRANSIENT_LINE_CODES.has(line.error.code);
        const message = `error ${line.error.code}${line.error.message ? `: ${line.error.message}` : ''}`;
        return UNANSWERED_CODES.has(line.error.code) ? { message, retryable, unanswered: true } : { message, retryable };
    }
    if (line.status === 200)
        return { body: line.body };
    const error = (0,is_object/* isObject */.G)(line.body.error) ? line.body.error : {};
    const detail = lines_text(error.message);
    return {
        message: `HTTP ${line.status}${detail ? `: ${detail}` : ''}`,
        // the usual rules of a direct call: 429 and 5xx are worth another attempt
        retryable: line.status === 429 || line.status >= 500,
    };
}
/**
 * Splits a stream of bytes into lines, each at most `maxLine` characters (a longer one is dropped, and
 * the request it answers is then reported as missing): an output file of 50,000 answers is read
 * without holding it whole.
 */
async function* streamLines(body, maxLine) {
    const decoder = new TextDecoder();
    let pending = '';
    let dropping = false;
    for await (const chunk of body) {
        pending += decoder.decode(chunk, { stream: true });
        let start = 0;
        for (let end = pending.indexOf('\n'); end >= 0; end = pending.indexOf('\n', start)) {
            const line = pending.slice(start, end);
            start = end + 1;
            if (!dropping && line.trim() !== '')
                yield line;
            dropping = false;
        }
        pending = pending.slice(start);
        if (pending.length > maxLine) {
            pending = '';
            dropping = true;
        }
    }
    pending += decoder.decode();
    if (!dropping && pending.trim() !== '')
        yield pending;
}

// EXTERNAL MODULE: ./build/action-js/steps/batch/record.js
var batch_record = __webpack_require__(16225);
;// CONCATENATED MODULE: ./build/action-js/steps/batch/tracked.js



/** A request that got no usable answer from a batch; `retryable`: the next batch may do better. */
class BatchLineError extends errors/* StepError */.zg {
    retryable;
    unanswered;
    constructor(message, retryable, 
    /** The batch ended without answering the request at all (cancelled, expired, failed): nothing was paid for it. */
    unanswered = false) {
        super(message);
        this.retryable = retryable;
        this.unanswered = unanswered;
        this.name = 'BatchLineError';
    }
}
const FINAL = new Set(['completed', 'failed', 'expired', 'cancelled']);
/**
 * One batch at the server, polled while someone waits for one of its requests; once it is final
 * its output and error files are read and each request's line handed to whoever waits for it (a
 * resumed run may come for a line later: lines not yet taken are kept).
 */
class TrackedBatch {
    id;
    customIds;
    server;
    board;
    timing;
    stop;
    waiters = new Map();
    lines;
    failure;
    polling = false;
    status = 'in_progress';
    done = 0;
    constructor(id, 
    /** The custom_ids of its requests. */
    customIds, server, board, timing, 
    /** Aborted when the run ends: polling stops, the batch is left as it is. */
    stop) {
        this.id = id;
        this.customIds = customIds;
        this.server = server;
        this.board = board;
        this.timing = timing;
        this.stop = stop;
    }
    /** Whether the batch reached a final status and its files were read (or could not be). */
    get finished() {
        return this.lines !== undefined || this.failure !== undefined;
    }
    get size() {
        return this.customIds.size;
    }
    /** The answer line of request `customId`, once the batch is final; rejects on `signal` or after `timeoutMs`. */
    wait(customId, timeoutMs, signal) {
        if (this.finished)
            return Promise.resolve().then(() => this.take(customId));
        return new Promise((resolve, reject) => {
            const end = () => {
                clearTimeout(timer);
                signal.removeEventListener('abort', onAbort);
                this.waiters.delete(customId);
            };
            const onAbort = () => {
                end();
                reject(new BatchLineError('interrupted', false));
            };
            const timer = setTimeout(() => {
                end();
                const seconds = Math.round(timeoutMs / 1000);
                reject(new BatchLineError(`batch ${this.id} gave no answer within ${seconds} s (status ${this.status}, ${this.done}/${this.customIds.size} requests done); ` +
                    'it is left running at the server: run again with --resume (same --output and --run-id) to collect it, or raise --timeout', false));
            }, timeoutMs);
            signal.addEventListener('abort', onAbort, { once: true });
            this.waiters.set(customId, {
                resolve: (line) => (end(), resolve(line)),
                reject: (error) => (end(), reject(error)),
            });
            if (!this.polling)
                void this.poll();
        });
    }
    take(customId) {
        if (this.failure !== undefined)
            throw this.failure;
        const line = this.lines.get(customId);
        if (line === undefined) {
            throw new BatchLineError(`batch ${this.id} ended ${this.status} and its output and error files hold no line for this request`, 
            // an expired batch never got to it: the next one may
            this.status === 'expired', true);
        }
        this.lines.delete(customId);
        return line;
    }
    /** Polls until the batch is final or nobody waits any more (the run stops, or every waiter timed out). */
    async poll() {
        this.polling = true;
        let wait = this.timing.firstMs;
        try {
            while (this.waiters.size > 0 && !this.stop.aborted) {
                let state;
                try {
                    state = await this.server.retrieve(this.id);
                }
                catch (error) {
                    if (!this.server.retryable(error))
                        return this.fail(new BatchLineError(`polling batch ${this.id}: ${this.server.describe(error)}`, false));
                }
                if (state !== undefined) {
                    this.status = state.status;
                    this.done = state.done;
                    this.board.set(this.id, this.customIds.size, state.done);
                    if (FINAL.has(state.status))
                        return await this.collect(state);
                }
                await (0,retry/* sleep */.yy)(wait, this.stop).catch(() => undefined);
                wait = Math.min(this.timing.maxMs, wait * 1.5);
            }
        }
        finally {
            this.polling = false;
            this.board.remove(this.id);
        }
    }
    /** Reads the output and error files of a final batch and answers every waiter. */
    async collect(state) {
        if (state.status === 'failed') {
            return this.fail(new BatchLineError(`batch ${this.id} failed${state.errors ? `: ${state.errors}` : ''}`, false, true));
        }
        const lines = new Map();
        try {
            for (const fileId of [state.outputFileId, state.errorFileId]) {
                if (fileId === undefined)
                    continue;
                for await (const text of streamLines(await this.server.content(fileId), this.timing.maxLine)) {
                    const line = readResultLine(text);
                    // a line for a request this batch does not hold, or a second one for the same, is ignored
                    if (line !== undefined && this.customIds.has(line.customId) && !lines.has(line.customId))
                        lines.set(line.customId, line);
                }
            }
        }
        catch (error) {
            return this.fail(new BatchLineError(`reading the results of batch ${this.id} (${state.status}): ${this.server.describe(error)}; --resume reads them again`, false));
        }
        this.lines = lines;
        for (const [customId, waiter] of [...this.waiters]) {
            try {
                waiter.resolve(this.take(customId));
            }
            catch (error) {
                waiter.reject(error);
            }
        }
    }
    fail(error) {
        this.failure = error;
        for (const waiter of [...this.waiters.values()])
            waiter.reject(error);
    }
}

;// CONCATENATED MODULE: ./build/action-js/steps/batch/runner.js













const FILE_ID = batch_record/* BATCH_ID */.PN;
/**
 * openai steps through the Batch API at half price: requests ready together are gathered per
 * model and endpoint, sent as one JSONL file and one batch, saved in the run directory at once
 * (batches/<id>.json), and polled; each step moves on when its batch is done.
 */
class BatchRunner {
    options;
    batches;
    client;
    gatherer;
    server;
    tracked = new Map();
    /** With --resume: requests of earlier batches by step directory and body hash. */
    saved = new Map();
    sending = new Set();
    stop = new AbortController();
    constructor(options) {
        this.options = options;
        this.batches = options.board;
        this.client = new openai/* default */.Ay({ apiKey: options.apiKey, baseURL: options.baseUrl, maxRetries: 0 });
        this.gatherer = new Gatherer({ ...options.gather, maxRequests: BATCH_MAX_REQUESTS, maxBytes: BATCH_MAX_BYTES }, (_, items) => {
            const sent = this.send(items).finally(() => this.sending.delete(sent));
            this.sending.add(sent);
        });
        this.server = this.batchServer();
        if (options.resume) {
            const { records, problems } = (0,batch_record/* readBatchRecords */.Dw)(options.runDir);
            for (const problem of problems)
                options.notice(`orchestrator: warning: ${problem}`);
            for (const record of records) {
                for (const request of record.requests)
                    this.saved.set(`${request.dir}\n${request.hash}`, { record, customId: request.custom_id });
            }
        }
    }
    async run(request) {
        const call = (0,model_request/* modelRequest */.T)(request.step, request.model, request.api, request.prompt);
        const dir = (0,external_node_path_.relative)(this.options.runDir, request.dir).split('\\').join('/');
        const hash = (0,batch_record/* requestHash */.k0)(call);
        const timeoutMs = (request.step.timeout ?? this.options.timeoutS) * 1000;
        const { retries } = this.options.retry;
        for (let attempt = 0;; attempt++) {
            const tries = attempt > 0 ? ` (after ${attempt + 1} attempts)` : '';
            let batch;
            try {
                const answer = await this.answer(request, call, dir, hash, timeoutMs, attempt === 0);
                batch = answer.batch;
                const outcome = lineAnswer(answer.line);
                if ('body' in outcome)
                    return { ...(0,accept_reply/* acceptReply */.v)(request, outcome.body), batch: true, batchId: batch };
                throw new BatchLineError(`the model call in batch ${batch} failed: ${outcome.message}`, outcome.retryable);
            }
            catch (error) {
                if (request.signal.aborted)
                    throw new errors/* CancelledError */.cc('interrupted');
                const retryable = (error instanceof BatchLineError || error instanceof reply/* ReplyError */.vO) && error.retryable;
                // failed lines follow the usual rules: retried, in the next batch, while --retries allows
                if (retryable && attempt < retries)
                    continue;
                if (error instanceof reply/* ReplyError */.vO) {
                    throw new errors/* StepError */.zg(`${error.message}${batch ? ` (batch ${batch})` : ''}${tries}`, { cause: error, usage: error.usage });
                }
                throw new errors/* StepError */.zg(`${(0,errors/* errorMessage */.gJ)(error)}${tries}`, { cause: error });
            }
        }
    }
    /** The request's answer line: from the batch an earlier attempt sent it in (--resume), else from a new one. */
    answer(request, call, dir, hash, timeoutMs, first) {
        const saved = first ? this.saved.get(`${dir}\n${hash}`) : undefined;
        if (saved !== undefined) {
            this.saved.delete(`${dir}\n${hash}`);
            const tracked = this.track(saved.record.id, saved.record.requests.map((r) => r.custom_id));
            // the earlier batch never ran it (cancelled on exit, expired, refused): it is sent anew, as a
            // first attempt, since nothing was paid for it
            const again = () => this.answer(request, call, dir, hash, timeoutMs, false);
            return tracked.wait(saved.customId, timeoutMs, request.signal).then((line) => {
                const outcome = lineAnswer(line);
                return 'unanswered' in outcome && outcome.unanswered && !request.signal.aborted ? again() : { batch: saved.record.id, line };
            }, (error) => {
                if (error instanceof BatchLineError && error.unanswered && !request.signal.aborted)
                    return again();
                throw error;
            });
        }
        const body = JSON.stringify(call.body);
        if (Buffer.byteLength(body) + 200 > BATCH_MAX_BYTES) {
            return Promise.reject(new BatchLineError('the request is larger than a batch file may be (200 MB): run without --batch', false));
        }
        return new Promise((resolve, reject) => {
            const { signal } = request;
            if (signal.aborted)
                return reject(new BatchLineError('interrupted', false));
            const onAbort = () => reject(new BatchLineError('interrupted', false));
            signal.addEventListener('abort', onAbort, { once: true });
            const done = () => signal.removeEventListener('abort', onAbort);
            this.gatherer.add(`${call.api} ${call.body.model}`, {
                call,
                dir,
                hash,
                bytes: Buffer.byteLength(body) + 200,
                timeoutMs,
                signal,
                files: request.files,
                resolve: (answer) => (done(), resolve(answer)),
                reject: (error) => (done(), reject(error)),
            });
        });
    }
    track(id, customIds) {
        let tracked = this.tracked.get(id);
        if (tracked === undefined) {
            const timing = { ...this.options.poll, maxLine: (0,limits/* maxOutputBytes */.rG)() + 1024 * 1024 };
            tracked = new TrackedBatch(id, new Set(customIds), this.server, this.options.board, timing, this.stop.signal);
            this.tracked.set(id, tracked);
        }
        return tracked;
    }
    /** Sends gathered requests as one batch, saves its record, and hands each request its line when the batch is done. */
    async send(items) {
        // the run stopped while they were gathered: nothing is sent
        if (items[0].signal.aborted || this.stop.signal.aborted)
            return;
        const { api, body } = items[0].call;
        const endpoint = (0,batch_record/* endpointOf */.X5)(api);
        const requests = items.map((item, i) => ({ custom_id: `r${i + 1}`, dir: item.dir, hash: item.hash }));
        const jsonl = items.map((item, i) => JSON.stringify({ custom_id: `r${i + 1}`, method: 'POST', url: endpoint, body: item.call.body }));
        let record;
        try {
            const file = await this.retrying(async () => this.client.files.create({
                file: await (0,openai/* toFile */.eZ)(Buffer.from(jsonl.join('\n') + '\n'), `${this.options.runId}.jsonl`, { type: 'application/jsonl' }),
                purpose: 'batch',
            }));
            const batch = await this.retrying(() => this.client.batches.create({
                input_file_id: file.id,
                endpoint,
                completion_window: '24h',
                metadata: { orchestrator_run: this.options.runId },
            }));
            record = {
                schema: 1,
                id: batch.id,
                endpoint,
                model: body.model ?? '',
                input_file_id: file.id,
                created_at: new Date().toISOString(),
                requests,
            };
            if (!batch_record/* BATCH_ID */.PN.test(batch.id))
                throw new Error(`the server named the batch ${JSON.stringify(String(batch.id).slice(0, 100))}, which is not a batch id`);
        }
        catch (error) {
            const failure = new BatchLineError(`sending a batch of ${items.length} requests: ${this.describe(error)}`, false);
            for (const item of items)
                item.reject(failure);
            return;
        }
        try {
            // before any polling: a run stopped from here on finds this batch again with --resume
            (0,batch_record/* writeBatchRecord */.Vw)(items[0].files, this.options.runDir, record);
        }
        catch (error) {
            this.options.notice(`orchestrator: warning: batch ${record.id} could not be saved in the run directory (${(0,errors/* errorMessage */.gJ)(error)}): --resume will not find it`);
        }
        const tracked = this.track(record.id, record.requests.map((r) => r.custom_id));
        this.options.board.set(record.id, items.length, 0);
        for (const [i, item] of items.entries()) {
            tracked.wait(`r${i + 1}`, item.timeoutMs, item.signal).then((line) => item.resolve({ batch: record.id, line }), (error) => item.reject(error));
        }
    }
    /** A call of the Batch API with the usual retries (429, 5xx, connection errors), ended when the run ends. */
    async retrying(call) {
        for (let attempt = 0;; attempt++) {
            try {
                return await call();
            }
            catch (error) {
                if (!(0,steps_openai/* isRetryable */.r3)(error) || attempt >= this.options.retry.retries || this.stop.signal.aborted)
                    throw error;
                const asked = error instanceof openai/* APIError */.LG ? (0,retry/* retryAfterMs */.Vs)(error.headers) : undefined;
                await (0,retry/* sleep */.yy)((0,retry/* backoffMs */.jo)(attempt + 1, this.options.retry, asked), this.stop.signal);
            }
        }
    }
    describe(error) {
        if (error instanceof openai/* APIError */.LG && error.status !== undefined)
            return `HTTP ${String(error.status)} from ${this.client.baseURL}: ${error.message}`;
        const cause = (0,steps_openai/* causes */.ps)(error);
        return `${cause || (0,errors/* errorMessage */.gJ)(error)} (${this.client.baseURL})`;
    }
    batchServer() {
        const client = this.client;
        return {
            retrieve: async (id) => batchState(await client.batches.retrieve(id, { timeout: 60_000, maxRetries: 0 })),
            content: async (fileId) => {
                const response = await client.files.content(fileId, { timeout: 600_000, maxRetries: 0 });
                // a ReadableStream is async-iterable in Node
                return response.body ?? new ReadableStream();
            },
            retryable: steps_openai/* isRetryable */.r3,
            describe: (error) => this.describe(error),
        };
    }
    /** Ends the run's batching: says which batches are left running at the server, or cancels them (--batch-cancel-on-exit). */
    async close() {
        // a batch being sent when the run stopped is saved before it is named
        await Promise.allSettled([...this.sending]);
        for (const item of this.gatherer.clear())
            item.reject(new BatchLineError('interrupted', false));
        this.stop.abort();
        const left = [...this.tracked.values()].filter((t) => !t.finished);
        for (const t of left)
            this.options.board.remove(t.id);
        if (left.length === 0)
            return;
        const ids = left.map((t) => t.id).join(', ');
        const requests = left.reduce((n, t) => n + t.size, 0);
        if (this.options.cancelOnExit) {
            const failed = [];
            for (const t of left)
                await this.client.batches.cancel(t.id, { timeout: 30_000, maxRetries: 2 }).catch(() => failed.push(t.id));
            this.options.notice(`orchestrator: cancelled ${left.length - failed.length} unfinished batch(es) (--batch-cancel-on-exit): ${ids}` +
                (failed.length > 0 ? `; could not cancel ${failed.join(', ')}` : ''));
            return;
        }
        this.options.notice(`orchestrator: ${left.length} batch(es) left running at the server with ${requests} requests: ${ids}. ` +
            'They are paid for as they finish: run again with --batch --resume (same --output and --run-id) to collect their answers, ' +
            'or pass --batch-cancel-on-exit to cancel unfinished batches when a run stops.');
    }
}
/** The fields of a batch the poller uses, checked: file ids go into URLs. */
function batchState(batch) {
    const counts = batch.request_counts;
    const fileId = (id) => (typeof id === 'string' && FILE_ID.test(id) ? id : undefined);
    const errors = (batch.errors?.data ?? [])
        .slice(0, 5)
        .map((e) => [e.line != null ? `line ${e.line}` : '', e.code, e.message].filter(Boolean).join(' '))
        .join('; ');
    return {
        status: typeof batch.status === 'string' ? batch.status : 'unknown',
        done: Number(counts?.completed ?? 0) + Number(counts?.failed ?? 0) || 0,
        outputFileId: fileId(batch.output_file_id),
        errorFileId: fileId(batch.error_file_id),
        errors: errors.slice(0, 1000),
    };
}


/***/ }),

/***/ 63337:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Bz: () => (/* binding */ newStepCgroup),
/* harmony export */   XA: () => (/* binding */ spawnInCgroup),
/* harmony export */   XG: () => (/* binding */ endRunCgroup),
/* harmony export */   _t: () => (/* binding */ endCgroup),
/* harmony export */   pY: () => (/* binding */ runCgroupDir),
/* harmony export */   qn: () => (/* binding */ leaveStepCgroup)
/* harmony export */ });
/* unused harmony exports ownRunCgroupsAs, ownCgroupDir, CGROUP_VARIABLE */
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(77598);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(73024);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(76760);



/**
 * Step processes held in a cgroup (v2), where the runner lets this process create one under its
 * own (root, or a delegated subtree). A cgroup is the one thing a process cannot leave by itself
 * without privileges: not by `setsid` or a double fork (which leave the process group), not by
 * rewriting its environment (Perl's `$0`, `env -i`, which drop the process tag `sweep.ts` looks
 * for). Each step gets a cgroup of its own under one per run; ending one kills every process in it
 * (`cgroup.kill`, or each pid in `cgroup.procs` until it is empty) and removes it. Where there is no
 * writable cgroup v2, nothing here does anything and the tag sweep is all there is.
 */
/** The run's cgroup: undefined before the first step asks, null where steps cannot be contained. */
let runCgroup;
let sequence = 0;
/** Whose run cgroups this process makes: its own, or a spawner helper's orchestrator's (spawner.ts). */
let owner = process.pid;
/** Names the run cgroups this process makes after `pid` (a spawner helper: its orchestrator), so they are that run's. */
function ownRunCgroupsAs(pid) {
    owner = pid;
}
/**
 * Step cgroups of this run that their step left empty, for the next steps: making and removing a
 * cgroup costs more than the `sh` a cmd step starts (issue 27.4). One holding anything, or with
 * cgroups below it, is never handed out again. At most as many as steps ever ran at once.
 */
const idle = [];
/**
 * Where this process's own cgroup v2 is mounted (`/sys/fs/cgroup`, or `/sys/fs/cgroup/unified` on a
 * hybrid host), from /proc/self/mountinfo and /proc/self/cgroup; undefined where there is none.
 */
function ownCgroupDir() {
    try {
        const own = /^0::(\/.*)$/m.exec((0,node_fs__WEBPACK_IMPORTED_MODULE_1__.readFileSync)('/proc/self/cgroup', 'utf8'))?.[1];
        if (own === undefined)
            return undefined;
        for (const line of (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.readFileSync)('/proc/self/mountinfo', 'utf8').split('\n')) {
            const [fields = '', fsType] = line.split(' - ');
            if (fsType?.split(' ')[0] !== 'cgroup2')
                continue;
            // spaces and the like are written as octal escapes (\040)
            const [root, mountPoint] = fields
                .split(' ')
                .slice(3, 5)
                .map((field) => field.replace(/\\([0-7]{3})/g, (_, octal) => String.fromCharCode(parseInt(octal, 8))));
            if (root === undefined || mountPoint === undefined)
                continue;
            const inMount = root === '/' ? own : own.startsWith(`${root}/`) || own === root ? own.slice(root.length) : undefined;
            if (inMount === undefined)
                continue;
            const dir = (0,node_path__WEBPACK_IMPORTED_MODULE_2__.join)(mountPoint, inMount);
            if ((0,node_fs__WEBPACK_IMPORTED_MODULE_1__.statSync)((0,node_path__WEBPACK_IMPORTED_MODULE_2__.join)(dir, 'cgroup.procs')).isFile())
                return dir;
        }
    }
    catch {
        // no /proc, or no cgroup v2
    }
    return undefined;
}
/** The run's cgroup, made at the first call; null where this process may not make one or move processes into it. */
function theRunCgroup() {
    if (runCgroup !== undefined)
        return runCgroup;
    runCgroup = null;
    const own = ownCgroupDir();
    if (own === undefined)
        return null;
    const dir = (0,node_path__WEBPACK_IMPORTED_MODULE_2__.join)(own, `orchestrator.${owner}.${(0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.randomBytes)(4).toString('hex')}`);
    try {
        // moving a process from our cgroup into one below it needs write access to both cgroup.procs
        (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.accessSync)((0,node_path__WEBPACK_IMPORTED_MODULE_2__.join)(own, 'cgroup.procs'), node_fs__WEBPACK_IMPORTED_MODULE_1__.constants.W_OK);
        (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.mkdirSync)(dir);
        (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.accessSync)((0,node_path__WEBPACK_IMPORTED_MODULE_2__.join)(dir, 'cgroup.procs'), node_fs__WEBPACK_IMPORTED_MODULE_1__.constants.W_OK);
        runCgroup = dir;
    }
    catch {
        removeCgroup(dir);
        return null;
    }
    removeAbandoned(own);
    return runCgroup;
}
/**
 * Removes the empty cgroups an orchestrator that is gone left behind (killed outright, it ran no
 * end). Only empty ones: the kernel refuses to remove one that holds a process, which is left to
 * whoever looks (README, Security). Should the owner live on in another pid namespace, it makes
 * its run cgroup again at its next step.
 */
function removeAbandoned(own) {
    let names;
    try {
        names = (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.readdirSync)(own);
    }
    catch {
        return;
    }
    for (const name of names) {
        const owner = /^orchestrator\.(\d+)\.[0-9a-f]+$/.exec(name)?.[1];
        if (owner === undefined || isAlive(Number(owner)))
            continue;
        removeCgroup((0,node_path__WEBPACK_IMPORTED_MODULE_2__.join)(own, name));
    }
}
function isAlive(pid) {
    try {
        process.kill(pid, 0);
        return true;
    }
    catch (error) {
        return error.code === 'EPERM';
    }
}
/** An empty cgroup for one step's processes, or undefined where the runner does not allow one. */
function newStepCgroup() {
    // looked at again when handed out: a run cgroup found empty by another orchestrator (in another
    // pid namespace) may have been removed, and a step running as root may have moved a process in
    for (let reused = idle.pop(); reused !== undefined; reused = idle.pop())
        if (isEmpty(reused))
            return reused;
    for (let attempt = 0; attempt < 2; attempt++) {
        const run = theRunCgroup();
        if (run === null)
            return undefined;
        const dir = (0,node_path__WEBPACK_IMPORTED_MODULE_2__.join)(run, `step.${++sequence}`);
        try {
            (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.mkdirSync)(dir);
            return dir;
        }
        catch (error) {
            if (error.code !== 'ENOENT')
                return undefined;
            runCgroup = undefined; // removed under us: made again
        }
    }
    return undefined;
}
/**
 * The program to spawn so that `file` runs in `cgroup` from its first instruction: `sh` moves itself
 * into the cgroup (writing 0 to cgroup.procs moves the writer), then execs `file` with the same pid,
 * so nothing the program starts is ever outside. `file` is looked up on the step's PATH first, as
 * spawn would (the wrapper's `exec` must be given a path): an `error` like spawn's when it is not there.
 */
function spawnInCgroup(cgroup, file, args, cwd, env) {
    if (file === 'sh' && args.length === 2 && args[0] === '-c') {
        // a cmd step is a shell already: it moves itself, saving a second shell's start (issue 27.4).
        // The move goes before the script on the same line (so line numbers stay), the cgroup comes in
        // a variable unset before the script runs, and $0 is `sh` as without a cgroup. `sh` is found
        // on the step's PATH by spawn itself, in the child, as without a cgroup: looking it up here
        // first cost the event loop a stat and an access a PATH entry, every step
        return { file, args: ['-c', `${FOLDED_MOVE}${args[1]}`, 'sh'], env: { [CGROUP_VARIABLE]: cgroup } };
    }
    const program = findProgram(file, cwd, env.PATH);
    if (program === undefined)
        return { error: `spawn ${file} ENOENT` };
    const move = `echo 0 >"$0/cgroup.procs" || { echo "orchestrator: could not move the step into its cgroup $0" >&2; exit 126; }; exec "$@"`;
    return { file: '/bin/sh', args: ['-c', move, cgroup, program, ...args] };
}
/** Holds the step's cgroup for the shell of a cmd step until it has moved itself there. */
const CGROUP_VARIABLE = 'ORCHESTRATOR_STEP_CGROUP';
const FOLDED_MOVE = `{ echo 0 >"$${CGROUP_VARIABLE}/cgroup.procs" || { echo "orchestrator: could not move the step into its cgroup $${CGROUP_VARIABLE}" >&2; exit 126; }; ` +
    `unset ${CGROUP_VARIABLE}; }; `;
function findProgram(file, cwd, path) {
    const candidates = file.includes('/')
        ? [(0,node_path__WEBPACK_IMPORTED_MODULE_2__.resolve)(cwd, file)]
        : (path ?? '/usr/bin:/bin').split(node_path__WEBPACK_IMPORTED_MODULE_2__.delimiter).map((entry) => ((0,node_path__WEBPACK_IMPORTED_MODULE_2__.isAbsolute)(entry) ? (0,node_path__WEBPACK_IMPORTED_MODULE_2__.join)(entry, file) : (0,node_path__WEBPACK_IMPORTED_MODULE_2__.resolve)(cwd, entry || '.', file)));
    return candidates.find(isExecutableFile);
}
function isExecutableFile(path) {
    try {
        // no exception for a missing file: most PATH entries lack the program, and a thrown ENOENT per
        // entry and step cost more than the lookup
        if ((0,node_fs__WEBPACK_IMPORTED_MODULE_1__.statSync)(path, { throwIfNoEntry: false })?.isFile() !== true)
            return false;
        (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.accessSync)(path, node_fs__WEBPACK_IMPORTED_MODULE_1__.constants.X_OK);
        return true;
    }
    catch {
        return false;
    }
}
/**
 * After a step: `end` kills whatever is still in its cgroup and removes it; otherwise it is kept for
 * a next step, which gets it only if it is empty by then (newStepCgroup looks): one still holding a
 * process stays as it is (a daemon the step left behind is ended with the run, as the tag sweep
 * does). Not looked at here as well: a step's processes were just killed and may still be on their
 * way out, and each look reads two files.
 */
function leaveStepCgroup(cgroup, end) {
    if (end)
        endCgroup(cgroup);
    else if (runCgroup === (0,node_path__WEBPACK_IMPORTED_MODULE_2__.join)(cgroup, '..'))
        idle.push(cgroup);
    else
        removeCgroup(cgroup);
}
/** The run's cgroup, once a step made it (a spawner helper tells its orchestrator, which ends it on a forced exit). */
function runCgroupDir() {
    return typeof runCgroup === 'string' ? runCgroup : undefined;
}
/** Ends every process of the run's steps still in a cgroup and removes the cgroups: the end of a run, or a forced exit. */
function endRunCgroup() {
    idle.length = 0;
    if (typeof runCgroup !== 'string')
        return;
    endCgroup(runCgroup);
    runCgroup = undefined;
}
/** No process in it or below it, and no cgroup below it (a step running as root may make some). */
function isEmpty(dir) {
    try {
        return !populated(dir) && /^nr_descendants 0$/m.test((0,node_fs__WEBPACK_IMPORTED_MODULE_1__.readFileSync)((0,node_path__WEBPACK_IMPORTED_MODULE_2__.join)(dir, 'cgroup.stat'), 'utf8'));
    }
    catch {
        return false;
    }
}
const KILL_WAIT_MS = 2000;
const pause = new Int32Array(new SharedArrayBuffer(4));
/**
 * Kills every process in `dir` and below, waits (up to KILL_WAIT_MS) until none is left, and removes
 * the cgroups. Synchronous: it also runs on the way out of a forced exit. `killFile: false` does
 * what a kernel without cgroup.kill needs (exported for its test).
 */
function endCgroup(dir, killFile = true) {
    const deadline = Date.now() + KILL_WAIT_MS;
    for (;;) {
        kill(dir, killFile);
        if (!populated(dir) || Date.now() > deadline)
            break;
        Atomics.wait(pause, 0, 0, 5);
    }
    removeCgroup(dir);
}
/** cgroup.kill (Linux 5.14) kills the whole subtree at once, forks included; before it, every pid in cgroup.procs. */
function kill(dir, killFile) {
    try {
        if (killFile) {
            (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.writeFileSync)((0,node_path__WEBPACK_IMPORTED_MODULE_2__.join)(dir, 'cgroup.kill'), '1');
            return;
        }
    }
    catch {
        // an older kernel: one pid at a time, repeated by the caller until the cgroup is empty
    }
    for (const cgroup of [dir, ...children(dir)]) {
        let pids;
        try {
            pids = (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.readFileSync)((0,node_path__WEBPACK_IMPORTED_MODULE_2__.join)(cgroup, 'cgroup.procs'), 'utf8').split('\n').filter(Boolean);
        }
        catch {
            continue;
        }
        for (const pid of pids) {
            try {
                process.kill(Number(pid), 'SIGKILL');
            }
            catch {
                // gone meanwhile
            }
        }
    }
}
function populated(dir) {
    try {
        return /^populated 1$/m.test((0,node_fs__WEBPACK_IMPORTED_MODULE_1__.readFileSync)((0,node_path__WEBPACK_IMPORTED_MODULE_2__.join)(dir, 'cgroup.events'), 'utf8'));
    }
    catch {
        return false;
    }
}
/** Every cgroup below dir, deepest last. */
function children(dir) {
    let names;
    try {
        names = (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.readdirSync)(dir, { withFileTypes: true })
            .filter((entry) => entry.isDirectory())
            .map((entry) => entry.name);
    }
    catch {
        return [];
    }
    return names.flatMap((name) => [(0,node_path__WEBPACK_IMPORTED_MODULE_2__.join)(dir, name), ...children((0,node_path__WEBPACK_IMPORTED_MODULE_2__.join)(dir, name))]);
}
/** Removes dir and the cgroups below it, deepest first; one still holding a process stays (rmdir says EBUSY). */
function removeCgroup(dir) {
    for (const cgroup of [dir, ...children(dir)].reverse()) {
        try {
            (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.rmdirSync)(cgroup);
        }
        catch {
            // not empty yet, or already gone
        }
    }
}


/***/ }),

/***/ 11357:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  Pp: () => (/* binding */ CmdRunner),
  i: () => (/* binding */ processFailure),
  H8: () => (/* binding */ timedOutMessage)
});

// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(76760);
// EXTERNAL MODULE: ./build/action-js/errors.js
var errors = __webpack_require__(66946);
// EXTERNAL MODULE: ./build/action-js/steps/env.js
var steps_env = __webpack_require__(16533);
// EXTERNAL MODULE: ./build/action-js/steps/limits.js
var limits = __webpack_require__(19997);
// EXTERNAL MODULE: ./build/action-js/steps/pipe-watch.js
var pipe_watch = __webpack_require__(46735);
// EXTERNAL MODULE: external "node:child_process"
var external_node_child_process_ = __webpack_require__(31421);
// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(73024);
// EXTERNAL MODULE: external "node:url"
var external_node_url_ = __webpack_require__(73136);
// EXTERNAL MODULE: ./build/action-js/steps/cgroup.js
var steps_cgroup = __webpack_require__(63337);
// EXTERNAL MODULE: ./build/action-js/steps/process.js + 1 modules
var steps_process = __webpack_require__(83750);
// EXTERNAL MODULE: external "node:events"
var external_node_events_ = __webpack_require__(78474);
// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __webpack_require__(48161);
;// CONCATENATED MODULE: ./build/action-js/steps/launcher-script.js
/**
 * The program of the step launcher (launcher.ts), run as `perl -e LAUNCHER_SCRIPT RUN_TAG`: a
 * process of a few MB whose forks cost a tenth of a Node process's (issue 27.4). It reads frames on
 * its stdin and writes frames on its stdout, each a type byte, a 32-bit id and a 32-bit length
 * before the bytes (big-endian):
 *
 *   in:  R  start a program: counts (args, env), the strings' length and the input's, then cwd,
 *           file, args and NAME=value entries joined by NUL, then the input (its stdin)
 *        K  close the program's stdout and stderr from this side (the pipe-holder watch gave up)
 *        G  the run's cgroup (killed with the rest should orchestrator go away)
 *   out: S  started (it exec'd): pid, and the inode of its stdout and stderr pipes
 *        F  could not be started: the errno of the failed chdir or exec
 *        O, E   bytes from its stdout, stderr;   o, e   their end of file
 *        X  it exited: the wait status (its pipes may stay open: a process it started holds them)
 *
 * Each program runs much as Node's `spawn` with `detached: true` runs it: a process group of its
 * own (set by both sides of the fork, so it exists before the child has run), every signal at its
 * default and none blocked, stdin/stdout/stderr on pipes and no other file open (perl opens every
 * other fd close-on-exec). Unlike `detached`, it stays in the launcher's session, which has no
 * controlling terminal either. When orchestrator goes away (end of file on stdin: a normal end, a
 * forced exit, or its death), every group still running (also of programs not yet exec'd), the
 * run's cgroup and every process carrying the run tag are killed, and the launcher exits.
 * Every pipe is raw bytes whatever `PERL_UNICODE` says (launcher.ts also starts perl without the
 * PERL* variables); the child checks each dup of its stdio and fails rather than run on the
 * launcher's own stdin/stdout.
 */
const LAUNCHER_SCRIPT = String.raw `
my $tag = $ARGV[0];
# caught, not ignored: exec puts a caught signal back to its default (an ignored one would stay ignored)
$SIG{$_} = sub { } for qw(INT TERM HUP QUIT USR1 USR2 PIPE ALRM);
binmode STDIN; binmode STDOUT;
syswrite(STDOUT, pack('aNN', 'Y', 0, 0));
my ($in, %steps, %byfd, $cgroup, $rbits, $wbits) = ('');
my (%bypid, %wait_exec);
pipe(my $wake_r, my $wake_w) or die "pipe: $!";
$SIG{CHLD} = sub { syswrite($wake_w, 'x') };
sub emit { my ($t, $id, $d) = @_; my $b = pack('aNN', $t, $id, length $d) . $d;
  while (length $b) { my $n = syswrite(STDOUT, $b); if (!defined $n) { next if $!{EINTR} || $!{EAGAIN}; finish(); } substr($b, 0, $n) = ''; } }
sub watch { my ($fh, $id, $kind) = @_; $byfd{fileno $fh} = [$id, $kind, $fh]; }
sub start {
  my ($id, $p) = @_;
  my ($na, $ne, $sl, $il) = unpack('NNNN', $p);
  my @f = split /\0/, substr($p, 16, $sl), -1;
  my $input = substr($p, 16 + $sl, $il);
  my ($cwd, $file) = splice(@f, 0, 2);
  my @args = splice(@f, 0, $na);
  pipe(my $ir, my $iw) or return emit('F', $id, pack('N', $! + 0));
  pipe(my $or, my $ow) or return emit('F', $id, pack('N', $! + 0));
  pipe(my $er, my $ew) or return emit('F', $id, pack('N', $! + 0));
  pipe(my $xr, my $xw) or return emit('F', $id, pack('N', $! + 0));
  binmode $_ for $ir, $iw, $or, $ow, $er, $ew, $xr, $xw;
  # the program's environment is set here, before the fork: the child does as little as it can
  # before its exec (every page it writes is copied first)
  %ENV = map { my $i = index($_, '='); (substr($_, 0, $i), substr($_, $i + 1)) } @f;
  my $pid = fork();
  if (!defined $pid) { emit('F', $id, pack('N', $! + 0)); return; }
  if ($pid == 0) {
    setpgrp(0, 0);
    # a failed dup would leave the program on the launcher's own stdin/stdout (other steps' frames)
    if (open(STDIN, '<&', $ir) && open(STDOUT, '>&', $ow) && open(STDERR, '>&', $ew) && chdir $cwd) {
      no warnings; exec { $file } $file, @args;
    }
    syswrite($xw, pack('N', $! + 0));
    kill 'KILL', $$;
  }
  # waits for the exec (or its errno) before touching anything: what this process writes while the
  # child still shares its pages is copied, page by page
  # the exec (or the errno of its failure) is waited for in the loop below: blocking on it here
  # left every other step waiting while a busy machine got round to the child
  # the group from this side too: a kill before the child has run must find it
  setpgrp($pid, $pid);
  close $_ for $xw, $ir, $ow, $ew;
  my $s = $steps{$id} = { pid => $pid, input => $input, iw => $iw, open => 2 };
  $bypid{$pid} = $id;
  watch($or, $id, 'O'); watch($er, $id, 'E');
  $s->{out} = $or; $s->{err} = $er;
  $s->{xr} = $xr; $wait_exec{fileno $xr} = $id;
}
sub execd {
  my ($id) = @_;
  my $s = $steps{$id}; my $xr = delete $s->{xr}; delete $wait_exec{fileno $xr};
  my $errno = ''; sysread($xr, $errno, 4); close $xr;
  if (length $errno == 4) { $s->{failed} = 1; emit('F', $id, $errno); return; }
  emit('S', $id, pack('NNN', $s->{pid}, (stat $s->{out})[1], (stat $s->{err})[1]));
}
sub close_pipe { my ($fd) = @_; my ($id, $kind, $fh) = @{delete $byfd{$fd}}; close $fh; my $s = $steps{$id};
  emit(lc $kind, $id, '') unless $s->{failed}; $s->{open}--; done($id); }
sub done { my ($id) = @_; my $s = $steps{$id}; delete $steps{$id} if $s->{open} == 0 && exists $s->{status}; }
sub reap {
  while ((my $pid = waitpid(-1, 1)) > 0) { # WNOHANG
    my $id = delete $bypid{$pid}; next unless defined $id;
    my $s = $steps{$id}; $s->{status} = $?;
    execd($id) if $s->{xr};
    # its exit is told at once, as Node's 'exit': a process it left holding its pipes keeps them open
    emit('X', $id, pack('N', $s->{status})) unless $s->{failed};
    if ($s->{iw}) { close $s->{iw}; delete $s->{iw}; }
    done($id);
  }
}
sub finish {
  for my $s (values %steps) { next unless $s->{pid}; kill 'KILL', -$s->{pid}; kill 'KILL', $s->{pid}; }
  if (defined $cgroup && open(my $k, '>', "$cgroup/cgroup.kill")) { print $k '1'; close $k; }
  if (defined $tag && opendir(my $d, '/proc')) {
    for my $pid (grep { /^\d+$/ && $_ != $$ } readdir $d) {
      open(my $e, '<', "/proc/$pid/environ") or next; local $/; my $env = <$e> // ''; close $e;
      kill 'KILL', $pid if index("\0$env", "\0ORCHESTRATOR_PROCESS_TAG=$tag.") >= 0;
    }
  }
  exit 0;
}
sub command {
  while (length $in >= 9) {
    my ($t, $id, $n) = unpack('aNN', $in);
    last if length $in < 9 + $n;
    my $p = substr($in, 9, $n); substr($in, 0, 9 + $n) = '';
    if ($t eq 'R') { start($id, $p); }
    elsif ($t eq 'G') { $cgroup = $p; }
    elsif ($t eq 'K' && $steps{$id}) {
      for my $fh (grep { defined } @{$steps{$id}}{qw(out err)}) { close_pipe(fileno $fh) if $byfd{fileno $fh}; }
    }
  }
}
for (;;) {
  my ($r, $w) = ('', '');
  vec($r, 0, 1) = 1; vec($r, fileno $wake_r, 1) = 1;
  vec($r, $_, 1) = 1 for keys %byfd, keys %wait_exec;
  for my $s (values %steps) { vec($w, fileno $s->{iw}, 1) = 1 if $s->{iw} && !$s->{xr}; }
  # a SIGCHLD between the handler's last chance to run and select would be missed (perl runs its
  # handlers between statements): while a child is not reaped, select wakes now and then
  my $n = select($r, $w, undef, %bypid ? 0.25 : undef);
  if ($n < 0) { next; }
  sysread($wake_r, my $x, 4096) if vec($r, fileno $wake_r, 1);
  for my $fd (keys %wait_exec) { execd($wait_exec{$fd}) if vec($r, $fd, 1); }
  for my $s (values %steps) {
    next unless $s->{iw} && vec($w, fileno $s->{iw}, 1);
    # at most PIPE_BUF: a pipe select calls writable takes that much without blocking
    my $k = length $s->{input} ? syswrite($s->{iw}, $s->{input}, 4096) : 0;
    if (defined $k && $k > 0) { substr($s->{input}, 0, $k) = ''; }
    if (!length $s->{input} || (!defined $k && !$!{EAGAIN} && !$!{EINTR})) { close $s->{iw}; delete $s->{iw}; }
  }
  for my $fd (keys %byfd) {
    next unless vec($r, $fd, 1) && $byfd{$fd};
    my ($id, $kind, $fh) = @{$byfd{$fd}};
    # 'S' goes first: orchestrator knows no output of a program it has not heard started
    execd($id) if $steps{$id} && $steps{$id}{xr};
    my $got = sysread($fh, my $d, 65536);
    if ($got) { emit($kind, $id, $d) unless $steps{$id}{failed}; } elsif (defined $got || !($!{EAGAIN} || $!{EINTR})) { close_pipe($fd); }
  }
  reap();
  if (vec($r, 0, 1)) { my $got = sysread(STDIN, $in, 262144, length $in); finish() if !$got && !(defined $got ? 0 : $!{EINTR}); command(); }
}
`;

// EXTERNAL MODULE: ./build/action-js/steps/sweep.js
var sweep = __webpack_require__(34565);
;// CONCATENATED MODULE: ./build/action-js/steps/launcher.js







const SIGNALS = new Map(Object.entries(external_node_os_.constants.signals).map(([name, number]) => [number, name]));
const ERRNOS = new Map(Object.entries(external_node_os_.constants.errno).map(([name, number]) => [number, name]));
class Launcher {
    process;
    starting = new Map();
    children = new Map();
    sequence = 0;
    pending = Buffer.alloc(0);
    ready = false;
    dead = false;
    toldCgroup;
    /** `env`: the launcher's environment, the one every cmd step starts from (no key, no token). */
    constructor(env, tag, onDeath) {
        this.process = (0,external_node_child_process_.spawn)('perl', ['-e', LAUNCHER_SCRIPT, tag], {
            // perl's own settings (PERL5OPT, PERL_UNICODE, PERLIO, PERL5LIB...) are the steps', not the
            // launcher's: PERL_UNICODE=SDA, say, made every pipe a text one and the launcher die at its
            // first read. Each step gets the whole environment in its start request.
            env: Object.fromEntries(Object.entries(env).filter(([name]) => !name.startsWith('PERL'))),
            // a session of its own: a terminal's Ctrl-C is orchestrator's to act on (it cancels the steps)
            detached: true,
            stdio: ['pipe', 'pipe', 'inherit'],
        });
        this.hold(false);
        this.process.stdin?.on('error', () => undefined);
        this.process.stdout?.on('data', (chunk) => this.receive(chunk));
        const gone = () => {
            if (this.dead)
                return;
            this.dead = true;
            onDeath();
            this.failAll();
        };
        // after its exit and the end of its stdout: the frames it wrote before it died are read first
        this.process.once('error', gone).once('close', gone);
    }
    /** Whether perl could be started at all (no perl: `spawn` says so at once). */
    get started() {
        return this.process.pid !== undefined && !this.dead;
    }
    /**
     * Starts a program: its child once it exec'd, the reason it could not be started, or undefined
     * when the launcher was gone before it took the request (then it was not started).
     */
    launch = (start) => this.start(start);
    start(start) {
        if (this.dead)
            return Promise.resolve(undefined);
        const id = ++this.sequence;
        const cgroup = (0,steps_cgroup/* runCgroupDir */.pY)();
        if (cgroup !== this.toldCgroup && cgroup !== undefined)
            this.send('G', 0, Buffer.from((this.toldCgroup = cgroup)));
        const env = Object.entries(start.env).map(([name, value]) => `${name}=${value}`);
        const strings = Buffer.from([start.cwd, start.file, ...start.args, ...env].join('\0'));
        const input = typeof start.input === 'string' ? Buffer.from(start.input) : start.input;
        const counts = Buffer.alloc(16);
        counts.writeUInt32BE(start.args.length, 0);
        counts.writeUInt32BE(env.length, 4);
        counts.writeUInt32BE(strings.length, 8);
        counts.writeUInt32BE(input.length, 12);
        this.hold(true);
        this.send('R', id, Buffer.concat([counts, strings, input]));
        return new Promise((resolve) => this.starting.set(id, { start, resolve }));
    }
    /** Ends the launcher: it kills whatever its steps left running, then exits. */
    async close() {
        if (this.dead)
            return;
        const exited = new Promise((resolve) => this.process.once('close', resolve));
        this.hold(true);
        this.process.stdin?.end();
        await exited;
    }
    /**
     * A forced exit: the end of the launcher's stdin, on which it kills every group it started (also
     * of programs it has forked but not yet seen exec, which no one else knows of), the cgroup and
     * the tagged processes, then exits. A SIGKILL would leave those programs to exec unwatched.
     */
    kill() {
        this.process.stdin?.destroy();
    }
    /** Closes a program's pipes from the launcher's side. */
    closePipes(id) {
        this.send('K', id, Buffer.alloc(0));
    }
    send(type, id, payload) {
        if (this.dead)
            return;
        const head = Buffer.alloc(9);
        head.write(type, 0, 'latin1');
        head.writeUInt32BE(id, 1);
        head.writeUInt32BE(payload.length, 5);
        this.process.stdin?.write(payload.length > 0 ? Buffer.concat([head, payload]) : head);
    }
    receive(chunk) {
        let data = this.pending.length > 0 ? Buffer.concat([this.pending, chunk]) : chunk;
        let at = 0;
        while (data.length - at >= 9) {
            const length = data.readUInt32BE(at + 5);
            if (data.length - at - 9 < length)
                break;
            this.frame(String.fromCharCode(data[at] ?? 0), data.readUInt32BE(at + 1), data.subarray(at + 9, at + 9 + length));
            at += 9 + length;
        }
        data = data.subarray(at);
        // a partial frame is kept as a copy: the chunk it came in is not held for the rest of the run
        this.pending = data.length > 0 ? Buffer.from(data) : Buffer.alloc(0);
    }
    frame(type, id, data) {
        if (type === 'Y')
            this.ready = true;
        else if (type === 'S' || type === 'F')
            this.started_(type, id, data);
        else
            this.children.get(id)?.receive(type, data);
    }
    started_(type, id, data) {
        const starting = this.starting.get(id);
        if (starting === undefined)
            return;
        this.starting.delete(id);
        if (type === 'F') {
            this.idle();
            return starting.resolve(`spawn ${starting.start.file} ${ERRNOS.get(data.readUInt32BE(0)) ?? `errno ${data.readUInt32BE(0)}`}`);
        }
        const child = new LaunchedChild(data.readUInt32BE(0), [data.readUInt32BE(4), data.readUInt32BE(8)], () => this.closePipes(id), () => {
            this.children.delete(id);
            this.idle();
        });
        this.children.set(id, child);
        starting.resolve(child);
    }
    /** Unref'd while no step waits on it: an idle launcher does not keep the run alive. */
    idle() {
        if (this.starting.size === 0 && this.children.size === 0)
            this.hold(false);
    }
    /** Whether the launcher (the process and its pipes) keeps this process's event loop alive. */
    hold(held) {
        for (const handle of [this.process, this.process.stdin, this.process.stdout]) {
            if (held)
                handle?.ref();
            else
                handle?.unref();
        }
    }
    /**
     * The launcher is gone. A request it may have taken is ended by the step's tag (it may have forked
     * before it died); before it was ready it took none, and those start elsewhere. A running step's
     * group is killed and the step ends as killed, saying why.
     */
    failAll() {
        const how = `the process that starts commands (perl, pid ${this.process.pid ?? '?'}) ended before the command did\n`;
        for (const { start, resolve } of this.starting.values()) {
            const tag = start.env[sweep/* TAG_VARIABLE */.iA];
            if (this.ready && tag !== undefined)
                (0,sweep/* killTagged */.Ju)(tag);
            resolve(this.ready ? how.trim() : undefined);
        }
        this.starting.clear();
        for (const child of this.children.values())
            child.killed_(how);
        this.children.clear();
    }
}
/** One of a launched program's output pipes, as much of a Socket as runProcess uses. */
class LaunchedPipe extends external_node_events_.EventEmitter {
    onDestroy;
    bytesRead = 0;
    readableEnded = false;
    destroyed = false;
    constructor(onDestroy) {
        super();
        this.onDestroy = onDestroy;
    }
    push(chunk) {
        if (this.destroyed || this.readableEnded)
            return;
        this.bytesRead += chunk.length;
        this.emit('data', chunk);
    }
    end() {
        if (this.readableEnded)
            return;
        this.readableEnded = true;
        this.emit('end');
    }
    destroy() {
        if (this.destroyed)
            return this;
        this.destroyed = true;
        this.onDestroy();
        return this;
    }
    // the relay has no backlog to hold back: output is written to its files as it comes
    pause() {
        return this;
    }
    resume() {
        return this;
    }
}
/** A program the launcher started, with the events and streams of a ChildProcess that runProcess listens to. */
class LaunchedChild extends external_node_events_.EventEmitter {
    pid;
    onClose;
    stdin = null;
    stdout;
    stderr;
    ends;
    exit;
    closed = false;
    /**
     * What the launcher sent before runProcess listened: the frames that came with the start (output,
     * even the exit) are held until the continuation that awaited the start has attached its listeners.
     */
    held = [];
    constructor(pid, inodes, closePipes, onClose) {
        super();
        this.pid = pid;
        this.onClose = onClose;
        const pipe = new LaunchedPipe(() => {
            closePipes();
            this.check();
        });
        this.stdout = pipe;
        this.stderr = new LaunchedPipe(() => {
            this.stdout.destroy();
            this.check();
        });
        this.stdout.on('end', () => this.check());
        this.stderr.on('end', () => this.check());
        this.ends = new Set(inodes.map((inode) => `pipe:[${inode}]`));
        setImmediate(() => {
            const held = this.held ?? [];
            this.held = undefined;
            for (const [type, data] of held)
                this.deliver(type, data);
        });
    }
    receive(type, data) {
        if (this.held !== undefined)
            this.held.push([type, data]);
        else
            this.deliver(type, data);
    }
    deliver(type, data) {
        if (type === 'O')
            this.stdout.push(data);
        else if (type === 'E')
            this.stderr.push(data);
        else if (type === 'o')
            this.stdout.end();
        else if (type === 'e')
            this.stderr.end();
        else if (type === 'X') {
            const status = data.readUInt32BE(0);
            const signal = status & 0x7f;
            this.exited(signal === 0 ? status >> 8 : null, signal === 0 ? null : (SIGNALS.get(signal) ?? 'SIGKILL'));
        }
        else if (type === 'killed') {
            (0,steps_process/* signalGroup */.i8)(this.pid, 'SIGKILL');
            this.stderr.push(data);
            this.stdout.end();
            this.stderr.end();
            this.exited(null, 'SIGKILL');
        }
    }
    /** The launcher died: the program's group is killed, and it ends as killed, saying why on its stderr. */
    killed_(how) {
        this.receive('killed', Buffer.from(how));
    }
    exited(code, signal) {
        if (this.exit !== undefined)
            return;
        this.exit = { code, signal };
        this.emit('exit', code, signal);
        this.check();
    }
    /** `close` once it exited and both pipes reached their end (or were closed from this side), as Node's. */
    check() {
        const done = (pipe) => pipe.readableEnded || pipe.destroyed;
        if (this.closed || this.exit === undefined || !done(this.stdout) || !done(this.stderr))
            return;
        this.closed = true;
        this.onClose();
        this.emit('close', this.exit.code, this.exit.signal);
    }
}

// EXTERNAL MODULE: ./build/action-js/util/young-generation.js
var young_generation = __webpack_require__(21601);
;// CONCATENATED MODULE: ./build/action-js/steps/spawner.js









/**
 * Starts cmd steps' programs from small helper processes (spawner-helper.ts) instead of this one.
 * `spawn` blocks the event loop until the child has exec'd: the fork copies this process's page
 * tables, the child tears them down again, and on a busy machine the child waits for a CPU before it
 * gets there. A cmd fan-out spent most of its main loop there (issue 27.4), with the engine's own
 * work waiting behind it. A helper's fork is smaller, and two helpers wait for two children at once
 * while the engine writes the run tree (measured: one helper gained nothing, three no more than two).
 *
 * Everything a step is guaranteed holds across the hop, since the helper runs the same `runProcess`:
 * process group, step cgroup, timeout and interrupt, the pipe-holder watch, exit code and signal,
 * the stdout cap. This process still tracks each step's process group, the helpers' cgroups and
 * tags (which extend its own), so a forced exit ends them at once. Where no helper can start (the
 * bundles, which do not ship its file), or one dies, steps are started here as before.
 */
const HELPERS = 2;
/**
 * Beside this file: build/steps/ in a clone, the bundle's directory in the npm package and the
 * Action, where the bundling scripts put a bundle of it. Joined at run time: ncc rewrites a
 * `new URL('./…', import.meta.url)` it can read into a path, and copies the unbundled file.
 */
const HELPER_FILE = (0,external_node_path_.join)((0,external_node_path_.dirname)((0,external_node_url_.fileURLToPath)(import.meta.url)), ['spawner-helper', 'js'].join('.'));
/** The spawners of this process, for a forced exit. */
const spawners = new Set();
let hooked = false;
/** Helpers started by this process: each one's tags are its orchestrator's run tag and `.s<n>`. */
let helpersStarted = 0;
class Spawner {
    env;
    helpers = [];
    /** A helper could not start or died: steps start here for the rest of the run. */
    inProcess = !(0,external_node_fs_.existsSync)(HELPER_FILE);
    sequence = 0;
    /** The perl launcher (launcher.ts): undefined before the first step, null where there is none or it died. */
    launcher;
    /** `env`: the helpers' environment, the one every cmd step starts from (no key, no token). */
    constructor(env) {
        this.env = env;
        spawners.add(this);
        if (hooked)
            return;
        hooked = true;
        (0,steps_process/* alsoOnKillAll */.Wp)(() => {
            for (const spawner of spawners)
                spawner.killAll();
        });
    }
    /** `runProcess`, from a helper when there is one. */
    async run(request) {
        if (request.onSpawn !== undefined || request.onStdoutLine !== undefined)
            return (0,steps_process/* runProcess */.R3)(request);
        const launcher = this.theLauncher();
        if (launcher !== null)
            return (0,steps_process/* runProcess */.R3)(request, launcher.launch);
        if (this.inProcess)
            return (0,steps_process/* runProcess */.R3)(request);
        // codex and setup steps still spawn from here: their forks stay small (young-generation.ts)
        (0,young_generation/* holdYoungGeneration */.k)(young_generation/* SPAWNING_YOUNG_MAX_BYTES */.A);
        const helper = this.helper();
        if (helper === undefined)
            return (0,steps_process/* runProcess */.R3)(request);
        const result = await helper.run(++this.sequence, request);
        return result ?? (0,steps_process/* runProcess */.R3)(request);
    }
    /** Ends the launcher and the helpers, which end whatever their steps left (the end of a run). */
    async close() {
        spawners.delete(this);
        await Promise.all([this.launcher?.close(), ...this.helpers.map((helper) => helper.close())]);
        this.helpers.length = 0;
    }
    /** A forced exit: the launcher, the helpers' cgroups and the helpers themselves, at once (their steps' groups are tracked). */
    killAll() {
        this.launcher?.kill();
        for (const helper of this.helpers)
            helper.kill();
    }
    /** The launcher, started with the first step; null once it could not start or died (then the helpers start steps). */
    theLauncher() {
        if (this.launcher === undefined) {
            const launcher = new Launcher(this.env, (0,sweep/* runTag */.eZ)(), () => (this.launcher = null));
            this.launcher = launcher.started ? launcher : null;
        }
        return this.launcher;
    }
    /** The least busy helper; a new one while all are busy and there are fewer than HELPERS. */
    helper() {
        const idle = this.helpers.reduce((best, h) => (best === undefined || h.busy < best.busy ? h : best), undefined);
        if (idle !== undefined && (idle.busy === 0 || this.helpers.length >= HELPERS))
            return idle;
        try {
            const tag = `${(0,sweep/* runTag */.eZ)()}.s${++helpersStarted}`;
            const child = (0,external_node_child_process_.fork)(HELPER_FILE, [tag, String(process.pid)], {
                env: this.env,
                // not this process's flags (an inspector port, a profile): the helper is to stay small; and
                // no inspector on SIGUSR1, which any step could send it (src/util/shelter.ts)
                execArgv: ['--disable-sigusr1'],
                serialization: 'advanced',
                stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
            });
            const helper = new Helper(child, tag, () => {
                this.inProcess = true;
                this.helpers.splice(this.helpers.indexOf(helper), 1);
            });
            this.helpers.push(helper);
            return helper;
        }
        catch {
            this.inProcess = true;
            return idle;
        }
    }
}
/** One helper process and the steps it runs. */
class Helper {
    child;
    tag;
    pending = new Map();
    ready = false;
    cgroup;
    exited;
    constructor(child, 
    /** The run tag its steps' tags extend (sweep.ts). */
    tag, onDeath) {
        this.child = child;
        this.tag = tag;
        child.unref();
        child.on('message', (message) => this.receive(message));
        // error: it could not be started; exit and the channel's end: it died (or was ended by close)
        this.exited = new Promise((resolve) => {
            let dead = false;
            let exitedFirst;
            const gone = () => {
                if (dead)
                    return;
                dead = true;
                clearTimeout(exitedFirst);
                onDeath();
                this.failAll();
                resolve();
            };
            // its last messages (a step's pid) are read before the channel's end: failed after both, with
            // the channel's end given a moment (it comes with the exit, as no step inherits it)
            child.once('error', gone).once('disconnect', () => {
                if (exitedFirst !== undefined || child.exitCode !== null || child.signalCode !== null)
                    gone();
            });
            child.once('exit', () => {
                if (!child.connected)
                    return gone();
                exitedFirst = setTimeout(gone, 1000);
            });
        });
    }
    get busy() {
        return this.pending.size;
    }
    /** The program's result; undefined when the helper died before it took the request (then it is started here). */
    async run(id, request) {
        // what the helper needs: no sink, no signal, no callback (the spawner runs here those that have one)
        const { stdout, stderr, signal, input, file, args, cwd, env, timeoutMs, sweep, captureStdout } = request;
        const done = new Promise((resolve) => this.pending.set(id, { request, resolve }));
        const onAbort = () => this.send({ t: 'abort', id });
        signal.addEventListener('abort', onAbort, { once: true });
        // while a step waits on it, its exit is waited for too: with only the channel held, a helper that
        // died closed it and the run could end (exit 0, no results) before its exit was seen
        this.child.ref();
        this.child.channel?.ref();
        this.send({ t: 'run', id, input, file, args, cwd, env, timeoutMs, sweep, captureStdout });
        if (signal.aborted)
            onAbort();
        try {
            const result = await done;
            if (result !== undefined)
                await Promise.all([stdout.end(), stderr.end()]);
            return result;
        }
        finally {
            signal.removeEventListener('abort', onAbort);
        }
    }
    async close() {
        // the helper ends what its steps left behind, then exits; waited for (it is unref'd while idle)
        this.child.ref();
        if (this.child.connected)
            this.child.disconnect();
        await this.exited;
    }
    kill() {
        if (this.cgroup !== undefined)
            (0,steps_cgroup/* endCgroup */._t)(this.cgroup);
        this.child.kill('SIGKILL');
    }
    send(message) {
        if (this.child.connected)
            this.child.send(message);
    }
    receive(message) {
        if (message.t === 'ready')
            this.ready = true;
        else if (message.t === 'cgroup')
            this.cgroup = message.dir;
        else {
            const step = this.pending.get(message.id);
            if (step === undefined)
                return;
            if (message.t === 'pid')
                (0,steps_process/* trackGroup */.Tq)((step.pid = message.pid));
            else if (message.t === 'out')
                step.request.stdout.write(asBuffer(message.chunk));
            else if (message.t === 'err')
                step.request.stderr.write(asBuffer(message.chunk));
            else
                this.settle(message.id, { ...message.result, stdout: asBuffer(message.result.stdout) });
        }
    }
    settle(id, result) {
        const step = this.pending.get(id);
        if (step === undefined)
            return;
        this.pending.delete(id);
        if (step.pid !== undefined)
            (0,steps_process/* untrackGroup */.eY)(step.pid);
        if (this.pending.size === 0) {
            this.child.channel?.unref();
            this.child.unref();
        }
        step.resolve(result);
    }
    /**
     * The helper is gone. Before it was ready it took no request: each is started here instead. After,
     * each of its steps fails, and what it had started is ended (its groups, its cgroup).
     */
    failAll() {
        const how = `the helper process that starts commands (pid ${this.child.pid ?? '?'}) ended before the command did`;
        if (this.ready && this.cgroup !== undefined)
            (0,steps_cgroup/* endCgroup */._t)(this.cgroup);
        // what it started is ended here, even a step whose pid it had not told yet (by its tag)
        if (this.ready && this.pending.size > 0)
            (0,sweep/* killTaggedUnder */.XF)(this.tag);
        for (const [id, step] of [...this.pending]) {
            if (!this.ready) {
                this.settle(id, undefined);
                continue;
            }
            if (step.pid !== undefined)
                (0,steps_process/* signalGroup */.i8)(step.pid, 'SIGKILL');
            // it may well have started: it is said to be ended, and why (not "could not be started")
            this.settle(id, { ...(0,steps_process/* notStarted */.DY)(undefined), signal: 'SIGKILL', stderrTail: how });
        }
    }
}
function asBuffer(bytes) {
    return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

;// CONCATENATED MODULE: ./build/action-js/steps/cmd.js






/** Linux's cap on one argument or environment string (MAX_ARG_STRLEN), "NAME=value" included. */
const MAX_ARG_BYTES = 128 * 1024;
function timedOutMessage(timeoutMs) {
    return `timed out after ${timeoutMs / 1000} s`;
}
/** Turns a finished process into the step's error, or undefined when it succeeded. */
function processFailure(what, result, timeoutMs) {
    if (result.cancelled)
        return new errors/* CancelledError */.cc('interrupted');
    const held = result.holders.length > 0
        ? ` (a process it started outside its process group still held its output open: killed ${(0,pipe_watch/* describeHolders */.hX)(result.holders)})`
        : result.pipesHeld
            ? ' (a process that could not be found still held its output open: stopped reading it)'
            : '';
    if (result.timedOut)
        return new errors/* StepError */.zg(`${what} ${timedOutMessage(timeoutMs)}${held}`);
    if (result.spawnError !== undefined) {
        const tooBig = /E2BIG/.test(result.spawnError) ? ' (its environment is too large: pass large contents on stdin instead)' : '';
        return new errors/* StepError */.zg(`${what} could not be started: ${result.spawnError}${tooBig}`);
    }
    if (result.exitCode === 0 && result.stdoutCap !== undefined) {
        return new errors/* StepError */.zg(`${what} wrote ${result.stdoutBytes} bytes on stdout, more than the ${(0,limits/* formatBytes */.z3)(result.stdoutCap)} a step may pass on ` +
            '(all of it is in its output.txt): write large results to a file and pass on its path instead');
    }
    if (result.exitCode === 0)
        return undefined;
    const how = result.signal !== undefined ? `was killed by ${result.signal}` : `exited with code ${result.exitCode}`;
    const stderr = result.stderrTail.trim().split('\n').slice(-5).join('\n');
    return new errors/* StepError */.zg(`${what} ${how}${stderr ? `: ${stderr}` : ''}`);
}
/** Runs a `cmd` step with `sh -c`: previous output on stdin, stdout is the output, stderr kept. */
class CmdRunner {
    /** The environment every cmd step starts from, filtered once per run rather than once per step. */
    baseEnv;
    /** Starts the commands off this process's event loop (spawner.ts), from processes given only baseEnv. */
    spawner;
    constructor(env) {
        this.baseEnv = (0,steps_env/* childEnv */.g)(env);
        this.spawner = new Spawner(this.baseEnv);
    }
    close() {
        return this.spawner.close();
    }
    async run({ step, prompt, input, command, dir, cwd, timeoutMs, signal, files, env }) {
        if (step.kind !== 'cmd')
            throw new Error(`internal: the cmd runner was given a ${step.kind} step`);
        const script = command?.script ?? step.cmd;
        const variables = {};
        for (const { key, variable, value, file } of command?.variables ?? []) {
            if (value.includes('\0')) {
                throw new errors/* StepError */.zg(`{{{${key}}}} in "cmd": ${JSON.stringify(file)} holds a NUL byte, which an environment variable cannot carry: ` +
                    `pass the contents on stdin instead (e.g. read the file in the command: cat {{{${key.replace(/:path$/, '')}:path}}})`);
            }
            const bytes = Buffer.byteLength(value);
            if (bytes + variable.length + 2 > MAX_ARG_BYTES) {
                throw new errors/* StepError */.zg(`{{{${key}}}} in "cmd" stands for ${bytes} bytes, too large for a command line (Linux caps one argument or ` +
                    `variable at 128 KiB): pass the contents on stdin instead, e.g. as the output of a previous step`);
            }
            variables[variable] = value;
        }
        files.write((0,external_node_path_.join)(dir, 'command.txt'), step.cmd + '\n');
        const result = await this.spawner.run({
            file: 'sh',
            args: ['-c', script],
            cwd,
            env: { ...this.baseEnv, ...env, ...variables },
            input: input ?? prompt,
            stdout: files.stream((0,external_node_path_.join)(dir, 'output.txt')),
            stderr: files.stream((0,external_node_path_.join)(dir, 'stderr.txt')),
            captureStdout: true,
            timeoutMs,
            signal,
        });
        const failure = processFailure('the command', result, timeoutMs);
        if (failure)
            throw failure;
        // passed on byte for byte (secrets masked, as in output.txt); `output` is its text view
        const bytes = files.redactor.redactBytes(result.stdout);
        return { output: bytes.toString('utf8'), bytes, usage: null };
    }
}


/***/ }),

/***/ 16533:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   W: () => (/* binding */ stepEnv),
/* harmony export */   g: () => (/* binding */ childEnv)
/* harmony export */ });
/* harmony import */ var _util_private_env_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(74635);

/**
 * The environment of a codex or cmd child process: the orchestrator's own, minus the private
 * variables (model keys, GitHub and runtime tokens, the Action's inputs, the runner's file
 * commands). Codex gets no key either: it reaches the model through the responses proxy, which
 * holds the key (steps/proxy.ts).
 */
function childEnv(base) {
    return (0,_util_private_env_js__WEBPACK_IMPORTED_MODULE_0__/* .publicEnv */ .Rt)(base);
}
/**
 * What a cmd or codex step is told about where it runs: its flow id (`flow_0003`), its branch
 * (`2.1`, empty for a flow) and the run directory (absolute).
 */
function stepEnv(flowId, branch, runDir) {
    return { ORCHESTRATOR_FLOW_ID: flowId, ORCHESTRATOR_BRANCH: branch.join('.'), ORCHESTRATOR_RUN_DIR: runDir };
}


/***/ }),

/***/ 19997:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   rG: () => (/* binding */ maxOutputBytes),
/* harmony export */   z3: () => (/* binding */ formatBytes)
/* harmony export */ });
/* unused harmony export DEFAULT_MAX_OUTPUT_BYTES */
/**
 * Most bytes of one step's output held in memory and passed on to the next step: 64 MiB. An
 * output is copied several times on its way (the next prompt, result.json, results.json), and a
 * JavaScript string holds at most about 512 MiB (2^29 characters): an output near that would end
 * the whole run with a RangeError instead of failing its step. A cmd step's stdout still reaches
 * its output.txt in full; past the cap the step fails and says so.
 */
const DEFAULT_MAX_OUTPUT_BYTES = 64 * 1024 * 1024;
/** The cap in force. ORCHESTRATOR_MAX_OUTPUT_BYTES lowers it, for tests only. */
function maxOutputBytes(env = process.env) {
    const fromEnv = Number(env.ORCHESTRATOR_MAX_OUTPUT_BYTES);
    return env.ORCHESTRATOR_MAX_OUTPUT_BYTES && Number.isSafeInteger(fromEnv) && fromEnv > 0 ? fromEnv : DEFAULT_MAX_OUTPUT_BYTES;
}
/** `64 MiB`, `2 KiB`, or exactly `2000 bytes` when no unit divides it. */
function formatBytes(bytes) {
    for (const [unit, size] of [
        ['GiB', 2 ** 30],
        ['MiB', 2 ** 20],
        ['KiB', 2 ** 10],
    ]) {
        if (bytes >= size && bytes % size === 0)
            return `${bytes / size} ${unit}`;
    }
    return `${bytes} bytes`;
}


/***/ }),

/***/ 12364:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   T: () => (/* binding */ modelRequest)
/* harmony export */ });
/* harmony import */ var _schema_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(554);

/** The request an openai step makes: an array step holds the model to an array with structured output. */
function modelRequest(step, model, api, prompt) {
    const schema = { name: _schema_js__WEBPACK_IMPORTED_MODULE_0__/* .ARRAY_OUTPUT_NAME */ .W, schema: _schema_js__WEBPACK_IMPORTED_MODULE_0__/* .ARRAY_OUTPUT_SCHEMA */ .s, strict: true };
    if (api === 'chat') {
        return {
            api,
            body: {
                model,
                messages: [{ role: 'user', content: prompt }],
                ...(step.array ? { response_format: { type: 'json_schema', json_schema: schema } } : {}),
            },
        };
    }
    return { api, body: { model, input: prompt, ...(step.array ? { text: { format: { type: 'json_schema', ...schema } } } : {}) } };
}


/***/ }),

/***/ 91220:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  OpenAIRunner: () => (/* binding */ OpenAIRunner),
  ps: () => (/* binding */ causes),
  r3: () => (/* binding */ isRetryable)
});

// UNUSED EXPORTS: notFoundHint

// EXTERNAL MODULE: ./node_modules/openai/index.mjs + 232 modules
var openai = __webpack_require__(98193);
// EXTERNAL MODULE: ./build/action-js/errors.js
var errors = __webpack_require__(66946);
// EXTERNAL MODULE: external "node:http"
var external_node_http_ = __webpack_require__(37067);
// EXTERNAL MODULE: external "node:https"
var external_node_https_ = __webpack_require__(44708);
// EXTERNAL MODULE: external "node:zlib"
var external_node_zlib_ = __webpack_require__(38522);
;// CONCATENATED MODULE: ./build/action-js/steps/http-fetch.js



/**
 * A `fetch` for the openai SDK's direct calls (its `fetch` option) over node:http(s) with
 * keep-alive agents: measured with the SDK at 50 calls in flight, 0.6–0.7 × the CPU of Node's
 * built-in fetch (undici: a Request, a Response and their web streams around every call), which
 * is most of what a run of many model calls costs. It keeps what the runner relies on from Node's
 * fetch: a request that fails before the answer rejects with TypeError("fetch failed") and the
 * cause (so the SDK makes it a retryable APIConnectionError), an abort with an AbortError, a body
 * cut short errors its stream with TypeError("terminated"); the body streams, so the runner's own
 * size cap and deadline apply; gzip, deflate and brotli bodies are decoded; redirects are followed
 * (test/unit/http-fetch.test.ts holds it to Node's fetch case by case). Anything it does not
 * carry (a body that is not text or bytes: the Batch API's uploads) and any run with a proxy in
 * the environment (Node's fetch honours HTTP(S)_PROXY with NODE_USE_ENV_PROXY) go to Node's fetch.
 */
function directFetch(env = process.env) {
    if (PROXY_VARIABLES.some((name) => env[name] !== undefined && env[name] !== ''))
        return globalThis.fetch;
    // an idle connection is closed after 4 s, as Node's fetch closes it (undici's keepAliveTimeout), unless the server's
    // Keep-Alive hint is shorter: one a gateway forgot (or a NAT dropped) is not written to on the next call
    const kept = { keepAlive: true, timeout: IDLE_MS };
    const agents = { http: new external_node_http_.Agent(kept), https: new external_node_https_.Agent(kept) };
    const direct = async (input, init = {}, hops = 0) => {
        const url = input instanceof URL ? input : typeof input === 'string' ? new URL(input) : undefined;
        const body = init.body ?? undefined;
        const plain = body === undefined || typeof body === 'string' || body instanceof Uint8Array;
        // a URL with a user or password in it: Node's fetch refuses it (node:http would send them as Basic auth)
        const web = url === undefined || (url.protocol !== 'http:' && url.protocol !== 'https:') || url.username !== '' || url.password !== '';
        if (web || !plain || (init.redirect !== undefined && init.redirect !== 'follow'))
            return globalThis.fetch(input, init);
        const secure = url.protocol === 'https:';
        const response = await send(secure ? external_node_https_.request : external_node_http_.request, secure ? agents.https : agents.http, url, init, body);
        return REDIRECTS.has(response.status) ? redirected(response, url, init, hops, direct) : response;
    };
    return (input, init) => direct(input, init);
}
const IDLE_MS = 4000;
const REDIRECTS = new Set([301, 302, 303, 307, 308]);
/**
 * A redirect followed as Node's fetch follows it (a gateway's 307/308 to where the API is): the
 * same method and body, except a 303 (and a POST's 301/302) which become a GET without a body;
 * credentials dropped when the origin changes; at most 20.
 */
async function redirected(response, from, init, hops, again) {
    const location = response.headers.get('location');
    if (location === null)
        return response;
    await response.body?.cancel();
    const to = new URL(location, from);
    if (hops >= 20)
        throw new TypeError('fetch failed', { cause: new Error(`redirect count exceeded (${from.href} -> ${to.href})`) });
    const method = (init.method ?? 'GET').toUpperCase();
    const toGet = response.status === 303 ? method !== 'GET' && method !== 'HEAD' : response.status <= 302 && method === 'POST';
    const headers = new Headers(init.headers);
    if (toGet)
        for (const name of BODY_HEADERS)
            headers.delete(name);
    if (to.origin !== from.origin)
        for (const name of CREDENTIALS)
            headers.delete(name);
    return again(to, { ...init, headers, ...(toGet ? { method: 'GET', body: undefined } : {}) }, hops + 1);
}
const BODY_HEADERS = ['content-type', 'content-length', 'content-encoding', 'content-language', 'content-location'];
const CREDENTIALS = ['authorization', 'proxy-authorization', 'cookie'];
/** The variables Node's fetch reads a proxy from (undici's EnvHttpProxyAgent). */
const PROXY_VARIABLES = ['HTTP_PROXY', 'http_proxy', 'HTTPS_PROXY', 'https_proxy'];
const NULL_BODY_STATUS = new Set([101, 103, 204, 205, 304]);
function send(request, agent, url, init, body) {
    return new Promise((resolve, reject) => {
        const headers = requestHeaders(init.headers, body);
        const signal = init.signal ?? undefined;
        // aborted (the SDK's timeout, or the run's signal): an AbortError, as the SDK tells one from a failure by its name
        const failed = (error) => {
            if (signal?.aborted !== true)
                reject(new TypeError('fetch failed', { cause: error }));
            else
                reject(aborted(signal));
        };
        let req;
        try {
            req = request(url, { method: init.method ?? 'GET', headers, agent, signal });
        }
        catch (error) {
            failed(error);
            return;
        }
        req.on('error', failed);
        req.once('response', (res) => {
            try {
                resolve(answer(req, res, signal));
            }
            catch (error) {
                req.destroy();
                failed(error);
            }
        });
        req.end(body);
    });
}
/** The request's headers as node:http takes them; what Node's fetch adds when missing is added too. */
function requestHeaders(given, body) {
    const headers = {};
    const list = given instanceof Headers ? given : new Headers(given);
    for (const [name, value] of list)
        headers[name] = value;
    headers['accept-encoding'] ??= 'gzip, deflate, br';
    if (body !== undefined)
        headers['content-length'] = String(typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength);
    return headers;
}
/** The Response of an answer whose headers have arrived: its body streams as it comes. */
function answer(req, res, signal) {
    const headers = new Headers();
    for (let i = 0; i < res.rawHeaders.length; i += 2)
        headers.append(res.rawHeaders[i], res.rawHeaders[i + 1]);
    const status = res.statusCode ?? 0;
    if (NULL_BODY_STATUS.has(status)) {
        res.resume();
        return new Response(null, { status, headers });
    }
    return new Response(bodyStream(req, res, signal), { status, statusText: res.statusMessage ?? '', headers });
}
/**
 * The answer's body (decoded when the server compressed it) as a web stream; a connection that ends early errors it with
 * TypeError("terminated"), an abort (which destroys the request) with the signal's reason, as Node's fetch does.
 */
function bodyStream(req, res, signal) {
    const source = decoded(res);
    let ended = false;
    return new ReadableStream({
        start(controller) {
            const cut = (cause) => {
                if (ended)
                    return;
                ended = true;
                controller.error(signal?.aborted === true ? aborted(signal) : new TypeError('terminated', { cause }));
                req.destroy(); // a decoder that failed leaves the socket neither read nor freed
            };
            source.on('data', (chunk) => {
                controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
                if ((controller.desiredSize ?? 1) <= 0)
                    source.pause();
            });
            source.once('end', () => {
                if (ended)
                    return;
                ended = true;
                controller.close();
            });
            source.on('error', cut);
            res.on('error', cut);
            res.once('close', () => {
                if (!res.complete)
                    cut(new Error('other side closed'));
            });
        },
        pull() {
            source.resume();
        },
        cancel() {
            ended = true;
            req.destroy();
        },
    }, new ByteLengthQueuingStrategy({ highWaterMark: 64 * 1024 }));
}
/** `res`, or a decoder it is piped through when its Content-Encoding is one Node's fetch decodes. */
function decoded(res) {
    const coding = String(res.headers['content-encoding'] ?? '')
        .trim()
        .toLowerCase();
    const decoder = coding === 'gzip' || coding === 'x-gzip'
        ? external_node_zlib_.createGunzip({ flush: external_node_zlib_.constants.Z_SYNC_FLUSH, finishFlush: external_node_zlib_.constants.Z_SYNC_FLUSH })
        : coding === 'deflate'
            ? external_node_zlib_.createInflate()
            : coding === 'br'
                ? external_node_zlib_.createBrotliDecompress()
                : undefined;
    return decoder === undefined ? res : res.pipe(decoder);
}
/** What Node's fetch rejects with when `signal` aborts it: the signal's reason (an AbortError DOMException unless one was given). */
function aborted(signal) {
    const reason = signal.reason;
    return reason instanceof Error ? reason : new DOMException('This operation was aborted', 'AbortError');
}

// EXTERNAL MODULE: ./build/action-js/steps/model-request.js
var model_request = __webpack_require__(12364);
// EXTERNAL MODULE: ./build/action-js/steps/retry.js
var steps_retry = __webpack_require__(32283);
// EXTERNAL MODULE: ./build/action-js/steps/cmd.js + 3 modules
var cmd = __webpack_require__(11357);
// EXTERNAL MODULE: ./build/action-js/steps/limits.js
var limits = __webpack_require__(19997);
// EXTERNAL MODULE: ./build/action-js/steps/reply.js
var reply = __webpack_require__(98885);
;// CONCATENATED MODULE: ./build/action-js/steps/model-call.js



/**
 * One request through the SDK, its body read here rather than by the SDK, which turns a 200 whose
 * body is not JSON into a bare SyntaxError or TypeError, and holds a reply of any size. Throws
 * what the SDK throws (an APIError for an answer that is not 2xx, APIConnectionError, an abort) or
 * what reading the body does.
 */
async function callModel(client, call, limits) {
    const { timeoutMs, signal } = limits;
    const deadline = Date.now() + timeoutMs;
    const options = { signal, timeout: timeoutMs, maxRetries: 0 };
    const response = call.api === 'chat'
        ? await client.chat.completions.create(call.body, options).asResponse()
        : await client.responses.create(call.body, options).asResponse();
    return { body: await readBody(response, limits.maxBytes, deadline), headers: response.headers };
}
/**
 * The body of an answer as text, refused past `max` bytes (a reply over the output cap, or a
 * runaway server). The SDK's timeout ends at the headers: a server that stalls mid-body is timed
 * out here, at the same deadline, as a retryable timeout.
 */
async function readBody(response, max, deadline) {
    const reader = response.body?.getReader();
    if (reader === undefined)
        return '';
    let timer;
    let late;
    const timedOut = new Promise((_, reject) => {
        // decided after the next poll for I/O: behind a stalled loop, a body that came in time is read, not paid for twice
        timer = setTimeout(() => (late = setImmediate(() => reject(new openai/* APIConnectionTimeoutError */.qA()))), Math.max(0, deadline - Date.now()));
    });
    const chunks = [];
    let size = 0;
    try {
        for (;;) {
            const { done, value } = (await Promise.race([reader.read(), timedOut]));
            if (done || value === undefined)
                break;
            size += value.byteLength;
            if (size > max) {
                throw new reply/* ReplyError */.vO(`the reply is larger than the ${(0,limits/* formatBytes */.z3)(max)} a step's output may be: ask for a shorter answer, or split the task`, false);
            }
            chunks.push(value);
        }
    }
    catch (error) {
        void reader.cancel().catch(() => undefined);
        throw error;
    }
    finally {
        clearTimeout(timer);
        if (late !== undefined)
            clearImmediate(late);
    }
    return Buffer.concat(chunks).toString('utf8');
}

// EXTERNAL MODULE: ./build/action-js/steps/accept-reply.js
var accept_reply = __webpack_require__(18104);
;// CONCATENATED MODULE: ./build/action-js/steps/openai.js










/** 429, 5xx, connection errors and timeouts are worth another attempt; other errors are not. */
function isRetryable(error) {
    if (error instanceof reply/* ReplyError */.vO)
        return error.retryable;
    if (error instanceof openai/* APIUserAbortError */.cH)
        return false;
    if (error instanceof openai/* APIConnectionError */.xX)
        return true;
    // the connection dropped after the headers: undici's TypeError("terminated"), which the SDK passes on unwrapped
    if (error instanceof TypeError && error.message === 'terminated')
        return true;
    if (error instanceof openai/* APIError */.LG && error.status !== undefined)
        return error.status === 429 || error.status >= 500;
    return false;
}
/** The messages of an error and its causes, "fetch failed: other side closed" (undici hides the useful one in a cause). */
function causes(error) {
    const messages = [];
    for (let e = error; e instanceof Error && messages.length < 5; e = e.cause)
        if (e.message)
            messages.push(e.message);
    return messages.join(': ');
}
/**
 * Model calls through the official SDK, with its own retries off: retrying is ours. The calls run
 * on the event loop that runs the flows: on a thread of their own each call crossed between two
 * threads twice and the flows moved between them in bursts, one thread waiting while the other
 * worked, which cost more wall time than the work it moved (docs/benchmarks.md, the engine row).
 */
class OpenAIRunner {
    options;
    client;
    /** Read once: the environment is a C++ look-up a read, and this was one a call. */
    maxBytes = (0,limits/* maxOutputBytes */.rG)();
    constructor(options) {
        this.options = options;
        this.client = new openai/* default */.Ay({ apiKey: options.apiKey, baseURL: options.baseUrl, maxRetries: 0, fetch: directFetch() });
    }
    async run(request) {
        const { retry, limiter } = this.options;
        for (let attempt = 0;; attempt++) {
            let startedAt;
            try {
                startedAt = await limiter.acquire(request.signal);
            }
            catch {
                throw new errors/* CancelledError */.cc('interrupted');
            }
            try {
                const answer = await this.call(request);
                limiter.succeeded(answer.headers);
                return (0,accept_reply/* acceptReply */.v)(request, answer.data);
            }
            catch (error) {
                if (request.signal.aborted)
                    throw new errors/* CancelledError */.cc('interrupted');
                const serverAsked = error instanceof openai/* APIError */.LG ? (0,steps_retry/* retryAfterMs */.Vs)(error.headers) : undefined;
                if (error instanceof openai/* APIError */.LG && error.status === 429)
                    limiter.rateLimited(serverAsked, startedAt);
                if (!isRetryable(error) || attempt >= retry.retries)
                    throw this.describe(error, request, attempt + 1);
                const wait = (0,steps_retry/* backoffMs */.jo)(attempt + 1, retry, serverAsked);
                await (0,steps_retry/* sleep */.yy)(wait, request.signal).catch(() => {
                    throw new errors/* CancelledError */.cc('interrupted');
                });
            }
        }
    }
    /** One request, its body parsed (model-call.ts reads it). */
    async call(request) {
        const { timeoutMs, signal } = request;
        const call = (0,model_request/* modelRequest */.T)(request.step, request.model, request.api, request.prompt);
        const { body, headers } = await callModel(this.client, call, { timeoutMs, maxBytes: this.maxBytes, signal });
        return { data: (0,reply/* parseReplyBody */.Mr)(body, headers.get('content-type'), this.client.baseURL), headers };
    }
    describe(error, { api, timeoutMs }, attempts) {
        const tries = attempts > 1 ? ` (after ${attempts} attempts)` : '';
        if (error instanceof reply/* ReplyError */.vO)
            return new errors/* StepError */.zg(`${error.message}${tries}`, { cause: error, usage: error.usage });
        if (error instanceof openai/* APIConnectionTimeoutError */.qA)
            return new errors/* StepError */.zg(`the model call ${(0,cmd/* timedOutMessage */.H8)(timeoutMs)}${tries}`, { cause: error });
        if (error instanceof openai/* APIConnectionError */.xX) {
            const cause = causes(error.cause);
            return new errors/* StepError */.zg(`could not reach the model server at ${this.client.baseURL}${cause ? `: ${cause}` : ''}${tries}`, {
                cause: error,
            });
        }
        if (error instanceof TypeError && error.message === 'terminated') {
            // undici's word for a body cut short: say what happened, and what undici saw
            return new errors/* StepError */.zg(`the model server at ${this.client.baseURL} closed the connection before the response was complete (${causes(error)})${tries}`, { cause: error });
        }
        if (error instanceof openai/* APIError */.LG) {
            const status = error.status;
            let hint = '';
            if (status === 404) {
                hint = notFoundHint(this.client.baseURL, api);
            }
            else if (status === 401) {
                hint = ' — check OPENAI_API_KEY';
            }
            return new errors/* StepError */.zg(`the model call failed with HTTP ${status ?? '?'}: ${error.message}${tries}${hint}`, { cause: error });
        }
        return new errors/* StepError */.zg(`the model call failed: ${error instanceof Error ? error.message : String(error)}${tries}`, { cause: error });
    }
}
/**
 * Why a model server may answer 404, most likely first: a base URL without `/v1` (where
 * OpenAI-compatible servers answer), then a server without the Responses API.
 */
function notFoundHint(baseUrl, api) {
    const hints = [];
    const url = URL.canParse(baseUrl) ? new URL(baseUrl) : undefined;
    if (url !== undefined && !/(^|\/)v1(\/|$)/.test(url.pathname)) {
        const withV1 = `${url.origin}${url.pathname.replace(/\/+$/, '')}/v1`;
        hints.push(`the base URL ${baseUrl} has no /v1 in its path, where OpenAI-compatible servers answer: try --base-url ${withV1}`);
    }
    if (api === 'responses')
        hints.push(`the server may not offer the Responses API at ${baseUrl}/responses; if it speaks only Chat Completions, set "api": "chat" on the step or pass --api chat`);
    return hints.length === 0 ? '' : ` — ${hints.join('; or ')}`;
}


/***/ }),

/***/ 48947:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   I: () => (/* binding */ pipeHolders),
/* harmony export */   T: () => (/* binding */ pipeEnds)
/* harmony export */ });
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(73024);
/* harmony import */ var _sweep_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(34565);


/** A pipe or a socket as /proc names it: what a step's stdio is, never a file others share (/dev/null). */
const PIPE = /^(?:socket|pipe):\[\d+\]$/;
/**
 * What a program's stdout and stderr are, as /proc names them (`socket:[1234]`: Node's stdio pipes
 * are socket pairs, whose two ends differ, so the program's end is read from the program itself),
 * read as soon as it started; empty where there is no /proc, or when it had already exited. A shell
 * may be caught while it points its fd 1 elsewhere for a builtin (`echo $$ > file`), keeping the
 * pipe on a higher fd: then the pipes it holds there count, but for its stdin and those this
 * process holds as well.
 */
function pipeEnds(pid) {
    const ends = new Set();
    for (const fd of ['1', '2']) {
        const end = link(pid, fd);
        if (end !== undefined && PIPE.test(end))
            ends.add(end);
    }
    if (ends.size === 2)
        return ends;
    // not its stdin, nor a pipe this process holds too (one it inherited without close-on-exec)
    const others = new Set([link(pid, '0'), ...inheritedLinks()]);
    // the shell puts fd 1 back meanwhile: a few looks at all its fds
    for (let look = 0; look < 3 && ends.size < 2; look++) {
        for (const end of links(String(pid), 1))
            if (PIPE.test(end) && !others.has(end))
                ends.add(end);
    }
    return ends;
}
/**
 * What this process's own fds are, read once: the only ones a step's program can share with it are
 * those it inherited without close-on-exec, there from its start (every pipe Node opens is
 * close-on-exec, and each is a new inode). Reading them at every look cost more than the step.
 */
let ownLinks;
function inheritedLinks() {
    return (ownLinks ??= links('self'));
}
function link(pid, fd) {
    try {
        return (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.readlinkSync)(`/proc/${pid}/fd/${fd}`);
    }
    catch {
        return undefined; // no /proc, or already gone
    }
}
/** What the fds of process `pid` (from fd `from` on) are, as /proc names them. */
function links(pid, from = 0) {
    let fds;
    try {
        fds = (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.readdirSync)(`/proc/${pid}/fd`);
    }
    catch {
        return []; // gone
    }
    const found = [];
    for (const fd of fds) {
        if (Number(fd) < from)
            continue;
        try {
            found.push((0,node_fs__WEBPACK_IMPORTED_MODULE_0__.readlinkSync)(`/proc/${pid}/fd/${fd}`));
        }
        catch {
            // closed meanwhile
        }
    }
    return found;
}
/**
 * The processes the step started (they carry its `tag`: sweep.ts), other than the members of
 * process group `group` (already sent SIGKILL: on their way out), that hold one of `ends` open: on
 * Linux, from /proc/<pid>/fd. They inherited it from the program and left its group (`setsid`, a
 * daemon). Only the step's own processes: no other process is ever taken for a holder.
 */
function pipeHolders(ends, group, tag) {
    let pids;
    try {
        pids = (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.readdirSync)('/proc').filter((name) => /^\d+$/.test(name) && Number(name) !== process.pid);
    }
    catch {
        return [];
    }
    const holders = [];
    for (const pid of pids) {
        // the program was gone before its ends could be read (a shell that starts a daemon and exits at
        // once): then its stdout or stderr is what the step's own processes hold there
        const holds = ends.size > 0 ? holdsOneOf(pid, ends) : holdsStdioPipe(pid);
        if (holds && processGroup(pid) !== group && (0,_sweep_js__WEBPACK_IMPORTED_MODULE_1__/* .carriesTag */ .iI)(Number(pid), tag))
            holders.push({ pid: Number(pid), command: commandOf(pid) });
    }
    return holders;
}
function holdsOneOf(pid, ends) {
    let fds;
    try {
        fds = (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.readdirSync)(`/proc/${pid}/fd`);
    }
    catch {
        return false; // gone, or not ours to see
    }
    for (const fd of fds) {
        try {
            if (ends.has((0,node_fs__WEBPACK_IMPORTED_MODULE_0__.readlinkSync)(`/proc/${pid}/fd/${fd}`)))
                return true;
        }
        catch {
            // closed meanwhile
        }
    }
    return false;
}
/** Whether process `pid` has a pipe or socket as its stdout or stderr, other than one this process holds too. */
function holdsStdioPipe(pid) {
    return ['1', '2'].some((fd) => {
        const end = link(Number(pid), fd);
        return end !== undefined && PIPE.test(end) && !inheritedLinks().includes(end);
    });
}
/** The process group of `pid` (field 5 of /proc/<pid>/stat, after the parenthesised name); undefined when gone. */
function processGroup(pid) {
    try {
        const stat = (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.readFileSync)(`/proc/${pid}/stat`, 'utf8');
        return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]);
    }
    catch {
        return undefined;
    }
}
function commandOf(pid) {
    try {
        const command = (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.readFileSync)(`/proc/${pid}/cmdline`, 'utf8').replace(/\0+$/, '').replaceAll('\0', ' ');
        if (command !== '')
            return command.length > 200 ? `${command.slice(0, 200)}…` : command;
    }
    catch {
        // gone meanwhile
    }
    try {
        return (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.readFileSync)(`/proc/${pid}/comm`, 'utf8').trim();
    }
    catch {
        return '?';
    }
}


/***/ }),

/***/ 46735:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   T2: () => (/* binding */ heldPipesNote),
/* harmony export */   hX: () => (/* binding */ describeHolders),
/* harmony export */   wX: () => (/* binding */ PipeWatch)
/* harmony export */ });
/* unused harmony export PIPE_GRACE_MS */
/* harmony import */ var _pipe_holders_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(48947);

/**
 * How long after the program exited (or was killed) its pipes may stay open before we look for who
 * holds them, in ms. Whatever the program wrote is read to the end of file however late the event
 * loop gets to it; what keeps a pipe open past that is a process that left the group
 * (`setsid cmd &`), which no group signal reaches and which could hold the step for as long as it lives.
 */
const PIPE_GRACE_MS = 1000;
/** Polls for I/O a step past its time still gets to read what its pipes hold, while data still comes. */
const FORCED_LOOKS = 50;
/** `pid 123 (sleep 1000), pid 124 (…)`, for messages. */
function describeHolders(holders) {
    return holders.map((h) => `pid ${h.pid} (${h.command})`).join(', ');
}
/** The note a step's stderr gets when its pipes outlived the program (empty when they did not). */
function heldPipesNote(holders, unseen) {
    if (holders.length > 0) {
        return (`\norchestrator: the command had exited, but ${holders.length === 1 ? 'a process' : 'processes'} it started outside its ` +
            `process group still held its stdout/stderr open ${PIPE_GRACE_MS} ms later: killed ${describeHolders(holders)}; ` +
            'what was written before was read to the end\n');
    }
    if (unseen) {
        return (`\norchestrator: the command had exited, but its stdout/stderr were still held open ${PIPE_GRACE_MS} ms later by a ` +
            'process that could not be found (no /proc, or not visible to this user): read what had been written, then stopped reading them\n');
    }
    return '';
}
/**
 * Watches a program's stdout and stderr once the program has exited, until both reach end of file.
 * Every PIPE_GRACE_MS it looks, after a poll for I/O, for processes the step started outside the
 * program's group that hold them, and kills those (end of file follows their end). When none can be found and the
 * last poll read nothing, nothing written is left unread: the pipes are closed from this side.
 */
class PipeWatch {
    child;
    ends;
    group;
    tag;
    finished;
    /** The processes found holding the pipes, killed. */
    holders = [];
    /** The pipes were closed from this side while something no /proc scan found held them. */
    unseen = false;
    /** Every holder found, whether the kill worked or not: each is tried once. */
    tried = new Set();
    timer;
    immediate;
    watching = false;
    /** Called when the pipes are closed from this side: the step ran past its time or was interrupted. */
    onForced;
    forced = false;
    forcedLooks = 0;
    constructor(child, ends, group, tag, finished) {
        this.child = child;
        this.ends = ends;
        this.group = group;
        this.tag = tag;
        this.finished = finished;
    }
    /** The program exited: look at the pipes PIPE_GRACE_MS from now, and every PIPE_GRACE_MS after. */
    watch() {
        this.watching = true;
        this.schedule(PIPE_GRACE_MS);
    }
    /**
     * The step timed out or was interrupted: once the program is gone, close the pipes at the next
     * look even while a hidden process still writes to them; `onForced` is called if they are.
     */
    stopWaiting(onForced) {
        this.forced = true;
        this.onForced = onForced;
        if (this.watching)
            this.schedule(0);
    }
    dispose() {
        clearTimeout(this.timer);
        if (this.immediate !== undefined)
            clearImmediate(this.immediate);
    }
    schedule(ms) {
        clearTimeout(this.timer);
        this.timer = setTimeout(() => {
            // what the program wrote may be waiting in the pipes behind a stalled loop: look after the next poll
            const before = this.bytesRead();
            this.immediate = setImmediate(() => this.look(before));
        }, ms);
    }
    look(before) {
        if (this.finished() || this.ended())
            return;
        const found = (0,_pipe_holders_js__WEBPACK_IMPORTED_MODULE_0__/* .pipeHolders */ .I)(this.ends, this.group, this.tag).filter((h) => !this.tried.has(h.pid));
        for (const holder of found) {
            this.tried.add(holder.pid);
            try {
                process.kill(holder.pid, 'SIGKILL');
                this.holders.push(holder);
            }
            catch {
                // gone meanwhile, or not ours to end
            }
        }
        // once they are gone the pipes reach end of file, after what they hold has been read
        if (found.length > 0)
            return this.schedule(PIPE_GRACE_MS);
        // still reading what was written (or a hidden process still writes): wait for the end of file;
        // past the step's time, only a few polls more (each reads megabytes: more than a pipe holds)
        if (this.bytesRead() !== before) {
            if (!this.forced)
                return this.schedule(PIPE_GRACE_MS);
            if (this.forcedLooks++ < FORCED_LOOKS)
                return this.schedule(0);
        }
        // the last poll found nothing to read, yet no end of file: held by a process no scan finds
        this.unseen ||= this.holders.length === 0;
        if (this.forced)
            this.onForced?.();
        this.child.stdout?.destroy();
        this.child.stderr?.destroy();
    }
    bytesRead() {
        return this.pipes().reduce((sum, pipe) => sum + pipe.bytesRead, 0);
    }
    /** Both pipes reached end of file (their `close`, and the child's, follow). */
    ended() {
        return this.pipes().every((pipe) => pipe.readableEnded || pipe.destroyed);
    }
    /** Node's stdio pipes are sockets: `bytesRead` counts what was read from them. */
    pipes() {
        return [this.child.stdout, this.child.stderr].filter((pipe) => pipe !== null);
    }
}


/***/ }),

/***/ 83750:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  Wp: () => (/* binding */ alsoOnKillAll),
  QU: () => (/* binding */ killAllProcessTrees),
  DY: () => (/* binding */ notStarted),
  R3: () => (/* binding */ runProcess),
  i8: () => (/* binding */ signalGroup),
  Tq: () => (/* binding */ trackGroup),
  eY: () => (/* binding */ untrackGroup)
});

// UNUSED EXPORTS: killGraceMs

// EXTERNAL MODULE: external "node:child_process"
var external_node_child_process_ = __webpack_require__(31421);
// EXTERNAL MODULE: ./build/action-js/steps/retry.js
var retry = __webpack_require__(32283);
// EXTERNAL MODULE: ./build/action-js/steps/cgroup.js
var steps_cgroup = __webpack_require__(63337);
// EXTERNAL MODULE: ./build/action-js/steps/pipe-holders.js
var pipe_holders = __webpack_require__(48947);
// EXTERNAL MODULE: external "node:string_decoder"
var external_node_string_decoder_ = __webpack_require__(46193);
// EXTERNAL MODULE: ./build/action-js/steps/limits.js
var limits = __webpack_require__(19997);
;// CONCATENATED MODULE: ./build/action-js/steps/process-output.js


const STDERR_TAIL = 4096;
/** Stops reading `stream` while `sink` is full: a program that floods its output waits, memory does not grow. */
function heldBy(stream, sink) {
    const backlog = sink.backlog;
    if (backlog === undefined || !backlog.full())
        return;
    stream.pause();
    void backlog.drained().then(() => stream.resume());
}
/** Reads a program's stdout and stderr into their files, stdout into memory up to the cap, and its lines. */
class OutputCollector {
    sinks;
    cap = (0,limits/* maxOutputBytes */.rG)();
    chunks = [];
    captured = 0;
    stdoutBytes = 0;
    overCap = false;
    decoder = new external_node_string_decoder_.StringDecoder('utf8');
    lineBuffer = '';
    stderrTail = Buffer.alloc(0);
    constructor(sinks) {
        this.sinks = sinks;
    }
    attach(child) {
        const { stdout, stderr } = child;
        stdout?.on('data', (chunk) => {
            this.onStdout(chunk);
            heldBy(stdout, this.sinks.stdout);
        });
        stderr?.on('data', (chunk) => {
            this.sinks.stderr.write(chunk);
            this.stderrTail = Buffer.concat([this.stderrTail, chunk.subarray(-STDERR_TAIL)]).subarray(-STDERR_TAIL);
            heldBy(stderr, this.sinks.stderr);
        });
    }
    /** Passes on the last line, when stdout did not end with a newline. */
    flushLines() {
        if (!this.sinks.onStdoutLine)
            return;
        this.lineBuffer += this.decoder.end();
        if (this.lineBuffer !== '')
            this.sinks.onStdoutLine(this.lineBuffer);
    }
    result() {
        return {
            stdout: this.overCap ? Buffer.alloc(0) : Buffer.concat(this.chunks),
            stdoutBytes: this.stdoutBytes,
            stdoutCap: this.overCap ? this.cap : undefined,
            stderrTail: this.stderrTail.toString('utf8'),
        };
    }
    onStdout(chunk) {
        this.sinks.stdout.write(chunk);
        this.stdoutBytes += chunk.length;
        if (this.sinks.captureStdout && !this.overCap) {
            if (this.captured + chunk.length > this.cap)
                this.overCap = true;
            else {
                this.chunks.push(chunk);
                this.captured += chunk.length;
            }
        }
        const onLine = this.sinks.onStdoutLine;
        if (onLine) {
            this.lineBuffer += this.decoder.write(chunk);
            let newline;
            while ((newline = this.lineBuffer.indexOf('\n')) >= 0) {
                onLine(this.lineBuffer.slice(0, newline));
                this.lineBuffer = this.lineBuffer.slice(newline + 1);
            }
            // one line longer than any output may be: not an event worth reading, and a string has a limit
            if (this.lineBuffer.length > this.cap)
                this.lineBuffer = '';
        }
    }
}

// EXTERNAL MODULE: ./build/action-js/steps/pipe-watch.js
var pipe_watch = __webpack_require__(46735);
// EXTERNAL MODULE: ./build/action-js/util/young-generation.js
var young_generation = __webpack_require__(21601);
// EXTERNAL MODULE: ./build/action-js/steps/sweep.js
var steps_sweep = __webpack_require__(34565);
;// CONCATENATED MODULE: ./build/action-js/steps/process.js








/** Process groups currently running (here or in a spawner helper), so an interrupt can end every group at once. */
const running = new Set();
/** What else a forced exit ends at once: the spawner helpers' cgroups and the helpers (spawner.ts). */
const onKillAll = [];
/** Counts process group `pid` as running until `untrackGroup`: one a spawner helper started for this process. */
function trackGroup(pid) {
    running.add(pid);
}
function untrackGroup(pid) {
    running.delete(pid);
}
/** Runs `end` (synchronous) whenever every process tree is killed at once. */
function alsoOnKillAll(end) {
    onKillAll.push(end);
}
/** Grace between SIGTERM and SIGKILL when a process group is ended, in ms (tests shorten it). */
function killGraceMs() {
    const fromEnv = Number(process.env.ORCHESTRATOR_KILL_GRACE_MS);
    return Number.isFinite(fromEnv) && fromEnv >= 0 && process.env.ORCHESTRATOR_KILL_GRACE_MS ? fromEnv : 5000;
}
/** Sends `signal` to process group `pid`; one already gone is no error. */
function signalGroup(pid, signal) {
    try {
        process.kill(-pid, signal);
    }
    catch {
        // the group is already gone
    }
}
/**
 * Ends every running process group at once with SIGKILL, and every process any step of this
 * orchestrator started that escaped its group: the last resort of a forced exit, and the sweep at
 * the end of a run, so no child outlives the orchestrator.
 */
function killAllProcessTrees() {
    for (const pid of running)
        signalGroup(pid, 'SIGKILL');
    for (const end of onKillAll)
        end();
    (0,steps_cgroup/* endRunCgroup */.XG)();
    (0,steps_sweep/* killTagged */.Ju)();
}
/**
 * Runs a program in its own process group. On timeout or cancellation the whole group gets SIGTERM,
 * then SIGKILL after a grace period; when the program exits, whatever it left running in its
 * group is killed too, so no grandchild outlives its step. Its stdout and stderr are read to the
 * end of file: no timer throws away what it wrote. A process that left the group (`setsid`, a
 * daemon) and still holds them PIPE_GRACE_MS after the program exited is found by its open pipe
 * (on Linux) and killed, and what it wrote until then is read too; one that cannot be found (no
 * /proc) is not waited for once everything written has been read. No escaped process holds a step
 * past its end, its timeout or an interrupt.
 *
 * Plain `child_process.spawn`: a cmd fan-out spends its time here, and execa's layers (stream
 * pipelines, abort signals, result objects) cost more CPU per process than the shell it starts.
 */
async function runProcess(request, launch) {
    // every spawn from here copies this process's memory map, and steps keep little: keep it small (young-generation.ts)
    (0,young_generation/* holdYoungGeneration */.k)(young_generation/* SPAWNING_YOUNG_MAX_BYTES */.A);
    const tag = (0,steps_sweep/* newProcessTag */.CL)();
    // where the runner allows it, the step's processes live in a cgroup none of them can leave
    const cgroup = (0,steps_cgroup/* newStepCgroup */.Bz)();
    const started = startStep(request, tag, cgroup, launch);
    const child = started instanceof Promise ? await started : started;
    if (typeof child === 'string') {
        if (cgroup !== undefined)
            (0,steps_cgroup/* leaveStepCgroup */.qn)(cgroup, true);
        await endStreams(request);
        return notStarted(child);
    }
    // what to look for should the pipes outlive the program: two readlinks per step, on Linux. Read
    // first: a shell that starts a daemon and exits at once is gone a millisecond later (in a
    // spawner helper, telling the orchestrator the pid in onSpawn took longer: no ends, no holder found)
    const ends = child.ends ?? (child.pid === undefined ? new Set() : (0,pipe_holders/* pipeEnds */.T)(child.pid));
    let startError;
    let finished = false;
    const closed = new Promise((resolve) => {
        child.once('error', (error) => (startError ??= error));
        // after the exit and the end of file on both pipes (or their being closed by `pipes` below)
        child.once('close', (code, signal) => {
            finished = true;
            resolve({ code, signal });
        });
    });
    // a program that does not read its stdin closes the pipe: that is not an error
    child.stdin?.on('error', () => undefined);
    child.stdin?.end(request.input);
    const pid = child.pid;
    if (pid !== undefined) {
        running.add(pid);
        request.onSpawn?.(pid);
    }
    const pipes = new pipe_watch/* PipeWatch */.wX(child, ends, pid ?? 0, tag, () => finished);
    const output = new OutputCollector(request);
    output.attach(child);
    const stop = new Stop(pid, pipes, request, () => finished);
    child.once('exit', () => {
        stop.exited();
        // the program itself exited: end what it left behind in its group, so the pipes close
        if (pid !== undefined)
            signalGroup(pid, 'SIGKILL');
        pipes.watch();
    });
    try {
        const { code, signal } = await closed;
        const { holders, unseen } = pipes;
        const pipesHeld = holders.length > 0 || unseen;
        const { timedOut, cancelled } = stop;
        // whatever escaped the group: all of its cgroup, and what carries the tag in its environment
        const sweep = request.sweep || timedOut || cancelled || pipesHeld;
        if (cgroup !== undefined)
            (0,steps_cgroup/* leaveStepCgroup */.qn)(cgroup, sweep);
        if (sweep)
            (0,steps_sweep/* killTagged */.Ju)(tag);
        output.flushLines();
        const note = (0,pipe_watch/* heldPipesNote */.T2)(holders, unseen);
        if (note !== '')
            request.stderr.write(note);
        // not started at all: node reports the errno as the exit code
        const started = pid !== undefined;
        return {
            exitCode: started ? (code ?? undefined) : undefined,
            signal: started ? (signal ?? undefined) : undefined,
            ...output.result(),
            timedOut,
            cancelled,
            spawnError: !started && startError !== undefined && !timedOut && !cancelled ? startError.message : undefined,
            pipesHeld,
            holders,
        };
    }
    finally {
        stop.dispose();
        pipes.dispose();
        if (pid !== undefined)
            running.delete(pid);
        await endStreams(request);
    }
}
/** The program to start for the step, in a process group of its own (and in `cgroup`), or why it cannot be. */
function stepCommand(request, tag, cgroup) {
    const command = cgroup === undefined
        ? { file: request.file, args: [...request.args] }
        : (0,steps_cgroup/* spawnInCgroup */.XA)(cgroup, request.file, request.args, request.cwd, request.env);
    if ('error' in command)
        return command.error;
    const env = { ...request.env, ...('env' in command ? command.env : undefined), [steps_sweep/* TAG_VARIABLE */.iA]: tag };
    return { file: command.file, args: command.args, env };
}
/**
 * Starts the program (from the launcher when there is one), or says why it could not be. Spawned
 * here, it is returned at once, not through a promise: its 'error' comes on the next tick, before
 * an `await` would let the caller listen.
 */
function startStep(request, tag, cgroup, launch) {
    const command = stepCommand(request, tag, cgroup);
    if (typeof command === 'string')
        return command;
    // a NUL cannot cross to the launcher: spawn here says what is wrong
    if (launch === undefined || hasNul(command, request.cwd))
        return spawnStep(command, request.cwd);
    return launch({ ...command, cwd: request.cwd, input: request.input }).then((launched) => launched ?? spawnStep(command, request.cwd));
}
/** Starts the program from this process, or says why it could not be. */
function spawnStep(command, cwd) {
    try {
        return (0,external_node_child_process_.spawn)(command.file, command.args, { cwd, env: command.env, detached: true, stdio: ['pipe', 'pipe', 'pipe'] });
    }
    catch (error) {
        // E2BIG and the like are thrown, not emitted
        return error instanceof Error ? error.message : String(error);
    }
}
function hasNul({ file, args, env }, cwd) {
    return [file, cwd, ...args, ...Object.keys(env), ...Object.values(env)].some((text) => text.includes('\0'));
}
/** The result of a program that never ran (`spawnError` says why) or whose end is not known: nothing read, no exit. */
function notStarted(spawnError) {
    return {
        exitCode: undefined,
        signal: undefined,
        stdout: Buffer.alloc(0),
        stdoutBytes: 0,
        stdoutCap: undefined,
        stderrTail: '',
        timedOut: false,
        cancelled: false,
        spawnError,
        pipesHeld: false,
        holders: [],
    };
}
async function endStreams(request) {
    await Promise.all([request.stdout.end(), request.stderr.end()]);
}
/**
 * Ends the program's group when the step runs past its time or is interrupted: SIGTERM, then
 * SIGKILL after killGraceMs(); the pipes are then no longer waited for once the program is gone.
 */
class Stop {
    pid;
    pipes;
    request;
    timedOut = false;
    cancelled = false;
    hasExited = false;
    killTimer;
    timer;
    constructor(pid, pipes, request, finished) {
        this.pid = pid;
        this.pipes = pipes;
        this.request = request;
        // Decided after the next poll for I/O, not in the timer: libuv runs expired timers first, so after
        // a stalled loop the program's exit (or its pipes' end) may be waiting, and then it ended in time.
        this.timer = setTimeout(() => setImmediate(() => {
            if (finished())
                return;
            // the program exited in time but its pipes are still held: past its time, stop waiting for them
            if (!this.hasExited)
                this.timedOut = true;
            this.end();
            pipes.stopWaiting(() => (this.timedOut = true));
        }), Math.min(request.timeoutMs, retry/* MAX_TIMER_MS */._o));
        if (request.signal.aborted)
            this.onAbort();
        request.signal.addEventListener('abort', this.onAbort, { once: true });
    }
    /** The program exited (by itself or killed): no SIGKILL is to follow. */
    exited() {
        this.hasExited = true;
        clearTimeout(this.killTimer);
    }
    dispose() {
        clearTimeout(this.timer);
        clearTimeout(this.killTimer);
        this.request.signal.removeEventListener('abort', this.onAbort);
    }
    onAbort = () => {
        this.cancelled = true;
        this.end();
        this.pipes.stopWaiting();
    };
    end() {
        const pid = this.pid;
        if (pid === undefined || this.killTimer !== undefined || this.hasExited)
            return;
        signalGroup(pid, 'SIGTERM');
        this.killTimer = setTimeout(() => signalGroup(pid, 'SIGKILL'), killGraceMs());
    }
}


/***/ }),

/***/ 88784:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  ResponsesProxy: () => (/* binding */ ResponsesProxy)
});

// EXTERNAL MODULE: external "node:http"
var external_node_http_ = __webpack_require__(37067);
// EXTERNAL MODULE: external "node:https"
var external_node_https_ = __webpack_require__(44708);
// EXTERNAL MODULE: ./build/action-js/errors.js
var errors = __webpack_require__(66946);
// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(73024);
;// CONCATENATED MODULE: ./build/action-js/steps/peer.js

/**
 * Which process is at the other end of a loopback TCP connection, read from /proc (Linux): TCP
 * has no peer credentials, but the kernel lists every socket with its inode in /proc/net/tcp,
 * and a process's open sockets in /proc/<pid>/fd. A process cannot pose as another here: the
 * socket it connected with is in its own descriptor table. Every function answers "unknown"
 * (undefined, false, []) where /proc says nothing, so a caller refuses what it cannot identify.
 */
/** The inode of the IPv4 socket connected from local port `from` to port `to`, both on this host. */
function connectedSocket(from, to, table = '/proc/net/tcp') {
    let text;
    try {
        text = (0,external_node_fs_.readFileSync)(table, 'utf8');
    }
    catch {
        return undefined;
    }
    const port = (n) => n.toString(16).toUpperCase().padStart(4, '0');
    for (const line of text.split('\n').slice(1)) {
        // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode
        const fields = line.trim().split(/\s+/);
        if (fields.length < 10)
            continue;
        if (fields[1]?.endsWith(`:${port(from)}`) && fields[2]?.endsWith(`:${port(to)}`) && fields[9] !== '0')
            return fields[9];
    }
    return undefined;
}
/** Whether process `pid` holds the socket with this inode open. */
function holdsSocket(pid, inode) {
    const wanted = `socket:[${inode}]`;
    let fds;
    try {
        fds = (0,external_node_fs_.readdirSync)(`/proc/${pid}/fd`);
    }
    catch {
        return false; // gone, or not ours to see
    }
    return fds.some((fd) => {
        try {
            return (0,external_node_fs_.readlinkSync)(`/proc/${pid}/fd/${fd}`) === wanted;
        }
        catch {
            return false; // closed meanwhile
        }
    });
}
/** The process's argument vector as it started (argv[0] first); empty when it is gone. */
function commandLine(pid) {
    try {
        const words = (0,external_node_fs_.readFileSync)(`/proc/${pid}/cmdline`, 'utf8').split('\0');
        if (words.at(-1) === '')
            words.pop();
        return words;
    }
    catch {
        return [];
    }
}
/** The live children of `pid`: from its threads' `children` lists, else from every process's parent. */
function childrenOf(pid) {
    try {
        return (0,external_node_fs_.readdirSync)(`/proc/${pid}/task`).flatMap((thread) => (0,external_node_fs_.readFileSync)(`/proc/${pid}/task/${thread}/children`, 'utf8')
            .split(' ')
            .filter((child) => /^\d+$/.test(child))
            .map(Number));
    }
    catch {
        // a kernel without CONFIG_PROC_CHILDREN, or a thread that ended meanwhile: ask every process
    }
    const children = [];
    let pids;
    try {
        pids = (0,external_node_fs_.readdirSync)('/proc').filter((entry) => /^\d+$/.test(entry));
    }
    catch {
        return []; // no /proc
    }
    for (const name of pids) {
        try {
            const stat = (0,external_node_fs_.readFileSync)(`/proc/${name}/stat`, 'utf8');
            // pid (comm) state ppid ...: comm may hold spaces and parentheses, so read after the last ')'
            if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid)
                children.push(Number(name));
        }
        catch {
            // gone
        }
    }
    return children;
}

;// CONCATENATED MODULE: ./build/action-js/steps/proxy.js




const OPENAI_RESPONSES = 'https://api.openai.com/v1/responses';
/** Headers that describe one hop, not the request: never passed on. */
const HOP_BY_HOP = new Set([
    'connection',
    'keep-alive',
    'proxy-connection',
    'proxy-authorization',
    'te',
    'trailer',
    'transfer-encoding',
    'upgrade',
]);
/**
 * The loopback server codex's provider points at: it forwards `POST /v1/responses` upstream
 * (OpenAI's Responses API, or `--base-url`'s) with the key added, so neither codex nor any command
 * codex runs holds the key: not in its environment, its arguments, or an ancestor's
 * `/proc/<pid>/environ`.
 *
 * It answers only the codex processes of this run's codex steps. A loopback port is open to every
 * process of the machine and a step runs as the same user as codex, so nothing codex could be given
 * (a token in its environment, its arguments or its config) is hidden from a step: it reads
 * `/proc/<codex pid>/environ` like codex's own. What a step cannot fake is which process it is. For
 * each connection the socket's inode (/proc/net/tcp) must be open in a codex process this runner
 * started and has not seen end (/proc/<pid>/fd): the pid the step spawned, or, when that pid runs
 * codex through an interpreter (npm's `codex` is `node codex.js`, which starts the native binary as
 * its child with the same arguments), that child. A command codex runs is a child of the native
 * binary and is refused; so is any other process, and a connection whose owner cannot be found.
 * Elsewhere than Linux there is no /proc to ask, and every local caller is served (the README says so).
 * In process rather than `codex responses-api-proxy`: that proxy takes no credential from its
 * callers, and any process that can read its port (/proc/net/tcp) can call it.
 */
class ResponsesProxy {
    upstream;
    /** Running codex steps: the pid spawned, and the arguments it was given. */
    codex = new Map();
    /** The verdict on each connection, made on its first request. */
    callers = new WeakMap();
    server = external_node_http_.createServer((request, response) => this.serve(request, response));
    port = 0;
    constructor(upstream) {
        this.upstream = upstream;
    }
    /** Starts the proxy; `upstream` is the full Responses URL (`<base-url>/responses`), or OpenAI's when undefined. */
    static async start(apiKey, upstream = OPENAI_RESPONSES) {
        const target = new URL(upstream);
        const client = target.protocol === 'http:' ? external_node_http_ : external_node_https_;
        const proxy = new ResponsesProxy({ target, client, agent: new client.Agent({ keepAlive: true }), authorization: `Bearer ${apiKey}` });
        proxy.port = await new Promise((resolve, reject) => {
            proxy.server.once('error', (error) => reject(new errors/* StepError */.zg(`the loopback proxy that gives codex the model without the key could not listen on 127.0.0.1: ${error.message}`)));
            proxy.server.listen(0, '127.0.0.1', () => resolve(proxy.server.address().port));
        });
        // it lives until the run ends, but must not keep this process alive on its own
        proxy.server.unref();
        return proxy;
    }
    /** The base URL codex's provider uses: `http://127.0.0.1:<port>/v1`. */
    get baseUrl() {
        return `http://127.0.0.1:${this.port}/v1`;
    }
    /**
     * Lets the codex process `pid`, started with `args`, call the proxy until the function returned
     * is called (when the step's process has ended: its pid may then be reused).
     */
    admit(pid, args) {
        this.codex.set(pid, args);
        return () => this.codex.delete(pid);
    }
    stop() {
        this.server.close();
        this.server.closeAllConnections();
        this.upstream.agent.destroy();
    }
    serve(request, response) {
        if (!this.admitted(request.socket)) {
            refuse(response, `it serves only the codex processes of this run's codex steps; ${describe(request.socket)} is not one`);
        }
        else if (request.method !== 'POST' || request.url !== '/v1/responses') {
            refuse(response, `it forwards only POST /v1/responses, not ${request.method} ${request.url}`);
        }
        else {
            forward(request, response, this.upstream);
        }
    }
    admitted(socket) {
        // no /proc to tell processes apart (macOS): every local caller, as the README says
        if (process.platform !== 'linux')
            return true;
        let verdict = this.callers.get(socket);
        if (verdict === undefined) {
            verdict = this.caller(socket) !== undefined;
            this.callers.set(socket, verdict);
        }
        return verdict;
    }
    /** The codex process at the other end of `socket`, if it is one. */
    caller(socket) {
        const inode = socket.remotePort === undefined ? undefined : connectedSocket(socket.remotePort, this.port);
        if (inode === undefined)
            return undefined;
        for (const [pid, args] of this.codex) {
            if (holdsSocket(pid, inode))
                return pid;
            // `node codex.js <args>`: more words than the program and its arguments
            if (commandLine(pid).length <= args.length + 1)
                continue;
            for (const child of childrenOf(pid)) {
                if (sameWords(commandLine(child).slice(1), args) && holdsSocket(child, inode))
                    return child;
            }
        }
        return undefined;
    }
}
/** Passes the request on with the key, and the answer back as it streams (codex reads server-sent events). */
function forward(request, response, upstream) {
    const headers = {};
    for (const [name, value] of Object.entries(request.headers)) {
        if (!HOP_BY_HOP.has(name) && name !== 'host' && name !== 'authorization')
            headers[name] = value;
    }
    headers.authorization = upstream.authorization;
    const outgoing = upstream.client.request(upstream.target, { method: 'POST', headers, agent: upstream.agent }, (answer) => {
        const back = {};
        for (const [name, value] of Object.entries(answer.headers))
            if (!HOP_BY_HOP.has(name))
                back[name] = value;
        response.writeHead(answer.statusCode ?? 502, back);
        answer.pipe(response);
        answer.once('error', () => response.destroy());
    });
    outgoing.once('error', (error) => {
        if (response.headersSent)
            response.destroy();
        else
            refuse(response, `the upstream ${upstream.target.origin} could not be reached: ${error.message}`, 502);
    });
    // codex gave up (its step timed out or ended): so does the request upstream
    response.once('close', () => {
        if (!response.writableFinished)
            outgoing.destroy();
    });
    request.pipe(outgoing);
}
/** An error in the Responses API's shape, which codex shows in its error event. */
function refuse(response, why, status = 403) {
    response.writeHead(status, { 'content-type': 'application/json', connection: 'close' });
    response.end(JSON.stringify({ error: { message: `orchestrator's codex proxy refused the request: ${why}`, type: 'orchestrator_proxy' } }));
}
function describe(socket) {
    return socket.remotePort === undefined ? 'the caller' : `the process connected from port ${socket.remotePort}`;
}
function sameWords(a, b) {
    return a.length === b.length && a.every((word, i) => word === b[i]);
}


/***/ }),

/***/ 98885:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Fg: () => (/* binding */ readResponsesReply),
/* harmony export */   Mr: () => (/* binding */ parseReplyBody),
/* harmony export */   vO: () => (/* binding */ ReplyError),
/* harmony export */   vt: () => (/* binding */ readChatReply)
/* harmony export */ });
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(66946);
/* harmony import */ var _model_usage_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(44704);
/* harmony import */ var _util_is_object_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(96594);



/**
 * A model server answered (HTTP 200) but not with a whole answer: a reply cut short, refused,
 * filtered, failed or empty, or a body that is not a reply at all. `retryable` is true only when
 * the server says the cause is on its side and passing (a failed response with `server_error` or
 * `rate_limit_exceeded`); asking again for a reply cut at its token limit or stopped by the
 * content filter would pay for the same result again.
 */
class ReplyError extends _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .StepError */ .zg {
    retryable;
    partial;
    constructor(message, retryable, 
    /** What the text of the reply held, when any: kept in output.txt for a look. */
    partial = '', usage = null) {
        super(message, { usage });
        this.retryable = retryable;
        this.partial = partial;
        this.name = 'ReplyError';
    }
}
/** Error codes of a failed response that say the server may do better next time. */
const TRANSIENT_CODES = new Set(['server_error', 'rate_limit_exceeded']);
const quote = (text, max = 200) => JSON.stringify(text.length > max ? `${text.slice(0, max)}…` : text);
/** The parsed JSON body of a 200 answer; a body that is not a JSON object is an error naming what came instead. */
function parseReplyBody(body, contentType, server) {
    let parsed;
    try {
        parsed = JSON.parse(body);
    }
    catch {
        parsed = undefined;
    }
    if ((0,_util_is_object_js__WEBPACK_IMPORTED_MODULE_2__/* .isObject */ .G)(parsed))
        return parsed;
    const what = body.trim() === '' ? 'an empty body' : `a body that is not a JSON object: ${quote(body.trim())}`;
    throw new ReplyError(`the model server at ${server} answered HTTP 200 (content-type ${contentType ?? 'none'}) with ${what} — ` +
        'check that --base-url or OPENAI_BASE_URL points at an OpenAI-compatible API (its URL usually ends in /v1)', false);
}
function why(reason) {
    if (reason === 'max_output_tokens' || reason === 'length')
        return 'the model reached its output token limit: ask for a shorter answer or split the task';
    if (reason === 'content_filter')
        return "the provider's content filter stopped it";
    return 'the server gave no more detail';
}
/**
 * Usage as the Responses API (`input_tokens`, `input_tokens_details.cached_tokens`) or Chat
 * Completions (`prompt_tokens`, `prompt_tokens_details.cached_tokens`) reports it; cached tokens
 * are part of the input tokens, and never more than them.
 */
function readUsage(usage, input, output) {
    if (!(0,_util_is_object_js__WEBPACK_IMPORTED_MODULE_2__/* .isObject */ .G)(usage))
        return null;
    const details = usage[input === 'input_tokens' ? 'input_tokens_details' : 'prompt_tokens_details'];
    const inputTokens = (0,_model_usage_js__WEBPACK_IMPORTED_MODULE_1__/* .tokenCount */ .jt)(usage[input]);
    return {
        input_tokens: inputTokens,
        output_tokens: (0,_model_usage_js__WEBPACK_IMPORTED_MODULE_1__/* .tokenCount */ .jt)(usage[output]),
        cached_input_tokens: Math.min(inputTokens, (0,_util_is_object_js__WEBPACK_IMPORTED_MODULE_2__/* .isObject */ .G)(details) ? (0,_model_usage_js__WEBPACK_IMPORTED_MODULE_1__/* .tokenCount */ .jt)(details.cached_tokens) : 0),
    };
}
/** The text of a Responses API reply, or the error saying why there is none. */
function readResponsesReply(data) {
    const usage = readUsage(data.usage, 'input_tokens', 'output_tokens');
    const texts = [];
    const refusals = [];
    for (const item of Array.isArray(data.output) ? data.output : []) {
        if (!(0,_util_is_object_js__WEBPACK_IMPORTED_MODULE_2__/* .isObject */ .G)(item) || item.type !== 'message' || !Array.isArray(item.content))
            continue;
        for (const part of item.content) {
            if ((0,_util_is_object_js__WEBPACK_IMPORTED_MODULE_2__/* .isObject */ .G)(part) && part.type === 'output_text' && typeof part.text === 'string')
                texts.push(part.text);
            if ((0,_util_is_object_js__WEBPACK_IMPORTED_MODULE_2__/* .isObject */ .G)(part) && part.type === 'refusal' && typeof part.refusal === 'string')
                refusals.push(part.refusal);
        }
    }
    // servers that fill in the SDK's convenience field instead of `output`
    const output = texts.length > 0 ? texts.join('') : typeof data.output_text === 'string' ? data.output_text : '';
    const status = data.status;
    if (status === 'failed') {
        const error = (0,_util_is_object_js__WEBPACK_IMPORTED_MODULE_2__/* .isObject */ .G)(data.error) ? data.error : {};
        const code = typeof error.code === 'string' ? error.code : undefined;
        const detail = [code, typeof error.message === 'string' ? error.message : undefined].filter(Boolean).join(': ');
        throw new ReplyError(`the model server reported the response as failed (status "failed"${detail ? `, error ${detail}` : ''})`, code !== undefined && TRANSIENT_CODES.has(code), output, usage);
    }
    if (status === 'incomplete') {
        const reason = (0,_util_is_object_js__WEBPACK_IMPORTED_MODULE_2__/* .isObject */ .G)(data.incomplete_details) ? data.incomplete_details.reason : undefined;
        const shown = typeof reason === 'string' ? `, reason "${reason}"` : '';
        throw new ReplyError(`the reply was cut short (status "incomplete"${shown}): ${why(reason)}`, false, output, usage);
    }
    if (status !== undefined && status !== 'completed') {
        throw new ReplyError(`the reply is not complete (status ${JSON.stringify(status)}, expected "completed")`, false, output, usage);
    }
    if (output === '' && refusals.length > 0)
        throw new ReplyError(`the model refused: ${quote(refusals.join(' '))}`, false, '', usage);
    if (output === '')
        throw new ReplyError('the reply holds no text (an empty output): nothing to pass on', false, '', usage);
    return { output, usage };
}
/** The text of a Chat Completions reply, or the error saying why there is none. */
function readChatReply(data) {
    const usage = readUsage(data.usage, 'prompt_tokens', 'completion_tokens');
    const choice = Array.isArray(data.choices) && (0,_util_is_object_js__WEBPACK_IMPORTED_MODULE_2__/* .isObject */ .G)(data.choices[0]) ? data.choices[0] : undefined;
    if (choice === undefined)
        throw new ReplyError('the reply holds no choices: nothing to pass on', false, '', usage);
    const message = (0,_util_is_object_js__WEBPACK_IMPORTED_MODULE_2__/* .isObject */ .G)(choice.message) ? choice.message : {};
    const output = typeof message.content === 'string' ? message.content : '';
    const finish = choice.finish_reason;
    if (finish === 'length' || finish === 'content_filter') {
        throw new ReplyError(`the reply was cut short (finish_reason "${finish}"): ${why(finish)}`, false, output, usage);
    }
    if (output === '' && typeof message.refusal === 'string' && message.refusal !== '') {
        throw new ReplyError(`the model refused: ${quote(message.refusal)}`, false, '', usage);
    }
    if (output === '' && Array.isArray(message.tool_calls) && message.tool_calls.length > 0) {
        throw new ReplyError('the model asked to call a tool instead of answering (no tools were offered): nothing to pass on', false, '', usage);
    }
    if (output === '') {
        const content = message.content === null ? 'null' : message.content === undefined ? 'missing' : 'empty';
        throw new ReplyError(`the reply holds no text (message content ${content}): nothing to pass on`, false, '', usage);
    }
    return { output, usage };
}


/***/ }),

/***/ 32283:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Vs: () => (/* binding */ retryAfterMs),
/* harmony export */   _o: () => (/* binding */ MAX_TIMER_MS),
/* harmony export */   jo: () => (/* binding */ backoffMs),
/* harmony export */   ur: () => (/* binding */ defaultRetryPolicy),
/* harmony export */   yy: () => (/* binding */ sleep)
/* harmony export */ });
/* unused harmony export abortReason */
function defaultRetryPolicy(retries, env = {}) {
    const base = Number(env.ORCHESTRATOR_RETRY_BASE_MS);
    return { retries, baseMs: base >= 0 && env.ORCHESTRATOR_RETRY_BASE_MS ? base : 1000, maxMs: 120_000 };
}
/** Longest delay a Node timer holds (2^31-1 ms, about 24.8 days); a longer one fires after 1 ms. */
const MAX_TIMER_MS = 2 ** 31 - 1;
/**
 * Milliseconds the server asked us to wait: `retry-after-ms`, `retry-after` in seconds or as an
 * HTTP date. Undefined when it said nothing usable; never more than a timer holds (callers cap it
 * further, at `RetryPolicy.maxMs`).
 */
function retryAfterMs(headers, now = Date.now()) {
    const ms = Number(headers?.get('retry-after-ms') ?? NaN);
    if (Number.isFinite(ms) && ms >= 0)
        return Math.min(ms, MAX_TIMER_MS);
    const value = headers?.get('retry-after');
    if (value == null || value.trim() === '')
        return undefined;
    const seconds = Number(value);
    if (Number.isFinite(seconds) && seconds >= 0)
        return Math.min(seconds * 1000, MAX_TIMER_MS);
    const date = Date.parse(value);
    return Number.isNaN(date) ? undefined : Math.min(Math.max(0, date - now), MAX_TIMER_MS);
}
/**
 * Wait before retry number `attempt` (1-based): exponential backoff with full jitter in its upper
 * half, or what the server asked for (plus a little jitter so waiting flows do not return at once).
 */
function backoffMs(attempt, policy, serverAskedMs, random = Math.random) {
    if (serverAskedMs !== undefined)
        return Math.min(policy.maxMs, serverAskedMs + random() * Math.min(1000, policy.baseMs));
    const exponential = Math.min(policy.maxMs, policy.baseMs * 2 ** (attempt - 1));
    return exponential / 2 + (random() * exponential) / 2;
}
/** Why a signal aborted, as an Error (AbortSignal's reason may be anything). */
function abortReason(signal) {
    const reason = signal?.reason;
    return reason instanceof Error ? reason : new Error(typeof reason === 'string' ? reason : 'aborted');
}
/** Resolves after `ms` (at most MAX_TIMER_MS), or rejects at once when `signal` aborts. */
function sleep(ms, signal) {
    return new Promise((resolve, reject) => {
        if (signal?.aborted)
            return reject(abortReason(signal));
        const timer = setTimeout(() => {
            signal?.removeEventListener('abort', onAbort);
            resolve();
        }, Math.min(ms, MAX_TIMER_MS));
        const onAbort = () => {
            clearTimeout(timer);
            reject(abortReason(signal));
        };
        signal?.addEventListener('abort', onAbort, { once: true });
    });
}


/***/ }),

/***/ 554:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   W: () => (/* binding */ ARRAY_OUTPUT_NAME),
/* harmony export */   s: () => (/* binding */ ARRAY_OUTPUT_SCHEMA)
/* harmony export */ });
/**
 * The structured output asked of an `array: true` model or codex step. OpenAI's structured outputs
 * need an object at the root, so the array is wrapped as {"items": [...]}; the engine unwraps it.
 */
const ARRAY_OUTPUT_SCHEMA = {
    type: 'object',
    properties: { items: { type: 'array', items: { type: 'string' } } },
    required: ['items'],
    additionalProperties: false,
};
const ARRAY_OUTPUT_NAME = 'array_output';


/***/ }),

/***/ 34565:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   CL: () => (/* binding */ newProcessTag),
/* harmony export */   Ju: () => (/* binding */ killTagged),
/* harmony export */   XF: () => (/* binding */ killTaggedUnder),
/* harmony export */   eZ: () => (/* binding */ runTag),
/* harmony export */   iA: () => (/* binding */ TAG_VARIABLE),
/* harmony export */   iI: () => (/* binding */ carriesTag)
/* harmony export */ });
/* unused harmony export adoptRunTag */
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(77598);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(73024);


/**
 * Every process a step starts carries this variable, with a value unique to the step. A process
 * that leaves its step's process group (`setsid`, a daemon, codex's own shells, which start a
 * session of their own) escapes every group signal, but not its environment: on Linux its
 * initial environment stays readable in /proc/<pid>/environ, so it can still be found and ended.
 * Only a process that replaced its whole environment (`env -i`) is out of reach.
 */
const TAG_VARIABLE = 'ORCHESTRATOR_PROCESS_TAG';
/**
 * This orchestrator's part of every tag: its pid and a random nonce. A spawner helper (spawner.ts)
 * extends its orchestrator's, so `killTagged()` there finds the steps the helper started too.
 */
let RUN_TAG = `${process.pid}.${(0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.randomBytes)(6).toString('hex')}`;
let sequence = 0;
/** This process's part of every tag, for a spawner helper to extend. */
function runTag() {
    return RUN_TAG;
}
/** Tags this process's steps as part of `tag` (a spawner helper, before its first step). */
function adoptRunTag(tag) {
    RUN_TAG = tag;
}
/** A tag for the processes of one step. */
function newProcessTag() {
    return `${RUN_TAG}.${++sequence}`;
}
/**
 * Kills (SIGKILL) every process whose initial environment carries `tag` (the processes of one
 * step), or with no tag given, any tag of this orchestrator process. Returns their pids. One pass
 * over /proc: a few milliseconds, so it runs when a step was ended or left something behind, not
 * after every step.
 */
function killTagged(tag) {
    return killMatching(tagMatcher(tag));
}
/** Kills (SIGKILL) every process whose tag extends `runTag` (a spawner helper's: all its steps, sweep.ts's first part). */
function killTaggedUnder(runTag) {
    return killMatching(underMatcher(runTag));
}
function killMatching(tagged) {
    let pids;
    try {
        pids = (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.readdirSync)('/proc').filter((name) => /^\d+$/.test(name) && Number(name) !== process.pid);
    }
    catch {
        return []; // no /proc: nothing to look in
    }
    const killed = [];
    for (const pid of pids) {
        if (!tagged(Number(pid)))
            continue;
        try {
            process.kill(Number(pid), 'SIGKILL');
            killed.push(Number(pid));
        }
        catch {
            // gone meanwhile
        }
    }
    return killed;
}
/** Whether the initial environment of process `pid` carries `tag` (the processes of one step). */
function carriesTag(pid, tag) {
    return tagMatcher(tag)(pid);
}
/** Tells whether a process carries `tag`, or with no tag given, any tag of this orchestrator process. */
function tagMatcher(tag) {
    return tag === undefined ? underMatcher(RUN_TAG) : matcher(Buffer.from(`\0${TAG_VARIABLE}=${tag}\0`));
}
/** Tells whether a process carries a tag that extends `runTag`. */
function underMatcher(runTag) {
    return matcher(Buffer.from(`\0${TAG_VARIABLE}=${runTag}.`));
}
/** Tells whether the initial environment of a process holds `needle` (NUL first: after another variable, or first). */
function matcher(needle) {
    const first = needle.subarray(1);
    return (pid) => {
        let environ;
        try {
            environ = (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.readFileSync)(`/proc/${pid}/environ`);
        }
        catch {
            return false; // gone, or another user's
        }
        // a variable is NUL-separated from the one before it, or first in the block
        return environ.includes(needle) || environ.subarray(0, first.length).equals(first);
    };
}


/***/ }),

/***/ 69083:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   CA: () => (/* binding */ errorCode),
/* harmony export */   Cm: () => (/* binding */ linkTarget),
/* harmony export */   Jn: () => (/* binding */ DirHandles),
/* harmony export */   Md: () => (/* binding */ DIRECTORY),
/* harmony export */   dJ: () => (/* binding */ refuseNonDirectory),
/* harmony export */   dy: () => (/* binding */ viaFd),
/* harmony export */   fN: () => (/* binding */ renamed),
/* harmony export */   gd: () => (/* binding */ quietly),
/* harmony export */   k0: () => (/* binding */ UnsafePathError),
/* harmony export */   x9: () => (/* binding */ procFdWorks)
/* harmony export */ });
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(73024);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(76760);


/**
 * A path in the output tree that is not what orchestrator made there: a symbolic link, or a file
 * where a directory belongs. Steps run in the workdir, which usually holds the output tree, so a
 * step (a cmd, or codex told to by a prompt injection) can plant one; it is never followed.
 */
class UnsafePathError extends Error {
    path;
    problem;
    constructor(path, 
    /** What is wrong, completing a sentence that starts with the path: `is a symbolic link, ...`. */
    problem) {
        super(`${path} ${problem}`);
        this.path = path;
        this.problem = problem;
        this.name = 'UnsafePathError';
    }
}
/**
 * Runs `op` with stack traces off: a system call that fails where failing is expected (a directory
 * that exists already) then costs the call, not the call and a stack trace.
 */
function quietly(op) {
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    try {
        return op();
    }
    finally {
        Error.stackTraceLimit = limit;
    }
}
const errorCode = (error) => error?.code;
/** Where a link points, quoted, for an error message. */
function linkTarget(path) {
    try {
        return JSON.stringify((0,node_fs__WEBPACK_IMPORTED_MODULE_0__.readlinkSync)(path));
    }
    catch {
        return 'somewhere';
    }
}
/**
 * Refuses what stands at `at` (shown as `path`), where a directory of the tree belongs: true when
 * it is a real directory, false when nothing is there.
 */
function refuseNonDirectory(at, path) {
    const stats = (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.lstatSync)(at, { throwIfNoEntry: false });
    if (stats === undefined)
        return false;
    if (stats.isDirectory())
        return true;
    if (stats.isSymbolicLink()) {
        throw new UnsafePathError(path, `is a symbolic link (to ${linkTarget(at)}) where orchestrator keeps a directory: it is not followed`);
    }
    throw new UnsafePathError(path, 'is a file where orchestrator keeps a directory');
}
/** An error of a system call made in the directory reached as `at` (/proc/self/fd/N), told with its path `dir`. */
function renamed(error, at, dir) {
    // not `instanceof Error`: an error made in another realm (a vm context, as under jest) is one too
    if (at === dir || typeof error?.message !== 'string')
        return error;
    const tell = (text) => text.split(`${at}/`).join(`${dir}/`);
    const errno = error;
    errno.message = tell(errno.message);
    if (errno.path !== undefined)
        errno.path = tell(errno.path);
    if (errno.dest !== undefined)
        errno.dest = tell(errno.dest);
    return error;
}
/** A directory of a tree: opened only when it is one, and not through a link at its name. */
const DIRECTORY = node_fs__WEBPACK_IMPORTED_MODULE_0__.constants.O_RDONLY | node_fs__WEBPACK_IMPORTED_MODULE_0__.constants.O_DIRECTORY | node_fs__WEBPACK_IMPORTED_MODULE_0__.constants.O_NOFOLLOW;
/**
 * Open directories kept at most; past it the one used least recently is closed (and opened again
 * when needed). A run at --parallel N writes into about 2N at once (each flow's directory and its
 * step's).
 */
const KEPT = 128;
const viaFd = (fd) => `/proc/self/fd/${fd}`;
/** Whether a path through /proc/self/fd/N reaches the directory open as N (Linux with /proc mounted). */
function procFdWorks(fd) {
    if (process.platform !== 'linux')
        return false;
    try {
        const opened = (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.fstatSync)(fd);
        const reached = (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.statSync)(`${viaFd(fd)}/.`);
        return opened.ino === reached.ino && opened.dev === reached.dev;
    }
    catch {
        return false;
    }
}
/**
 * The directories of one tree, kept open: each was opened from its parent's descriptor by one name
 * with O_NOFOLLOW | O_DIRECTORY (created first when missing), the root by its path, so none is a
 * link. `/proc/self/fd/N/name` then works as `openat(N, name)` (which Node lacks): it reaches the
 * directory that was checked, whatever a step plants at its path afterwards, at the cost of one
 * system call instead of an lstat per directory from the root down, per write. Where
 * /proc/self/fd does not work (not Linux) `usable` is false and nothing is kept.
 */
class DirHandles {
    root;
    /**
     * Path -> descriptor, least recently used first: that one is closed first. A directory used is
     * moved to the end, so a flow's directory, used by each of its steps, stays open while the flow
     * runs (closed in the order opened, each was opened again every few steps: a mkdir and an open more).
     */
    open = new Map();
    /** Decided when the root is first opened. */
    works;
    /** The root as join() spells it, and a separator: every key below the root starts with it. */
    prefix;
    constructor(root) {
        this.root = root;
        this.prefix = (0,node_path__WEBPACK_IMPORTED_MODULE_1__.join)(root, '_').slice(0, -1);
    }
    /** Whether handles can be used here; opens the root to find out (throws when the root is missing or not a directory). */
    usable() {
        if (this.works === undefined) {
            const fd = this.openRoot();
            this.works = procFdWorks(fd);
            if (this.works)
                this.open.set(this.root, fd);
            else
                (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.closeSync)(fd);
        }
        return this.works;
    }
    /** The path through the handle of `dir`, when it was opened by that very name (no lookup, no system call), else undefined. */
    lookup(dir) {
        const fd = this.open.get(dir);
        return fd === undefined ? undefined : viaFd(this.used(dir, fd));
    }
    /** Whether `dir` has a handle already: one opened earlier, whose directory may have been removed since. */
    has(dir) {
        return this.open.has(dir);
    }
    /** The key of the directory `names` (relative to the root, one name per level) leads to. */
    key(names) {
        // names are single names (from path.relative: no empty ones, no `.` or `..`), so the key is
        // what join() would make of them, without its normalising scan
        return names.length === 0 ? this.root : this.prefix + names.join(node_path__WEBPACK_IMPORTED_MODULE_1__.sep);
    }
    /**
     * A path reaching the directory `names` leads to through a handle, opening (and creating) what
     * is missing from the deepest directory on the way that is open already.
     */
    reach(names) {
        // closed here, at the start of a lookup, so no path handed out earlier in the same call is reused
        while (this.open.size >= KEPT)
            this.drop(this.open.keys().next().value);
        const dir = this.key(names);
        const kept = this.open.get(dir);
        if (kept !== undefined)
            return viaFd(this.used(dir, kept));
        // keys[j]: the directory the first j names lead to
        const keys = [this.root];
        for (let j = 0; j < names.length; j++)
            keys.push(j === 0 ? this.prefix + names[0] : `${keys[j]}${node_path__WEBPACK_IMPORTED_MODULE_1__.sep}${names[j]}`);
        let i = names.length - 1;
        while (i > 0 && !this.open.has(keys[i]))
            i--;
        const from = keys[i];
        let fd = this.open.get(from);
        if (fd !== undefined)
            this.used(from, fd);
        if (fd === undefined) {
            i = 0;
            fd = this.openRoot();
            this.open.set(this.root, fd);
        }
        for (let j = i; j < names.length; j++) {
            const path = keys[j + 1];
            fd = this.openChild(fd, path, names[j]);
            this.open.set(path, fd);
        }
        return viaFd(fd);
    }
    /** Closes the handles of `dir`, of the directories above it and of those below it: the next lookup starts from the root's path. */
    forgetChain(dir) {
        for (const path of [...this.open.keys()]) {
            if (path === dir || dir.startsWith(path + '/') || path.startsWith(dir + '/'))
                this.drop(path);
        }
    }
    /**
     * Closes the handles of `dir` and the directories below it (removed). Skipped when `dir` has
     * none: a handle left below it fails with ENOENT when used, and is looked up again (SafeTree).
     */
    forgetBelow(dir) {
        if (!this.open.has(dir))
            return;
        for (const path of [...this.open.keys()])
            if (path === dir || path.startsWith(dir + '/'))
                this.drop(path);
    }
    /**
     * Closes the handle of `dir` alone, if it has one: a directory written into for a while and then
     * done with (a step's, once its step ended). Least recently used or not, it would otherwise stay
     * open until KEPT newer ones pushed it out, and at --parallel 50 the finished step directories
     * pushed out the flows' own, which each next step then made (EEXIST) and opened again. Written
     * into later after all, it is reached again from its parent, checked as any directory is.
     */
    release(dir) {
        if (this.open.has(dir))
            this.drop(dir);
    }
    close() {
        for (const path of [...this.open.keys()])
            this.drop(path);
    }
    /** Marks `dir` (open as `fd`) as the one used last; returns `fd`. */
    used(dir, fd) {
        this.open.delete(dir);
        this.open.set(dir, fd);
        return fd;
    }
    drop(path) {
        const fd = this.open.get(path);
        this.open.delete(path);
        if (fd !== undefined)
            (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.closeSync)(fd);
    }
    openRoot() {
        try {
            return (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.openSync)(this.root, DIRECTORY);
        }
        catch (error) {
            if (errorCode(error) !== 'ENOENT')
                refuseNonDirectory(this.root, this.root);
            throw error;
        }
    }
    /** Opens (creating it when missing) the directory `name` in the one open as `parent`; shown as `path`. */
    openChild(parent, path, name) {
        const at = (0,node_path__WEBPACK_IMPORTED_MODULE_1__.join)(viaFd(parent), name);
        // made first, not looked up first: most directories are new (one system call, no lookup), and
        // mkdir does not follow a link standing at the name (EEXIST), which the open below refuses
        try {
            quietly(() => (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.mkdirSync)(at));
        }
        catch (error) {
            // ENOENT: the parent was removed since it was opened (the caller starts again from the root)
            if (errorCode(error) !== 'EEXIST')
                throw renamed(error, viaFd(parent), (0,node_path__WEBPACK_IMPORTED_MODULE_1__.dirname)(path));
        }
        // the open alone decides (no look-up before it, which a step could race): a link at the name
        // fails with ELOOP (O_NOFOLLOW), a file or a FIFO with ENOTDIR (O_DIRECTORY); what stood
        // there is then looked at only to say what it was
        try {
            return (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.openSync)(at, DIRECTORY);
        }
        catch (error) {
            refuseNonDirectory(at, path);
            throw renamed(error, viaFd(parent), (0,node_path__WEBPACK_IMPORTED_MODULE_1__.dirname)(path));
        }
    }
}


/***/ }),

/***/ 96594:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   G: () => (/* binding */ isObject)
/* harmony export */ });
/** A JSON object (not null, not an array): what a file read back must be before its fields are read. */
const isObject = (value) => typeof value === 'object' && value !== null && !Array.isArray(value);


/***/ }),

/***/ 8114:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   E: () => (/* binding */ OpenDir)
/* harmony export */ });
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(73024);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(76760);
/* harmony import */ var _dir_handles_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(69083);



/**
 * A directory of a tree a step or an artifact could have touched, held open while it is walked
 * (the part of the safe-file layer that lists and removes): each directory below the root is
 * opened by one name from its parent's descriptor with O_DIRECTORY | O_NOFOLLOW, and its entries
 * are listed, read (`entry()` with readRegular or SafeTree.copyFile) and removed through its
 * descriptor (/proc/self/fd/N/name, as openat). A directory swapped for a link after it was looked
 * at is never gone through: what is removed or read is in a directory that was never a link.
 * Where /proc/self/fd does not work (not Linux), each directory is checked with lstat when it is
 * opened and used by its path, which a step racing the walk could swap.
 */
class OpenDir {
    path;
    at;
    fd;
    constructor(
    /** The directory's path, for messages. */
    path, 
    /** The path its entries are reached by: /proc/self/fd/N, or `path` itself without descriptors. */
    at, fd) {
        this.path = path;
        this.at = at;
        this.fd = fd;
    }
    /**
     * The directory `rel` (relative, '/'-separated, '' for the root) under `root`: the root as the
     * caller named it (it may be reached through a link), every directory below it never through
     * one. Undefined when one on the way is missing, a link or not a directory.
     */
    static under(root, rel = '') {
        const names = rel === '' ? [] : rel.split('/');
        if (names.some((name) => name === '' || name === '.' || name === '..'))
            return undefined;
        let dir = OpenDir.open(root, root, ROOT);
        for (const name of names) {
            if (dir === undefined)
                return undefined;
            const child = dir.dir(name);
            dir.close();
            dir = child;
        }
        return dir;
    }
    /** The directory `name` in this one; undefined when it is missing, a link or not a directory. */
    dir(name) {
        if (name.includes('/') || name === '.' || name === '..')
            return undefined;
        return OpenDir.open(this.entry(name), (0,node_path__WEBPACK_IMPORTED_MODULE_1__.join)(this.path, name), _dir_handles_js__WEBPACK_IMPORTED_MODULE_2__/* .DIRECTORY */ .Md);
    }
    /** The entries of the directory as they are now (a link is an entry of its own, not followed). */
    entries() {
        return (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.readdirSync)(this.at, { withFileTypes: true });
    }
    /**
     * The path reaching the entry `name` of this directory (through its descriptor): open it with
     * O_NOFOLLOW (readRegular, openRegular, SafeTree.copyFile), since the entry itself may be a link.
     */
    entry(name) {
        return (0,node_path__WEBPACK_IMPORTED_MODULE_1__.join)(this.at, name);
    }
    /** Removes the entry `name` when it is not a directory (a link is removed, not followed); nothing there is fine. */
    remove(name) {
        try {
            (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.unlinkSync)(this.entry(name));
        }
        catch (error) {
            if ((0,_dir_handles_js__WEBPACK_IMPORTED_MODULE_2__/* .errorCode */ .CA)(error) !== 'ENOENT')
                throw error;
        }
    }
    close() {
        if (this.fd !== undefined)
            (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.closeSync)(this.fd);
    }
    static open(at, path, flags) {
        let fd;
        try {
            fd = (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.openSync)(at, flags);
        }
        catch (error) {
            // ELOOP: a link; ENOTDIR: a file, or something on the way is one; ENOENT: missing
            if (['ELOOP', 'ENOTDIR', 'ENOENT'].includes((0,_dir_handles_js__WEBPACK_IMPORTED_MODULE_2__/* .errorCode */ .CA)(error) ?? ''))
                return undefined;
            throw error;
        }
        descriptorsWork ??= (0,_dir_handles_js__WEBPACK_IMPORTED_MODULE_2__/* .procFdWorks */ .x9)(fd);
        if (descriptorsWork)
            return new OpenDir(path, (0,_dir_handles_js__WEBPACK_IMPORTED_MODULE_2__/* .viaFd */ .dy)(fd), fd);
        // without descriptors to go through: the path, found a directory (not a link) by the open just made
        (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.closeSync)(fd);
        return new OpenDir(path, at, undefined);
    }
}
/** The root's flags: the directory the caller named may be reached through a link. */
const ROOT = _dir_handles_js__WEBPACK_IMPORTED_MODULE_2__/* .DIRECTORY */ .Md & ~node_fs__WEBPACK_IMPORTED_MODULE_0__.constants.O_NOFOLLOW;
/** Whether /proc/self/fd/N reaches an open directory here: decided once, at the first directory opened. */
let descriptorsWork;


/***/ }),

/***/ 89062:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Bs: () => (/* binding */ readUnder),
/* harmony export */   EO: () => (/* binding */ closeQuietly),
/* harmony export */   VX: () => (/* binding */ readRegular),
/* harmony export */   lf: () => (/* binding */ openRegular),
/* harmony export */   xt: () => (/* binding */ readTreeFile)
/* harmony export */ });
/* unused harmony export READ_FLAGS */
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(73024);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(76760);
/* harmony import */ var _dir_handles_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(69083);
/* harmony import */ var _open_dir_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(8114);




/**
 * Reading a tree a step or an artifact could have touched (a run directory, a shard's folder, the
 * response cache): the read side of the safe-file layer whose write side is SafeTree. A file is
 * read only when it is a regular file reached without following a link, and never more of it than
 * the caller can use.
 *
 * O_NOFOLLOW: a link planted at the file's name (`output.txt -> /proc/self/environ`) fails the open
 * with ELOOP instead of being followed. O_NONBLOCK: a FIFO planted there does not hang the open
 * waiting for a writer. The regular-file check is made on the opened file (fstat), so a file
 * swapped between a look-up and the open is judged as what was opened.
 */
/** Closes `fd`, which this process opened and still holds: a failing close loses nothing (what was written is written), so it is not reported. */
function closeQuietly(fd) {
    try {
        (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.closeSync)(fd);
    }
    catch {
        // nothing to keep
    }
}
const READ_FLAGS = node_fs__WEBPACK_IMPORTED_MODULE_0__.constants.O_RDONLY | node_fs__WEBPACK_IMPORTED_MODULE_0__.constants.O_NOFOLLOW | node_fs__WEBPACK_IMPORTED_MODULE_0__.constants.O_NONBLOCK;
/**
 * Opens `path` for reading when it is a regular file that is not a link; the caller closes the
 * descriptor. A link or anything but a regular file throws an UnsafePathError; other errors (ENOENT)
 * are thrown as they are.
 */
function openRegular(path) {
    let fd;
    try {
        fd = (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.openSync)(path, READ_FLAGS);
    }
    catch (error) {
        if ((0,_dir_handles_js__WEBPACK_IMPORTED_MODULE_2__/* .errorCode */ .CA)(error) === 'ELOOP')
            throw new _dir_handles_js__WEBPACK_IMPORTED_MODULE_2__/* .UnsafePathError */ .k0(path, 'is a symbolic link, which is not followed');
        throw error;
    }
    try {
        const stats = (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.fstatSync)(fd);
        if (!stats.isFile())
            throw new _dir_handles_js__WEBPACK_IMPORTED_MODULE_2__/* .UnsafePathError */ .k0(path, 'is not a regular file');
        return { fd, size: stats.size };
    }
    catch (error) {
        (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.closeSync)(fd);
        throw error;
    }
}
/** Reads a regular file that is not a link (openRegular), at most `limit.maxBytes` of it; `size` is the whole file's. */
function readRegular(path, limit = {}) {
    const { fd, size } = openRegular(path);
    try {
        const want = Math.min(size, limit.maxBytes ?? Infinity);
        // not zero-filled, and a small one is cut from Node's shared pool instead of being an
        // allocation of its own outside the heap (100,000 leaves read back were 100,000 of those):
        // only the bytes read are handed out (the subarray below)
        const bytes = Buffer.allocUnsafe(want);
        const start = limit.tail === true ? size - want : 0;
        let got = 0;
        while (got < want) {
            const n = (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.readSync)(fd, bytes, got, want - got, start + got);
            if (n === 0)
                break;
            got += n;
        }
        return { bytes: bytes.subarray(0, got), size };
    }
    finally {
        (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.closeSync)(fd);
    }
}
/**
 * Reads a whole file orchestrator wrote in a tree, refusing (throwing an UnsafePathError) when it,
 * or the directory it is in, is a symbolic link or not what orchestrator made: a step may have
 * planted `output.txt -> /proc/self/environ` for a resumed run to pass on. A file larger than
 * `maxBytes` is refused too, before it is read.
 */
function readTreeFile(path, { maxBytes } = {}) {
    if (!(0,node_fs__WEBPACK_IMPORTED_MODULE_0__.lstatSync)((0,node_path__WEBPACK_IMPORTED_MODULE_1__.dirname)(path)).isDirectory())
        throw new _dir_handles_js__WEBPACK_IMPORTED_MODULE_2__/* .UnsafePathError */ .k0((0,node_path__WEBPACK_IMPORTED_MODULE_1__.dirname)(path), 'is not a directory of the tree');
    const { bytes, size } = readRegular(path, { maxBytes: maxBytes === undefined ? undefined : maxBytes + 1 });
    if (maxBytes !== undefined && size > maxBytes)
        throw new _dir_handles_js__WEBPACK_IMPORTED_MODULE_2__/* .UnsafePathError */ .k0(path, `holds ${size} bytes, more than the ${maxBytes} it may hold`);
    return bytes;
}
/**
 * Reads the file `rel` (a relative path, '/'-separated) under `root` as readRegular does, through
 * the directories from the root down to it held open (OpenDir: each opened by one name from its
 * parent's descriptor, never through a link), so a directory swapped for a link after it was looked
 * at is not gone through. Undefined when it is missing, outside the root, reached through a link or
 * not a regular file.
 */
function readUnder(root, rel, limit = {}) {
    const cut = rel.lastIndexOf('/');
    const name = rel.slice(cut + 1);
    if (name === '' || name === '.' || name === '..' || rel.includes('\\'))
        return undefined;
    let dir;
    try {
        dir = _open_dir_js__WEBPACK_IMPORTED_MODULE_3__/* .OpenDir */ .E.under(root, cut < 0 ? '' : rel.slice(0, cut));
        return dir === undefined ? undefined : readRegular(dir.entry(name), limit);
    }
    catch {
        return undefined;
    }
    finally {
        dir?.close();
    }
}


/***/ }),

/***/ 79624:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  Sw: () => (/* binding */ SafeTree),
  k0: () => (/* reexport */ dir_handles/* UnsafePathError */.k0),
  Kb: () => (/* reexport */ makeDirectories),
  xt: () => (/* reexport */ safe_read/* readTreeFile */.xt),
  Vl: () => (/* reexport */ tree_paths/* temporaryOwner */.Vl),
  l5: () => (/* reexport */ tree_paths/* temporaryPath */.l5)
});

// UNUSED EXPORTS: APPEND_FILE, NEW_FILE

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(73024);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(76760);
// EXTERNAL MODULE: ./build/action-js/util/dir-handles.js
var dir_handles = __webpack_require__(69083);
// EXTERNAL MODULE: ./build/action-js/util/safe-read.js
var safe_read = __webpack_require__(89062);
;// CONCATENATED MODULE: ./build/action-js/util/tree-dirs.js



/** How a SafeTree (safe-tree.ts) makes sure the directories it writes into are real ones, not planted links. */
/** Directories remembered at most (MadeDirs), names without descriptors; past it the first remembered is forgotten, and checked again when needed. */
const KEPT = 1024;
/**
 * The directories of a tree nothing else writes into while we do (safe-tree.ts, `byPath`), made
 * by us or checked once, then written into by path. A directory is made with mkdir, which never
 * follows a link standing at its name (EEXIST); one that stood there already (an earlier attempt's,
 * or something planted before the run) is looked at once with lstat: a symbolic link or a file is
 * refused, as at every write. Afterwards nothing can swap it for a link between that check and our
 * writes: the tree's owner says no process but ours runs meanwhile.
 */
class MadeDirs {
    root;
    /** Directories made or checked, least recently used first. */
    known = new Map();
    /** The root as join() spells it, and a separator: every directory below the root starts with it. */
    prefix;
    constructor(root) {
        this.root = root;
        this.prefix = (0,external_node_path_.join)(root, '_').slice(0, -1);
    }
    /**
     * Whether `dir` was made or checked already. Not moved to the end when used: the first remembered
     * are forgotten first, and a flow's directory, made when it starts, is done with before KEPT newer
     * ones follow it unless hundreds of flows run at once (one forgotten early is checked again: an lstat).
     */
    has(dir) {
        return this.known.has(dir);
    }
    /** The key of the directory `names` (relative to the root, one name per level) leads to: the path join() would make. */
    key(names) {
        return names.length === 0 ? this.root : this.prefix + names.join(external_node_path_.sep);
    }
    /** Makes or checks the directories `names` (relative to the root, one name per level) lead to, from the deepest one known. */
    reach(names) {
        while (this.known.size >= KEPT)
            this.known.delete(this.known.keys().next().value);
        const keys = [this.root];
        for (let j = 0; j < names.length; j++)
            keys.push(j === 0 ? this.prefix + names[0] : `${keys[j]}${external_node_path_.sep}${names[j]}`);
        let i = names.length;
        while (i >= 0 && !this.known.has(keys[i]))
            i--;
        if (i < 0) {
            checkDir(this.root, false);
            this.known.set(this.root, true);
            i = 0;
        }
        for (let j = i + 1; j < keys.length; j++) {
            makeDir(keys[j]);
            this.known.set(keys[j], true);
        }
    }
    /** Forgets `dir`, the directories above it and those below it: the next write checks them again. */
    forgetChain(dir) {
        for (const path of [...this.known.keys()]) {
            if (path === dir || dir.startsWith(path + external_node_path_.sep) || path.startsWith(dir + external_node_path_.sep))
                this.known.delete(path);
        }
    }
    /** Forgets `dir` and the directories below it (removed). */
    forgetBelow(dir) {
        for (const path of [...this.known.keys()])
            if (path === dir || path.startsWith(dir + external_node_path_.sep))
                this.known.delete(path);
    }
    /** Forgets `dir` alone (written into and done with). */
    release(dir) {
        this.known.delete(dir);
    }
    close() {
        this.known.clear();
    }
}
/** Makes the directory `path`; one that stands there already must be a real directory (lstat), not a link or a file. */
function makeDir(path) {
    try {
        // stack traces off: an expected EEXIST then costs the call alone
        (0,dir_handles/* quietly */.gd)(() => (0,external_node_fs_.mkdirSync)(path));
        return;
    }
    catch (error) {
        if ((0,dir_handles/* errorCode */.CA)(error) !== 'EEXIST')
            throw error;
    }
    if (!(0,dir_handles/* refuseNonDirectory */.dJ)(path, path))
        throw new dir_handles/* UnsafePathError */.k0(path, 'was removed while orchestrator made it');
}
/** Checks with lstat that the root and each directory `names` lead to below it are real directories, creating missing ones. */
function checkPath(root, names) {
    let path = root;
    checkDir(path, false);
    for (const name of names) {
        path = (0,external_node_path_.join)(path, name);
        checkDir(path, true);
    }
}
function checkDir(path, create) {
    // a missing directory is looked up without an exception (each costs a stack trace): most are new
    let stats = (0,external_node_fs_.lstatSync)(path, { throwIfNoEntry: !create });
    if (stats === undefined) {
        try {
            (0,external_node_fs_.mkdirSync)(path);
        }
        catch (made) {
            if ((0,dir_handles/* errorCode */.CA)(made) !== 'EEXIST')
                throw made;
        }
        stats = (0,external_node_fs_.lstatSync)(path);
    }
    if (stats.isSymbolicLink()) {
        throw new dir_handles/* UnsafePathError */.k0(path, `is a symbolic link (to ${(0,dir_handles/* linkTarget */.Cm)(path)}) where orchestrator keeps a directory: it is not followed`);
    }
    if (!stats.isDirectory())
        throw new dir_handles/* UnsafePathError */.k0(path, 'is a file where orchestrator keeps a directory');
}
/**
 * `mkdir -p` that gives up with the first error instead of retrying: Node's recursive mkdir spins
 * forever on a path under /proc, whose parent exists but refuses new entries with ENOENT. A
 * directory that appears meanwhile (a concurrent run) is not an error.
 */
function makeDirectories(path) {
    const missing = [];
    for (let dir = path;; dir = (0,external_node_path_.dirname)(dir)) {
        try {
            (0,external_node_fs_.lstatSync)(dir);
            break;
        }
        catch (error) {
            if (error.code !== 'ENOENT')
                throw error;
            missing.push(dir);
            if ((0,external_node_path_.dirname)(dir) === dir)
                break;
        }
    }
    for (const dir of missing.reverse()) {
        try {
            (0,external_node_fs_.mkdirSync)(dir);
        }
        catch (error) {
            // another run creating the same parents at the same moment: what it made is checked later
            if (error.code !== 'EEXIST')
                throw error;
        }
    }
}

// EXTERNAL MODULE: ./build/action-js/util/tree-paths.js
var tree_paths = __webpack_require__(46849);
;// CONCATENATED MODULE: ./build/action-js/util/safe-tree.js










const COPY_BUFFER = 1 << 16;
/**
 * O_EXCL: a file is always created, never opened where something stands (a symbolic link, even a
 * dangling one, or a hard link to a file elsewhere): create() then looks at what is there. O_NOFOLLOW
 * adds nothing to O_EXCL (the kernel never follows a link with O_CREAT | O_EXCL): it says the intent,
 * and test/unit/safe-file.test.ts asserts the constant, since no planted file can tell it missing.
 */
const NEW_FILE = external_node_fs_.constants.O_WRONLY | external_node_fs_.constants.O_CREAT | external_node_fs_.constants.O_EXCL | external_node_fs_.constants.O_NOFOLLOW;
/** writeFileSync's options for a whole file created afresh (NEW_FILE): open, write and close in one call into Node. */
// (Node takes numeric flags there as everywhere, though its types name strings only)
const WRITE_NEW = { encoding: 'utf8', flag: NEW_FILE, mode: 0o666 };
/** A file appended to: never through a link (O_NOFOLLOW), and a FIFO planted there fails instead of blocking (O_NONBLOCK). */
const APPEND_FILE = external_node_fs_.constants.O_WRONLY | external_node_fs_.constants.O_CREAT | external_node_fs_.constants.O_APPEND | external_node_fs_.constants.O_NOFOLLOW | external_node_fs_.constants.O_NONBLOCK;
/**
 * Writes under one root directory (a run directory) without ever following a link planted below
 * it: every directory from the root down to the one written into is a real directory (created
 * when missing), and files are created with O_EXCL | O_NOFOLLOW, replacing only a plain file of
 * an earlier attempt. A symbolic link, a hard link or a file where a directory belongs is refused
 * with an UnsafePathError naming it, and nothing is written.
 *
 * How the directories are checked: by default with lstat, from the root down, at every write (the
 * check and the write are separate system calls: a step racing the engine between them is not
 * covered, a link left in place is). With `keepOpen` (the run's own tree), on Linux, each
 * directory is opened once, from its parent's descriptor with O_NOFOLLOW (DirHandles), and written
 * into through that descriptor: a link planted at its path later is never reached, and there is
 * no race. A directory removed meanwhile (a step's `rm -rf`) is looked up again from the root's
 * path, where a link planted in its place is refused. A directory moved away keeps receiving the
 * writes meant for it: they never leave what orchestrator created. `close()` releases the handles.
 * With `byPath` (a run none of whose steps starts a process, so nothing can race our writes; see
 * docs/security.md), each directory is made with mkdir or, when it stands there already, checked
 * once with lstat (MadeDirs), and files are created by path with O_EXCL | O_NOFOLLOW: a link planted
 * before is refused as in the other modes, at fewer system calls a file.
 */
class SafeTree {
    root;
    handles;
    made;
    constructor(root, options = {}) {
        this.root = root;
        if (options.byPath === true)
            this.made = new MadeDirs(root);
        else if (options.keepOpen === true)
            this.handles = new dir_handles/* DirHandles */.Jn(root);
    }
    /** Whether files are written by path, their directories made or checked once (`byPath`). */
    get byPath() {
        return this.made !== undefined;
    }
    /** Makes sure `dir` and every directory between it and the root (the root included) are real directories. */
    dir(dir) {
        this.at(dir, () => undefined);
    }
    /**
     * Checks `dir` and the directories down to it again from the root's path, as `dir` does without
     * handles: whether the tree is still there, and ours, now.
     */
    verify(dir) {
        const names = this.names(dir);
        this.handles?.forgetChain(this.handles.key(names));
        this.made?.forgetChain(this.made.key(names));
        this.dir(dir);
    }
    /** Creates `path` afresh and opens it for writing (and reading, with `read`); the caller closes the descriptor. */
    create(path, { read = false } = {}) {
        const flags = read ? (NEW_FILE & ~external_node_fs_.constants.O_WRONLY) | external_node_fs_.constants.O_RDWR : NEW_FILE;
        return this.in(path, (at) => afresh(at, path, () => (0,external_node_fs_.openSync)(at, flags, 0o666)));
    }
    /** Opens `path` to append (created when missing; the caller closes it): a link, FIFO or hard link there is refused, as by create(). */
    append(path) {
        return this.in(path, (at) => {
            let fd;
            try {
                fd = (0,external_node_fs_.openSync)(at, APPEND_FILE, 0o666);
                const stats = (0,external_node_fs_.fstatSync)(fd);
                if (stats.isFile() && stats.nlink === 1)
                    return fd;
            }
            catch (error) {
                if (!['ELOOP', 'ENXIO', 'EISDIR'].includes((0,dir_handles/* errorCode */.CA)(error) ?? ''))
                    throw error;
            }
            if (fd !== undefined)
                (0,external_node_fs_.closeSync)(fd);
            refuseForeign(at, path);
            throw new dir_handles/* UnsafePathError */.k0(path, 'changed while orchestrator opened it: it is not written');
        });
    }
    /** Writes a whole file, created afresh. */
    write(path, data) {
        if (typeof data === 'string') {
            // open, write and close in one call into Node (its own fast path for a string)
            this.in(path, (at) => afresh(at, path, () => (0,external_node_fs_.writeFileSync)(at, data, WRITE_NEW)));
            return;
        }
        const fd = this.create(path);
        try {
            (0,external_node_fs_.writeFileSync)(fd, data);
        }
        finally {
            (0,external_node_fs_.closeSync)(fd);
        }
    }
    /**
     * Writes through a temporary file (temporaryPath) and a rename, so a reader never sees half a
     * file; a link at `path` is refused, not followed. A temporary file whose write failed (a full
     * disk) is removed, not left behind.
     */
    writeAtomic(path, data) {
        const temporary = (0,tree_paths/* temporaryPath */.l5)(path);
        try {
            this.write(temporary, data);
        }
        catch (error) {
            try {
                this.removeFile(temporary);
            }
            catch {
                // the directory itself is the problem (gone, or a link now): the write's own error tells
            }
            throw error;
        }
        this.rename(temporary, path);
    }
    /** Moves a file written under the tree to `path` in the same directory, where only a plain file of ours may stand; the file is removed on failure. */
    rename(temporary, path) {
        if ((0,external_node_path_.dirname)(temporary) !== (0,external_node_path_.dirname)(path))
            throw new Error(`${temporary} and ${path} are not in one directory`);
        const source = (0,external_node_path_.basename)(temporary);
        try {
            this.in(path, (at) => {
                refuseForeign(at, path);
                (0,external_node_fs_.renameSync)(at === path ? temporary : (0,external_node_path_.join)((0,external_node_path_.dirname)(at), source), at);
            });
        }
        catch (error) {
            (0,external_node_fs_.rmSync)(temporary, { force: true });
            throw error;
        }
    }
    /**
     * Copies the file `source` (outside the tree, e.g. a shard's folder) to `path`, created afresh:
     * only a regular file that is not a link is copied (openRegular). False, and nothing written,
     * when `source` is anything else or cannot be opened.
     */
    copyFile(source, path) {
        let input;
        try {
            input = (0,safe_read/* openRegular */.lf)(source).fd;
        }
        catch {
            return false;
        }
        try {
            const output = this.create(path);
            try {
                const buffer = Buffer.allocUnsafe(COPY_BUFFER);
                for (let n; (n = (0,external_node_fs_.readSync)(input, buffer, 0, COPY_BUFFER, null)) > 0;)
                    (0,external_node_fs_.writeSync)(output, buffer, 0, n);
            }
            finally {
                (0,external_node_fs_.closeSync)(output);
            }
        }
        finally {
            (0,external_node_fs_.closeSync)(input);
        }
        return true;
    }
    /**
     * Removes the directory at `path` with all it holds, so it can be made afresh; nothing there is
     * fine. A symbolic link or a file where it belongs is refused, not followed.
     */
    removeDir(path) {
        this.in(path, (at) => {
            if ((0,dir_handles/* refuseNonDirectory */.dJ)(at, path))
                (0,external_node_fs_.rmSync)(at, { recursive: true, force: true });
        });
        this.handles?.forgetBelow(path);
        this.made?.forgetBelow(path);
    }
    /** Removes a file of the tree (a link standing there is removed, not followed). */
    removeFile(path) {
        this.in(path, (at) => (0,external_node_fs_.rmSync)(at, { force: true }));
    }
    /** Closes the directories kept open, or only `dir`'s (written into and done with); a later write opens them again. */
    close(dir) {
        if (dir === undefined) {
            this.handles?.close();
            this.made?.close();
        }
        else {
            this.handles?.release(dir);
            this.made?.release(dir);
        }
    }
    /** The names from the root down to `dir`; throws when `dir` is not under the root. */
    names(dir) {
        const prefix = this.handles?.prefix ?? this.made?.prefix;
        // a path join() made below the root (no `.` or `..` names, no doubled or trailing separator):
        // its names without path.relative's two resolves
        if (prefix !== undefined && external_node_path_.sep === '/' && dir.length > prefix.length && dir.startsWith(prefix)) {
            const rest = dir.slice(prefix.length);
            if (!/^[./]|\/\.|\/\/|\/$/.test(rest))
                return rest.split('/');
        }
        const rel = (0,external_node_path_.relative)(this.root, dir);
        if (rel.startsWith('..') || (0,external_node_path_.isAbsolute)(rel))
            throw new Error(`${dir} is outside ${this.root}`);
        return rel === '' ? [] : rel.split(external_node_path_.sep);
    }
    /** Runs `op` on the entry `path` (its name in a checked directory, reached without following a link), errors told with `path`. */
    in(path, op) {
        const { parent, name } = (0,tree_paths/* splitPath */.Uf)(path);
        return this.at(parent, (dir) => {
            try {
                return op(dir === parent ? path : `${dir}/${name}`);
            }
            catch (error) {
                throw (0,dir_handles/* renamed */.fN)(error, dir, parent);
            }
        });
    }
    /**
     * Runs `op` with a path to `dir` that is checked: a handle's (a directory removed since it was
     * opened fails with ENOENT, and is looked up once more from the root), or `dir` itself once the
     * directories from the root down to it are checked with lstat.
     */
    at(dir, op) {
        if (this.made !== undefined)
            return this.atByPath(dir, op);
        const handles = this.handles;
        // the common case, first: a directory opened by an earlier write, named the same way
        const open = handles?.lookup(dir);
        if (open !== undefined)
            return this.retried(dir, op, open);
        const names = this.names(dir);
        if (handles === undefined || !handles.usable()) {
            checkPath(this.root, names);
            return op(dir);
        }
        const key = handles.key(names);
        if (handles.has(key))
            return this.retried(dir, op, handles.reach(names));
        let reached;
        try {
            reached = handles.reach(names);
        }
        catch (error) {
            if ((0,dir_handles/* errorCode */.CA)(error) !== 'ENOENT')
                throw error;
            // a directory above it, open since an earlier write, was removed: look it up from the root's path
            handles.forgetChain(key);
            return op(handles.reach(names));
        }
        return op(reached);
    }
    /** `at` by path: `dir` and those above it made or checked once (MadeDirs); again when one of ours was removed since (ENOENT). */
    atByPath(dir, op) {
        const made = this.made;
        if (!made.has(dir)) {
            made.reach(this.names(dir));
            return op(dir);
        }
        try {
            return op(dir);
        }
        catch (error) {
            if ((0,dir_handles/* errorCode */.CA)(error) !== 'ENOENT')
                throw error;
        }
        const names = this.names(dir);
        made.forgetChain(made.key(names));
        made.reach(names);
        return op(dir);
    }
    /** Runs `op` through the handle of a directory opened earlier; when that directory was removed since, once more from the root's path. */
    retried(dir, op, open) {
        try {
            return op(open);
        }
        catch (error) {
            if ((0,dir_handles/* errorCode */.CA)(error) !== 'ENOENT')
                throw error;
        }
        const names = this.names(dir);
        this.handles.forgetChain(this.handles.key(names));
        return op(this.handles.reach(names));
    }
}
/**
 * Runs `create`, which makes the file `at` (shown as `path`) with O_EXCL: where something stands
 * already, a plain file of an earlier attempt is replaced, anything else is refused.
 */
function afresh(at, path, create) {
    try {
        return create();
    }
    catch (error) {
        if ((0,dir_handles/* errorCode */.CA)(error) !== 'EEXIST')
            throw error;
    }
    refuseForeign(at, path);
    try {
        (0,external_node_fs_.unlinkSync)(at);
    }
    catch (error) {
        if ((0,dir_handles/* errorCode */.CA)(error) !== 'ENOENT')
            throw error;
    }
    try {
        return create();
    }
    catch (error) {
        if ((0,dir_handles/* errorCode */.CA)(error) === 'EEXIST') {
            throw new dir_handles/* UnsafePathError */.k0(path, 'was created again by someone else while orchestrator replaced it: it is not followed');
        }
        throw error;
    }
}
/**
 * Refuses what stands at `at` (shown as `path`) unless it is a plain file of ours (an earlier
 * attempt's) or absent: a symbolic link, a directory, or a hard link to a file elsewhere.
 */
function refuseForeign(at, path) {
    const stats = (0,external_node_fs_.lstatSync)(at, { throwIfNoEntry: false });
    if (stats === undefined)
        return;
    if (stats.isSymbolicLink()) {
        throw new dir_handles/* UnsafePathError */.k0(path, `is a symbolic link (to ${(0,dir_handles/* linkTarget */.Cm)(at)}) where orchestrator writes a file: it is not followed`);
    }
    if (stats.isDirectory())
        throw new dir_handles/* UnsafePathError */.k0(path, 'is a directory where orchestrator writes a file');
    if (!stats.isFile())
        throw new dir_handles/* UnsafePathError */.k0(path, 'is not a regular file, where orchestrator writes one');
    if (stats.nlink > 1)
        throw new dir_handles/* UnsafePathError */.k0(path, 'is a hard link to a file elsewhere, where orchestrator writes a file of its own');
}


/***/ }),

/***/ 46849:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Uf: () => (/* binding */ splitPath),
/* harmony export */   Vl: () => (/* binding */ temporaryOwner),
/* harmony export */   hG: () => (/* binding */ under),
/* harmony export */   l5: () => (/* binding */ temporaryPath)
/* harmony export */ });
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(76760);

/** The names of the files and directories a SafeTree writes (safe-tree.ts). */
/**
 * `dirname` and `basename` of a path as join() makes them (no trailing separator, not the root):
 * a cut at the last separator, without path.dirname's and basename's scans; any other path goes
 * to them.
 */
function splitPath(path) {
    const cut = node_path__WEBPACK_IMPORTED_MODULE_0__.sep === '/' ? path.lastIndexOf('/') : -1;
    if (cut > 0 && cut < path.length - 1)
        return { parent: path.slice(0, cut), name: path.slice(cut + 1) };
    return { parent: (0,node_path__WEBPACK_IMPORTED_MODULE_0__.dirname)(path), name: (0,node_path__WEBPACK_IMPORTED_MODULE_0__.basename)(path) };
}
/**
 * `join(dir, name)` for a directory join() made (normalised) and a single name: a concatenation,
 * without join's normalising scan, where the separator is `/`.
 */
const under = (dir, name) => (node_path__WEBPACK_IMPORTED_MODULE_0__.sep === '/' ? `${dir}/${name}` : (0,node_path__WEBPACK_IMPORTED_MODULE_0__.join)(dir, name));
/** The temporary file `path` is written through: `<path>.<pid>.tmp`, in the same directory. */
const temporaryPath = (path) => `${path}.${process.pid}.tmp`;
/**
 * The pid in the name of a temporary file orchestrator writes through (`<name>.<pid>.tmp`, and
 * results.json's `<name>.<pid>.flows.tmp`); undefined for any other name.
 */
function temporaryOwner(name) {
    const match = /^.+\.([1-9]\d{0,9})(?:\.flows)?\.tmp$/.exec(name);
    return match === null ? undefined : Number(match[1]);
}


/***/ }),

/***/ 21601:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   A: () => (/* binding */ SPAWNING_YOUNG_MAX_BYTES),
/* harmony export */   k: () => (/* binding */ holdYoungGeneration)
/* harmony export */ });
/* harmony import */ var node_v8__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(78877);

/** The young generation V8 may grow to during a run: enough that short-lived garbage dies young. */
const YOUNG_MAX_BYTES = 32 * 1024 * 1024;
/**
 * The young generation of a process that starts programs (cmd and codex steps). `spawn` forks this
 * process: the kernel copies the page tables of all its memory, the child tears them down again in
 * `exec`, and the event loop waits for both. A young generation grown to 64 MB made each spawn cost
 * ~1.3 x what it cost at 8 MB (a 2,000-step cmd run: 126 against 92 MB resident), for no gain: what a
 * step keeps is a few buffers (issue 27.4).
 */
const SPAWNING_YOUNG_MAX_BYTES = 8 * 1024 * 1024;
/**
 * Keeps V8's young generation (new space) from growing past `maxBytes` (YOUNG_MAX_BYTES unless
 * given) for the rest of the process: the first call that finds it above half of its `maxBytes`
 * holds it where it is. V8 doubles it, up to 128 MB on 64-bit, each time as many bytes have survived scavenges
 * since the last doubling as it holds: in a long run that always happens, so the resident memory
 * of a run grew with its number of flows though nothing was kept (new space 16 -> 128 MB over
 * 100,000 offline flows, old space flat at about 15 MB). `--max-semi-space-size` would have to be
 * given on Node's command line; the growth factor is read each time the space grows, so it can be
 * set to 1 (no growth) from here once the space is as large as allowed. Called now and then (each
 * progress report is enough: a doubling needs megabytes to survive first).
 */
function holdYoungGeneration(maxBytes = YOUNG_MAX_BYTES) {
    if (held)
        return;
    const young = (0,node_v8__WEBPACK_IMPORTED_MODULE_0__.getHeapSpaceStatistics)().find((space) => space.space_name === 'new_space');
    // a V8 without the space or the flag: nothing to do
    if (young === undefined || young.space_size * 2 <= maxBytes)
        return;
    held = true;
    (0,node_v8__WEBPACK_IMPORTED_MODULE_0__.setFlagsFromString)('--semi-space-growth-factor=1');
}
let held = false;


/***/ })

};
