import { describe, expect, it } from 'vitest';
import { textTable } from './text-table.js';

describe('textTable', () => {
  it('right-aligns numeric columns and left-aligns text, under a rule', () => {
    const table = textTable(['epoch', 'loss', 'note'], [['1', '0.5123', 'warm-up'], ['10', '12.25%', 'done']]);
    expect(table.split('\n')).toEqual(['epoch    loss  note', '-----  ------  -------', '    1  0.5123  warm-up', '   10  12.25%  done']);
  });
});
