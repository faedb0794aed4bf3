// The WebAssembly accessor layer: the kernels' arrays as load/store at the
// offsets `bind` computes from the shared layout. src/engine/ts/memory.ts is
// the TypeScript engine's layer, with the same exports over typed arrays.
import { Field, elementBytes, fieldLength } from "./kernels/layout";

export let N: i32 = 0;
export let G: i32 = 0;
/** Demand scenarios; scenarios 1..K-1 are in the `s…` fields, K slots per item (scenario 0 in the plain fields). */
export let K: i32 = 1;
/** Membership entries (see kernels/topology). */
export let ENTRIES: i32 = 0;
let DEM: usize = 0;
let SIZE: usize = 0;
let MOVECOST: usize = 0;
let KEY: usize = 0;
let KVFLOOR: usize = 0;
let CAP: usize = 0;
let GDEM: usize = 0;
let GSIZE: usize = 0;
let GKVPR: usize = 0;
let GFLOOR: usize = 0;
let GSPARE: usize = 0;
let EXLASTK: usize = 0;
let EXRESTD: usize = 0;
let EXRESTS: usize = 0;
let EXMIND: usize = 0;
let EXMINS: usize = 0;
let SDEM: usize = 0;
let SGDEM: usize = 0;
let SEXRESTD: usize = 0;
let SEXMIND: usize = 0;
let SGHOT: usize = 0;
let GNODE: usize = 0;
let GZONE: usize = 0;
let NODEHEAD: usize = 0;
let NODENEXT: usize = 0;
let MMODEL: usize = 0;
let MNEXT: usize = 0;
let MLEVEL: usize = 0;
let MGROUP: usize = 0;
let SCALARS: usize = 0;
let ASSIGN: usize = 0;
let ORDER: usize = 0;
let PIN: usize = 0;
let CURRENT: usize = 0;
let GRP: usize = 0;
let COLO: usize = 0;
let NEXT: usize = 0;
let PREV: usize = 0;
let SCRATCH: usize = 0;
let HEAD: usize = 0;
let GHOT: usize = 0;
let GGROUPED: usize = 0;
let EXLASTG: usize = 0;
let EXBEST: usize = 0;
let RANK: usize = 0;
let RANKOF: usize = 0;
let COUNTERS: usize = 0;

/**
 * Binds the workspace for `n` models, `g` GPUs, `k` demand scenarios and `m`
 * membership entries laid out from byte `base`: each field right after the
 * last, the sums fieldOffset makes, kept as they go (a bind per new shape).
 */
export function bind(n: i32, g: i32, k: i32, m: i32, base: usize): void {
  N = n;
  G = g;
  K = k;
  ENTRIES = m;
  let at = base;
  DEM = at;
  at += <usize>(fieldLength(Field.dem, n, g, k, m) * <f64>elementBytes(Field.dem));
  SIZE = at;
  at += <usize>(fieldLength(Field.size, n, g, k, m) * <f64>elementBytes(Field.size));
  MOVECOST = at;
  at += <usize>(fieldLength(Field.moveCost, n, g, k, m) * <f64>elementBytes(Field.moveCost));
  KEY = at;
  at += <usize>(fieldLength(Field.key, n, g, k, m) * <f64>elementBytes(Field.key));
  KVFLOOR = at;
  at += <usize>(fieldLength(Field.kvFloor, n, g, k, m) * <f64>elementBytes(Field.kvFloor));
  CAP = at;
  at += <usize>(fieldLength(Field.cap, n, g, k, m) * <f64>elementBytes(Field.cap));
  GDEM = at;
  at += <usize>(fieldLength(Field.gDem, n, g, k, m) * <f64>elementBytes(Field.gDem));
  GSIZE = at;
  at += <usize>(fieldLength(Field.gSize, n, g, k, m) * <f64>elementBytes(Field.gSize));
  GKVPR = at;
  at += <usize>(fieldLength(Field.gKvpr, n, g, k, m) * <f64>elementBytes(Field.gKvpr));
  GFLOOR = at;
  at += <usize>(fieldLength(Field.gFloor, n, g, k, m) * <f64>elementBytes(Field.gFloor));
  GSPARE = at;
  at += <usize>(fieldLength(Field.gSpare, n, g, k, m) * <f64>elementBytes(Field.gSpare));
  EXLASTK = at;
  at += <usize>(fieldLength(Field.exLastK, n, g, k, m) * <f64>elementBytes(Field.exLastK));
  EXRESTD = at;
  at += <usize>(fieldLength(Field.exRestD, n, g, k, m) * <f64>elementBytes(Field.exRestD));
  EXRESTS = at;
  at += <usize>(fieldLength(Field.exRestS, n, g, k, m) * <f64>elementBytes(Field.exRestS));
  EXMIND = at;
  at += <usize>(fieldLength(Field.exMinD, n, g, k, m) * <f64>elementBytes(Field.exMinD));
  EXMINS = at;
  at += <usize>(fieldLength(Field.exMinS, n, g, k, m) * <f64>elementBytes(Field.exMinS));
  SDEM = at;
  at += <usize>(fieldLength(Field.sDem, n, g, k, m) * <f64>elementBytes(Field.sDem));
  SGDEM = at;
  at += <usize>(fieldLength(Field.sgDem, n, g, k, m) * <f64>elementBytes(Field.sgDem));
  SEXRESTD = at;
  at += <usize>(fieldLength(Field.sExRestD, n, g, k, m) * <f64>elementBytes(Field.sExRestD));
  SEXMIND = at;
  at += <usize>(fieldLength(Field.sExMinD, n, g, k, m) * <f64>elementBytes(Field.sExMinD));
  SCALARS = at;
  at += <usize>(fieldLength(Field.scalars, n, g, k, m) * <f64>elementBytes(Field.scalars));
  ASSIGN = at;
  at += <usize>(fieldLength(Field.assign, n, g, k, m) * <f64>elementBytes(Field.assign));
  ORDER = at;
  at += <usize>(fieldLength(Field.order, n, g, k, m) * <f64>elementBytes(Field.order));
  PIN = at;
  at += <usize>(fieldLength(Field.pin, n, g, k, m) * <f64>elementBytes(Field.pin));
  CURRENT = at;
  at += <usize>(fieldLength(Field.current, n, g, k, m) * <f64>elementBytes(Field.current));
  GRP = at;
  at += <usize>(fieldLength(Field.grp, n, g, k, m) * <f64>elementBytes(Field.grp));
  COLO = at;
  at += <usize>(fieldLength(Field.colo, n, g, k, m) * <f64>elementBytes(Field.colo));
  NEXT = at;
  at += <usize>(fieldLength(Field.next, n, g, k, m) * <f64>elementBytes(Field.next));
  PREV = at;
  at += <usize>(fieldLength(Field.prev, n, g, k, m) * <f64>elementBytes(Field.prev));
  SCRATCH = at;
  at += <usize>(fieldLength(Field.scratch, n, g, k, m) * <f64>elementBytes(Field.scratch));
  HEAD = at;
  at += <usize>(fieldLength(Field.head, n, g, k, m) * <f64>elementBytes(Field.head));
  GHOT = at;
  at += <usize>(fieldLength(Field.gHot, n, g, k, m) * <f64>elementBytes(Field.gHot));
  GGROUPED = at;
  at += <usize>(fieldLength(Field.gGrouped, n, g, k, m) * <f64>elementBytes(Field.gGrouped));
  SGHOT = at;
  at += <usize>(fieldLength(Field.sgHot, n, g, k, m) * <f64>elementBytes(Field.sgHot));
  GNODE = at;
  at += <usize>(fieldLength(Field.gNode, n, g, k, m) * <f64>elementBytes(Field.gNode));
  GZONE = at;
  at += <usize>(fieldLength(Field.gZone, n, g, k, m) * <f64>elementBytes(Field.gZone));
  NODEHEAD = at;
  at += <usize>(fieldLength(Field.nodeHead, n, g, k, m) * <f64>elementBytes(Field.nodeHead));
  NODENEXT = at;
  at += <usize>(fieldLength(Field.nodeNext, n, g, k, m) * <f64>elementBytes(Field.nodeNext));
  MMODEL = at;
  at += <usize>(fieldLength(Field.mModel, n, g, k, m) * <f64>elementBytes(Field.mModel));
  MNEXT = at;
  at += <usize>(fieldLength(Field.mNext, n, g, k, m) * <f64>elementBytes(Field.mNext));
  MLEVEL = at;
  at += <usize>(fieldLength(Field.mLevel, n, g, k, m) * <f64>elementBytes(Field.mLevel));
  MGROUP = at;
  at += <usize>(fieldLength(Field.mGroup, n, g, k, m) * <f64>elementBytes(Field.mGroup));
  EXLASTG = at;
  at += <usize>(fieldLength(Field.exLastG, n, g, k, m) * <f64>elementBytes(Field.exLastG));
  EXBEST = at;
  at += <usize>(fieldLength(Field.exBest, n, g, k, m) * <f64>elementBytes(Field.exBest));
  RANK = at;
  at += <usize>(fieldLength(Field.rank, n, g, k, m) * <f64>elementBytes(Field.rank));
  RANKOF = at;
  at += <usize>(fieldLength(Field.rankOf, n, g, k, m) * <f64>elementBytes(Field.rankOf));
  COUNTERS = at;
  at += <usize>(fieldLength(Field.counters, n, g, k, m) * <f64>elementBytes(Field.counters));
}

@inline function f(p: usize, i: i32): f64 { return load<f64>(p + (<usize>i << 3)); }
@inline function setF(p: usize, i: i32, v: f64): void { store<f64>(p + (<usize>i << 3), v); }
@inline function n32(p: usize, i: i32): i32 { return load<i32>(p + (<usize>i << 2)); }
@inline function setN32(p: usize, i: i32, v: i32): void { store<i32>(p + (<usize>i << 2), v); }

// Scenario s of item i in a scenario field: element i·K + s, in usize so it cannot wrap.
@inline function sf(p: usize, i: i32, s: i32): usize {
  return p + ((<usize>i * <usize>K + <usize>s) << 3);
}
@inline function sn32(p: usize, i: i32, s: i32): usize {
  return p + ((<usize>i * <usize>K + <usize>s) << 2);
}

@inline export function sDem(i: i32, s: i32): f64 { return load<f64>(sf(SDEM, i, s)); }
@inline export function sgDem(j: i32, s: i32): f64 { return load<f64>(sf(SGDEM, j, s)); }
@inline export function setSgDem(j: i32, s: i32, v: f64): void { store<f64>(sf(SGDEM, j, s), v); }
@inline export function sExRestD(k: i32, s: i32): f64 { return load<f64>(sf(SEXRESTD, k, s)); }
@inline export function setSExRestD(k: i32, s: i32, v: f64): void { store<f64>(sf(SEXRESTD, k, s), v); }
@inline export function sExMinD(k: i32, s: i32): f64 { return load<f64>(sf(SEXMIND, k, s)); }
@inline export function setSExMinD(k: i32, s: i32, v: f64): void { store<f64>(sf(SEXMIND, k, s), v); }
@inline export function sgHot(j: i32, s: i32): i32 { return load<i32>(sn32(SGHOT, j, s)); }
@inline export function setSgHot(j: i32, s: i32, v: i32): void { store<i32>(sn32(SGHOT, j, s), v); }
/**
 * GPU j's demand in its busiest scenario once model `out` leaves it and model
 * `inn` joins it (-1: none), each scenario summed in the order of the
 * single-scenario expression `gDem(j) - dem(out) + dem(inn)`. KVPR grows with
 * demand at a fixed free memory, so the GPU's worst KVPR over the scenarios is
 * the KVPR of this peak. Once the peak passes `above`, the scan may stop and
 * return what it has (also above it): callers that only test against a
 * threshold pass it (see loadAbove), the others Infinity.
 *
 * The one computation the kernels leave to the accessor layers
 * (src/engine/ts/memory.ts has the same): here inlined, so that no hot loop
 * holds a call, and in the SIMD build (kvplace.wasm) two scenarios per
 * instruction; the scalar build (kvplace-scalar.wasm, for runtimes without
 * SIMD) takes them one at a time. Each lane's sums are the scalar ones, and a
 * max does not depend on the order it is taken in, so every build and engine
 * agrees.
 */
@inline export function peakLoad(j: i32, out: i32, inn: i32, above: f64): f64 {
  let peak = gDem(j);
  if (out >= 0) peak -= dem(out);
  if (inn >= 0) peak += dem(inn);
  return K > 1 && peak <= above ? scenarioPeak(j, out, inn, peak, above) : peak;
}

/** max(`peak`, GPU j's load in scenarios 1..K−1 after the change), two scenarios at a time where SIMD is built in; may stop past `above`. */
@inline function scenarioPeak(j: i32, out: i32, inn: i32, peak: f64, above: f64): f64 {
  const row = SGDEM + ((<usize>j * <usize>K) << 3);
  const outRow = out >= 0 ? SDEM + ((<usize>out * <usize>K) << 3) : 0;
  const innRow = inn >= 0 ? SDEM + ((<usize>inn * <usize>K) << 3) : 0;
  const k = <usize>K;
  let best = peak;
  if (!ASC_FEATURE_SIMD) {
    for (let s: usize = 1; s < k && best <= above; s++) {
      const v = scenarioLoad(row, outRow, innRow, s);
      if (v > best) best = v;
    }
    return best;
  }
  const limit = f64x2.splat(above);
  let acc = f64x2.splat(peak);
  let s: usize = 1;
  for (; s + 1 < k; s += 2) {
    let v = v128.load(row + (s << 3));
    if (outRow !== 0) v = f64x2.sub(v, v128.load(outRow + (s << 3)));
    if (innRow !== 0) v = f64x2.add(v, v128.load(innRow + (s << 3)));
    acc = f64x2.pmax(acc, v);
    if (v128.any_true(f64x2.gt(v, limit))) break;
  }
  best = Math.max(f64x2.extract_lane(acc, 0), f64x2.extract_lane(acc, 1));
  if (s + 1 === k && best <= above) {
    const v = scenarioLoad(row, outRow, innRow, s);
    if (v > best) best = v;
  }
  return best;
}

/** A GPU's load in scenario s after the change: its row's entry, less the leaving model's, plus the joining one's (rows at 0: no such model). */
@inline function scenarioLoad(row: usize, outRow: usize, innRow: usize, s: usize): f64 {
  let v = load<f64>(row + (s << 3));
  if (outRow !== 0) v -= load<f64>(outRow + (s << 3));
  if (innRow !== 0) v += load<f64>(innRow + (s << 3));
  return v;
}

@inline export function dem(i: i32): f64 { return f(DEM, i); }
@inline export function size(i: i32): f64 { return f(SIZE, i); }
@inline export function moveCost(i: i32): f64 { return f(MOVECOST, i); }
@inline export function key(i: i32): f64 { return f(KEY, i); }
@inline export function setKey(i: i32, v: f64): void { setF(KEY, i, v); }
@inline export function kvFloor(i: i32): f64 { return f(KVFLOOR, i); }
@inline export function cap(j: i32): f64 { return f(CAP, j); }
@inline export function gFloor(j: i32): f64 { return f(GFLOOR, j); }
@inline export function setGFloor(j: i32, v: f64): void { setF(GFLOOR, j, v); }
@inline export function gSpare(j: i32): f64 { return f(GSPARE, j); }
@inline export function gNode(j: i32): i32 { return n32(GNODE, j); }
@inline export function gZone(j: i32): i32 { return n32(GZONE, j); }
@inline export function nodeHead(v: i32): i32 { return n32(NODEHEAD, v); }
@inline export function nodeNext(j: i32): i32 { return n32(NODENEXT, j); }
@inline export function mModel(e: i32): i32 { return n32(MMODEL, e); }
@inline export function mNext(e: i32): i32 { return n32(MNEXT, e); }
@inline export function mLevel(e: i32): i32 { return n32(MLEVEL, e); }
@inline export function mGroup(e: i32): i32 { return n32(MGROUP, e); }
@inline export function gDem(j: i32): f64 { return f(GDEM, j); }
@inline export function setGDem(j: i32, v: f64): void { setF(GDEM, j, v); }
@inline export function gSize(j: i32): f64 { return f(GSIZE, j); }
@inline export function setGSize(j: i32, v: f64): void { setF(GSIZE, j, v); }
@inline export function gKvpr(j: i32): f64 { return f(GKVPR, j); }
@inline export function setGKvpr(j: i32, v: f64): void { setF(GKVPR, j, v); }
@inline export function exLastK(k: i32): f64 { return f(EXLASTK, k); }
@inline export function setExLastK(k: i32, v: f64): void { setF(EXLASTK, k, v); }
@inline export function exRestD(k: i32): f64 { return f(EXRESTD, k); }
@inline export function setExRestD(k: i32, v: f64): void { setF(EXRESTD, k, v); }
@inline export function exRestS(k: i32): f64 { return f(EXRESTS, k); }
@inline export function setExRestS(k: i32, v: f64): void { setF(EXRESTS, k, v); }
@inline export function exMinD(k: i32): f64 { return f(EXMIND, k); }
@inline export function setExMinD(k: i32, v: f64): void { setF(EXMIND, k, v); }
@inline export function exMinS(k: i32): f64 { return f(EXMINS, k); }
@inline export function setExMinS(k: i32, v: f64): void { setF(EXMINS, k, v); }
@inline export function scalar(k: i32): f64 { return f(SCALARS, k); }
@inline export function setScalar(k: i32, v: f64): void { setF(SCALARS, k, v); }
@inline export function assign(i: i32): i32 { return n32(ASSIGN, i); }
@inline export function setAssign(i: i32, v: i32): void { setN32(ASSIGN, i, v); }
@inline export function order(k: i32): i32 { return n32(ORDER, k); }
@inline export function setOrder(k: i32, v: i32): void { setN32(ORDER, k, v); }
@inline export function pin(i: i32): i32 { return n32(PIN, i); }
@inline export function current(i: i32): i32 { return n32(CURRENT, i); }
@inline export function grp(i: i32): i32 { return n32(GRP, i); }
@inline export function colo(i: i32): i32 { return n32(COLO, i); }
@inline export function next(i: i32): i32 { return n32(NEXT, i); }
@inline export function setNext(i: i32, v: i32): void { setN32(NEXT, i, v); }
@inline export function prev(i: i32): i32 { return n32(PREV, i); }
@inline export function setPrev(i: i32, v: i32): void { setN32(PREV, i, v); }
@inline export function scratch(k: i32): i32 { return n32(SCRATCH, k); }
@inline export function setScratch(k: i32, v: i32): void { setN32(SCRATCH, k, v); }
@inline export function head(j: i32): i32 { return n32(HEAD, j); }
@inline export function setHead(j: i32, v: i32): void { setN32(HEAD, j, v); }
@inline export function gHot(j: i32): i32 { return n32(GHOT, j); }
@inline export function setGHot(j: i32, v: i32): void { setN32(GHOT, j, v); }
@inline export function gGrouped(j: i32): i32 { return n32(GGROUPED, j); }
@inline export function setGGrouped(j: i32, v: i32): void { setN32(GGROUPED, j, v); }
@inline export function exLastG(k: i32): i32 { return n32(EXLASTG, k); }
@inline export function setExLastG(k: i32, v: i32): void { setN32(EXLASTG, k, v); }
@inline export function setExBest(i: i32, v: i32): void { setN32(EXBEST, i, v); }
@inline export function rank(r: i32): i32 { return n32(RANK, r); }
@inline export function setRank(r: i32, v: i32): void { setN32(RANK, r, v); }
@inline export function rankOf(j: i32): i32 { return n32(RANKOF, j); }
@inline export function setRankOf(j: i32, v: i32): void { setN32(RANKOF, j, v); }
@inline export function counter(k: i32): i32 { return n32(COUNTERS, k); }
@inline export function setCounter(k: i32, v: i32): void { setN32(COUNTERS, k, v); }
