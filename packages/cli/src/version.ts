import { readFileSync } from 'node:fs';

/** The installed version of @syncopate/cli. */
export const version: string = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version;
