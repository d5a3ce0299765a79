/**
 * Typed arrays lent from one message to the next. Allocating one costs about a microsecond and, being memory
 * outside the heap, nudges the garbage collector: for a small Inform that was a tenth of its decode. Only the
 * envelope decoder gives them back (XmlDocument.release), once nothing it made can read them again.
 */
let spareRecords: Int32Array | null = null;
let spareChunks: Uint8Array | null = null;
/** Larger arrays are left to the collector: a hostile message must not leave megabytes held for good. */
const MAX_SPARE_BYTES = 3 << 20;

/** An Int32Array of at least `length` elements, contents unspecified. */
export function borrowInt32(length: number): Int32Array {
  const spare = spareRecords;
  if (spare !== null && spare.length >= length) {
    spareRecords = null;
    return spare;
  }
  return new Int32Array(length);
}

export function returnInt32(array: Int32Array): void {
  if (array.byteLength <= MAX_SPARE_BYTES) spareRecords = array;
}

/** A zeroed Uint8Array of exactly `length` elements (a view of a spare one when one is large enough). */
export function borrowZeroedUint8(length: number): Uint8Array {
  const spare = spareChunks;
  if (spare !== null && spare.length >= length) {
    spareChunks = null;
    return spare.subarray(0, length).fill(0);
  }
  return new Uint8Array(length);
}

export function returnUint8(array: Uint8Array): void {
  const whole = new Uint8Array(array.buffer);
  if (whole.byteLength <= MAX_SPARE_BYTES) spareChunks = whole;
}
