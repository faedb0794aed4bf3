// Which of the two builds of the kernels this runtime takes: kvplace.wasm scans
// demand scenarios two per SIMD instruction; kvplace-scalar.wasm, the same
// source built without SIMD, runs where WebAssembly has no SIMD (Safari before
// 16.4, some embedded runtimes). A runtime without SIMD refuses any module that
// names the v128 type, so a module of a few bytes asks.

/** (module (func (result v128) i32.const 0 i8x16.splat)), assembled by hand. */
export const SIMD_PROBE = new Uint8Array([
  0x00,
  0x61,
  0x73,
  0x6d,
  0x01,
  0x00,
  0x00,
  0x00, // magic, version 1
  0x01,
  0x05,
  0x01,
  0x60,
  0x00,
  0x01,
  0x7b, // types: () -> v128
  0x03,
  0x02,
  0x01,
  0x00, // functions: one, of that type
  0x0a,
  0x08,
  0x01,
  0x06,
  0x00,
  0x41,
  0x00,
  0xfd,
  0x0f,
  0x0b, // code: i32.const 0, i8x16.splat, end
]);

/** Whether this runtime's WebAssembly has fixed-width SIMD. */
export function hasSimd(): boolean {
  return WebAssembly.validate(SIMD_PROBE);
}
