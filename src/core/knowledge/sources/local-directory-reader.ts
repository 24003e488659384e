import { lstat, readFile, readdir, realpath, stat } from 'node:fs/promises';
import { basename, join, relative, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import picomatch from 'picomatch';
import { DocumentError } from '../document-error.js';
import { type DocumentMetadata, isSidecarName, parseMetadataSidecar, sidecarNameFor } from '../metadata/document-metadata.js';
import type { DataSourceReader, DocumentRef } from './data-source-reader.js';

export interface LocalDirectoryReaderOptions {
  /** the folder to index */
  root: string;
  /** globs relative to `root` (`**\/*.pdf`, `handbook/**`); when given, only matching files are listed */
  inclusionPatterns?: readonly string[];
  /** globs of files never listed; exclusion wins over inclusion */
  exclusionPatterns?: readonly string[];
  /** follow symbolic links that stay inside `root` (default: symbolic links are skipped) */
  followSymlinks?: boolean;
  /** files larger than this are refused by `read` as `too-large` (default 50 MiB) */
  maxFileBytes?: number;
}

/**
 * Lists and reads the files under a local folder, recursively and in name order. Document ids are
 * paths relative to the folder with `/` separators; `<file>.metadata.json` sidecars are not listed
 * but read by `metadata` and folded into the file's fingerprint (size and modification time of
 * both). Nothing outside the folder is ever read: ids with `..` and links that leave it are refused.
 *
 * @example
 * const reader = createLocalDirectoryReader({ root: '/srv/docs', exclusionPatterns: ['drafts/**'] });
 */
export function createLocalDirectoryReader(options: LocalDirectoryReaderOptions): DataSourceReader {
  const root = resolve(options.root);
  const included = options.inclusionPatterns?.length ? picomatch([...options.inclusionPatterns], { dot: true }) : undefined;
  const excluded = options.exclusionPatterns?.length ? picomatch([...options.exclusionPatterns], { dot: true }) : undefined;
  const maxFileBytes = options.maxFileBytes ?? 50 * 1024 * 1024;
  let realRoot: Promise<string> | undefined;

  /** The absolute path of a document id, if it stays inside the root (links resolved). */
  async function pathOf(id: string): Promise<string> {
    const path = resolve(root, ...id.split('/'));
    realRoot ??= realpath(root);
    const real = await realpath(path);
    if (!isInside(await realRoot, real) || (!options.followSymlinks && (await lstat(path)).isSymbolicLink())) {
      throw new DocumentError('unreadable', `${id} is outside the data source's folder.`);
    }
    return path;
  }

  async function* walk(directory: string): AsyncGenerator<DocumentRef> {
    const entries = (await readdir(directory, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const names = new Set(entries.map((entry) => entry.name));
    for (const entry of entries) {
      const path = join(directory, entry.name);
      let isDirectory = entry.isDirectory();
      let isFile = entry.isFile();
      if (entry.isSymbolicLink()) {
        if (!options.followSymlinks) continue;
        const target = await realpath(path).catch(() => undefined);
        realRoot ??= realpath(root);
        if (!target || !isInside(await realRoot, target)) continue;
        const targetStat = await stat(target);
        isDirectory = targetStat.isDirectory();
        isFile = targetStat.isFile();
      }
      const id = relative(root, path).split(sep).join('/');
      if (isDirectory) {
        yield* walk(path);
        continue;
      }
      if (!isFile || isSidecarName(entry.name)) continue;
      if ((included && !included(id)) || excluded?.(id)) continue;
      const file = await stat(path);
      const sidecar = names.has(sidecarNameFor(entry.name)) ? await stat(join(directory, sidecarNameFor(entry.name))).catch(() => undefined) : undefined;
      yield {
        id,
        uri: pathToFileURL(path).href,
        fileName: entry.name,
        size: file.size,
        modifiedAt: file.mtime,
        fingerprint: `${file.size}:${file.mtimeMs}${sidecar ? `|${sidecar.size}:${sidecar.mtimeMs}` : ''}`,
      };
    }
  }

  return {
    list() {
      return walk(root);
    },
    async read(ref) {
      try {
        const path = await pathOf(ref.id);
        const { size } = await stat(path);
        if (size > maxFileBytes) throw new DocumentError('too-large', `${ref.id} is ${size} bytes, over the ${maxFileBytes}-byte limit.`);
        return new Uint8Array(await readFile(path));
      } catch (error) {
        if (DocumentError.isInstance(error)) throw error;
        throw new DocumentError('unreadable', `${ref.id} could not be read: ${(error as Error).message}`, { cause: error });
      }
    },
    async metadata(ref): Promise<DocumentMetadata | undefined> {
      const id = `${ref.id}.metadata.json`;
      let bytes: Uint8Array;
      try {
        bytes = new Uint8Array(await readFile(await pathOf(id)));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        if (DocumentError.isInstance(error)) throw error;
        throw new DocumentError('unreadable', `${id} could not be read: ${(error as Error).message}`, { cause: error });
      }
      return parseMetadataSidecar(bytes, basename(id));
    },
  };
}

function isInside(root: string, path: string): boolean {
  const fromRoot = relative(root, path);
  return fromRoot !== '' && fromRoot !== '..' && !fromRoot.startsWith(`..${sep}`) && !fromRoot.startsWith(sep) && !/^[a-zA-Z]:/.test(fromRoot);
}
