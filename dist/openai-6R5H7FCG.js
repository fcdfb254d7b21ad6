import { createRequire as __orchestratorRequire } from 'node:module';
const require = __orchestratorRequire(import.meta.url);
import {
  OpenAIRunner,
  causes,
  isRetryable,
  notFoundHint
} from "./chunk-OHUCS44P.js";
import "./chunk-ANBMBDJK.js";
import "./chunk-ZNNWXPSJ.js";
import "./chunk-5BV6RGVG.js";
import "./chunk-WJ4T7FWF.js";
import "./chunk-2UVPHNR5.js";
import "./chunk-BNGJJZ4L.js";
export {
  OpenAIRunner,
  causes,
  isRetryable,
  notFoundHint
};
