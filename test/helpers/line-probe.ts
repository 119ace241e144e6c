/** A recording stand-in for an interrupt input (a device's IRQ line, the core's INT pin), shared by register-level tests. */
export class LineProbe {
  level = false;
  /** Every level driven, in order. */
  readonly history: boolean[] = [];
  set(v: boolean): void {
    this.level = v;
    this.history.push(v);
  }
  /** Number of rising edges seen. */
  get rises(): number {
    let n = 0;
    for (let i = 0; i < this.history.length; i++) if (this.history[i] && !(i > 0 && this.history[i - 1])) n++;
    return n;
  }
}
