#!/usr/bin/env node
// The `corral` command: runs the compiled CLI (`npm run build` makes dist/).
import '../dist/cli/corral.js';
