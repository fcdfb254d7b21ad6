import { writeSync } from 'node:fs';

/** Characters gathered before a write: a file made of many small pieces (a row, an entry) then costs a write(2) per 64 Ki characters, not per piece. */
const GATHER_CHARS = 64 * 1024;

/** Text for a file descriptor, written GATHER_CHARS at a time; flush() writes the rest (before the descriptor is used otherwise or closed). */
export class GatheredWrites {
  private parts: string[] = [];
  private chars = 0;

  constructor(private readonly fd: number) {}

  write(text: string): void {
    this.parts.push(text);
    this.chars += text.length;
    if (this.chars >= GATHER_CHARS) this.flush();
  }

  flush(): void {
    if (this.parts.length === 0) return;
    const text = this.parts.length === 1 ? this.parts[0]! : this.parts.join('');
    this.parts = [];
    this.chars = 0;
    writeText(this.fd, text);
  }
}

/** Writes all of `text` as UTF-8 at the descriptor's position: encoded by Node as it writes, a Buffer made only for the rest of a short write. */
export function writeText(fd: number, text: string): void {
  const bytes = Buffer.byteLength(text, 'utf8');
  const done = writeSync(fd, text, null, 'utf8');
  if (done < bytes) writeAll(fd, Buffer.from(text, 'utf8').subarray(done));
}

/** Writes all of `data` at the descriptor's position (writeSync may write less than asked). */
export function writeAll(fd: number, data: Buffer): void {
  for (let done = 0; done < data.length;) done += writeSync(fd, data, done, data.length - done);
}
