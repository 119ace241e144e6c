/**
 * The trace bus: a typed rxjs stream of what the simulated machine does. Emitters check
 * {@link TraceBus.enabled} before building an event, so tracing costs nothing when nobody listens.
 */
import { Subject, type Observable } from 'rxjs';

/** Every kind of event the machine can trace. Each carries the simulated time in ns. */
export type TraceEvent =
  | { kind: 'cache'; t: number; op: 'fill' | 'writeback' | 'evict' | 'clean' | 'invalidate' | 'flush' | 'zero'; pa: number }
  | { kind: 'bus'; t: number; master: string; op: 'read' | 'write'; pa: number; len: number }
  | { kind: 'mmio'; t: number; op: 'read' | 'write'; pa: number; size: number; value: number }
  | { kind: 'report'; t: number; id: string; title: string }
  | { kind: 'log'; t: number; level: number; text: string }
  | { kind: 'irq'; t: number; line: number; level: boolean }
  | { kind: 'custom'; t: number; name: string; data: unknown };

/** A trace stream with a zero-cost "is anyone listening" test. */
export class TraceBus {
  private readonly subject = new Subject<TraceEvent>();
  /** The stream; subscribe to watch the machine. */
  readonly events$: Observable<TraceEvent> = this.subject.asObservable();

  /** True while at least one subscriber listens. Check this before building an event. */
  get enabled(): boolean {
    return this.subject.observed;
  }

  /** Publish an event (callers should have checked {@link TraceBus.enabled}). */
  emit(ev: TraceEvent): void {
    if (this.subject.observed) this.subject.next(ev);
  }
}
