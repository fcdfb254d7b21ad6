import { createRequire as __orchestratorRequire } from 'node:module';
const require = __orchestratorRequire(import.meta.url);

// src/util/tree-thread.ts
import { parentPort, workerData } from "node:worker_threads";

// src/util/tree-batch.ts
import { renameSync, rmSync } from "node:fs";

// src/util/dir-handles.ts
import { closeSync, constants, fstatSync, lstatSync, mkdirSync, openSync, readlinkSync, statSync } from "node:fs";
var UnsafePathError = class extends Error {
  constructor(path, problem) {
    super(`${path} ${problem}`);
    this.path = path;
    this.problem = problem;
    this.name = "UnsafePathError";
  }
  path;
  problem;
};
function quietly(op) {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return op();
  } finally {
    Error.stackTraceLimit = limit;
  }
}
var errorCode = (error) => error?.code;
function linkTarget(path) {
  try {
    return JSON.stringify(readlinkSync(path));
  } catch {
    return "somewhere";
  }
}
function refuseNonDirectory(at, path) {
  const stats = lstatSync(at, { throwIfNoEntry: false });
  if (stats === void 0) return false;
  if (stats.isDirectory()) return true;
  if (stats.isSymbolicLink()) {
    throw new UnsafePathError(path, `is a symbolic link (to ${linkTarget(at)}) where orchestrator keeps a directory: it is not followed`);
  }
  throw new UnsafePathError(path, "is a file where orchestrator keeps a directory");
}
var DIRECTORY = constants.O_RDONLY | constants.O_DIRECTORY | constants.O_NOFOLLOW;

// src/util/tree-dirs.ts
import { lstatSync as lstatSync2, mkdirSync as mkdirSync2 } from "node:fs";
function makeDir(path) {
  try {
    quietly(() => mkdirSync2(path));
    return;
  } catch (error) {
    if (errorCode(error) !== "EEXIST") throw error;
  }
  if (!refuseNonDirectory(path, path)) throw new UnsafePathError(path, "was removed while orchestrator made it");
}

// src/util/tree-files.ts
import { constants as constants2, lstatSync as lstatSync3, unlinkSync, writeFileSync } from "node:fs";
var NEW_FILE = constants2.O_WRONLY | constants2.O_CREAT | constants2.O_EXCL | constants2.O_NOFOLLOW;
var WRITE_NEW = { encoding: "utf8", flag: NEW_FILE, mode: 438 };
function writeAfresh(at, data, path = at) {
  afresh(at, path, () => writeFileSync(at, data, typeof data === "string" ? WRITE_NEW : { flag: WRITE_NEW.flag, mode: 438 }));
}
function afresh(at, path, create) {
  try {
    return create();
  } catch (error) {
    if (errorCode(error) !== "EEXIST") throw error;
  }
  refuseForeign(at, path);
  try {
    unlinkSync(at);
  } catch (error) {
    if (errorCode(error) !== "ENOENT") throw error;
  }
  try {
    return create();
  } catch (error) {
    if (errorCode(error) === "EEXIST") {
      throw new UnsafePathError(path, "was created again by someone else while orchestrator replaced it: it is not followed");
    }
    throw error;
  }
}
function refuseForeign(at, path) {
  const stats = lstatSync3(at, { throwIfNoEntry: false });
  if (stats === void 0) return;
  if (stats.isSymbolicLink()) {
    throw new UnsafePathError(path, `is a symbolic link (to ${linkTarget(at)}) where orchestrator writes a file: it is not followed`);
  }
  if (stats.isDirectory()) throw new UnsafePathError(path, "is a directory where orchestrator writes a file");
  if (!stats.isFile()) throw new UnsafePathError(path, "is not a regular file, where orchestrator writes one");
  if (stats.nlink > 1) throw new UnsafePathError(path, "is a hard link to a file elsewhere, where orchestrator writes a file of its own");
}

// src/util/tree-paths.ts
var temporaryPath = (path) => `${path}.${process.pid}.tmp`;

// src/util/tree-batch.ts
var TreeBatches = class {
  /** Directories that could not be made, with why: what is below them is not written. */
  broken = /* @__PURE__ */ new Map();
  /** Makes a batch's writes; returns those that failed. */
  apply(ops) {
    const failed = [];
    for (let i = 0; i < ops.length; i += 3) {
      const kind = ops[i];
      const path = ops[i + 1];
      try {
        this.one(kind, path, ops[i + 2]);
      } catch (error) {
        if (kind === "d") this.broken.set(path, error);
        const { message, code } = error;
        const unsafe = error instanceof UnsafePathError ? { path: error.path, problem: error.problem } : void 0;
        failed.push({ kind, path, message: String(message), code, ...unsafe === void 0 ? {} : { unsafe } });
      }
    }
    return failed;
  }
  one(kind, path, data) {
    if (this.broken.size > 0) this.refuseBelowBroken(path);
    if (kind === "d") {
      makeDir(path);
      this.broken.delete(path);
    } else if (kind === "w") {
      writeAfresh(path, data);
    } else {
      writeAtomic(path, data);
    }
  }
  /** A path below a directory that could not be made fails with that directory's error. */
  refuseBelowBroken(path) {
    for (let cut = path.lastIndexOf("/"); cut > 0; cut = path.lastIndexOf("/", cut - 1)) {
      const error = this.broken.get(path.slice(0, cut));
      if (error !== void 0) throw error;
    }
  }
};
function writeAtomic(path, data) {
  const temporary = temporaryPath(path);
  try {
    writeAfresh(temporary, data);
    refuseForeign(path, path);
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}

// src/util/young-generation.ts
var YOUNG_MAX_BYTES = 32 * 1024 * 1024;
var SPAWNING_YOUNG_MAX_BYTES = 8 * 1024 * 1024;

// src/util/tree-queue.ts
var DONE = 0;
var GONE = 1;
var SEND_AT = 3 * 512;
var MAX_PENDING_BYTES = 16 * 1024 * 1024;
var YOUNG_MAX_BYTES2 = 16 * 1024 * 1024;

// src/util/tree-thread.ts
var { done, port } = workerData;
var counter = new Int32Array(done);
var batches = new TreeBatches();
process.on("exit", (code) => {
  Atomics.store(counter, GONE, code + 1);
  Atomics.notify(counter, DONE);
});
parentPort.on("message", ({ seq, ops }) => {
  port.postMessage({ seq, failed: batches.apply(ops) });
  Atomics.store(counter, DONE, seq);
  Atomics.notify(counter, DONE);
});
