/** Pause, resume and cancel for a running trainer; checked between optimizer updates. */
export class TrainSignals {
  private pausedFlag = false;
  private cancelledFlag = false;
  private wake: (() => void) | null = null;

  get paused(): boolean {
    return this.pausedFlag;
  }
  get cancelled(): boolean {
    return this.cancelledFlag;
  }
  pause(): void {
    this.pausedFlag = true;
  }
  resume(): void {
    this.pausedFlag = false;
    this.wake?.();
  }
  cancel(): void {
    this.cancelledFlag = true;
    this.wake?.();
  }
  /** Resolves once resumed or cancelled. */
  async waitWhilePaused(): Promise<void> {
    while (this.pausedFlag && !this.cancelledFlag)
      await new Promise<void>((resolve) => (this.wake = resolve));
    this.wake = null;
  }
}
