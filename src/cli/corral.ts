#!/usr/bin/env node
// The process entry of the `corral` command (bin/corral.js runs its compiled form).
import { main } from './main.ts';

process.exitCode = await main(process.argv.slice(2));
