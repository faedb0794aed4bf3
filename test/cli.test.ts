// The kvplace command, run as a subprocess from dist/ on files written here: what a person at a terminal sees.
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { moveFrontier, parseModelsCsv, parseProblemCsv, planCapacity, solve, type MoveFrontier, type Problem, type Solution } from "../dist/index.js";

const CLI = fileURLToPath(new URL("../dist/cli/main.js", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "kvplace-cli-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Run = { status: number | null; stdout: string; stderr: string };

/** Runs the CLI in the temp directory; no run, failing or not, may print a stack trace. */
function kvplace(args: string[], input?: string): Run {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: dir, encoding: "utf8", input, timeout: 60_000 });
  expect(r.stderr, "a stack trace on stderr").not.toMatch(/\n\s+at /);
  expect(r.stdout, "a stack trace on stdout").not.toMatch(/\n\s+at /);
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function file(name: string, text: string): string {
  writeFileSync(join(dir, name), text);
  return name;
}

/** A failure is one line on stderr, "kvplace: …", and nothing on stdout. */
function failure(r: Run, status: 1 | 2): string {
  expect(r.status).toBe(status);
  expect(r.stdout).toBe("");
  const lines = r.stderr.trimEnd().split("\n");
  expect(lines[0]).toMatch(/^kvplace: \S/);
  // A usage error adds the usage line and nothing else.
  if (status === 2) {
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(/^usage: kvplace /);
  } else {
    expect(lines).toHaveLength(1);
  }
  return lines[0] as string;
}

/** A solution as it crosses JSON, without the one figure that differs between runs. */
const comparable = (s: Solution) => {
  const { stats, ...rest } = JSON.parse(JSON.stringify(s)) as Solution;
  const { ms: _, ...others } = stats;
  return { ...rest, stats: others };
};

const PROBLEM: Problem = {
  gpus: [
    { id: "h100-a", memGB: 80 },
    { id: "h100-b", memGB: 80 },
    { id: "a10", memGB: 24 },
  ],
  models: [
    { id: "llama-8b", sizeGB: 16, reqRate: 9, slo: 5 },
    { id: "mistral-7b", sizeGB: 14, reqRate: 4, slo: 8 },
    { id: "qwen-14b", sizeGB: 28, reqRate: 6, slo: 6 },
    { id: "phi-3", sizeGB: 8, reqRate: 2, slo: 9, pinnedGpu: 2 },
    { id: "embedder", sizeGB: 2, reqRate: 0, slo: 1 },
  ],
};
const problemJson = file("problem.json", JSON.stringify(PROBLEM, null, 2));

// Two 50 GB models must trade GPUs (the pins say so) and neither GPU has room for both: a staged move.
const SWAP_CSV = "id,sizeGB,reqRate,slo,currentGpu,pinnedGpu\nalpha,50,1,1,0,1\nbeta,50,1,1,1,0\ngamma,10,1,1,1,1\nfresh,5,1,2,,\n";
const swapCsv = file("swap.csv", SWAP_CSV);

const FLEET_CSV = [
  "id,sizeGB,reqRate,slo,currentGpu,pinnedGpu,group",
  "llama-70b-a,35,8,5,0,,tp",
  "llama-70b-b,35,8,5,0,,tp",
  "mistral-7b,14,4,8,1,,",
  "qwen-14b,28,6,6,1,,",
  "gemma-9b,18,5,7,2,,",
  "phi-3,8,2,9,2,,",
  "embedder,2,0,1,,,",
].join("\n");
const fleetCsv = file("fleet.csv", FLEET_CSV);

describe("kvplace solve", () => {
  it("prints a row per GPU with memory and KVPR bars, the bottleneck marked, the bound, gap and proof", async () => {
    const r = kvplace(["solve", problemJson]);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe("");
    const expected = await solve(PROBLEM);
    const lines = r.stdout.split("\n");
    expected.gpus.forEach((g, j) => {
      const row = lines.find((l) => l.startsWith(`${g.id} `));
      expect(row, g.id).toBeDefined();
      // Two bars: memory, then KVPR.
      expect(row!.match(/[█░]+/g), g.id).toHaveLength(2);
      expect(row).toContain(`${g.usedGB}/${g.memGB}`);
      for (const i of g.models) expect(row).toContain(PROBLEM.models[i]!.id);
      expect(row!.includes("◀"), g.id).toBe(j === expected.bottleneck);
    });
    const bottleneckRow = lines.find((l) => l.includes("◀") && l.startsWith(expected.gpus[expected.bottleneck]!.id))!;
    // The bottleneck's KVPR bar is full: the bars are on the scale of the maximum.
    expect(bottleneckRow.match(/[█░]+/g)![1]).toMatch(/^█+$/);
    expect(r.stdout).toContain(`max KVPR ${Number(expected.maxKvpr.toPrecision(6))} on ${expected.gpus[expected.bottleneck]!.id}`);
    expect(r.stdout).toMatch(/lower bound [\d.]+ · gap 0% · optimal \(proved\)/);
    expect(expected.optimal).toBe(true);
    expect(r.stdout).not.toContain("move plan");
  });

  it("quotes ids that could break a row, drive the terminal or blur the comma-separated list, as error lines do", () => {
    const hostile = {
      gpus: [
        { id: "rack 1, slot 2", memGB: 80 },
        { id: "b", memGB: 80 },
      ],
      models: [
        { id: "\u001b[31mred", sizeGB: 10, reqRate: 1, slo: 1, currentGpu: 1 },
        { id: "two\nlines", sizeGB: 10, reqRate: 5, slo: 1, pinnedGpu: 0 },
        { id: "a, b", sizeGB: 10, reqRate: 1, slo: 1, pinnedGpu: 1 },
        { id: "plain", sizeGB: 1, reqRate: 1, slo: 1, pinnedGpu: 1 },
      ],
    };
    const r = kvplace(["solve", file("hostile.json", JSON.stringify(hostile))]);
    expect(r.status).toBe(0);
    expect(r.stdout).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
    const lines = r.stdout.split("\n");
    // A header, a blank line, the table (a header and two rows), a blank line, the headline: nothing broke a row.
    expect(lines[3]).toMatch(/^"rack 1, slot 2" {2}.* "two\\nlines"$/);
    expect(lines[4]).toMatch(/^b {15} .* "\\u001b\[31mred", "a, b", plain$/);
    expect(lines[6]).toMatch(/^max KVPR [\d.]+ on "rack 1, slot 2" ◀/);
    expect(r.stdout).toMatch(/then load the new models: "two\\nlines" on "rack 1, slot 2", "a, b" on b, plain on b\n$/);
  });

  it("counts in words: 1 model on 1 GPU", () => {
    const r = kvplace(["solve", file("one.json", JSON.stringify({ gpus: 1, models: [{ id: "m", sizeGB: 1, reqRate: 1, slo: 1 }] }))]);
    expect(r.stdout).toMatch(/^1 model on 1 GPU · wasm engine · /);
  });

  it("--json prints only the Solution, equal to what the library returns for the same file", async () => {
    const r = kvplace(["solve", problemJson, "--json"]);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe("");
    expect(comparable(JSON.parse(r.stdout) as Solution)).toEqual(comparable(await solve(PROBLEM)));
  });

  it("--json from CSV with groups, current GPUs and solver options equals the library with those options", async () => {
    const args = ["--gpus", "3", "--gpu-mem", "70", "--engine", "ts", "--exact", "false", "--seed", "7", "--max-moves", "2", "--time-limit", "5000"];
    const r = kvplace(["solve", fleetCsv, ...args, "--json"]);
    expect(r.status).toBe(0);
    const problem: Problem = { gpus: 3, gpuMemGB: 70, models: parseModelsCsv(FLEET_CSV) };
    expect(problem.models[0]!.group).toBe("tp");
    const expected = await solve(problem, { engine: "ts", exact: false, seed: 7, maxMoves: 2, timeLimitMs: 5000 });
    const got = JSON.parse(r.stdout) as Solution;
    expect(comparable(got)).toEqual(comparable(expected));
    expect(got.stats.engine).toBe("ts");
    expect(got.moves.length).toBeLessThanOrEqual(2);
    expect(got.assignment[0]).not.toBe(got.assignment[1]);
    const warm = kvplace(["solve", fleetCsv, "--gpus", "3", "--warm-start", "--max-nodes", "50", "--exact", "--json"]);
    expect(warm.status).toBe(0);
    const { gpuMemGB: _, ...at80 } = problem;
    expect(comparable(JSON.parse(warm.stdout) as Solution)).toEqual(comparable(await solve(at80, { warmStart: true, maxNodes: 50, exact: true })));
  });

  it("a bare --exact means true, and the file after it is still the file", async () => {
    const r = kvplace(["solve", "--exact", problemJson, "--json", "--engine", "ts"]);
    expect(r.status).toBe(0);
    expect(comparable(JSON.parse(r.stdout) as Solution)).toEqual(comparable(await solve(PROBLEM, { exact: true, engine: "ts" })));
  });

  it("prints the move plan from current GPUs, a staged move as an unload and a later load", async () => {
    const r = kvplace(["solve", swapCsv, "--gpus", "2"]);
    expect(r.status).toBe(0);
    const expected = await solve({ gpus: 2, models: parseModelsCsv(SWAP_CSV) });
    expect(expected.moves).toEqual([
      { model: 0, from: 0, to: 1, staged: true },
      { model: 1, from: 1, to: 0 },
    ]);
    const plan = r.stdout.slice(r.stdout.indexOf("move plan"));
    expect(plan.split("\n")[0]).toMatch(/^move plan: 2 moves/);
    expect(plan).toMatch(/\n +1\. unload +alpha +from gpu0 +\(staged: held aside until step 3\)\n/);
    expect(plan).toMatch(/\n +2\. move +beta +gpu1 → gpu0\n/);
    expect(plan).toMatch(/\n +3\. load +alpha +on gpu1 +\(staged\)\n/);
    expect(plan).toContain(`then load the new model: fresh on gpu${expected.assignment[3]}`);
    expect(plan).not.toContain("gamma");
  });

  it("with a migration budget, says the optimum is within it", () => {
    const r = kvplace(["solve", fleetCsv, "--gpus", "3", "--max-moves", "1"]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/· (optimal with at most 1 move \(proved\)|not proved optimal with at most 1 move)\n/);
    expect(r.stdout).toMatch(/move plan: 1 move, in this order/);
  });

  it("says so when nothing moves", () => {
    const r = kvplace(["solve", file("settled.csv", "id,sizeGB,reqRate,slo,currentGpu\na,10,1,1,0\nb,10,1,1,1\n"), "--gpus", "2"]);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("move plan: nothing moves");
  });

  it("reads standard input for -, telling JSON from CSV by content", async () => {
    const csv = kvplace(["solve", "-", "--gpus", "2", "--json"], "id,sizeGB,reqRate,slo\na,10,3,1\nb,20,1,1\n");
    expect(csv.status).toBe(0);
    expect((JSON.parse(csv.stdout) as Solution).assignment).toEqual(
      (await solve({ gpus: 2, models: parseModelsCsv("id,sizeGB,reqRate,slo\na,10,3,1\nb,20,1,1\n") })).assignment,
    );
    const json = kvplace(["solve", "-", "--json"], JSON.stringify(PROBLEM));
    expect(json.status).toBe(0);
    expect((JSON.parse(json.stdout) as Solution).gpus.map((g) => g.id)).toEqual(["h100-a", "h100-b", "a10"]);
  });

  it("--gpus takes the list the planning page takes, and solves as that pool written in JSON", async () => {
    const models = PROBLEM.models.map(({ pinnedGpu: _, ...m }) => m);
    const listed = kvplace(["solve", file("unpinned.json", JSON.stringify(models)), "--gpus", "80, 2x40,a10:24", "--json"]);
    expect(listed.status).toBe(0);
    const pool = [{ memGB: 80 }, { memGB: 40 }, { memGB: 40 }, { id: "a10", memGB: 24 }];
    expect(comparable(JSON.parse(listed.stdout) as Solution)).toEqual(comparable(await solve({ gpus: pool, models })));
  });

  it("tells JSON from CSV by content, whatever the file is called, and names the format it read in errors", async () => {
    const csvText = "id,sizeGB,reqRate,slo\na,10,3,1\nb,20,1,1\n";
    const misnamed = kvplace(["solve", file("models.json", csvText), "--gpus", "2", "--json"]);
    expect(misnamed.status).toBe(0);
    expect((JSON.parse(misnamed.stdout) as Solution).assignment).toEqual((await solve({ gpus: 2, models: parseModelsCsv(csvText) })).assignment);
    const jsonAsCsv = kvplace(["solve", file("problem.csv", JSON.stringify(PROBLEM)), "--json"]);
    expect((JSON.parse(jsonAsCsv.stdout) as Solution).gpus.map((g) => g.id)).toEqual(["h100-a", "h100-b", "a10"]);
    expect(failure(kvplace(["solve", file("notes.json", "gpus: 2\n"), "--gpus", "2"]), 1)).toBe(
      "kvplace: notes.json, read as CSV (it does not start with { or [, so it is not JSON): line 1: the header lacks sizeGB, reqRate, slo (it needs sizeGB,reqRate,slo)",
    );
  });

  it("reads demand scenarios from reqRate:<id> columns: each GPU's worst KVPR, then a line per scenario", async () => {
    const csv = file("scenarios.csv", "id,sizeGB,slo,reqRate:peak,reqRate:night\na,20,1,8,1\nb,20,1,2,6\nc,30,1,5,5\nd,10,1,1,1\n");
    const r = kvplace(["solve", csv, "--gpus", "2"]);
    expect(r.status).toBe(0);
    const sol = await solve({
      gpus: 2,
      models: ["a", "b", "c", "d"].map((id, i) => ({ id, sizeGB: [20, 20, 30, 10][i]!, slo: 1 })),
      scenarios: [
        { id: "peak", reqRate: [8, 2, 5, 1] },
        { id: "night", reqRate: [1, 6, 5, 1] },
      ],
    });
    const lines = r.stdout.split("\n");
    for (const g of sol.gpus) expect(lines.find((l) => l.startsWith(`${g.id} `))).toContain(` ${Number(g.kvpr.toPrecision(6))}`);
    expect(r.stdout).toContain("2 scenarios (the KVPR column above is each GPU's worst over them):");
    for (const s of sol.scenarios) {
      const line = lines.find((l) => l.trimStart().startsWith(`${s.id} `));
      expect(line).toMatch(new RegExp(`max KVPR +${Number(s.maxKvpr.toPrecision(6))} on gpu${s.bottleneck}`));
      expect(line?.endsWith("◀ worst")).toBe(s.maxKvpr === sol.maxKvpr);
    }
    const json = JSON.parse(kvplace(["solve", csv, "--gpus", "2", "--json"]).stdout) as Solution;
    expect(json.scenarios).toEqual(sol.scenarios);
  });

  it("reads a spreadsheet export: no id column, extra columns ignored with one warning, CR line ends", async () => {
    const r = kvplace(["solve", file("export.csv", "owner,sizeGB,reqRate,slo,cost\rops,10,3,1,5\rml,20,1,1,7\r"), "--gpus", "2", "--json"]);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe(
      'kvplace: warning: export.csv: line 1: ignoring the unknown columns "owner", "cost"; kvplace reads id, sizeGB, reqRate, slo, currentGpu, pinnedGpu, group, colocate, minKvGB, moveCost\n',
    );
    const models = [
      { sizeGB: 10, reqRate: 3, slo: 1 },
      { sizeGB: 20, reqRate: 1, slo: 1 },
    ];
    expect((JSON.parse(r.stdout) as Solution).assignment).toEqual((await solve({ gpus: 2, models })).assignment);
  });

  it("--gpus replaces the file's GPUs and --gpu-mem resizes every GPU of a listed pool", () => {
    const count = JSON.parse(kvplace(["solve", problemJson, "--gpus", "3", "--gpu-mem", "48", "--json"]).stdout) as Solution;
    expect(count.gpus.map((g) => [g.id, g.memGB])).toEqual([
      ["gpu0", 48],
      ["gpu1", 48],
      ["gpu2", 48],
    ]);
    // Without --gpus, phi-3 keeps its pin to the third GPU, which --gpu-mem has grown.
    const resized = JSON.parse(kvplace(["solve", problemJson, "--gpu-mem", "40", "--json"]).stdout) as Solution;
    expect(resized.gpus.map((g) => [g.id, g.memGB])).toEqual([
      ["h100-a", 40],
      ["h100-b", 40],
      ["a10", 40],
    ]);
  });
});

describe("kvplace solve: errors are one line and an exit status", () => {
  it("a missing file, a directory, invalid JSON and a malformed CSV name the file", () => {
    expect(failure(kvplace(["solve", "absent.json"]), 1)).toBe("kvplace: cannot read absent.json: no such file");
    mkdirSync(join(dir, "folder"), { recursive: true });
    expect(failure(kvplace(["solve", "folder", "--gpus", "2"]), 1)).toBe("kvplace: cannot read folder: it is a directory");
    const broken = file("broken.json", '{\n  "gpus": 2,\n  "models": [{ "sizeGB": 10,, "reqRate": 1, "slo": 1 }]\n}\n');
    expect(failure(kvplace(["solve", broken]), 1)).toMatch(/^kvplace: broken\.json is not valid JSON: line 3, column \d+: /);
    expect(failure(kvplace(["solve", file("truncated.json", '{"gpus": 2, "models": [')]), 1)).toMatch(/^kvplace: truncated\.json is not valid JSON: /);
    const badCsv = file("bad.csv", "id,sizeGB,reqRate,slo\na,10,1,1\nb,ten,1,1\n");
    expect(failure(kvplace(["solve", badCsv, "--gpus", "2"]), 1)).toBe('kvplace: bad.csv, read as CSV: line 3: sizeGB is "ten", not a number');
    expect(failure(kvplace(["solve", file("shape.json", '{"gpus": 2}')]), 1)).toMatch(/^kvplace: shape\.json: expected a problem/);
  });

  it("a binary file gets its line, without control characters reaching the terminal", () => {
    const line = failure(kvplace(["solve", file("blob.bin", "\u0000\u001b[2J\u0007noise\n"), "--gpus", "2"]), 1);
    expect(line).toMatch(/^kvplace: blob\.bin, read as CSV: line 1: the header lacks sizeGB/);
    expect(line).not.toMatch(/[\u0000-\u001f]/);
  });

  it("a model too large names the model by index and id", () => {
    const big = file(
      "big.json",
      JSON.stringify({
        gpus: 2,
        models: [
          { id: "small", sizeGB: 10, reqRate: 1, slo: 1 },
          { id: "llama-405b", sizeGB: 810, reqRate: 4, slo: 2 },
        ],
      }),
    );
    expect(failure(kvplace(["solve", big]), 1)).toBe('kvplace: model 1 ("llama-405b") needs 810 GB but the largest GPU has 80 GB');
  });

  it("other rejections name the model or GPU too", () => {
    const csv = file("pins.csv", "id,sizeGB,reqRate,slo,pinnedGpu\na,10,1,1,\nb,10,1,1,5\n");
    expect(failure(kvplace(["solve", csv, "--gpus", "2"]), 1)).toBe('kvplace: model 1 ("b") is pinned to GPU 5, outside 0..1');
    const pool = file(
      "pool.json",
      JSON.stringify({
        gpus: [
          { id: "big", memGB: 80 },
          { id: "tiny", memGB: 0 },
        ],
        models: [],
      }),
    );
    expect(failure(kvplace(["solve", pool]), 1)).toBe('kvplace: GPU 1 ("tiny") has memGB 0; it must be a positive number');
    const dup = file("dup.csv", "id,sizeGB,reqRate,slo\nx,1,1,1\nx,1,1,1\n");
    expect(failure(kvplace(["solve", dup, "--gpus", "2"]), 1)).toBe('kvplace: model 1 ("x") repeats the id "x" of model 0');
  });

  it("a bad command line exits 2 with the command's usage line", () => {
    expect(failure(kvplace(["solve", file("models.csv", "id,sizeGB,reqRate,slo\na,1,1,1\n")]), 2)).toBe(
      "kvplace: models.csv lists only models: give the number of GPUs with --gpus N",
    );
    expect(failure(kvplace(["solve", problemJson, "--gpus", "0"]), 2)).toBe(
      'kvplace: --gpus needs a whole number of GPUs >= 1 or a list of sizes in GB such as 80,80,2x40, got "0"',
    );
    expect(failure(kvplace(["solve", problemJson, "--gpus", "2.5"]), 2)).toMatch(/^kvplace: --gpus needs a whole number of GPUs >= 1 /);
    expect(failure(kvplace(["solve", problemJson, "--gpus", "0x10"]), 2)).toBe('kvplace: --gpus: "0x10" in the GPU list repeats a GPU 0 times');
    expect(failure(kvplace(["solve", problemJson, "--gpus", "80,eighty"]), 2)).toBe(
      'kvplace: --gpus: "eighty" in the GPU list is not a size such as 80, 2x40 or h100:80',
    );
    expect(failure(kvplace(["solve", problemJson, "--gpus", "80,40", "--gpu-mem", "48"]), 2)).toBe(
      "kvplace: --gpu-mem sizes GPUs given by count; the list given to --gpus already has their sizes",
    );
    expect(failure(kvplace(["solve", problemJson, "--time-limit", "-5"]), 2)).toBe('kvplace: --time-limit needs a positive number, got "-5"');
    expect(failure(kvplace(["solve", problemJson, "--engine", "gpu"]), 2)).toBe('kvplace: --engine is one of wasm, ts, got "gpu"');
    expect(failure(kvplace(["solve", problemJson, "--exact=maybe"]), 2)).toBe('kvplace: --exact is one of true, false, auto, got "maybe"');
    for (const args of [
      [problemJson, "--exact", "maybe"],
      ["--exact", "maybe", problemJson],
    ]) {
      expect(failure(kvplace(["solve", ...args]), 2)).toBe('kvplace: --exact is one of true, false, auto, got "maybe" (a bare --exact means true)');
    }
    expect(failure(kvplace(["solve", problemJson, "--gpus", "2", "--gpus", "3"]), 2)).toBe("kvplace: --gpus is given twice: give it once");
    expect(failure(kvplace(["plan", problemJson, "--exact", "--exact=false", "--target-kvpr", "1"]), 2)).toBe("kvplace: --exact is given twice: give it once");
    expect(failure(kvplace(["bench", "--json", "--json"]), 2)).toBe("kvplace: --json is given twice: give it once");
    expect(failure(kvplace(["solve", problemJson, "--max-moves", "1.5"]), 2)).toMatch(/^kvplace: --max-moves needs a whole number >= 0/);
    expect(failure(kvplace(["solve", problemJson, "--frobnicate"]), 2)).toBe("kvplace: unknown option --frobnicate");
    expect(failure(kvplace(["solve", problemJson, "--time-limit"]), 2)).toBe("kvplace: --time-limit needs a value");
    expect(failure(kvplace(["solve", problemJson, "--gpus", "--json"]), 2)).toBe("kvplace: --gpus needs a value");
    expect(failure(kvplace(["solve", problemJson, "--json=yes"]), 2)).toBe("kvplace: --json takes no value");
    expect(failure(kvplace(["solve"]), 2)).toMatch(/^kvplace: missing the problem file/);
    expect(failure(kvplace(["solve", problemJson, "another.json"]), 2)).toMatch(/^kvplace: unexpected argument "another\.json"/);
    const usage = kvplace(["solve", "--frobnicate"]).stderr.split("\n")[1];
    expect(usage).toMatch(/^usage: kvplace solve <file>/);
  });
});

describe("kvplace solve with move costs, kvplace frontier", () => {
  const costed = file("costed.csv", "id,sizeGB,reqRate,slo,currentGpu,moveCost\nbig,40,8,1,0,2.5\nsmall,8,6,1,0,\nother,8,1,1,1,\n");

  it("--max-move-cost bounds what the moves cost, and the plan says what they cost", () => {
    const r = kvplace(["solve", costed, "--gpus", "2", "--max-move-cost", "3"]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/with at most move cost 3 \(proved\)\n/);
    expect(r.stdout).toMatch(/move plan: 1 move costing 2\.5, in this order/);
    expect(r.stdout).toMatch(/1\. move +big +gpu0 → gpu1/);
  });

  it("--min-gain keeps the current placement when moving gains too little, and says so", () => {
    const kept = kvplace(["solve", costed, "--gpus", "2", "--min-gain", "0.9"]);
    expect(kept.status).toBe(0);
    expect(kept.stdout).toMatch(
      /min gain 90%: the best placement found \(max KVPR [\d.]+\) lowers the current [\d.]+ by [\d.]+%, too little: the current placement is kept/,
    );
    expect(kept.stdout).toContain("move plan: nothing moves");
    const moved = kvplace(["solve", costed, "--gpus", "2", "--min-gain", "0.05"]);
    expect(moved.stdout).toMatch(/min gain 5%: .*, so the models move\n/);
    expect(failure(kvplace(["solve", costed, "--gpus", "2", "--min-gain", "1"]), 2)).toMatch(/--min-gain needs a fraction >= 0 and < 1, got "1"/);
    expect(failure(kvplace(["solve", costed, "--gpus", "2", "--max-move-cost", "-1"]), 2)).toMatch(/--max-move-cost needs a number >= 0/);
  });

  it("frontier prints one row per budget, and --json equals the library's frontier", async () => {
    const r = kvplace(["frontier", costed, "--gpus", "2", "--budgets", "0,1,2"]);
    expect(r.status).toBe(0);
    const lines = r.stdout.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^moves allowed +max KVPR +lower bound +gap +moves +move cost$/);
    expect(lines.slice(1).map((l) => l.trim().split(/ +/)[0])).toEqual(["0", "1", "2"]);
    const json = JSON.parse(kvplace(["frontier", costed, "--gpus", "2", "--by", "cost", "--json"]).stdout) as MoveFrontier;
    const library = await moveFrontier({ gpus: 2, models: parseModelsCsv(readFileSync(join(dir, costed), "utf8")) }, { by: "cost" });
    const strip = (f: MoveFrontier) => ({ ...f, stats: undefined });
    expect(strip(json)).toEqual(strip(JSON.parse(JSON.stringify(library)) as MoveFrontier));
    expect(failure(kvplace(["frontier", costed, "--gpus", "2", "--budgets", "0,x"]), 2)).toMatch(/--budgets needs numbers separated by commas/);
    expect(failure(kvplace(["frontier", costed, "--gpus", "2", "--budgets", "0.5"]), 1)).toMatch(/every budget must be a whole number >= 0, got 0.5/);
  });
});

describe("kvplace plan", () => {
  it("finds a GPU count at or above its proven lower bound that meets the target, as the library does", async () => {
    const target = 0.06;
    const r = kvplace(["plan", fleetCsv, "--target-kvpr", String(target), "--json"]);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe("");
    const plan = JSON.parse(r.stdout) as { gpus: number; lowerBound: number; solution: Solution };
    expect(plan.gpus).toBeGreaterThanOrEqual(plan.lowerBound);
    expect(plan.lowerBound).toBeGreaterThanOrEqual(1);
    expect(plan.solution.gpus).toHaveLength(plan.gpus);
    expect(plan.solution.maxKvpr).toBeLessThanOrEqual(target);
    // plan sizes a new pool: the current GPUs of the file play no part.
    const models = parseModelsCsv(FLEET_CSV).map(({ currentGpu: _, ...m }) => m);
    const expected = await planCapacity({ models, gpuMemGB: 80, targetKvpr: target });
    expect({ ...plan, solution: comparable(plan.solution) }).toEqual({ ...expected, solution: comparable(expected.solution) });
  });

  it("plans for demand scenarios read from reqRate:<id> columns: the target holds in every one", async () => {
    const text = "id,sizeGB,slo,reqRate:eu-day,reqRate:us-day,reqRate:night\nchat-eu,20,1,8,2,1\nchat-us,20,1,2,7,1\nbatch,30,1,3,3,8\nembedder,10,1,1,1,1\n";
    const r = kvplace(["plan", file("plan-scenarios.csv", text), "--target-kvpr", "0.2", "--json"]);
    expect(r.status).toBe(0);
    const plan = JSON.parse(r.stdout) as { gpus: number; lowerBound: number; solution: Solution };
    expect(plan.solution.scenarios.map((s) => s.id)).toEqual(["eu-day", "us-day", "night"]);
    for (const s of plan.solution.scenarios) expect(s.maxKvpr).toBeLessThanOrEqual(0.2);
    const { models, scenarios } = parseProblemCsv(text);
    expect(plan.gpus).toBe((await planCapacity({ models, scenarios: scenarios!, gpuMemGB: 80, targetKvpr: 0.2 })).gpus);
  });

  it("prints the count, the lower bound and the placement table", () => {
    const r = kvplace(["plan", fleetCsv, "--target-kvpr", "0.06", "--gpu-mem", "80"]);
    expect(r.status).toBe(0);
    const [headline, proof] = r.stdout.split("\n");
    const count = Number(/^(\d+) GPUs of 80 GB keep the max KVPR at or below 0\.06$/.exec(headline!)?.[1]);
    expect(count).toBeGreaterThanOrEqual(1);
    const bound = Number(
      /(\d+) GPUs? is a proven lower bound|proven lower bound (\d+) GPUs?/
        .exec(proof!)
        ?.slice(1)
        .find((x) => x !== undefined),
    );
    expect(bound).toBeLessThanOrEqual(count);
    for (let j = 0; j < count; j++) expect(r.stdout).toMatch(new RegExp(`\\ngpu${j} +[█░]+`));
    expect(r.stdout).not.toMatch(new RegExp(`\\ngpu${count} `));
  });

  it("a target no pool can meet names the model that alone exceeds it", () => {
    const csv = file("hot.csv", "id,sizeGB,reqRate,slo\ncool,10,1,10\nhot-70b,70,5,1\n");
    expect(failure(kvplace(["plan", csv, "--target-kvpr", "0.1"]), 1)).toBe(
      'kvplace: model 1 ("hot-70b") has KVPR 0.5 alone on a GPU of 80 GB, above the target 0.1',
    );
  });

  it("a pin to GPU 2 makes a pool of at least 3 GPUs", () => {
    const csv = file("pinned.csv", "id,sizeGB,reqRate,slo,pinnedGpu\na,10,1,1,\nb,10,1,1,2\n");
    const plan = JSON.parse(kvplace(["plan", csv, "--target-kvpr", "0.5", "--json"]).stdout) as { gpus: number; lowerBound: number; solution: Solution };
    expect(plan.lowerBound).toBe(3);
    expect(plan.gpus).toBe(3);
    expect(plan.solution.assignment[1]).toBe(2);
  });

  it("needs --target-kvpr, and a size for a pool of mixed GPUs", () => {
    expect(failure(kvplace(["plan", fleetCsv]), 2)).toMatch(/^kvplace: plan needs --target-kvpr/);
    const mixed = file("mixed.json", JSON.stringify({ gpus: [{ memGB: 80 }, { memGB: 40 }], models: [{ sizeGB: 10, reqRate: 1, slo: 1 }] }));
    expect(failure(kvplace(["plan", mixed, "--target-kvpr", "0.1"]), 2)).toMatch(/are not all one size: choose the GPU to plan for with --gpu-mem GB$/);
    const sized = JSON.parse(kvplace(["plan", mixed, "--target-kvpr", "0.1", "--gpu-mem", "40", "--json"]).stdout) as { solution: Solution };
    expect(sized.solution.gpus.map((g) => g.memGB)).toEqual([40]);
    const alike = file("alike.json", JSON.stringify({ gpus: [{ memGB: 24 }, { memGB: 24 }], models: [{ sizeGB: 10, reqRate: 1, slo: 1 }] }));
    expect((JSON.parse(kvplace(["plan", alike, "--target-kvpr", "0.1", "--json"]).stdout) as { solution: Solution }).solution.gpus[0]!.memGB).toBe(24);
  });
});

describe("kvplace bench", () => {
  it("prints the comparison table of npm start on the 50 bundled ADRS cases", () => {
    const r = kvplace(["bench", "--repeats", "1"]);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe("");
    const lines = r.stdout.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^50 cases; mean stated optimum 0\.0395946$/);
    expect(lines[2]).toBe("| algorithm | mean max KVPR | at optimum | proved optimal | infeasible | µs per case |");
    const rows = lines.slice(4).map((l) =>
      l
        .split("|")
        .map((c) => c.trim())
        .slice(1, -1),
    );
    expect(rows.map((r) => r[0])).toEqual(["round-robin", "greedy", "kvplace heuristic (wasm)", "kvplace exact (wasm)", "kvplace exact (ts)"]);
    for (const row of rows.slice(3)) expect(row.slice(1, 5)).toEqual(["0.0395946", "50/50", "50", "0"]);
  });

  it("prints what npm start prints, timings aside: both run the same code on the same cases", () => {
    const start = spawnSync(process.execPath, [fileURLToPath(new URL("../build/main.js", import.meta.url))], { encoding: "utf8" });
    expect(start.status).toBe(0);
    const bench = kvplace(["bench"]);
    const withoutTimes = (out: string) => out.split("\n").map((l) => l.replace(/\| [\d.]+ \|$/, "| |"));
    expect(withoutTimes(bench.stdout)).toEqual(withoutTimes(start.stdout));
    expect(bench.stdout.match(/^\| (round-robin|greedy|kvplace .*) \| 0\.\d{7} \| \d+\/50 \|/gm)).toHaveLength(5);
  });

  it("runs a suite file of the ADRS shape, and --json gives the numbers", () => {
    const adrs = JSON.parse(readFileSync(new URL("../bench/data/adrs50.json", import.meta.url), "utf8")) as { cases: unknown[] };
    const two = file("two.json", JSON.stringify({ ...adrs, cases: adrs.cases.slice(0, 2) }));
    const r = kvplace(["bench", "--suite", two, "--repeats", "1", "--json"]);
    expect(r.status).toBe(0);
    const table = JSON.parse(r.stdout) as { cases: number; rows: { algorithm: string; atOptimum: number }[] };
    expect(table.cases).toBe(2);
    expect(table.rows.find((row) => row.algorithm === "kvplace exact (wasm)")?.atOptimum).toBe(2);
  });

  it("counts a placement below a file's stated optimum as better than stated, not as a miss", () => {
    const suite = {
      cases: [
        {
          gpuNum: 2,
          optimalMaxKvpr: 0.4,
          models: [
            { name: "a", sizeGB: 16, reqRate: 9, slo: 5 },
            { sizeGB: 8, reqRate: 2, slo: 9 },
          ],
        },
      ],
    };
    const wrong = file("wrong-optimum.json", JSON.stringify(suite));
    const r = kvplace(["bench", "--suite", wrong, "--repeats", "1"]);
    expect(r.status).toBe(0);
    const lines = r.stdout.trimEnd().split("\n");
    expect(lines[0]).toBe("1 case; mean stated optimum 0.4000000");
    expect(lines.find((l) => l.startsWith("| kvplace exact (wasm) |"))).toMatch(
      /^\| kvplace exact \(wasm\) \| 0\.0281250 \| 0\/1 \(1 better than stated\) \| 1 \| 0 \|/,
    );
    const table = JSON.parse(kvplace(["bench", "--suite", wrong, "--repeats", "1", "--json"]).stdout) as {
      rows: { atOptimum: number; betterThanStated: number }[];
    };
    for (const row of table.rows) expect([row.atOptimum, row.betterThanStated]).toEqual([0, 1]);
  });

  it("a suite that is not of the ADRS shape, or not there, is one line naming it", () => {
    const noOptimum = file("no-optimum.json", JSON.stringify({ cases: [{ gpuNum: 2, models: [] }] }));
    expect(failure(kvplace(["bench", "--suite", noOptimum]), 1)).toBe(
      "kvplace: no-optimum.json is not an ADRS suite: case 0: optimalMaxKvpr is not a positive number",
    );
    expect(failure(kvplace(["bench", "--suite", "gone.json"]), 1)).toBe("kvplace: cannot read gone.json: no such file");
    expect(failure(kvplace(["bench", "--repeats", "0"]), 2)).toMatch(/^kvplace: --repeats needs a whole number >= 1/);
    expect(failure(kvplace(["bench", "adrs50"]), 2)).toMatch(/^kvplace: unexpected argument "adrs50"/);
  });
});

describe("kvplace itself", () => {
  it("--version prints the package version, --help the commands and options", () => {
    const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string };
    expect(kvplace(["--version"])).toEqual({ status: 0, stdout: `${pkg.version}\n`, stderr: "" });
    for (const args of [["--help"], ["-h"], ["help"], ["solve", "--help"], ["plan", "-h", "--target-kvpr"]]) {
      const r = kvplace(args);
      expect(r.status, args.join(" ")).toBe(0);
      for (const word of [
        "kvplace solve <file>",
        "kvplace evaluate <file>",
        "kvplace frontier <file>",
        "--gpus-file",
        "--spread",
        "--failover",
        "--max-move-cost",
        "--min-gain",
        "kvplace plan <file>",
        "kvplace bench",
        "--time-limit",
        "--max-moves",
        "--exact",
        "--engine",
        "--target-kvpr",
        "--suite",
      ]) {
        expect(r.stdout, word).toContain(word);
      }
    }
  });

  it("no command, an unknown one, or an option before the command exit 2", () => {
    expect(failure(kvplace([]), 2)).toBe("kvplace: no command given");
    expect(failure(kvplace(["place", "x.json"]), 2)).toBe('kvplace: unknown command "place"; the commands are solve, evaluate, frontier, plan, bench');
    expect(failure(kvplace(["--json", "solve"]), 2)).toMatch(/^kvplace: (unknown option --json|options go after the command)/);
    expect(kvplace(["plaace"]).stderr.split("\n")[1]).toMatch(/^usage: kvplace solve\|evaluate\|frontier\|plan\|bench/);
  });
});
