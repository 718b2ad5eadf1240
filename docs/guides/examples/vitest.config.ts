import { packageConfig } from '../../../vitest.shared.js';

// @syncopate/* resolve to the packages' sources, as in every package's tests.
export default packageConfig();
