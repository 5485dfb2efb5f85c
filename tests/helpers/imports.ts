/** The import specifiers of a source file (static, dynamic, require), with line numbers; comment lines skipped. */
export interface Import { spec: string; typeOnly: boolean; line: number }

export function importsOf(src: string): Import[] {
  const out: Import[] = [];
  const lines = src.split('\n');
  const re = /(?:^|[^\w.$])(import|export)\s+(type\s+)?(?:[\w*{}\s,$]+?\s+from\s+)?['"]([^'"]+)['"]|(?:^|[^\w.$])import\(\s*['"]([^'"]+)['"]\s*\)|require\(\s*['"]([^'"]+)['"]\s*\)/g;
  lines.forEach((l, i) => {
    if (/^\s*(\/\/|\*)/.test(l)) return;
    for (const m of l.matchAll(re)) {
      const spec = m[3] ?? m[4] ?? m[5];
      if (spec) out.push({ spec, typeOnly: Boolean(m[2]), line: i + 1 });
    }
  });
  return out;
}
