// The kernels are written once, in assembly/kernels/, in the subset of
// TypeScript that both asc and tsc accept. This step gives tsc its copy:
// src/engine/ts/kernels/ (generated, not committed), where the same relative
// imports reach the TypeScript accessor layer (src/engine/ts/memory.ts)
// instead of the WebAssembly one (assembly/memory.ts).
//
// What changes, and only this:
//  - import specifiers get the .js extension Node's ESM resolution needs, and
//    AssemblyScript's value types (i32, f64, bool) come from the type shim;
//  - accessor calls become typed-array indexing: `dem(i)` → `dem[i]`,
//    `setKey(i, v)` → `key[i] = v`. In WebAssembly the accessors are inlined
//    load/store; in JavaScript a call per element would cost more than the
//    kernels' work (V8 stops inlining past a budget), so the TypeScript
//    accessor layer is the arrays themselves. A scenario field's accessors
//    take the item and the scenario, and the layer holds one array per item:
//    `sDem(i, s)` → `sDem[i][s]`, `setSgDem(j, s, v)` → `sgDem[j][s] = v`.
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";

const from = new URL("../assembly/kernels/", import.meta.url);
const to = new URL("../src/engine/ts/kernels/", import.meta.url);
const layer = readFileSync(new URL("../src/engine/ts/memory.ts", import.meta.url), "utf8");
/** The typed arrays the TypeScript accessor layer exports: `export let dem: Float64Array`, `sDem: Float64Array[]`, … */
const ARRAYS = new Set([...layer.matchAll(/^export let (\w+): (?:Float64|Int32)Array\b/gm)].map((m) => m[1]));
const VALUE_TYPES = ["bool", "f64", "i32"];

/** The setter's array: setGDem → gDem. */
const arrayOfSetter = (name) => (name.startsWith("set") ? name[3].toLowerCase() + name.slice(4) : "");

const PAIRS = { "(": ")", "{": "}" };

/** Index of the parenthesis or brace closing the one at `open` (kernels hold neither in strings). */
function closing(text, open) {
  const [opener, closer] = [text[open], PAIRS[text[open]]];
  let depth = 0;
  for (let k = open; k < text.length; k++) {
    if (text[k] === opener) depth++;
    else if (text[k] === closer && --depth === 0) return k;
  }
  throw new Error(`unbalanced ${opener}${closer} after: ${text.slice(open, open + 40)}`);
}

/** The top-level comma-separated arguments of a call's inside. */
function splitArgs(inside) {
  const args = [];
  let depth = 0;
  let start = 0;
  for (let k = 0; k < inside.length; k++) {
    const c = inside[k];
    if (c === "(" || c === "[") depth++;
    else if (c === ")" || c === "]") depth--;
    else if (c === "," && depth === 0) {
      args.push(inside.slice(start, k).trim());
      start = k + 1;
    }
  }
  args.push(inside.slice(start).trim());
  return args;
}

/** Rewrites accessor calls into indexing, innermost arguments included. */
function index(text) {
  let out = "";
  let k = 0;
  const call = /(?<![\w.])([A-Za-z_]\w*)\(/g;
  for (let m = call.exec(text); m !== null; m = call.exec(text)) {
    const name = m[1];
    const setter = arrayOfSetter(name);
    const isGetter = ARRAYS.has(name);
    if (!isGetter && !ARRAYS.has(setter)) continue;
    const open = m.index + m[0].length - 1;
    const close = closing(text, open);
    const args = splitArgs(text.slice(open + 1, close)).map(index);
    const value = isGetter ? "" : ` = ${args.pop()}`;
    out += text.slice(k, m.index) + (isGetter ? name : setter) + args.map((a) => `[${a}]`).join("") + value;
    k = close + 1;
    call.lastIndex = k;
  }
  return out + text.slice(k);
}

/**
 * The accessor layer as one namespace, read into locals at the top of each
 * function: the arrays do not change during a kernel call, and locals let V8
 * hoist their checks out of the loops, where imported bindings would be loaded
 * and checked at every access.
 */
function hoistArrays(source) {
  const imported = source.match(/import\s*\{([^}]*)\}\s*from\s*"\.\.\/memory"/);
  if (imported === null) return source;
  const names = imported[1]
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean)
    .map((n) => (ARRAYS.has(arrayOfSetter(n)) ? arrayOfSetter(n) : n));
  const locals = [...new Set(names)];
  const text = source.replace(imported[0], 'import * as memory from "../memory"');
  const fn = /^(export )?function \w+\([^)]*\)[^{]*\{/gm;
  let out = "";
  let k = 0;
  for (let m = fn.exec(text); m !== null; m = fn.exec(text)) {
    const open = m.index + m[0].length - 1;
    const close = closing(text, open);
    const body = text.slice(open + 1, close);
    const used = locals.filter((name) => new RegExp(`(?<![\\w.])${name}(?!\\w)`).test(body));
    out += text.slice(k, open + 1) + (used.length > 0 ? `\n  const { ${used.join(", ")} } = memory;` : "");
    k = open + 1;
  }
  return out + text.slice(k);
}

rmSync(to, { recursive: true, force: true });
mkdirSync(to, { recursive: true });
for (const name of readdirSync(from).filter((f) => f.endsWith(".ts"))) {
  const source = readFileSync(new URL(name, from), "utf8");
  const body = hoistArrays(index(source)).replace(/(from\s+"\.{1,2}\/[^"]+)"/g, '$1.js"');
  const used = VALUE_TYPES.filter((t) => new RegExp(`\\b${t}\\b`).test(body));
  const shim = used.length > 0 ? `import type { ${used.join(", ")} } from "../portable-types.js";\n` : "";
  const banner = `// Generated by scripts/share-kernels.mjs from assembly/kernels/${name}: edit that file.\n`;
  writeFileSync(new URL(name, to), banner + shim + body);
}
