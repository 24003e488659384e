/**
 * Writes one table record as a line of `column: value` pairs (`name: Ada; role: engineer`), the way
 * CSV rows and spreadsheet rows are indexed: each line carries its own column names, so a chunk cut
 * from the middle of a table still says what its numbers are. Empty cells are left out.
 *
 * @example
 * recordLine(['name', 'role'], ['Ada', 'engineer']) // 'name: Ada; role: engineer'
 */
export function recordLine(columns: readonly string[], values: readonly string[], unnamed: (index: number) => string = (index) => `column ${index + 1}`): string {
  const pairs: string[] = [];
  values.forEach((value, index) => {
    const text = value.replace(/\s+/g, ' ').trim();
    if (!text) return;
    const column = columns[index]?.trim() || unnamed(index);
    pairs.push(`${column}: ${text}`);
  });
  return pairs.join('; ');
}
