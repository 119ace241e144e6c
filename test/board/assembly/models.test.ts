/** The device-model registry: models chosen by compatible (first listed string with a model wins), per-board models, and models that refuse. */
import { afterEach, describe, expect, it } from 'vitest';
import { boardAssembly } from '../../../src/board/assembly/attach.js';
import { deviceModelFor, deviceModelNames, registerDeviceModel } from '../../../src/board/devices.js';
import { in_be32, ioremap } from '../../../src/kernel/api/io.js';
import { FakeRegs } from '../../kernel/driver/helpers.js';
import { at, boot, socTree, tree } from './helpers.js';

const undo: (() => void)[] = [];
afterEach(() => {
  while (undo.length) undo.pop()!();
});

describe('device models', () => {
  it('the registry has fsl,mpic built in, and picks the first compatible of a node that has a model', () => {
    expect(deviceModelNames()).toContain('fsl,mpic');
    undo.push(registerDeviceModel('acme,generic', () => 'unused'));
    undo.push(registerDeviceModel('acme,specific', () => 'unused'));
    const t = tree('/dts-v1/;\n/ { a { compatible = "acme,specific", "acme,generic"; }; b { compatible = "acme,unknown", "acme,generic"; }; c { compatible = "acme,unknown"; }; };');
    expect(deviceModelFor(at(t, 'a'))?.compatible).toBe('acme,specific');
    expect(deviceModelFor(at(t, 'b'))?.compatible).toBe('acme,generic');
    expect(deviceModelFor(at(t, 'c'))).toBeUndefined();
  });

  it('a registered model is placed on the bus at the node\'s translated reg, and its registers answer', () => {
    const regs = new FakeRegs('acme');
    regs.regs[2] = 0x0bad_cafe;
    undo.push(
      registerDeviceModel('acme,regs', ({ board, regs: r }) => {
        board.machine.bus.addMmio(r[0]!.address, r[0]!.size, regs);
        return { name: 'acme', model: regs, banner: 'acme: registers at ' + r[0]!.address.toString(16) };
      }),
    );
    const b = boot(socTree('regs@9000 { compatible = "acme,regs"; reg = <0x9000 0x100>; };'));
    expect(b.dmesg()).toContain('acme: registers at ffe09000');
    expect(b.run(() => in_be32(ioremap(0xffe0_9000, 0x100)! + 8))).toEqual({ ok: true, value: 0x0bad_cafe });
    expect([...boardAssembly(b)!.models.values()].map((m) => m.instance.name).sort()).toEqual(['acme', 'mpic']);
  });

  it('per-board models (the `models` knob) come before the registry; a model that refuses is logged and skipped', () => {
    const b = boot(socTree('x@9000 { compatible = "acme,x"; reg = <0x9000 0x100>; }; y@a000 { compatible = "acme,y"; };'), {
      models: { 'acme,x': () => ({ name: 'x', model: null }), 'acme,y': ({ node }) => `${node.path} has no reg` },
    });
    const names = [...boardAssembly(b)!.models.values()].map((m) => m.instance.name);
    expect(names).toContain('x');
    expect(names).not.toContain('y');
    expect(b.dmesg()).toContain('driverlab: no model for /soc@ffe00000/y@a000: /soc@ffe00000/y@a000 has no reg');
  });
});
