#!/usr/bin/env node
// The `driverlab` command: load TypeScript through tsx (ES-module and CommonJS hooks, as the `tsx`
// command does, so a user's .ts driver loads wherever it lives), then run the CLI.
import { register } from 'tsx/esm/api';
import { register as registerCjs } from 'tsx/cjs/api';

register();
registerCjs();
const { main } = await import('../src/cli/main.ts');
await main(process.argv);
