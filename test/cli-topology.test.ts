// kvplace with nodes, zones and failover: GPU files, spread levels, the table grouped by node, the failover report.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { evaluate, moveFrontier, parseGpusCsv, parseModelsCsv, solve, type Evaluation, type MoveFrontier, type Problem, type Solution } from "../dist/index.js";

const CLI = fileURLToPath(new URL("../dist/cli/main.js", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "kvplace-topology-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Three nodes of two GPUs, two of them in one zone, 2 GB of each GPU kept by the runtime.
const GPUS = `id,memGB,node,zone,reserveGB
n1-g0,80,n1,east,2
n1-g1,80,n1,east,2
n2-g0,80,n2,east,2
n2-g1,80,n2,east,2
n3-g0,80,n3,west,2
n3-g1,80,n3,west,2
`;
// Two replicas of llama (spread over nodes on the command line), a model in two shards on one node, a KV floor.
const MODELS = `id,sizeGB,reqRate,slo,group,colocate,minKvGB
llama-a,30,8,5,llama,,
llama-b,30,8,5,llama,,
big-0,35,6,5,big-tp,big,
big-1,35,6,5,big-tp,big,
small,8,2,9,,,10
`;
// The same models placed: both replicas on node n1, and each shard of "big" alone on its side of n3.
const CURRENT = `id,sizeGB,reqRate,slo,group,colocate,currentGpu
llama-a,30,8,5,llama,,0
llama-b,30,8,5,llama,,1
big-0,35,6,5,big-tp,big,4
big-1,35,6,5,big-tp,big,5
small,8,2,9,,,2
`;
// No colocated set: one node holds no model that the loss of one of its GPUs would strand.
const REPLICAS = `id,sizeGB,reqRate,slo,group
llama-a,30,8,5,llama
llama-b,30,8,5,llama
small,8,2,9,
`;
writeFileSync(join(dir, "gpus.csv"), GPUS);
writeFileSync(join(dir, "replicas.csv"), REPLICAS);
writeFileSync(join(dir, "models.csv"), MODELS);
writeFileSync(join(dir, "current.csv"), CURRENT);
const problem: Problem = { gpus: parseGpusCsv(GPUS), models: parseModelsCsv(MODELS), spread: { llama: "node" } };

type Run = { status: number | null; stdout: string; stderr: string };

function kvplace(...args: string[]): Run {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: dir, encoding: "utf8", timeout: 60_000 });
  expect(r.stderr, "a stack trace").not.toMatch(/\n\s+at /);
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A failure is one line on stderr (and, for a wrong command line, the usage line), nothing on stdout. */
function failure(r: Run, status: 1 | 2): string {
  expect(r.status).toBe(status);
  expect(r.stdout).toBe("");
  const lines = r.stderr.trimEnd().split("\n");
  expect(lines).toHaveLength(status === 2 ? 2 : 1);
  return lines[0] as string;
}

/** A result as it crosses JSON, without the timing that differs between runs. */
function comparable<T>(x: T): unknown {
  const { stats, ...rest } = JSON.parse(JSON.stringify(x)) as { stats?: { ms?: number } };
  if (stats === undefined) return rest;
  const { ms: _, ...others } = stats;
  return { ...rest, stats: others };
}

const formatKvpr = (x: number) => (x === Infinity ? "∞" : String(Number(x.toPrecision(6))));

/** The lines of the failover report: the verdict line and the loss lines under it. */
function failoverReport(stdout: string): { head: string; losses: string[] } {
  const lines = stdout.trimEnd().split("\n");
  const at = lines.findIndex((l) => l.startsWith("failover ("));
  expect(at, "a failover report").toBeGreaterThan(0);
  return { head: lines[at] as string, losses: lines.slice(at + 1) };
}

describe("kvplace solve with a GPU file, spread levels and failover", () => {
  const args = ["solve", "models.csv", "--gpus-file", "gpus.csv", "--spread", "llama=node", "--failover", "node"];

  it("--json is the library's solution for the same files and options", async () => {
    const r = kvplace(...args, "--json");
    expect([r.status, r.stderr]).toEqual([0, ""]);
    const expected = await solve(problem, { failover: "node" });
    expect(comparable(JSON.parse(r.stdout) as Solution)).toEqual(comparable(expected));
  });

  it("groups the GPU table by node, a header line with its zone above its GPUs, and says what the runtime keeps", async () => {
    const r = kvplace(...args);
    expect(r.status).toBe(0);
    const expected = await solve(problem, { failover: "node" });
    const lines = r.stdout.split("\n");
    const headers = lines.filter((l) => l.startsWith("node "));
    expect(headers).toEqual(["node n1 · zone east", "node n2 · zone east", "node n3 · zone west"]);
    for (const header of headers) {
      const at = lines.indexOf(header);
      const node = header.split(" ")[1] as string;
      const rows = lines.slice(at + 1, at + 3);
      // Each GPU of the node, indented, with the models the library put on it.
      expect(rows.map((row) => row.trim().split(/\s+/)[0])).toEqual([`${node}-g0`, `${node}-g1`]);
      for (const row of rows) {
        const gpu = expected.gpus.find((g) => row.startsWith(`  ${g.id} `));
        const names = gpu?.models.map((i) => problem.models[i]?.id).join(", ") ?? "";
        expect(row.trimEnd().endsWith(names)).toBe(true);
      }
    }
    expect(r.stdout).toContain("\nreserved for the runtime (in the memory bars): 2 GB on every GPU\n");
  });

  it("prints a line per node loss with the max KVPR after it and the models that move, the worst marked once", async () => {
    const expected = await solve(problem, { failover: "node" });
    const losses = expected.failover ?? [];
    const worst = Math.max(...losses.map((l) => l.maxKvpr));
    const { head, losses: lines } = failoverReport(kvplace(...args).stdout);
    expect(head).toBe(`failover (node): survives every node loss · worst max KVPR after a loss ${formatKvpr(worst)}`);
    expect(lines).toHaveLength(3);
    losses.forEach((loss, k) => {
      const moved = `${loss.moves.length} ${loss.moves.length === 1 ? "model moves" : "models move"}`;
      expect(lines[k]).toMatch(new RegExp(`^  lose ${loss.lost} \\(2 GPUs\\)  max KVPR ${formatKvpr(loss.maxKvpr)} · ${moved}(  ◀ worst)?$`));
    });
    const marked = lines.filter((l) => l.endsWith("◀ worst"));
    expect(marked).toHaveLength(1);
    expect(marked[0]).toContain(`max KVPR ${formatKvpr(worst)} `);
  });

  it("--failover gpu reports one line per GPU, without node counts", () => {
    const r = kvplace("solve", "replicas.csv", "--gpus-file", "gpus.csv", "--failover", "gpu");
    expect(r.status).toBe(0);
    const { head, losses } = failoverReport(r.stdout);
    expect(head).toMatch(/^failover \(gpu\): survives every GPU loss · worst max KVPR after a loss [\d.e-]+$/);
    expect(losses.map((l) => l.trim().split(/\s+/).slice(0, 2).join(" "))).toEqual(parseGpusCsv(GPUS).map((g) => `lose ${g.id}`));
  });

  it("a GPU file without nodes draws the plain table, and no report without --failover", () => {
    writeFileSync(join(dir, "flat.csv"), "id,memGB\na,80\nb,80\n");
    const r = kvplace("solve", "replicas.csv", "--gpus-file", "flat.csv");
    expect(r.status).toBe(0);
    expect(r.stdout).not.toMatch(/^node /m);
    expect(r.stdout).toMatch(/^a +[█░]+/m);
    expect(r.stdout).not.toContain("failover");
    expect(r.stdout).not.toContain("reserved");
  });

  it("reads spread from a JSON problem; --spread sets the groups it names over it", async () => {
    const json = { ...problem, spread: { llama: "zone" } };
    writeFileSync(join(dir, "problem.json"), JSON.stringify(json));
    const fromFile = kvplace("solve", "problem.json", "--json");
    expect(comparable(JSON.parse(fromFile.stdout) as Solution)).toEqual(comparable(await solve(json as Problem)));
    const overridden = kvplace("solve", "problem.json", "--spread", "llama=node,big-tp=gpu", "--json");
    const expected = await solve({ ...problem, spread: { llama: "node", "big-tp": "gpu" } });
    expect(comparable(JSON.parse(overridden.stdout) as Solution)).toEqual(comparable(expected));
  });

  it("--failover-kvpr caps the max KVPR after a loss: a cap no placement meets is one line, FAILOVER_INFEASIBLE's", async () => {
    const expected = await solve(problem, { failover: "node", failoverKvpr: 0.3 });
    const r = kvplace(...args, "--failover-kvpr", "0.3", "--json");
    expect(comparable(JSON.parse(r.stdout) as Solution)).toEqual(comparable(expected));
    expect(failureOf(kvplace(...args, "--failover-kvpr", "0.01"))).toMatch(
      /^kvplace: no placement (was found that )?survives every node loss.*\bfailoverKvpr 0\.01\b/,
    );
  });

  it("frontier takes the GPU file and spread levels too", async () => {
    const r = kvplace("frontier", "current.csv", "--gpus-file", "gpus.csv", "--spread", "llama=node", "--json");
    expect([r.status, r.stderr]).toEqual([0, ""]);
    const expected = await moveFrontier({ gpus: parseGpusCsv(GPUS), models: parseModelsCsv(CURRENT), spread: { llama: "node" } });
    expect((JSON.parse(r.stdout) as MoveFrontier).points.map((p) => [p.budget, p.maxKvpr])).toEqual(expected.points.map((p) => [p.budget, p.maxKvpr]));
  });
});

/** The one line of a failure with exit status 1. */
const failureOf = (r: Run): string => failure(r, 1);

describe("kvplace evaluate", () => {
  it("scores the currentGpu placement: the table by node, what it breaks, and the losses it does not survive", () => {
    const r = kvplace("evaluate", "current.csv", "--gpus-file", "gpus.csv", "--spread", "llama=node", "--failover", "gpu");
    expect([r.status, r.stderr]).toEqual([0, ""]);
    const expected = evaluate({ ...problem, models: parseModelsCsv(CURRENT) }, [0, 1, 4, 5, 2], { failover: "gpu" });
    expect(r.stdout).toMatch(/^the current placement of 5 models on 6 GPUs\n/);
    expect(r.stdout).toMatch(/^node n1 · zone east$/m);
    expect(r.stdout).toContain(`\nmax KVPR ${formatKvpr(expected.maxKvpr)} on n1-g0 ◀ · breaks 1 constraint:\n  ${expected.violations[0]}\n`);
    const { head, losses } = failoverReport(r.stdout);
    const report = expected.failover as NonNullable<Evaluation["failover"]>;
    const failing = report.losses.filter((l) => !l.survives);
    // Each shard of "big" must stay on n3 beside the other: losing either GPU of n3 leaves it nowhere to go.
    expect(failing.map((l) => l.lost)).toEqual(["n3-g0", "n3-g1"]);
    expect(head).toBe("failover (gpu): does not survive 2 of 6 GPU losses · worst max KVPR after a loss ∞");
    for (const loss of failing)
      expect(losses).toContainEqual(expect.stringMatching(new RegExp(`^  lose ${loss.lost}  does not survive: 0 of 1 lost model re-placed`)));
    expect(losses.filter((l) => l.endsWith("◀ worst"))).toEqual([losses[report.worst]]);
  });

  it("with --failover-kvpr, a loss re-placed above the cap does not survive either, and says by how much", () => {
    const r = kvplace("evaluate", "current.csv", "--gpus-file", "gpus.csv", "--spread", "llama=node", "--failover", "gpu", "--failover-kvpr", "0.03");
    const report = evaluate({ ...problem, models: parseModelsCsv(CURRENT) }, [0, 1, 4, 5, 2], { failover: "gpu", failoverKvpr: 0.03 }).failover as NonNullable<
      Evaluation["failover"]
    >;
    const over = report.losses.filter((l) => !l.survives && Number.isFinite(l.maxKvpr));
    expect(over.length).toBeGreaterThan(0);
    const { head, losses } = failoverReport(r.stdout);
    expect(head).toMatch(
      new RegExp(`^failover \\(gpu\\): does not survive ${report.losses.filter((l) => !l.survives).length} of 6 GPU losses within max KVPR 0\\.03 · `),
    );
    for (const loss of over) {
      const moved = `${loss.moves.length} ${loss.moves.length === 1 ? "model moves" : "models move"}`;
      expect(losses).toContain(`  lose ${loss.lost}  max KVPR ${formatKvpr(loss.maxKvpr)} · ${moved} · above 0.03: does not survive`);
    }
  });

  it("--json is the library's evaluation of the currentGpu placement", () => {
    const r = kvplace("evaluate", "current.csv", "--gpus-file", "gpus.csv", "--failover", "node", "--failover-kvpr", "0.1", "--json");
    const expected = evaluate({ gpus: parseGpusCsv(GPUS), models: parseModelsCsv(CURRENT) }, [0, 1, 4, 5, 2], { failover: "node", failoverKvpr: 0.1 });
    expect(comparable(JSON.parse(r.stdout) as Evaluation)).toEqual(comparable(expected));
  });

  it("needs a currentGpu for every model, and names the first without", () => {
    expect(failureOf(kvplace("evaluate", "models.csv", "--gpus-file", "gpus.csv"))).toBe(
      'kvplace: models.csv: model 0 ("llama-a") has no currentGpu; evaluate scores the placement the currentGpu of every model gives',
    );
  });
});

describe("kvplace: errors of the topology options", () => {
  it("refuses --gpus with --gpus-file, and --gpu-mem with a GPU file", () => {
    expect(failure(kvplace("solve", "models.csv", "--gpus", "4", "--gpus-file", "gpus.csv"), 2)).toBe("kvplace: give --gpus or --gpus-file, not both");
    expect(failure(kvplace("solve", "models.csv", "--gpus-file", "gpus.csv", "--gpu-mem", "40"), 2)).toBe(
      "kvplace: --gpu-mem sizes GPUs given by count; the GPU file already has their sizes",
    );
  });

  it("a GPU file that is missing or wrong is one line naming the file, the line and the column", () => {
    writeFileSync(join(dir, "bad-gpus.csv"), "id,memGB,node\na,80,n1\nb,lots,n1\n");
    expect(failureOf(kvplace("solve", "models.csv", "--gpus-file", "bad-gpus.csv"))).toBe('kvplace: bad-gpus.csv: line 3: memGB is "lots", not a number');
    expect(failureOf(kvplace("solve", "models.csv", "--gpus-file", "none.csv"))).toBe("kvplace: cannot read none.csv: no such file");
    writeFileSync(join(dir, "rack-gpus.csv"), "id,memGB,rack\na,80,r1\nb,80,r1\n");
    const warned = kvplace("solve", "replicas.csv", "--gpus-file", "rack-gpus.csv");
    expect(warned.status).toBe(0);
    expect(warned.stderr).toBe('kvplace: warning: rack-gpus.csv: line 1: ignoring the unknown column "rack"; kvplace reads id, memGB, node, zone, reserveGB\n');
  });

  it("--spread takes group=level entries separated by commas, each group once", () => {
    const spread = (value: string) => failure(kvplace("solve", "models.csv", "--gpus-file", "gpus.csv", "--spread", value), 2);
    expect(spread("llama")).toBe('kvplace: --spread needs group=level entries separated by commas, such as llama=node,tp=gpu, got "llama"');
    expect(spread("=node")).toMatch(/^kvplace: --spread needs group=level entries/);
    expect(spread("llama=rack")).toBe('kvplace: --spread: the level of group "llama" is one of gpu, node, zone, got "rack"');
    expect(spread("llama=node,llama=zone")).toBe('kvplace: --spread names group "llama" twice');
    // A group no model belongs to is the library's to refuse: most likely a misspelt name.
    expect(failureOf(kvplace("solve", "models.csv", "--gpus-file", "gpus.csv", "--spread", "lama=node"))).toMatch(/"lama", which no model belongs to/);
  });

  it("a failover no placement can give is one line naming the colocated set that forbids it", () => {
    expect(failureOf(kvplace("solve", "models.csv", "--gpus-file", "gpus.csv", "--failover", "gpu"))).toMatch(
      /^kvplace: no placement survives every gpu loss: colocated set "big" /,
    );
  });

  it("--failover is gpu or node, and --failover-kvpr needs it", () => {
    expect(failure(kvplace("solve", "models.csv", "--gpus-file", "gpus.csv", "--failover", "zone"), 2)).toBe(
      'kvplace: --failover is one of gpu, node, got "zone"',
    );
    expect(failure(kvplace("evaluate", "current.csv", "--gpus-file", "gpus.csv", "--failover-kvpr", "1"), 2)).toBe(
      "kvplace: --failover-kvpr caps the max KVPR after a loss: give --failover gpu|node with it",
    );
  });
});
