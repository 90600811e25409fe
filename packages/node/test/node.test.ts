// The shared adapter suite (packages/core/test/support/adapter-process.ts) against @syncio/node.
import { describeAdapter } from "../../core/test/support/adapter-process.js";

describeAdapter("node");
