// The WebAssembly accessor layer: the kernels' arrays as load/store at the
// offsets `bind` computes from the shared layout. src/engine/ts/memory.ts is
// the TypeScript engine's layer, with the same exports over typed arrays.
import { Field, fieldOffset } from "./kernels/layout";

export let N: i32 = 0;
export let G: i32 = 0;
let DEM: usize = 0;
let SIZE: usize = 0;
let MOVECOST: usize = 0;
let KEY: usize = 0;
let CAP: usize = 0;
let GDEM: usize = 0;
let GSIZE: usize = 0;
let GKVPR: usize = 0;
let EXLASTK: usize = 0;
let EXRESTD: usize = 0;
let EXRESTS: usize = 0;
let EXMIND: usize = 0;
let EXMINS: usize = 0;
let SCALARS: usize = 0;
let ASSIGN: usize = 0;
let ORDER: usize = 0;
let PIN: usize = 0;
let CURRENT: usize = 0;
let GRP: usize = 0;
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

@inline function at(base: usize, field: Field, n: i32, g: i32): usize {
  return base + <usize>fieldOffset(field, n, g);
}

/** Binds the workspace for `n` models and `g` GPUs laid out from byte `base`. */
export function bind(n: i32, g: i32, base: usize): void {
  N = n;
  G = g;
  DEM = at(base, Field.dem, n, g);
  SIZE = at(base, Field.size, n, g);
  MOVECOST = at(base, Field.moveCost, n, g);
  KEY = at(base, Field.key, n, g);
  CAP = at(base, Field.cap, n, g);
  GDEM = at(base, Field.gDem, n, g);
  GSIZE = at(base, Field.gSize, n, g);
  GKVPR = at(base, Field.gKvpr, n, g);
  EXLASTK = at(base, Field.exLastK, n, g);
  EXRESTD = at(base, Field.exRestD, n, g);
  EXRESTS = at(base, Field.exRestS, n, g);
  EXMIND = at(base, Field.exMinD, n, g);
  EXMINS = at(base, Field.exMinS, n, g);
  SCALARS = at(base, Field.scalars, n, g);
  ASSIGN = at(base, Field.assign, n, g);
  ORDER = at(base, Field.order, n, g);
  PIN = at(base, Field.pin, n, g);
  CURRENT = at(base, Field.current, n, g);
  GRP = at(base, Field.grp, n, g);
  NEXT = at(base, Field.next, n, g);
  PREV = at(base, Field.prev, n, g);
  SCRATCH = at(base, Field.scratch, n, g);
  HEAD = at(base, Field.head, n, g);
  GHOT = at(base, Field.gHot, n, g);
  GGROUPED = at(base, Field.gGrouped, n, g);
  EXLASTG = at(base, Field.exLastG, n, g);
  EXBEST = at(base, Field.exBest, n, g);
  RANK = at(base, Field.rank, n, g);
  RANKOF = at(base, Field.rankOf, n, g);
  COUNTERS = at(base, Field.counters, n, g);
}

@inline function f(p: usize, i: i32): f64 { return load<f64>(p + (<usize>i << 3)); }
@inline function setF(p: usize, i: i32, v: f64): void { store<f64>(p + (<usize>i << 3), v); }
@inline function n32(p: usize, i: i32): i32 { return load<i32>(p + (<usize>i << 2)); }
@inline function setN32(p: usize, i: i32, v: i32): void { store<i32>(p + (<usize>i << 2), v); }

@inline export function dem(i: i32): f64 { return f(DEM, i); }
@inline export function size(i: i32): f64 { return f(SIZE, i); }
@inline export function moveCost(i: i32): f64 { return f(MOVECOST, i); }
@inline export function key(i: i32): f64 { return f(KEY, i); }
@inline export function setKey(i: i32, v: f64): void { setF(KEY, i, v); }
@inline export function cap(j: i32): f64 { return f(CAP, j); }
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
