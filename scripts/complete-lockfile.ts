/**
 * Adds missing platform packages to package-lock.json. A registry mirror that lacks other platforms'
 * builds (this sandbox's does) makes `npm install` drop the lock entries of optional dependencies
 * such as `@biomejs/cli-darwin-arm64` or `@node-llama-cpp/win-x64`, and `npm ci` then refuses the
 * lock as out of sync. Each missing entry is restored with its exact version and the os/cpu/libc its
 * name states, so npm skips it on every other platform; entries the script cannot place are listed.
 *
 * Usage: `tsx scripts/complete-lockfile.ts` (after `npm install`), then commit package-lock.json.
 */
import { readFileSync, writeFileSync } from 'node:fs';

interface LockPackage {
  version?: string;
  dev?: boolean;
  optional?: boolean;
  optionalDependencies?: Record<string, string>;
  os?: string[];
  cpu?: string[];
  libc?: string[];
}

const file = 'package-lock.json';
const lock = JSON.parse(readFileSync(file, 'utf8')) as { packages: Record<string, LockPackage> };

/** The platform a package name states: `cli-darwin-arm64`, `win-x64-cuda`, `linux-x64-musl`, ... */
function platformOf(name: string): Pick<LockPackage, 'os' | 'cpu' | 'libc'> | undefined {
  const base = name.split('/').at(-1) ?? name;
  const os = /(^|-)(darwin|mac)(-|$)/.test(base)
    ? 'darwin'
    : /(^|-)(win32|win)(-|$)/.test(base)
      ? 'win32'
      : /(^|-)android(-|$)/.test(base)
        ? 'android'
        : /(^|-)freebsd(-|$)/.test(base)
          ? 'freebsd'
          : /(^|-)linux(-|$)/.test(base)
            ? 'linux'
            : undefined;
  const cpu = /arm64/.test(base) ? 'arm64' : /riscv64/.test(base) ? 'riscv64' : /armv7l|(^|-)arm(-|$)/.test(base) ? 'arm' : /ia32/.test(base) ? 'ia32' : /x64/.test(base) ? 'x64' : undefined;
  if (!os || !cpu) return undefined;
  return { os: [os], cpu: [cpu], ...(/musl/.test(base) ? { libc: ['musl'] } : os === 'linux' ? { libc: ['glibc'] } : {}) };
}

const added: string[] = [];
const unplaced: string[] = [];
for (const [path, entry] of Object.entries(lock.packages)) {
  for (const [name, spec] of Object.entries(entry.optionalDependencies ?? {})) {
    const key = `${path ? `${path}/` : ''}node_modules/${name}`;
    const hoisted = `node_modules/${name}`;
    if (lock.packages[key] || lock.packages[hoisted]) continue;
    const platform = platformOf(name);
    if (!platform || !/^\d+\.\d+\.\d+/.test(spec)) {
      unplaced.push(`${name}@${spec}`);
      continue;
    }
    lock.packages[hoisted] = { version: spec, ...(entry.dev ? { dev: true } : {}), optional: true, ...platform };
    added.push(`${name}@${spec} (${platform.os?.[0]} ${platform.cpu?.[0]}${platform.libc ? ` ${platform.libc[0]}` : ''})`);
  }
}
writeFileSync(file, `${JSON.stringify(lock, null, 2)}\n`);
process.stdout.write(`${added.length ? `added:\n  ${added.join('\n  ')}\n` : 'nothing missing\n'}${unplaced.length ? `not placed (add by hand):\n  ${unplaced.join('\n  ')}\n` : ''}`);
