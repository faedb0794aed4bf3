// Shared by the end-to-end test and the README screenshot: build the planning page,
// serve it on 127.0.0.1, and drive headless Chromium (see chromium.mjs) with playwright-core.
import { readFile, stat } from "node:fs/promises";
import { createServer } from "node:http";
import { extname, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { build } from "vite";
import { CHROMIUM_ARGS, chromiumPath } from "./chromium.mjs";

const CONFIG = fileURLToPath(new URL("../demo/vite.config.ts", import.meta.url));

/** Builds the page from demo/ (on the library in dist/, built beforehand) into outDir. */
export async function buildDemo(outDir) {
  await build({ configFile: CONFIG, logLevel: "warn", build: { outDir, emptyOutDir: true } });
}

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".wasm": "application/wasm",
  ".svg": "image/svg+xml",
  ".png": "image/png",
};

/** Serves a folder on 127.0.0.1 at a free port; resolves to its URL and a close function. */
export async function serveStatic(dir) {
  const base = resolve(dir);
  const server = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? "/", "http://127.0.0.1").pathname);
    const file = resolve(base, `.${path.endsWith("/") ? `${path}index.html` : path}`);
    if (file !== base && !file.startsWith(base + sep)) {
      res.writeHead(403).end();
      return;
    }
    try {
      if (!(await stat(file)).isFile()) throw new Error("not a file");
      res.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream" });
      res.end(await readFile(file));
    } catch {
      res.writeHead(404, { "content-type": "text/plain" }).end("not found");
    }
  });
  await new Promise((ok, fail) => server.once("error", fail).listen(0, "127.0.0.1", ok));
  const address = server.address();
  return {
    url: `http://127.0.0.1:${address.port}/`,
    close: () => new Promise((ok) => server.close(() => ok())),
  };
}

/** Launches headless Chromium: $KVPLACE_CHROMIUM, or the one @sparticuz/chromium ships. */
export async function launchChromium() {
  return chromium.launch({ executablePath: await chromiumPath(), args: CHROMIUM_ARGS, headless: true });
}
