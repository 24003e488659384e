import { statSync } from 'node:fs';
import type { GgufFileInfo, Llama } from 'node-llama-cpp';
import { OutcropError } from '../../core/errors.js';
import type { NodeLlamaCpp } from './llama-cpp-runtime.js';

/** ggml's most tensor dimensions (`GGML_MAX_DIMS`) and longest tensor name (`GGML_MAX_NAME`, with its terminator). */
const maxDimensions = 4;
const maxNameBytes = 63;

/** A ggml tensor type's storage: elements per block and bytes per block. */
export interface GgmlTypeLayout {
  blockSize: number;
  typeSize: number;
}

/**
 * Block layouts of ggml's tensor types (ggml.c's `type_traits`), used when the loaded binding cannot
 * say; types llama.cpp removed (Q4_2, Q4_3, the Q4_0_4_4 family) are absent, so they are refused.
 */
const knownLayouts: Record<number, GgmlTypeLayout> = {
  0: { blockSize: 1, typeSize: 4 },
  1: { blockSize: 1, typeSize: 2 },
  2: { blockSize: 32, typeSize: 18 },
  3: { blockSize: 32, typeSize: 20 },
  6: { blockSize: 32, typeSize: 22 },
  7: { blockSize: 32, typeSize: 24 },
  8: { blockSize: 32, typeSize: 34 },
  9: { blockSize: 32, typeSize: 36 },
  10: { blockSize: 256, typeSize: 84 },
  11: { blockSize: 256, typeSize: 110 },
  12: { blockSize: 256, typeSize: 144 },
  13: { blockSize: 256, typeSize: 176 },
  14: { blockSize: 256, typeSize: 210 },
  15: { blockSize: 256, typeSize: 292 },
  16: { blockSize: 256, typeSize: 66 },
  17: { blockSize: 256, typeSize: 74 },
  18: { blockSize: 256, typeSize: 98 },
  19: { blockSize: 256, typeSize: 50 },
  20: { blockSize: 32, typeSize: 18 },
  21: { blockSize: 256, typeSize: 110 },
  22: { blockSize: 256, typeSize: 82 },
  23: { blockSize: 256, typeSize: 136 },
  24: { blockSize: 1, typeSize: 1 },
  25: { blockSize: 1, typeSize: 2 },
  26: { blockSize: 1, typeSize: 4 },
  27: { blockSize: 1, typeSize: 8 },
  28: { blockSize: 1, typeSize: 8 },
  29: { blockSize: 256, typeSize: 56 },
  30: { blockSize: 1, typeSize: 2 },
  34: { blockSize: 256, typeSize: 54 },
  35: { blockSize: 256, typeSize: 66 },
  39: { blockSize: 32, typeSize: 17 },
};

/** The part of node-llama-cpp's (internal) binding that knows the llama.cpp build's tensor types. */
interface TypeSizeBinding {
  getBlockSizeForGgmlType(type: number): number | undefined;
  getTypeSizeForGgmlType(type: number): number | undefined;
}

/**
 * The layout of a tensor type as this llama.cpp build knows it (its binding, else ggml's table);
 * `undefined` for a type it cannot load.
 *
 * @example
 * ggmlTypeLayout(llama, 8); // { blockSize: 32, typeSize: 34 } (Q8_0)
 */
export function ggmlTypeLayout(llama: Llama | undefined, type: number): GgmlTypeLayout | undefined {
  const binding = (llama as unknown as { _bindings?: Partial<TypeSizeBinding> } | undefined)?._bindings;
  if (typeof binding?.getBlockSizeForGgmlType === 'function' && typeof binding.getTypeSizeForGgmlType === 'function') {
    const blockSize = binding.getBlockSizeForGgmlType(type);
    const typeSize = binding.getTypeSizeForGgmlType(type);
    return blockSize && typeSize ? { blockSize, typeSize } : undefined;
  }
  return knownLayouts[type];
}

const splitPart = /-(\d{5})-of-(\d{5})\.gguf$/;

/** The files of a model: the path itself, or every part of a split GGUF (`name-00001-of-00003.gguf`). */
function modelParts(path: string): string[] {
  const match = splitPart.exec(path);
  if (!match) return [path];
  const parts = Number(match[2]);
  const stem = path.slice(0, match.index);
  return Array.from({ length: parts }, (_, index) => `${stem}-${String(index + 1).padStart(5, '0')}-of-${match[2]}.gguf`);
}

function corrupt(path: string, problem: string): OutcropError {
  return new OutcropError('ModelErrorException', `The model file ${path} is corrupt or incomplete: ${problem}. It was not loaded; replace the file (download it again).`);
}

/** Checks one GGUF file's tensor infos against its own size, as llama.cpp's loader would, without aborting. */
function checkTensors(path: string, info: GgufFileInfo, fileBytes: number, llama: Llama | undefined, typeName: (type: number) => string): void {
  // (node-llama-cpp's reader reads zeros past the end, so a header cut short parses into nonsense)
  if (info.infoEndOffset === undefined || info.infoEndOffset > fileBytes) {
    throw corrupt(path, `its header runs to byte ${info.infoEndOffset ?? 'unknown'} but the file has ${fileBytes} bytes: it is truncated`);
  }
  const alignmentValue = (info.metadata.general as { alignment?: unknown } | undefined)?.alignment ?? 32;
  const alignment = Number(alignmentValue);
  if (!Number.isInteger(alignment) || alignment <= 0 || (alignment & (alignment - 1)) !== 0) throw corrupt(path, `general.alignment is ${String(alignmentValue)}, not a power of two`);
  const tensors = info.tensorInfo ?? [];
  if (BigInt(tensors.length) !== BigInt(info.tensorCount)) throw corrupt(path, `its header announces ${info.tensorCount} tensors but describes ${tensors.length}`);
  const dataStart = BigInt(info.infoEndOffset ?? 0);
  const names = new Set<string>();
  let expectedOffset = 0n;
  for (const tensor of tensors) {
    const name = tensor.name;
    if (Buffer.byteLength(name) > maxNameBytes) throw corrupt(path, `a tensor name is ${Buffer.byteLength(name)} bytes long, more than ggml's ${maxNameBytes}`);
    if (names.has(name)) throw corrupt(path, `tensor '${name}' appears twice`);
    names.add(name);
    const dimensions = tensor.dimensions.map((dimension) => BigInt(dimension));
    if (dimensions.length < 1 || dimensions.length > maxDimensions) throw corrupt(path, `tensor '${name}' has ${dimensions.length} dimensions; ggml allows 1 to ${maxDimensions}`);
    if (dimensions.some((dimension) => dimension < 1n || dimension > 2n ** 53n)) throw corrupt(path, `tensor '${name}' has dimensions [${dimensions.join(', ')}]`);
    const layout = ggmlTypeLayout(llama, Number(tensor.ggmlType));
    if (!layout) throw corrupt(path, `tensor '${name}' has tensor type ${typeName(Number(tensor.ggmlType))}, which this llama.cpp build cannot load`);
    const [rowLength = 1n, ...rest] = dimensions;
    if (rowLength % BigInt(layout.blockSize) !== 0n) {
      throw corrupt(path, `tensor '${name}' has rows of ${rowLength} elements, not a multiple of its type's block of ${layout.blockSize}`);
    }
    const bytes = rest.reduce((total, dimension) => total * dimension, (rowLength / BigInt(layout.blockSize)) * BigInt(layout.typeSize));
    const offset = BigInt(tensor.offset);
    if (offset !== expectedOffset) throw corrupt(path, `tensor '${name}' has data offset ${offset}, but the tensors before it end at ${expectedOffset}`);
    const end = dataStart + offset + bytes;
    if (end > BigInt(fileBytes)) {
      throw corrupt(path, `tensor '${name}' needs bytes ${dataStart + offset} to ${end} but the file has ${fileBytes} (${end - BigInt(fileBytes)} missing): it is truncated`);
    }
    const padded = bytes + ((BigInt(alignment) - (bytes % BigInt(alignment))) % BigInt(alignment));
    expectedOffset += padded;
  }
}

async function readInfo(module: NodeLlamaCpp, path: string, splice: boolean): Promise<GgufFileInfo> {
  try {
    return await module.readGgufFileInfo(path, { sourceType: 'filesystem', readTensorInfo: true, logWarnings: false, spliceSplitFiles: splice });
  } catch (error) {
    throw corrupt(path, `its header cannot be read (${(error as Error).message})`);
  }
}

/**
 * Checks a GGUF model before llama.cpp sees it: every file (each part of a split model) must parse,
 * and each tensor must have 1 to 4 sane dimensions, a type this llama.cpp build knows, and its data
 * at the offset llama.cpp expects and inside the file. A bad file is refused with a
 * `ModelErrorException` naming the file and the problem, instead of reaching native code. Returns
 * the model's file info (split parts spliced), for resource estimates.
 *
 * @example
 * const info = await validateGgufFile(module, llama, '/models/smollm2.gguf');
 * info.tensorInfo?.length; // 273
 */
export async function validateGgufFile(module: NodeLlamaCpp, llama: Llama | undefined, path: string): Promise<GgufFileInfo> {
  const typeName = (type: number) => `${type}${module.GgmlType[type] ? ` (${module.GgmlType[type]})` : ''}`;
  const parts = modelParts(path);
  let first: GgufFileInfo | undefined;
  for (const part of parts) {
    let bytes: number;
    try {
      bytes = statSync(part).size;
    } catch (error) {
      throw new OutcropError('ValidationException', `The model ${path} is split into ${parts.length} files, and its part ${part} cannot be read (${(error as NodeJS.ErrnoException).code}).`, {
        cause: error,
      });
    }
    const info = await readInfo(module, part, false);
    checkTensors(part, info, bytes, llama, typeName);
    first ??= info;
  }
  if (parts.length > 1) return readInfo(module, path, true);
  return first as GgufFileInfo;
}
