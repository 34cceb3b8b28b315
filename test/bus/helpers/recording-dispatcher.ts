import {
  type DispatchOptions,
  PermanentDispatchError,
  type TaskDispatcher,
} from '../../../src/bus/igwn-alert/dispatcher.js';

export interface SentTask {
  taskName: string;
  args: unknown[];
  taskId: string;
  priority?: number;
}

/**
 * Stands in for the task engine: records every task the listener sends and, like the engine,
 * refuses to queue a task id twice (counted in `refused`). It can fail like an engine whose
 * broker is down (`failNext`) or refuse a task for good (`permanentlyRefuse`).
 */
export class RecordingDispatcher implements TaskDispatcher {
  readonly sent: SentTask[] = [];
  readonly refused: SentTask[] = [];
  failNext = 0;
  readonly permanentlyRefuse = new Set<string>();
  private readonly ids = new Set<string>();

  async send(taskName: string, args: unknown[], options: DispatchOptions): Promise<void> {
    if (this.failNext > 0) {
      this.failNext--;
      throw new Error('engine broker unavailable (test)');
    }
    if (this.permanentlyRefuse.has(taskName)) {
      throw new PermanentDispatchError(`task ${taskName} is not registered (test)`);
    }
    const task = {
      taskName,
      args: structuredClone(args),
      taskId: options.taskId,
      priority: options.priority,
    };
    if (this.ids.has(options.taskId)) {
      this.refused.push(task);
      return;
    }
    this.ids.add(options.taskId);
    this.sent.push(task);
  }

  /** The tasks sent to one handler, as (uid, alert_type) pairs. */
  changesFor(taskName: string): string[] {
    return this.sent
      .filter((t) => t.taskName === taskName)
      .map((t) => {
        const alert = t.args[0] as { uid: string; alert_type: string };
        return `${alert.uid}:${alert.alert_type}`;
      });
  }
}
