// What the emulator records of each request and the faults it can inject: the types its parts share (kept apart
// from server.ts so the parts do not import the server back).

export interface RecordedPart {
  name: string;
  filename?: string;
  contentType?: string;
  size: number;
  sha256: string;
  /** Text parts only. */
  text?: string;
}

export interface RecordedRequest {
  id: number;
  method: string;
  /** The path as sent, including the context root, without the query. */
  path: string;
  query: Record<string, string>;
  /** Lower-case names; credentials are '<redacted>'. */
  headers: Record<string, string>;
  auth: { scheme: 'basic' | 'token' | 'apikey' | 'none'; user?: string; headerName?: string };
  /** Multipart parts in arrival order (empty otherwise). */
  parts: RecordedPart[];
  /** 0 until a response starts (and for requests whose connection was dropped before one). */
  status: number;
  /** JSON bodies only. */
  responseBody?: string;
  startedAt: number;
  durationMs: number;
}

export interface Fault {
  method?: string;
  /** Matched against the path WITHOUT the context root, e.g. '/api/v1/message/pass/import/update'; absent = any. */
  path?: string | RegExp;
  /** How many matching requests it applies to; default 1; Infinity allowed. */
  times?: number;
  /** Delay before answering. */
  latencyMs?: number;
  /** Answer with this instead of the real handler (body default {"id":"-1","message":"<reason>"}). */
  status?: number;
  body?: string;
  contentType?: string;
  /** Destroy the socket after this many response-body bytes, or for a request with a body, request-body bytes. */
  resetAfterBytes?: number;
  /** Throttle the response body. */
  bytesPerSecond?: number;
  /** Answer 200 with a failure inside (decision 9): `{"requestId":"-1","description":<this>}` on a send,
   * `{"id":"-1","message":<this>}` elsewhere, e.g. "Invalid Subscribers". */
  errorInOk?: string;
}
