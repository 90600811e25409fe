// news-demo on Deno: importing the adapter binds syncio to Deno's timers.
import * as syncio from "@syncio/deno";
import { denoHost } from "../../shared/deno-host.js";
import { newsDemo } from "./news-demo.js";

Deno.exitCode = await newsDemo(syncio, denoHost());
