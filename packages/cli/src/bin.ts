#!/usr/bin/env node
import { describeError } from './cli-error.js';
import { main } from './main.js';

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    const { message, exitCode } = describeError(error);
    console.error(message);
    process.exitCode = exitCode;
  },
);
