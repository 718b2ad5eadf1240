import type { TrainableModel } from '@syncopate/core';

/**
 * A {@link TrainableModel} that forwards to `model`, with some members replaced. Models are class
 * instances, so spreading them would lose their methods; this keeps `this` bound.
 */
export function delegateModel(model: TrainableModel, overrides: Partial<Omit<TrainableModel, 'layout'>>): TrainableModel {
  return {
    layout: model.layout,
    readParameters: overrides.readParameters ?? ((into) => model.readParameters(into)),
    writeParameters: overrides.writeParameters ?? ((from) => model.writeParameters(from)),
    computeGradients: overrides.computeGradients ?? ((batch, gradients) => model.computeGradients(batch, gradients)),
    evaluate: overrides.evaluate ?? ((batch) => model.evaluate(batch)),
    ...((overrides.dispose ?? model.dispose) && { dispose: overrides.dispose ?? (() => model.dispose!()) }),
  };
}
