export { BoolEnv, parseConfig } from './config.ts';
export { AppError, ERROR_POLICY, NotFoundError, toAppError, UnavailableError, ValidationError } from './errors.ts';
export { checkReplay, IDEMPOTENCY_KEY_HOURS, requestFingerprint } from './idempotency.ts';
export { onShutdownSignal } from './lifecycle.ts';
export { createLogger, type Logger } from './logger.ts';
export {
  type BatchMessage,
  type BatchOptions,
  type Consumption,
  connectNats,
  consumeDurable,
  consumeDurableBatches,
  encodeJson,
  ensureDurableConsumer,
  ensureStreams,
  type JetStreamClient,
  type JsMsg,
  jetstream,
  type Msg,
  type NatsConnection,
  publishDurable,
  type RequestOptions,
  requestCommand,
  type StreamLimits,
  serveCommand,
} from './nats.ts';
