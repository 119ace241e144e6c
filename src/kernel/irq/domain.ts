/**
 * irq_domain: the translation from a controller's hardware irq numbers to Linux irq numbers, and
 * the descriptor table those numbers index. Linux numbers are allocated as irq_domain_alloc_descs
 * does: try hwirq % nr_irqs (0 becomes 1), else the first free number from 1; numbers 0..15 are
 * taken at boot by the legacy ISA descriptors powerpc preallocates, so on this platform an MPIC
 * source below 16 never gets its own number. Left out: hierarchy, tree and nomap domains, fwnode
 * matching beyond "the default domain", affinity.
 */
import type { Kernel } from '../kernel.js';
import { kernelFrame } from '../report/symbols.js';
import { EINVAL, ENOMEM, EPERM, IRQ_TYPE_NONE, IRQ_TYPE_SENSE_MASK, NR_IRQS, NR_IRQS_LEGACY } from './constants.js';
import { IrqDesc, no_irq_chip, type FlowHandler } from './desc.js';

/** What a domain's controller provides (`struct irq_domain_ops`). */
export interface IrqDomainOps {
  /** Set up `virq` for `hwirq` (chip, flow handler, default type); 0 or a negative errno. */
  map(d: IrqDomain, virq: number, hwirq: number): number;
  /** Translate device-tree interrupt cells; a string explains a refusal. */
  xlate?(d: IrqDomain, cells: readonly number[]): { readonly hwirq: number; readonly type: number } | string;
  /** Undo map(). */
  unmap?(d: IrqDomain, virq: number): void;
}

/** `struct irq_domain` with a linear reverse map. */
export class IrqDomain {
  /** Mappings made. */
  mapcount = 0;
  private readonly revmap: Int32Array;

  constructor(
    /** Name in messages. */
    readonly name: string,
    /** `hwirq_max`: hwirqs 0..size-1 can be mapped. */
    readonly size: number,
    /** The controller's operations. */
    readonly ops: IrqDomainOps,
    /** The controller (`host_data`). */
    readonly hostData: unknown,
  ) {
    this.revmap = new Int32Array(size);
  }

  /** `irq_find_mapping()`: the Linux irq of `hwirq`, 0 when unmapped. */
  find(hwirq: number): number {
    return hwirq >= 0 && hwirq < this.size ? this.revmap[hwirq]! : 0;
  }

  /** @internal record a mapping */
  setMapping(hwirq: number, virq: number): void {
    this.revmap[hwirq] = virq;
  }
}

/** The irq descriptors of one kernel (`sparse_irqs` plus `allocated_irqs`). */
export class IrqDescTable {
  /** `nr_irqs`. */
  readonly nrIrqs = NR_IRQS;
  private readonly descs: (IrqDesc | undefined)[] = new Array<IrqDesc | undefined>(NR_IRQS);

  constructor(private readonly handleBad: FlowHandler) {
    // early_irq_init: the legacy descriptors 0..NR_IRQS_LEGACY-1 exist from boot, without a chip.
    for (let i = 0; i < NR_IRQS_LEGACY; i++) this.descs[i] = new IrqDesc(i, handleBad);
  }

  /** `irq_to_desc()`. */
  get(irq: number): IrqDesc | undefined {
    return Number.isInteger(irq) && irq >= 0 && irq < this.nrIrqs ? this.descs[irq] : undefined;
  }

  /** Every allocated descriptor, by number. */
  *all(): IterableIterator<IrqDesc> {
    for (const d of this.descs) if (d) yield d;
  }

  /** `irq_domain_alloc_descs(-1, 1, hwirq)`: a new descriptor's number, or a negative errno. */
  allocFor(hwirq: number): number {
    let hint = hwirq % this.nrIrqs;
    if (hint === 0) hint = 1;
    let virq = this.firstFree(hint);
    if (virq < 0) virq = this.firstFree(1);
    if (virq < 0) return -ENOMEM;
    this.descs[virq] = new IrqDesc(virq, this.handleBad);
    return virq;
  }

  /** `irq_free_desc()`. */
  free(virq: number): void {
    if (virq >= NR_IRQS_LEGACY) this.descs[virq] = undefined;
  }

  private firstFree(from: number): number {
    for (let i = from; i < this.nrIrqs; i++) if (!this.descs[i]) return i;
    return -1;
  }
}

/** The domains of one kernel and the mapping functions. */
export class IrqMapper {
  /** `irq_default_domain`. */
  defaultDomain: IrqDomain | null = null;
  /** Every registered domain. */
  readonly domains: IrqDomain[] = [];

  constructor(
    private readonly k: Kernel,
    private readonly descs: IrqDescTable,
  ) {}

  /** `irq_domain_add_linear()`. */
  addLinear(name: string, size: number, ops: IrqDomainOps, hostData: unknown): IrqDomain {
    const d = new IrqDomain(name, size, ops, hostData);
    this.domains.push(d);
    return d;
  }

  /** `irq_create_mapping(domain, hwirq)`: an existing or new Linux irq; 0 on failure. */
  createMapping(domain: IrqDomain | null, hwirq: number): number {
    const d = domain ?? this.defaultDomain;
    if (!d) {
      this.k.reporter.warn({
        id: 'irq.mapping-null-domain',
        title: `irq_create_mapping_affinity(, ${hwirq.toString(16)}) called with NULL domain`,
        site: { file: 'kernel/irq/irqdomain.c', line: 808 },
        frames: [kernelFrame('irq_create_mapping_affinity')],
      });
      return 0;
    }
    const existing = d.find(hwirq);
    if (existing) return existing;
    const virq = this.descs.allocFor(hwirq);
    if (virq <= 0) return 0;
    if (this.associate(d, virq, hwirq) !== 0) {
      this.descs.free(virq);
      return 0;
    }
    return virq;
  }

  /** `irq_domain_associate()`: run the domain's map() and record the mapping. */
  associate(d: IrqDomain, virq: number, hwirq: number): number {
    const desc = this.descs.get(virq);
    const warn = (title: string): number => {
      this.k.reporter.warn({ id: 'irq.domain-associate', title, site: { file: 'kernel/irq/irqdomain.c', line: 592 }, frames: [kernelFrame('irq_domain_associate_locked')] });
      return -EINVAL;
    };
    if (!(hwirq >= 0 && hwirq < d.size)) return warn(`error: hwirq 0x${hwirq.toString(16)} is too large for ${d.name}`);
    if (!desc) return warn(`error: virq${virq} is not allocated`);
    if (desc.domain) return warn(`error: virq${virq} is already associated`);
    desc.hwirq = hwirq;
    desc.domain = d;
    const ret = d.ops.map(d, virq, hwirq);
    if (ret !== 0) {
      if (ret !== -EPERM) this.k.log.info(`${d.name} didn't like hwirq-0x${hwirq.toString(16)} to VIRQ${virq} mapping (rc=${ret})`);
      desc.domain = null;
      desc.hwirq = 0;
      return ret;
    }
    d.mapcount++;
    d.setMapping(hwirq, virq);
    desc.noRequest = false;
    return 0;
  }

  /**
   * `irq_create_fwspec_mapping()` for a device-tree specifier: translate the cells in the domain
   * (the default one unless given), reuse or create the mapping, and record the trigger type
   * (programmed into the controller when the line is requested). 0 on failure.
   */
  createOfMapping(cells: readonly number[], node: string, domain: IrqDomain | null = null): number {
    const d = domain ?? this.defaultDomain;
    if (!d) {
      this.k.log.warn(`no irq domain found for ${node} !`);
      return 0;
    }
    let hwirq: number;
    let type: number;
    if (d.ops.xlate) {
      const t = d.ops.xlate(d, cells);
      if (typeof t === 'string') {
        this.k.log.debug(`${node}: ${t}`);
        return 0;
      }
      hwirq = t.hwirq;
      type = t.type & IRQ_TYPE_SENSE_MASK;
    } else {
      hwirq = cells[0] ?? 0;
      type = IRQ_TYPE_NONE;
    }
    const existing = d.find(hwirq);
    if (existing) {
      const desc = this.descs.get(existing)!;
      if (type === IRQ_TYPE_NONE || type === desc.triggerType) return existing;
      if (desc.triggerType === IRQ_TYPE_NONE) {
        desc.triggerType = type;
        desc.triggerSet = true;
        return existing;
      }
      this.k.log.warn(`type mismatch, failed to map hwirq-${hwirq} for ${node}!`);
      return 0;
    }
    const virq = this.createMapping(d, hwirq);
    if (!virq) return 0;
    const desc = this.descs.get(virq)!;
    if (type !== IRQ_TYPE_NONE) {
      desc.triggerType = type;
      desc.triggerSet = true;
    }
    return virq;
  }

  /** `irq_dispose_mapping()`: the number becomes unrequestable and is freed. */
  disposeMapping(virq: number): void {
    const desc = this.descs.get(virq);
    if (!desc || !desc.domain) return;
    const d = desc.domain;
    desc.noRequest = true;
    d.ops.unmap?.(d, virq);
    desc.chip = no_irq_chip;
    d.setMapping(desc.hwirq, 0);
    d.mapcount--;
    desc.domain = null;
    this.descs.free(virq);
  }
}
