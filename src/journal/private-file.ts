/**
 * The journal holds the full definition of the resources a run changed, so it is written like a
 * secret: its directory 0700, the file 0600, created exclusively (O_EXCL) without following a
 * symbolic link (O_NOFOLLOW) as a temporary file beside it, then renamed over the old one, so a
 * reader (or a run killed mid-write) never sees half a journal.
 */
import { closeSync, constants, lstatSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { basename, dirname, join } from 'node:path';
import { UsageError } from '../core/errors.js';

const CREATE_PRIVATE = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW;

function refuseSymlink(path: string): void {
  let link = false;
  try {
    link = lstatSync(path).isSymbolicLink();
  } catch {
    return;
  }
  if (link) throw new UsageError(`The journal file '${path}' is a symbolic link; secure-docintel does not follow links for the files it writes.`, 'Pass --journal the path of a regular file (or a new one).');
}

/** Replaces `path` as a whole, owner-only. */
export function replacePrivateFile(path: string, content: string): void {
  refuseSymlink(path);
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const tmp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  const fd = openSync(tmp, CREATE_PRIVATE, 0o600);
  try {
    writeSync(fd, content);
  } finally {
    closeSync(fd);
  }
  try {
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}

/** Reads a journal without following a symbolic link; undefined when it does not exist. */
export function readPrivateFile(path: string): string | undefined {
  refuseSymlink(path);
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
  try {
    return readFileSync(fd, 'utf8');
  } finally {
    closeSync(fd);
  }
}
