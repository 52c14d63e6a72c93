// The runtime's public surface: what generated code and users import.
export { aeadDecrypt, aeadEncrypt, AeadError, AEAD_ALGORITHM, apiV3KeyBytes, type AeadResource } from './aead.js';
export { createRuntime, type Bound, type CallOptions, type OperationMeta, type ResponseInfo, type Runtime } from './call.js';
export type { Flat } from './flat.js';
export { platformCertificate, type CertificateInput } from './certificates.js';
export {
  BACKUP_BASE_URL,
  DEFAULT_MAX_RESPONSE_BYTES,
  MAIN_BASE_URL,
  type ClientConfig,
  type CommonOptions,
  type KeyInput,
  type PlatformCertificateOptions,
  type PublicKeyOptions,
  type RetryOptions,
  type WechatpayKeyOptions,
} from './config.js';
export { decrypt, encrypt, oaepLimit } from './encrypt.js';
export * from './errors.js';
export { createNotificationHandler, DEFAULT_MAX_BODY_BYTES, type NotificationAnswer, type NotificationHandler, type NotificationHandlerOptions, type NotificationRequest } from './notify/handler.js';
export type { IncomingHeaders } from './notify/headers.js';
export { memoryIdStore, type IdState, type MemoryIdStoreOptions, type NotificationIdStore } from './notify/id-store.js';
export type { NotificationMeta, NotificationOf } from './notify/meta.js';
export { redisIdStore, type IoredisClient, type NodeRedisClient, type RedisIdStoreOptions } from './notify/redis-id-store.js';
export { fetchHandler } from './notify/fetch.js';
export { nodeListener } from './notify/node.js';
export { notificationParser, type NotificationKeys, type NotificationParser } from './notify/parse.js';
export { bindOperations, callOperation, defineNotification, operationMeta, readOperation, readRule, sharedRule, type OperationData, type OperationFunction, type SharedRules } from './operation.js';
export { fetchTransport, nodeTransport, type Transport, type TransportRequest, type TransportResponse } from './transport.js';
export type { Rule } from './validate.js';
export {
  keyId,
  MAX_CLOCK_SKEW_SECONDS,
  publicKeyEntry,
  PUBLIC_KEY_ID_PREFIX,
  SIGNTEST_PREFIX,
  verifySignature,
  type KeySet,
  type SignedMessage,
  type VerificationKey,
  type VerifyFailure,
} from './verify.js';
export { VERSION } from './version.js';
