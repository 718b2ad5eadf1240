/**
 * Checks every plugin kind's contract shares: the inert, frozen spec and eager option
 * validation. Each throws a `ContractViolation` naming what is wrong.
 */
import { OptionError, PLUGIN_KINDS, type PluginKind, type PluginSpec, type Token } from '@syncopate/core';
import { check, expectError } from './compressor-contract-assert.js';
import { sameData } from './policy-contract-checks.js';

/** One named check of a contract; `run` throws (or rejects) when the check fails. */
export interface ContractCase {
  readonly name: string;
  readonly run: () => void | Promise<void>;
}

/** An option value the factory must refuse, and the option its `OptionError` must name. */
export interface InvalidOption {
  readonly options: unknown;
  readonly option: string;
}

/**
 * `spec` is a frozen spec of `kind` with frozen options, well-formed capabilities, and a
 * `register` that registers under `token`.
 */
export function checkSpecShape(spec: PluginSpec, kind: PluginKind, token: Token<unknown>): void {
  check(spec.kind === kind, `kind is '${spec.kind}', expected '${kind}'`);
  check(typeof spec.name === 'string' && spec.name.length > 0, 'name must be a non-empty string');
  check(Object.isFrozen(spec), 'the spec must be frozen (Object.freeze): a spec is shared by every trainer it is registered in');
  check(Object.isFrozen(spec.options), 'spec.options must be frozen: they are part of the composition hash');
  for (const capability of spec.provides ?? []) check(typeof capability === 'string' && capability.includes(':'), `provides '${capability}' is not a 'kind:ability' string`);
  for (const r of spec.requires ?? []) {
    check(PLUGIN_KINDS.includes(r.from), `requirement ${r.capability} names an unknown kind '${r.from}'`);
    check(typeof r.reason === 'string' && r.reason.length > 0, `requirement ${r.capability} needs a reason (it is shown when createTrainer refuses a composition)`);
  }
  const registered: string[] = [];
  spec.register({ register: (t) => void registered.push(t.name) });
  check(registered.includes(token.name), `register() must register under the ${token.name} token; it registered ${registered.join(', ') || 'nothing'}`);
}

/**
 * `factory` checks its options at once: the same options give the same resolved options; an
 * unknown key, a non-object and every `invalid` entry throw an `OptionError` naming the option.
 */
export function checkOptionValidation<O>(factory: (options: O) => PluginSpec, valid: O | undefined, invalid: readonly InvalidOption[] = []): void {
  check(sameData(factory(valid as O).options, factory(valid as O).options), 'the same options must give the same resolved spec.options');
  const unknown = { ...(valid ?? {}), notAnOptionOfThisPlugin: 1 } as O;
  const typo = expectError(() => factory(unknown), OptionError, 'an unknown option key');
  check(typo.option === 'notAnOptionOfThisPlugin', `the OptionError for an unknown key names '${typo.option}', expected 'notAnOptionOfThisPlugin' (use knownOptions)`);
  expectError(() => factory(42 as O), OptionError, 'options that are not an object');
  for (const bad of invalid) {
    const error = expectError(() => factory(bad.options as O), OptionError, `options ${JSON.stringify(bad.options)}`);
    check(error.option === bad.option, `options ${JSON.stringify(bad.options)}: the OptionError names '${error.option}', expected '${bad.option}'`);
  }
}
