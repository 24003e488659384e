/**
 * The program of a code-interpreter sandbox process (an ES module run with `node --eval`). It
 * closes the doors Python could reach the host through before Pyodide loads (network entry points
 * throw, `import js` sees an empty object, `pyodide.code.run_js` and `pyodide_js` are removed), and
 * the process itself runs under Node's permission model, which allows reading Pyodide's own files
 * and nothing else (no other file, no child process, no worker, no native addon) even if Python
 * found a way to JavaScript. It answers `{ ready }`, then runs one `{ code, files }` message and
 * answers `{ output, error, files }`.
 */
export const sandboxSource = String.raw`
import fs from 'node:fs';
import os from 'node:os';
import net from 'node:net';
import tls from 'node:tls';
import dgram from 'node:dgram';
import dns from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import http2 from 'node:http2';
import { pathToFileURL } from 'node:url';

const originalBinding = process.binding;
process.binding = (name) => (name === 'constants' ? { fs: fs.constants, os: os.constants } : originalBinding.call(process, name));
const refuse = () => { throw new Error('network access is disabled in the code interpreter'); };
net.Socket.prototype.connect = refuse;
net.Server.prototype.listen = refuse;
net.connect = net.createConnection = tls.connect = refuse;
dgram.createSocket = refuse;
dns.lookup = dns.resolve = dns.promises.lookup = dns.promises.resolve = refuse;
http.request = http.get = https.request = https.get = http2.connect = refuse;
globalThis.fetch = refuse;
globalThis.WebSocket = undefined;

const workDir = '/workspace';
const maxOutput = Number(process.env.OUTCROP_MAX_OUTPUT ?? 262144);
let output = '';
const append = (text) => { if (output.length < maxOutput) output += text.length + output.length > maxOutput ? text.slice(0, maxOutput - output.length) + '\n[output truncated]\n' : text + '\n'; };

const { loadPyodide } = await import(pathToFileURL(process.env.OUTCROP_PYODIDE_DIR + '/pyodide.mjs').href);
const pyodide = await loadPyodide({ indexURL: process.env.OUTCROP_PYODIDE_DIR + '/', jsglobals: Object.create(null), stdout: append, stderr: append, checkAPIVersion: true });
pyodide.runPython([
  'import sys, os',
  'import pyodide.code',
  'del pyodide.code.run_js',
  'sys.modules.pop("pyodide_js", None)',
  'os.makedirs("' + workDir + '", exist_ok=True)',
  'os.chdir("' + workDir + '")',
].join('\n'));

/** Python's traceback without the frames of Pyodide's own runner. */
function cleanTraceback(text) {
  const lines = text.trim().split('\n');
  const kept = [];
  for (let index = 0; index < lines.length; index++) {
    if (/^  File "\/lib\/python[^"]*\/_pyodide\//.test(lines[index])) {
      while (index + 1 < lines.length && /^    /.test(lines[index + 1])) index++;
      continue;
    }
    kept.push(lines[index]);
  }
  return kept.join('\n');
}

function listFiles(dir) {
  const found = new Map();
  const walk = (path) => {
    for (const name of pyodide.FS.readdir(path)) {
      if (name === '.' || name === '..') continue;
      const full = path + '/' + name;
      const stat = pyodide.FS.stat(full);
      if (pyodide.FS.isDir(stat.mode)) walk(full);
      else if (pyodide.FS.isFile(stat.mode)) found.set(full.slice(dir.length + 1), pyodide.FS.readFile(full));
    }
  };
  walk(dir);
  return found;
}

process.on('message', (message) => {
  for (const file of message.files) {
    const path = workDir + '/' + file.name;
    pyodide.FS.mkdirTree(path.slice(0, path.lastIndexOf('/')));
    pyodide.FS.writeFile(path, file.data);
  }
  const before = listFiles(workDir);
  let error;
  try {
    const globals = pyodide.globals.get('dict')();
    const result = pyodide.runPython(message.code, { globals, filename: '<code>' });
    if (result !== undefined && result !== null) {
      const isProxy = result instanceof pyodide.ffi.PyProxy;
      append(isProxy ? pyodide.globals.get('repr')(result) : String(result));
      if (isProxy) result.destroy();
    }
    globals.destroy();
  } catch (caught) {
    error = cleanTraceback(String(caught && caught.message ? caught.message : caught));
  }
  const files = [];
  for (const [name, data] of listFiles(workDir)) {
    const old = before.get(name);
    if (old && old.length === data.length && Buffer.from(old).equals(Buffer.from(data))) continue;
    files.push({ name, data });
  }
  process.send({ output, error, files }, () => process.exit(0));
});
process.send({ ready: true });
`;
