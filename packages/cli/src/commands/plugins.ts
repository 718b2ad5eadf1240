import type { Command } from '../main.js';
import { parseCommandArgs } from '../main.js';

/** `syncopate plugins`: the plugin names a config can use, by kind. */
export const pluginsCommand: Command = {
  name: 'plugins',
  summary: 'list the plugins a config can name, by kind',
  usage: ['usage: syncopate plugins', '', 'Lists every plugin name a config\'s "plugins" list accepts, by kind, with its package.'].join('\n'),
  async run(argv) {
    parseCommandArgs('plugins', argv, {});
    const { PLUGIN_CATALOG, pluginNamesByKind } = await import('../plugins/plugin-catalog.js');
    for (const [kind, names] of pluginNamesByKind()) {
      const packageName = PLUGIN_CATALOG.get(names[0]!)!.packageName;
      console.log(`${kind} (${packageName}): ${names.join(', ')}`);
    }
    return 0;
  },
};
