/**
 * In-memory Bonita data for the simulator: users, processes (with contracts),
 * cases and human tasks. Every item value is a string, as in Bonita's REST API.
 */
import { randomInt } from 'node:crypto';
import { bonitaDate } from './bonita-date';

export type Item = Record<string, string>;

export type ContractInputType =
  | 'TEXT'
  | 'BOOLEAN'
  | 'INTEGER'
  | 'DECIMAL'
  | 'LONG'
  | 'DATE'
  | 'LOCALDATE'
  | 'LOCALDATETIME'
  | 'OFFSETDATETIME'
  | 'FILE'
  | 'COMPLEX';

export interface ContractInput {
  description: string;
  name: string;
  multiple: boolean;
  type: ContractInputType;
  inputs: ContractInput[];
}

export interface ContractConstraint {
  name: string;
  expression: string;
  explanation: string;
  inputNames: string[];
  constraintType: 'MANDATORY' | 'CUSTOM';
}

export interface Contract {
  constraints: ContractConstraint[];
  inputs: ContractInput[];
}

export interface ProcessRecord {
  item: Item;
  contract: Contract;
  /** contract of the human task created when a case of this process starts */
  taskContract: Contract;
}

export interface TaskRecord {
  item: Item;
  contract: Contract;
}

export const EMPTY_CONTRACT: Contract = { constraints: [], inputs: [] };

/** Ids of the Bonita "ACME" organization users; other user names get 101, 102, ... */
const ACME_IDS: Record<string, string> = {
  'william.jobs': '1',
  'april.sanchez': '2',
  'helen.kelly': '3',
  'walter.bates': '4',
  'daniela.angelo': '5',
};

export const PROCESS_REGISTRATION = '6090246829515228480';
export const PROCESS_EXPENSE = '7281034562190847123';
export const PROCESS_LEGACY = '5826139717723008213';
export const ACTOR_ID = '102';

function input(name: string, type: ContractInputType, description = ''): ContractInput {
  return { description, name, multiple: false, type, inputs: [] };
}

function mandatory(name: string): ContractConstraint {
  return {
    name,
    expression: `${name} != null`,
    explanation: `input ${name} is mandatory`,
    inputNames: [name],
    constraintType: 'MANDATORY',
  };
}

function contractOf(...inputs: ContractInput[]): Contract {
  return { inputs, constraints: inputs.map((i) => mandatory(i.name)) };
}

export class BonitaStore {
  users = new Map<string, Item>(); // id -> user item
  userIdByName = new Map<string, string>();
  processes = new Map<string, ProcessRecord>();
  cases = new Map<string, Item>();
  tasks = new Map<string, TaskRecord>();
  uploads = new Map<string, { filename: string; contentType: string | undefined; size: number }>();
  private nextCaseId = 1004;
  private nextTaskId = 20010;

  constructor(private readonly userNames: string[]) {
    this.reseed();
  }

  reseed(): void {
    this.users.clear();
    this.userIdByName.clear();
    this.processes.clear();
    this.cases.clear();
    this.tasks.clear();
    this.uploads.clear();
    this.nextCaseId = 1004;
    this.nextTaskId = 20010;

    const created = '2024-01-15 09:30:00.000';
    let extra = 101;
    const names = Array.from(new Set(['walter.bates', ...this.userNames]));
    for (const userName of names) {
      const id = ACME_IDS[userName] ?? String(extra++);
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
        enabled: 'true',
        manager_id: '0',
        created_by_user_id: '-1',
        creation_date: created,
        last_update_date: created,
        last_connection: '',
      });
    }

    const proc = (id: string, name: string, version: string, activationState: string, contract: Contract, taskContract: Contract, date: string): void => {
      this.processes.set(id, {
        item: {
          id,
          icon: '',
          displayDescription: '',
          deploymentDate: date,
          description: '',
          activationState,
          name,
          deployedBy: '4',
          displayName: name,
          actorinitiatorid: ACTOR_ID,
          last_update_date: date,
          configurationState: 'RESOLVED',
          version,
        },
        contract,
        taskContract,
      });
    };
    proc(PROCESS_REGISTRATION, 'Registration', '1.0', 'ENABLED', contractOf(input('name', 'TEXT', 'Name of the person to register')), EMPTY_CONTRACT, '2024-01-15 10:36:27.520');
    proc(PROCESS_EXPENSE, 'Expense Report', '2.1', 'ENABLED', EMPTY_CONTRACT, contractOf(input('approved', 'BOOLEAN')), '2024-02-01 08:00:00.000');
    proc(PROCESS_LEGACY, 'Legacy Onboarding', '0.9', 'DISABLED', EMPTY_CONTRACT, EMPTY_CONTRACT, '2023-06-08 14:36:27.673');

    // Seed cases and tasks.
    this.addCase('1001', PROCESS_REGISTRATION, '4', '2024-03-01 09:00:00.000');
    this.addCase('1002', PROCESS_EXPENSE, '4', '2024-03-02 09:00:00.000');
    this.addCase('1003', PROCESS_REGISTRATION, '4', '2024-03-03 09:00:00.000');
    this.addTask('20001', 'Review Alice', '1001', '', EMPTY_CONTRACT, '2024-03-01 09:00:01.000');
    this.addTask('20002', 'Approve expense', '1002', '4', contractOf(input('approved', 'BOOLEAN')), '2024-03-02 09:00:01.000');
    this.addTask('20003', 'Review Bob', '1003', '', EMPTY_CONTRACT, '2024-03-03 09:00:01.000');
  }

  userIdFor(userName: string): string {
    const id = this.userIdByName.get(userName);
    if (id !== undefined) return id;
    // a user that can log in but is not in the seed (should not happen)
    const fresh = String(1000 + this.userIdByName.size);
    this.userIdByName.set(userName, fresh);
    return fresh;
  }

  private addCase(id: string, processId: string, startedBy: string, date: string, substitute = startedBy): Item {
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
    this.cases.set(id, item);
    return item;
  }

  private addTask(id: string, name: string, caseId: string, assignedId: string, contract: Contract, date: string): TaskRecord {
    const c = this.cases.get(caseId)!;
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
        actorId: ACTOR_ID,
        priority: 'normal',
        dueDate: dueDateFrom(date),
        reached_state_date: date,
        last_update_date: date,
        isTerminal: 'false',
        parentTaskId: '',
      },
      contract,
    };
    this.tasks.set(id, rec);
    return rec;
  }

  /** Start a case: creates the case and one ready human task "Review <label>". */
  startCase(processId: string, startedBy: string, substitute: string, label: string): Item {
    const caseId = String(this.nextCaseId++);
    const now = bonitaDate();
    const c = this.addCase(caseId, processId, startedBy, now, substitute);
    const proc = this.processes.get(processId)!;
    this.addTask(String(this.nextTaskId++), `Review ${label}`, caseId, '', proc.taskContract, now);
    return c;
  }

  storeUpload(filename: string, contentType: string | undefined, size: number): string {
    const dot = filename.lastIndexOf('.');
    const slash = Math.max(filename.lastIndexOf('/'), filename.lastIndexOf('\\'));
    const ext = dot > slash ? filename.slice(dot) : '';
    const temp = `tmp_${randomInt(1, 2 ** 47)}${randomInt(0, 100000)}${ext}`;
    this.uploads.set(temp, { filename, contentType, size });
    if (this.uploads.size > 1000) {
      const first = this.uploads.keys().next().value;
      if (first !== undefined) this.uploads.delete(first);
    }
    return temp;
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

/** Validate contract inputs as the engine does; returns the explanations (empty = valid). */
export function validateContract(contract: Contract, inputs: Record<string, unknown>): string[] {
  const explanations: string[] = [];
  for (const def of contract.inputs) {
    const value = inputs[def.name];
    if (value === undefined || value === null) {
      explanations.push(`Expected input [${def.name}] is missing`);
      continue;
    }
    if (!typeMatches(def, value)) {
      explanations.push(`${JSON.stringify(value)} cannot be assigned to ${def.type}`);
    }
  }
  return explanations;
}

function typeMatches(def: ContractInput, value: unknown): boolean {
  if (def.multiple) return Array.isArray(value) && value.every((v) => typeMatches({ ...def, multiple: false }, v));
  switch (def.type) {
    case 'TEXT':
      return typeof value === 'string';
    case 'BOOLEAN':
      return typeof value === 'boolean' || value === 'true' || value === 'false';
    case 'INTEGER':
    case 'LONG':
      return (typeof value === 'number' && Number.isInteger(value)) || (typeof value === 'string' && /^-?\d+$/.test(value));
    case 'DECIMAL':
      return typeof value === 'number' || (typeof value === 'string' && value.trim() !== '' && !Number.isNaN(Number(value)));
    case 'FILE':
      return typeof value === 'object' && !Array.isArray(value);
    case 'COMPLEX':
      return typeof value === 'object' && !Array.isArray(value);
    default:
      return typeof value === 'string';
  }
}
