// The WeChat Pay header names, in one place. Responses are read with the
// lower-case names (Node and fetch both lower-case them); requests and the
// local server's answers are written with WeChat's own spelling.

export const WECHATPAY_SERIAL = 'Wechatpay-Serial';
export const WECHATPAY_SIGNATURE = 'Wechatpay-Signature';
export const WECHATPAY_TIMESTAMP = 'Wechatpay-Timestamp';
export const WECHATPAY_NONCE = 'Wechatpay-Nonce';
export const WECHATPAY_SIGNATURE_TYPE = 'Wechatpay-Signature-Type';
export const REQUEST_ID = 'Request-ID';

/** Lower-case names, as they appear in a parsed response's or notification's headers. */
export const H = {
  serial: 'wechatpay-serial',
  signature: 'wechatpay-signature',
  timestamp: 'wechatpay-timestamp',
  nonce: 'wechatpay-nonce',
  signatureType: 'wechatpay-signature-type',
  requestId: 'request-id',
} as const;
