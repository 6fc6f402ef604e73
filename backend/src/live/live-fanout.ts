import {
  type Change,
  type ExecutionKey,
  type LiveMessage,
  STATS_TOPIC,
  TASKS_TOPIC,
  taskTopic,
} from './change';

/** Beyond this many changed tasks in one flush, the list is told "everything" instead of each id. */
const MAX_LISTED_TASKS = 500;

/**
 * Coalesces changes and sends one message per topic per flush window. At hundreds of executions a
 * second, a message per change would flood browsers that only re-fetch what they show anyway.
 */
export class LiveFanout {
  private position = 0;
  private tasks = new Map<string, ExecutionKey[]>();
  private all = false;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly send: (message: LiveMessage) => void,
    private readonly windowMs = 150,
  ) {}

  push(change: Change): void {
    this.position = Math.max(this.position, change.position);
    if (change.all) this.all = true;
    for (const id of change.tasks) if (!this.tasks.has(id)) this.tasks.set(id, []);
    for (const execution of change.executions) {
      const list = this.tasks.get(execution.taskId) ?? [];
      list.push(execution);
      this.tasks.set(execution.taskId, list);
    }
    this.timer ??= setTimeout(() => this.flush(), this.windowMs);
  }

  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const { position, tasks, all } = this;
    if (tasks.size === 0 && !all) return;
    this.tasks = new Map();
    this.all = false;
    const listAll = all || tasks.size > MAX_LISTED_TASKS;
    this.send(
      listAll
        ? { topic: TASKS_TOPIC, position, tasks: [], all: true }
        : { topic: TASKS_TOPIC, position, tasks: [...tasks.keys()] },
    );
    for (const [taskId, executions] of tasks) {
      this.send({ topic: taskTopic(taskId), position, executions });
    }
    // A rebuild reaches every task's page, too; those clients listen on `tasks` for `all`.
    this.send({ topic: STATS_TOPIC, position });
  }

  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }
}
