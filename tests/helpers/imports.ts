import { dirname as dirnamePath, relative as relativePath, resolve as resolvePath, sep as sepPath } from 'node:path';

/** The import specifiers of a source file (static, dynamic, require), with line numbers; comment lines skipped. */
export interface Import {
  spec: string;
  typeOnly: boolean;
  line: number;
}

export function importsOf(src: string): Import[] {
  const out: Import[] = [];
  const lines = src.split('\n');
  const re =
    /(?:^|[^\w.$])(import|export)\s+(type\s+)?(?:[\w*{}\s,$]+?\s+from\s+)?['"]([^'"]+)['"]|(?:^|[^\w.$])import\(\s*['"]([^'"]+)['"]\s*\)|require\(\s*['"]([^'"]+)['"]\s*\)/g;
  lines.forEach((l, i) => {
    if (/^\s*(\/\/|\*)/.test(l)) return;
    for (const m of l.matchAll(re)) {
      const spec = m[3] ?? m[4] ?? m[5];
      if (spec) out.push({ spec, typeOnly: Boolean(m[2]), line: i + 1 });
    }
  });
  return out;
}

/** tsconfig.json's import aliases: @app/x is app/x from the repository root */
export const ALIASES = ['app', 'main', 'renderer', 'tests'] as const;

/** The repository-relative path an import names (relative or @alias), with '/' separators; null for a package or built-in. */
export function repoTarget(root: string, file: string, spec: string): string | null {
  const alias = /^@([a-z]+)\/(.*)$/.exec(spec);
  if (alias && (ALIASES as readonly string[]).includes(alias[1])) return `${alias[1]}/${alias[2]}`;
  if (!spec.startsWith('.')) return null;
  const abs = resolvePath(dirnamePath(file), spec);
  return relativePath(root, abs).split(sepPath).join('/');
}
