/**
 * In-memory IBM BAW data for the simulator: process apps (containers) with
 * snapshots and a branch, business process definitions (BPDs), process
 * instances and their tasks. Task and instance ids are shared by the WLE
 * (/rest/bpm/wle/v1) and the Process REST (/bpm) families.
 */

export type ProcessState = 'running' | 'completed' | 'failed' | 'terminated' | 'suspended';
export type TaskState = 'ready' | 'claimed' | 'completed' | 'failed';

export interface SnapshotRecord {
  id: string;
  name: string;
  acronym: string;
}

export interface AppRecord {
  processAppId: string;
  name: string;
  acronym: string;
  branchId: string;
  branchName: string;
  /** newest first; the first one is the branch tip (the default version) */
  snapshots: SnapshotRecord[];
}

/** A declared variable: a BPD input (bpddata) or a task output. Types are BAW's: String, Integer, Decimal, Boolean, Date, or a business object. */
export interface VariableDef {
  name: string;
  type: string;
  isList?: boolean;
  description?: string;
}

export interface BpdRecord {
  bpdId: string;
  name: string;
  app: AppRecord;
  /** display name of the first task a new instance gets */
  firstTask: string;
  /** group the first task belongs to */
  group: string;
  /** the BPD's input variables (bpddata), checked by POST /bpm/processes */
  inputs: VariableDef[];
  /** the output variables of its tasks, checked by POST /bpm/user-tasks/{id}/complete */
  taskOutputs: VariableDef[];
}

export interface InstanceRecord {
  piid: string;
  name: string;
  bpd: BpdRecord;
  snapshot: SnapshotRecord;
  state: ProcessState;
  creator: string;
  created: number;
  modified: number;
  completed: number | null;
  variables: Record<string, unknown>;
}

export interface TaskRecord {
  tkiid: string;
  piid: string;
  name: string;
  state: TaskState;
  /** user the task is claimed by (claimed or closed tasks) */
  owner: string | null;
  /** group or team the task is offered to when nobody owns it */
  group: string;
  priority: number;
  created: number;
  modified: number;
  due: number;
  completed: number | null;
  completedBy: string | null;
  data: Record<string, unknown>;
}

export const APP_HIRING: AppRecord = {
  processAppId: '2066.3c1a7b52-8f44-4d3e-9a0b-6e2f1d7c4a81',
  name: 'Hiring Sample',
  acronym: 'HSS',
  branchId: '2063.91d2e4f0-5b6a-4c8d-8e3f-2a1b0c9d8e7f',
  branchName: 'Main',
  snapshots: [
    { id: '2064.5e9b1c3d-7a2f-4b6e-8d0c-1f3a5b7c9d2e', name: 'Hiring Sample v8.6', acronym: 'HSS86' },
    { id: '2064.0a4c6e8f-1b3d-4f5a-9c7e-2d4f6a8b0c1e', name: 'Hiring Sample v8.5', acronym: 'HSS85' },
  ],
};

export const APP_VACATION: AppRecord = {
  processAppId: '2066.7f2e9d41-0c3b-4a5e-b6d8-9e1f2a3b4c5d',
  name: 'Vacation Requests',
  acronym: 'VR',
  branchId: '2063.4b6d8f0a-2c4e-4a6b-8c0d-3e5f7a9b1c2d',
  branchName: 'Main',
  snapshots: [{ id: '2064.c3e5a7b9-4d6f-4b8a-9c1e-5f7a9b1c3d5e', name: 'Vacation Requests 1.2', acronym: '1.2' }],
};

export const BPD_HIRING: BpdRecord = {
  bpdId: '25.8d2f4a6c-1e3b-4c5d-9f7a-0b2c4d6e8f1a',
  name: 'Standard HR Open New Position',
  app: APP_HIRING,
  firstTask: 'Submit position request',
  group: 'Hiring Managers',
  inputs: [
    { name: 'position', type: 'String', description: 'Job title' },
    { name: 'headcount', type: 'Integer' },
    { name: 'salaryBudget', type: 'Decimal' },
    { name: 'skills', type: 'String', isList: true },
    { name: 'hiringManager', type: 'Person' },
  ],
  taskOutputs: [
    { name: 'approved', type: 'Boolean' },
    { name: 'salary', type: 'Decimal' },
    { name: 'notes', type: 'String' },
  ],
};

export const BPD_VACATION: BpdRecord = {
  bpdId: '25.1a3c5e7f-9b2d-4f6a-8c0e-7d9f1b3d5f7a',
  name: 'Vacation request',
  app: APP_VACATION,
  firstTask: 'Submit request',
  group: 'Employees',
  inputs: [
    { name: 'requester', type: 'String' },
    { name: 'days', type: 'Integer', description: 'Working days off' },
    { name: 'startDate', type: 'Date' },
    { name: 'reason', type: 'String' },
  ],
  taskOutputs: [
    { name: 'approved', type: 'Boolean' },
    { name: 'comment', type: 'String' },
  ],
};

export const APPS: AppRecord[] = [APP_HIRING, APP_VACATION];
export const BPDS: BpdRecord[] = [BPD_HIRING, BPD_VACATION];

/** Users that own seeded tasks (besides the configured users). */
export const SEED_USERS = ['jane.doe', 'john.smith'];

const HOUR = 3600 * 1000;

/** A task's output variables as BAW maps them in: typed defaults (a Date starts empty). */
function outputDefaults(bpd: BpdRecord): Record<string, unknown> {
  const initial = (def: VariableDef): unknown => {
    if (def.isList) return [];
    switch (def.type) {
      case 'String':
        return '';
      case 'Integer':
      case 'Decimal':
        return 0;
      case 'Boolean':
        return false;
      default:
        return null;
    }
  };
  return Object.fromEntries(bpd.taskOutputs.map((def) => [def.name, initial(def)]));
}

export class BawStore {
  instances = new Map<string, InstanceRecord>();
  tasks = new Map<string, TaskRecord>();
  private nextPiid = 304;
  private nextTkiid = 504;

  constructor() {
    this.reseed();
  }

  reseed(): void {
    this.instances.clear();
    this.tasks.clear();
    this.nextPiid = 304;
    this.nextTkiid = 504;
    const t0 = Date.parse('2026-01-12T08:30:00.000Z');
    const inst = (piid: string, bpd: BpdRecord, state: ProcessState, creator: string, created: number, variables: Record<string, unknown>): InstanceRecord => {
      const rec: InstanceRecord = {
        piid,
        name: `${bpd.name}:${piid}`,
        bpd,
        snapshot: bpd.app.snapshots[0]!,
        state,
        creator,
        created,
        modified: created,
        completed: state === 'completed' ? created + 2 * HOUR : null,
        variables,
      };
      if (rec.completed !== null) rec.modified = rec.completed;
      this.instances.set(piid, rec);
      return rec;
    };
    const task = (tkiid: string, rec: InstanceRecord, state: TaskState, owner: string | null): void => {
      this.tasks.set(tkiid, {
        tkiid,
        piid: rec.piid,
        name: rec.bpd.firstTask,
        state,
        owner,
        group: rec.bpd.group,
        priority: 30,
        created: rec.created,
        modified: rec.modified,
        due: rec.created + HOUR,
        completed: state === 'completed' ? rec.completed : null,
        completedBy: state === 'completed' ? owner : null,
        data: outputDefaults(rec.bpd),
      });
    };
    const a = inst('301', BPD_VACATION, 'running', 'jane.doe', t0, { requester: 'jane.doe', days: 3 });
    const b = inst('302', BPD_HIRING, 'running', 'john.smith', t0 + HOUR, { position: 'Analyst' });
    const c = inst('303', BPD_VACATION, 'completed', 'john.smith', t0 + 2 * HOUR, { requester: 'john.smith', days: 1 });
    task('501', a, 'ready', null);
    task('502', b, 'claimed', 'jane.doe');
    task('503', c, 'completed', 'john.smith');
  }

  bpdById(bpdId: string): BpdRecord | undefined {
    return BPDS.find((b) => b.bpdId === bpdId);
  }

  /** Start an instance of a BPD on a snapshot: one task, claimed by the starter (as BAW shows it for a first lane task). */
  start(bpd: BpdRecord, snapshot: SnapshotRecord, creator: string, variables: Record<string, unknown>, now: number): { instance: InstanceRecord; task: TaskRecord } {
    const piid = String(this.nextPiid++);
    const instance: InstanceRecord = {
      piid,
      name: `${bpd.name}:${piid}`,
      bpd,
      snapshot,
      state: 'running',
      creator,
      created: now,
      modified: now,
      completed: null,
      variables: { ...variables },
    };
    this.instances.set(piid, instance);
    const tkiid = String(this.nextTkiid++);
    const task: TaskRecord = {
      tkiid,
      piid,
      name: bpd.firstTask,
      state: 'claimed',
      owner: creator,
      group: bpd.group,
      priority: 30,
      created: now,
      modified: now,
      due: now + HOUR,
      completed: null,
      completedBy: null,
      data: outputDefaults(bpd),
    };
    this.tasks.set(tkiid, task);
    return { instance, task };
  }

  /** One new instance of `bpd` holding `count` ready tasks (paging tests); returns the task ids in order. */
  bulkCreateTasks(count: number, bpd: BpdRecord, creator: string, now: number): string[] {
    const { task } = this.start(bpd, bpd.app.snapshots[0]!, creator, {}, now);
    task.state = 'ready';
    task.owner = null;
    const ids = [task.tkiid];
    for (let i = 1; i < count; i++) {
      const tkiid = String(this.nextTkiid++);
      this.tasks.set(tkiid, { ...task, tkiid, data: outputDefaults(bpd), due: task.due + i * 1000 });
      ids.push(tkiid);
    }
    return ids;
  }

  tasksOf(piid: string): TaskRecord[] {
    return [...this.tasks.values()].filter((t) => t.piid === piid);
  }

  /** After a task closes: the instance completes (or fails) when it has no open task left. */
  settle(piid: string, now: number): void {
    const inst = this.instances.get(piid);
    if (!inst || inst.state !== 'running') return;
    const tasks = this.tasksOf(piid);
    if (tasks.some((t) => t.state === 'ready' || t.state === 'claimed')) return;
    inst.state = tasks.some((t) => t.state === 'failed') ? 'failed' : 'completed';
    inst.modified = now;
    inst.completed = now;
  }

  deleteInstance(piid: string): boolean {
    if (!this.instances.delete(piid)) return false;
    for (const [id, t] of this.tasks) if (t.piid === piid) this.tasks.delete(id);
    return true;
  }
}
