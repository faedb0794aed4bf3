// Portable: runs in Node and in Chromium. The GPU list the planning page and `kvplace solve --gpus` read.
import { describe, expect, it } from "vitest";
import { parseGpuList, PlacementError } from "../../dist/index.js";

function listError(text: string): PlacementError {
  try {
    parseGpuList(text);
  } catch (e) {
    expect(e).toBeInstanceOf(PlacementError);
    return e as PlacementError;
  }
  throw new Error(`parseGpuList accepted ${JSON.stringify(text)}`);
}

describe("parseGpuList", () => {
  it("reads sizes in GB, NxM repeats and name:M ids, in order", () => {
    expect(parseGpuList("80, 80, 2x40, a10:24")).toEqual([{ memGB: 80 }, { memGB: 80 }, { memGB: 40 }, { memGB: 40 }, { id: "a10", memGB: 24 }]);
  });

  it("takes commas, spaces, ; and + between entries, and × or * for times", () => {
    expect(parseGpuList(" 80;2×40 + 1*.5\t h100:80.5 ")).toEqual([{ memGB: 80 }, { memGB: 40 }, { memGB: 40 }, { memGB: 0.5 }, { id: "h100", memGB: 80.5 }]);
  });

  it("INVALID_GPU naming the entry for what is not a size, a named repeat, no entries or a zero repeat", () => {
    expect(listError("80, eighty")).toMatchObject({ code: "INVALID_GPU", message: '"eighty" in the GPU list is not a size such as 80, 2x40 or h100:80' });
    expect(listError("h100:2x80").message).toBe('"h100:2x80" in the GPU list names one GPU but repeats it');
    expect(listError(" , ").message).toMatch(/^the GPU list is empty/);
    expect(listError("0x80").message).toBe('"0x80" in the GPU list repeats a GPU 0 times');
  });

  it("TOO_LARGE past the GPUs kvplace accepts, before making them", () => {
    expect(parseGpuList("4096x80")).toHaveLength(4096);
    expect(listError("4000x80, 97x40")).toMatchObject({ code: "TOO_LARGE" });
    expect(listError("1000000000000x80")).toMatchObject({ code: "TOO_LARGE" });
  });
});
