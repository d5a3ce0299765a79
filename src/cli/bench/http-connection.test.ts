import assert from 'node:assert/strict';
import { createServer, type RequestListener } from 'node:http';
import { type AddressInfo, createServer as createTcpServer, type Socket } from 'node:net';
import { after, describe, it } from 'node:test';
import { dechunk, HttpConnection } from './http-connection.ts';

const closers: Array<() => void> = [];
after(() => {
  for (const close of closers) close();
});

async function httpServer(
  listener: RequestListener,
): Promise<{ port: number; sockets: Set<Socket> }> {
  const server = createServer(listener);
  const sockets = new Set<Socket>();
  server.on('connection', (socket) => sockets.add(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(() => {
    server.closeAllConnections();
    server.close();
  });
  return { port: (server.address() as AddressInfo).port, sockets };
}

function post(body = ''): [string, Buffer] {
  return [
    `POST /acs HTTP/1.1\r\nHost: x\r\nContent-Length: ${Buffer.byteLength(body)}\r\n`,
    Buffer.from(body),
  ];
}

describe("the load's HTTP connection", () => {
  it('reads answers by Content-Length and chunked, keeps Set-Cookie as a list, and keeps the connection', async () => {
    let n = 0;
    const { port, sockets } = await httpServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        n++;
        if (n === 1) {
          res.setHeader('Set-Cookie', ['a=1; HttpOnly', 'b=2']);
          const echo = `échoed ${Buffer.concat(chunks).toString()}`;
          res.setHeader('Content-Length', String(Buffer.byteLength(echo)));
          res.end(echo);
        } else if (n === 2) {
          res.write('first part, '); // no length: node sends it chunked
          setTimeout(() => res.end('second part'), 20);
        } else {
          res.statusCode = 204;
          res.end();
        }
      });
    });
    const connection = new HttpConnection('127.0.0.1', port);
    const first = await connection.request(...post('hi'), 5000);
    assert.equal(first.kind, 'answer');
    if (first.kind === 'answer') {
      assert.equal(first.status, 200);
      assert.equal(first.body, 'échoed hi');
      assert.deepEqual(first.headers['set-cookie'], ['a=1; HttpOnly', 'b=2']);
    }
    const second = await connection.request(...post(), 5000);
    assert.ok(second.kind === 'answer' && second.body === 'first part, second part');
    const third = await connection.request(...post(), 5000);
    assert.ok(third.kind === 'answer' && third.status === 204 && third.body === '');
    assert.equal(sockets.size, 1, 'one connection for the three requests');
    connection.close();
  });

  it('opens a new connection after the server said Connection: close', async () => {
    const { port, sockets } = await httpServer((_req, res) => {
      res.setHeader('Connection', 'close');
      res.setHeader('Retry-After', '7');
      res.statusCode = 503;
      res.end('busy\n');
    });
    const connection = new HttpConnection('127.0.0.1', port);
    for (let i = 0; i < 2; i++) {
      const answer = await connection.request(...post('x'), 5000);
      assert.ok(answer.kind === 'answer' && answer.status === 503, JSON.stringify(answer));
      if (answer.kind === 'answer') assert.equal(answer.headers['retry-after'], '7');
    }
    assert.equal(sockets.size, 2);
    connection.close();
  });

  it('says timeout when no answer comes, and dropped when the connection is cut or refused', async () => {
    const { port, sockets } = await httpServer(() => {}); // never answers
    const slow = new HttpConnection('127.0.0.1', port);
    assert.deepEqual(await slow.request(...post(), 100), { kind: 'timeout' });

    const cut = new HttpConnection('127.0.0.1', port);
    const pending = cut.request(...post(), 5000);
    while (sockets.size < 2) await new Promise((resolve) => setTimeout(resolve, 5));
    for (const socket of sockets) socket.destroy();
    const dropped = await pending;
    assert.equal(dropped.kind, 'dropped');

    const tcp = createTcpServer();
    await new Promise<void>((resolve) => tcp.listen(0, '127.0.0.1', resolve));
    const freePort = (tcp.address() as AddressInfo).port;
    await new Promise((resolve) => tcp.close(resolve));
    const refused = await new HttpConnection('127.0.0.1', freePort).request(...post(), 5000);
    assert.deepEqual(refused, { kind: 'dropped', code: 'ECONNREFUSED' });
  });

  it('drops an answer that is not HTTP, and reads a body that ends with the connection', async () => {
    const tcp = createTcpServer((socket) => {
      socket.once('data', () => socket.end(answers.shift() ?? ''));
    });
    const answers = [
      'SSH-2.0-OpenSSH\r\n\r\n',
      'HTTP/1.0 200 OK\r\nContent-Type: text/xml\r\n\r\n<ok/>',
    ];
    await new Promise<void>((resolve) => tcp.listen(0, '127.0.0.1', resolve));
    closers.push(() => tcp.close());
    const port = (tcp.address() as AddressInfo).port;
    const garbage = await new HttpConnection('127.0.0.1', port).request(...post(), 5000);
    assert.deepEqual(garbage, { kind: 'dropped', code: 'malformed-answer' });
    const untilClose = await new HttpConnection('127.0.0.1', port).request(...post(), 5000);
    assert.ok(
      untilClose.kind === 'answer' && untilClose.body === '<ok/>',
      JSON.stringify(untilClose),
    );
  });

  it('dechunks only a complete, well-formed chunked body', () => {
    const body = Buffer.from('HEAD4\r\nWiki\r\n6;ext=1\r\npedia \r\n0\r\n\r\n');
    assert.equal(dechunk(body, 4)?.toString(), 'Wikipedia ');
    assert.equal(dechunk(body.subarray(0, body.length - 2), 4), undefined);
    assert.equal(dechunk(Buffer.from('zz\r\nab\r\n'), 0), null);
  });
});
