// Which Chromium the browser tests, the page test and the screenshot drive. KVPLACE_CHROMIUM names one
// (Debian's /usr/bin/chromium-headless-shell, say); otherwise the Chromium that the dev dependency
// @sparticuz/chromium ships brotli-compressed inside its npm package, unpacked on first use, so a machine
// with only Node and npm runs the browser tests and nothing is downloaded.
import { accessSync, constants, existsSync, mkdirSync, readFileSync, renameSync, rmSync, createReadStream, createWriteStream } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { pipeline } from "node:stream/promises";
import { fileURLToPath } from "node:url";
import { createBrotliDecompress } from "node:zlib";

export const ENV = "KVPLACE_CHROMIUM";

/**
 * Headless, without a sandbox (the tests run as root) or a GPU (there is none); and with no network of its own:
 * the machine's network is closed, and Chromium's own connections (QUIC, component updates, sync, field
 * trials) would each be refused, many at a time.
 */
export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

const PACKAGE = "@sparticuz/chromium";

/** The path of the Chromium to launch: $KVPLACE_CHROMIUM, or the packaged one, unpacked once per installed version. */
export async function chromiumPath() {
  const given = process.env[ENV];
  if (given) {
    try {
      accessSync(given, constants.X_OK);
    } catch {
      throw new Error(`${ENV}=${given}: no executable there`);
    }
    return given;
  }
  return unpackedChromium();
}

async function unpackedChromium() {
  // The package is built for x64 Linux (AWS Lambda's), and it runs on Debian too; elsewhere name a browser.
  if (process.platform !== "linux" || process.arch !== "x64") {
    throw new Error(`${PACKAGE} runs on x64 Linux only: set ${ENV} to a Chromium or Chrome executable`);
  }
  let root;
  try {
    root = join(dirname(createRequire(import.meta.url).resolve(PACKAGE)), "..", "..");
  } catch {
    throw new Error(`${PACKAGE} is not installed: run npm ci, or set ${ENV} to a Chromium executable`);
  }
  const { version } = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
  const dir = fileURLToPath(new URL(`../node_modules/.cache/kvplace-chromium/${version}/`, import.meta.url));
  const binary = join(dir, "chromium");
  if (existsSync(binary)) return binary;
  mkdirSync(dir, { recursive: true });
  // Unpacked under a name of this process's own and renamed when complete: test processes that start
  // together never launch a half-written file.
  const partial = `${binary}.${process.pid}.partial`;
  try {
    await pipeline(createReadStream(join(root, "bin", "chromium.br")), createBrotliDecompress(), createWriteStream(partial, { mode: 0o755 }));
    renameSync(partial, binary);
  } finally {
    rmSync(partial, { force: true });
  }
  return binary;
}
