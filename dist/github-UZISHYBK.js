import { createRequire as __orchestratorRequire } from 'node:module';
const require = __orchestratorRequire(import.meta.url);
import {
  context,
  getOctokit
} from "./chunk-WVM4O76U.js";
import "./chunk-KXFJ6XOO.js";
import "./chunk-2UVPHNR5.js";
import "./chunk-BNGJJZ4L.js";
export {
  context,
  getOctokit
};
