import { createRequire as __orchestratorRequire } from 'node:module';
const require = __orchestratorRequire(import.meta.url);
import {
  PRIVATE_ENV_FILE,
  isPrivateVariable,
  publicEnv
} from "./chunk-5BV6RGVG.js";

// src/util/shelter.ts
import { mkdtempSync, readFileSync, rmdirSync, unlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
var SHELTERED = /* @__PURE__ */ Symbol.for("orchestrator.sheltered");
function shelterPrivateEnv(env = process.env) {
  const done = globalThis;
  if (env === process.env) {
    if (done[SHELTERED] === true) return;
    done[SHELTERED] = true;
  }
  const handedOver = env[PRIVATE_ENV_FILE];
  if (handedOver !== void 0) {
    delete env[PRIVATE_ENV_FILE];
    receive(handedOver, env);
    return;
  }
  const execve = process.execve;
  const moved = Object.entries(env).filter(([name, value]) => value !== void 0 && isPrivateVariable(name));
  if (execve === void 0 || moved.length === 0) return;
  const dir = mkdtempSync(join(tmpdir(), "orchestrator-env-"));
  const file = join(dir, "env.json");
  try {
    writeFileSync(file, JSON.stringify(Object.fromEntries(moved)), { mode: 384, flag: "wx" });
    const flags = ["--disable-sigusr1", ...process.execArgv.filter((flag) => flag !== "--disable-sigusr1")];
    execve.call(process, process.execPath, [process.execPath, ...flags, ...process.argv.slice(1)], {
      ...publicEnv(env),
      [PRIVATE_ENV_FILE]: file
    });
  } catch {
    forget(file);
  }
}
function receive(file, env) {
  let values = {};
  try {
    values = JSON.parse(readFileSync(file, "utf8"));
  } catch {
  } finally {
    forget(file);
  }
  for (const [name, value] of Object.entries(values)) if (typeof value === "string" && isPrivateVariable(name)) env[name] = value;
}
function forget(file) {
  try {
    unlinkSync(file);
  } catch {
  }
  try {
    rmdirSync(dirname(file));
  } catch {
  }
}

export {
  shelterPrivateEnv
};
