/** Device-tree interrupt specifiers for fsl,mpic: the 2- and 4-cell forms, every sense and type, and refused cells. */
import { describe, expect, it } from 'vitest';
import { MpicSpecifierError, translateMpicSpecifier } from '../../../src/hw/mpic/index.js';

describe('fsl,mpic interrupt specifiers', () => {
  it('translates the eTSEC1 TX line <29 2 0 0> to source 29, level high', () => {
    expect(translateMpicSpecifier([29, 2, 0, 0])).toEqual({ hwirq: 29, number: 29, trigger: 'level-high', type: 'normal', info: 0 });
  });

  it('maps each sense cell as the binding says', () => {
    const triggers = [0, 1, 2, 3].map((s) => translateMpicSpecifier([10, s]).trigger);
    expect(triggers).toEqual(['edge-rising', 'level-low', 'level-high', 'edge-falling']);
  });

  it('accepts the 2-cell form as a normal source', () => {
    expect(translateMpicSpecifier([43, 2])).toMatchObject({ hwirq: 43, type: 'normal' });
  });

  it('keeps the summary-register bit of an error interrupt', () => {
    expect(translateMpicSpecifier([16, 2, 1, 23])).toEqual({ hwirq: 16, number: 16, trigger: 'level-high', type: 'error', info: 23 });
  });

  it('maps IPIs and timers to the reserved vectors at the top of the vector space', () => {
    expect(translateMpicSpecifier([0, 0, 2, 0])).toMatchObject({ type: 'ipi', number: 0, hwirq: 2043 });
    expect(translateMpicSpecifier([3, 0, 2, 0])).toMatchObject({ hwirq: 2046 });
    expect(translateMpicSpecifier([0, 0, 3, 0])).toMatchObject({ type: 'timer', hwirq: 2035 });
    expect(translateMpicSpecifier([0, 0, 3, 0], { vectorBits: 8 })).toMatchObject({ hwirq: 243 });
  });

  it('names the bad cell when a cell is out of range', () => {
    const bad = (cells: number[]): MpicSpecifierError => {
      try {
        translateMpicSpecifier(cells);
      } catch (e) {
        return e as MpicSpecifierError;
      }
      throw new Error('accepted');
    };
    expect(bad([29, 2, 7, 0])).toMatchObject({ cell: 2, message: expect.stringMatching(/cell 2 \(type\) = 7/) });
    expect(bad([29, 4, 0, 0])).toMatchObject({ cell: 1, message: expect.stringMatching(/cell 1 \(sense\) = 4/) });
    expect(bad([256, 2, 0, 0])).toMatchObject({ cell: 0, message: expect.stringMatching(/0\.\.255/) });
    expect(bad([4, 0, 2, 0])).toMatchObject({ cell: 0, message: expect.stringMatching(/IPI is 0\.\.3/) });
    expect(bad([8, 0, 3, 0])).toMatchObject({ cell: 0, message: expect.stringMatching(/timer is 0\.\.7/) });
    expect(bad([29, 2, 0])).toMatchObject({ cell: -1, message: expect.stringMatching(/3 cells/) });
    expect(bad([-1, 2])).toMatchObject({ cell: 0 });
    expect(bad([29, 2, 7, 0])).toBeInstanceOf(MpicSpecifierError);
  });
});
