/** Finding the process at the other end of a loopback connection through /proc (steps/peer.ts). */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import net from 'node:net';
import { join } from 'node:path';
import { childrenOf, commandLine, connectedSocket, holdsSocket } from '../../src/steps/peer.js';
import { scratch } from '../helpers/project.js';

const linux = process.platform === 'linux' ? test : test.skip;

linux('a connection is traced to the process holding its socket, and to no other', async () => {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  const client = net.connect(port, '127.0.0.1');
  await new Promise<void>((resolve) => client.once('connect', resolve));
  const sleeper = spawn('sleep', ['30'], { stdio: 'ignore' });
  try {
    const inode = connectedSocket(client.localPort!, port);
    expect(inode).toMatch(/^\d+$/);
    expect(holdsSocket(process.pid, inode!)).toBe(true);
    expect(holdsSocket(sleeper.pid!, inode!)).toBe(false);
    // the other direction is the server's own socket, not the caller's
    expect(connectedSocket(port, client.localPort!)).not.toBe(inode);
    // no such connection
    expect(connectedSocket(client.localPort!, port === 65535 ? 1 : port + 1)).toBeUndefined();
    expect(childrenOf(process.pid)).toContain(sleeper.pid);
    expect(commandLine(sleeper.pid!)).toEqual(['sleep', '30']);
  } finally {
    sleeper.kill('SIGKILL');
    client.destroy();
    await new Promise((resolve) => server.close(resolve));
  }
});

test('the table is read field by field; a missing table or process answers "unknown"', () => {
  const table = join(scratch({}), 'tcp');
  writeFileSync(
    table,
    [
      '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode',
      '   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 111 1 0 100 0 0 10 0',
      '   1: 0100007F:C350 0100007F:1F90 01 00000000:00000000 00:00000000 00000000  1000        0 222 1 0 20 4 30 10 -1',
      '   2: 0100007F:1F90 0100007F:C350 01 00000000:00000000 00:00000000 00000000  1000        0 333 1 0 20 4 30 10 -1',
      '',
    ].join('\n'),
  );
  expect(connectedSocket(0xc350, 0x1f90, table)).toBe('222');
  expect(connectedSocket(0x1f90, 0xc350, table)).toBe('333');
  expect(connectedSocket(0xc351, 0x1f90, table)).toBeUndefined();
  expect(connectedSocket(1, 2, join(table, 'missing'))).toBeUndefined();
  expect(holdsSocket(0x7ffffffe, '222')).toBe(false);
  expect(commandLine(0x7ffffffe)).toEqual([]);
  expect(childrenOf(0x7ffffffe)).toEqual([]);
});
