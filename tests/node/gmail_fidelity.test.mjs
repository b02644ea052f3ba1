// Fidelity (issue "Talking to Google"): Google's official Node.js client — `googleapis` and
// `google-auth-library`, exactly as a real app uses them — against `gmail-capture sim`.
// Everything asserted here is what the client sees; expected values come from the simulator's
// ground truth (GET /__sim/truth), never from the simulator's own answers.
//
// Configuration, not special-casing:
//  * Gmail: `google.gmail({version: 'v1', auth, rootUrl})` — `rootUrl` is googleapis' documented
//    per-API (and global, google.options) option for the API host.
//  * Token endpoint: google-auth-library 10.x does NOT read `token_uri` from the key file; its
//    JWT client (via gtoken) always POSTs to https://oauth2.googleapis.com/token and puts that URL
//    in the assertion's `aud`. The only public way to reach another host is the documented
//    `transporter` option of every AuthClient (a Gaxios instance) with a Gaxios request
//    interceptor (documented gaxios API) that sends requests for that one URL to the key's
//    `token_uri` — i.e. what a proxy or DNS override would do. The grant, form body, headers and
//    the JWT (including aud = Google's token URL, which Google itself requires) are untouched.
//    The same transporter then carries the Gmail calls unchanged.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { google } from 'googleapis';
import { JWT, gaxios } from 'google-auth-library';

const HERE = dirname(fileURLToPath(import.meta.url));
const BINARY = process.env.GC_BINARY || resolve(HERE, '../../build/gmail-capture');
const GOOGLE_TOKEN_URL = 'https://oauth2.googleapis.com/token';
const SCOPES = ['https://www.googleapis.com/auth/gmail.readonly'];

let sim;          // child process
let simUrl;       // "http://127.0.0.1:PORT"
let workDir;
let keyFile;
let key;          // parsed service-account key
let simStderr = '';

// ---------------------------------------------------------------------------------------------
// Simulator lifecycle and helpers

function startSim() {
  return new Promise((resolvePromise, reject) => {
    const args = ['sim', '--listen', '127.0.0.1:0', '--workspace', 'mailboxes=2,messages=60,seed=3',
      '--sa-key-out', keyFile];
    sim = spawn(BINARY, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const timer = setTimeout(() => reject(new Error(`simulator not ready in 60 s; stderr:\n${simStderr}`)), 60000);
    let out = '';
    sim.stderr.on('data', (d) => { simStderr = (simStderr + d).slice(-8000); });
    sim.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/gmail-capture sim listening on (http:\/\/\S+)/);
      if (m) { clearTimeout(timer); resolvePromise(m[1]); }
    });
    sim.on('error', (e) => { clearTimeout(timer); reject(e); });
    sim.on('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`simulator exited (${code ?? signal}) before ready; stderr:\n${simStderr}`));
    });
  });
}

async function simGet(path) {
  const r = await fetch(simUrl + path);
  assert.equal(r.status, 200, `GET ${path}`);
  return r.text();
}

async function simPost(path) {
  const r = await fetch(simUrl + path, { method: 'POST' });
  assert.equal(r.status, 200, `POST ${path}`);
}

async function truth() {
  const lines = (await simGet('/__sim/truth')).split('\n').filter((l) => l.trim() !== '');
  const rows = lines.map((l) => JSON.parse(l));
  const workspace = rows.find((r) => r.type === 'workspace');
  const messages = rows.filter((r) => r.type === 'message' && !r.softDeleted);
  return { mailboxes: workspace.mailboxes, messages };
}

// What users.messages.list returns by default: everything but SPAM and TRASH
// (includeSpamTrash=false).
function listable(m) {
  return !m.labels.includes('SPAM') && !m.labels.includes('TRASH');
}

// A transporter that sends the one hard-wired Google token URL to the key's token_uri.
function transporterFor(tokenUri) {
  const transport = new gaxios.Gaxios();
  transport.interceptors.request.add({
    resolved: async (config) => {
      if (String(config.url) === GOOGLE_TOKEN_URL) config.url = new URL(tokenUri);
      return config;
    },
  });
  return transport;
}

function dwdAuth(subject) {
  return new JWT({ keyFile, scopes: SCOPES, subject, transporter: transporterFor(key.token_uri) });
}

function gmailFor(subject) {
  return google.gmail({ version: 'v1', auth: dwdAuth(subject), rootUrl: simUrl + '/' });
}

function header(headers, name) {
  const h = (headers || []).find((x) => x.name.toLowerCase() === name.toLowerCase());
  return h ? h.value : undefined;
}

// The header section of an RFC 822 message, unfolded, as [name, value] pairs.
function rfc822Headers(text) {
  const end = text.search(/\r?\n\r?\n/);
  assert.ok(end > 0, 'RFC 822 message has a header section and a body');
  return text.slice(0, end).replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/).map((line) => {
    const i = line.indexOf(':');
    assert.ok(i > 0, `header line: ${line}`);
    return [line.slice(0, i).trim().toLowerCase(), line.slice(i + 1).trim()];
  });
}

function sha256Hex(buf) {
  return createHash('sha256').update(buf).digest('hex');
}

// ---------------------------------------------------------------------------------------------

before(async () => {
  assert.ok(existsSync(BINARY), `gmail-capture binary not found at ${BINARY} (set GC_BINARY)`);
  workDir = mkdtempSync(join(tmpdir(), 'gc-node-fidelity-'));
  keyFile = join(workDir, 'sa.json');
  simUrl = await startSim();
  key = JSON.parse(readFileSync(keyFile, 'utf8'));
  assert.equal(key.type, 'service_account');
  assert.equal(key.token_uri, simUrl + '/token');
});

after(() => {
  if (sim && sim.exitCode === null) {
    sim.removeAllListeners('exit');
    sim.kill('SIGTERM');
  }
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

test('DWD token minted by google-auth-library is accepted; unknown subject is invalid_grant', async () => {
  const { mailboxes } = await truth();
  const auth = dwdAuth(mailboxes[0]);
  const creds = await auth.authorize();
  assert.equal(typeof creds.access_token, 'string');
  assert.ok(creds.access_token.length > 10);
  assert.equal(creds.token_type, 'Bearer');
  assert.ok(creds.expiry_date > Date.now() + 60_000, 'token expires in the future');

  const { token } = await auth.getAccessToken();
  assert.equal(token, creds.access_token, 'cached token reused');

  // The library's authenticated request, then the bare token with plain fetch.
  const viaLib = await auth.request({ url: `${simUrl}/gmail/v1/users/me/profile` });
  assert.equal(viaLib.status, 200);
  assert.equal(viaLib.data.emailAddress, mailboxes[0]);
  const bare = await fetch(`${simUrl}/gmail/v1/users/me/profile`,
    { headers: { Authorization: `Bearer ${token}` } });
  assert.equal(bare.status, 200);
  const forged = await fetch(`${simUrl}/gmail/v1/users/me/profile`,
    { headers: { Authorization: 'Bearer ya29.not-a-token' } });
  assert.equal(forged.status, 401);

  const stranger = dwdAuth('nobody@fund.example');
  await assert.rejects(stranger.authorize(), (err) => {
    assert.match(err.message, /invalid_grant/);
    assert.equal(err.response?.status, 400);
    assert.equal(err.response?.data?.error, 'invalid_grant');
    return true;
  });
  const strangerGmail = google.gmail({ version: 'v1', auth: stranger, rootUrl: simUrl + '/' });
  await assert.rejects(strangerGmail.users.getProfile({ userId: 'me' }), /invalid_grant/);
});

test('users.getProfile matches the truth', async () => {
  const { mailboxes, messages } = await truth();
  for (const mailbox of mailboxes) {
    const { data } = await gmailFor(mailbox).users.getProfile({ userId: 'me' });
    assert.equal(data.emailAddress, mailbox);
    const mine = messages.filter((m) => m.mailbox === mailbox);
    assert.equal(data.messagesTotal, mine.length);
    assert.equal(data.threadsTotal, new Set(mine.map((m) => m.threadId)).size);
    assert.match(String(data.historyId), /^[0-9]+$/);
  }
});

test('users.messages.list pages with maxResults/pageToken over exactly the listable messages', async () => {
  const { mailboxes, messages } = await truth();
  for (const mailbox of mailboxes) {
    const gmail = gmailFor(mailbox);
    const expected = messages.filter((m) => m.mailbox === mailbox && listable(m));
    const byId = new Map(expected.map((m) => [m.id, m]));
    const seen = [];
    let pageToken;
    let pages = 0;
    do {
      const { data } = await gmail.users.messages.list({ userId: 'me', maxResults: 7, pageToken });
      pages += 1;
      assert.ok(data.messages.length <= 7, 'page respects maxResults');
      assert.equal(typeof data.resultSizeEstimate, 'number');
      for (const { id, threadId } of data.messages) {
        assert.ok(byId.has(id), `listed id ${id} is in the truth for ${mailbox}`);
        assert.equal(threadId, byId.get(id).threadId);
        seen.push(id);
      }
      pageToken = data.nextPageToken;
      assert.ok(pages < 100, 'paging terminates');
    } while (pageToken);
    assert.equal(pages, Math.ceil(expected.length / 7));
    assert.equal(new Set(seen).size, seen.length, 'no id listed twice');
    assert.deepEqual([...seen].sort(), expected.map((m) => m.id).sort());
    // Newest first, like Gmail.
    const dates = seen.map((id) => byId.get(id).internalDate);
    assert.deepEqual(dates, [...dates].sort((a, b) => b - a));

    const inbox = expected.filter((m) => m.labels.includes('INBOX'));
    const { data } = await gmail.users.messages.list({ userId: 'me', labelIds: ['INBOX'], maxResults: 500 });
    assert.deepEqual((data.messages || []).map((m) => m.id).sort(), inbox.map((m) => m.id).sort());
  }
});

test('users.messages.get in formats full, metadata, minimal and raw', async () => {
  const { mailboxes, messages } = await truth();
  const mailbox = mailboxes[0];
  const gmail = gmailFor(mailbox);
  const sample = messages.filter((m) => m.mailbox === mailbox && m.messageId).slice(0, 6);
  assert.ok(sample.length >= 3);
  for (const t of sample) {
    const full = (await gmail.users.messages.get({ userId: 'me', id: t.id, format: 'full' })).data;
    assert.equal(full.id, t.id);
    assert.equal(full.threadId, t.threadId);
    assert.deepEqual([...full.labelIds].sort(), [...t.labels].sort());
    assert.equal(full.internalDate, String(t.internalDate));
    assert.equal(typeof full.sizeEstimate, 'number');
    assert.equal(typeof full.snippet, 'string');
    assert.match(String(full.historyId), /^[0-9]+$/);
    assert.equal(header(full.payload.headers, 'Message-ID'), t.messageId);
    assert.equal(typeof full.payload.mimeType, 'string');
    assert.equal(full.raw, undefined);

    const meta = (await gmail.users.messages.get({
      userId: 'me', id: t.id, format: 'metadata', metadataHeaders: ['Message-ID', 'Subject'],
    })).data;
    assert.equal(meta.id, t.id);
    assert.equal(header(meta.payload.headers, 'Message-ID'), t.messageId);
    assert.ok(meta.payload.headers.every((h) => ['message-id', 'subject'].includes(h.name.toLowerCase())),
      'metadata returns only the asked-for headers');
    assert.equal(meta.payload.parts, undefined);
    assert.equal(meta.payload.body?.data, undefined);

    const minimal = (await gmail.users.messages.get({ userId: 'me', id: t.id, format: 'minimal' })).data;
    assert.equal(minimal.id, t.id);
    assert.equal(minimal.threadId, t.threadId);
    assert.deepEqual([...minimal.labelIds].sort(), [...t.labels].sort());
    assert.equal(minimal.payload, undefined);
    assert.equal(minimal.raw, undefined);

    const raw = (await gmail.users.messages.get({ userId: 'me', id: t.id, format: 'raw' })).data;
    assert.equal(raw.id, t.id);
    assert.equal(raw.payload, undefined);
    assert.match(raw.raw, /^[A-Za-z0-9_-]+=*$/, 'raw is base64url');
    const bytes = Buffer.from(raw.raw, 'base64url');
    assert.equal(raw.sizeEstimate, full.sizeEstimate);
    const headers = rfc822Headers(bytes.toString('latin1'));
    const ids = headers.filter(([n]) => n === 'message-id').map(([, v]) => v);
    assert.deepEqual(ids, [t.messageId]);
    for (const required of ['from', 'date']) {
      assert.ok(headers.some(([n]) => n === required), `raw has a ${required} header`);
    }
  }
});

test('users.threads.get returns the thread\'s messages in date order', async () => {
  const { mailboxes, messages } = await truth();
  for (const mailbox of mailboxes) {
    const mine = messages.filter((m) => m.mailbox === mailbox && listable(m));
    const counts = new Map();
    for (const m of mine) counts.set(m.threadId, (counts.get(m.threadId) || 0) + 1);
    const [threadId] = [...counts.entries()].sort((a, b) => b[1] - a[1])[0];
    const expected = messages.filter((m) => m.mailbox === mailbox && m.threadId === threadId)
      .sort((a, b) => a.internalDate - b.internalDate);
    assert.ok(expected.length >= 2, 'a multi-message thread exists');
    const { data } = await gmailFor(mailbox).users.threads.get({ userId: 'me', id: threadId, format: 'metadata' });
    assert.equal(data.id, threadId);
    assert.deepEqual(data.messages.map((m) => m.id), expected.map((m) => m.id));
    for (const m of data.messages) assert.equal(m.threadId, threadId);
  }
});

test('users.messages.attachments.get returns the bytes the truth hashes', async () => {
  const { mailboxes, messages } = await truth();
  const withAttachments = messages.filter((m) => m.attachments.length > 0 && mailboxes.includes(m.mailbox));
  assert.ok(withAttachments.length > 0);
  let checked = 0;
  for (const t of withAttachments.slice(0, 4)) {
    const gmail = gmailFor(t.mailbox);
    const full = (await gmail.users.messages.get({ userId: 'me', id: t.id, format: 'full' })).data;
    const parts = [];
    const walk = (p) => { parts.push(p); (p.parts || []).forEach(walk); };
    walk(full.payload);
    for (const a of t.attachments) {
      const part = parts.find((p) => p.filename === a.filename);
      assert.ok(part, `part for ${a.filename}`);
      assert.equal(part.mimeType, a.mimeType);
      assert.equal(part.partId, a.partId);
      assert.equal(part.body.size, a.size);
      assert.ok(part.body.attachmentId, 'attachment body is fetched by attachmentId');
      const { data } = await gmail.users.messages.attachments.get({
        userId: 'me', messageId: t.id, id: part.body.attachmentId,
      });
      assert.match(data.data, /^[A-Za-z0-9_-]+=*$/, 'attachment data is base64url');
      const bytes = Buffer.from(data.data, 'base64url');
      assert.equal(bytes.length, a.size);
      assert.equal(data.size, a.size);
      assert.equal(sha256Hex(bytes), a.sha256);
      checked += 1;
    }
  }
  assert.ok(checked > 0);
});

test('users.history.list from the profile historyId sees the live mail as messagesAdded', async () => {
  const before = await truth();
  const start = new Map();
  for (const mailbox of before.mailboxes) {
    const { data } = await gmailFor(mailbox).users.getProfile({ userId: 'me' });
    start.set(mailbox, data.historyId);
  }
  const known = new Set(before.messages.map((m) => m.id));
  let fresh = [];
  for (let round = 0; round < 10 && fresh.length === 0; round++) {
    await simPost('/__sim/tick?n=5');
    fresh = (await truth()).messages.filter((m) => !known.has(m.id));
  }
  assert.ok(fresh.length > 0, 'live mail arrived');
  let seenAdded = 0;

  for (const mailbox of before.mailboxes) {
    const gmail = gmailFor(mailbox);
    const added = new Set();
    let pageToken;
    let lastHistoryId;
    do {
      const { data } = await gmail.users.history.list({
        userId: 'me', startHistoryId: start.get(mailbox), historyTypes: ['messageAdded'], pageToken,
      });
      for (const h of data.history || []) {
        assert.ok(BigInt(h.id) > BigInt(start.get(mailbox)), 'history records are after startHistoryId');
        for (const { message } of h.messagesAdded || []) added.add(message.id);
      }
      lastHistoryId = data.historyId;
      pageToken = data.nextPageToken;
    } while (pageToken);
    const expected = fresh.filter((m) => m.mailbox === mailbox).map((m) => m.id);
    for (const id of expected) assert.ok(added.has(id), `messagesAdded has ${id} for ${mailbox}`);
    seenAdded += expected.length;
    const { data: profile } = await gmail.users.getProfile({ userId: 'me' });
    assert.equal(String(lastHistoryId), String(profile.historyId));
    if (expected.length > 0) assert.ok(BigInt(profile.historyId) > BigInt(start.get(mailbox)));
  }
  assert.equal(seenAdded, fresh.length, 'every new message was seen in its mailbox\'s history');
});

// googleapis dropped its batch helper; apps send Google's multipart/mixed batch themselves with
// the library's authenticated client, which is what this does.
test('batch: multipart/mixed through the authenticated client; each part answers its request', async () => {
  const { mailboxes, messages } = await truth();
  const mailbox = mailboxes[1];
  const sample = messages.filter((m) => m.mailbox === mailbox && m.messageId).slice(0, 5);
  const missing = '0000000000000000';
  const boundary = 'batch_fidelity_0123456789';
  const items = [...sample.map((m) => m.id), missing];
  const body = items.map((id, i) => [
    `--${boundary}`,
    'Content-Type: application/http',
    `Content-ID: <item${i + 1}>`,
    '',
    `GET /gmail/v1/users/me/messages/${id}?format=metadata&metadataHeaders=Message-ID`,
    '',
    '',
  ].join('\r\n')).join('') + `--${boundary}--\r\n`;

  const auth = dwdAuth(mailbox);
  const res = await auth.request({
    url: `${simUrl}/batch/gmail/v1`,
    method: 'POST',
    headers: { 'Content-Type': `multipart/mixed; boundary=${boundary}` },
    data: body,
    responseType: 'text',
  });
  assert.equal(res.status, 200);
  const contentType = res.headers.get('content-type');
  const m = contentType.match(/^multipart\/mixed;\s*boundary="?([^";]+)"?/i);
  assert.ok(m, `multipart response: ${contentType}`);
  const parts = parseMultipart(res.data, m[1]);
  assert.equal(parts.length, items.length);

  const byContentId = new Map();
  for (const p of parts) {
    assert.match(p.headers['content-type'], /^application\/http/);
    const cid = p.headers['content-id'].match(/^<response-(.+)>$/);
    assert.ok(cid, `Content-ID ${p.headers['content-id']}`);
    byContentId.set(cid[1], parseHttp(p.body));
  }
  sample.forEach((t, i) => {
    const inner = byContentId.get(`item${i + 1}`);
    assert.ok(inner, `answer for item${i + 1}`);
    assert.match(inner.statusLine, /^HTTP\/1\.1 200\b/);
    assert.match(inner.headers['content-type'], /^application\/json/);
    const json = JSON.parse(inner.body);
    assert.equal(json.id, t.id);
    assert.equal(json.threadId, t.threadId);
    assert.equal(header(json.payload.headers, 'Message-ID'), t.messageId);
  });
  const notFound = byContentId.get(`item${items.length}`);
  assert.match(notFound.statusLine, /^HTTP\/1\.1 404\b/);
  assert.equal(JSON.parse(notFound.body).error.code, 404);
});

function parseHeaderBlock(text) {
  const headers = {};
  for (const line of text.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    if (!line) continue;
    const i = line.indexOf(':');
    headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
  }
  return headers;
}

function splitHead(text) {
  const m = text.match(/\r?\n\r?\n/);
  if (!m) return [text, ''];
  return [text.slice(0, m.index), text.slice(m.index + m[0].length)];
}

function parseMultipart(text, boundary) {
  const delimiter = `--${boundary}`;
  const end = text.indexOf(`${delimiter}--`);
  assert.ok(end >= 0, 'closing delimiter present');
  return text.slice(0, end).split(delimiter).slice(1).map((chunk) => {
    const [head, body] = splitHead(chunk.replace(/^\r?\n/, ''));
    return { headers: parseHeaderBlock(head), body };
  });
}

function parseHttp(text) {
  const [head, body] = splitHead(text);
  const [statusLine, ...rest] = head.split(/\r?\n/);
  return { statusLine, headers: parseHeaderBlock(rest.join('\r\n')), body: body.replace(/\r?\n$/, '') };
}
