import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../cli-error.js';
import { parseConfigText, readConfigFile } from './read-config.js';

const dir = mkdtempSync(join(tmpdir(), 'syncopate-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function failure(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected a ConfigError');
}

describe('reading config files', () => {
  it('reads JSON and YAML into the same value', () => {
    const json = parseConfigText('{ "epochs": 2, "plugins": [{ "name": "localSgd", "options": { "period": 8 } }, "errorFeedback"] }', 'run.json');
    const yaml = parseConfigText('epochs: 2\nplugins:\n  - name: localSgd\n    options: { period: 8 }\n  - errorFeedback\n', 'run.yaml');
    expect(yaml).toEqual(json);
    expect(parseConfigText('epochs: 3', 'run.conf')).toEqual({ epochs: 3 }); // not JSON: tried as YAML
  });

  it('names the file, line and column of a syntax error', () => {
    expect(failure(() => parseConfigText('{\n  "epochs": 2,\n  "seed": }\n', 'run.json'))).toMatch(/^run\.json: is not valid JSON: .* at line 3, column 11$/);
    expect(failure(() => parseConfigText('epochs: 2\nplugins: [localSgd\n', 'run.yml'))).toMatch(/^run\.yml: is not valid YAML: .* at line \d+, column \d+$/);
    expect(failure(() => parseConfigText('epochs: 1\nepochs: 2\n', 'run.yaml'))).toMatch(/^run\.yaml: is not valid YAML: Map keys must be unique/);
  });

  it('says when the file cannot be read', () => {
    const path = join(dir, 'run.yaml');
    writeFileSync(path, 'seed: 4\n');
    expect(readConfigFile(path)).toEqual({ seed: 4 });
    expect(failure(() => readConfigFile(join(dir, 'missing.json')))).toMatch(/missing\.json: cannot be read \(ENOENT\)$/);
  });
});
