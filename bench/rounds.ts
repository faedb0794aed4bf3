// How long npm run bench:throughput times each task, in Node and in Chromium alike.

/** Rounds per task: each round is one short tinybench run per build, alternating which goes first (bench/interleave.ts). */
export const ROUNDS = Number(process.env["KVPLACE_ROUNDS"] ?? 7);
/** Milliseconds per task and round, on the clock that times it: CPU time in Node, the wall clock in a page. */
export const ROUND_MS = Number(process.env["KVPLACE_ROUND_MS"] ?? 150);
