import { readFile } from 'node:fs/promises';
import { UsageError } from './errors';

/** Where a command writes and reads: the process in `main`, buffers in tests. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  env: Record<string, string | undefined>;
  /** The whole of standard input (for `create --file -`). */
  readStdin(): Promise<string>;
  /** Aborted on Ctrl-C: long-running commands (`tail`) stop when it fires. */
  signal?: AbortSignal;
}

/** A CliIo that collects what is written, for tests and scripts. */
export function bufferIo(
  options: { env?: Record<string, string | undefined>; stdin?: string; signal?: AbortSignal } = {},
): CliIo & { stdout: string; stderr: string } {
  const io = {
    stdout: '',
    stderr: '',
    env: options.env ?? {},
    signal: options.signal,
    out(text: string) {
      io.stdout += text.endsWith('\n') ? text : `${text}\n`;
    },
    err(text: string) {
      io.stderr += text.endsWith('\n') ? text : `${text}\n`;
    },
    readStdin: async () => options.stdin ?? '',
  };
  return io;
}

/** A JSON body from a file, or from standard input when the file is `-` (`create --file`). */
export async function readJsonFile(file: string, io: CliIo): Promise<unknown> {
  let text: string;
  try {
    text = file === '-' ? await io.readStdin() : await readFile(file, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read ${file}: ${(error as Error).message}`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new UsageError(`${file === '-' ? 'stdin' : file} is not JSON: ${(error as Error).message}`);
  }
}
