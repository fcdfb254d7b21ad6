import { join } from 'node:path';
import { under } from '../util/tree-paths.js';
import type { StepRequest, StepResult, StepRunner } from './runner.js';

/**
 * `--offline`: model and codex steps answer with their own prompt and write the same files a real
 * call would, so a config can be tried without a key or a network. An `array: true` step answers
 * with a one-element array holding its prompt, so the chain after it runs too (one branch).
 */
export class OfflineRunner implements StepRunner {
  // async, so that a failed write rejects as any runner's failure does
  // eslint-disable-next-line @typescript-eslint/require-await
  async run({ step, prompt: asked, dir, files }: StepRequest): Promise<StepResult> {
    const prompt = step.array ? JSON.stringify([asked]) : asked;
    if (step.kind === 'codex') {
      const finalMessage = join(dir, 'final_message.txt');
      const events = [
        { type: 'thread.started', thread_id: 'offline' },
        { type: 'turn.started' },
        { type: 'item.completed', item: { id: 'item_0', type: 'agent_message', text: prompt } },
        { type: 'turn.completed', usage: { input_tokens: 0, cached_input_tokens: 0, output_tokens: 0 } },
      ];
      files.write(join(dir, 'stdout.txt'), events.map((e) => JSON.stringify(e)).join('\n') + '\n');
      files.write(join(dir, 'stderr.txt'), '');
      files.write(finalMessage, prompt);
      return { output: prompt, usage: { input_tokens: 0, output_tokens: 0, cached_input_tokens: 0 }, finalMessage };
    }
    files.write(under(dir, 'output.txt'), prompt);
    files.write(under(dir, 'response.json'), JSON.stringify({ offline: true, output_text: prompt }, null, 2) + '\n');
    return { output: prompt, usage: { input_tokens: 0, output_tokens: 0, cached_input_tokens: 0 } };
  }
}
