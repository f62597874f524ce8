#!/usr/bin/env node
// `npx workoutkit ...` in the repository: runs the TypeScript sources through tsx, no build step.
'use strict';
require('tsx/cjs/api').register();
const { main } = require('./main.ts');
main();
