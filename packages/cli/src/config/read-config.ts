/**
 * Reading a config file: JSON (`.json`) or YAML (`.yaml`, `.yml`; any other name is tried as JSON,
 * then YAML). A syntax error names the file, line and column.
 */
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { YAMLParseError, parse as parseYaml, parseDocument } from 'yaml';
import { ConfigError } from '../cli-error.js';

/** Line and column of a JSON syntax error: from the message's position, else from the YAML parser (JSON is YAML). */
function jsonError(text: string, error: Error): string {
  const reason = error.message.replace(/ in JSON at position \d+.*$/s, '').replace(/, (\.\.\.)?".*$/s, '').replace(/\s+/g, ' ');
  const at = /position (\d+)/.exec(error.message);
  if (at) {
    const before = text.slice(0, Number(at[1]));
    return `${reason} at line ${before.split('\n').length}, column ${before.length - before.lastIndexOf('\n')}`;
  }
  const where = parseDocument(text, { schema: 'json' }).errors[0]?.linePos?.[0];
  return where ? `${reason} at line ${where.line}, column ${where.col}` : reason;
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
    return parseYaml(text, { logLevel: 'error' });
  } catch (error) {
    if (error instanceof YAMLParseError) {
      const reason = error.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
      const where = error.linePos ? ` at line ${error.linePos[0].line}, column ${error.linePos[0].col}` : '';
      throw new ConfigError(source, '', `is not valid ${yaml ? 'YAML' : 'JSON or YAML'}: ${reason}${where}`);
    }
    // The yaml package reports an alias used before its anchor (`*a`) with a plain ReferenceError.
    if (error instanceof ReferenceError) throw new ConfigError(source, '', `is not valid ${yaml ? 'YAML' : 'JSON or YAML'}: ${error.message}`);
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
