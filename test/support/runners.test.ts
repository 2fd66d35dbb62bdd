/**
 * The real-runtime harness itself, without our package: Node-RED 4 and 5 serve a ping flow,
 * n8n 2.40.4 and 1.123.81 run a Manual Trigger → Set → Code workflow (and a failing one),
 * Chromium opens the Node-RED editor headless.
 *
 *   npx mocha --require tsx/cjs 'test/support/**\/*.test.ts'
 */
import { expect } from 'chai';
import * as fs from 'fs';
import * as path from 'path';
import { chromium as playwright } from 'playwright-core';
import {
  ensureChromium,
  ensureN8n,
  ensureNodeRed4,
  ensureNodeRed5,
  N8N_VERSIONS,
  N8nRuntime,
  NodeRedRuntime,
  runNpm,
} from './runtimes';
import { makeTempDir, NodeRedInstance, startNodeRed } from './node-red-runner';
import { assertN8nSuccess, createN8nHome, findRunJson, N8nHome, nodeError, nodeOutput, nodeOutputJson, runN8nWorkflow } from './n8n-runner';

const INSTALL_TIMEOUT = 15 * 60 * 1000;

const pingFlow = (): object[] => [
  { id: 'tab1', type: 'tab', label: 'ping' },
  { id: 'in1', z: 'tab1', type: 'http in', url: '/ping', method: 'get', wires: [['chg1']] },
  {
    id: 'chg1',
    z: 'tab1',
    type: 'change',
    rules: [{ t: 'set', p: 'payload', pt: 'msg', to: 'pong', tot: 'str' }],
    wires: [['out1']],
  },
  { id: 'out1', z: 'tab1', type: 'http response', statusCode: '', headers: {}, wires: [] },
];

function nodeRedSuite(label: string, getRuntime: () => Promise<NodeRedRuntime> | NodeRedRuntime, major: string) {
  describe(`real ${label}`, function () {
    let runtime: NodeRedRuntime;
    let red: NodeRedInstance | undefined;

    before(async function () {
      this.timeout(INSTALL_TIMEOUT);
      runtime = await getRuntime();
      expect(runtime.version.startsWith(`${major}.`), runtime.version).to.equal(true);
    });

    after(async function () {
      this.timeout(30_000);
      await red?.stop();
    });

    it('serves http in → change → http response', async function () {
      this.timeout(120_000);
      red = await startNodeRed({ runtime, flows: pingFlow() });
      const res = await red.request('GET', '/ping');
      expect(res.status, red.logs()).to.equal(200);
      expect(res.text).to.equal('pong');
      expect(red.logs()).to.match(new RegExp(`Node-RED version: v${runtime.version.replace(/\./g, '\\.')}`));
    });

    it('redeploys flows with inline credentials (full deployment)', async function () {
      this.timeout(60_000);
      const flows = pingFlow();
      (flows[2] as any).rules[0].to = 'pong2';
      // A config node with credentials: the runtime must accept and encrypt them.
      flows.push({ id: 'tls1', type: 'tls-config', name: 't', verifyservercert: true, credentials: { passphrase: 'secret' } });
      await red!.deploy(flows);
      const res = await red!.request('GET', '/ping');
      expect(res.text).to.equal('pong2');
      const cred = await red!.admin('GET', '/credentials/tls-config/tls1');
      expect(cred.status).to.equal(200);
      expect(cred.body).to.deep.include({ has_passphrase: true });
    });
  });
}

nodeRedSuite('Node-RED 4 (machine Node)', () => ensureNodeRed4(), '4');
nodeRedSuite('Node-RED 5 (Node 24)', () => ensureNodeRed5(), '5');

for (const version of N8N_VERSIONS) {
  describe(`real n8n ${version} (Node 24)`, function () {
    let runtime: N8nRuntime;
    let home: N8nHome | undefined;

    const okWorkflow = {
      id: 'wfPing0001',
      name: 'runner ping',
      active: false,
      nodes: [
        { id: 'n1', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
        {
          id: 'n2',
          name: 'Set',
          type: 'n8n-nodes-base.set',
          typeVersion: 3.4,
          position: [200, 0],
          parameters: {
            mode: 'manual',
            assignments: {
              assignments: [
                { id: 'a1', name: 'reply', value: 'pong', type: 'string' },
                { id: 'a2', name: 'n', value: 41, type: 'number' },
              ],
            },
            options: {},
          },
        },
        {
          id: 'n3',
          name: 'Code',
          type: 'n8n-nodes-base.code',
          typeVersion: 2,
          position: [400, 0],
          parameters: { jsCode: 'return $input.all().map(i => ({ json: { ...i.json, n: i.json.n + 1 } }));' },
        },
      ],
      connections: {
        Start: { main: [[{ node: 'Set', type: 'main', index: 0 }]] },
        Set: { main: [[{ node: 'Code', type: 'main', index: 0 }]] },
      },
      settings: { executionOrder: 'v1' },
    };

    const failingWorkflow = {
      id: 'wfFail0001',
      name: 'runner fail',
      active: false,
      nodes: [
        { id: 'f1', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
        {
          id: 'f2',
          name: 'Boom',
          type: 'n8n-nodes-base.stopAndError',
          typeVersion: 1,
          position: [200, 0],
          parameters: { errorMessage: 'boom on purpose' },
        },
      ],
      connections: { Start: { main: [[{ node: 'Boom', type: 'main', index: 0 }]] } },
      settings: { executionOrder: 'v1' },
    };

    const credential = {
      id: 'credHttp0001',
      name: 'test header auth',
      type: 'httpHeaderAuth',
      data: { name: 'X-Test', value: 'secret' },
    };

    before(async function () {
      this.timeout(INSTALL_TIMEOUT);
      runtime = await ensureN8n(version);
      expect(runtime.version).to.equal(version);
    });

    after(async function () {
      this.timeout(60_000);
      await home?.remove();
    });

    it('runN8nWorkflow: Manual Trigger → Set → Code succeeds with the expected item', async function () {
      this.timeout(5 * 60 * 1000);
      const run = await runN8nWorkflow({
        runtime,
        credentials: [credential],
        workflows: [okWorkflow],
        workflowId: okWorkflow.id,
      });
      assertN8nSuccess(run);
      expect(run.status).to.equal('success');
      expect(nodeOutputJson(run, 'Set')).to.deep.equal([{ reply: 'pong', n: 41 }]);
      const items = nodeOutput(run, 'Code', 0);
      expect(items).to.have.length(1);
      expect(items[0].json).to.deep.equal({ reply: 'pong', n: 42 });
    });

    it('a reusable home runs several workflows and reports a failing one as error', async function () {
      this.timeout(5 * 60 * 1000);
      home = await createN8nHome({ runtime });
      await home.importWorkflows([okWorkflow, failingWorkflow]);
      const ok = await home.execute(okWorkflow.id);
      assertN8nSuccess(ok);
      expect(nodeOutputJson(ok, 'Code')).to.deep.equal([{ reply: 'pong', n: 42 }]);

      const bad = await home.execute(failingWorkflow.id);
      expect(bad.status, bad.stdout + bad.stderr).to.equal('error');
      expect(bad.exitCode).to.not.equal(0);
      expect(JSON.stringify(nodeError(bad, 'Boom') ?? bad.error)).to.contain('boom on purpose');
    });

    it('two homes execute concurrently (distinct task-runner broker ports)', async function () {
      this.timeout(5 * 60 * 1000);
      const [a, b] = await Promise.all([createN8nHome({ runtime }), createN8nHome({ runtime })]);
      try {
        expect(a.brokerPort).to.not.equal(b.brokerPort);
        const runs = await Promise.all(
          [a, b].map((h) => runN8nWorkflow({ runtime, home: h, credentials: [], workflows: [okWorkflow], workflowId: okWorkflow.id })),
        );
        for (const r of runs) {
          assertN8nSuccess(r);
          expect(nodeOutputJson(r, 'Code')).to.deep.equal([{ reply: 'pong', n: 42 }]);
        }
      } finally {
        await Promise.all([a.remove(), b.remove()]);
      }
    });
  });
}

/**
 * A throw-away package shaped like ours (n8n community node + Node-RED node), packed with npm pack,
 * to check that both runners install a .tgz the way a user does.
 */
async function packFixturePackage(): Promise<string> {
  const dir = makeTempDir('fixture-pkg');
  const src = path.join(dir, 'src');
  fs.mkdirSync(path.join(src, 'dist'), { recursive: true });
  fs.mkdirSync(path.join(src, 'node-red'), { recursive: true });
  fs.writeFileSync(
    path.join(src, 'package.json'),
    JSON.stringify(
      {
        name: 'n8n-nodes-bpm-runner-fixture',
        version: '1.0.0',
        license: 'MIT',
        keywords: ['n8n-community-node-package', 'node-red'],
        files: ['dist', 'node-red'],
        n8n: { n8nNodesApiVersion: 1, credentials: [], nodes: ['dist/FixtureEcho.node.js'] },
        'node-red': { nodes: { 'fixture-echo': 'node-red/fixture-echo.js' } },
      },
      null,
      2,
    ),
  );
  fs.writeFileSync(
    path.join(src, 'dist', 'FixtureEcho.node.js'),
    `class FixtureEcho {
  constructor() {
    this.description = {
      displayName: 'Fixture Echo', name: 'fixtureEcho', group: ['transform'], version: 1,
      description: 'Echoes items with a tag', defaults: { name: 'Fixture Echo' },
      inputs: ['main'], outputs: ['main', 'main'], outputNames: ['Success', 'Error'],
      properties: [{ displayName: 'Tag', name: 'tag', type: 'string', default: 'echo' }],
    };
  }
  async execute() {
    const items = this.getInputData();
    const tag = this.getNodeParameter('tag', 0);
    return [items.map((i) => ({ json: { ...i.json, tag, node: process.version } })), []];
  }
}
module.exports = { FixtureEcho };
`,
  );
  fs.writeFileSync(
    path.join(src, 'node-red', 'fixture-echo.js'),
    `module.exports = function (RED) {
  function FixtureEcho(config) {
    RED.nodes.createNode(this, config);
    this.on('input', (msg, send, done) => {
      msg.payload = { echoed: msg.payload, tag: config.tag, node: process.version };
      send(msg);
      done();
    });
  }
  RED.nodes.registerType('fixture-echo', FixtureEcho);
};
`,
  );
  fs.writeFileSync(
    path.join(src, 'node-red', 'fixture-echo.html'),
    `<script type="text/javascript">
RED.nodes.registerType('fixture-echo', { category: 'function', color: '#a6bbcf', defaults: { tag: { value: 'echo' } }, inputs: 1, outputs: 1, label: function () { return 'fixture echo'; } });
</script>
<script type="text/html" data-template-name="fixture-echo"><input type="text" id="node-input-tag"></script>
`,
  );
  const r = await runNpm(process.execPath, ['pack', '--pack-destination', dir], { cwd: src, timeoutMs: 120_000 });
  const tgz = path.join(dir, r.stdout.trim().split('\n').pop()!.trim());
  expect(fs.existsSync(tgz), tgz).to.equal(true);
  return tgz;
}

describe('a packed package installed as a user would', function () {
  let tgz: string;

  before(async function () {
    this.timeout(120_000);
    tgz = await packFixturePackage();
  });

  after(function () {
    if (tgz && process.env.BPM_KEEP_TMP !== '1') fs.rmSync(path.dirname(tgz), { recursive: true, force: true });
  });

  for (const [label, getRuntime, nodeMajor] of [
    ['Node-RED 4', () => ensureNodeRed4(), 'v20.'],
    ['Node-RED 5', () => ensureNodeRed5(), 'v24.'],
  ] as const) {
    it(`${label} loads the package's node from <userDir>/node_modules`, async function () {
      this.timeout(INSTALL_TIMEOUT);
      const runtime = await getRuntime();
      const red = await startNodeRed({
        runtime,
        packageTgz: tgz,
        flows: [
          { id: 'tab1', type: 'tab', label: 'echo' },
          { id: 'in1', z: 'tab1', type: 'http in', url: '/echo', method: 'post', wires: [['echo1']] },
          { id: 'echo1', z: 'tab1', type: 'fixture-echo', tag: 'nr', wires: [['out1']] },
          { id: 'out1', z: 'tab1', type: 'http response', statusCode: '', headers: {}, wires: [] },
        ],
      });
      try {
        expect(fs.existsSync(path.join(red.userDir, 'node_modules', 'n8n-nodes-bpm-runner-fixture'))).to.equal(true);
        const res = await red.request('POST', '/echo', { hello: 'world' });
        expect(res.status, red.logs()).to.equal(200);
        expect(res.body.echoed).to.deep.equal({ hello: 'world' });
        expect(res.body.tag).to.equal('nr');
        expect(res.body.node.startsWith(nodeMajor)).to.equal(true);
      } finally {
        await red.stop();
      }
    });
  }

  for (const version of N8N_VERSIONS) {
    it(`n8n ${version} loads it from <home>/.n8n/nodes as <package>.<node>, with two outputs`, async function () {
      this.timeout(INSTALL_TIMEOUT);
      const runtime = await ensureN8n(version);
      const home = await createN8nHome({ runtime, packageTgz: tgz });
      try {
        expect(fs.existsSync(path.join(home.nodesDir, 'node_modules', 'n8n-nodes-bpm-runner-fixture'))).to.equal(true);
        const wf = {
          id: 'wfFixture001',
          name: 'fixture',
          active: false,
          nodes: [
            { id: 'x1', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
            {
              id: 'x2',
              name: 'Echo',
              type: 'n8n-nodes-bpm-runner-fixture.fixtureEcho',
              typeVersion: 1,
              position: [200, 0],
              parameters: { tag: 'n8n' },
            },
          ],
          connections: { Start: { main: [[{ node: 'Echo', type: 'main', index: 0 }]] } },
          settings: { executionOrder: 'v1' },
        };
        const run = await runN8nWorkflow({ runtime, home, credentials: [], workflows: [wf], workflowId: wf.id });
        assertN8nSuccess(run);
        const [item] = nodeOutputJson(run, 'Echo', 0);
        expect(item.tag).to.equal('n8n');
        expect(item.node.startsWith('v24.')).to.equal(true);
        expect(nodeOutput(run, 'Echo', 1)).to.deep.equal([]);
      } finally {
        await home.remove();
      }
    });
  }
});

describe('findRunJson', function () {
  it('skips log lines and braces inside strings', function () {
    const text =
      'Loading {not json}\n2026-01-01 info: {"level":"x"\n' +
      JSON.stringify({ data: { resultData: { runData: { A: [{ data: { main: [[{ json: { s: '}{"' } }]] } }] } } }, status: 'success' }, null, 2) +
      '\ntrailing log {x}\n';
    const run = findRunJson(text);
    expect(run.status).to.equal('success');
    expect(nodeOutputJson(run, 'A')).to.deep.equal([{ s: '}{"' }]);
  });
});

describe('real headless Chromium (Debian)', function () {
  it('opens the Node-RED 4 editor', async function () {
    this.timeout(INSTALL_TIMEOUT);
    const executablePath = await ensureChromium();
    const red = await startNodeRed({ runtime: ensureNodeRed4() });
    const browser = await playwright.launch({ executablePath, headless: true, args: ['--no-sandbox'] });
    try {
      const page = await browser.newPage();
      await page.goto(red.url + '/', { waitUntil: 'load' });
      expect(await page.title()).to.equal('Node-RED');
      await page.waitForSelector('#red-ui-header', { timeout: 60_000 });
    } finally {
      await browser.close();
      await red.stop();
    }
  });
});
