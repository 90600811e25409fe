// lock-demo on Bun: importing the adapter binds syncio to Bun's timers.
import * as syncio from "@syncio/bun";
import { processHost } from "../../shared/host.js";
import { lockDemo } from "./lock-demo.js";

process.exitCode = await lockDemo(syncio, processHost());
