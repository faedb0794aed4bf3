// How numbers read on the page; the end-to-end test formats the library's result the same way.

/** KV-cache pressure: six significant digits, enough to tell ADRS optima apart. */
export function formatKvpr(x: number): string {
  if (x === Infinity) return "∞";
  return Number(x.toPrecision(6)).toString();
}

export function formatGB(x: number): string {
  return `${Number(x.toFixed(2))} GB`;
}

export function formatGap(gap: number): string {
  if (gap === Infinity) return "∞";
  if (gap === 0) return "0%";
  return `${Number((gap * 100).toPrecision(3))}%`;
}

export function formatMs(ms: number): string {
  return ms < 10 ? `${ms.toFixed(1)} ms` : ms < 10_000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

/** "1 model", "3 models". */
export function formatCount(n: number, noun: string): string {
  return `${n} ${n === 1 ? noun : `${noun}s`}`;
}
