/** One RFC 4180 CSV line: quotes fields holding a comma, quote or newline. */
export function csvLine(fields: (string | number | null)[]): string {
  return fields
    .map((f) => {
      const s = f === null ? '' : String(f);
      return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
    })
    .join(',');
}
