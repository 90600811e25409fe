// lock-demo on Deno: importing the adapter binds syncio to Deno's timers.
import * as syncio from "@syncio/deno";
import { denoHost } from "../../shared/deno-host.js";
import { lockDemo } from "./lock-demo.js";

Deno.exitCode = await lockDemo(syncio, denoHost());
