// The floor of the command fan-out benchmark: the same commands spawned from Node with nothing
// around them (no engine), as the engine spawns them: `sh -c 'cat "$1"'` in its own process group,
// stdout through a pipe into a file per command.
//
//   node bench/spawn-loop.mjs LIST_FILE CONCURRENCY
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';

const [list, concurrencyArg] = process.argv.slice(2);
const paths = readFileSync(list, 'utf8').split('\n').filter(Boolean);
const concurrency = Number(concurrencyArg);

function one(path) {
  return new Promise((resolve, reject) => {
    const child = spawn('sh', ['-c', 'cat "$1"', 'sh', path], { stdio: ['pipe', 'pipe', 'pipe'], detached: true });
    const chunks = [];
    child.stdin.on('error', () => {});
    child.stdin.end('');
    child.stdout.on('data', (c) => chunks.push(c));
    child.stderr.on('data', () => {});
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`${path}: exit ${code}`));
      writeFileSync(`${path}.node.out`, Buffer.concat(chunks));
      resolve();
    });
  });
}

let next = 0;
await Promise.all(
  Array.from({ length: concurrency }, async () => {
    while (next < paths.length) await one(paths[next++]);
  }),
);
