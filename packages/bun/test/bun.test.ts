// The shared adapter suite (packages/core/test/support/adapter-process.ts) against @syncio/bun.
import { describeAdapter } from "../../core/test/support/adapter-process.js";

describeAdapter("bun");
