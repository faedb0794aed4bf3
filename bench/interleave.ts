// Side-by-side timing of two or more builds in one process: short tinybench
// runs, the builds alternating which goes first from round to round, so that
// neither always runs on the warmer heap; timed in this process's CPU time
// unless told otherwise, so that what other processes take on a shared machine
// is charged to neither build; the median round is kept.
import { Bench, type TimestampProvider } from "tinybench";

/** CPU time of this process (user and system, all its threads) in milliseconds. */
export const cpuTime: TimestampProvider = {
  name: "cpuTime",
  fn: () => {
    const { user, system } = process.cpuUsage();
    return (user + system) / 1000;
  },
  toMs: (value) => value as number,
  fromMs: (value) => value,
};

export type Contender = { name: string; run: () => void };

/**
 * Mean milliseconds per run of each contender on `clock` (a page has no CPU
 * time: it passes a wall clock), in the order given: the median over `rounds`
 * interleaved rounds of `roundMs` each.
 */
export async function interleaved(contenders: readonly Contender[], rounds: number, roundMs: number, clock: TimestampProvider = cpuTime): Promise<number[]> {
  const perRound: number[][] = contenders.map(() => []);
  for (let r = 0; r < rounds; r++) {
    // Only the first round warms up, for roundMs: tinybench's own default would add 16 warm-up runs to every
    // round, which for a loop of time-limited solves is most of the run time.
    const bench = new Bench({ time: roundMs, warmup: r === 0, warmupTime: roundMs, warmupIterations: 1, iterations: 1, timestampProvider: clock });
    const order = r % 2 === 0 ? contenders : [...contenders].reverse();
    for (const c of order) bench.add(c.name, c.run);
    await bench.run();
    for (const task of bench.tasks) {
      if (task.result.state !== "completed") {
        const why = task.result.state === "errored" ? `: ${String(task.result.error)}` : "";
        throw new Error(`${task.name}: ${task.result.state}${why}`);
      }
      perRound[contenders.findIndex((c) => c.name === task.name)]!.push(task.result.latency.mean);
    }
  }
  return perRound.map((xs) => xs.sort((a, b) => a - b)[xs.length >> 1]!);
}
