/** Elements of an `array: true` step's output, or an error message. */
export function parseArrayOutput(output: string): { elements: string[] } | { error: string } {
  const text = output.trim();
  const fenced = /^```(?:json)?[ \t]*\n([\s\S]*?)\n?```$/i.exec(text);
  let value: unknown;
  try {
    value = JSON.parse(fenced ? fenced[1]! : text);
  } catch {
    value = undefined;
  }
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
  return { elements: value.map((element) => (typeof element === 'string' ? element : JSON.stringify(element))) };
}
