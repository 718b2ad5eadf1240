/**
 * Test support: a model that spends modelled compute time on the simulated network's virtual
 * clock before each gradient, so a test can make one rank a straggler (e.g. 3× slower).
 */
import type { TrainableModel } from '@syncopate/core';
import type { SimulatedTransport } from '@syncopate/transport-local';

/** `model`, slowed by `computeMs(step)` virtual ms per gradient on `transport`'s clock. */
export function slowedModel(model: TrainableModel, transport: SimulatedTransport, computeMs: (step: number) => number): TrainableModel {
  let step = 0;
  return {
    layout: model.layout,
    readParameters: (into) => model.readParameters(into),
    writeParameters: (from) => model.writeParameters(from),
    evaluate: (batch) => model.evaluate(batch),
    computeGradients: async (batch, gradients) => {
      await transport.advance(computeMs(step++));
      return model.computeGradients(batch, gradients);
    },
  };
}
