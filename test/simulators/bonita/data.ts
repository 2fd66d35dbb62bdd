/**
 * In-memory Bonita data for the simulator: users, processes, live and archived cases and human tasks, case
 * variables, case documents and uploaded temporary files. Every item value is a string, as in Bonita's REST API.
 */
import { randomInt } from 'node:crypto';
import { INVOICE_COUNT } from './bdm';
import { bonitaDate } from './bonita-date';
import { EMPTY_CONTRACT, contractOf, input, type Contract } from './contract';
import { PROCESSES, PROCESS_EXPENSE, PROCESS_REGISTRATION, isActorMember, type ProcessDefinition, type VariableType } from './processes';

export type Item = Record<string, string>;

export interface ProcessRecord {
  item: Item;
  def: ProcessDefinition;
}

export interface VariableRecord {
  type: VariableType;
  value: string;
  description: string;
}

export interface CaseRecord {
  item: Item;
  /** what the task names show ("Review <label>") */
  label: string;
  variables: Map<string, VariableRecord>;
  /** persistenceId of the business object the case refers to */
  businessDataId?: string;
}

export interface ArchivedCaseRecord {
  item: Item;
  source: CaseRecord;
}

export interface TaskRecord {
  item: Item;
  contract: Contract;
  /** index in the process's steps */
  step: number;
}

export interface DocumentRecord {
  item: Item;
  /** content of an internal document (absent for a URL document) */
  data?: Buffer;
}

export interface Upload {
  filename: string;
  contentType: string | undefined;
  data: Buffer;
}

/** Ids of the Bonita "ACME" organization users; other user names get 101, 102, ... */
const ACME: { userName: string; id: string; manager: string; enabled: boolean }[] = [
  { userName: 'william.jobs', id: '1', manager: '0', enabled: true },
  { userName: 'april.sanchez', id: '2', manager: '1', enabled: true },
  { userName: 'helen.kelly', id: '3', manager: '1', enabled: true },
  { userName: 'walter.bates', id: '4', manager: '3', enabled: true },
  { userName: 'daniela.angelo', id: '5', manager: '3', enabled: true },
  { userName: 'thomas.wallis', id: '6', manager: '1', enabled: false },
];

const FIRST_CASE_ID = 1004;
const FIRST_TASK_ID = 20010;
const FIRST_ARCHIVED_CASE_ID = 5001;
const FIRST_ARCHIVED_TASK_ID = 60001;

export class BonitaStore {
  users = new Map<string, Item>(); // id -> user item
  userIdByName = new Map<string, string>();
  processes = new Map<string, ProcessRecord>();
  cases = new Map<string, CaseRecord>();
  archivedCases = new Map<string, ArchivedCaseRecord>();
  tasks = new Map<string, TaskRecord>();
  archivedTasks = new Map<string, Item>();
  documents = new Map<string, DocumentRecord>();
  uploads = new Map<string, Upload>();
  private nextCaseId = FIRST_CASE_ID;
  private nextTaskId = FIRST_TASK_ID;
  private nextArchivedCaseId = FIRST_ARCHIVED_CASE_ID;
  private nextArchivedTaskId = FIRST_ARCHIVED_TASK_ID;
  private nextDocumentId = 1;

  constructor(private readonly userNames: string[]) {
    this.reseed();
  }

  reseed(): void {
    for (const m of [this.users, this.userIdByName, this.processes, this.cases, this.archivedCases, this.tasks, this.archivedTasks, this.documents, this.uploads]) m.clear();
    this.nextCaseId = FIRST_CASE_ID;
    this.nextTaskId = FIRST_TASK_ID;
    this.nextArchivedCaseId = FIRST_ARCHIVED_CASE_ID;
    this.nextArchivedTaskId = FIRST_ARCHIVED_TASK_ID;
    this.nextDocumentId = 1;

    const created = '2024-01-15 09:30:00.000';
    let extra = 101;
    const acme = new Map(ACME.map((u) => [u.userName, u]));
    const names = Array.from(new Set([...ACME.map((u) => u.userName), ...this.userNames]));
    for (const userName of names) {
      const known = acme.get(userName);
      const id = known?.id ?? String(extra++);
      const [first = userName, last = ''] = userName.split('.');
      this.userIdByName.set(userName, id);
      this.users.set(id, {
        id,
        userName,
        firstname: cap(first),
        lastname: cap(last),
        title: '',
        job_title: '',
        icon: '',
        enabled: String(known?.enabled ?? true),
        manager_id: known?.manager ?? '0',
        created_by_user_id: '-1',
        creation_date: created,
        last_update_date: created,
        last_connection: '',
      });
    }

    for (const def of PROCESSES) {
      this.processes.set(def.id, {
        def,
        item: {
          id: def.id,
          icon: '',
          displayDescription: def.description,
          deploymentDate: def.deploymentDate,
          description: def.description,
          activationState: def.activationState,
          name: def.name,
          deployedBy: '4',
          displayName: def.name,
          actorinitiatorid: def.actorId,
          last_update_date: def.deploymentDate,
          configurationState: 'RESOLVED',
          version: def.version,
        },
      });
    }

    // Seed cases and tasks.
    this.addCase('1001', PROCESS_REGISTRATION, '4', '4', '2024-03-01 09:00:00.000', 'Alice');
    this.addCase('1002', PROCESS_EXPENSE, '4', '4', '2024-03-02 09:00:00.000', 'Expense Report');
    this.addCase('1003', PROCESS_REGISTRATION, '4', '4', '2024-03-03 09:00:00.000', 'Bob');
    this.addTask('20001', 'Review Alice', '1001', '', EMPTY_CONTRACT, '2024-03-01 09:00:01.000', 'normal', 0);
    this.addTask('20002', 'Approve expense', '1002', '4', contractOf(input('approved', 'BOOLEAN')), '2024-03-02 09:00:01.000', 'normal', 0);
    this.addTask('20003', 'Review Bob', '1003', '', EMPTY_CONTRACT, '2024-03-03 09:00:01.000', 'normal', 0);
  }

  userIdFor(userName: string): string {
    const id = this.userIdByName.get(userName);
    if (id !== undefined) return id;
    // a user that can log in but is not in the seed (should not happen)
    const fresh = String(1000 + this.userIdByName.size);
    this.userIdByName.set(userName, fresh);
    return fresh;
  }

  userName(userId: string): string | undefined {
    return this.users.get(userId)?.userName;
  }

  /** Whether the user may start the process (it is enabled and the user is in its initiator actor). */
  canStart(proc: ProcessRecord, userId: string): boolean {
    return proc.item.activationState === 'ENABLED' && isActorMember(proc.def.actorId, this.userName(userId));
  }

  /** Whether the user is a candidate for the task (member of its actor). */
  isCandidate(task: Item, userId: string): boolean {
    return isActorMember(task.actorId ?? '', this.userName(userId));
  }

  private addCase(id: string, processId: string, startedBy: string, substitute: string, date: string, label: string): CaseRecord {
    const def = this.processes.get(processId)!.def;
    const item: Item = {
      id,
      end_date: '',
      startedBySubstitute: substitute,
      start: date,
      state: 'started',
      rootCaseId: id,
      started_by: startedBy,
      processDefinitionId: processId,
      last_update_date: date,
    };
    for (let i = 1; i <= 5; i++) {
      item[`searchIndex${i}Label`] = '';
      item[`searchIndex${i}Value`] = '';
    }
    const variables = new Map(def.variables.map((v) => [v.name, { type: v.type, value: v.value, description: v.description }]));
    const rec: CaseRecord = { item, label, variables };
    if (def.businessData) rec.businessDataId = String(((Number(id) - 1) % INVOICE_COUNT) + 1);
    this.cases.set(id, rec);
    return rec;
  }

  private addTask(id: string, name: string, caseId: string, assignedId: string, contract: Contract, date: string, priority: string, step: number): TaskRecord {
    const c = this.cases.get(caseId)!.item;
    const rec: TaskRecord = {
      item: {
        id,
        type: 'USER_TASK',
        name,
        displayName: name,
        description: '',
        displayDescription: '',
        state: 'ready',
        assigned_id: assignedId,
        assigned_date: assignedId ? date : '',
        executedBy: '0',
        executedBySubstitute: '0',
        caseId,
        parentCaseId: caseId,
        rootCaseId: c.rootCaseId ?? caseId,
        rootContainerId: c.rootCaseId ?? caseId,
        processId: c.processDefinitionId ?? '',
        actorId: this.processes.get(c.processDefinitionId ?? '')?.def.actorId ?? '',
        priority,
        dueDate: dueDateFrom(date),
        reached_state_date: date,
        last_update_date: date,
        isTerminal: 'false',
        parentTaskId: '',
      },
      contract,
      step,
    };
    this.tasks.set(id, rec);
    return rec;
  }

  private addStepTask(c: CaseRecord, step: number, date: string): TaskRecord {
    const def = this.processes.get(c.item.processDefinitionId ?? '')!.def;
    const s = def.steps[step]!;
    return this.addTask(String(this.nextTaskId++), s.name.replace('{label}', c.label), c.item.id!, '', s.contract, date, s.priority, step);
  }

  /** Start a case: creates the case, its variables and the ready task of the process's first step. */
  startCase(processId: string, startedBy: string, substitute: string, label: string): { item: Item; task: TaskRecord } {
    const now = bonitaDate();
    const c = this.addCase(String(this.nextCaseId++), processId, startedBy, substitute, now, label);
    return { item: c.item, task: this.addStepTask(c, 0, now) };
  }

  /** `count` new cases of the process started by walter.bates, each with one ready task (a paging benchmark's data). */
  bulkCreateTasks(count: number, processId: string): string[] {
    const priorities = ['lowest', 'under_normal', 'normal', 'above_normal', 'highest'];
    const ids: string[] = [];
    for (let i = 0; i < count; i++) {
      const { task } = this.startCase(processId, '4', '4', `Bulk ${this.nextCaseId}`);
      task.item.priority = priorities[i % priorities.length]!;
      ids.push(task.item.id!);
    }
    return ids;
  }

  /**
   * The task leaves the live tasks for the archive (state 'completed' or 'skipped'); the case moves to its next
   * step, or to the archive after its last one.
   */
  finishTask(taskId: string, state: 'completed' | 'skipped'): void {
    const t = this.tasks.get(taskId);
    if (!t) return;
    const now = bonitaDate();
    this.tasks.delete(taskId);
    const archivedId = String(this.nextArchivedTaskId++);
    this.archivedTasks.set(archivedId, { ...t.item, id: archivedId, sourceObjectId: taskId, state, isTerminal: 'true', reached_state_date: now, last_update_date: now, archivedDate: now });
    const c = this.cases.get(t.item.caseId ?? '');
    if (!c) return;
    const def = this.processes.get(c.item.processDefinitionId ?? '')!.def;
    if (t.step + 1 < def.steps.length) {
      this.addStepTask(c, t.step + 1, now);
      c.item.last_update_date = now;
      return;
    }
    this.archiveCase(c, now);
  }

  private archiveCase(c: CaseRecord, now: string): void {
    const caseId = c.item.id!;
    this.cases.delete(caseId);
    const id = String(this.nextArchivedCaseId++);
    this.archivedCases.set(id, { item: { ...c.item, id, sourceObjectId: caseId, state: 'completed', end_date: now, last_update_date: now, archivedDate: now }, source: c });
  }

  storeUpload(filename: string, contentType: string | undefined, data: Buffer): string {
    const dot = filename.lastIndexOf('.');
    const slash = Math.max(filename.lastIndexOf('/'), filename.lastIndexOf('\\'));
    const ext = dot > slash ? filename.slice(dot) : '';
    const temp = `tmp_${randomInt(1, 2 ** 47)}${randomInt(0, 100000)}${ext}`;
    this.uploads.set(temp, { filename, contentType, data });
    if (this.uploads.size > 1000) {
      const first = this.uploads.keys().next().value;
      if (first !== undefined) this.uploads.delete(first);
    }
    return temp;
  }

  /** Attach a document to a live case: an uploaded file (consumed by the caller) or an external URL. */
  addDocument(caseId: string, name: string, description: string, submittedBy: string, content: { upload: Upload; fileName: string } | { url: string }): Item {
    const id = String(this.nextDocumentId++);
    const now = bonitaDate();
    const version = String([...this.documents.values()].filter((d) => d.item.caseId === caseId && d.item.name === name).length + 1);
    const common = { id, creationDate: now, author: submittedBy, index: '-1', caseId, name, description, submittedBy, version };
    const rec: DocumentRecord =
      'url' in content
        ? { item: { ...common, contentMimetype: '', contentStorageId: '', isInternal: 'false', fileName: '', url: content.url } }
        : {
            item: {
              ...common,
              contentMimetype: content.upload.contentType ?? 'application/octet-stream',
              contentStorageId: id,
              isInternal: 'true',
              fileName: content.fileName,
              url: `documentDownload?fileName=${encodeURIComponent(content.fileName)}&contentStorageId=${id}`,
            },
            data: content.upload.data,
          };
    this.documents.set(id, rec);
    return rec.item;
  }
}

function cap(s: string): string {
  return s ? s[0]!.toUpperCase() + s.slice(1) : s;
}

function dueDateFrom(date: string): string {
  const d = new Date(date.replace(' ', 'T'));
  if (Number.isNaN(d.getTime())) return date;
  return bonitaDate(new Date(d.getTime() + 60 * 60 * 1000));
}
