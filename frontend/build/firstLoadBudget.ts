import { gzipSync } from 'node:zlib';
import type { Plugin, Rollup } from 'vite';

interface FirstLoadBudgetOptions {
  /** route names the page whose first load is weighed, and the module that lazy-loads it. */
  route: { name: string; module: string };
  /** limitKB is the most the first load may weigh, gzipped, in KB (1000 bytes). */
  limitKB: number;
}

/**
 * firstLoadBudget weighs, after each build, what a browser downloads to open
 * one route cold: index.html, the entry chunk, the route's lazy chunk, every
 * chunk they import statically and their CSS, each gzipped. It prints the
 * figure and fails the build over the limit.
 */
export function firstLoadBudget({ route, limitKB }: FirstLoadBudgetOptions): Plugin {
  return {
    name: 'orgtrail:first-load-budget',
    apply: 'build',
    writeBundle(_options, bundle) {
      const files = new Set<string>(['index.html']);
      const add = (fileName: string) => {
        const chunk = bundle[fileName];
        if (files.has(fileName) || chunk?.type !== 'chunk') return;
        files.add(fileName);
        chunk.viteMetadata?.importedCss.forEach((css) => files.add(css));
        chunk.imports.forEach(add);
      };
      const chunks = Object.values(bundle).filter((file) => file.type === 'chunk');
      const routeChunk = chunks.find((c) => c.facadeModuleId?.endsWith(route.module));
      if (!routeChunk) this.error(`first-load budget: no chunk for ${route.module}`);
      chunks.filter((c) => c.isEntry).forEach((c) => add(c.fileName));
      add(routeChunk.fileName);

      const bytes = [...files].reduce((sum, fileName) => sum + gzippedSize(bundle, fileName), 0);
      const kb = (bytes / 1000).toFixed(1);
      const each = [...files].map((f) => `${f} ${(gzippedSize(bundle, f) / 1000).toFixed(1)}`).join(', ');
      this.info(`first load of ${route.name}: ${kb} KB gzipped in ${files.size} files (limit ${limitKB} KB): ${each}`);
      if (bytes > limitKB * 1000) this.error(`first load of ${route.name} is ${kb} KB gzipped, over ${limitKB} KB`);
    },
  };
}

function gzippedSize(bundle: Rollup.OutputBundle, fileName: string): number {
  const file = bundle[fileName];
  if (!file) return 0;
  const content = file.type === 'chunk' ? file.code : file.source;
  return gzipSync(content, { level: 9 }).length;
}
