// Portable: runs in Node and in Chromium.
import { describe, expect, it } from "vitest";
import * as inline from "../../dist/inline.js";
import { parseGpusCsv, parseGpuTypesCsv, parseModelsCsv, parseProblemCsv, PlacementError, solve } from "../../dist/index.js";

function csvError(text: string): PlacementError {
  try {
    parseModelsCsv(text);
  } catch (e) {
    expect(e).toBeInstanceOf(PlacementError);
    expect((e as PlacementError).code).toBe("INVALID_CSV");
    return e as PlacementError;
  }
  throw new Error(`parseModelsCsv accepted ${JSON.stringify(text)}`);
}

describe("parseModelsCsv", () => {
  it("reads the required columns as numbers and ids as strings", () => {
    const models = parseModelsCsv("id,sizeGB,reqRate,slo\nllama-8b,16,9,5\nphi-3,7.5,0.25,1e1\n");
    expect(models).toEqual([
      { id: "llama-8b", sizeGB: 16, reqRate: 9, slo: 5 },
      { id: "phi-3", sizeGB: 7.5, reqRate: 0.25, slo: 10 },
    ]);
  });

  it("takes the columns in any order and names in any case, group among them", () => {
    const models = parseModelsCsv("SLO, reqrate ,group,pinnedGpu,currentGpu,sizeGB,id\n5,9,chat,1,0,16,a\n");
    expect(models).toEqual([{ slo: 5, reqRate: 9, group: "chat", pinnedGpu: 1, currentGpu: 0, sizeGB: 16, id: "a" }]);
  });

  it("reads group as a string, even when it looks like a number, and quoted like an id", () => {
    const models = parseModelsCsv('id,sizeGB,reqRate,slo,group\na,10,1,1,7\nb,10,1,1,"tp, shard"\n');
    expect(models.map((m) => m.group)).toEqual(["7", "tp, shard"]);
  });

  it("reads a group cell naming several groups, separated by |, as a list; one name stays a string", () => {
    const models = parseModelsCsv("id,sizeGB,reqRate,slo,group\nshard-a0,10,1,1,tp-a|llama\nshard-a1,10,1,1, tp-a | llama \nsolo,10,1,1,llama\n");
    expect(models.map((m) => m.group)).toEqual([["tp-a", "llama"], ["tp-a", "llama"], "llama"]);
    const e = csvError("id,sizeGB,reqRate,slo,group\na,10,1,1,tp||llama\n");
    expect(e.message).toBe('line 2: group "tp||llama" has an empty name (names are separated by "|")');
    expect(e.model).toBe(0);
    expect(csvError("id,sizeGB,reqRate,slo,group\na,10,1,1,tp|\n").message).toMatch(/^line 2: group "tp\|" has an empty name/);
  });

  it("reads colocate as a string and minKvGB as a number", () => {
    const models = parseModelsCsv("id,sizeGB,reqRate,slo,colocate,minKvGB\na,10,1,1,70b,4.5\nb,10,1,1,,\n");
    expect(models).toEqual([
      { id: "a", sizeGB: 10, reqRate: 1, slo: 1, colocate: "70b", minKvGB: 4.5 },
      { id: "b", sizeGB: 10, reqRate: 1, slo: 1 },
    ]);
    expect(csvError("id,sizeGB,reqRate,slo,minKvGB\na,10,1,1,lots\n").message).toBe('line 2: minKvGB is "lots", not a number');
  });

  it("group lists, colocate and minKvGB read from CSV reach the solver", async () => {
    // Two nodes of two 40 GB GPUs: the shards of "big" share a node on distinct GPUs, the replicas of "r" sit on both nodes.
    const gpus = parseGpusCsv("id,memGB,node\na0,40,a\na1,40,a\nb0,40,b\nb1,40,b\n");
    const models = parseModelsCsv("id,sizeGB,reqRate,slo,group,colocate\nbig-0,20,4,1,tp|big,big\nbig-1,20,4,1,tp|big,big\nr-0,5,1,1,r,\nr-1,5,1,1,r,\n");
    const sol = await solve({ gpus, models, spread: { r: "node" } });
    const nodeOf = (i: number) => sol.gpus[sol.assignment[i] as number]?.node;
    expect(sol.assignment[0]).not.toBe(sol.assignment[1]);
    expect(nodeOf(0)).toBe(nodeOf(1));
    expect(nodeOf(2)).not.toBe(nodeOf(3));
    // A 10 GB model with a 35 GB KV floor needs 45 GB: no 40 GB GPU holds it.
    const floor = parseModelsCsv("id,sizeGB,reqRate,slo,minKvGB\nf,10,1,1,35\n");
    await expect(solve({ gpus, models: floor })).rejects.toMatchObject({ code: "MODEL_TOO_LARGE" });
  });

  it("a group read from CSV reaches the solver: its models go on distinct GPUs", async () => {
    // Without the group, both small models belong beside each other, away from the big one.
    const rows = "a,1,0,1,{g}\nb,1,0,1,{g}\nbig,70,10,1,\n";
    const apart = await solve({ gpus: 2, models: parseModelsCsv(`id,sizeGB,reqRate,slo,group\n${rows.replaceAll("{g}", "tp")}`) });
    const together = await solve({ gpus: 2, models: parseModelsCsv(`id,sizeGB,reqRate,slo,group\n${rows.replaceAll("{g}", "")}`) });
    expect(together.assignment[0]).toBe(together.assignment[1]);
    expect(apart.assignment[0]).not.toBe(apart.assignment[1]);
  });

  it("reads moveCost as a number, and the solver counts it against maxMoveCost", async () => {
    const models = parseModelsCsv("id,sizeGB,reqRate,slo,currentGpu,moveCost\nbig,40,8,1,0,2.5\nsmall,8,6,1,0,\n");
    expect(models).toEqual([
      { id: "big", sizeGB: 40, reqRate: 8, slo: 1, currentGpu: 0, moveCost: 2.5 },
      { id: "small", sizeGB: 8, reqRate: 6, slo: 1, currentGpu: 0 },
    ]);
    // Within 3, only "big" (cost 2.5) can move; "small" costs its 8 GB.
    const sol = await solve({ gpus: 2, models }, { maxMoveCost: 3 });
    expect(sol.moves).toEqual([{ model: 0, from: 0, to: 1 }]);
    expect(sol.moveCost).toBe(2.5);
    expect(csvError("id,sizeGB,reqRate,slo,moveCost\na,1,1,1,cheap\n").message).toMatch(/line 2: moveCost is "cheap", not a number/);
  });

  it("leaves out empty cells: an unnamed model, no pin, no current GPU", () => {
    const models = parseModelsCsv("id,sizeGB,reqRate,slo,currentGpu,pinnedGpu,group\n,10,1,2,,,\nb,20,3,4,1,,x\n");
    expect(models).toEqual([
      { sizeGB: 10, reqRate: 1, slo: 2 },
      { id: "b", sizeGB: 20, reqRate: 3, slo: 4, currentGpu: 1, group: "x" },
    ]);
    expect(Object.keys(models[0]!)).toEqual(["sizeGB", "reqRate", "slo"]);
  });

  it("handles CRLF, a byte-order mark, blank lines, spaces around cells and quoted cells", () => {
    const text = '\uFEFFid,sizeGB,reqRate,slo\r\n\r\n  "a, the ""big"" one" , 12 ,3,4\r\n   \r\n"multi\r\nline",1,1,1\r\n';
    expect(parseModelsCsv(text)).toEqual([
      { id: 'a, the "big" one', sizeGB: 12, reqRate: 3, slo: 4 },
      { id: "multi\r\nline", sizeGB: 1, reqRate: 1, slo: 1 },
    ]);
  });

  it("handles CR-only line endings, as old Mac exports write them, inside quoted cells too", () => {
    const text = 'id,sizeGB,reqRate,slo\r\ra,1,2,3\r"two\rlines",4,5,6\rc,7,8,9';
    expect(parseModelsCsv(text)).toEqual([
      { id: "a", sizeGB: 1, reqRate: 2, slo: 3 },
      { id: "two\rlines", sizeGB: 4, reqRate: 5, slo: 6 },
      { id: "c", sizeGB: 7, reqRate: 8, slo: 9 },
    ]);
    expect(csvError("id,sizeGB,reqRate,slo\ra,1,1,1\r\rb,x,1,1\r").message).toMatch(/^line 4: sizeGB is "x"/);
  });

  it("takes a file without an id column, as JSON takes models without ids", () => {
    expect(parseModelsCsv("sizeGB,reqRate,slo\n10,1,2\n")).toEqual([{ sizeGB: 10, reqRate: 1, slo: 2 }]);
  });

  it("ignores unknown columns when told where to warn, with one warning naming them all", () => {
    const warnings: string[] = [];
    const models = parseModelsCsv("Owner,id,sizeGB,reqRate,slo,notes\nops,a,10,1,2,hot\nml,b,20,3,4,\n", { onWarning: (m) => warnings.push(m) });
    expect(models).toEqual([
      { id: "a", sizeGB: 10, reqRate: 1, slo: 2 },
      { id: "b", sizeGB: 20, reqRate: 3, slo: 4 },
    ]);
    expect(warnings).toEqual([
      'line 1: ignoring the unknown columns "Owner", "notes"; kvplace reads id, sizeGB, reqRate, slo, currentGpu, pinnedGpu, group, colocate, minKvGB, moveCost',
    ]);
    const quiet: string[] = [];
    parseModelsCsv("id,sizeGB,reqRate,slo\na,1,1,1\n", { onWarning: (m) => quiet.push(m) });
    expect(quiet).toEqual([]);
  });

  it("a header alone is no models", () => {
    expect(parseModelsCsv("id,sizeGB,reqRate,slo")).toEqual([]);
  });

  it("INVALID_CSV without a header, naming line 1", () => {
    expect(csvError("").message).toMatch(/^line 1: expected a header row/);
    expect(csvError("\n  \n").message).toMatch(/^line 1:/);
  });

  it("INVALID_CSV for a header that lacks a required column, repeats one, or, with no one to warn, has an unknown one", () => {
    expect(csvError("id,sizeGB,reqRate\n").message).toMatch(/line 1: .*lacks slo/);
    expect(csvError("id,reqRate\n").message).toMatch(/lacks sizeGB, slo/);
    expect(csvError("id,sizeGB,reqRate,slo,sizegb\n").message).toMatch(/sizeGB appears twice/);
    // A misspelt pinnedGpu must not vanish unnoticed: the pins would be lost.
    expect(csvError("id,sizeGB,reqRate,slo,pinned_gpu\n").message).toMatch(/^line 1: unknown column "pinned_gpu"; the columns are id, /);
  });

  it("INVALID_CSV naming the line and the model for a cell that is not a number", () => {
    const e = csvError("id,sizeGB,reqRate,slo\na,10,1,1\n\nb,ten,1,1\n");
    expect(e.message).toMatch(/^line 4: sizeGB is "ten", not a number/);
    expect(e.model).toBe(1);
    expect(csvError("id,sizeGB,reqRate,slo\na,10,0x10,1\n").message).toMatch(/line 2: reqRate/);
    expect(csvError("id,sizeGB,reqRate,slo\na,10,1,Infinity\n").message).toMatch(/line 2: slo/);
  });

  it("INVALID_CSV for an empty required number, a wrong cell count and a bad GPU index", () => {
    expect(csvError("id,sizeGB,reqRate,slo\na,,1,1\n").message).toMatch(/line 2: sizeGB is empty/);
    expect(csvError("id,sizeGB,reqRate,slo\na,1,1\n").message).toMatch(/line 2: expected 4 cells .* found 3/);
    expect(csvError("id,sizeGB,reqRate,slo\na,1,1,1,\n").message).toMatch(/found 5/);
    expect(csvError("id,sizeGB,reqRate,slo,pinnedGpu\na,1,1,1,1.5\n").message).toMatch(/pinnedGpu is 1.5, not a GPU index/);
    expect(csvError("id,sizeGB,reqRate,slo,currentGpu\na,1,1,1,-1\n").message).toMatch(/currentGpu is -1/);
  });

  it("INVALID_CSV for a quote that never closes or text after a closing quote, on the line where it happens", () => {
    expect(csvError('id,sizeGB,reqRate,slo\na,1,1,1\n"b,1,1,1\n').message).toMatch(/^line 3: a quoted cell is never closed/);
    expect(csvError('id,sizeGB,reqRate,slo\n"x\ny"z,1,1,1\n').message).toMatch(/^line 3: text after a closing quote/);
  });

  it("leaves range checks to the solver, which names the model", async () => {
    const models = parseModelsCsv("id,sizeGB,reqRate,slo\na,10,1,1\nb,-5,1,1\n");
    await expect(solve({ gpus: 2, models })).rejects.toMatchObject({ code: "INVALID_MODEL", model: 1 });
  });

  it("what it reads solves like the same models written as objects, from either entry", async () => {
    const csv = "id,sizeGB,reqRate,slo,pinnedGpu\nllama,16,9,5,\nmistral,14,4,8,\nqwen,28,6,6,\nphi,8,2,9,1\n";
    const objects = [
      { id: "llama", sizeGB: 16, reqRate: 9, slo: 5 },
      { id: "mistral", sizeGB: 14, reqRate: 4, slo: 8 },
      { id: "qwen", sizeGB: 28, reqRate: 6, slo: 6 },
      { id: "phi", sizeGB: 8, reqRate: 2, slo: 9, pinnedGpu: 1 },
    ];
    expect(inline.parseModelsCsv(csv)).toEqual(objects);
    const fromCsv = await solve({ gpus: 2, models: parseModelsCsv(csv) });
    expect(fromCsv.assignment).toEqual((await solve({ gpus: 2, models: objects })).assignment);
  });
});

describe("parseProblemCsv", () => {
  it("makes a scenario of each reqRate:<id> column, in column order; the plain reqRate may be left out", () => {
    const { models, scenarios } = parseProblemCsv("id,sizeGB,slo,reqRate:peak, reqRate:night \na,16,5,9,1\nb,8,2,0.5,3\n");
    expect(models).toEqual([
      { id: "a", sizeGB: 16, slo: 5 },
      { id: "b", sizeGB: 8, slo: 2 },
    ]);
    expect(scenarios).toEqual([
      { id: "peak", reqRate: [9, 0.5] },
      { id: "night", reqRate: [1, 3] },
    ]);
  });

  it("reads the other columns beside the scenarios, moveCost among them", () => {
    const { models, scenarios } = parseProblemCsv("id,sizeGB,slo,moveCost,currentGpu,reqRate:peak\na,16,5,3.5,0,9\nb,8,2,,1,0.5\n");
    expect(models).toEqual([
      { id: "a", sizeGB: 16, slo: 5, moveCost: 3.5, currentGpu: 0 },
      { id: "b", sizeGB: 8, slo: 2, currentGpu: 1 },
    ]);
    expect(scenarios).toEqual([{ id: "peak", reqRate: [9, 0.5] }]);
  });

  it("has no scenario columns for GPU types: reqRate:<id> there is an unknown column", () => {
    expect(() => parseGpuTypesCsv("name,memGB,cost,reqRate:peak\nL4-24,24,0.8,1\n")).toThrow(/unknown column "reqRate:peak"/);
  });

  it("gives no scenarios for a plain model list, which parseModelsCsv reads the same", () => {
    const text = "sizeGB,reqRate,slo\n16,9,5\n";
    expect(parseProblemCsv(text)).toEqual({ models: parseModelsCsv(text) });
  });

  it("refuses an empty scenario cell, a repeated or nameless scenario, and scenarios in parseModelsCsv", () => {
    const refusal = (read: () => unknown): string => {
      try {
        read();
      } catch (e) {
        expect((e as PlacementError).code).toBe("INVALID_CSV");
        return (e as PlacementError).message;
      }
      throw new Error("accepted");
    };
    expect(refusal(() => parseProblemCsv("sizeGB,slo,reqRate:peak\n16,5,\n"))).toBe(
      "line 2: reqRate:peak is empty (every model needs a rate in every scenario)",
    );
    expect(refusal(() => parseProblemCsv("sizeGB,slo,reqRate:peak\n16,5,lots\n"))).toBe('line 2: reqRate:peak is "lots", not a number');
    expect(refusal(() => parseProblemCsv("sizeGB,slo,reqRate:a,reqRate:a\n16,5,1,1\n"))).toBe("line 1: the scenario column reqRate:a appears twice");
    expect(refusal(() => parseProblemCsv("sizeGB,slo,reqRate:\n16,5,1\n"))).toMatch(/names no scenario/);
    expect(refusal(() => parseModelsCsv("sizeGB,slo,reqRate:a\n16,5,1\n"))).toMatch(/reqRate:a are demand scenarios.*parseProblemCsv/);
  });

  it("solves what it reads: the worst scenario decides", async () => {
    const { models, scenarios } = parseProblemCsv("id,sizeGB,slo,reqRate:peak,reqRate:night\na,20,1,8,1\nb,20,1,2,6\nc,30,1,5,5\nd,10,1,1,1\n");
    const sol = await solve({ gpus: 2, models, scenarios: scenarios! });
    expect(sol.scenarios.map((s) => s.id)).toEqual(["peak", "night"]);
    expect(sol.maxKvpr).toBe(Math.max(...sol.scenarios.map((s) => s.maxKvpr)));
  });
});

describe("parseGpuTypesCsv", () => {
  it("reads name, memory and cost, and leaves an empty stock or owned count out", () => {
    expect(parseGpuTypesCsv("name,memGB,cost,available,owned\nL4-24,24,0.8,,\nH100-80,80,3.3,4,2\n")).toEqual([
      { name: "L4-24", memGB: 24, cost: 0.8 },
      { name: "H100-80", memGB: 80, cost: 3.3, available: 4, owned: 2 },
    ]);
  });

  it("names the line and the type's index of a count that is not whole, and a header that lacks cost", () => {
    expect(() => parseGpuTypesCsv("name,memGB,cost,owned\nL4-24,24,0.8,1\nH100-80,80,3.3,1.5\n")).toThrow(
      expect.objectContaining({ code: "INVALID_CSV", gpu: 1, message: "line 3: owned is 1.5, not a whole number" }),
    );
    expect(() => parseGpuTypesCsv("name,memGB\nL4-24,24\n")).toThrow("line 1: the header lacks cost (it needs name,memGB,cost)");
  });
});

describe("parseGpusCsv", () => {
  it("reads memory, ids, nodes, zones and reserved memory, leaving empty cells out", () => {
    expect(parseGpusCsv("id,memGB,node,zone,reserveGB\nh100-0,80,n1,east,2\nh100-1,80,n1,east,\nspare,24,,,\n")).toEqual([
      { id: "h100-0", memGB: 80, node: "n1", zone: "east", reserveGB: 2 },
      { id: "h100-1", memGB: 80, node: "n1", zone: "east" },
      { id: "spare", memGB: 24 },
    ]);
    // Only the memory is needed, and names that look like numbers stay names.
    expect(parseGpusCsv("memGB,node\n40,1\n")).toEqual([{ memGB: 40, node: "1" }]);
  });

  it("reads what the solver reports: each GPU's node, zone and reserve", async () => {
    const gpus = parseGpusCsv("id,memGB,node,zone,reserveGB\ng0,80,n1,east,8\ng1,80,n2,west,\n");
    const sol = await solve({ gpus, models: [{ id: "m", sizeGB: 10, reqRate: 1, slo: 1 }] });
    expect(sol.gpus.map(({ id, node, zone, reserveGB }) => ({ id, node, zone, reserveGB }))).toEqual([
      { id: "g0", node: "n1", zone: "east", reserveGB: 8 },
      { id: "g1", node: "n2", zone: "west", reserveGB: 0 },
    ]);
  });

  it("INVALID_CSV naming the line, the column and the GPU's index", () => {
    const bad = () => parseGpusCsv("id,memGB,reserveGB\ng0,80,\ng1,80,some\n");
    expect(bad).toThrow(PlacementError);
    expect(bad).toThrow(expect.objectContaining({ code: "INVALID_CSV", gpu: 1, message: 'line 3: reserveGB is "some", not a number' }));
    expect(() => parseGpusCsv("id,node\ng0,n1\n")).toThrow("line 1: the header lacks memGB (it needs memGB)");
    expect(() => parseGpusCsv("id,memGB\ng0,\n")).toThrow("line 2: memGB is empty");
    expect(() => parseGpusCsv("id,memGB,rack\ng0,80,r1\n")).toThrow('line 1: unknown column "rack"; the columns are id, memGB, node, zone, reserveGB');
  });

  it("ignores unknown columns when told where to warn", () => {
    const warnings: string[] = [];
    expect(parseGpusCsv("id,memGB,rack\ng0,80,r1\n", { onWarning: (m) => warnings.push(m) })).toEqual([{ id: "g0", memGB: 80 }]);
    expect(warnings).toEqual(['line 1: ignoring the unknown column "rack"; kvplace reads id, memGB, node, zone, reserveGB']);
  });
});
