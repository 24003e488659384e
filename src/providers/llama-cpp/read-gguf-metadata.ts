import { closeSync, openSync, readSync } from 'node:fs';
import { OutcropError } from '../../core/errors.js';

/** A metadata value: scalars as they are, arrays as their element count only. */
export type GgufMetadataValue = string | number | bigint | boolean | { arrayLength: number };

const scalarSizes: Record<number, number> = { 0: 1, 1: 1, 2: 2, 3: 2, 4: 4, 5: 4, 6: 4, 7: 1, 10: 8, 11: 8, 12: 8 };

/** Reads a file front to back in chunks, so a multi-gigabyte model costs only its header. */
class ChunkReader {
  private buffer = Buffer.alloc(0);
  private position = 0;
  private fileOffset = 0;

  constructor(private readonly fd: number) {}

  private ensure(bytes: number): void {
    if (this.buffer.length - this.position >= bytes) return;
    const rest = this.buffer.subarray(this.position);
    const chunk = Buffer.alloc(Math.max(bytes - rest.length, 1 << 20));
    const read = readSync(this.fd, chunk, 0, chunk.length, this.fileOffset);
    this.fileOffset += read;
    this.buffer = Buffer.concat([rest, chunk.subarray(0, read)]);
    this.position = 0;
    if (this.buffer.length < bytes) throw new OutcropError('ValidationException', 'The GGUF file ends inside its header; it is truncated or not a GGUF file.');
  }

  bytes(count: number): Buffer {
    this.ensure(count);
    const value = this.buffer.subarray(this.position, this.position + count);
    this.position += count;
    return value;
  }

  u32(): number {
    return this.bytes(4).readUInt32LE(0);
  }

  u64(): bigint {
    return this.bytes(8).readBigUInt64LE(0);
  }

  string(): string {
    const length = Number(this.u64());
    if (length > 1 << 24) throw new OutcropError('ValidationException', 'The GGUF header holds an implausibly long string; the file is corrupt.');
    return this.bytes(length).toString('utf8');
  }

  scalar(type: number): GgufMetadataValue {
    if (type === 8) return this.string();
    const size = scalarSizes[type];
    if (size === undefined) throw new OutcropError('ValidationException', `The GGUF header uses unknown value type ${type}; the file is corrupt or from a newer format.`);
    const bytes = this.bytes(size);
    switch (type) {
      case 0:
        return bytes.readUInt8(0);
      case 1:
        return bytes.readInt8(0);
      case 2:
        return bytes.readUInt16LE(0);
      case 3:
        return bytes.readInt16LE(0);
      case 4:
        return bytes.readUInt32LE(0);
      case 5:
        return bytes.readInt32LE(0);
      case 6:
        return bytes.readFloatLE(0);
      case 7:
        return bytes.readUInt8(0) !== 0;
      case 10:
        return bytes.readBigUInt64LE(0);
      case 11:
        return bytes.readBigInt64LE(0);
      default:
        return bytes.readDoubleLE(0);
    }
  }

  skipArray(itemType: number, length: number): void {
    if (itemType === 8) {
      for (let index = 0; index < length; index++) this.bytes(Number(this.u64()));
      return;
    }
    const size = scalarSizes[itemType];
    if (size === undefined) throw new OutcropError('ValidationException', `The GGUF header holds an array of unsupported type ${itemType}.`);
    this.bytes(size * length);
  }
}

/**
 * Reads a GGUF file's metadata (key/value header) without loading the model: the file's
 * `general.name`, `general.architecture`, `<arch>.embedding_length` and so on. Stops once every key
 * in `wanted` was seen. Throws `ValidationException` for a file that is not GGUF.
 *
 * @example
 * const metadata = readGgufMetadata('/models/smollm2.gguf', ['general.name']);
 * metadata.get('general.name'); // 'SmolLM2 135M Instruct'
 */
export function readGgufMetadata(path: string, wanted?: string[]): Map<string, GgufMetadataValue> {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    throw new OutcropError('ValidationException', `The model file ${path} cannot be read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}.`, { cause: error });
  }
  try {
    const reader = new ChunkReader(fd);
    if (reader.bytes(4).toString('latin1') !== 'GGUF') throw new OutcropError('ValidationException', `The model file ${path} is not a GGUF file.`);
    const version = reader.u32();
    if (version < 2 || version > 3) throw new OutcropError('ValidationException', `The model file ${path} is GGUF version ${version}; versions 2 and 3 are supported.`);
    reader.u64(); // tensor count
    const count = Number(reader.u64());
    const metadata = new Map<string, GgufMetadataValue>();
    const remaining = new Set(wanted);
    for (let index = 0; index < count && (wanted === undefined || remaining.size > 0); index++) {
      const key = reader.string();
      const type = reader.u32();
      if (type === 9) {
        const itemType = reader.u32();
        const length = Number(reader.u64());
        reader.skipArray(itemType, length);
        metadata.set(key, { arrayLength: length });
      } else {
        metadata.set(key, reader.scalar(type));
      }
      remaining.delete(key);
    }
    return metadata;
  } finally {
    closeSync(fd);
  }
}
