/**
 * The simulator's deployed processes: contracts, who may start them (initiator actor), the human tasks a case
 * goes through, process variables, and the business object a case refers to.
 */
import { EMPTY_CONTRACT, complex, contractOf, contractWith, input, multiple, type Contract } from './contract';

export const PROCESS_REGISTRATION = '6090246829515228480';
export const PROCESS_EXPENSE = '7281034562190847123';
export const PROCESS_LEGACY = '5826139717723008213';
export const PROCESS_SHOWCASE = '8374619205748391002';
export const PROCESS_PURCHASE = '4918273645102938475';
export const PROCESS_SALARY = '3049182736450918273';

/** Everybody's actor (the existing seed's "Employee actor"). */
export const ACTOR_ID = '102';
/** Only helen.kelly and william.jobs (Salary Review's initiator and task actor). */
export const HR_ACTOR_ID = '103';

/** Actor id -> the user names mapped to it; an actor that is absent maps everyone. */
export const ACTOR_MEMBERS: Record<string, string[]> = { [HR_ACTOR_ID]: ['helen.kelly', 'william.jobs'] };

export type VariableType = 'java.lang.String' | 'java.lang.Integer' | 'java.lang.Double' | 'java.lang.Long' | 'java.lang.Boolean' | 'java.util.Date';

export interface VariableDefinition {
  name: string;
  type: VariableType;
  value: string;
  description: string;
}

export interface TaskStep {
  /** `{label}` is replaced by the case label (the `name` input, else the process display name) */
  name: string;
  contract: Contract;
  priority: string;
}

export interface ProcessDefinition {
  id: string;
  name: string;
  version: string;
  activationState: 'ENABLED' | 'DISABLED';
  deploymentDate: string;
  description: string;
  actorId: string;
  contract: Contract;
  /** human tasks, one after the other; the case completes after the last one */
  steps: TaskStep[];
  variables: VariableDefinition[];
  /** the business variable every case of this process refers to (case context `<name>_ref`) */
  businessData?: { name: string; fqcn: string };
}

const variable = (name: string, type: VariableType, value: string, description = ''): VariableDefinition => ({ name, type, value, description });
const step = (name: string, contract: Contract = EMPTY_CONTRACT, priority = 'normal'): TaskStep => ({ name, contract, priority });

/** Every contract input type (vendor-operations.md 1.7), some optional. */
const SHOWCASE_CONTRACT = contractWith(
  [
    input('title', 'TEXT', 'Short title'),
    input('urgent', 'BOOLEAN'),
    input('quantity', 'INTEGER'),
    input('unitPrice', 'DECIMAL'),
    input('reference', 'LONG', 'A 64-bit reference: send it as a string'),
    input('dueDate', 'DATE'),
    input('startDay', 'LOCALDATE'),
    input('meetingAt', 'LOCALDATETIME'),
    input('deadline', 'OFFSETDATETIME'),
    input('attachment', 'FILE'),
    multiple(input('tags', 'TEXT')),
    complex('address', [input('street', 'TEXT'), input('city', 'TEXT'), input('zip', 'TEXT')]),
    multiple(complex('lines', [input('product', 'TEXT'), input('qty', 'INTEGER')])),
  ],
  ['title', 'quantity', 'address'],
);

const SHOWCASE_TASK_CONTRACT = contractWith(
  [input('verified', 'BOOLEAN'), input('score', 'INTEGER'), input('reviewDay', 'LOCALDATE'), input('evidence', 'FILE'), multiple(input('comments', 'TEXT'))],
  ['verified'],
);

export const PROCESSES: ProcessDefinition[] = [
  {
    id: PROCESS_REGISTRATION,
    name: 'Registration',
    version: '1.0',
    activationState: 'ENABLED',
    deploymentDate: '2024-01-15 10:36:27.520',
    description: '',
    actorId: ACTOR_ID,
    contract: contractOf(input('name', 'TEXT', 'Name of the person to register')),
    steps: [step('Review {label}')],
    variables: [variable('registrationStatus', 'java.lang.String', 'pending'), variable('attempts', 'java.lang.Integer', '0')],
  },
  {
    id: PROCESS_EXPENSE,
    name: 'Expense Report',
    version: '2.1',
    activationState: 'ENABLED',
    deploymentDate: '2024-02-01 08:00:00.000',
    description: '',
    actorId: ACTOR_ID,
    contract: EMPTY_CONTRACT,
    steps: [step('Review {label}', contractOf(input('approved', 'BOOLEAN')))],
    variables: [
      variable('amount', 'java.lang.Double', '120.5', 'Total amount'),
      variable('approved', 'java.lang.Boolean', 'false'),
      variable('submittedOn', 'java.util.Date', '2024-03-02 09:00:00.000'),
    ],
    businessData: { name: 'invoice', fqcn: 'com.company.model.Invoice' },
  },
  {
    id: PROCESS_LEGACY,
    name: 'Legacy Onboarding',
    version: '0.9',
    activationState: 'DISABLED',
    deploymentDate: '2023-06-08 14:36:27.673',
    description: '',
    actorId: ACTOR_ID,
    contract: EMPTY_CONTRACT,
    steps: [step('Review {label}')],
    variables: [],
  },
  {
    id: PROCESS_SHOWCASE,
    name: 'Contract Showcase',
    version: '1.0',
    activationState: 'ENABLED',
    deploymentDate: '2024-04-02 11:00:00.000',
    description: 'A contract with every input type',
    actorId: ACTOR_ID,
    contract: SHOWCASE_CONTRACT,
    steps: [step('Verify {label}', SHOWCASE_TASK_CONTRACT, 'above_normal')],
    variables: [variable('status', 'java.lang.String', 'new'), variable('reference', 'java.lang.Long', '0')],
  },
  {
    id: PROCESS_PURCHASE,
    name: 'Purchase Request',
    version: '1.3',
    activationState: 'ENABLED',
    deploymentDate: '2024-04-10 15:20:00.000',
    description: 'Two human tasks: Submit request, then Approve request',
    actorId: ACTOR_ID,
    contract: contractOf(input('item', 'TEXT')),
    steps: [
      step('Submit request', contractOf(input('amount', 'DECIMAL'))),
      step('Approve request', contractWith([input('approved', 'BOOLEAN'), input('comment', 'TEXT')], ['approved']), 'highest'),
    ],
    variables: [variable('amount', 'java.lang.Double', '0'), variable('approved', 'java.lang.Boolean', 'false')],
    businessData: { name: 'invoice', fqcn: 'com.company.model.Invoice' },
  },
  {
    id: PROCESS_SALARY,
    name: 'Salary Review',
    version: '2.0',
    activationState: 'ENABLED',
    deploymentDate: '2024-05-06 09:15:00.000',
    description: 'Startable by HR only (helen.kelly, william.jobs)',
    actorId: HR_ACTOR_ID,
    contract: contractOf(input('employee', 'TEXT')),
    steps: [step('Review salary of {label}', EMPTY_CONTRACT, 'above_normal')],
    variables: [variable('raisePercent', 'java.lang.Double', '0')],
  },
];

/** Whether a user belongs to an actor. */
export function isActorMember(actorId: string, userName: string | undefined): boolean {
  const members = ACTOR_MEMBERS[actorId];
  return members === undefined || (userName !== undefined && members.includes(userName));
}
