// The planning page. `npm run demo` serves it, `npm run demo:build` writes it to build/demo.
import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

const root = fileURLToPath(new URL("./", import.meta.url));
const repo = fileURLToPath(new URL("../", import.meta.url));
const dist = fileURLToPath(new URL("../dist/", import.meta.url));

export default defineConfig({
  root,
  // Relative asset URLs: the built page works from any folder, a file server or a subpath.
  base: "./",
  resolve: {
    // The page runs on the library as built by `npm run build`, the same files the package ships.
    alias: [
      { find: /^kvplace\/worker$/, replacement: `${dist}worker/index.js` },
      { find: /^kvplace$/, replacement: `${dist}index.js` },
    ],
  },
  server: { host: "127.0.0.1", fs: { allow: [repo] } },
  preview: { host: "127.0.0.1" },
  build: { outDir: fileURLToPath(new URL("../build/demo/", import.meta.url)), emptyOutDir: true },
});
