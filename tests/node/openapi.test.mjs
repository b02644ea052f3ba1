// GET /api/openapi.json (issue 5): the real `gmail-capture serve` serves an OpenAPI 3 document
// that a real validator accepts — @apidevtools/swagger-parser validates it against the OpenAPI
// 3.0 JSON schema and the spec's own rules (path parameters declared, unique operationIds,
// resolvable $refs). A few real answers are then checked against the response schemas the
// document gives for their route and status (ajv). The route/method/access parity with the
// router is a C++ test (tests/unit/http/openapi_test.cpp).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import SwaggerParser from '@apidevtools/swagger-parser';
import Ajv from 'ajv';

const HERE = dirname(fileURLToPath(import.meta.url));
const BINARY = process.env.GC_BINARY || resolve(HERE, '../../build/gmail-capture');
const ADMIN = 'ada@fund.example';
const PASSWORD = 'openapi-test-password-1';

let serve;        // child process
let baseUrl;      // "http://127.0.0.1:PORT"
let workDir;
let env;
let stderr = '';
let served;       // the document as served (parsed JSON)

function startServe() {
  return new Promise((resolvePromise, reject) => {
    serve = spawn(BINARY, ['serve'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const timer = setTimeout(() => reject(new Error(`serve not ready in 60 s; stderr:\n${stderr}`)), 60000);
    let out = '';
    serve.stderr.on('data', (d) => { stderr = (stderr + d).slice(-8000); });
    serve.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/listening on (http:\/\/\S+)/);
      if (m) { clearTimeout(timer); resolvePromise(m[1]); }
    });
    serve.on('error', (e) => { clearTimeout(timer); reject(e); });
    serve.on('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`serve exited (${code ?? signal}) before ready; stderr:\n${stderr}`));
    });
  });
}

before(async () => {
  workDir = mkdtempSync(join(tmpdir(), 'gc-openapi-'));
  env = {
    ...process.env,
    CRM_DB_PATH: join(workDir, 'crm.db'),
    CRM_DATA_DIR: join(workDir, 'data'),
    CRM_HTTP_ADDR: '127.0.0.1:0',
    CRM_GMAIL_INTEGRATION_ENABLED: 'false',
  };
  const add = spawnSync(BINARY, ['user', 'add', ADMIN, '--name', 'Ada', '--role', 'admin', '--password-stdin'],
    { env, input: `${PASSWORD}\n`, encoding: 'utf8' });
  assert.equal(add.status, 0, `user add failed: ${add.stderr}`);
  baseUrl = await startServe();
});

after(() => {
  if (serve && serve.exitCode === null) {
    serve.removeAllListeners('exit');
    serve.kill('SIGTERM');
  }
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

async function call(method, path, { token, body } = {}) {
  const headers = {};
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const r = await fetch(baseUrl + path, {
    method, headers, body: body === undefined ? undefined : (typeof body === 'string' ? body : JSON.stringify(body)),
  });
  const text = await r.text();
  return { status: r.status, type: r.headers.get('content-type'), text };
}

test('GET /api/openapi.json answers 200 JSON without a token', async () => {
  const r = await call('GET', '/api/openapi.json');
  assert.equal(r.status, 200, r.text);
  assert.match(r.type, /^application\/json/);
  served = JSON.parse(r.text);
  assert.match(served.openapi, /^3\./);
  assert.ok(Object.keys(served.paths).length >= 20, 'every route is described');
});

test('the served document is valid OpenAPI 3 (swagger-parser)', async () => {
  assert.ok(served, 'document fetched');
  // validate() dereferences its argument in place: give it a copy.
  const api = await SwaggerParser.validate(structuredClone(served));
  assert.equal(api.info.title, 'gmail-capture');
});

test('the validator is not a rubber stamp: broken copies are rejected', async () => {
  assert.ok(served, 'document fetched');
  // (For OpenAPI 3, swagger-parser checks the document against the OpenAPI 3.0 schema and
  // resolves every $ref; that each {name} of a path is declared is checked by the C++ test.)
  const optionalPath = structuredClone(served);        // a path parameter must be required
  optionalPath.paths['/api/email/threads/{id}'].get.parameters = [{ name: 'id', in: 'path', required: false, schema: { type: 'integer' } }];
  await assert.rejects(SwaggerParser.validate(optionalPath));
  const noResponses = structuredClone(served);         // every operation has responses
  delete noResponses.paths['/api/auth/me'].get.responses;
  await assert.rejects(SwaggerParser.validate(noResponses));
  const dangling = structuredClone(served);            // a $ref to nothing
  dangling.paths['/api/auth/me'].get.responses['200'].content['application/json'].schema = { $ref: '#/components/schemas/Nope' };
  await assert.rejects(SwaggerParser.validate(dangling));
  const badType = structuredClone(served);             // not an OpenAPI schema type
  badType.components.schemas.Party.properties.name.type = 'text';
  await assert.rejects(SwaggerParser.validate(badType));
});

// Real answers against the document's schema for (path, method, status).
test('real answers match their documented response schemas', async () => {
  assert.ok(served, 'document fetched');
  const api = await SwaggerParser.dereference(structuredClone(served));
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
  const check = (docPath, method, r) => {
    const op = api.paths[docPath]?.[method];
    assert.ok(op, `${method} ${docPath} is documented`);
    const resp = op.responses[String(r.status)];
    assert.ok(resp, `${method} ${docPath}: status ${r.status} is documented (${r.text})`);
    const schema = resp.content?.['application/json']?.schema;
    assert.ok(schema, `${method} ${docPath} ${r.status}: a JSON schema is documented`);
    const validate = ajv.compile(schema);
    assert.ok(validate(JSON.parse(r.text)),
      `${method} ${docPath} ${r.status}: ${ajv.errorsText(validate.errors)}\n${r.text}`);
  };

  check('/api/auth/login', 'post', await call('POST', '/api/auth/login', { body: '{"username":' }));  // 400 bad_json
  check('/api/auth/login', 'post', await call('POST', '/api/auth/login', { body: { username: ADMIN, password: 'wrong' } }));
  const login = await call('POST', '/api/auth/login', { body: { username: ADMIN, password: PASSWORD } });
  assert.equal(login.status, 200, login.text);
  check('/api/auth/login', 'post', login);
  const token = JSON.parse(login.text).token;

  check('/api/email/status', 'get', await call('GET', '/api/email/status'));                 // 401
  const status = await call('GET', '/api/email/status', { token });
  assert.equal(status.status, 200, status.text);
  check('/api/email/status', 'get', status);
  check('/api/auth/me', 'get', await call('GET', '/api/auth/me', { token }));
  check('/api/admin/tokens', 'post', await call('POST', '/api/admin/tokens', { token, body: { username: ADMIN, expires_in_hours: 0 } }));
  check('/api/admin/tokens', 'post', await call('POST', '/api/admin/tokens', { token, body: { username: ADMIN, label: 'openapi' } }));
  for (const [path, target] of [['/api/email/threads', '/api/email/threads?investor_id=1'],
    ['/api/email/activity', '/api/email/activity'], ['/api/email/accounts', '/api/email/accounts']]) {
    const r = await call('GET', target, { token });
    assert.equal(r.status, 503, r.text);                                                     // integration off
    check(path, 'get', r);
  }
  check('/api/email/sync/run-now', 'post', await call('POST', '/api/email/sync/run-now', { token, body: {} }));
  check('/api/auth/logout', 'post', await call('POST', '/api/auth/logout', { token }));
});
