import { UsageError } from '../errors.js';
import { FlowSpace } from '../flows/flows.js';
import type { KeySpec } from '../flows/keys.js';
import { loadDefinition } from './prepare.js';

/** The flows of a config and key lists, checked as a run would check them; zero flows is an error. */
export function loadFlowSpace(configFile: string, keys: readonly KeySpec[], base: string, confineTo?: string): FlowSpace {
  const definition = loadDefinition(configFile, keys, base, { confineTo });
  if (definition.problems.length > 0) throw new UsageError(definition.problems);
  return new FlowSpace(definition.keyLists);
}
