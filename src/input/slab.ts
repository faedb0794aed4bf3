/**
 * Typed arrays carved from one buffer. In Node 20 a typed array of more than
 * 64 bytes gets a backing store of its own, which measured about 1 µs to
 * allocate (and more in garbage collection): more than validating the models
 * of an ADRS-sized problem. An instance's arrays therefore share one buffer,
 * counted before it is carved.
 */
export class Slab {
  private f64At = 0;
  private i32At: number;

  /** Room for `f64s` doubles and then 32-bit integers (doubles first: every view stays aligned). */
  constructor(
    private readonly buffer: ArrayBuffer,
    f64s: number,
  ) {
    this.i32At = 8 * f64s;
  }

  f64(length: number): Float64Array {
    const view = new Float64Array(this.buffer, this.f64At, length);
    this.f64At += 8 * length;
    return view;
  }

  i32(length: number): Int32Array {
    const view = new Int32Array(this.buffer, this.i32At, length);
    this.i32At += 4 * length;
    return view;
  }
}

/**
 * The buffer a solver validates every problem into, reused from solve to
 * solve: an instance is dead once its solve returns (the solution copies what
 * it reports), so a solver that solves again and again allocates no buffer at
 * all. Each slab overwrites the last one's arrays: only a caller that holds no
 * instance of an earlier slab may ask for another.
 */
export class Arena {
  private buffer = new ArrayBuffer(0);

  slab(f64s: number, i32s: number): Slab {
    const bytes = 8 * f64s + 4 * i32s;
    // Doubling: a solver that sees ever larger problems grows it a few times only.
    if (this.buffer.byteLength < bytes) this.buffer = new ArrayBuffer(Math.max(bytes, 2 * this.buffer.byteLength));
    return new Slab(this.buffer, f64s);
  }
}

/** A slab of a buffer of its own, for an instance that may outlive the next one. */
export function freshSlab(f64s: number, i32s: number): Slab {
  return new Slab(new ArrayBuffer(8 * f64s + 4 * i32s), f64s);
}
