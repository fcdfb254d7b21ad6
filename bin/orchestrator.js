#!/usr/bin/env node
import { main } from '../build/cli/main.js';

main(process.argv.slice(2));
