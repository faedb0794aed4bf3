#!/usr/bin/env node
// kvplace: the command line. Dispatches to a command, prints its output, and turns every failure into one line.
import { readFileSync } from "node:fs";
import { parseCommandLine } from "./args.js";
import { benchCommand } from "./commands/bench.js";
import { evaluateCommand } from "./commands/evaluate.js";
import { frontierCommand } from "./commands/frontier.js";
import { planCommand } from "./commands/plan.js";
import { solveCommand } from "./commands/solve.js";
import { describeFailure, UsageError } from "./failure.js";
import type { Problem } from "../types.js";
import { HELP, usageLine } from "./usage.js";

const COMMANDS = ["solve", "evaluate", "frontier", "plan", "bench"] as const;

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string };
  return pkg.version;
}

async function run(argv: readonly string[], seen: (problem: Problem) => void): Promise<string> {
  const [command, ...rest] = argv;
  if (command === undefined) throw new UsageError("no command given");
  if (command === "help") return `${HELP}\n`;
  if (command.startsWith("-")) {
    const { values, positionals } = parseCommandLine(argv, { help: { type: "boolean", short: "h" }, version: { type: "boolean", short: "v" } });
    if (values["help"] === true) return `${HELP}\n`;
    if (positionals.length > 0) throw new UsageError(`options go after the command: kvplace ${positionals[0] as string} ${command}`);
    if (values["version"] === true) return `${version()}\n`;
    throw new UsageError("no command given");
  }
  // Help is checked before the command parses its options, so it works next to a half-written command line.
  if (rest.includes("--help") || rest.includes("-h")) return `${HELP}\n`;
  switch (command) {
    case "solve":
      return solveCommand(rest, seen);
    case "evaluate":
      return evaluateCommand(rest, seen);
    case "frontier":
      return frontierCommand(rest, seen);
    case "plan":
      return planCommand(rest, seen);
    case "bench":
      return benchCommand(rest);
    default:
      throw new UsageError(`unknown command "${command}"; the commands are ${COMMANDS.join(", ")}`);
  }
}

// `kvplace bench | head` closes the pipe early: that is the reader's choice, not an error to report.
process.stdout.on("error", (e: NodeJS.ErrnoException) => {
  if (e.code !== "EPIPE") process.stderr.write(`kvplace: cannot write the output: ${e.message}\n`);
  process.exit(e.code === "EPIPE" ? 0 : 1);
});

let problem: Problem | undefined;
try {
  process.stdout.write(await run(process.argv.slice(2), (p) => (problem = p)));
} catch (e) {
  const failure = describeFailure(e, problem);
  process.stderr.write(`kvplace: ${failure.message}\n${failure.usage ? `${usageLine(process.argv[2])}\n` : ""}`);
  process.exitCode = failure.exitCode;
}
