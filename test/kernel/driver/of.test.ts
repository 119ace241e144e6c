/** Device-tree property access for drivers, address translation, and driver message formatting (dev_err, netdev_err, vsprintf). */
import { describe, expect, it } from 'vitest';
import { parseDts } from '../../../src/board/dts/index.js';
import { dev_dbg, dev_err, dev_info, netdev_err, netdev_info, pr_warn } from '../../../src/kernel/api/printk.js';
import {
  of_device_is_available, of_device_is_compatible, of_get_child_by_name, of_get_mac_address, of_get_next_child, of_get_property, of_property_count_strings,
  of_property_match_string, of_property_read_bool, of_property_read_string, of_property_read_string_index, of_property_read_u32, of_property_read_u32_array,
  for_each_available_child_of_node, of_translate_address, of_get_available_child_count, dev_of_node,
} from '../../../src/kernel/api/of.js';
import { EINVAL, ENODATA, ENODEV, EOVERFLOW, EILSEQ, ERR_PTR, ENOMEM } from '../../../src/kernel/driver/errno.js';
import { translateReg } from '../../../src/kernel/driver/of-address.js';
import { kvsprintf } from '../../../src/kernel/driver/vsprintf.js';
import { IORESOURCE_MEM } from '../../../src/kernel/driver/resource.js';
import { run, toyBoard } from './helpers.js';

describe('of_* readers', () => {
  it('read cells, strings and booleans with Linux\'s return codes', () => {
    const { board, node } = toyBoard();
    const np = node('toy@8000');
    run(board, () => {
      const v = { value: 0 };
      expect(of_property_read_u32(np, 'acme,fifo-depth', v)).toBe(0);
      expect(v.value).toBe(64);
      expect(of_property_read_u32(np, 'missing', v)).toBe(-EINVAL);
      const arr = [0, 0, 0];
      expect(of_property_read_u32_array(np, 'reg', arr, 2)).toBe(0);
      expect(arr.slice(0, 2)).toEqual([0x8000, 0x100]);
      expect(of_property_read_u32_array(np, 'reg', arr, 3)).toBe(-EOVERFLOW);
      const s = { value: '' };
      expect(of_property_read_string(np, 'label', s)).toBe(0);
      expect(s.value).toBe('first');
      expect(of_property_read_string_index(np, 'acme,names', 1, s)).toBe(0);
      expect(s.value).toBe('rx');
      expect(of_property_read_string_index(np, 'acme,names', 2, s)).toBe(-ENODATA);
      expect(of_property_count_strings(np, 'acme,names')).toBe(2);
      expect(of_property_match_string(np, 'acme,names', 'rx')).toBe(1);
      expect(of_property_read_string(np, 'acme,blob', s)).toBe(-EILSEQ);
      expect(of_property_read_bool(np, 'acme,fifo-depth')).toBe(true);
      expect(of_get_property(np, 'reg', v)).toEqual(new Uint8Array([0, 0, 0x80, 0, 0, 0, 1, 0]));
      expect(v.value).toBe(8);
    });
  });

  it('compatibility, availability and children', () => {
    const { board, node } = toyBoard();
    const np = node('toy@8000');
    run(board, () => {
      expect(of_device_is_compatible(np, 'acme,toy-v2')).toBeGreaterThan(of_device_is_compatible(np, 'acme,toy'));
      expect(of_device_is_compatible(np, 'ACME,TOY')).toBeGreaterThan(0);
      expect(of_device_is_compatible(np, 'acme,other')).toBe(0);
      expect(of_get_child_by_name(np, 'queue')?.name).toBe('queue@1');
      expect(of_device_is_available(of_get_child_by_name(np, 'queue'))).toBe(false);
      expect(of_get_next_child(np, null)?.name).toBe('child@0');
      expect(of_get_next_child(np, of_get_next_child(np, null))?.name).toBe('queue@1');
      expect([...for_each_available_child_of_node(np)].map((c) => c.name)).toEqual(['child@0']);
      expect(of_get_available_child_count(np)).toBe(1);
    });
  });

  it('of_get_mac_address takes a valid local-mac-address and refuses an all-zero one', () => {
    const { board, node, pdev } = toyBoard();
    run(board, () => {
      const mac = new Uint8Array(6);
      expect(of_get_mac_address(node('toy@8000'), mac)).toBe(0);
      expect([...mac]).toEqual([0x00, 0x04, 0x9f, 0x01, 0x02, 0x03]);
      expect(of_get_mac_address(node('toy@9000'), mac)).toBe(-ENODEV);
      expect(dev_of_node(pdev('toy@9000').dev)).toBe(node('toy@9000'));
    });
  });
});

describe('address translation', () => {
  it('walks ranges (default bus, empty ranges as 1:1, 2-cell buses) and stops where a bus has no ranges', () => {
    const tree = parseDts(
      `/dts-v1/;
/ { #address-cells = <2>; #size-cells = <2>;
  lbc@ffe05000 { #address-cells = <2>; #size-cells = <1>; reg = <0 0xffe05000 0 0x1000>;
    ranges = <0 0 0 0xef000000 0x1000000  1 0 0 0xffa00000 0x40000>;
    nor@0,0 { reg = <0 0 0x1000000>; };
    nand@1,0 { reg = <1 0x100 0x40000>; };
    bad@2,0 { reg = <2 0 0x100>; };
  };
  soc@fffe00000 { #address-cells = <1>; #size-cells = <1>; ranges = <0 0xf 0xffe00000 0x100000>;
    enet@b0000 { #address-cells = <1>; #size-cells = <1>; ranges;
      queue@b4000 { reg = <0xb4000 0x1000>; };
    };
    plain { #address-cells = <1>; #size-cells = <1>; x@10 { reg = <0x10 4>; }; };
  };
};`,
      { file: 'xlate.dts', includeDirs: [] },
    );
    const at = (p: string) => {
      let n = tree.root;
      for (const part of p.split('/')) n = n.children.find((c) => c.name === part)!;
      return n;
    };
    expect(translateReg(at('lbc@ffe05000/nor@0,0'), 0)).toEqual({ ok: true, address: 0xef00_0000, size: 0x100_0000 });
    expect(translateReg(at('lbc@ffe05000/nand@1,0'), 0)).toEqual({ ok: true, address: 0xffa0_0100, size: 0x4_0000 });
    expect(translateReg(at('lbc@ffe05000/bad@2,0'), 0)).toMatchObject({ ok: false, why: 'no-match' });
    expect(translateReg(at('soc@fffe00000/enet@b0000/queue@b4000'), 0)).toEqual({ ok: true, address: 0xf_ffeb_4000, size: 0x1000 });
    expect(translateReg(at('soc@fffe00000/plain/x@10'), 0)).toMatchObject({ ok: false, why: 'no-ranges' });
    expect(translateReg(at('lbc@ffe05000'), 0)).toEqual({ ok: true, address: 0xffe0_5000, size: 0x1000 });
    const { board } = toyBoard();
    expect(run(board, () => of_translate_address(at('lbc@ffe05000/nor@0,0')))).toBe(0xef00_0000);
  });
});

describe('messages', () => {
  it('dev_err prints "<driver or bus> <device>: message" with printf formatting; dev_dbg needs dyndbg', () => {
    const { board, pdev } = toyBoard();
    const dev = pdev('toy@8000').dev;
    run(board, () => {
      dev_err(dev, 'reset timed out after %d ms (status %#010x)\n', 50, 0x80);
      dev.driverName = 'toy';
      dev_info(dev, 'regs %pR, err %pe, node %pOF (%pOFn)', { start: 0xffe0_8000, end: 0xffe0_80ff, flags: IORESOURCE_MEM, name: 'x' }, ERR_PTR(-ENOMEM), pdev('toy@8000').of_node, pdev('toy@8000').of_node);
      dev_dbg(dev, 'hidden');
      pr_warn('plain %s', 'line');
    });
    const log = board.dmesg();
    expect(log).toContain('platform ffe08000.toy: reset timed out after 50 ms (status 0x00000080)');
    expect(log).toContain('toy ffe08000.toy: regs [mem 0xffe08000-0xffe080ff], err -ENOMEM, node /soc@ffe00000/toy@8000 (toy)');
    expect(log).not.toContain('hidden');
    expect(log).toContain('] plain line');
    const dbg = toyBoard('dyndbg="+p"');
    run(dbg.board, () => dev_dbg(dbg.pdev('toy@8000').dev, 'shown %u', 7));
    expect(dbg.board.dmesg()).toContain('platform ffe08000.toy: shown 7');
  });

  it('netdev_err prints "<driver> <device> <ifname>: message", with the registration state', () => {
    const { board, pdev } = toyBoard();
    const parent = pdev('toy@8000').dev;
    parent.driverName = 'gianfar';
    run(board, () => {
      netdev_err({ name: 'eth0', parent }, 'tx timeout on queue %d', 0);
      netdev_info({ name: 'eth%d', parent, regState: 'uninitialized' }, 'probing');
      netdev_err({ name: 'eth1' }, 'no parent');
    });
    const log = board.dmesg();
    expect(log).toContain('gianfar ffe08000.toy eth0: tx timeout on queue 0');
    expect(log).toContain('gianfar ffe08000.toy (unnamed net_device) (uninitialized): probing');
    expect(log).toContain('eth1: no parent');
  });

  it('kvsprintf covers widths, flags, lengths and the pointer extensions', () => {
    expect(kvsprintf('%5d|%-5d|%05d|%+d|%x|%X|%#x|%o|%u', [42, 42, 42, 42, 255, 255, 255, 8, -1])).toBe('   42|42   |00042|+42|ff|FF|0xff|10|4294967295');
    expect(kvsprintf('%llx %lld %hhx %c %s %.2s %*d %%', [2n ** 40n, -5n, 0x1ff, 65, 'str', 'abc', 4, 7])).toBe('10000000000 -5 ff A str ab    7 %');
    expect(kvsprintf('%pM %pI4 %pa %px %pe %pe', [new Uint8Array([0, 4, 0x9f, 1, 2, 3]), 0xc0a80101, 0xffe00000, 0xc0001000, -22, ERR_PTR(-517)])).toBe('00:04:9f:01:02:03 192.168.1.1 0xffe00000 c0001000 -EINVAL -EPROBE_DEFER');
  });
});
