import { createRequire as __orchestratorRequire } from 'node:module';
const require = __orchestratorRequire(import.meta.url);
import {
  __commonJS,
  __require
} from "./chunk-BNGJJZ4L.js";

// by-require:node:http
var require_node_http = __commonJS({
  "by-require:node:http"(exports, module) {
    module.exports = __require("node:http");
  }
});

export {
  require_node_http
};
