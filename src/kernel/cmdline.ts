/**
 * The kernel command line (`chosen/bootargs`): the options driverlab's kernel understands, parsed
 * once at boot. Unknown words are kept and listed, as Linux passes them on without complaint.
 */

/** Parsed boot options. */
export interface BootOptions {
  /** The command line as given. */
  readonly raw: string;
  /** `panic_on_oops=1`: every oops panics the board. */
  readonly panicOnOops: boolean;
  /** `dma_debug=off` disables the DMA checker's dma-debug layer. */
  readonly dmaDebug: boolean;
  /** `dma_debug_driver=<name>`: only that driver's DMA-API errors are printed. */
  readonly dmaDebugDriver: string | null;
  /** `swiotlb=force`: bounce every streaming mapping. */
  readonly swiotlbForce: boolean;
  /** `slub_debug` (on by default here; `slub_debug=-` turns it off). */
  readonly slubDebug: boolean;
  /** `irqpoll`: poll every handler on an unhandled interrupt. */
  readonly irqpoll: boolean;
  /** `driverlab.strict=1`: any report fails the run. */
  readonly strict: boolean;
  /** Words the kernel does not act on. */
  readonly unknown: readonly string[];
}

/** Parse a command line. Values that make no sense are an error naming the word. */
export function parseCmdline(raw: string): BootOptions {
  const opts = {
    raw,
    panicOnOops: false,
    dmaDebug: true,
    dmaDebugDriver: null as string | null,
    swiotlbForce: false,
    slubDebug: true,
    irqpoll: false,
    strict: false,
    unknown: [] as string[],
  };
  for (const word of raw.split(/\s+/).filter((w) => w.length > 0)) {
    const eq = word.indexOf('=');
    const key = eq < 0 ? word : word.slice(0, eq);
    const val = eq < 0 ? null : word.slice(eq + 1);
    switch (key) {
      case 'panic_on_oops':
        opts.panicOnOops = bool(word, val ?? '1');
        break;
      case 'dma_debug':
        if (val !== 'off' && val !== 'on') throw new Error(`kernel command line: "${word}": dma_debug takes off or on`);
        opts.dmaDebug = val === 'on';
        break;
      case 'dma_debug_driver':
        if (!val) throw new Error(`kernel command line: "${word}": dma_debug_driver needs a driver name`);
        opts.dmaDebugDriver = val;
        break;
      case 'swiotlb':
        opts.swiotlbForce = val === 'force' || (val?.split(',').includes('force') ?? false);
        break;
      case 'slub_debug':
        opts.slubDebug = val !== '-';
        break;
      case 'irqpoll':
        opts.irqpoll = true;
        break;
      case 'driverlab.strict':
        opts.strict = bool(word, val ?? '1');
        break;
      default:
        opts.unknown.push(word);
    }
  }
  return opts;
}

function bool(word: string, v: string): boolean {
  if (v === '1' || v === 'y' || v === 'Y') return true;
  if (v === '0' || v === 'n' || v === 'N') return false;
  throw new Error(`kernel command line: "${word}": expected 0 or 1`);
}
