import { Capabilities, Compressor } from '@syncopate/core';
import { ERROR_FEEDBACK_CAPABILITY } from '../capabilities.js';
/** The frozen `PluginSpec` of a compressor, with its requirements filled in from its aggregation. */
export function compressorSpec(parts) {
    const uses = parts.uses ?? (parts.aggregation === 'sum' ? ['allreduce'] : ['allgather']);
    const requires = uses.map((use) => ({
        capability: use === 'allreduce' ? Capabilities.allreduce : Capabilities.allgather,
        from: 'collective',
        reason: parts.reason,
    }));
    if (parts.needsErrorFeedback) {
        requires.push({
            capability: ERROR_FEEDBACK_CAPABILITY,
            from: 'error-feedback',
            reason: `${parts.name} only converges when what it drops is fed back (add errorFeedback())`,
        });
    }
    const spec = {
        kind: 'compressor',
        name: parts.name,
        options: Object.freeze(parts.options),
        requires: Object.freeze(requires.map((r) => Object.freeze(r))),
        register(registrar) {
            registrar.register(Compressor, { useFactory: parts.make });
        },
    };
    return Object.freeze(spec);
}
//# sourceMappingURL=compressor-spec.js.map