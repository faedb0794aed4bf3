// npm start: every algorithm on the bundled ADRS cases, one table; `kvplace bench` prints it from the same code.
import { compareAlgorithms, formatComparison } from "../dist/cli/compare.js";
import { createSolver } from "../dist/index.js";
import { loadSuite } from "./adrs50.js";

const suitePath = process.argv[2] ?? new URL("../bench/data/adrs50.json", import.meta.url);
process.stdout.write(formatComparison(compareAlgorithms(loadSuite(suitePath), await createSolver())));
