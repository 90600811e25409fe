// lock-demo on Node.js: importing the adapter binds syncio to Node's timers.
import * as syncio from "@syncio/node";
import { processHost } from "../../shared/host.js";
import { lockDemo } from "./lock-demo.js";

process.exitCode = await lockDemo(syncio, processHost());
