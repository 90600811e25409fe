/**
 * The picture of a runtime's run: per case, syncio and every peer as points on a log scale of
 * CPU time per operation, the case's floor as a black bar, and syncio's ratio to it as a label;
 * one panel per set. Drawn with Vega-Lite, rendered to SVG by Vega in Node (no browser, no canvas).
 */
import * as vega from "vega";
import * as vegaLite from "vega-lite";
import { find, floorCost, ratio } from "./results.js";
import type { SetView } from "./sets.js";

interface Point {
  set: string;
  /** The case's title and the floor it is divided by. */
  label: string;
  order: number;
  library: string;
  ns: number;
  /** syncio's ratio to the floor, as printed next to it. */
  note: string;
}

const SYNCIO_COLOR = "#d62728";
const PEER_COLORS = ["#1f77b4", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#17becf", "#e377c2", "#7f7f7f", "#bcbd22"];

/** The Vega-Lite spec of one runtime's chart (exported for tests and for other front ends). */
export function chartSpec(views: readonly SetView[], heading: string): vegaLite.TopLevelSpec {
  const peers: string[] = [];
  for (const view of views) for (const peer of view.set.peers) if (!peers.includes(peer)) peers.push(peer);
  const y = { field: "label", type: "nominal", title: null, sort: { field: "order", op: "min" }, axis: { labelLimit: 600 } } as const;
  const x = {
    field: "ns",
    type: "quantitative",
    scale: { type: "log", nice: false, padding: 12 },
    axis: { title: "CPU time per operation, ns (log scale)", grid: true, format: "~s" },
  } as const;
  const color = { field: "library", type: "nominal", title: "library", scale: { domain: ["syncio", ...peers], range: [SYNCIO_COLOR, ...PEER_COLORS] } } as const;
  const isSyncio = "datum.library === 'syncio'";
  // One panel per set: its cases as rows, each library a point, the floor a black bar.
  const panels = views.map((view) => {
    const floors: Point[] = [];
    const points: Point[] = [];
    view.set.cases.forEach((info, order) => {
      const mine = find(view, info.id, "syncio");
      const floor = floorCost(view, info.floor);
      if (mine === undefined || floor === undefined) return;
      const base = { set: view.set.title, label: `${info.title} (÷ ${info.floor})`, order };
      floors.push({ ...base, library: "floor", ns: floor.nsPerOp, note: "" });
      points.push({ ...base, library: "syncio", ns: mine.nsPerOp, note: `${ratio(view, info.id)!.toFixed(2)}×` });
      for (const peer of view.set.peers) {
        const theirs = find(view, info.id, peer);
        if (theirs !== undefined) points.push({ ...base, library: peer, ns: theirs.nsPerOp, note: "" });
      }
    });
    return {
      title: { text: view.set.title, anchor: "start", fontSize: 13 },
      width: 560,
      height: { step: 24 },
      layer: [
        { data: { values: floors }, mark: { type: "tick", color: "black", thickness: 3, size: 18 }, encoding: { y, x } },
        {
          data: { values: points },
          mark: { type: "point", filled: true, opacity: 0.9 },
          encoding: {
            y,
            x,
            color,
            shape: { condition: { test: isSyncio, value: "diamond" }, value: "circle" },
            size: { condition: { test: isSyncio, value: 140 }, value: 55 },
            order: { condition: { test: isSyncio, value: 1 }, value: 0 },
          },
        },
        {
          data: { values: points.filter((p) => p.library === "syncio") },
          mark: { type: "text", dy: -11, fontSize: 10, fontWeight: "bold", color: SYNCIO_COLOR },
          encoding: { y, x, text: { field: "note" } },
        },
      ],
    };
  });
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: {
      text: heading,
      subtitle: [
        "Each point: one library's median CPU time per operation. Black bar: the case's floor, the cheapest code",
        "doing that kind of work (named after ÷). Label: syncio's time ÷ that floor.",
      ],
      anchor: "start",
    },
    background: "white",
    padding: 12,
    config: { font: "Helvetica, Arial, sans-serif", view: { stroke: "#ddd" }, axis: { labelFontSize: 11 }, legend: { labelFontSize: 11 } },
    vconcat: panels,
    resolve: { scale: { color: "shared" } },
  } as vegaLite.TopLevelSpec;
}

/** The chart as an SVG document. */
export async function renderChart(views: readonly SetView[], heading: string): Promise<string> {
  const compiled = vegaLite.compile(chartSpec(views, heading)).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: "none" });
  const svg = await view.toSVG();
  view.finalize();
  return `${svg}\n`;
}
