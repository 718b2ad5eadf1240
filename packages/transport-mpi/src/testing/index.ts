/**
 * Test helpers for `@syncopate/transport-mpi`: a fake of the native binding that records calls
 * and lets a test settle them, so code above the binding is tested without MPI.
 */
export { FakeMpiBinding, nativeError, type FakeMpiBindingOptions, type FakeMpiCall } from './fake-mpi-binding.js';
