// Takes docs/demo.png for the README from the real page: built with Vite, served on
// 127.0.0.1, an ADRS example solved in the worker, the bottleneck GPU hovered.
// Run after `npm run build`: node scripts/screenshot-demo.mjs [case number, 1-50]
// The picture ships in the package: Debian's pngquant (apt-get install -y pngquant) cuts it to a third, within
// the size budget that test/package.test.ts holds it to.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildDemo, launchChromium, serveStatic } from "./demo-page.mjs";

const example = Number(process.argv[2] ?? 2) - 1;
const target = new URL("../docs/demo.png", import.meta.url);
const out = mkdtempSync(join(tmpdir(), "kvplace-demo-"));
await buildDemo(out);
const server = await serveStatic(out);
const browser = await launchChromium();
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, deviceScaleFactor: 1 });
  await page.goto(server.url);
  await page.waitForSelector('#results[data-state="done"]');
  await page.selectOption("#example", String(example));
  await page.click("#load-example");
  await page.click("#solve");
  await page.waitForFunction(() => Number(document.getElementById("results")?.dataset["run"]) >= 2);
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.hover("#gpus > li.bottleneck");
  await page.screenshot({ path: target.pathname });
  try {
    execFileSync("pngquant", ["--quality=70-95", "--speed=1", "--force", "--output", target.pathname, target.pathname]);
  } catch (e) {
    console.warn(`not quantized (${e.message}): install pngquant and run this again`);
  }
  console.log(`wrote ${target.pathname}, ${Math.round(statSync(target).size / 1024)} KB`);
} finally {
  await browser.close();
  await server.close();
  rmSync(out, { recursive: true, force: true });
}
