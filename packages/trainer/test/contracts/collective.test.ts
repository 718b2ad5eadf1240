/** The built-in collectives pass the collective contract of @syncopate/testing on simulated ranks. */
import { binaryTreeAllreduce, nativeCollective, neighbourAverage, recursiveDoublingAllreduce, ringAllreduce } from '@syncopate/collectives';
import { collectiveContract, type ContractCase } from '@syncopate/testing';
import { simulatedNetwork } from '@syncopate/transport-local';
import { describe, it } from 'vitest';

const transports = (size: number) => simulatedNetwork({ ranks: size }).transports;
const declare = (cases: ContractCase[]) => cases.forEach((c) => it(c.name, c.run));

describe('nativeCollective', () => declare(collectiveContract(nativeCollective, { transports })));
describe('ringAllreduce', () => declare(collectiveContract(ringAllreduce, { transports })));
describe('recursiveDoublingAllreduce', () => declare(collectiveContract(recursiveDoublingAllreduce, { transports })));
describe('binaryTreeAllreduce', () => declare(collectiveContract(binaryTreeAllreduce, { transports })));
describe('neighbourAverage', () => declare(collectiveContract(neighbourAverage, { transports })));
