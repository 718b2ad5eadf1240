/**
 * Reading a config file: JSON (`.json`) or YAML (`.yaml`, `.yml`; any other name is tried as JSON,
 * then YAML). A syntax error names the file, line and column.
 */
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { YAMLParseError, parse as parseYaml } from 'yaml';
import { ConfigError } from '../cli-error.js';

function jsonError(text: string, error: Error): string {
  const at = /position (\d+)/.exec(error.message);
  if (!at) return error.message;
  const before = text.slice(0, Number(at[1]));
  const line = before.split('\n').length;
  const column = before.length - before.lastIndexOf('\n');
  return `${error.message.replace(/ in JSON at position \d+.*$/s, '')} at line ${line}, column ${column}`;
}

/** Parse config `text` read from `source` (its extension picks the format). */
export function parseConfigText(text: string, source: string): unknown {
  const extension = extname(source).toLowerCase();
  const yaml = extension === '.yaml' || extension === '.yml';
  if (!yaml) {
    try {
      return JSON.parse(text);
    } catch (error) {
      if (extension === '.json') throw new ConfigError(source, '', `is not valid JSON: ${jsonError(text, error as Error)}`);
    }
  }
  try {
    return parseYaml(text, { prettyErrors: false });
  } catch (error) {
    if (error instanceof YAMLParseError) {
      const where = error.linePos ? ` at line ${error.linePos[0].line}, column ${error.linePos[0].col}` : '';
      throw new ConfigError(source, '', `is not valid ${yaml ? 'YAML' : 'JSON or YAML'}: ${error.message.split('\n')[0]}${where}`);
    }
    throw error;
  }
}

/** Read and parse the config file at `path`. */
export function readConfigFile(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError(path, '', `cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  return parseConfigText(text, path);
}
