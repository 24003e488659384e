/** Formats a byte count for people: `12.3 MB`. */
export function formatBytes(bytes: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`;
}

export interface ProgressReporter {
  update(received: number, total: number | undefined): void;
  done(): void;
}

/**
 * Download progress on stderr. On a terminal: one bar redrawn in place (at most ten times a second);
 * otherwise (logs, CI) a plain line at each quarter, so the output stays readable.
 *
 * @example
 * const progress = createProgressReporter(process.stderr, 'SmolLM2-135M-Instruct-Q8_0.gguf');
 * progress.update(received, total);
 */
export function createProgressReporter(stream: NodeJS.WritableStream & { isTTY?: boolean; columns?: number }, label: string): ProgressReporter {
  const started = performance.now();
  let lastDraw = 0;
  let lastQuarter = -1;
  let drawn = false;
  const rate = (received: number) => formatBytes(received / Math.max((performance.now() - started) / 1000, 0.001));
  return {
    update(received, total) {
      const fraction = total ? Math.min(received / total, 1) : undefined;
      if (stream.isTTY) {
        const now = performance.now();
        if (now - lastDraw < 100 && received !== total) return;
        lastDraw = now;
        const width = 24;
        const bar = fraction === undefined ? '' : `[${'#'.repeat(Math.round(fraction * width)).padEnd(width, '.')}] ${(fraction * 100).toFixed(0).padStart(3)}% `;
        const sizes = total ? `${formatBytes(received)} / ${formatBytes(total)}` : formatBytes(received);
        stream.write(`\r\x1b[2K${label} ${bar}${sizes} ${rate(received)}/s`);
        drawn = true;
        return;
      }
      const quarter = fraction === undefined ? -1 : Math.floor(fraction * 4);
      if (quarter > lastQuarter) {
        lastQuarter = quarter;
        stream.write(`${label}: ${formatBytes(received)}${total ? ` of ${formatBytes(total)} (${quarter * 25}%)` : ''}\n`);
      }
    },
    done() {
      if (drawn) stream.write('\n');
    },
  };
}
