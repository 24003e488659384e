/** Vector conversions the native embedding bodies offer. */

/** Scales a vector to unit length (a zero vector stays zero). */
export function normalizeVector(vector: number[]): number[] {
  let sum = 0;
  for (const value of vector) sum += value * value;
  const norm = Math.sqrt(sum);
  return norm === 0 ? vector.slice() : vector.map((value) => value / norm);
}

/** Titan's `binary`: one 0/1 per dimension, 1 where the value is positive. */
export function toBitVector(vector: number[]): number[] {
  return vector.map((value) => (value > 0 ? 1 : 0));
}

/** Cohere's `int8`: each value scaled by the vector's largest magnitude into -127..127. */
export function toInt8(vector: number[]): number[] {
  const scale = Math.max(...vector.map(Math.abs));
  // Rounds half away from zero, so the scale is symmetric (Math.round(-63.5) would give -63).
  return scale === 0 ? vector.map(() => 0) : vector.map((value) => Math.sign(value) * Math.round(Math.abs(value / scale) * 127));
}

/** Cohere's `uint8`: `int8` shifted into 1..255. */
export function toUint8(vector: number[]): number[] {
  return toInt8(vector).map((value) => value + 128);
}

/** Cohere's `ubinary`: sign bits packed eight to a byte, first dimension in the high bit. */
export function toPackedBits(vector: number[]): number[] {
  const bytes: number[] = [];
  for (let start = 0; start < vector.length; start += 8) {
    let byte = 0;
    for (let bit = 0; bit < 8; bit++) byte = (byte << 1) | ((vector[start + bit] ?? 0) > 0 ? 1 : 0);
    bytes.push(byte);
  }
  return bytes;
}

/** Cohere's `binary`: `ubinary` as signed bytes (value - 128). */
export function toSignedPackedBits(vector: number[]): number[] {
  return toPackedBits(vector).map((byte) => byte - 128);
}
