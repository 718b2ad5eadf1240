/**
 * The plugins a config can name, mapped to the factories the plugin packages export. The names
 * are the factories' own (`topK`, `localSgd`, `slowMo`, `ringAllreduce`), so a config reads like
 * the TypeScript composition it stands for.
 *
 * The table is explicit (a config never calls an arbitrary export); `plugin-catalog.test.ts`
 * checks that it lists every factory the plugin packages export, so a new plugin cannot be
 * forgotten here.
 */
import * as collectives from '@syncopate/collectives';
import * as compression from '@syncopate/compression';
import type { PluginKind, PluginSpec } from '@syncopate/core';
import * as momentum from '@syncopate/momentum';
import * as scheduler from '@syncopate/scheduler';
import * as syncPolicy from '@syncopate/sync-policy';
import * as topology from '@syncopate/topology';

/** One plugin a config can name. */
export interface CatalogEntry {
  readonly name: string;
  readonly kind: PluginKind;
  /** The package that exports the factory. */
  readonly packageName: string;
  /** The factory: validates `options` and returns the plugin's spec. */
  readonly factory: (options?: unknown) => PluginSpec;
  /**
   * Options that hold other plugin specs (perBucket's `otherwise`, `rules[].use`), written in a
   * config as `{ name, options }` objects: `[]` marks an array of such holders.
   */
  readonly specFields?: readonly string[];
}

interface Group {
  readonly packageName: string;
  readonly module: Readonly<Record<string, unknown>>;
  readonly kinds: Readonly<Record<string, PluginKind>>;
}

const groups: readonly Group[] = [
  {
    packageName: '@syncopate/topology',
    module: topology,
    kinds: Object.fromEntries(
      ['complete', 'ring', 'torus2d', 'star', 'hierarchical', 'exponentialGraph', 'onePeerExponentialGraph', 'randomMatchings'].map((n) => [n, 'topology']),
    ),
  },
  {
    packageName: '@syncopate/collectives',
    module: collectives,
    kinds: Object.fromEntries(
      [
        'nativeCollective',
        'ringAllreduce',
        'recursiveDoublingAllreduce',
        'binaryTreeAllreduce',
        'hierarchicalAllreduce',
        'autoAllreduce',
        'neighbourAverage',
        'pushSum',
      ].map((n) => [n, 'collective']),
    ),
  },
  {
    packageName: '@syncopate/compression',
    module: compression,
    kinds: {
      ...Object.fromEntries(
        [
          'identity',
          'fp16',
          'bf16',
          'minMax8Bit',
          'qsgd',
          'ternGrad',
          'naturalCompression',
          'scaledSign',
          'efSignSgd',
          'signSgdMajorityVote',
          'oneBitSgd',
          'randomK',
          'topK',
          'threshold',
          'deepGradientCompression',
          'gTopK',
          'powerSgd',
          'countSketch',
          'perBucket',
        ].map((n) => [n, 'compressor']),
      ),
      errorFeedback: 'error-feedback',
      momentumCorrection: 'error-feedback',
    },
  },
  {
    packageName: '@syncopate/sync-policy',
    module: syncPolicy,
    kinds: Object.fromEntries(
      [
        'bsp',
        'localSgd',
        'postLocalSgd',
        'adaptivePeriod',
        'hierarchicalParallelSgd',
        'overlapLocalSgd',
        'decentralizedSgd',
        'stochasticGradientPush',
        'staleSynchronous',
        'asynchronousParameterServer',
        'backupWorkers',
      ].map((n) => [n, 'sync-policy']),
    ),
  },
  {
    packageName: '@syncopate/momentum',
    module: momentum,
    kinds: Object.fromEntries(
      [
        'slowMo',
        'blockwiseModelUpdateFiltering',
        'lookahead',
        'doubleAveraging',
        'deepGradientCompressionMomentum',
        'globalMomentumCompression',
        'baseBufferPolicy',
      ].map((n) => [n, 'momentum']),
    ),
  },
  { packageName: '@syncopate/scheduler', module: scheduler, kinds: { fusion: 'scheduler', singleBucket: 'scheduler', priority: 'scheduler' } },
];

const SPEC_FIELDS: Readonly<Record<string, readonly string[]>> = { perBucket: ['otherwise', 'rules[].use'] };

function entries(): Map<string, CatalogEntry> {
  const map = new Map<string, CatalogEntry>();
  for (const group of groups) {
    for (const [name, kind] of Object.entries(group.kinds)) {
      const factory = group.module[name];
      if (typeof factory !== 'function') continue; // not in this build of the package
      map.set(name, {
        name,
        kind,
        packageName: group.packageName,
        factory: factory as CatalogEntry['factory'],
        ...(SPEC_FIELDS[name] && { specFields: SPEC_FIELDS[name] }),
      });
    }
  }
  return map;
}

/**
 * Every plugin a config can name, by name.
 *
 * @example
 * ```ts
 * const spec = PLUGIN_CATALOG.get('topK')!.factory({ ratio: 0.01 });
 * ```
 */
export const PLUGIN_CATALOG: ReadonlyMap<string, CatalogEntry> = entries();

/** The packages the catalog draws from, with their export objects (for the coverage test). */
export const CATALOG_PACKAGES: readonly { readonly packageName: string; readonly module: Readonly<Record<string, unknown>> }[] = groups.map(
  ({ packageName, module }) => ({ packageName, module }),
);

/** Plugin names grouped by kind, in core's kind order: `{ compressor: ['identity', 'fp16', …], … }`. */
export function pluginNamesByKind(): ReadonlyMap<PluginKind, readonly string[]> {
  const byKind = new Map<PluginKind, string[]>();
  for (const entry of PLUGIN_CATALOG.values()) byKind.set(entry.kind, [...(byKind.get(entry.kind) ?? []), entry.name]);
  return byKind;
}
