/**
 * Inside the Syncopate repository this example resolves `@syncopate/*` to the packages' sources
 * (like every package does, through vitest.shared.ts), so CI tests it against the code of the
 * same commit. Outside it, `npm install` the packages and use a plain `defineConfig({})`.
 */
import { packageConfig } from '../../vitest.shared.js';

export default packageConfig();
