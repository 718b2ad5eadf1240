import * as tf from '@tensorflow/tfjs';
import { describe, expect, it, vi } from 'vitest';
import { selectBackend } from './select-backend.js';

// Its own file: the wasm backend reads its binary path once per process, at first initialisation.
describe('selectBackend with wasm binaries that are not there', () => {
  it('reports the failed wasm start and falls back to cpu', async () => {
    tf.env().set('IS_TEST', true);
    // emscripten and tfjs log the failed start; keep it out of the test output but check it.
    const logged: string[] = [];
    const quiet = (...args: unknown[]) => void logged.push(args.map(String).join(' '));
    const spies = [vi.spyOn(console, 'error').mockImplementation(quiet), vi.spyOn(console, 'warn').mockImplementation(quiet)];
    const selection = await selectBackend({ prefer: 'wasm', wasmPaths: '/nonexistent/tfjs-wasm' }).finally(() => spies.forEach((s) => s.mockRestore()));
    expect(logged.join('\n')).toContain("ENOENT: no such file or directory, open '/nonexistent/tfjs-wasm/");
    expect(selection.backend).toBe('cpu');
    expect(tf.getBackend()).toBe('cpu');
    expect(selection.attempts[0]).toMatchObject({ backend: 'wasm', ok: false });
    expect(selection.attempts[0]!.detail).toContain('binaries looked up in /nonexistent/tfjs-wasm/');
    expect(selection.reason).toMatch(/^cpu \(@tensorflow\/tfjs-backend-cpu: plain JavaScript\); skipped: the wasm backend did not initialise/);
  });
});
