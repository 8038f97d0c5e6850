#!/usr/bin/env node
// Part of the build (issue 17): tsc emits only JavaScript, so the console's static files
// (src/downstream/admin/console/*.css|*.js) are copied beside the compiled module that serves them.
import { cpSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

const root = join(dirname(new URL(import.meta.url).pathname), '..');
const from = join(root, 'src', 'downstream', 'admin', 'console');
if (existsSync(from)) cpSync(from, join(root, 'dist', 'downstream', 'admin', 'console'), { recursive: true });
