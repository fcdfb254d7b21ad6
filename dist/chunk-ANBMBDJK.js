import { createRequire as __orchestratorRequire } from 'node:module';
const require = __orchestratorRequire(import.meta.url);
import {
  __commonJS,
  __require
} from "./chunk-BNGJJZ4L.js";

// by-require:node:https
var require_node_https = __commonJS({
  "by-require:node:https"(exports, module) {
    module.exports = __require("node:https");
  }
});

export {
  require_node_https
};
