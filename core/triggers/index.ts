export * from './event-cursor';
export * from './event-stamp';
export * from './trigger-event';
export * from './poll-events';
export * from './claim-events';
