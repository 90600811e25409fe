// news-demo on Bun: importing the adapter binds syncio to Bun's timers.
import * as syncio from "@syncio/bun";
import { processHost } from "../../shared/host.js";
import { newsDemo } from "./news-demo.js";

process.exitCode = await newsDemo(syncio, processHost());
