// The runtime's public surface: what generated code and users import.
export { createRuntime, type Bound, type CallOptions, type Flat, type OperationMeta, type Runtime } from './call.js';
export { BACKUP_BASE_URL, MAIN_BASE_URL, type ClientConfig, type RetryOptions } from './config.js';
export { decrypt, encrypt, oaepLimit } from './encrypt.js';
export * from './errors.js';
export { fetchTransport, nodeTransport, type Transport, type TransportRequest, type TransportResponse } from './transport.js';
export type { Rule } from './validate.js';
export { VERSION } from './version.js';
