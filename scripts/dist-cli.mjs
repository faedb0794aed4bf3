// Completes dist/ for the kvplace command: the ADRS suite `kvplace bench` runs by
// default (the package ships dist/, not bench/), and an executable entry for
// running dist/cli/main.js directly from a clone (npm sets the mode on install).
import { chmodSync, copyFileSync, mkdirSync } from "node:fs";

mkdirSync(new URL("../dist/data/", import.meta.url), { recursive: true });
copyFileSync(new URL("../bench/data/adrs50.json", import.meta.url), new URL("../dist/data/adrs50.json", import.meta.url));
chmodSync(new URL("../dist/cli/main.js", import.meta.url), 0o755);
