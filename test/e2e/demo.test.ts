// The planning page, built with Vite and driven in headless Chromium (scripts/chromium.mjs says which).
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { casesOf, type AdrsSuite } from "../../dist/cli/adrs-suite.js";
import adrs50 from "../../bench/data/adrs50.json" with { type: "json" };
import { fleet, mixedGpus } from "../../bench/generate.js";
import { modelsToCsv } from "../../demo/models-input.js";
import { formatKvpr } from "../../demo/format.js";
import { createSolver, parseModelsCsv, parseProblemCsv, type Solution } from "../../dist/index.js";
import { buildDemo, launchChromium, serveStatic } from "../../scripts/demo-page.mjs";

const suite = casesOf(adrs50 as AdrsSuite);
/** What the page sends with its default options. */
const PAGE_DEFAULTS = { engine: "wasm", exact: "auto", timeLimitMs: 2000 } as const;

let out: string;
let server: Awaited<ReturnType<typeof serveStatic>>;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];

beforeAll(async () => {
  out = mkdtempSync(join(tmpdir(), "kvplace-demo-"));
  await buildDemo(out);
  server = await serveStatic(out);
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
  page.on("pageerror", (e) => pageErrors.push(e.message));
  await page.goto(server.url);
  // The page solves its first example on arrival.
  await page.waitForSelector('#results[data-state="done"]');
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (out) rmSync(out, { recursive: true, force: true });
  expect(pageErrors).toEqual([]);
});

/** Clicks Solve (or presses a key) and waits for this solve's result or error. */
async function solveOnPage(press: () => Promise<void> = () => page.click("#solve")): Promise<void> {
  const before = Number(await page.getAttribute("#results", "data-run"));
  await press();
  await page.waitForFunction((run) => {
    const results = document.getElementById("results")!;
    return results.dataset["state"] === "error" || (results.dataset["state"] === "done" && Number(results.dataset["run"]) > run);
  }, before);
}

describe("the planning page", () => {
  it("solves a loaded example to the library's max KVPR and draws one bar per GPU", async () => {
    const k = 17;
    const c = suite[k]!;
    await page.selectOption("#example", String(k));
    await page.click("#load-example");
    expect(await page.inputValue("#gpu-count")).toBe(String(c.problem.gpus));
    await solveOnPage();

    const expected: Solution = (await createSolver()).solve(c.problem, PAGE_DEFAULTS);
    const shown = page.locator("#max-kvpr");
    expect(Number(await shown.getAttribute("data-value"))).toBe(expected.maxKvpr);
    expect(await shown.textContent()).toBe(formatKvpr(expected.maxKvpr));
    expect(await page.textContent("#lower-bound")).toBe(formatKvpr(expected.lowerBound));
    expect(await page.textContent("#proof")).toBe(expected.optimal ? "Proven optimal" : "Not proven optimal");

    const rows = page.locator("#gpus > li[data-gpu]");
    expect(await rows.count()).toBe(c.problem.gpus);
    expect(await page.locator("#gpus > li[data-gpu] .kvpr-bar").count()).toBe(c.problem.gpus);
    expect(await page.locator("#gpus > li[data-gpu] .mem-weights").count()).toBe(c.problem.gpus);
    expect(await page.locator("#gpus > li.bottleneck").getAttribute("data-gpu")).toBe(String(expected.bottleneck));
    // The bottleneck's KVPR bar spans the whole track: the scale is the maximum.
    const full = await page.locator("#gpus > li.bottleneck .kvpr-bar").evaluate((bar) => (bar as HTMLElement).style.width);
    expect(full).toBe("100%");
  });

  it("lists a GPU's models on hover and on keyboard focus", async () => {
    const expected = (await createSolver()).solve(suite[17]!.problem, PAGE_DEFAULTS);
    const names = (j: number) => expected.gpus[j]!.models.map((i) => suite[17]!.problem.models[i]!.id!);

    const first = page.locator('#gpus > li[data-gpu="0"]');
    await expect.poll(() => first.locator(".tip").isVisible()).toBe(false);
    await first.hover();
    expect(await first.locator(".tip").isVisible()).toBe(true);
    expect(await first.locator(".tip td:first-child").allTextContents()).toEqual(names(0));

    await page.mouse.move(0, 0);
    await page.focus("#solve");
    // Tab from the buttons into the chart reaches the GPU rows in order.
    let focused = "";
    for (let i = 0; i < 12 && focused !== "0"; i++) {
      await page.keyboard.press("Tab");
      focused = await page.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset["gpu"] ?? "");
    }
    expect(focused).toBe("0");
    await page.keyboard.press("Tab");
    const second = page.locator('#gpus > li[data-gpu="1"]');
    expect(await second.locator(".tip").isVisible()).toBe(true);
    expect(await second.locator(".tip td:first-child").allTextContents()).toEqual(names(1));
  });

  it("downloads the solution as JSON", async () => {
    const [download] = await Promise.all([page.waitForEvent("download"), page.click("#download")]);
    const record = JSON.parse(readFileSync((await download.path())!, "utf8")) as { problem: unknown; solution: Solution };
    const expected = (await createSolver()).solve(suite[17]!.problem, PAGE_DEFAULTS);
    expect(record.solution.assignment).toEqual(expected.assignment);
    expect(record.solution.maxKvpr).toBe(expected.maxKvpr);
    expect(record.problem).toEqual({ gpus: suite[17]!.problem.gpus, gpuMemGB: 80, models: suite[17]!.problem.models });
  });

  it("takes an uploaded JSON problem with its mixed GPUs, and draws each GPU to its size", async () => {
    const problem = mixedGpus(5);
    await page.setInputFiles("#upload", { name: "fleet.json", mimeType: "application/json", buffer: Buffer.from(JSON.stringify(problem)) });
    await page.waitForFunction(() => document.getElementById("status")!.textContent === "Loaded fleet.json with its GPUs. Press Solve.");
    expect(await page.isChecked("#gpu-mode-list")).toBe(true);
    await solveOnPage();

    const expected = (await createSolver()).solve(problem, PAGE_DEFAULTS);
    expect(Number(await page.getAttribute("#max-kvpr", "data-value"))).toBe(expected.maxKvpr);
    const gpus = problem.gpus as { id: string; memGB: number }[];
    expect(await page.locator("#gpus > li[data-gpu] .gpu-name").allTextContents()).toEqual(
      gpus.map((g, j) => (j === expected.bottleneck ? `${g.id}bottleneck` : g.id)),
    );
    const largest = Math.max(...gpus.map((g) => g.memGB));
    const widths = await page.locator("#gpus > li[data-gpu] .mem").evaluateAll((tracks) => tracks.map((t) => (t as HTMLElement).style.width));
    expect(widths).toEqual(gpus.map((g) => `${((g.memGB / largest) * 100).toFixed(2).replace(/\.?0+$/, "")}%`));
  });

  it("draws a box per node with its zone, and with failover the loss report, the worst loss highlighted", async () => {
    const node = (name: string, zone: string) => [0, 1].map((k) => ({ id: `${name}-g${k}`, memGB: 80, node: name, zone }));
    const problem = {
      gpus: [...node("n1", "east"), ...node("n2", "east"), ...node("n3", "west")],
      spread: { llama: "node" as const },
      models: [
        { id: "llama-a", sizeGB: 30, reqRate: 8, slo: 5, group: "llama" },
        { id: "llama-b", sizeGB: 30, reqRate: 8, slo: 5, group: "llama" },
        { id: "big-0", sizeGB: 35, reqRate: 6, slo: 5, group: "big-tp", colocate: "big" },
        { id: "big-1", sizeGB: 35, reqRate: 6, slo: 5, group: "big-tp", colocate: "big" },
        { id: "small", sizeGB: 8, reqRate: 2, slo: 9, minKvGB: 10 },
      ],
    };
    await page.fill("#models", JSON.stringify(problem, null, 1));
    expect(await page.textContent("#gpu-source")).toBe('GPUs from the problem: 6 × 80 GB in 3 nodes. Edit its "gpus" to change them.');
    await page.selectOption("#failover-level", "node");
    await solveOnPage();
    const expected = (await createSolver()).solve(problem, { ...PAGE_DEFAULTS, failover: "node" });
    expect(Number(await page.getAttribute("#max-kvpr", "data-value"))).toBe(expected.maxKvpr);

    const boxes = page.locator("#gpus > li.node");
    expect(await boxes.locator(".node-head").allTextContents()).toEqual(["n1zone east", "n2zone east", "n3zone west"]);
    for (const [k, name] of ["n1", "n2", "n3"].entries()) {
      const rows = boxes.nth(k).locator(".node-gpus > li[data-gpu]");
      expect(await rows.evaluateAll((li) => li.map((e) => Number((e as HTMLElement).dataset["gpu"])))).toEqual(
        expected.gpus.filter((g) => g.node === name).map((g) => g.index),
      );
    }
    expect(await page.locator("#gpus li.gpu.bottleneck").getAttribute("data-gpu")).toBe(String(expected.bottleneck));

    const losses = expected.failover!;
    const worst = losses.reduce((w, l, k) => (w < 0 || l.maxKvpr > losses[w]!.maxKvpr ? k : w), -1);
    expect(await page.isVisible("#failover")).toBe(true);
    expect(await page.textContent("#failover-note")).toBe(
      `Survives the loss of any one node. The worst loss leaves a max KVPR of ${formatKvpr(losses[worst]!.maxKvpr)}.`,
    );
    const items = page.locator("#failover-losses > li");
    expect(await items.allTextContents()).toEqual(
      losses.map(
        (l, k) =>
          `${l.lost} (2 GPUs)max KVPR ${formatKvpr(l.maxKvpr)}, ${l.moves.length} ${l.moves.length === 1 ? "model moves" : "models move"}${k === worst ? "worst" : ""}`,
      ),
    );
    expect(await page.locator("#failover-losses > li.worst").getAttribute("data-lost")).toBe(losses[worst]!.lost);

    // Without failover the report goes away.
    await page.selectOption("#failover-level", "");
    await solveOnPage();
    expect(await page.isVisible("#failover")).toBe(false);
  });

  it("takes the GPUs of a JSON problem typed or edited in the box, and says which before solving", async () => {
    const models = suite[3]!.problem.models;
    const source = page.locator("#gpu-source");
    const typed = { gpus: [{ memGB: 80 }, { memGB: 80 }, { memGB: 40 }, { memGB: 40 }, { id: "h100", memGB: 80 }], models };
    // The fieldset first says something else, which the problem must override.
    await page.fill("#models", modelsToCsv(models));
    await page.check("#gpu-mode-uniform");
    await page.fill("#gpu-count", "9");
    await page.fill("#models", JSON.stringify(typed, null, 1));
    expect(await source.textContent()).toBe('GPUs from the problem: 3 × 80 GB, 2 × 40 GB. Edit its "gpus" to change them.');
    expect(await page.isDisabled("#gpu-count")).toBe(true);
    expect(await page.isChecked("#gpu-mode-list")).toBe(true);
    expect(await page.inputValue("#gpu-list")).toBe("80, 80, 40, 40, h100:80");
    await solveOnPage();
    const solver = await createSolver();
    expect(Number(await page.getAttribute("#max-kvpr", "data-value"))).toBe(solver.solve(typed, PAGE_DEFAULTS).maxKvpr);
    expect(await page.locator("#gpus > li[data-gpu]").count()).toBe(5);

    // Edited by keystrokes: the count of a uniform pool, typed over the list.
    const edited = { gpus: 4, gpuMemGB: 96, models };
    await page.fill("#models", JSON.stringify(edited).replace('"gpus":4', '"gpus":'));
    await page.focus("#models");
    await page.keyboard.press("Control+Home");
    for (let i = 0; i < '{"gpus":'.length; i++) await page.keyboard.press("ArrowRight");
    expect(await source.isHidden()).toBe(true);
    await page.keyboard.type("4");
    expect(await source.textContent()).toBe('GPUs from the problem: 4 × 96 GB. Edit its "gpus" to change them.');
    expect(await page.inputValue("#gpu-count")).toBe("4");
    expect(await page.inputValue("#gpu-mem")).toBe("96");
    await solveOnPage();
    expect(Number(await page.getAttribute("#max-kvpr", "data-value"))).toBe(solver.solve(edited, PAGE_DEFAULTS).maxKvpr);

    // Models alone give no GPUs: the fieldset is the user's again.
    await page.fill("#models", modelsToCsv(models));
    expect(await source.isHidden()).toBe(true);
    expect(await page.isEnabled("#gpu-count")).toBe(true);
  });

  it("takes demand scenarios from reqRate:<id> columns and shows each GPU's KVPR in the scenario picked", async () => {
    const csv = "id,sizeGB,slo,reqRate:eu-day,reqRate:us-day,reqRate:night\nchat-eu,20,1,8,2,1\nchat-us,20,1,2,7,1\nbatch,30,1,3,3,8\nembedder,10,1,1,1,1\n";
    await page.fill("#models", csv);
    await page.check("#gpu-mode-uniform");
    await page.fill("#gpu-count", "2");
    await page.fill("#gpu-mem", "80");
    await solveOnPage();
    const { models, scenarios } = parseProblemCsv(csv);
    const expected = (await createSolver()).solve({ gpus: 2, gpuMemGB: 80, models, scenarios: scenarios! }, PAGE_DEFAULTS);
    const shownKvpr = () => page.locator("#gpus > li[data-gpu] .kvpr-text").allTextContents();
    // First each GPU at its worst, the worst scenario marked among the choices.
    expect(await page.isVisible("#scenario")).toBe(true);
    expect(await shownKvpr()).toEqual(expected.gpus.map((g) => formatKvpr(g.kvpr)));
    const worst = expected.scenarios.findIndex((s) => s.maxKvpr === expected.maxKvpr);
    expect(await page.locator("#scenario option").allTextContents()).toEqual([
      "each GPU's worst",
      ...expected.scenarios.map((s, k) => `${s.id}: ${formatKvpr(s.maxKvpr)}${k === worst ? " (worst)" : ""}`),
    ]);
    for (const [k, s] of expected.scenarios.entries()) {
      await page.selectOption("#scenario", String(k));
      expect(await shownKvpr()).toEqual(s.kvpr.map(formatKvpr));
      expect(await page.locator("#gpus > li.bottleneck").getAttribute("data-gpu")).toBe(String(s.bottleneck));
    }
    // A problem without scenarios hides the picker.
    await page.fill("#models", "id,sizeGB,reqRate,slo\nsolo,10,1,1\n");
    await solveOnPage();
    expect(await page.isVisible("#scenario")).toBe(false);
  });

  it("reads a spreadsheet export past its unknown columns, and says which it ignored", async () => {
    await page.fill("#models", "owner,id,sizeGB,reqRate,slo\nops,solo,10,1,1\n");
    await page.check("#gpu-mode-uniform");
    await page.fill("#gpu-count", "1");
    await page.fill("#gpu-mem", "80");
    await solveOnPage();
    expect(await page.textContent("#status")).toBe(
      'Placed 1 model on 1 GPU. Line 1: ignoring the unknown column "owner"; kvplace reads id, sizeGB, reqRate, slo, currentGpu, pinnedGpu, group, colocate, minKvGB, moveCost.',
    );
  });

  it("with current GPUs, charts the move frontier; picking a point draws its placement and move plan", async () => {
    const csv = "id,sizeGB,reqRate,slo,currentGpu,group\ntp0,35,8,5,0,tp\ntp1,35,8,5,0,tp\nmistral,14,4,8,1,\nqwen,28,6,6,1,\ngemma,18,5,7,2,\nphi,8,2,9,2,\n";
    await page.fill("#models", csv);
    await page.check("#gpu-mode-uniform");
    await page.fill("#gpu-count", "3");
    await page.fill("#gpu-mem", "80");
    await solveOnPage();
    await page.waitForSelector("#frontier .frontier-dot");
    const problem = { gpus: 3, gpuMemGB: 80, models: parseModelsCsv(csv) };
    const frontier = (await createSolver()).moveFrontier(problem, { engine: "wasm", timeLimitMs: 250 });
    const dots = page.locator("#frontier .frontier-dot");
    expect(await dots.count()).toBe(frontier.points.length);
    const first = frontier.points[0]!;
    await dots.first().click();
    expect(Number(await page.getAttribute("#max-kvpr", "data-value"))).toBe(first.maxKvpr);
    expect(await page.locator("#move-plan > li").count()).toBe(Math.max(1, first.moves.length));
    expect(await page.textContent("#frontier-note")).toContain(`At most ${first.budget} move`);
    await dots.first().press("Tab");
    await page.keyboard.press("Enter");
    expect(Number(await page.getAttribute("#max-kvpr", "data-value"))).toBe(frontier.points[1]!.maxKvpr);
  });

  it("shows an error line for bad input, from the keyboard, and recovers", async () => {
    await page.fill("#models", "id,sizeGB,reqRate,slo\na,10,1,1\nb,ten,1,1\n");
    await page.focus("#solve");
    await solveOnPage(() => page.keyboard.press("Enter"));
    const error = page.locator("#error");
    expect(await error.isVisible()).toBe(true);
    expect(await error.textContent()).toBe('Line 3: sizeGB is "ten", not a number (INVALID_CSV)');
    expect(await page.getAttribute("#results", "data-state")).toBe("error");
    expect(await page.locator("#gpus > li").count()).toBe(0);
    expect(await page.isEnabled("#download")).toBe(false);

    await page.fill("#models", '[{ "id": "a", "sizeGB": 10, "reqRate": 1, "slo": 0 }]');
    await solveOnPage(() => page.press("#models", "Control+Enter"));
    expect(await error.textContent()).toMatch(/^Model 0 \("a"\): slo must be a finite number > 0.*\(INVALID_MODEL\)$/);

    await page.fill("#models", "[{ oops");
    await solveOnPage();
    expect(await error.textContent()).toMatch(/^The JSON does not parse/);

    await page.fill("#models", modelsToCsv(suite[3]!.problem.models));
    await page.check("#gpu-mode-list");
    await page.fill("#gpu-list", "80, 2x80, eighty");
    await solveOnPage();
    expect(await error.textContent()).toBe('"eighty" in the GPU list is not a size such as 80, 2x40 or h100:80 (INVALID_GPU)');

    await page.fill("#gpu-list", `${suite[3]!.problem.gpus}x80`);
    await solveOnPage();
    expect(await error.isHidden()).toBe(true);
    expect(Number(await page.getAttribute("#max-kvpr", "data-value"))).toBe((await createSolver()).solve(suite[3]!.problem, PAGE_DEFAULTS).maxKvpr);
  });

  it("stays responsive during a long solve and cancels it", async () => {
    // 500 models on 100 GPUs: the exact search cannot close the last tenth of a percent, so it runs to the limit.
    const shownBefore = await page.getAttribute("#max-kvpr", "data-value");
    await page.fill("#models", modelsToCsv(fleet(100, 500, 3).models));
    await page.check("#gpu-mode-uniform");
    await page.fill("#gpu-count", "100");
    await page.fill("#gpu-mem", "80");
    await page.selectOption("#exact", "true");
    await page.fill("#time-limit", "600000");
    await page.click("#solve");
    await page.waitForSelector('#results[data-state="solving"]');
    // The elapsed time ticks on: the page's thread is free while the worker solves.
    await page.waitForFunction(() => /Solving… \d/.test(document.getElementById("status")!.textContent ?? ""));
    const first = await page.textContent("#status");
    await page.waitForFunction((t) => document.getElementById("status")!.textContent !== t, first);
    await page.click("#cancel");
    await page.waitForFunction(() => document.getElementById("status")!.textContent === "Cancelled.");
    expect(await page.getAttribute("#results", "data-state")).toBe("done");
    expect(await page.getAttribute("#max-kvpr", "data-value")).toBe(shownBefore);
    await page.selectOption("#exact", "auto");
    await page.fill("#time-limit", "2000");
  });
});

describe("the planning page: plan a pool", () => {
  const models = [
    { id: "llama-70b-tp0", sizeGB: 35, reqRate: 8, slo: 5, group: "llama-70b" },
    { id: "llama-70b-tp1", sizeGB: 35, reqRate: 8, slo: 5, group: "llama-70b" },
    { id: "mistral-7b", sizeGB: 14, reqRate: 4, slo: 8 },
    { id: "qwen-14b", sizeGB: 28, reqRate: 6, slo: 6 },
    { id: "phi-3", sizeGB: 8, reqRate: 2, slo: 9 },
  ];

  async function planOnPage(): Promise<void> {
    await page.click("#pool-plan");
    await page.waitForFunction(() => ["done", "error"].includes(document.getElementById("pool")!.dataset["state"] ?? ""));
  }

  it("plans the cheapest pool of the edited table of types, as the library does", async () => {
    await page.fill("#models", modelsToCsv(models));
    await page.fill("#pool-target", "0.04");
    await page.fill('[aria-label="owned of GPU type 3"]', "1");
    await page.fill('[aria-label="available of GPU type 4"]', "0");
    await planOnPage();
    expect(await page.getAttribute("#pool", "data-state")).toBe("done");
    const gpuTypes = [
      { name: "L4-24", memGB: 24, cost: 0.8 },
      { name: "L40S-48", memGB: 48, cost: 1.9 },
      { name: "H100-80", memGB: 80, cost: 3.3, owned: 1 },
      { name: "H200-141", memGB: 141, cost: 5.5, available: 0 },
    ];
    const expected = (await createSolver()).planPool({ models, gpuTypes, targetKvpr: 0.04 }, PAGE_DEFAULTS);
    expect(Number(await page.getAttribute(".pool-result", "data-cost"))).toBe(expected.cost);
    for (const t of gpuTypes) expect(await page.textContent(`.pool-table tr[data-type="${t.name}"] td:nth-child(2)`)).toBe(String(expected.counts[t.name]));
    expect(await page.textContent(".pool-result")).toMatch(expected.optimal ? /proven the cheapest/ : /costs less than/);
    expect(await page.locator(".pool-gpus li").count()).toBe(expected.solution.gpus.length);
  });

  it("plans for the demand scenarios of reqRate:<id> columns, as the library does", async () => {
    const csv = "id,sizeGB,slo,reqRate:day,reqRate:night\na,20,1,8,1\nb,30,1,1,6\nc,10,1,2,2\n";
    await page.fill("#models", csv);
    await page.fill("#pool-target", "0.5");
    await planOnPage();
    expect(await page.getAttribute("#pool", "data-state")).toBe("done");
    const { models, scenarios } = parseProblemCsv(csv);
    const gpuTypes = [
      { name: "L4-24", memGB: 24, cost: 0.8 },
      { name: "L40S-48", memGB: 48, cost: 1.9 },
      { name: "H100-80", memGB: 80, cost: 3.3, owned: 1 },
      { name: "H200-141", memGB: 141, cost: 5.5, available: 0 },
    ];
    const expected = (await createSolver()).planPool({ models, scenarios: scenarios!, gpuTypes, targetKvpr: 0.5 }, PAGE_DEFAULTS);
    expect(Number(await page.getAttribute(".pool-result", "data-cost"))).toBe(expected.cost);
    expect(await page.textContent(".pool-headline")).toMatch(/at or below 0\.5 in every one of 2 demand scenarios\.$/);
  });

  it("adds and removes types, and names a bad one", async () => {
    await page.click("#pool-add");
    await page.fill('[aria-label="name of GPU type 5"]', "tiny");
    await page.fill('[aria-label="memory (GB) of GPU type 5"]', "0");
    await page.fill('[aria-label="cost per GPU of GPU type 5"]', "1");
    await planOnPage();
    expect(await page.getAttribute("#pool", "data-state")).toBe("error");
    expect(await page.textContent("#pool-error")).toMatch(/^GPU type 4 \("tiny"\): memGB must be a positive number, got 0 \(INVALID_GPU\)$/);
    await page.click('[aria-label="Remove GPU type 5"]');
    await planOnPage();
    expect(await page.getAttribute("#pool", "data-state")).toBe("done");
  });
});
