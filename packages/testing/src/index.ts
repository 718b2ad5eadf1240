/**
 * @packageDocumentation
 * Contract suites every Syncopate plugin and transport must pass, an N-rank harness and fakes for unit tests.
 */
export {};
export * from './compressor-contract-index.js';
export { exchange, nextRank, previousRank, sleepOn, type ScenarioContext, type ScenarioNeed, type TransportScenario } from './transport/scenario.js';
export {
  runTransportContract,
  transportScenarios,
  type ScenarioResult,
  type TransportContractOptions,
  type TransportContractReport,
} from './transport/transport-contract.js';
export { describeTransportContract, type ContractTestApi, type DescribeTransportContractOptions } from './transport/describe-transport-contract.js';
export { withRanks, type WithRanksOptions } from './transport/with-ranks.js';
export { faultyTransport, type Fault, type FaultyTransport, type FaultyTransportOptions, type InjectedFault, type TransportCall } from './transport/fault-injection.js';
export { syncPolicyContract, type SyncPolicyContractCase, type SyncPolicyContractOptions } from './policy-contract.js';
export { checkOptionValidation, checkSpecShape, type ContractCase, type InvalidOption } from './plugin-contract-common.js';
export { recordingExchanges, requestSignature, type ExchangeGroup, type RecordedRequest, type RecordingExchange } from './policy-contract-exchange.js';
export { CONTRACT_LAYOUT, contractRing, runPolicy, type ContractRun, type ContractRunResult } from './policy-contract-run.js';
export { instantiateSyncPolicy, policyStepContext, type PolicyStepInit } from './policy-contract-context.js';
export { schedulerContract, planProblem, type SchedulerContractOptions } from './scheduler-contract.js';
export { topologyContract, type TopologyContractOptions } from './topology-contract.js';
export { momentumContract, type MomentumContractOptions } from './momentum-contract.js';
export { collectiveContract, type CollectiveContractOptions } from './collective-contract.js';
