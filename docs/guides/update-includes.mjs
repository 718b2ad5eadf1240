#!/usr/bin/env node
/**
 * The guides show real, compiled code: a line `<!-- include: PATH -->` (PATH relative to this
 * folder) is followed by a fenced code block that must hold exactly the file at PATH.
 * tools/checks/guides.test.ts fails when one drifts; this script rewrites the blocks.
 *
 *   node docs/guides/update-includes.mjs          rewrite every guide's included blocks
 *   node docs/guides/update-includes.mjs --check  only report blocks that differ (exit 1)
 */
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const INCLUDE = /^<!-- include: (\S+) -->\n```(\w*)\n([\s\S]*?)^```$/gm;

/** Every include of `markdown`: the path, the block's current text and the file's text. */
export function includesOf(markdown, baseDir = here) {
  return [...markdown.matchAll(INCLUDE)].map((m) => ({ path: m[1], language: m[2], shown: m[3], actual: readFileSync(join(baseDir, m[1]), 'utf8') }));
}

/** `markdown` with every included block replaced by its file's current text. */
export function expandIncludes(markdown, baseDir = here) {
  return markdown.replace(INCLUDE, (_, path, language) => `<!-- include: ${path} -->\n\`\`\`${language}\n${readFileSync(join(baseDir, path), 'utf8')}\`\`\``);
}

/** The guides of this folder. */
export function guideFiles() {
  return readdirSync(here)
    .filter((f) => f.endsWith('.md'))
    .map((f) => join(here, f));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const check = process.argv.includes('--check');
  let stale = 0;
  for (const file of guideFiles()) {
    const text = readFileSync(file, 'utf8');
    const next = expandIncludes(text);
    if (next === text) continue;
    stale++;
    if (check) console.log(`${file}: an included block differs from its file`);
    else writeFileSync(file, next);
  }
  if (check && stale > 0) process.exit(1);
  if (!check) console.log(`updated ${stale} guide(s)`);
}
