import { serverAuthenticatorFromExtension } from '@otlp-kafka/auth-extensions';
import { defineFactory } from '@otlp-kafka/core';
import { configSchema, toOptions } from './internal/config-schema.js';
import { createOtlpReceiver } from './otlp-receiver.js';

/**
 * The `otlp` receiver: one server (gRPC and/or HTTP) feeding every pipeline that
 * names it; `protocols.*.auth.authenticator` names a bearertokenauth or basicauth extension.
 */
export const otlpReceiverFactory = defineFactory({
  kind: 'receiver',
  type: 'otlp',
  configSchema,
  create: (config, context) =>
    createOtlpReceiver({
      ...toOptions(config, (id, where) => serverAuthenticatorFromExtension(id, context, where)),
      name: context.id,
      logger: context.logger,
      meterProvider: context.meterProvider,
    }),
});
