import type { Transport } from '@syncopate/core';
import { collectiveScenarios } from './collective-scenarios.js';
import { controlScenarios } from './control-scenarios.js';
import { pointToPointScenarios } from './point-to-point-scenarios.js';
import type { ScenarioContext, ScenarioNeed, TransportScenario } from './scenario.js';

/**
 * Every scenario of the `Transport` contract, in the order {@link runTransportContract} runs
 * them. A third-party transport passes the contract when every scenario passes on every rank
 * (those needing an optional collective it does not offer are skipped).
 */
export const transportScenarios: readonly TransportScenario[] = Object.freeze([...pointToPointScenarios, ...collectiveScenarios, ...controlScenarios]);

/** Options of {@link runTransportContract}; every rank must pass the same. */
export interface TransportContractOptions {
  /** Seed of the random data. Default 1. */
  readonly seed?: number;
  /** Deadline of each call, in ms. Default 10 000. */
  readonly timeoutMs?: number;
  /** The short deadline of the deadline and barrier scenarios, in ms. Default 50. */
  readonly shortTimeoutMs?: number;
  /** Run only the scenarios with these names. */
  readonly only?: readonly string[];
}

/** How one scenario went on one rank. */
export interface ScenarioResult {
  readonly name: string;
  readonly status: 'passed' | 'failed' | 'skipped';
  /** Why it failed or was skipped. */
  readonly message?: string;
  /** Wall time on the transport's clock, in ms. */
  readonly ms: number;
}

/** One rank's report: plain data, so it can cross threads and processes. */
export interface TransportContractReport {
  readonly transport: string;
  readonly rank: number;
  readonly size: number;
  readonly results: ScenarioResult[];
  /** True when no scenario failed. */
  readonly passed: boolean;
}

function offered(transport: Transport, need: ScenarioNeed): boolean {
  return need === 'split' ? typeof transport.split === 'function' : typeof transport.collectives?.[need] === 'function';
}

/**
 * Runs the transport contract on this rank; call it on every rank of `transport` at once (with
 * the same options). Scenarios run one after another with a barrier between them; a scenario
 * that fails does not stop the others. Never throws for a failed scenario: read the report.
 *
 * @example
 * ```ts
 * // In each MPI process:
 * const report = await runTransportContract(await mpiTransport());
 * if (!report.passed) console.error(report.results.filter((r) => r.status === 'failed'));
 * ```
 */
export async function runTransportContract(transport: Transport, options: TransportContractOptions = {}): Promise<TransportContractReport> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const shortTimeoutMs = options.shortTimeoutMs ?? 50;
  const results: ScenarioResult[] = [];
  let broken: string | undefined;
  for (const [index, scenario] of transportScenarios.entries()) {
    if (options.only && !options.only.includes(scenario.name)) continue;
    const missing = (scenario.needs ?? []).filter((need) => !offered(transport, need));
    if (missing.length > 0) {
      results.push({ name: scenario.name, status: 'skipped', message: `the transport does not offer ${missing.join(', ')}`, ms: 0 });
      continue;
    }
    if (broken) {
      results.push({ name: scenario.name, status: 'failed', message: `not run: ${broken}`, ms: 0 });
      continue;
    }
    const context: ScenarioContext = { seed: options.seed ?? 1, index, timeoutMs, shortTimeoutMs, tagBase: 100 * (index + 1), call: { timeoutMs } };
    const start = transport.clock.now();
    let failure: string | undefined;
    try {
      await scenario.run(transport, context);
    } catch (error) {
      failure = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    }
    const ms = transport.clock.now() - start;
    results.push(failure === undefined ? { name: scenario.name, status: 'passed', ms } : { name: scenario.name, status: 'failed', message: failure, ms });
    try {
      await transport.barrier({ timeoutMs });
    } catch (error) {
      broken = `the ranks could not meet in a barrier after '${scenario.name}' (${error instanceof Error ? error.message : String(error)})`;
    }
  }
  return { transport: transport.name, rank: transport.rank, size: transport.size, results, passed: results.every((r) => r.status !== 'failed') };
}
