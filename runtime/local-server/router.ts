// Method + path → the operation, with its path values decoded. Each path
// template is compiled to a pattern once, when the server starts.
import type { ServedOperation } from './operations.js';

export interface Route {
  op: ServedOperation;
  pathValues: Record<string, string>;
}

export type Router = (method: string, target: string) => Route | undefined;

export function compileRoutes(operations: readonly ServedOperation[]): Router {
  const routes = operations.map((op) => {
    const names: string[] = [];
    const source = op.meta.path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{([^}]+)\\?\}/g, (_, name: string) => {
      names.push(name);
      return '([^/]+)';
    });
    return { op, names, pattern: new RegExp(`^${source}$`) };
  });
  return (method, target) => {
    const pathname = target.split('?')[0]!;
    for (const { op, names, pattern } of routes) {
      const m = op.meta.method === method ? pattern.exec(pathname) : null;
      if (!m) continue;
      const pathValues: Record<string, string> = {};
      try {
        names.forEach((n, i) => (pathValues[n] = decodeURIComponent(m[i + 1]!)));
      } catch {
        continue;
      }
      return { op, pathValues };
    }
    return undefined;
  };
}
