// kvplace plan --gpu-types: the cheapest pool of several GPU types, from the command line.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { parseGpuTypesCsv, parseModelsCsv, parseProblemCsv, planPool, type PoolPlan } from "../dist/index.js";

const CLI = fileURLToPath(new URL("../dist/cli/main.js", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "kvplace-pool-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const MODELS = `id,sizeGB,reqRate,slo,currentGpu,group
llama-70b-tp0,35,8,5,0,llama-70b
llama-70b-tp1,35,8,5,0,llama-70b
mistral-7b,14,4,8,1,
qwen-14b,28,6,6,1,
gemma-9b,18,5,7,2,
phi-3,8,2,9,2,
embedder,2,0,1,,
`;
const TYPES = `name,memGB,cost,available,owned
L4-24,24,0.8,,
L40S-48,48,1.9,4,
H100-80,80,3.3,,1
H200-141,141,5.5,2,
`;
writeFileSync(join(dir, "models.csv"), MODELS);
writeFileSync(join(dir, "types.csv"), TYPES);

function kvplace(...args: string[]) {
  // A flag may be given once: the default target only where the test gives none.
  const target = args.includes("--target-kvpr") ? [] : ["--target-kvpr", "0.04"];
  const r = spawnSync(process.execPath, [CLI, "plan", "models.csv", ...target, ...args], { cwd: dir, encoding: "utf8", timeout: 60_000 });
  expect(r.stderr, "a stack trace").not.toMatch(/\n\s+at /);
  return r;
}

describe("kvplace plan --gpu-types", () => {
  it("--json gives what planPool returns for the same files", async () => {
    const r = kvplace("--gpu-types", "types.csv", "--json");
    expect([r.status, r.stderr]).toEqual([0, ""]);
    const plan = JSON.parse(r.stdout) as PoolPlan;
    const expected = await planPool({ models: parseModelsCsv(MODELS), gpuTypes: parseGpuTypesCsv(TYPES), targetKvpr: 0.04 });
    expect([plan.counts, plan.cost, plan.lowerBound, plan.optimal]).toEqual([expected.counts, expected.cost, expected.lowerBound, expected.optimal]);
    expect(plan.solution.maxKvpr).toBeLessThanOrEqual(0.04);
  });

  it("prints the pool, the cost per type with what is owned, the bound, then the placement table", () => {
    const r = kvplace("--gpu-types", "types.csv");
    expect(r.status).toBe(0);
    const lines = r.stdout.split("\n");
    expect(lines[0]).toMatch(/^a pool of (\d+ × \S+)( \+ \d+ × \S+)* keeps the max KVPR at or below 0\.04$/);
    expect(lines[2]).toMatch(/^type +memory +cost\/GPU +owned +bought +cost$/);
    expect(lines[5]).toMatch(/^H100-80 +80 GB +3\.3 +1 +\d+ +[\d.]+$/);
    expect(r.stdout).toMatch(/\ncost [\d.]+ · (no pool that meets the target costs less \(proved\)|proven lower bound [\d.]+ · gap [\d.]+%)\n/);
    expect(r.stdout).toMatch(/\nH100-80#0 +[█░]+ +\d+\/80 /);
    expect(r.stdout).not.toMatch(/move plan/);
  });

  it("names the file and line of a bad types file, and refuses --gpu-mem beside it", () => {
    writeFileSync(join(dir, "bad.csv"), "name,memGB,cost\nL4-24,24,cheap\n");
    const bad = kvplace("--gpu-types", "bad.csv");
    expect([bad.status, bad.stderr]).toEqual([1, 'kvplace: bad.csv: line 2: cost is "cheap", not a number\n']);
    const both = kvplace("--gpu-types", "types.csv", "--gpu-mem", "80");
    expect(both.status).toBe(2);
    expect(both.stderr).toMatch(/^kvplace: give --gpu-types or --gpu-mem, not both\n/);
  });

  it("plans for every demand scenario of a file with reqRate:<id> columns, as planPool does", async () => {
    const rates = "id,sizeGB,slo,reqRate:day,reqRate:night\na,20,1,8,1\nb,30,1,1,6\nc,10,1,2,2\n";
    writeFileSync(join(dir, "rates.csv"), rates);
    const run = (...extra: string[]) =>
      spawnSync(process.execPath, [CLI, "plan", "rates.csv", "--target-kvpr", "0.5", "--gpu-types", "types.csv", ...extra], {
        cwd: dir,
        encoding: "utf8",
        timeout: 60_000,
      });
    const r = run("--json");
    expect([r.status, r.stderr]).toEqual([0, ""]);
    const plan = JSON.parse(r.stdout) as PoolPlan;
    const { models, scenarios } = parseProblemCsv(rates);
    const expected = await planPool({ models, scenarios: scenarios!, gpuTypes: parseGpuTypesCsv(TYPES), targetKvpr: 0.5 });
    expect([plan.counts, plan.cost, plan.lowerBound, plan.optimal]).toEqual([expected.counts, expected.cost, expected.lowerBound, expected.optimal]);
    expect(plan.solution.scenarios.map((s) => [s.id, s.maxKvpr <= 0.5])).toEqual([
      ["day", true],
      ["night", true],
    ]);
    const text = run();
    expect(text.status).toBe(0);
    expect(text.stdout.split("\n")[0]).toMatch(/keeps the max KVPR at or below 0\.5 in every one of 2 demand scenarios$/);
  });

  it("an unreachable target names the model by index and id, once", () => {
    const r = kvplace("--gpu-types", "types.csv", "--target-kvpr", "0.01");
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^kvplace: model \d+ \("[^"]+"\) has KVPR [\d.]+ alone on a GPU of 141 GB, above the target 0\.01\n$/);
  });
});
