import { nativeCollective } from '@syncopate/collectives';
import { identity } from '@syncopate/compression';
import type { PluginKind, PluginSpec } from '@syncopate/core';
import { singleBucket } from '@syncopate/scheduler';
import { bsp } from '@syncopate/sync-policy';

/**
 * What a composition gets for a kind it does not name: the transport's own collectives, no
 * compression, BSP, one bucket. Error feedback, momentum and topology are simply absent.
 */
export function defaultPlugins(): Partial<Record<PluginKind, () => PluginSpec>> {
  return {
    collective: () => nativeCollective(),
    compressor: () => identity(),
    'sync-policy': () => bsp(),
    scheduler: () => singleBucket(),
  };
}
