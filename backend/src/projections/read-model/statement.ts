/** One SQL statement with its parameters: what the projector's writers send, in order. */
export interface Statement {
  text: string;
  values?: unknown[];
}
