import type { Outcome } from '@otlp-kafka/core';
import type { ScriptedSinkSettings } from './scripted-sink.js';
import { ScriptedSink } from './scripted-sink.js';

export class MemorySinkImpl extends ScriptedSink {
  constructor(settings: ScriptedSinkSettings) {
    super(settings);
  }

  protected accept(): Outcome | undefined {
    return undefined;
  }
}
