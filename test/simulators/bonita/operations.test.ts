import { expect } from 'chai';
import * as http from 'node:http';
import { Client, asItems, type Json } from './client';
import { startBonitaSimulator, type BonitaSimulator, type BonitaSimulatorOptions } from './index';
import { PROCESS_EXPENSE, PROCESS_PURCHASE, PROCESS_REGISTRATION, PROCESS_SALARY, PROCESS_SHOWCASE } from './processes';

const INVOICE = 'com.company.model.Invoice';

/** A Contract Showcase body that satisfies the contract (FILE input left null). */
function showcaseInputs(extra: Json = {}): Json {
  return {
    title: 'Demo',
    urgent: true,
    quantity: 3,
    unitPrice: '12.50',
    reference: '9007199254740993',
    dueDate: '2024-05-01T10:00:00Z',
    startDay: '2024-05-02',
    meetingAt: '2024-05-03T09:30:00',
    deadline: '2024-05-04T18:00:00+02:00',
    attachment: null,
    tags: ['a', 'b'],
    address: { street: '1 Main St', city: 'Grenoble', zip: '38000' },
    lines: [{ product: 'Pen', qty: 2 }],
    ...extra,
  };
}

function fileForm(bytes: Buffer, filename: string, type: string): FormData {
  const fd = new FormData();
  fd.set('file', new Blob([new Uint8Array(bytes)], { type }), filename);
  return fd;
}

describe('Bonita simulator operations', function () {
  this.timeout(20000);
  let sim: BonitaSimulator;
  let client: Client;
  const extra: BonitaSimulator[] = [];

  async function startExtra(opts: BonitaSimulatorOptions): Promise<{ s: BonitaSimulator; c: Client }> {
    const s = await startBonitaSimulator(opts);
    extra.push(s);
    const c = new Client(s.url);
    expect((await c.login()).status).to.equal(204);
    return { s, c };
  }

  /** POST API/formFileUpload: the {filename,tempPath,contentType} a FILE input takes. */
  async function formUpload(c: Client, bytes = Buffer.from('%PDF-1.4 test'), filename = 'invoice.pdf'): Promise<Json> {
    const res = await c.req('POST', '/API/formFileUpload', { body: fileForm(bytes, filename, 'application/pdf'), csrf: true });
    expect(res.status).to.equal(200);
    return JSON.parse(await res.text()) as Json;
  }

  async function startCase(c: Client, processId: string, body: Json): Promise<string> {
    const res = await c.postJson(`/API/bpm/process/${processId}/instantiation`, body);
    expect(res.status, await res.clone().text()).to.equal(200);
    return String(((await res.json()) as { caseId: number }).caseId);
  }

  async function tasksOf(c: Client, caseId: string): Promise<Json[]> {
    return asItems((await c.getJson(`/API/bpm/humanTask?f=caseId%3D${caseId}`)).data);
  }

  beforeEach(async () => {
    sim = await startBonitaSimulator({ users: { 'walter.bates': 'bpm', 'helen.kelly': 'bpm' } });
    client = new Client(sim.url);
    await client.login();
  });
  afterEach(async () => {
    await sim.close();
    while (extra.length) await extra.pop()!.close();
  });

  describe('processes', () => {
    it('f=user_id lists only the enabled processes that user can start; s, o and Content-Range apply', async () => {
      const names = async (q: string): Promise<unknown[]> => asItems((await client.getJson(`/API/bpm/process?${q}`)).data).map((p) => p.name);
      expect(await names('f=user_id%3D4&o=name%20ASC')).to.deep.equal(['Contract Showcase', 'Expense Report', 'Purchase Request', 'Registration']);
      expect(await names('f=user_id%3D3&o=name%20ASC')).to.include('Salary Review');
      const r = await client.getJson('/API/bpm/process?f=activationState%3DENABLED&f=user_id%3D4&s=exp&c=5');
      expect(asItems(r.data).map((p) => p.name)).to.deep.equal(['Expense Report']);
      expect(r.res.headers.get('content-range')).to.equal('0-5/1');
      expect(await names('o=displayName%20DESC&c=2')).to.deep.equal(['Salary Review', 'Registration']);
    });

    it('Contract Showcase: every input type, complex inputs with type null, FILE with tempPath, MANDATORY on some', async () => {
      const { data } = await client.getJson(`/API/bpm/process/${PROCESS_SHOWCASE}/contract`);
      const contract = data as { inputs: Json[]; constraints: Json[] };
      const types = Object.fromEntries(contract.inputs.map((i) => [i.name, i.type]));
      expect(types).to.deep.equal({
        title: 'TEXT',
        urgent: 'BOOLEAN',
        quantity: 'INTEGER',
        unitPrice: 'DECIMAL',
        reference: 'LONG',
        dueDate: 'DATE',
        startDay: 'LOCALDATE',
        meetingAt: 'LOCALDATETIME',
        deadline: 'OFFSETDATETIME',
        attachment: 'FILE',
        tags: 'TEXT',
        address: null,
        lines: null,
      });
      const byName = (n: string): Json => contract.inputs.find((i) => i.name === n)!;
      expect(byName('tags').multiple).to.equal(true);
      expect(byName('lines').multiple).to.equal(true);
      expect((byName('address').inputs as Json[]).map((i) => i.name)).to.deep.equal(['street', 'city', 'zip']);
      expect((byName('attachment').inputs as Json[]).map((i) => i.name)).to.include.members(['filename', 'tempPath', 'contentType']);
      expect(contract.constraints.filter((c) => c.constraintType === 'MANDATORY').map((c) => c.name)).to.deep.equal(['title', 'quantity', 'address']);
    });
  });

  describe('instantiation', () => {
    it('accepts every type; the FILE temp file is consumed (a second use is 404 File Not Found); the task has its own contract', async () => {
      const file = await formUpload(client);
      const caseId = await startCase(client, PROCESS_SHOWCASE, showcaseInputs({ attachment: file }));
      const [task] = await tasksOf(client, caseId);
      expect(task).to.include({ name: 'Verify Demo', priority: 'above_normal' });
      const contract = (await client.getJson(`/API/bpm/userTask/${task!.id as string}/contract`)).data as { inputs: Json[] };
      expect(contract.inputs.map((i) => i.type)).to.deep.equal(['BOOLEAN', 'INTEGER', 'LOCALDATE', 'FILE', 'TEXT']);
      const again = await client.postJson(`/API/bpm/process/${PROCESS_SHOWCASE}/instantiation`, showcaseInputs({ attachment: file }));
      expect(again.status).to.equal(404);
      expect(await again.json()).to.deep.equal({ exception: 'class java.io.FileNotFoundException', message: 'File Not Found' });
      expect(sim.operations.instantiations).to.equal(1);
    });

    it('400 with one explanation per wrong value, missing key or null mandatory input; an optional null is fine', async () => {
      const bad: [Json, string][] = [
        [{ quantity: 'three' }, 'cannot be assigned to INTEGER'],
        [{ quantity: 2 ** 31 }, 'cannot be assigned to INTEGER'],
        [{ reference: '1.5' }, 'cannot be assigned to LONG'],
        [{ unitPrice: 'cheap' }, 'cannot be assigned to DECIMAL'],
        [{ urgent: 'yes' }, 'cannot be assigned to BOOLEAN'],
        [{ dueDate: '01/05/2024' }, 'cannot be assigned to DATE'],
        [{ startDay: '2024-02-30' }, 'cannot be assigned to LOCALDATE'],
        [{ meetingAt: '2024-05-03' }, 'cannot be assigned to LOCALDATETIME'],
        [{ deadline: '2024-05-04T18:00:00' }, 'cannot be assigned to OFFSETDATETIME'],
        [{ tags: 'a' }, 'cannot be assigned to a multiple TEXT'],
        [{ address: { street: 'x', city: 'y' } }, 'Expected input [zip] is missing'],
        [{ lines: [{ product: 'Pen', qty: 'two' }] }, 'cannot be assigned to INTEGER'],
        [{ title: null }, 'Expected input [title] is missing'],
        [{ attachment: 'invoice.pdf' }, 'cannot be assigned to FILE'],
      ];
      for (const [patch, explanation] of bad) {
        const res = await client.postJson(`/API/bpm/process/${PROCESS_SHOWCASE}/instantiation`, showcaseInputs(patch));
        expect(res.status, JSON.stringify(patch)).to.equal(400);
        const body = (await res.json()) as { explanations: string[] };
        expect(body.explanations, JSON.stringify(patch)).to.have.length(1);
        expect(body.explanations[0], JSON.stringify(patch)).to.contain(explanation);
      }
      const withoutOptional = showcaseInputs();
      delete withoutOptional.urgent;
      const res = await client.postJson(`/API/bpm/process/${PROCESS_SHOWCASE}/instantiation`, withoutOptional);
      expect(res.status).to.equal(400);
      expect(((await res.json()) as Json).explanations).to.deep.equal(['Expected input [urgent] is missing']);
      await startCase(client, PROCESS_SHOWCASE, showcaseInputs({ urgent: null, unitPrice: 7, quantity: '4', dueDate: '2024-05-01' }));
      expect(sim.operations.instantiations).to.equal(1);
    });

    it('deletes the temp files after a 400 too (Spring), unless keepTempFilesOnFailedInstantiation', async () => {
      const file = await formUpload(client);
      expect((await client.postJson(`/API/bpm/process/${PROCESS_SHOWCASE}/instantiation`, showcaseInputs({ attachment: file, quantity: 'x' }))).status).to.equal(400);
      expect((await client.postJson(`/API/bpm/process/${PROCESS_SHOWCASE}/instantiation`, showcaseInputs({ attachment: file }))).status).to.equal(404);

      const { c } = await startExtra({ keepTempFilesOnFailedInstantiation: true });
      const kept = await formUpload(c);
      expect((await c.postJson(`/API/bpm/process/${PROCESS_SHOWCASE}/instantiation`, showcaseInputs({ attachment: kept, quantity: 'x' }))).status).to.equal(400);
      expect((await c.postJson(`/API/bpm/process/${PROCESS_SHOWCASE}/instantiation`, showcaseInputs({ attachment: kept }))).status).to.equal(200);
      expect((await c.postJson(`/API/bpm/process/${PROCESS_SHOWCASE}/instantiation`, showcaseInputs({ attachment: kept }))).status).to.equal(404);
    });

    it("instantiationStyle 'openapi' answers 201 with a string caseId", async () => {
      const { c } = await startExtra({ instantiationStyle: 'openapi' });
      const res = await c.postJson(`/API/bpm/process/${PROCESS_REGISTRATION}/instantiation`, { name: 'Ann' });
      expect(res.status).to.equal(201);
      const { caseId } = (await res.json()) as { caseId: unknown };
      expect(caseId).to.be.a('string');
      expect((await c.getJson(`/API/bpm/case/${caseId as string}`)).res.status).to.equal(200);
    });
  });

  describe('case quota', () => {
    const formats = {
      'http-date': /^[A-Z][a-z]{2}, \d\d [A-Z][a-z]{2} \d{4} \d\d:\d\d:\d\d GMT$/,
      'java-date': /^[A-Z][a-z]{2} [A-Z][a-z]{2} \d\d \d\d:\d\d:\d\d UTC \d{4}$/,
      seconds: /^\d+$/,
    } as const;
    for (const [format, pattern] of Object.entries(formats) as [keyof typeof formats, RegExp][]) {
      it(`429 "Case creation limit reached." with a ${format} Retry-After once the limit is used up`, async () => {
        const { s, c } = await startExtra({ caseQuota: { limit: 2, retryAfter: format } });
        await startCase(c, PROCESS_REGISTRATION, { name: 'a' });
        expect((await c.postJson('/API/bpm/case', { processDefinitionId: PROCESS_EXPENSE })).status).to.equal(200);
        expect((await c.getJson('/API/system/information')).data).to.deep.equal({ caseCounter: '2', caseCounterLimit: '2' });
        const res = await c.postJson(`/API/bpm/process/${PROCESS_REGISTRATION}/instantiation`, { name: 'c' });
        expect(res.status).to.equal(429);
        expect(res.headers.get('content-type')).to.equal('text/plain;charset=UTF-8');
        expect(await res.text()).to.equal('Case creation limit reached.');
        const retryAfter = res.headers.get('retry-after')!;
        expect(retryAfter).to.match(pattern);
        const thirtyDays = 30 * 86400;
        if (format === 'seconds') expect(Number(retryAfter)).to.be.within(thirtyDays - 60, thirtyDays);
        else if (format === 'http-date') expect(Date.parse(retryAfter) - Date.now()).to.be.within((thirtyDays - 60) * 1000, thirtyDays * 1000);
        expect((await c.postJson('/API/bpm/case', { processDefinitionId: PROCESS_EXPENSE })).status).to.equal(429);
        expect(s.operations.instantiations).to.equal(2);
      });
    }

    it('checks a disabled process (500) and the contract (400) before the quota; JSON body option; no counter without a quota', async () => {
      const { c } = await startExtra({ caseQuota: { limit: 0, retryAfter: 'seconds', body: 'json' } });
      expect((await c.postJson(`/API/bpm/process/${PROCESS_REGISTRATION}/instantiation`, {})).status).to.equal(400);
      expect((await c.postJson('/API/bpm/process/5826139717723008213/instantiation', {})).status).to.equal(500);
      const res = await c.postJson(`/API/bpm/process/${PROCESS_REGISTRATION}/instantiation`, { name: 'x' });
      expect(res.status).to.equal(429);
      expect(await res.json()).to.deep.equal({ code: 429, description: 'Case creation limit reached.', reasonPhrase: 'Too Many Requests' });
      expect((await client.getJson('/API/system/information')).data).to.deep.equal({});
    });
  });

  describe('cases', () => {
    it('a finished case is 404 live and found in archivedCase by sourceObjectId (own id, completed, end_date)', async () => {
      const caseId = await startCase(client, PROCESS_REGISTRATION, { name: 'Zed' });
      const [task] = await tasksOf(client, caseId);
      expect((await client.postJson(`/API/bpm/userTask/${task!.id as string}/execution?assign=true`, {})).status).to.equal(204);
      expect((await client.getJson(`/API/bpm/case/${caseId}`)).res.status).to.equal(404);
      const r = await client.getJson(`/API/bpm/archivedCase?p=0&c=1&f=sourceObjectId%3D${caseId}`);
      expect(r.res.headers.get('content-range')).to.equal('0-1/1');
      const archived = asItems(r.data)[0]!;
      expect(archived).to.include({ sourceObjectId: caseId, state: 'completed', processDefinitionId: PROCESS_REGISTRATION });
      expect(archived.id).to.not.equal(caseId);
      expect(archived.end_date).to.match(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}$/);
      expect((await client.getJson(`/API/bpm/archivedCase/${archived.id as string}`)).data).to.include({ sourceObjectId: caseId });
      expect(asItems((await client.getJson('/API/bpm/archivedCase?f=sourceObjectId%3D1001')).data)).to.deep.equal([]);
      const archivedTask = asItems((await client.getJson(`/API/bpm/archivedHumanTask?f=caseId%3D${caseId}&f=name%3DReview%20Zed`)).data);
      expect(archivedTask.map((t) => t.sourceObjectId)).to.deep.equal([task!.id]);
    });

    it('filters cases by processDefinitionId, started_by and name, with Content-Range', async () => {
      const helen = new Client(sim.url);
      await helen.login('helen.kelly', 'bpm');
      await startCase(helen, PROCESS_SALARY, { employee: 'walter.bates' });
      let r = await client.getJson('/API/bpm/case?f=started_by%3D3');
      expect(asItems(r.data).map((c) => c.processDefinitionId)).to.deep.equal([PROCESS_SALARY]);
      r = await client.getJson('/API/bpm/case?f=name%3DRegistration&c=1');
      expect(r.res.headers.get('content-range')).to.equal('0-1/2');
      r = await client.getJson(`/API/bpm/case?f=processDefinitionId%3D${PROCESS_EXPENSE}&f=started_by%3D4`);
      expect(asItems(r.data).map((c) => c.id)).to.deep.equal(['1002']);
    });

    it('two steps: execution is asynchronous (executionDelayMs); the task hides from searches, a repeat is 404, then the next task appears', async () => {
      const { c } = await startExtra({ executionDelayMs: 150 });
      const caseId = await startCase(c, PROCESS_PURCHASE, { item: 'Laptop' });
      const [submit] = await tasksOf(c, caseId);
      expect(submit).to.include({ name: 'Submit request' });
      const id = submit!.id as string;
      expect((await c.postJson(`/API/bpm/userTask/${id}/execution?assign=true`, { amount: '1200.50' })).status).to.equal(204);
      expect(await tasksOf(c, caseId)).to.deep.equal([]);
      expect((await c.getJson(`/API/bpm/humanTask/${id}`)).data).to.include({ state: 'executing' });
      const repeat = await c.postJson(`/API/bpm/userTask/${id}/execution?assign=true`, { amount: '1' });
      expect(repeat.status).to.equal(404);
      expect(((await repeat.json()) as Json).message).to.contain('someone else already executed it');
      await new Promise((r) => setTimeout(r, 250));
      const [approve] = await tasksOf(c, caseId);
      expect(approve).to.include({ name: 'Approve request', priority: 'highest', state: 'ready' });
      expect((await c.getJson(`/API/bpm/case/${caseId}`)).res.status).to.equal(200);
      expect((await c.postJson(`/API/bpm/userTask/${approve!.id as string}/execution?assign=true`, { approved: true, comment: null })).status).to.equal(204);
      expect((await c.getJson(`/API/bpm/case/${caseId}`)).res.status).to.equal(200);
      await new Promise((r) => setTimeout(r, 250));
      expect((await c.getJson(`/API/bpm/case/${caseId}`)).res.status).to.equal(404);
      expect(asItems((await c.getJson(`/API/bpm/archivedHumanTask?f=caseId%3D${caseId}&o=name%20ASC`)).data).map((t) => t.name)).to.deep.equal(['Approve request', 'Submit request']);
    });

    it('context: business data and document _ref entries', async () => {
      const { data } = await client.getJson('/API/bpm/case/1002/context');
      const ref = (data as Json).invoice_ref as Json;
      expect(ref).to.include({ name: 'invoice', type: INVOICE, storageId_string: '2' });
      expect(ref.link).to.equal(`API/bdm/businessData/${INVOICE}/2`);
      expect((await client.getJson(`/${ref.link as string}`)).data).to.include({ persistenceId_string: '2' });
      expect((await client.getJson('/API/bpm/case/1001/context')).data).to.deep.equal({});
      expect((await client.getJson('/API/bpm/case/4242/context')).res.status).to.equal(404);
    });

    it('case variables: list by case_id, get one, PUT {type,value} (200 empty), 500 for an unsupported or mismatched type', async () => {
      let r = await client.getJson('/API/bpm/caseVariable?p=0&c=10&f=case_id%3D1002');
      expect(r.res.headers.get('content-range')).to.equal('0-10/3');
      expect(asItems(r.data).find((v) => v.name === 'amount')).to.deep.equal({ case_id: '1002', name: 'amount', description: 'Total amount', type: 'java.lang.Double', value: '120.5' });
      const put = (name: string, body: Json): Promise<Response> =>
        client.req('PUT', `/API/bpm/caseVariable/1002/${name}`, { body: JSON.stringify(body), csrf: true, headers: { 'Content-Type': 'application/json' } });
      const ok = await put('amount', { type: 'java.lang.Double', value: '99.9' });
      expect(ok.status).to.equal(200);
      expect(await ok.text()).to.equal('');
      r = await client.getJson('/API/bpm/caseVariable/1002/amount');
      expect(r.data).to.include({ value: '99.9' });
      for (const body of [{ type: 'java.util.List', value: '[]' }, { type: 'java.lang.Integer', value: '99' }, { type: 'java.lang.Double', value: 'lots' }]) {
        const res = await put('amount', body);
        expect(res.status, JSON.stringify(body)).to.equal(500);
        expect(((await res.json()) as Json).exception).to.contain('APIException');
      }
      expect((await put('nothing', { type: 'java.lang.String', value: 'x' })).status).to.equal(404);
      expect((await client.getJson('/API/bpm/caseVariable/1002/amount')).data).to.include({ value: '99.9' });
      expect((await client.postJson('/API/bpm/caseVariable/1002/amount', {})).status).to.equal(405);
    });
  });

  describe('human tasks', () => {
    it('user_id: mine and pooled, hides tasks assigned to others unless show_assigned_to_others; assigned_id= is the pool; processId only with user_id alone', async () => {
      const ids = async (q: string): Promise<unknown[]> => asItems((await client.getJson(`/API/bpm/humanTask?${q}&o=id%20ASC`)).data).map((t) => t.id);
      await client.req('PUT', '/API/bpm/humanTask/20001', { body: '{"assigned_id":"3"}', csrf: true });
      expect(await ids('f=user_id%3D4')).to.deep.equal(['20002', '20003']);
      expect(await ids('f=user_id%3D4&f=show_assigned_to_others%3Dtrue')).to.deep.equal(['20001', '20002', '20003']);
      expect(await ids('f=user_id%3D4&f=assigned_id%3D')).to.deep.equal(['20003']);
      expect(await ids('f=assigned_id%3D4')).to.deep.equal(['20002']);
      expect(await ids(`f=user_id%3D4&f=processId%3D${PROCESS_REGISTRATION}`)).to.deep.equal(['20003']);
      // the pooled-only and show-others searches take no process filter (AbstractHumanTaskDatastore)
      expect(await ids(`f=user_id%3D4&f=assigned_id%3D&f=processId%3D${PROCESS_EXPENSE}`)).to.deep.equal(['20003']);
      expect(await ids(`f=processId%3D${PROCESS_REGISTRATION}`)).to.deep.equal(['20001', '20003']);
    });

    it('HR tasks are available to the HR actor only; o=priority DESC follows the priority order', async () => {
      const helen = new Client(sim.url);
      await helen.login('helen.kelly', 'bpm');
      const caseId = await startCase(helen, PROCESS_SALARY, { employee: 'Walter' });
      const [hr] = await tasksOf(helen, caseId);
      expect(hr).to.include({ name: 'Review salary of Walter', actorId: '103' });
      expect(asItems((await client.getJson('/API/bpm/humanTask?f=user_id%3D4')).data).map((t) => t.id)).to.not.include(hr!.id);
      expect(asItems((await client.getJson('/API/bpm/humanTask?f=user_id%3D3')).data).map((t) => t.id)).to.include(hr!.id);
      const r = await client.getJson('/API/bpm/humanTask?f=state%3Dready&o=priority%20DESC');
      expect(asItems(r.data).map((t) => t.priority)).to.deep.equal(['above_normal', 'normal', 'normal', 'normal']);
    });

    it('bulkTasks: 10,000 ready tasks page quickly with Content-Range; pageDelayMs delays list answers only', async () => {
      const { c } = await startExtra({ bulkTasks: 10000, pageDelayMs: 300 });
      let t0 = Date.now();
      const r = await c.getJson('/API/bpm/humanTask?p=99&c=100&o=priority%20DESC');
      expect(Date.now() - t0).to.be.at.least(290);
      expect(r.res.headers.get('content-range')).to.equal('99-100/10003');
      expect(asItems(r.data)).to.have.length(100);
      t0 = Date.now();
      expect((await c.getJson('/API/bpm/humanTask/20001')).res.status).to.equal(200);
      expect(Date.now() - t0).to.be.below(250);
    });
  });

  describe('users', () => {
    it('s, o=lastname ASC, f=enabled=true, Content-Range', async () => {
      let r = await client.getJson('/API/identity/user?p=0&c=50&o=lastname%20ASC&f=enabled%3Dtrue');
      expect(r.res.headers.get('content-range')).to.equal('0-50/5');
      expect(asItems(r.data).map((u) => u.lastname)).to.deep.equal(['Angelo', 'Bates', 'Jobs', 'Kelly', 'Sanchez']);
      r = await client.getJson('/API/identity/user?s=wal');
      expect(asItems(r.data).map((u) => u.userName)).to.deep.equal(['walter.bates', 'thomas.wallis']);
    });
  });

  describe('case documents', () => {
    const bytes = Buffer.from([0x25, 0x50, 0x44, 0x46, 0x00, 0xff, 0x10, 0x80]);
    async function portalUpload(): Promise<string> {
      const res = await client.req('POST', '/portal/fileUpload', { body: fileForm(bytes, 'facture été.pdf', 'application/pdf') });
      expect(res.status).to.equal(200);
      return res.text();
    }

    it('attaches an upload: 200 document object, temp file consumed, listed by caseId, downloaded byte for byte', async () => {
      const temp = await portalUpload();
      const res = await client.postJson('/API/bpm/caseDocument', { caseId: '1001', file: temp, name: 'invoice', fileName: 'facture été.pdf', description: 'March' });
      expect(res.status).to.equal(200);
      const doc = (await res.json()) as Json;
      expect(doc).to.include({ caseId: '1001', name: 'invoice', fileName: 'facture été.pdf', contentMimetype: 'application/pdf', isInternal: 'true', version: '1', index: '-1', submittedBy: '4', description: 'March' });
      expect(doc.url).to.equal(`documentDownload?fileName=${encodeURIComponent('facture été.pdf')}&contentStorageId=${doc.contentStorageId as string}`);
      expect(sim.operations.documentsAttached).to.equal(1);
      const again = await client.postJson('/API/bpm/caseDocument', { caseId: '1001', file: temp, name: 'invoice' });
      expect(again.status).to.equal(500);
      expect(((await again.json()) as Json).message).to.contain('Cannot find');
      const list = await client.getJson('/API/bpm/caseDocument?p=0&c=10&f=caseId%3D1001');
      expect(list.res.headers.get('content-range')).to.equal('0-10/1');
      expect(asItems(list.data)[0]).to.include({ id: doc.id });
      const dl = await client.req('GET', `/portal/${doc.url as string}`);
      expect(dl.status).to.equal(200);
      expect(dl.headers.get('content-type')).to.equal('application/pdf');
      expect(Buffer.from(await dl.arrayBuffer()).equals(bytes)).to.equal(true);
      expect((await client.getJson('/API/bpm/case/1001/context')).data).to.have.property('invoice_ref');
      const anonymous = await new Client(sim.url).req('GET', `/portal/${doc.url as string}`);
      expect(anonymous.status).to.equal(302);
    });

    it('a URL document; processInstanceId instead of caseId fails with 500 and still consumes the temp file; unknown case 500', async () => {
      const res = await client.postJson('/API/bpm/caseDocument', { caseId: 1002, url: 'https://example.com/t.pdf', name: 'receipt' });
      expect(res.status).to.equal(200);
      expect(await res.json()).to.include({ isInternal: 'false', url: 'https://example.com/t.pdf', caseId: '1002' });
      const temp = await portalUpload();
      const wrongKey = await client.postJson('/API/bpm/caseDocument', { processInstanceId: '1001', file: temp, name: 'x' });
      expect(wrongKey.status).to.equal(500);
      expect(((await wrongKey.json()) as Json).message).to.equal('Error while attaching a new document. Request with bad param value.');
      expect((await client.postJson('/API/bpm/caseDocument', { caseId: '1001', file: temp, name: 'x' })).status).to.equal(500);
      const temp2 = await portalUpload();
      expect((await client.postJson('/API/bpm/caseDocument', { caseId: '999', file: temp2, name: 'x' })).status).to.equal(500);
      expect(sim.operations.documentsAttached).to.equal(1);
    });
  });

  describe('business data', () => {
    const bdm = (q: string): Promise<{ res: Response; data: unknown }> => client.getJson(`/API/bdm/businessData/${INVOICE}?${q}`);

    it('p and c are mandatory (400); q too', async () => {
      for (const [q, message] of [
        ['q=find&c=10', 'query parameter p (page) is mandatory'],
        ['q=find&p=0', 'query parameter c (count) is mandatory'],
        ['q=find&p=x&c=10', 'query parameter p (page) should be a number'],
        ['p=0&c=10', 'Parameter q is mandatory.'],
      ] as const) {
        const r = await bdm(q);
        expect(r.res.status, q).to.equal(400);
        expect(r.data, q).to.deep.equal({ exception: 'class java.lang.IllegalArgumentException', message });
      }
    });

    it('queries: find and findByStatus with Content-Range, a custom query without a count has none, counts and single results', async () => {
      let r = await bdm('q=find&p=1&c=20');
      expect(r.res.headers.get('content-range')).to.equal('1-20/250');
      const first = asItems(r.data)[0]!;
      expect(first).to.include({ persistenceId: 21, persistenceId_string: '21', number: 'INV-0021' });
      expect(first).to.have.keys('persistenceId', 'persistenceId_string', 'persistenceVersion', 'persistenceVersion_string', 'number', 'amount', 'status', 'paid', 'issueDate', 'links');
      expect(first.links).to.deep.equal([{ rel: 'customer', href: `/API/bdm/businessData/${INVOICE}/21/customer` }]);
      r = await bdm('q=findByStatus&p=0&c=100&f=status%3DPAID');
      const paid = asItems(r.data);
      expect(paid.every((i) => i.status === 'PAID')).to.equal(true);
      expect(r.res.headers.get('content-range')).to.equal(`0-100/${paid.length}`);
      expect((await bdm('q=countForFindByStatus&p=0&c=1&f=status%3DPAID')).data).to.deep.equal([paid.length]);
      r = await bdm('q=findByMinAmount&p=0&c=5&f=minAmount%3D900');
      expect(r.res.status).to.equal(200);
      expect(r.res.headers.get('content-range')).to.equal(null);
      expect(asItems(r.data).every((i) => (i.amount as number) >= 900)).to.equal(true);
      expect((await bdm('q=findByNumber&p=0&c=1&f=number%3DINV-0007')).data).to.have.length(1);
      expect((await bdm('q=nope&p=0&c=1')).res.status).to.equal(500);
      expect((await bdm('q=findByStatus&p=0&c=1')).res.status).to.equal(500);
    });

    it('one object, a reference, 404 for an unknown id; standardShape', async () => {
      let r = await client.getJson(`/API/bdm/businessData/${INVOICE}/7`);
      expect(r.data).to.include({ persistenceId_string: '7', number: 'INV-0007' });
      r = await client.getJson(`/API/bdm/businessData/${INVOICE}/7/customer`);
      expect((r.data as Json).name).to.be.a('string');
      expect((await client.getJson(`/API/bdm/businessData/${INVOICE}/9999`)).res.status).to.equal(404);
      const { c } = await startExtra({ bdmStandardShape: true });
      expect((await c.getJson(`/API/bdm/businessData/${INVOICE}?q=countForFind&p=0&c=1`)).data).to.deep.equal({ value: 250 });
      expect((await c.getJson(`/API/bdm/businessData/${INVOICE}?q=findByNumber&p=0&c=1&f=number=INV-0007`)).data).to.include({ persistenceId: 7 });
      expect((await c.getJson(`/API/bdm/businessData/${INVOICE}?q=findByNumber&p=0&c=1&f=number=none`)).data).to.deep.equal({});
    });
  });

  describe('messages', () => {
    it('204 and recorded; 404 for an unknown target process; 400 for an unsupported type', async () => {
      const message = { messageName: 'paymentReceived', targetProcess: 'Expense Report', targetFlowNode: 'Wait payment', messageContent: { amount: { value: 12.5, type: 'java.lang.Double' } }, correlations: { invoice: { value: 'INV-0001' } } };
      const res = await client.postJson('/API/bpm/message', message);
      expect(res.status).to.equal(204);
      expect(sim.messages).to.deep.equal([{ ...message, sentBy: '4' }]);
      expect((await client.postJson('/API/bpm/message', { ...message, targetProcess: 'Nowhere' })).status).to.equal(404);
      expect((await client.postJson('/API/bpm/message', { ...message, correlations: { k: { value: 1, type: 'java.util.List' } } })).status).to.equal(400);
      expect((await client.postJson('/API/bpm/message', { targetProcess: 'Registration' })).status).to.equal(400);
      expect((await client.postJson('/API/bpm/message', message, false)).status).to.equal(401);
      expect(await (await fetch(`${sim.origin}/_sim/messages`)).json()).to.have.length(1);
      expect(sim.operations.messagesReceived).to.equal(1);
    });
  });

  describe('drop after processing and control', () => {
    /** A POST whose socket the server may destroy: resolves to the status, or 'dropped'. */
    function rawPost(c: Client, p: string, body: Json): Promise<number | 'dropped'> {
      return new Promise((resolve) => {
        const req = http.request(`${c.base}${p}`, {
          method: 'POST',
          headers: { cookie: [...c.cookies].map(([k, v]) => `${k}=${v}`).join('; '), 'X-Bonita-API-Token': c.token!, 'Content-Type': 'application/json' },
        });
        req.on('response', (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.on('error', () => resolve('dropped'));
        req.end(JSON.stringify(body));
      });
    }

    it('processes the armed operation once, then destroys the socket; the next call is answered', async () => {
      const ops = async (): Promise<Json> => (await (await fetch(`${sim.origin}/_sim/operations`)).json()) as Json;
      expect((await fetch(`${sim.origin}/_sim/drop?kind=instantiation`, { method: 'POST' })).status).to.equal(204);
      expect(await rawPost(client, `/API/bpm/process/${PROCESS_REGISTRATION}/instantiation`, { name: 'Once' })).to.equal('dropped');
      expect((await ops()).instantiations).to.equal(1);
      expect(asItems((await client.getJson('/API/bpm/humanTask?f=name%3DReview%20Once')).data)).to.have.length(1);
      expect(await rawPost(client, `/API/bpm/process/${PROCESS_REGISTRATION}/instantiation`, { name: 'Twice' })).to.equal(200);
      expect((await ops()).instantiations).to.equal(2);

      // a refused call does not use the fault up
      sim.dropAfterProcessing('execution');
      expect(await rawPost(client, '/API/bpm/userTask/20001/execution', {})).to.equal(500);
      expect(await rawPost(client, '/API/bpm/userTask/20001/execution?assign=true', {})).to.equal('dropped');
      expect(sim.operations.executions).to.equal(1);
      expect((await client.getJson('/API/bpm/humanTask/20001')).res.status).to.equal(404);

      sim.dropAfterProcessing('caseDocument');
      expect(await rawPost(client, '/API/bpm/caseDocument', { caseId: '1002', url: 'https://example.com/a', name: 'a' })).to.equal('dropped');
      expect(sim.operations.documentsAttached).to.equal(1);
      sim.dropAfterProcessing('message');
      expect(await rawPost(client, '/API/bpm/message', { messageName: 'm', targetProcess: 'Registration' })).to.equal('dropped');
      expect(sim.messages).to.have.length(1);
      expect(await ops()).to.deep.equal({ instantiations: 2, executions: 1, documentsAttached: 1, messagesReceived: 1 });
      expect((await fetch(`${sim.origin}/_sim/drop?kind=everything`, { method: 'POST' })).status).to.equal(400);
    });

    it('POST /_sim/tasks, /_sim/configure, /_sim/reset', async () => {
      const res = await fetch(`${sim.origin}/_sim/tasks?count=3&processId=${PROCESS_EXPENSE}`, { method: 'POST' });
      expect(await res.json()).to.deep.equal({ count: 3, firstId: '20010', lastId: '20012' });
      expect((await client.getJson(`/API/bpm/humanTask?f=processId%3D${PROCESS_EXPENSE}`)).res.headers.get('content-range')).to.equal('0-10/4');
      expect((await fetch(`${sim.origin}/_sim/tasks?count=0`, { method: 'POST' })).status).to.equal(400);
      const conf = await fetch(`${sim.origin}/_sim/configure`, { method: 'POST', body: JSON.stringify({ caseQuota: { limit: 0, retryAfter: 'seconds' } }) });
      expect(conf.status).to.equal(204);
      expect((await client.postJson(`/API/bpm/process/${PROCESS_REGISTRATION}/instantiation`, { name: 'q' })).status).to.equal(429);
      sim.configure({ caseQuota: null });
      await startCase(client, PROCESS_REGISTRATION, { name: 'q' });
      await client.postJson('/API/bpm/message', { messageName: 'm', targetProcess: 'Registration' });
      expect((await fetch(`${sim.origin}/_sim/reset`, { method: 'POST' })).status).to.equal(204);
      expect(sim.operations).to.deep.equal({ instantiations: 0, executions: 0, documentsAttached: 0, messagesReceived: 0 });
      expect(sim.messages).to.deep.equal([]);
      await client.login();
      expect((await client.getJson('/API/bpm/humanTask')).res.headers.get('content-range')).to.equal('0-10/3');
      expect((await fetch(`${sim.origin}/_sim/operations`, { method: 'POST' })).status).to.equal(405);
    });
  });
});
