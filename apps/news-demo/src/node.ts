// news-demo on Node.js: importing the adapter binds syncio to Node's timers.
import * as syncio from "@syncio/node";
import { processHost } from "../../shared/host.js";
import { newsDemo } from "./news-demo.js";

process.exitCode = await newsDemo(syncio, processHost());
