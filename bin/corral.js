#!/usr/bin/env node
// The `corral` command: runs the compiled CLI in dist/ (`npm run build` makes it; `npm ci` and `npm pack` do too).
import { existsSync } from 'node:fs';

const entry = new URL('../dist/cli/corral.js', import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write(
    `corral: ${new URL('../dist/', import.meta.url).pathname} is missing: run \`npm run build\` in the package first\n`,
  );
  process.exit(1);
}
await import(entry.href);
