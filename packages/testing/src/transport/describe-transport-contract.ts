import { transportScenarios, type TransportContractReport } from './transport-contract.js';

/**
 * The parts of a test framework the adapter uses — vitest's `describe`, `it` and `beforeAll`
 * fit. Passed in, so that `@syncopate/testing` does not depend on a test framework.
 */
export interface ContractTestApi {
  describe(name: string, body: () => void): void;
  it(name: string, body: (context: { skip?: (note?: string) => void }) => void | Promise<void>): void;
  beforeAll(body: () => Promise<void> | void, timeoutMs?: number): void;
}

/** Options of {@link describeTransportContract}. */
export interface DescribeTransportContractOptions {
  /** Shown in test names, e.g. `local-threads`. */
  readonly name: string;
  /** Rank counts to run the contract with, e.g. `[1, 2, 3, 4, 7]`. */
  readonly ranks: readonly number[];
  /** Runs `runTransportContract` on every rank of a fresh `size`-rank transport and returns the reports. */
  readonly run: (size: number) => Promise<readonly TransportContractReport[]>;
  /** Time allowed for one whole run, in ms. Default 60 000. */
  readonly timeoutMs?: number;
}

/**
 * Declares one test per contract scenario and rank count. The contract runs once per rank count
 * (all scenarios, all ranks, in `beforeAll`); each test then reports its scenario, failing with
 * every rank's message.
 *
 * @example
 * ```ts
 * import { beforeAll, describe, it } from 'vitest';
 * describeTransportContract({ describe, it, beforeAll }, {
 *   name: 'local-simulated',
 *   ranks: [1, 2, 3, 4, 7],
 *   run: async (size) => (await runSimulated(size, (t) => runTransportContract(t))).results,
 * });
 * ```
 */
export function describeTransportContract(api: ContractTestApi, options: DescribeTransportContractOptions): void {
  for (const size of options.ranks) {
    api.describe(`${options.name} transport contract with ${size} rank${size === 1 ? '' : 's'}`, () => {
      let reports: readonly TransportContractReport[] = [];
      let runError: unknown;
      api.beforeAll(async () => {
        try {
          reports = await options.run(size);
        } catch (error) {
          runError = error;
        }
      }, options.timeoutMs ?? 60_000);
      for (const scenario of transportScenarios) {
        api.it(scenario.name, (context) => {
          if (runError !== undefined) throw new Error(`the contract run failed: ${String(runError)}`, { cause: runError });
          if (reports.length !== size) throw new Error(`the run returned ${reports.length} reports for ${size} ranks`);
          const results = reports.map((report) => report.results.find((r) => r.name === scenario.name));
          const failures = results.flatMap((r, rank) => (r?.status === 'failed' ? [`rank ${rank}: ${r.message}`] : r ? [] : [`rank ${rank}: not run`]));
          if (failures.length > 0) throw new Error(`${scenario.name} failed on ${failures.length} of ${size} ranks:\n${failures.join('\n')}`);
          if (results.every((r) => r?.status === 'skipped')) context.skip?.(results[0]?.message);
        });
      }
    });
  }
}
