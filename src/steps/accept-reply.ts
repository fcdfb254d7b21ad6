import { join } from 'node:path';
import { readChatReply, readResponsesReply, ReplyError, type Reply } from './reply.js';
import type { StepRequest, StepResult } from './runner.js';

/**
 * A 200 answer's body, parsed, whether it came from a direct call (openai.ts) or a batch's output
 * file (batch/): saved as response.json, its text as output.txt (what text there was when the
 * reply is not whole, for a look), and the step's result; throws a ReplyError when the reply is
 * not a whole one.
 */
export function acceptReply(request: Pick<StepRequest, 'api' | 'dir' | 'files'>, data: Record<string, unknown>): StepResult {
  const { files, dir } = request;
  files.write(join(dir, 'response.json'), JSON.stringify(data, null, 2) + '\n');
  let reply: Reply;
  try {
    reply = request.api === 'chat' ? readChatReply(data) : readResponsesReply(data);
  } catch (error) {
    if (error instanceof ReplyError && error.partial !== '') files.write(join(dir, 'output.txt'), error.partial);
    throw error;
  }
  files.write(join(dir, 'output.txt'), reply.output);
  return { output: files.redactor.redact(reply.output), usage: reply.usage, response: data };
}
