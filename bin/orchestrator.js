#!/usr/bin/env node
import { existsSync } from 'node:fs';

// A clone runs the compiled sources (build/cli, made by `npm ci`). The npm package ships instead one
// bundle (build/package, made by `npm pack`) that holds openai and commander: installing it pulls
// no dependencies.
const compiled = new URL('../build/cli/main.js', import.meta.url);
const argv = process.argv.slice(2);
// keys and tokens leave /proc/<pid>/environ (a re-exec, only when there are some) before the CLI is
// loaded, from build/ or from the bundle, so a re-exec does not load it twice (the package ships
// shelter.js beside the bundle); main() does it itself when called otherwise
const { informational, shelterPrivateEnv } = await import(new URL('../build/util/shelter.js', import.meta.url).href);
if (!informational(argv)) shelterPrivateEnv();
const { main } = await import(existsSync(compiled) ? compiled.href : new URL('../build/package/index.js', import.meta.url).href);

main(argv);
