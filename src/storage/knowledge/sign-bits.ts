/**
 * A vector's binary signature: one bit per dimension, set where the value is positive, packed
 * little-endian within each byte and padded to whole bytes (sqlite-vec's `bit[N]` layout). The
 * Hamming distance between signatures tracks the angle between centred vectors, which is what the
 * SQLite index uses to pick candidates before exact cosine rescoring.
 *
 * @example
 * signBits(new Float32Array([0.5, -1, 2])); // <Buffer 05>
 */
export function signBits(vector: Float32Array): Buffer {
  const bits = Buffer.alloc(Math.ceil(vector.length / 8));
  for (let index = 0; index < vector.length; index++) if (vector[index]! > 0) bits[index >> 3]! |= 1 << (index & 7);
  return bits;
}
