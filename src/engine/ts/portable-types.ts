// AssemblyScript's value types as the TypeScript engine sees them: the shared
// kernels (assembly/kernels/) are typed with these, and scripts/share-kernels.mjs
// imports them into the TypeScript copy. Integer semantics are not emulated:
// the shared subset's rules (docs/CONTRIBUTING.md) keep kernels off the
// operations where i32 and a JS number differ.
export type i32 = number;
export type f64 = number;
export type bool = boolean;
