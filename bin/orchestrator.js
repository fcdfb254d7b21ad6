#!/usr/bin/env node
import { existsSync } from 'node:fs';

// A clone runs the compiled sources (build/cli, made by `npm ci`). The npm package ships instead one
// bundle (build/package, made by `npm pack`) that holds openai and commander: installing it pulls
// no dependencies.
const compiled = new URL('../build/cli/main.js', import.meta.url);
const { main } = await import(existsSync(compiled) ? compiled.href : new URL('../build/package/index.js', import.meta.url).href);

main(process.argv.slice(2));
