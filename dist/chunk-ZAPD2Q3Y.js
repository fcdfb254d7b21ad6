import { createRequire as __orchestratorRequire } from 'node:module';
const require = __orchestratorRequire(import.meta.url);
import {
  isObject
} from "./chunk-ZNNWXPSJ.js";

// src/steps/batch/record.ts
import { createHash } from "node:crypto";
import { lstatSync as lstatSync6, readdirSync as readdirSync2 } from "node:fs";
import { isAbsolute as isAbsolute2, join as join6 } from "node:path";

// src/util/safe-tree.ts
import { closeSync as closeSync4, constants as constants5, fstatSync as fstatSync3, openSync as openSync4, readSync as readSync2, renameSync, rmSync, writeSync } from "node:fs";
import { basename as basename2, dirname as dirname5, isAbsolute, join as join5, relative, sep as sep4 } from "node:path";

// src/util/dir-handles.ts
import { closeSync, constants, fstatSync, lstatSync, mkdirSync, openSync, readlinkSync, statSync } from "node:fs";
import { dirname, join, sep } from "node:path";
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
function renamed(error, at, dir) {
  if (at === dir || typeof error?.message !== "string") return error;
  const tell = (text) => text.split(`${at}/`).join(`${dir}/`);
  const errno = error;
  errno.message = tell(errno.message);
  if (errno.path !== void 0) errno.path = tell(errno.path);
  if (errno.dest !== void 0) errno.dest = tell(errno.dest);
  return error;
}
var DIRECTORY = constants.O_RDONLY | constants.O_DIRECTORY | constants.O_NOFOLLOW;
var KEPT = 128;
var viaFd = (fd) => `/proc/self/fd/${fd}`;
function procFdWorks(fd) {
  if (process.platform !== "linux") return false;
  try {
    const opened = fstatSync(fd);
    const reached = statSync(`${viaFd(fd)}/.`);
    return opened.ino === reached.ino && opened.dev === reached.dev;
  } catch {
    return false;
  }
}
var DirHandles = class {
  constructor(root) {
    this.root = root;
    this.prefix = join(root, "_").slice(0, -1);
  }
  root;
  /**
   * Path -> descriptor, least recently used first: that one is closed first. A directory used is
   * moved to the end, so a flow's directory, used by each of its steps, stays open while the flow
   * runs (closed in the order opened, each was opened again every few steps: a mkdir and an open more).
   */
  open = /* @__PURE__ */ new Map();
  /** Decided when the root is first opened. */
  works;
  /** The root as join() spells it, and a separator: every key below the root starts with it. */
  prefix;
  /** Whether handles can be used here; opens the root to find out (throws when the root is missing or not a directory). */
  usable() {
    if (this.works === void 0) {
      const fd = this.openRoot();
      this.works = procFdWorks(fd);
      if (this.works) this.open.set(this.root, fd);
      else closeSync(fd);
    }
    return this.works;
  }
  /** The path through the handle of `dir`, when it was opened by that very name (no lookup, no system call), else undefined. */
  lookup(dir) {
    const fd = this.open.get(dir);
    return fd === void 0 ? void 0 : viaFd(this.used(dir, fd));
  }
  /** Whether `dir` has a handle already: one opened earlier, whose directory may have been removed since. */
  has(dir) {
    return this.open.has(dir);
  }
  /** The key of the directory `names` (relative to the root, one name per level) leads to. */
  key(names) {
    return names.length === 0 ? this.root : this.prefix + names.join(sep);
  }
  /**
   * A path reaching the directory `names` leads to through a handle, opening (and creating) what
   * is missing from the deepest directory on the way that is open already.
   */
  reach(names) {
    while (this.open.size >= KEPT) this.drop(this.open.keys().next().value);
    const dir = this.key(names);
    const kept = this.open.get(dir);
    if (kept !== void 0) return viaFd(this.used(dir, kept));
    const keys = [this.root];
    for (let j = 0; j < names.length; j++) keys.push(j === 0 ? this.prefix + names[0] : `${keys[j]}${sep}${names[j]}`);
    let i = names.length - 1;
    while (i > 0 && !this.open.has(keys[i])) i--;
    const from = keys[i];
    let fd = this.open.get(from);
    if (fd !== void 0) this.used(from, fd);
    if (fd === void 0) {
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
      if (path === dir || dir.startsWith(path + "/") || path.startsWith(dir + "/")) this.drop(path);
    }
  }
  /**
   * Closes the handles of `dir` and the directories below it (removed). Skipped when `dir` has
   * none: a handle left below it fails with ENOENT when used, and is looked up again (SafeTree).
   */
  forgetBelow(dir) {
    if (!this.open.has(dir)) return;
    for (const path of [...this.open.keys()]) if (path === dir || path.startsWith(dir + "/")) this.drop(path);
  }
  /**
   * Closes the handle of `dir` alone, if it has one: a directory written into for a while and then
   * done with (a step's, once its step ended). Least recently used or not, it would otherwise stay
   * open until KEPT newer ones pushed it out, and at --parallel 50 the finished step directories
   * pushed out the flows' own, which each next step then made (EEXIST) and opened again. Written
   * into later after all, it is reached again from its parent, checked as any directory is.
   */
  release(dir) {
    if (this.open.has(dir)) this.drop(dir);
  }
  close() {
    for (const path of [...this.open.keys()]) this.drop(path);
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
    if (fd !== void 0) closeSync(fd);
  }
  openRoot() {
    try {
      return openSync(this.root, DIRECTORY);
    } catch (error) {
      if (errorCode(error) !== "ENOENT") refuseNonDirectory(this.root, this.root);
      throw error;
    }
  }
  /** Opens (creating it when missing) the directory `name` in the one open as `parent`; shown as `path`. */
  openChild(parent, path, name) {
    const at = join(viaFd(parent), name);
    try {
      quietly(() => mkdirSync(at));
    } catch (error) {
      if (errorCode(error) !== "EEXIST") throw renamed(error, viaFd(parent), dirname(path));
    }
    try {
      return openSync(at, DIRECTORY);
    } catch (error) {
      refuseNonDirectory(at, path);
      throw renamed(error, viaFd(parent), dirname(path));
    }
  }
};

// src/util/safe-read.ts
import { closeSync as closeSync3, constants as constants3, fstatSync as fstatSync2, lstatSync as lstatSync3, openSync as openSync3, readSync } from "node:fs";
import { dirname as dirname2 } from "node:path";

// src/util/open-dir.ts
import { closeSync as closeSync2, constants as constants2, lstatSync as lstatSync2, openSync as openSync2, readdirSync, unlinkSync } from "node:fs";
import { join as join2 } from "node:path";
var OpenDir = class _OpenDir {
  constructor(path, at, fd) {
    this.path = path;
    this.at = at;
    this.fd = fd;
  }
  path;
  at;
  fd;
  /**
   * The directory `rel` (relative, '/'-separated, '' for the root) under `root`: the root as the
   * caller named it (it may be reached through a link), every directory below it never through
   * one. Undefined when one on the way is missing, a link or not a directory.
   */
  static under(root, rel = "") {
    const names = rel === "" ? [] : rel.split("/");
    if (names.some((name) => name === "" || name === "." || name === "..")) return void 0;
    let dir = _OpenDir.open(root, root, ROOT);
    for (const name of names) {
      if (dir === void 0) return void 0;
      const child = dir.dir(name);
      dir.close();
      dir = child;
    }
    return dir;
  }
  /** The directory `name` in this one; undefined when it is missing, a link or not a directory. */
  dir(name) {
    if (name.includes("/") || name === "." || name === "..") return void 0;
    return _OpenDir.open(this.entry(name), join2(this.path, name), DIRECTORY);
  }
  /** The entries of the directory as they are now (a link is an entry of its own, not followed). */
  entries() {
    return readdirSync(this.at, { withFileTypes: true });
  }
  /**
   * The names of the entries as they are now, only: cheaper than `entries` for a directory of
   * 100,000 flows where only a few names matter (their kind: `isFile`).
   */
  names() {
    return readdirSync(this.at);
  }
  /** Whether the entry `name` is a regular file now (a link is not, whatever it points to). */
  isFile(name) {
    return lstatSync2(this.entry(name), { throwIfNoEntry: false })?.isFile() === true;
  }
  /**
   * The path reaching the entry `name` of this directory (through its descriptor): open it with
   * O_NOFOLLOW (readRegular, openRegular, SafeTree.copyFile), since the entry itself may be a link.
   */
  entry(name) {
    return join2(this.at, name);
  }
  /** Removes the entry `name` when it is not a directory (a link is removed, not followed); nothing there is fine. */
  remove(name) {
    try {
      unlinkSync(this.entry(name));
    } catch (error) {
      if (errorCode(error) !== "ENOENT") throw error;
    }
  }
  close() {
    if (this.fd !== void 0) closeSync2(this.fd);
  }
  static open(at, path, flags) {
    let fd;
    try {
      fd = openSync2(at, flags);
    } catch (error) {
      if (["ELOOP", "ENOTDIR", "ENOENT"].includes(errorCode(error) ?? "")) return void 0;
      throw error;
    }
    descriptorsWork ??= procFdWorks(fd);
    if (descriptorsWork) return new _OpenDir(path, viaFd(fd), fd);
    closeSync2(fd);
    return new _OpenDir(path, at, void 0);
  }
};
var ROOT = DIRECTORY & ~constants2.O_NOFOLLOW;
var descriptorsWork;

// src/util/safe-read.ts
function closeQuietly(fd) {
  try {
    closeSync3(fd);
  } catch {
  }
}
var READ_FLAGS = constants3.O_RDONLY | constants3.O_NOFOLLOW | constants3.O_NONBLOCK;
function openRegular(path) {
  let fd;
  try {
    fd = openSync3(path, READ_FLAGS);
  } catch (error) {
    if (errorCode(error) === "ELOOP") throw new UnsafePathError(path, "is a symbolic link, which is not followed");
    throw error;
  }
  try {
    const stats = fstatSync2(fd);
    if (!stats.isFile()) throw new UnsafePathError(path, "is not a regular file");
    return { fd, size: stats.size, stats };
  } catch (error) {
    closeSync3(fd);
    throw error;
  }
}
function readRegular(path, limit = {}) {
  const { fd, size, stats } = openRegular(path);
  try {
    const want = Math.min(size, limit.maxBytes ?? Infinity);
    const bytes = Buffer.allocUnsafe(want);
    const start = limit.tail === true ? size - want : 0;
    let got = 0;
    while (got < want) {
      const n = readSync(fd, bytes, got, want - got, start + got);
      if (n === 0) break;
      got += n;
    }
    return { bytes: bytes.subarray(0, got), size, stats };
  } finally {
    closeSync3(fd);
  }
}
function readTreeFile(path, { maxBytes } = {}) {
  if (!lstatSync3(dirname2(path)).isDirectory()) throw new UnsafePathError(dirname2(path), "is not a directory of the tree");
  const { bytes, size } = readRegular(path, { maxBytes: maxBytes === void 0 ? void 0 : maxBytes + 1 });
  if (maxBytes !== void 0 && size > maxBytes)
    throw new UnsafePathError(path, `holds ${size} bytes, more than the ${maxBytes} it may hold`);
  return bytes;
}
function readUnder(root, rel, limit = {}) {
  const cut = rel.lastIndexOf("/");
  const name = rel.slice(cut + 1);
  if (name === "" || name === "." || name === ".." || rel.includes("\\")) return void 0;
  let dir;
  try {
    dir = OpenDir.under(root, cut < 0 ? "" : rel.slice(0, cut));
    return dir === void 0 ? void 0 : readRegular(dir.entry(name), limit);
  } catch {
    return void 0;
  } finally {
    dir?.close();
  }
}

// src/util/tree-dirs.ts
import { lstatSync as lstatSync4, mkdirSync as mkdirSync2 } from "node:fs";
import { dirname as dirname3, join as join3, sep as sep2 } from "node:path";
var KEPT2 = 1024;
var MadeDirs = class {
  constructor(root) {
    this.root = root;
    this.prefix = join3(root, "_").slice(0, -1);
  }
  root;
  /** Directories made or checked, least recently used first. */
  known = /* @__PURE__ */ new Map();
  /** The root as join() spells it, and a separator: every directory below the root starts with it. */
  prefix;
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
    return names.length === 0 ? this.root : this.prefix + names.join(sep2);
  }
  /**
   * Makes or checks the directories `names` (relative to the root, one name per level) lead to, from
   * the deepest one known; `make` makes one (or has the writer thread make it: tree-queue.ts).
   */
  reach(names, make = makeDir) {
    while (this.known.size >= KEPT2) this.known.delete(this.known.keys().next().value);
    const keys = [this.root];
    for (let j = 0; j < names.length; j++) keys.push(j === 0 ? this.prefix + names[0] : `${keys[j]}${sep2}${names[j]}`);
    let i = names.length;
    while (i >= 0 && !this.known.has(keys[i])) i--;
    if (i < 0) {
      checkDir(this.root, false);
      this.known.set(this.root, true);
      i = 0;
    }
    for (let j = i + 1; j < keys.length; j++) {
      make(keys[j]);
      this.known.set(keys[j], true);
    }
  }
  /** Forgets `dir`, the directories above it and those below it: the next write checks them again. */
  forgetChain(dir) {
    for (const path of [...this.known.keys()]) {
      if (path === dir || dir.startsWith(path + sep2) || path.startsWith(dir + sep2)) this.known.delete(path);
    }
  }
  /** Forgets `dir` and the directories below it (removed). */
  forgetBelow(dir) {
    for (const path of [...this.known.keys()]) if (path === dir || path.startsWith(dir + sep2)) this.known.delete(path);
  }
  /** Forgets `dir` alone (written into and done with). */
  release(dir) {
    this.known.delete(dir);
  }
  close() {
    this.known.clear();
  }
};
function makeDir(path) {
  try {
    quietly(() => mkdirSync2(path));
    return;
  } catch (error) {
    if (errorCode(error) !== "EEXIST") throw error;
  }
  if (!refuseNonDirectory(path, path)) throw new UnsafePathError(path, "was removed while orchestrator made it");
}
function checkPath(root, names) {
  let path = root;
  checkDir(path, false);
  for (const name of names) {
    path = join3(path, name);
    checkDir(path, true);
  }
}
function checkDir(path, create) {
  let stats = lstatSync4(path, { throwIfNoEntry: !create });
  if (stats === void 0) {
    try {
      mkdirSync2(path);
    } catch (made) {
      if (errorCode(made) !== "EEXIST") throw made;
    }
    stats = lstatSync4(path);
  }
  if (stats.isSymbolicLink()) {
    throw new UnsafePathError(path, `is a symbolic link (to ${linkTarget(path)}) where orchestrator keeps a directory: it is not followed`);
  }
  if (!stats.isDirectory()) throw new UnsafePathError(path, "is a file where orchestrator keeps a directory");
}
function makeDirectories(path) {
  const missing = [];
  for (let dir = path; ; dir = dirname3(dir)) {
    try {
      lstatSync4(dir);
      break;
    } catch (error) {
      if (error.code !== "ENOENT") throw error;
      missing.push(dir);
      if (dirname3(dir) === dir) break;
    }
  }
  for (const dir of missing.reverse()) {
    try {
      mkdirSync2(dir);
    } catch (error) {
      if (error.code !== "EEXIST") throw error;
    }
  }
}

// src/util/tree-files.ts
import { constants as constants4, lstatSync as lstatSync5, unlinkSync as unlinkSync2, writeFileSync } from "node:fs";
var NEW_FILE = constants4.O_WRONLY | constants4.O_CREAT | constants4.O_EXCL | constants4.O_NOFOLLOW;
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
    unlinkSync2(at);
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
  const stats = lstatSync5(at, { throwIfNoEntry: false });
  if (stats === void 0) return;
  if (stats.isSymbolicLink()) {
    throw new UnsafePathError(path, `is a symbolic link (to ${linkTarget(at)}) where orchestrator writes a file: it is not followed`);
  }
  if (stats.isDirectory()) throw new UnsafePathError(path, "is a directory where orchestrator writes a file");
  if (!stats.isFile()) throw new UnsafePathError(path, "is not a regular file, where orchestrator writes one");
  if (stats.nlink > 1) throw new UnsafePathError(path, "is a hard link to a file elsewhere, where orchestrator writes a file of its own");
}

// src/util/tree-paths.ts
import { basename, dirname as dirname4, join as join4, sep as sep3 } from "node:path";
function splitPath(path) {
  const cut = sep3 === "/" ? path.lastIndexOf("/") : -1;
  if (cut > 0 && cut < path.length - 1) return { parent: path.slice(0, cut), name: path.slice(cut + 1) };
  return { parent: dirname4(path), name: basename(path) };
}
var under = (dir, name) => sep3 === "/" ? `${dir}/${name}` : join4(dir, name);
var temporaryPath = (path) => `${path}.${process.pid}.tmp`;
function temporaryOwner(name) {
  const match = /^.+\.([1-9]\d{0,9})(?:\.flows)?\.tmp$/.exec(name);
  return match === null ? void 0 : Number(match[1]);
}

// src/util/safe-tree.ts
var COPY_BUFFER = 1 << 16;
var APPEND_FILE = constants5.O_WRONLY | constants5.O_CREAT | constants5.O_APPEND | constants5.O_NOFOLLOW | constants5.O_NONBLOCK;
var SafeTree = class {
  constructor(root, options = {}) {
    this.root = root;
    if (options.byPath === true) this.made = new MadeDirs(root);
    else if (options.keepOpen === true) this.handles = new DirHandles(root);
  }
  root;
  handles;
  made;
  /** By path: where `dir`, `write` and `writeAtomic` go instead of being done here (deferTo). */
  queue;
  /** Whether files are written by path, their directories made or checked once (`byPath`). */
  get byPath() {
    return this.made !== void 0;
  }
  /**
   * By path (`byPath`), sends the directories and whole files written from now on to `queue`'s
   * thread, done there in the order written (their failures told by the queue, by path); every
   * other operation first waits for what was sent (drainSync). Undefined: done here again.
   */
  deferTo(queue) {
    if (this.made === void 0) throw new Error("only a tree written by path defers its writes");
    this.queue = queue;
  }
  /** Forgets that `dir` and the directories above and below it were made or checked: the next operation there checks them again. */
  forget(dir) {
    const names = this.names(dir);
    this.handles?.forgetChain(this.handles.key(names));
    this.made?.forgetChain(this.made.key(names));
  }
  /** Makes sure `dir` and every directory between it and the root (the root included) are real directories. */
  dir(dir) {
    if (this.queue !== void 0) this.reachLater(dir);
    else this.at(dir, () => void 0);
  }
  /**
   * Checks `dir` and the directories down to it again from the root's path, as `dir` does without
   * handles: whether the tree is still there, and ours, now.
   */
  verify(dir) {
    this.forget(dir);
    this.at(dir, () => void 0);
  }
  /** Creates `path` afresh and opens it for writing (and reading, with `read`); the caller closes the descriptor. */
  create(path, { read = false } = {}) {
    const flags = read ? NEW_FILE & ~constants5.O_WRONLY | constants5.O_RDWR : NEW_FILE;
    return this.in(path, (at) => afresh(at, path, () => openSync4(at, flags, 438)));
  }
  /** Opens `path` to append (created when missing; the caller closes it): a link, FIFO or hard link there is refused, as by create(). */
  append(path) {
    return this.in(path, (at) => {
      let fd;
      try {
        fd = openSync4(at, APPEND_FILE, 438);
        const stats = fstatSync3(fd);
        if (stats.isFile() && stats.nlink === 1) return fd;
      } catch (error) {
        if (!["ELOOP", "ENXIO", "EISDIR"].includes(errorCode(error) ?? "")) throw error;
      }
      if (fd !== void 0) closeSync4(fd);
      refuseForeign(at, path);
      throw new UnsafePathError(path, "changed while orchestrator opened it: it is not written");
    });
  }
  /** Writes a whole file, created afresh. */
  write(path, data) {
    if (this.queue !== void 0) {
      this.reachLater(splitPath(path).parent);
      this.queue.push("w", path, data);
      return;
    }
    this.in(path, (at) => writeAfresh(at, data, path));
  }
  /**
   * Writes through a temporary file (temporaryPath) and a rename, so a reader never sees half a
   * file; a link at `path` is refused, not followed. A temporary file whose write failed (a full
   * disk) is removed, not left behind.
   */
  writeAtomic(path, data) {
    if (this.queue !== void 0) {
      this.reachLater(splitPath(path).parent);
      this.queue.push("a", path, data);
      return;
    }
    const temporary = temporaryPath(path);
    try {
      this.write(temporary, data);
    } catch (error) {
      try {
        this.removeFile(temporary);
      } catch {
      }
      throw error;
    }
    this.rename(temporary, path);
  }
  /** Moves a file written under the tree to `path` in the same directory, where only a plain file of ours may stand; the file is removed on failure. */
  rename(temporary, path) {
    if (dirname5(temporary) !== dirname5(path)) throw new Error(`${temporary} and ${path} are not in one directory`);
    const source = basename2(temporary);
    try {
      this.in(path, (at) => {
        refuseForeign(at, path);
        renameSync(at === path ? temporary : join5(dirname5(at), source), at);
      });
    } catch (error) {
      rmSync(temporary, { force: true });
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
      input = openRegular(source).fd;
    } catch {
      return false;
    }
    try {
      const output = this.create(path);
      try {
        const buffer = Buffer.allocUnsafe(COPY_BUFFER);
        for (let n; (n = readSync2(input, buffer, 0, COPY_BUFFER, null)) > 0; ) writeSync(output, buffer, 0, n);
      } finally {
        closeSync4(output);
      }
    } finally {
      closeSync4(input);
    }
    return true;
  }
  /**
   * Removes the directory at `path` with all it holds, so it can be made afresh; nothing there is
   * fine. A symbolic link or a file where it belongs is refused, not followed.
   */
  removeDir(path) {
    this.in(path, (at) => {
      if (refuseNonDirectory(at, path)) rmSync(at, { recursive: true, force: true });
    });
    this.handles?.forgetBelow(path);
    this.made?.forgetBelow(path);
  }
  /** Removes a file of the tree (a link standing there is removed, not followed). */
  removeFile(path) {
    this.in(path, (at) => rmSync(at, { force: true }));
  }
  /** Closes the directories kept open, or only `dir`'s (written into and done with); a later write opens them again. */
  close(dir) {
    if (dir === void 0) {
      this.handles?.close();
      this.made?.close();
    } else {
      this.handles?.release(dir);
      this.made?.release(dir);
    }
  }
  /** The names from the root down to `dir`; throws when `dir` is not under the root. */
  names(dir) {
    const prefix = this.handles?.prefix ?? this.made?.prefix;
    if (prefix !== void 0 && sep4 === "/" && dir.length > prefix.length && dir.startsWith(prefix)) {
      const rest = dir.slice(prefix.length);
      if (!/^[./]|\/\.|\/\/|\/$/.test(rest)) return rest.split("/");
    }
    const rel = relative(this.root, dir);
    if (rel.startsWith("..") || isAbsolute(rel)) throw new Error(`${dir} is outside ${this.root}`);
    return rel === "" ? [] : rel.split(sep4);
  }
  /** Runs `op` on the entry `path` (its name in a checked directory, reached without following a link), errors told with `path`. */
  in(path, op) {
    const { parent, name } = splitPath(path);
    return this.at(parent, (dir) => {
      try {
        return op(dir === parent ? path : `${dir}/${name}`);
      } catch (error) {
        throw renamed(error, dir, parent);
      }
    });
  }
  /**
   * Runs `op` with a path to `dir` that is checked: a handle's (a directory removed since it was
   * opened fails with ENOENT, and is looked up once more from the root), or `dir` itself once the
   * directories from the root down to it are checked with lstat.
   */
  at(dir, op) {
    if (this.made !== void 0) return this.atByPath(dir, op);
    const handles = this.handles;
    const open = handles?.lookup(dir);
    if (open !== void 0) return this.retried(dir, op, open);
    const names = this.names(dir);
    if (handles === void 0 || !handles.usable()) {
      checkPath(this.root, names);
      return op(dir);
    }
    const key = handles.key(names);
    if (handles.has(key)) return this.retried(dir, op, handles.reach(names));
    let reached;
    try {
      reached = handles.reach(names);
    } catch (error) {
      if (errorCode(error) !== "ENOENT") throw error;
      handles.forgetChain(key);
      return op(handles.reach(names));
    }
    return op(reached);
  }
  /** By path, with the writes deferred: `dir` and those above it to be made by the queue's thread, unless known. */
  reachLater(dir) {
    const queue = this.queue;
    if (!this.made.has(dir)) this.made.reach(this.names(dir), (path) => queue.push("d", path));
  }
  /** `at` by path: `dir` and those above it made or checked once (MadeDirs); again when one of ours was removed since (ENOENT). */
  atByPath(dir, op) {
    this.queue?.drainSync();
    const made = this.made;
    if (!made.has(dir)) {
      made.reach(this.names(dir));
      return op(dir);
    }
    try {
      return op(dir);
    } catch (error) {
      if (errorCode(error) !== "ENOENT") throw error;
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
    } catch (error) {
      if (errorCode(error) !== "ENOENT") throw error;
    }
    const names = this.names(dir);
    this.handles.forgetChain(this.handles.key(names));
    return op(this.handles.reach(names));
  }
};

// src/steps/batch/record.ts
var BATCHES_DIR = "batches";
var endpointOf = (api) => api === "chat" ? "/v1/chat/completions" : "/v1/responses";
function requestHash(call) {
  return createHash("sha256").update(`${endpointOf(call.api)}
${JSON.stringify(call.body)}`).digest("hex");
}
var BATCH_ID = /^[A-Za-z0-9_-]{1,200}$/;
function writeBatchRecord(files, runDir, record) {
  if (!BATCH_ID.test(record.id))
    throw new Error(`the server named the batch ${JSON.stringify(record.id.slice(0, 100))}, which is not a batch id`);
  files.writeJson(join6(runDir, BATCHES_DIR, `${record.id}.json`), record);
}
var isStepDir = (dir) => typeof dir === "string" && dir.length <= 4096 && !isAbsolute2(dir) && dir.split("/").every((part) => part !== "" && part !== "." && part !== "..");
function parseBatchRecord(text, fileId) {
  let data;
  try {
    data = JSON.parse(text);
  } catch {
    return "not JSON";
  }
  if (!isObject(data) || data.schema !== 1) return "not a batch record (schema 1)";
  const { id, endpoint, model, input_file_id: inputFile, created_at: created, requests } = data;
  if (typeof id !== "string" || !BATCH_ID.test(id) || id !== fileId) return `"id" is not the file's name`;
  if (endpoint !== "/v1/responses" && endpoint !== "/v1/chat/completions") return `"endpoint" is not /v1/responses or /v1/chat/completions`;
  if (typeof model !== "string" || typeof inputFile !== "string" || typeof created !== "string")
    return '"model", "input_file_id" or "created_at" is not text';
  if (!Array.isArray(requests)) return '"requests" is not a list';
  const seen = /* @__PURE__ */ new Set();
  const checked = [];
  for (const [i, request] of requests.entries()) {
    if (!isObject(request)) return `requests[${i}] is not an object`;
    const { custom_id: customId, dir, hash } = request;
    if (typeof customId !== "string" || customId.length > 64 || seen.has(customId))
      return `requests[${i}].custom_id is missing, too long or repeated`;
    if (!isStepDir(dir)) return `requests[${i}].dir is not a step directory of the run`;
    if (typeof hash !== "string" || !/^[0-9a-f]{64}$/.test(hash)) return `requests[${i}].hash is not a sha256`;
    seen.add(customId);
    checked.push({ custom_id: customId, dir, hash });
  }
  return { schema: 1, id, endpoint, model, input_file_id: inputFile, created_at: created, requests: checked };
}
function readBatchRecords(runDir) {
  const dir = join6(runDir, BATCHES_DIR);
  const records = [];
  const problems = [];
  const stats = lstatSync6(dir, { throwIfNoEntry: false });
  if (stats === void 0) return { records, problems };
  if (!stats.isDirectory()) return { records, problems: [`${dir} is not a directory: its batches are not polled again`] };
  for (const name of readdirSync2(dir).sort()) {
    if (!name.endsWith(".json")) continue;
    const path = join6(dir, name);
    let parsed;
    try {
      parsed = parseBatchRecord(readTreeFile(path).toString("utf8"), name.slice(0, -".json".length));
    } catch (error) {
      parsed = error instanceof Error ? error.message : String(error);
    }
    if (typeof parsed === "string") problems.push(`${path}: ${parsed}: its batch is not polled again`);
    else records.push(parsed);
  }
  return { records, problems };
}

export {
  UnsafePathError,
  quietly,
  OpenDir,
  closeQuietly,
  openRegular,
  readRegular,
  readTreeFile,
  readUnder,
  makeDir,
  makeDirectories,
  writeAfresh,
  refuseForeign,
  under,
  temporaryPath,
  temporaryOwner,
  SafeTree,
  BATCHES_DIR,
  endpointOf,
  requestHash,
  BATCH_ID,
  writeBatchRecord,
  readBatchRecords
};
