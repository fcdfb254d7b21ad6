import { parseJsonOutput } from '../checks/evaluate.js';

/**
 * Elements of an `array: true` step's output, or an error message. The output comes from a model
 * (or a command fed by one), so the number of elements is capped at `maxItems`: each becomes a
 * branch with its own directory and processes.
 */
export function parseArrayOutput(output: string, maxItems = Infinity): { elements: string[] } | { error: string } {
  let value = parseJsonOutput(output)?.value;
  // structured output wraps the array: {"items": [...]}
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const fields = Object.keys(value);
    if (fields.length === 1 && fields[0] === 'items' && Array.isArray((value as { items: unknown }).items))
      value = (value as { items: unknown[] }).items;
  }
  if (!Array.isArray(value)) {
    const shown = output.length > 200 ? `${output.slice(0, 200)}…` : output;
    return {
      error: `"array": true needs the output to be a JSON array (or one \`\`\`json block holding one), got: ${JSON.stringify(shown)}`,
    };
  }
  if (value.length > maxItems) {
    return {
      error:
        `the array has ${value.length} elements, more than max_items ${maxItems}; ` +
        `raise "max_items" on this step if that many branches are intended, or ask for fewer elements`,
    };
  }
  return { elements: value.map((element) => (typeof element === 'string' ? element : JSON.stringify(element))) };
}
