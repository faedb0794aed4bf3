// Node-only: reads the README, so the portable (browser) tests never import it.
import { readFileSync } from "node:fs";

/** The error codes the README's Errors table documents: the only codes kvplace may throw. */
export const DOCUMENTED_CODES: ReadonlySet<string> = (() => {
  const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");
  const table = readme.slice(readme.indexOf("### Errors"), readme.indexOf("### Loading"));
  return new Set([...table.matchAll(/^\| (`[A-Z_]+`(?:, `[A-Z_]+`)*) \|/gm)].flatMap((m) => m[1]!.split(", ").map((c) => c.slice(1, -1))));
})();
