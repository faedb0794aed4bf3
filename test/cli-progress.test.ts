// The CLI's progress line, driven by fake timers and a fake clock: when it shows, what it draws, how it clears.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { startProgress, wantsProgress } from "../dist/cli/progress.js";

const CLEAR = "\r\x1b[K";

describe("the progress line", () => {
  let clock = 0;
  let written: string[] = [];
  const stream = { write: (s: string) => written.push(s), columns: 60 };
  const start = (label: string) => startProgress(stream, label, { delayMs: 1000, intervalMs: 100, now: () => clock });
  const advance = (ms: number) => {
    clock += ms;
    vi.advanceTimersByTime(ms);
  };

  beforeEach(() => {
    vi.useFakeTimers();
    clock = 0;
    written = [];
  });
  afterEach(() => vi.useRealTimers());

  it("writes nothing, not even a clear, for a job that ends within the delay", () => {
    const p = start("solving 5 models on 4 GPUs");
    advance(999);
    p.stop();
    advance(5000);
    expect(written).toEqual([]);
  });

  it("appears after the delay with the label and the elapsed seconds, redraws in place, and clears once", () => {
    const p = start("solving 5 models on 4 GPUs");
    advance(1000);
    expect(written).toHaveLength(1);
    expect(written[0]).toMatch(/^\r\x1b\[K\S solving 5 models on 4 GPUs · 1\.0 s$/);
    advance(100);
    advance(100);
    advance(50);
    expect(written).toHaveLength(3);
    expect(written[2]).toMatch(/^\r\x1b\[K\S solving 5 models on 4 GPUs · 1\.2 s$/);
    // The spinner turns.
    expect(new Set(written.map((w) => w.charAt(CLEAR.length))).size).toBe(3);
    p.update("planning: trying 7 GPUs");
    advance(50);
    expect(written.at(-1)).toMatch(/planning: trying 7 GPUs · 1\.3 s$/);
    const drawn = written.length;
    p.stop();
    p.stop();
    advance(1000);
    expect(written.slice(drawn)).toEqual([CLEAR]);
  });

  it("never runs past the terminal's width, where a wrapped line would break the redraw", () => {
    const p = start(`solving ${"many ".repeat(40)}models`);
    advance(1000);
    p.stop();
    const line = written[0]!.slice(CLEAR.length);
    expect(line.length).toBeLessThan(stream.columns);
    expect(line.endsWith("…")).toBe(true);
  });

  it("is wanted on a terminal, but not with --json when stdout is piped, nor when stderr is not a terminal", () => {
    expect(wantsProgress({ stderrIsTTY: true, stdoutIsTTY: true, json: false })).toBe(true);
    expect(wantsProgress({ stderrIsTTY: true, stdoutIsTTY: false, json: false })).toBe(true);
    expect(wantsProgress({ stderrIsTTY: true, stdoutIsTTY: true, json: true })).toBe(true);
    expect(wantsProgress({ stderrIsTTY: true, stdoutIsTTY: false, json: true })).toBe(false);
    expect(wantsProgress({ stderrIsTTY: false, stdoutIsTTY: true, json: false })).toBe(false);
  });
});
