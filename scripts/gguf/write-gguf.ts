/**
 * A GGUF v3 writer (the binary format of llama.cpp models), written by hand so the tests can make
 * real model files without Python or network access.
 *
 * Layout: magic `GGUF`, version 3 (u32), tensor count (u64), metadata count (u64); the metadata
 * (key string, value type u32, value); the tensor infos (name, dimension count u32, dimensions u64
 * innermost first, ggml type u32, offset u64 relative to the data section); padding to the
 * alignment; the tensor data, each tensor starting at a multiple of the alignment.
 *
 * @example
 * writeGguf('model.gguf', {
 *   metadata: [['general.architecture', string('llama')]],
 *   tensors: [{ name: 'output_norm.weight', dimensions: [576], type: 'F32', fill: (bytes) => bytes.fill(0) }],
 * });
 */
import { closeSync, openSync, writeSync } from 'node:fs';

const valueType = { UINT8: 0, INT8: 1, UINT16: 2, INT16: 3, UINT32: 4, INT32: 5, FLOAT32: 6, BOOL: 7, STRING: 8, ARRAY: 9, UINT64: 10, INT64: 11, FLOAT64: 12 } as const;
type ScalarType = Exclude<keyof typeof valueType, 'ARRAY'>;

/** One typed metadata value. */
export type GgufValue = { type: ScalarType; value: number | bigint | boolean | string } | { type: 'ARRAY'; itemType: ScalarType; values: (number | bigint | boolean | string)[] };

export const string = (value: string): GgufValue => ({ type: 'STRING', value });
export const uint32 = (value: number): GgufValue => ({ type: 'UINT32', value });
export const int32 = (value: number): GgufValue => ({ type: 'INT32', value });
export const float32 = (value: number): GgufValue => ({ type: 'FLOAT32', value });
export const bool = (value: boolean): GgufValue => ({ type: 'BOOL', value });
export const array = (itemType: ScalarType, values: (number | bigint | boolean | string)[]): GgufValue => ({ type: 'ARRAY', itemType, values });

/** ggml tensor types this writer emits, with their element sizes. */
export const tensorTypes = { F32: { id: 0, bytes: 4 }, F16: { id: 1, bytes: 2 } } as const;

export interface GgufTensor {
  name: string;
  /** ggml order: the row length first (`[n_embd, n_vocab]` for an embedding matrix) */
  dimensions: number[];
  type: keyof typeof tensorTypes;
  /** fills the tensor's bytes (called once, with a buffer of exactly the tensor's size) */
  fill(bytes: Buffer): void;
}

export interface GgufDocument {
  metadata: [string, GgufValue][];
  tensors: GgufTensor[];
  /** `general.alignment`; 32 unless set */
  alignment?: number;
}

/** Serializes metadata and tensor infos, the part before the data section. */
class HeaderWriter {
  private chunks: Buffer[] = [];
  length = 0;

  push(buffer: Buffer): void {
    this.chunks.push(buffer);
    this.length += buffer.length;
  }

  u32(value: number): void {
    const buffer = Buffer.alloc(4);
    buffer.writeUInt32LE(value);
    this.push(buffer);
  }

  u64(value: number | bigint): void {
    const buffer = Buffer.alloc(8);
    buffer.writeBigUInt64LE(BigInt(value));
    this.push(buffer);
  }

  string(value: string): void {
    const bytes = Buffer.from(value, 'utf8');
    this.u64(bytes.length);
    this.push(bytes);
  }

  scalar(type: ScalarType, value: number | bigint | boolean | string): void {
    if (type === 'STRING') this.string(String(value));
    else this.push(encodeScalar(type, value));
  }

  value(value: GgufValue): void {
    this.u32(valueType[value.type]);
    if (value.type === 'ARRAY') {
      this.u32(valueType[value.itemType]);
      this.u64(value.values.length);
      for (const item of value.values) this.scalar(value.itemType, item);
    } else {
      this.scalar(value.type, value.value);
    }
  }

  pad(alignment: number): void {
    const padding = (alignment - (this.length % alignment)) % alignment;
    if (padding) this.push(Buffer.alloc(padding));
  }

  toBuffer(): Buffer {
    return Buffer.concat(this.chunks);
  }
}

/** A non-string scalar in its little-endian binary form. */
function encodeScalar(type: Exclude<ScalarType, 'STRING'>, value: number | bigint | boolean | string): Buffer {
  const buffer = Buffer.alloc(8);
  switch (type) {
    case 'BOOL':
      return Buffer.from([value ? 1 : 0]);
    case 'UINT8':
      buffer.writeUInt8(Number(value));
      return buffer.subarray(0, 1);
    case 'INT8':
      buffer.writeInt8(Number(value));
      return buffer.subarray(0, 1);
    case 'UINT16':
      buffer.writeUInt16LE(Number(value));
      return buffer.subarray(0, 2);
    case 'INT16':
      buffer.writeInt16LE(Number(value));
      return buffer.subarray(0, 2);
    case 'UINT32':
      buffer.writeUInt32LE(Number(value));
      return buffer.subarray(0, 4);
    case 'INT32':
      buffer.writeInt32LE(Number(value));
      return buffer.subarray(0, 4);
    case 'FLOAT32':
      buffer.writeFloatLE(Number(value));
      return buffer.subarray(0, 4);
    case 'UINT64':
      buffer.writeBigUInt64LE(BigInt(value as number));
      return buffer;
    case 'INT64':
      buffer.writeBigInt64LE(BigInt(value as number));
      return buffer;
    case 'FLOAT64':
      buffer.writeDoubleLE(Number(value));
      return buffer;
  }
}

function alignUp(value: number, alignment: number): number {
  return Math.ceil(value / alignment) * alignment;
}

/** Writes a GGUF v3 file. Tensor data is produced one tensor at a time, so large files stay cheap in memory. */
export function writeGguf(path: string, document: GgufDocument): void {
  const alignment = document.alignment ?? 32;
  const metadata = document.metadata.filter(([key]) => key !== 'general.alignment');
  if (alignment !== 32) metadata.push(['general.alignment', uint32(alignment)]);
  const header = new HeaderWriter();
  header.push(Buffer.from('GGUF', 'ascii'));
  header.u32(3);
  header.u64(document.tensors.length);
  header.u64(metadata.length);
  for (const [key, value] of metadata) {
    header.string(key);
    header.value(value);
  }
  let offset = 0;
  const sizes: number[] = [];
  for (const tensor of document.tensors) {
    const size = tensor.dimensions.reduce((product, dimension) => product * dimension, 1) * tensorTypes[tensor.type].bytes;
    sizes.push(size);
    header.string(tensor.name);
    header.u32(tensor.dimensions.length);
    for (const dimension of tensor.dimensions) header.u64(dimension);
    header.u32(tensorTypes[tensor.type].id);
    header.u64(offset);
    offset = alignUp(offset + size, alignment);
  }
  header.pad(alignment);
  const fd = openSync(path, 'w');
  try {
    writeSync(fd, header.toBuffer());
    document.tensors.forEach((tensor, index) => {
      const size = sizes[index] as number;
      const bytes = Buffer.alloc(alignUp(size, alignment));
      tensor.fill(bytes.subarray(0, size));
      writeSync(fd, index === document.tensors.length - 1 ? bytes.subarray(0, size) : bytes);
    });
  } finally {
    closeSync(fd);
  }
}
