/** Deriving a board spec from a tree: memory, cache geometry, coherence, command line, defaults and their notes. */
import { describe, expect, it } from 'vitest';
import { specFromTree, DEFAULT_RAM_SIZE } from '../../../src/board/assembly/spec.js';
import { E500V2_L1D } from '../../../src/hw/cache.js';
import { tree } from './helpers.js';

const MiB = 1024 * 1024;

function spec(body: string, opts = {}) {
  return specFromTree(tree(`/dts-v1/;\n/ { #address-cells = <2>; #size-cells = <2>; ${body} };`), opts);
}

describe('memory', () => {
  it('takes every /memory bank, with the root\'s cell counts', () => {
    const { spec: s, notes } = spec('memory { device_type = "memory"; reg = <0 0 0 0x8000000>, <0 0x10000000 0 0x4000000>; };');
    expect(s.ram).toEqual([{ base: 0, size: 128 * MiB }, { base: 0x1000_0000, size: 64 * MiB }]);
    expect(notes.some((n) => n.includes('/memory'))).toBe(false);
  });

  it('a memory node without reg (left to U-Boot) gets the default size, or the knob, and a note', () => {
    const a = spec('memory { device_type = "memory"; };');
    expect(a.spec.ram).toEqual([{ base: 0, size: DEFAULT_RAM_SIZE }]);
    expect(a.notes[0]).toBe('driverlab: /memory has no reg (on real boards U-Boot fills it in); assuming 256 MiB at 0x0 (knob: defaultRamSize)');
    const b = spec('memory { device_type = "memory"; reg = <0 0 0 0>; };', { defaultRamSize: 64 * MiB });
    expect(b.spec.ram).toEqual([{ base: 0, size: 64 * MiB }]);
  });
});

describe('cpus', () => {
  it('reads d-cache-line-size, d-cache-size and d-cache-sets into a geometry', () => {
    const s = spec('cpus { #address-cells = <1>; #size-cells = <0>; cpu@0 { device_type = "cpu"; reg = <0>; d-cache-line-size = <64>; d-cache-size = <0x4000>; d-cache-sets = <64>; }; };').spec;
    expect(s.cache).toEqual({ lineSize: 64, size: 0x4000, ways: 4 });
  });

  it('falls back to the e500v2 L1D when the tree says nothing, or something the model cannot do (with a note)', () => {
    expect(spec('cpus { #address-cells = <1>; #size-cells = <0>; cpu@0 { device_type = "cpu"; reg = <0>; }; };').spec.cache).toBe(E500V2_L1D);
    const bad = spec('cpus { #address-cells = <1>; #size-cells = <0>; cpu@0 { device_type = "cpu"; reg = <0>; d-cache-line-size = <24>; d-cache-size = <0x8000>; }; };');
    expect(bad.spec.cache).toBe(E500V2_L1D);
    expect(bad.notes.join('\n')).toContain('cannot be modelled');
  });
});

describe('coherence, command line, name', () => {
  it('reads dma-coherent / dma-noncoherent from the soc bus; says so when the tree is silent; the knob wins', () => {
    const soc = (p: string) => `soc@ffe00000 { device_type = "soc"; compatible = "simple-bus"; #address-cells = <1>; #size-cells = <1>; ranges; ${p} };`;
    expect(spec(soc('dma-coherent;')).spec.coherent).toBe(true);
    expect(spec(soc('dma-noncoherent;')).spec.coherent).toBe(false);
    expect(spec(`dma-coherent; ${soc('')}`).spec.coherent).toBe(true);
    const silent = spec(soc(''));
    expect(silent.spec.coherent).toBe(false);
    expect(silent.notes.join('\n')).toContain("devices are non-coherent (driverlab's default)");
    // A Freescale SoC's tree is silent because Linux takes 85xx coherence from Kconfig; the note says what the real part does.
    const fsl = spec(soc('pic@40000 { compatible = "fsl,mpic"; reg = <0x40000 0x40000>; };'));
    expect(fsl.notes.join('\n')).toContain("devices are non-coherent (driverlab's default; real MPC85xx parts snoop)");
    expect(silent.notes.join('\n')).not.toContain('MPC85xx');
    expect(spec(soc('dma-noncoherent;'), { coherent: true }).spec.coherent).toBe(true);
  });

  it('takes chosen/bootargs as the command line, the model as the name, /memreserve/ as reserved ranges', () => {
    const t = tree('/dts-v1/;\n/memreserve/ 0x1000000 0x10000;\n/ { model = "Acme Router"; chosen { bootargs = "panic_on_oops=1 irqpoll"; }; };');
    const { spec: s } = specFromTree(t);
    expect(s.name).toBe('Acme Router');
    expect(s.bootargs).toBe('panic_on_oops=1 irqpoll');
    expect(s.memreserve).toEqual([{ base: 0x100_0000, size: 0x1_0000 }]);
    expect(s.tree).toBe(t);
  });
});
